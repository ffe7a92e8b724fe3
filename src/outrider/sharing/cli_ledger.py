"""`outrider share ledger`: what was released to a partner between two moments, as JSON, CSV or PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from outrider.accounts import service as accounts_service
from outrider.console import AsOpt, JsonOpt, emit, fail, friendly, out, print_table, session_as
from outrider.db import utcnow
from outrider.sharing import ledger, ledger_store
from outrider.sharing.release_schemas import ReleaseRead

MomentOpt = "ISO 8601 with its zone, e.g. 2026-12-01T00:00:00+05:00"


@friendly
def ledger_command(
    partner: Annotated[
        str | None, typer.Option("--partner", help="the partner organisation (id or name); default: all")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help=f"from this moment: {MomentOpt}")] = None,
    until: Annotated[
        str | None, typer.Option("--until", help=f"to this moment (included): {MomentOpt}")
    ] = None,
    fmt: Annotated[Literal["json", "csv", "pdf"], typer.Option("--format", help="json, csv or pdf")] = "json",
    out_file: Annotated[Path | None, typer.Option("--out", help="write the report to this file")] = None,
    lang: Annotated[
        Literal["en", "zh-Hans", "ur"], typer.Option("--lang", help="the PDF's headings in en, zh-Hans or ur")
    ] = "en",
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """What was released to a partner between two moments: each release with its audit record, policy
    version and the objects with their hashes (a partner's users read only their own)."""
    if fmt == "pdf" and out_file is None:
        raise fail("--format pdf: give --out FILE", code=2)
    start, end = ledger.period(since, until)
    with session_as(as_user) as (session, caller):
        org = accounts_service.find_organization(session, ref=partner).id if partner else None
        data = ledger_store.read(
            session, caller=caller, partner_org_id=org, since=start, until=end, now=utcnow(), fmt=fmt
        )
    if out_file is not None:
        out_file.write_bytes(ledger.file_bytes(data, fmt, lang=lang))
    summary = {
        "partner_org_id": data.partner_org_id,
        "releases": len(data.rows),
        "objects": data.objects,
        "file": out_file.name if out_file else None,
        "format": fmt,
    }
    if out_file is None and fmt == "csv" and not as_json:
        typer.echo(ledger.to_csv(data), nl=False)
        return
    if out_file is None:
        emit(ledger.to_json(data), as_json, lambda: _table(data))
        return
    emit(summary, as_json, f"{out_file.name}: {len(data.rows)} releases, {data.objects} objects ({fmt})")


def _table(data: ledger.Ledger) -> None:
    rows = [ReleaseRead.model_validate(ledger.row_json(r)) for r in data.rows]
    columns = ["seq", "at", "partner", "channel", "policy_version", "user", "released", "withheld"]
    print_table(rows, columns, title="Releases")
    out.print(f"{len(data.rows)} releases, {data.objects} objects")
