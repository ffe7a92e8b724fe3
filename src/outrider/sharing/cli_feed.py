"""`outrider share feed write|verify`: signed directory feeds for an air-gapped hand-over.

`write --partner` releases through the partner's agreed policy (audited) and signs what left; `write
--objects` signs a bundle released before (on a machine that holds the key but no database); `verify`
needs no database."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from outrider.accounts import service as accounts_service
from outrider.console import AsOpt, JsonOpt, emit, fail, friendly, out, read_json_file, session_as
from outrider.db import utcnow
from outrider.protocols import keys
from outrider.sharing import feeds, imports, service
from outrider.sharing import schemas as s

app = typer.Typer(help="Signed directory feeds for an air-gapped hand-over.", no_args_is_help=True)
DirArg = Annotated[Path, typer.Argument(help="the feed directory")]


def _objects(source: Path) -> list[dict[str, Any]]:
    """The objects of a STIX bundle (`share export --out`) or of a JSON array."""
    data = read_json_file(source)
    objects = data.get("objects") if isinstance(data, dict) else data
    if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
        raise fail(f"{source.name}: give a STIX bundle or a JSON array of objects")
    return objects


def _released(partner: str, as_user: str | None) -> tuple[str, list[dict[str, Any]]]:
    """Release to the partner under its agreed policy (audited, committed) and name the holder."""
    with session_as(as_user) as (session, caller):
        org = accounts_service.find_organization(session, ref=partner)
        done = service.export(session, caller=caller, partner_org_id=org.id, now=utcnow(), channel="feed")
        holder = accounts_service.find_organization(session, ref=str(service.holder_id(session))).name
    return holder, list(done.bundle["objects"])


@app.command("write")
@friendly
def write(
    directory: DirArg,
    key: Annotated[Path, typer.Option("--key", help="the party's Ed25519 private key (PEM)")],
    partner: Annotated[
        str | None, typer.Option("--partner", help="release to this partner now, under its agreed policy")
    ] = None,
    source: Annotated[
        Path | None, typer.Option("--objects", help="or: a STIX bundle (`share export --out`) or JSON array")
    ] = None,
    party: Annotated[
        str | None, typer.Option("--party", help="the releasing party (default with --partner: the holder)")
    ] = None,
    sequence: Annotated[int, typer.Option("--sequence", min=1, help="this party's feed number")] = 1,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Write one file per object, the manifest and its signature into an empty directory."""
    if (partner is None) == (source is None):
        raise fail("give --partner (release now) or --objects (a bundle already released), not both", code=2)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise fail(
            f"{directory.name}: the feed directory must be empty", code=2
        )  # before anything is released
    private = keys.read_private_key(key)
    if partner is not None:
        holder, objects = _released(partner, as_user)
        party = party or holder
    else:
        assert source is not None
        objects = _objects(source)
    if not party:
        raise fail("--party: name the releasing party, as the receiver trusts it", code=2)
    manifest = feeds.write_feed(
        directory, objects, party=party, key=private, created=utcnow(), sequence=sequence
    )
    public = keys.public_raw(private)
    summary = {
        "directory": directory.name,
        "party": party,
        "sequence": sequence,
        "objects": manifest["count"],
        "public_key": base64.b64encode(public).decode("ascii"),
        "fingerprint": keys.fingerprint(public),
    }
    emit(
        summary,
        as_json,
        f"{directory.name}: {manifest['count']} object(s) of {party}, sequence {sequence}, signed by key "
        f"{summary['fingerprint']} (public key {summary['public_key']})",
    )


def _trusted(values: list[str]) -> dict[str, list[bytes]]:
    trusted: dict[str, list[bytes]] = {}
    for value in values:
        party, sep, text = value.rpartition("=")
        if not sep or not party.strip():
            raise fail(f"--trust: give PARTY=PUBLIC_KEY (or PARTY=key-file), not {value!r}", code=2)
        path = Path(text)
        key_text = path.read_text(encoding="ascii") if text and path.is_file() else text
        trusted.setdefault(party.strip(), []).append(keys.parse_public_key(key_text))
    return trusted


@app.command("verify")
@friendly
def verify(
    directory: DirArg,
    trust: Annotated[
        list[str], typer.Option("--trust", help="PARTY=PUBLIC_KEY or PARTY=key-file (PEM), repeatable")
    ],
    after: Annotated[int, typer.Option("--after", min=0, help="the last sequence imported")] = 0,
    out_file: Annotated[Path | None, typer.Option("--out", help="write the objects (JSON array)")] = None,
    as_json: bool = JsonOpt,
) -> None:
    """Verify a feed before import: signature, trusted key, every file's hash, order, count, paths."""
    done = feeds.verify_feed(directory, trusted_keys=_trusted(trust), after_sequence=after)
    if out_file is not None:
        text = json.dumps(done.objects, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        out_file.write_text(text, encoding="utf-8")
    summary = {
        "directory": directory.name,
        "party": done.party,
        "created": done.created.isoformat(),
        "sequence": done.sequence,
        "objects": len(done.objects),
        "fingerprint": keys.fingerprint(done.signer),
        "verified": True,
    }
    emit(
        summary,
        as_json,
        f"{directory.name}: verified, {len(done.objects)} object(s) of {done.party}, "
        f"sequence {done.sequence}, created {summary['created']}, key {summary['fingerprint']}",
    )


@app.command("import")
@friendly
def import_feed(
    directory: DirArg,
    trust: Annotated[
        list[str], typer.Option("--trust", help="PARTY=PUBLIC_KEY or PARTY=key-file (PEM), repeatable")
    ],
    partner: Annotated[
        str | None, typer.Option("--partner", help="the sending organisation (default: the feed's party)")
    ] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Verify a feed (after the last one imported from its party) and import its objects."""
    trusted = _trusted(trust)
    party = partner or _party_of(directory)  # only to find the organisation: the feed is verified below
    with session_as(as_user) as (session, caller):
        org = accounts_service.find_organization(session, ref=party)
        done = imports.read(
            imports.import_feed(
                session,
                caller=caller,
                partner_org_id=org.id,
                directory=directory,
                trusted_keys=trusted,
                now=utcnow(),
            )
        )
    emit(
        done, as_json, lambda: print_import(done, f"{directory.name}, sequence {done.sequence} of {org.name}")
    )


def _party_of(directory: Path) -> str:
    try:
        manifest = json.loads((directory / feeds.MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise fail(f"{directory.name}: no readable {feeds.MANIFEST}") from None
    party = manifest.get("party") if isinstance(manifest, dict) else None
    if not isinstance(party, str) or not party:
        raise fail(f"{directory.name}: the manifest names no party")
    return party


def print_import(done: s.ImportRead, what: str) -> None:
    """One line for the import, one per object not accepted (with why) or with values kept here."""
    out.print(
        f"{what}: {done.accepted} accepted, {done.rejected} rejected, {done.ignored} ignored",
        highlight=False,
    )
    for o in done.objects:
        if o.status != "accepted":
            out.print(f"  {o.status} {o.id}: {o.reason}", highlight=False, soft_wrap=True)
        elif o.kept:
            out.print(f"  kept here for {o.id}: {', '.join(o.kept)}", highlight=False)
