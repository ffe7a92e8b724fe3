"""`outrider protocols validate | default | load | propose | sign | show`: the documents the parties agree."""

from __future__ import annotations

import sys
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import typer

from outrider.console import AsOpt, JsonOpt, emit, err, fail, friendly, out, session_as
from outrider.db import utcnow
from outrider.errors import InvalidInput
from outrider.protocols import keys, service
from outrider.protocols import schemas as s
from outrider.protocols.cli.options import VersionOpt, parse_day
from outrider.protocols.loader import load_protocol

app = typer.Typer()
DocumentArg = Annotated[Path, typer.Argument(help="a protocol document (YAML)", exists=True, dir_okay=False)]
ProtocolArg = Annotated[str, typer.Argument(help="protocol id")]


@app.command("validate")
def validate(file: DocumentArg, as_json: bool = JsonOpt) -> None:
    """Check a document: YAML, schema, limits, CEL syntax, facts and types; exit 1 listing every problem."""
    try:
        loaded = load_protocol(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        err.print(f"{file.name}: not UTF-8 text", highlight=False)
        raise typer.Exit(1) from None
    except InvalidInput as exc:
        emit({"valid": False, "problems": exc.errors}, as_json, partial(_print_problems, file, exc))
        raise typer.Exit(1) from None
    doc = loaded.document
    emit(
        {
            "valid": True,
            "id": doc.id,
            "version": doc.version,
            "hash": loaded.hash,
            "rules": len(doc.rules),
            "parties": list(doc.parties),
        },
        as_json,
        f"{doc.id} version {doc.version}: {len(doc.rules)} rules, valid; hash {loaded.hash}",
    )


def _print_problems(file: Path, exc: InvalidInput) -> None:
    for problem in exc.errors:
        where = f"line {problem.get('line')}" if problem.get("line") else "document"
        rule = f" rule {problem['rule']}" if problem.get("rule") else ""
        err.print(f"{file.name}: {where}{rule}: {problem['kind']}: {problem['message']}", highlight=False)


@app.command("default")
def default() -> None:
    """Print the default protocol shipped with Outrider (YAML)."""
    sys.stdout.write(files("outrider.protocols").joinpath("data/default.yaml").read_text("utf-8"))


# --- stored protocols (need a database and an acting user) -------------------------------------------


def _parties(pairs: list[str]) -> dict[str, str | int]:
    found: dict[str, str | int] = {}
    for pair in pairs:
        party, sep, org = pair.partition("=")
        if not sep or not party or not org:
            raise fail(f"--party: expected PARTY=ORGANISATION, got {pair!r}", code=2)
        found[party] = org
    return found


def _print_version(read: s.VersionRead) -> None:
    out.print(
        f"[bold]{read.protocol_id}[/bold] version {read.version}: {read.status} "
        f"(stored {read.state}); in force {read.effective_from} to {read.effective_to or 'open'}",
        highlight=False,
    )
    out.print(f"  {read.title}", highlight=False)
    out.print(f"  document sha256 {read.document_hash}", highlight=False)
    for p in read.parties:
        signed = next((x for x in read.signatures if x.party == p.party), None)
        how = (
            f"signed by {signed.username} {signed.at.isoformat()} key {signed.fingerprint} "
            f"({'verified' if signed.verified else 'DOES NOT VERIFY'})"
            if signed
            else "not signed"
        )
        out.print(f"  party {p.party} = {p.organization} ({p.organization_id}): {how}", highlight=False)
    for r in read.rules:
        out.print(f"    {r.id:<30} {r.severity:<9} {r.phase}", highlight=False)


def _emit_version(read: s.VersionRead, as_json: bool) -> None:
    emit(read, as_json, lambda: _print_version(read))


@app.command("load")
@friendly
def load(
    file: DocumentArg,
    party: Annotated[
        list[str] | None, typer.Option("--party", help="PARTY=ORGANISATION (id or name); repeat per party")
    ] = None,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Validate a document and store it as a draft version, each party bound to an organisation."""
    text = file.read_text(encoding="utf-8")
    with session_as(as_user) as (session, caller):
        now = utcnow()
        row = service.load_version(session, caller=caller, text=text, parties=_parties(party or []), now=now)
        read = service.version_read(session, row, day=now.date())
    _emit_version(read, as_json)


@app.command("propose")
@friendly
def propose(
    protocol_id: ProtocolArg, version: VersionOpt = None, as_json: bool = JsonOpt, as_user: str | None = AsOpt
) -> None:
    """Freeze a draft and open it for the parties' signatures."""
    with session_as(as_user) as (session, caller):
        now = utcnow()
        number = version or service.get_version(session, protocol_id).version
        row = service.propose_version(
            session, caller=caller, protocol_id=protocol_id, version=number, now=now
        )
        read = service.version_read(session, row, day=now.date())
    _emit_version(read, as_json)


@app.command("sign")
@friendly
def sign(
    protocol_id: ProtocolArg,
    key: Annotated[Path, typer.Option("--key", help="your private key file", exists=True, dir_okay=False)],
    version: VersionOpt = None,
    document: Annotated[
        Path | None,
        typer.Option(
            "--file", help="the document you read; its hash must be the stored version's", exists=True
        ),
    ] = None,
    party: Annotated[str | None, typer.Option(help="the party you sign for (default: yours)")] = None,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Sign a proposed version for your party: the hash is computed here, from the text, and signed with
    your key (which never leaves this machine)."""
    private = keys.read_private_key(key)
    with session_as(as_user) as (session, caller):
        now = utcnow()
        row = service.get_version(session, protocol_id, version)
        text = document.read_text(encoding="utf-8") if document else row.text
        loaded = load_protocol(text, service.FACT_SCHEMA)
        signed = service.sign_version(
            session,
            caller=caller,
            protocol_id=row.protocol_id,
            version=row.version,
            document_hash=loaded.hash,
            public_key=keys.public_raw(private),
            signature=keys.sign_document(private, loaded.hash),
            party=party,
            now=now,
        )
        read = service.version_read(session, signed, day=now.date())
    _emit_version(read, as_json)


@app.command("show")
@friendly
def show(
    protocol_id: Annotated[
        str | None, typer.Argument(help="protocol id (default: list every version)")
    ] = None,
    version: VersionOpt = None,
    on: Annotated[str | None, typer.Option(help="the day to give the status for (YYYY-MM-DD)")] = None,
    text: Annotated[bool, typer.Option("--text", help="print the document")] = False,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Show stored versions: parties, signatures (verified again), status on a day, rules."""
    day = parse_day(on, "--on") if on else utcnow().date()
    with session_as(as_user) as (session, _caller):
        if protocol_id is None:
            reads = [service.version_read(session, r, day=day) for r in service.list_versions(session)]
        else:
            row = service.get_version(session, protocol_id, version)
            reads = [service.version_read(session, row, day=day, with_text=text)]
    emit(reads if protocol_id is None else reads[0], as_json, lambda: _print_versions(reads))


def _print_versions(reads: list[s.VersionRead]) -> None:
    if not reads:
        out.print("no protocol stored")
    for read in reads:
        _print_version(read)
        if read.text:
            sys.stdout.write(read.text)
