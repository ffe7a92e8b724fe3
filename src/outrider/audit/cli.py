"""`outrider audit`: verify the chain, sign and export checkpoints, ask who knew."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from outrider.audit import chain, service
from outrider.console import AsOpt, JsonOpt, emit, fail, friendly, out, parse_time, session_as
from outrider.db import transaction, utcnow
from outrider.movements import need_to_know
from outrider.movements import service as movements_service

app = typer.Typer(help="The audit log: verify, signed heads, signing keys, who knew.", no_args_is_help=True)


def _load_checkpoints(path: Path) -> list[chain.Checkpoint]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [
            chain.Checkpoint(
                seq=int(c["seq"]),
                hash=str(c["hash"]),
                at=datetime.fromisoformat(str(c["at"]).replace("Z", "+00:00")),
                signature=str(c["signature"]),
                public_key=str(c["public_key"]),
                prev_seq=None if c.get("prev_seq") is None else int(c["prev_seq"]),
            )
            for c in data["checkpoints"]
        ]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise fail(f"{path.name}: not an exported checkpoint file ({exc})") from None


@app.command("verify")
@friendly
def verify(
    checkpoints: Annotated[
        Path | None,
        typer.Option(help="an exported checkpoint file kept elsewhere", exists=True, dir_okay=False),
    ] = None,
    workers: Annotated[int, typer.Option(help="processes verifying chunks in parallel", min=1, max=64)] = max(
        1, min(4, os.cpu_count() or 1)
    ),
    all_signatures: Annotated[
        bool, typer.Option(help="check the signature of every signed head, not only those that decide")
    ] = False,
    as_json: bool = JsonOpt,
) -> None:
    """Check every link, signed head, key and the witness; exit 1 and name the first problem."""
    extra = _load_checkpoints(checkpoints) if checkpoints else []
    with transaction() as session:
        verdict = service.verify_as(
            session, caller=None, extra_checkpoints=extra, workers=workers, all_signatures=all_signatures
        )
    body = {
        "ok": verdict.ok,
        "records": verdict.records,
        "last_seq": verdict.last_seq,
        "last_hash": verdict.last_hash,
        "checkpoints_checked": verdict.checkpoints,
        "first_broken_seq": verdict.first_broken_seq,
        "problem": verdict.problem,
        "public_key": service.public_key(),
    }
    if verdict.ok:
        human = f"audit chain intact: {verdict.records} records, {verdict.checkpoints} checkpoint(s) verified"
    elif verdict.first_broken_seq is None:
        human = f"[red]audit log not verified[/red]: {verdict.problem}"
    else:
        human = f"[red]audit chain broken at record {verdict.first_broken_seq}[/red]: {verdict.problem}"
    emit(body, as_json, human)
    if not verdict.ok:
        raise typer.Exit(1)


@app.command("checkpoint")
@friendly
def checkpoint(as_json: bool = JsonOpt) -> None:
    """The signed head covering the chain's last record (every commit signs one; this signs a missing one)."""
    with transaction() as session:
        row = service.checkpoint(session, now=utcnow())
        body = None if row is None else {"seq": row.seq, "hash": row.hash, "at": row.at.isoformat()}
    human = (
        "the audit log is empty; nothing to sign"
        if body is None
        else f"checkpoint signed at record {body['seq']}"
    )
    emit({"checkpoint": body}, as_json, human)


@app.command("export-checkpoints")
@friendly
def export_checkpoints(
    output: Annotated[Path, typer.Argument(help="file to write (keep a copy outside this database)")],
) -> None:
    """Write the newest signed head of each key and the public key to a JSON file, to keep elsewhere (the
    export is recorded in the chain, as the API's is)."""
    with transaction() as session:
        body = service.export_checkpoints(session, caller=None, now=utcnow())
    output.write_text(json.dumps(body, indent=2), encoding="utf-8")
    out.print(f"wrote {len(body['checkpoints'])} checkpoint(s) to {output}")


@app.command("key")
def key() -> None:
    """Print the public key that verifies the checkpoints."""
    _plain(service.public_key())


@app.command("rotate-key")
@friendly
def rotate_key(as_json: bool = JsonOpt) -> None:
    """Replace the signing key by a new one that endorses it; what the old key signed stays valid."""
    with transaction() as session:
        old, new = service.rotate_key(session, actor=service.OPERATOR, now=utcnow())
    emit(
        {"old_public_key": old, "new_public_key": new},
        as_json,
        lambda: _plain(f"signing key rotated: {old} -> {new}"),
    )


@app.command("who-knew")
@friendly
def who_knew(
    movement: Annotated[str, typer.Argument(help="movement id or reference")],
    before: Annotated[
        str | None, typer.Option(help="only reads before this time, ISO 8601 with zone")
    ] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Who read a movement's itinerary (when, how, how often), and who could have (auditors)."""
    cutoff = parse_time(before, "--before")
    with session_as(as_user) as (session, caller):
        mid = movements_service.movement_id_of(session, caller, movement)
        report = need_to_know.who_knew(session, caller=caller, movement_id=mid, before=cutoff, now=utcnow())

    def human() -> None:
        out.print(f"{report.reference}: itinerary reads before {report.before.isoformat()}")
        for r in report.readers:
            _plain(
                f"  {r.username or 'job'}: {r.reads} read(s), {r.first_at.isoformat()} .. "
                f"{r.last_at.isoformat()} via {', '.join(r.channels)}"
            )
        could = ", ".join(f"{m.username} ({'/'.join(m.relationships)})" for m in report.could_have)
        out.print("could have read it: " + (could or "nobody"))

    emit(report, as_json, human)


def _plain(line: str) -> None:
    out.print(line, highlight=False)
