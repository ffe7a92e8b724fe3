"""`outrider intel incidents|events|incident|export`: the stored intelligence read back, and the printers
the other intelligence commands share (a page of rows, a line as it is)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel

from outrider.console import AsOpt, JsonOpt, emit, fail, friendly, out, print_table, session_as
from outrider.intel import gold, queries
from outrider.intel.schemas import EventRead, IncidentRead
from outrider.pages import Page

M = TypeVar("M", bound=BaseModel)
reads_app = typer.Typer()
LimitOpt = typer.Option(50, "--limit", min=1, max=5000)


def date_option(name: str, value: str | None, code: int = 2) -> date | None:
    """A YYYY-MM-DD date from an option, or None; a one-line error otherwise."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{name}: not a date (YYYY-MM-DD): {value!r}", code=code) from None


def plain(text: str) -> Callable[[], None]:
    """A printer of one line as it is (no highlighting of numbers and names)."""
    return lambda: out.print(text, highlight=False)


def show_page(
    rows: Sequence[Any],
    total: int,
    model: type[M],
    page: tuple[int, int],
    as_json: bool,
    columns: list[str],
    title: str,
) -> None:
    """A page of rows as JSON, or as a table of the named columns under a title."""
    items = [model.model_validate(r) for r in rows]
    limit, offset = page
    emit(
        Page(items=items, total=total, limit=limit, offset=offset),
        as_json,
        lambda: print_table(items, columns, title),
    )


def _filters(
    since: str | None,
    until: str | None,
    country: str | None,
    admin1: str | None,
    city: str | None,
    actor: str | None,
    status: str | None,
    bbox: str | None,
) -> queries.IncidentFilter:
    return queries.IncidentFilter(
        since=date_option("--from", since),
        until=date_option("--to", until),
        country=country,
        admin1=admin1,
        city=city,
        actor=actor,
        status=status,
        bbox=queries.parse_bbox(bbox) if bbox else None,
    )


FromOpt = typer.Option(None, "--from", help="event date on or after YYYY-MM-DD")
ToOpt = typer.Option(None, "--to", help="event date on or before YYYY-MM-DD")
CountryOpt = typer.Option(None, "--country", help="ISO 3166-1 alpha-2")
Admin1Opt = typer.Option(None, "--admin1", help="province or region")
CityOpt = typer.Option(None, "--city", help="town or city")
ActorOpt = typer.Option(None, "--actor", help="perpetrator name or alias")
StatusOpt = typer.Option(None, "--status", help="proposed, confirmed, rejected (events also merged)")
BboxOpt = typer.Option(None, "--bbox", help="min_lon,min_lat,max_lon,max_lat")
OffsetOpt = typer.Option(0, "--offset", min=0)


@reads_app.command()
@friendly
def incidents(
    since: str | None = FromOpt,
    until: str | None = ToOpt,
    country: str | None = CountryOpt,
    admin1: str | None = Admin1Opt,
    city: str | None = CityOpt,
    actor: str | None = ActorOpt,
    status: str | None = StatusOpt,
    bbox: str | None = BboxOpt,
    event: Annotated[int | None, typer.Option("--event", help="incidents of this event")] = None,
    report: Annotated[int | None, typer.Option("--report", help="incidents of this report")] = None,
    limit: int = LimitOpt,
    offset: int = OffsetOpt,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Stored incidents, newest event first."""
    f = _filters(since, until, country, admin1, city, actor, status, bbox)
    f = replace(f, event_id=event, report_id=report)
    columns = [
        "id",
        "event_id",
        "status",
        "date",
        "city",
        "admin1",
        "attack_type",
        "killed",
        "wounded",
        "perpetrator",
    ]
    with session_as(as_user) as (session, caller):
        rows, total = queries.list_incidents(session, caller=caller, filters=f, limit=limit, offset=offset)
        show_page(rows, total, IncidentRead, (limit, offset), as_json, columns, f"{total} incident(s)")


@reads_app.command("export")
@friendly
def export(
    since: str | None = FromOpt,
    until: str | None = ToOpt,
    country: str | None = CountryOpt,
    admin1: str | None = Admin1Opt,
    city: str | None = CityOpt,
    actor: str | None = ActorOpt,
    status: str | None = StatusOpt,
    bbox: str | None = BboxOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Stored incidents as JSON Lines in the gold-schema field names (as `intel extract --jsonl` prints)."""
    f = _filters(since, until, country, admin1, city, actor, status, bbox)
    with session_as(as_user) as (session, caller):
        for row in queries.export_rows(session, caller=caller, filters=f):
            gold.write_line(json.loads(json.dumps(row, default=str)))


@reads_app.command()
@friendly
def events(
    since: str | None = FromOpt,
    until: str | None = ToOpt,
    country: str | None = CountryOpt,
    admin1: str | None = Admin1Opt,
    city: str | None = CityOpt,
    actor: str | None = ActorOpt,
    status: str | None = StatusOpt,
    bbox: str | None = BboxOpt,
    limit: int = LimitOpt,
    offset: int = OffsetOpt,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Events (one per real event) with the values chosen from their reports."""
    f = _filters(since, until, country, admin1, city, actor, status, bbox)
    columns = [
        "id",
        "status",
        "date",
        "city",
        "admin1",
        "attack_type",
        "killed",
        "wounded",
        "perpetrator",
        "reports",
    ]
    with session_as(as_user) as (session, caller):
        rows, total = queries.list_events(session, caller=caller, filters=f, limit=limit, offset=offset)
        show_page(rows, total, EventRead, (limit, offset), as_json, columns, f"{total} event(s)")


@reads_app.command()
@friendly
def incident(
    incident_id: Annotated[int, typer.Argument(help="incident id")],
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """One incident with the sentences behind it."""
    with session_as(as_user) as (session, caller):
        row = queries.get_incident(session, caller=caller, incident_id=incident_id)
        rep = queries.get_report(session, caller=caller, report_id=row.report_id)
        data = IncidentRead.model_validate(row).model_dump(mode="json")
        data["extracted"] = row.extracted
        data["report"] = {"id": rep.id, "title": rep.title, "published": rep.published, "source": rep.source}
        data["spans"] = [{"start": a, "end": b, "text": t} for a, b, t in queries.evidence_spans(rep, row)]
    emit(data, as_json, lambda: _show_incident(data))


def _show_incident(data: dict[str, Any]) -> None:
    out.print(
        f"[bold]incident {data['id']}[/bold] ({data['status']}) event {data['event_id']}: "
        f"{data['date']} {data['city'] or data['admin1'] or data['country']} {data['attack_type']} "
        f"killed={data['killed']} wounded={data['wounded']} perpetrator={data['perpetrator'] or '-'}",
        highlight=False,
    )
    report = data["report"]
    plain(f"report {report['id']}: {report['title']} ({report['published']})")()
    for span in data["spans"]:
        out.print(f"  > {span['text']}", highlight=False, soft_wrap=True)
