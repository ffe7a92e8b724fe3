"""`outrider protocols`: validate, load, propose, sign and show protocols; evaluate movements; waivers;
the compliance report."""

from __future__ import annotations

import json
import os
import sys
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import typer

from outrider.console import AsOpt, JsonOpt, err, fail, friendly, out, print_json, print_table, session_as
from outrider.db import utcnow
from outrider.errors import InvalidInput
from outrider.movements import service as movements_service
from outrider.protocols import compliance, keys, reporting, service, waivers
from outrider.protocols import schemas as s
from outrider.protocols.loader import load_protocol
from outrider.protocols.report import percent, to_csv, to_html, to_json
from outrider.protocols.report_pdf import to_pdf

app = typer.Typer(
    help="Protocols as code: validate, load, propose, sign, show; evaluate movements; waivers; reports.",
    no_args_is_help=True,
)


@app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(help="a protocol document (YAML)", exists=True, dir_okay=False)],
    as_json: bool = JsonOpt,
) -> None:
    """Check a document: YAML, schema, limits, CEL syntax, facts and types; exit 1 listing every problem."""
    try:
        loaded = load_protocol(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        err.print(f"{file.name}: not UTF-8 text", highlight=False)
        raise typer.Exit(1) from None
    except InvalidInput as exc:
        if as_json:
            print_json({"valid": False, "problems": exc.errors})
        else:
            for problem in exc.errors:
                where = f"line {problem.get('line')}" if problem.get("line") else "document"
                rule = f" rule {problem['rule']}" if problem.get("rule") else ""
                err.print(
                    f"{file.name}: {where}{rule}: {problem['kind']}: {problem['message']}", highlight=False
                )
        raise typer.Exit(1) from None
    doc = loaded.document
    if as_json:
        print_json(
            {
                "valid": True,
                "id": doc.id,
                "version": doc.version,
                "hash": loaded.hash,
                "rules": len(doc.rules),
                "parties": list(doc.parties),
            }
        )
    else:
        out.print(f"{doc.id} version {doc.version}: {len(doc.rules)} rules, valid; hash {loaded.hash}")


@app.command("default")
def default() -> None:
    """Print the default protocol shipped with Outrider (YAML)."""
    sys.stdout.write(files("outrider.protocols").joinpath("data/default.yaml").read_text("utf-8"))


# --- stored protocols (need a database and an acting user) -------------------------------------------

PASSPHRASE_ENV = "OUTRIDER_KEY_PASSPHRASE"  # noqa: S105 - the name of a variable, not a secret
VersionOpt = Annotated[int | None, typer.Option("--version", "-v", help="version (default: the newest)")]
waive_app = typer.Typer(help="Waivers: ask for one, approve one, list a movement's.", no_args_is_help=True)
app.add_typer(waive_app, name="waive")


def _passphrase() -> bytes | None:
    value = os.environ.get(PASSPHRASE_ENV)
    return value.encode("utf-8") if value else None


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


_movement_id = movements_service.movement_id_of


@app.command("load")
@friendly
def load(
    file: Annotated[Path, typer.Argument(help="a protocol document (YAML)", exists=True, dir_okay=False)],
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
    if as_json:
        print_json(read)
    else:
        _print_version(read)


@app.command("propose")
@friendly
def propose(
    protocol_id: Annotated[str, typer.Argument(help="protocol id")],
    version: VersionOpt = None,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Freeze a draft and open it for the parties' signatures."""
    with session_as(as_user) as (session, caller):
        now = utcnow()
        number = version or service.get_version(session, protocol_id).version
        row = service.propose_version(
            session, caller=caller, protocol_id=protocol_id, version=number, now=now
        )
        read = service.version_read(session, row, day=now.date())
    if as_json:
        print_json(read)
    else:
        _print_version(read)


@app.command("keygen")
@friendly
def keygen(
    output: Annotated[Path, typer.Option("--out", help="where to write the private key (PEM, mode 600)")],
    label: Annotated[str, typer.Option(help="a name for the key")] = "",
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Make your Ed25519 signing key: the private key goes to a file only you read, the public key is
    registered. Set OUTRIDER_KEY_PASSPHRASE to encrypt the file."""
    if output.exists():
        raise fail(f"{output} exists; refusing to overwrite a key", code=2)
    pem, public = keys.generate_pem(_passphrase())
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    try:
        with session_as(as_user) as (session, caller):
            row = service.register_key(session, caller=caller, public_key=public, label=label, now=utcnow())
            read = s.KeyRead.model_validate(row)
    except BaseException:
        output.unlink(missing_ok=True)  # a key that could not be registered is of no use
        raise
    if as_json:
        print_json({"key": read, "file": str(output), "encrypted": _passphrase() is not None})
    else:
        out.print(f"key {read.fingerprint} registered; private key written to {output}", highlight=False)


@app.command("keys")
@friendly
def list_keys(as_json: bool = JsonOpt, as_user: str | None = AsOpt) -> None:
    """Your registered signing keys."""
    with session_as(as_user) as (session, caller):
        rows = [s.KeyRead.model_validate(k) for k in service.keys_of(session, caller=caller)]
    if as_json:
        print_json(rows)
    else:
        print_table(rows, ["id", "fingerprint", "label", "created_at", "revoked_at"])


@app.command("revoke-key")
@friendly
def revoke_key(
    key_id: Annotated[int, typer.Argument(help="signing key id (see `protocols keys`)")],
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Revoke a signing key (yours, or as an administrator one of your organisation's): it signs nothing
    again; the signatures it made stay verifiable."""
    with session_as(as_user) as (session, caller):
        read = s.KeyRead.model_validate(
            service.revoke_key(session, caller=caller, key_id=key_id, now=utcnow())
        )
    if as_json:
        print_json(read)
    else:
        out.print(f"key {read.fingerprint} revoked at {read.revoked_at}", highlight=False)


@app.command("sign")
@friendly
def sign(
    protocol_id: Annotated[str, typer.Argument(help="protocol id")],
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
    private = keys.load_private_pem(key.read_bytes(), _passphrase())
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
    if as_json:
        print_json(read)
    else:
        _print_version(read)


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
    day = _date(on, "--on") if on else utcnow().date()
    with session_as(as_user) as (session, _caller):
        if protocol_id is None:
            reads = [service.version_read(session, r, day=day) for r in service.list_versions(session)]
        else:
            row = service.get_version(session, protocol_id, version)
            reads = [service.version_read(session, row, day=day, with_text=text)]
    if as_json:
        print_json(reads if protocol_id is None else reads[0])
        return
    if not reads:
        out.print("no protocol stored")
    for read in reads:
        _print_version(read)
        if read.text:
            sys.stdout.write(read.text)


def _print_check(check: s.CheckRead) -> None:
    verdict = "passes" if check.allowed else "BLOCKS approval"
    out.print(f"movement {check.movement_id}, {check.phase} phase, {check.day}: {verdict}; {check.note}")
    for ev in check.evaluations:
        out.print(
            f"  {ev.protocol_id} v{ev.protocol_version} (sha256 {ev.protocol_hash[:16]}…) "
            f"facts sha256 {ev.facts_hash[:16]}…, evaluation {ev.id}",
            highlight=False,
        )
        for r in ev.results:
            mark = {"pass": "ok  ", "fail": "FAIL", "error": "ERR ", "not_applicable": "n/a "}[r.outcome]
            waived = " (waived)" if r.rule_id in ev.waived else ""
            facts = "" if r.facts_read is None else " " + json.dumps(r.facts_read, sort_keys=True)
            out.print(f"    {mark} {r.rule_id:<30} {r.severity:<8}{waived}{facts}", highlight=False)
    if check.warnings:
        out.print(f"  warnings: {', '.join(check.warnings)}")


@app.command("evaluate")
@friendly
def evaluate_cmd(
    movement: Annotated[str, typer.Argument(help="movement id or reference")],
    phase: Annotated[
        str | None, typer.Option(help="plan or execution (default: plan before departure, else execution)")
    ] = None,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Evaluate a movement against the protocols in force for it now, and store the evaluation."""
    if phase not in (None, "plan", "execution"):
        raise fail("--phase: plan or execution", code=2)
    with session_as(as_user) as (session, caller):
        mid = _movement_id(session, caller, movement)
        check = compliance.evaluate_movement(
            session,
            caller=caller,
            movement_id=mid,
            phase="plan" if phase == "plan" else "execution" if phase == "execution" else None,
            now=utcnow(),
        )
    if as_json:
        print_json(check)
    else:
        _print_check(check)


@app.command("evaluations")
@friendly
def evaluations_cmd(
    movement: Annotated[str, typer.Argument(help="movement id or reference")],
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """A movement's stored evaluations, newest first."""
    with session_as(as_user) as (session, caller):
        mid = _movement_id(session, caller, movement)
        rows = compliance.evaluations_of(session, caller=caller, movement_id=mid, now=utcnow())
    if as_json:
        print_json(rows)
        return
    for ev in rows:
        state = "passed" if ev.passed else f"failed: {', '.join(ev.blocking)}"
        out.print(
            f"{ev.id} {ev.at.isoformat()} {ev.trigger}/{ev.phase} {ev.protocol_id} v{ev.protocol_version}: "
            f"{state}; warnings: {', '.join(ev.warnings) or '-'}; waived: {', '.join(ev.waived) or '-'}",
            highlight=False,
        )


def _print_waiver(w: s.WaiverRead) -> None:
    counts = "counts now" if w.valid_now else f"does not count: {w.problem}"
    out.print(
        f"waiver {w.id}: movement {w.movement_id}, {w.protocol_id} v{w.protocol_version} rule {w.rule_id}, "
        f"{w.state}, expires {w.expires_at.isoformat()}; {counts}",
        highlight=False,
    )


@waive_app.command("request")
@friendly
def waive_request(
    movement: Annotated[str, typer.Argument(help="movement id or reference")],
    rule: Annotated[str, typer.Argument(help="the blocking rule to waive")],
    justification: Annotated[str, typer.Option(help="why (at least 20 characters)")],
    expires: Annotated[str, typer.Option(help="expiry, ISO 8601 with a zone")],
    protocol: Annotated[str | None, typer.Option(help="protocol id, when several are in force")] = None,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Ask for a waiver; your party's approval is given with the request when you approve for a party."""
    data = s.WaiverCreate(
        rule_id=rule,
        justification=justification,
        expires_at=_aware(expires, "--expires"),
        protocol_id=protocol,
    )
    with session_as(as_user) as (session, caller):
        mid = _movement_id(session, caller, movement)
        read = waivers.request_waiver(session, caller=caller, movement_id=mid, data=data, now=utcnow())
    if as_json:
        print_json(read)
    else:
        _print_waiver(read)


@waive_app.command("approve")
@friendly
def waive_approve(
    waiver_id: Annotated[int, typer.Argument(help="waiver id")],
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Approve a waiver for your party."""
    with session_as(as_user) as (session, caller):
        read = waivers.approve_waiver(session, caller=caller, waiver_id=waiver_id, now=utcnow())
    if as_json:
        print_json(read)
    else:
        _print_waiver(read)


@waive_app.command("withdraw")
@friendly
def waive_withdraw(
    waiver_id: Annotated[int, typer.Argument(help="waiver id")],
    reason: Annotated[str, typer.Option(help="why (at least 10 characters)")],
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Withdraw a waiver: it never counts again (either party, or the movement's planners)."""
    with session_as(as_user) as (session, caller):
        read = waivers.withdraw_waiver(
            session, caller=caller, waiver_id=waiver_id, reason=reason, now=utcnow()
        )
    if as_json:
        print_json(read)
    else:
        _print_waiver(read)


@waive_app.command("list")
@friendly
def waive_list(
    movement: Annotated[str, typer.Argument(help="movement id or reference")],
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """A movement's waivers."""
    with session_as(as_user) as (session, caller):
        mid = _movement_id(session, caller, movement)
        rows = waivers.waivers_of(session, caller=caller, movement_id=mid, now=utcnow())
    if as_json:
        print_json(rows)
    else:
        for w in rows:
            _print_waiver(w)


@app.command("report")
@friendly
def report(
    start: Annotated[str, typer.Option("--from", help="first day, YYYY-MM-DD (UTC)")],
    end: Annotated[str, typer.Option("--to", help="last day, YYYY-MM-DD (UTC), inclusive")],
    fmt: Annotated[str, typer.Option("--format", help="pdf, html, json or csv")] = "json",
    org: Annotated[str | None, typer.Option("--org", help="organisation id or name of the movements")] = None,
    protocol: Annotated[str | None, typer.Option("--protocol", help="protocol id")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write to this file")] = None,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """The compliance report of a period: counts, pass rates per rule, violations with evidence, trend."""
    fmt = "json" if as_json else fmt
    if fmt not in ("pdf", "html", "json", "csv"):
        raise fail("--format: pdf, html, json or csv", code=2)
    first, last = _date(start, "--from"), _date(end, "--to")
    with session_as(as_user) as (session, caller):
        data = reporting.compliance_report(
            session,
            caller=caller,
            start=first,
            end=last,
            organization=org,
            protocol_id=protocol,
            now=utcnow(),
        )
    body: bytes
    if fmt == "pdf":
        body = to_pdf(data)
    elif fmt == "json":
        body = (json.dumps(to_json(data), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    else:
        body = (to_csv(data) if fmt == "csv" else to_html(data)).encode("utf-8")
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
        return
    output.write_bytes(body)
    err.print(
        f"{output}: {data.evaluations} evaluations, {len(data.violations)} violations, "
        f"pass rate {percent(data.pass_rate)}",
        highlight=False,
    )


def _date(value: str, label: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{label}: not a date (YYYY-MM-DD): {value!r}", code=2) from None


def _aware(value: str, label: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise fail(f"{label}: not an ISO 8601 time: {value!r}", code=2) from None
    if parsed.tzinfo is None:
        raise fail(f"{label}: give a time zone, e.g. {value}+05:00", code=2)
    return parsed
