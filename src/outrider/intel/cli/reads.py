"""`outrider intel incidents|events|incident|export`: the stored intelligence read back, and the printers
the other intelligence commands share (a page of rows, a line as it is)."""

from __future__ import annotations

import inspect
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from enum import StrEnum
from functools import partial, wraps
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts import service as accounts_service
from outrider.console import AsOpt, JsonOpt, emit, fail, friendly, out, print_table, session_as
from outrider.db import utcnow
from outrider.intel import from_movements, gold, queries
from outrider.intel.models import IntelEvent, IntelIncident
from outrider.intel.schemas import EventRead, IncidentRead
from outrider.pages import Page
from outrider.sharing import readers, stix_export, tabular
from outrider.sharing import service as sharing_service

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


def list_page(
    as_user: str | None,
    as_json: bool,
    read: Callable[..., tuple[Sequence[Any], int]],
    model: type[M],
    page: tuple[int, int],
    table: tuple[list[str], str],
    visible: Callable[[readers.Scope], Any] | None = None,
) -> None:
    """Read one page in a transaction (``read(session, caller=..., visible=...)``, kept to what the caller's
    organisation may read) and print it with each row's provenance: JSON, or a table of the named columns,
    its title after the total (``"incident(s)"``)."""
    with session_as(as_user) as (session, caller):
        scope = readers.scope_of(session, caller)  # what the caller's organisation may read, by marking
        kept = {} if visible is None else {"visible": visible(scope)}
        rows, total = read(session, caller=caller, **kept)
        items = [scope.shown(session, model, r) for r in rows]
    (limit, offset), (columns, title) = page, table
    found: Page[M] = Page(items=items, total=total, limit=limit, offset=offset)
    emit(found, as_json, lambda: print_table(items, columns, f"{total} {title}"))


# the columns of the tables people read (`--json` gives every field); what happened, where, to whom, by whom
SUMMARY_COLUMNS = ["date", "city", "admin1", "attack_type", "killed", "wounded", "perpetrator"]
INCIDENT_COLUMNS = ["id", "event_id", "status", *SUMMARY_COLUMNS]
EVENT_COLUMNS = ["id", "status", *SUMMARY_COLUMNS, "reports"]
QUEUE_COLUMNS = [
    "id",
    "event_id",
    "main_story",
    "required",
    "date",
    "city",
    "attack_type",
    "killed",
    "perpetrator",
]


FromOpt = typer.Option(None, "--from", help="event date on or after YYYY-MM-DD")
ToOpt = typer.Option(None, "--to", help="event date on or before YYYY-MM-DD")
OffsetOpt = typer.Option(0, "--offset", min=0)
# the options that filter incidents and events, in the order `--help` shows them
FILTER_OPTIONS = {
    "since": FromOpt,
    "until": ToOpt,
    "country": typer.Option(None, "--country", help="ISO 3166-1 alpha-2"),
    "admin1": typer.Option(None, "--admin1", help="province or region"),
    "city": typer.Option(None, "--city", help="town or city"),
    "actor": typer.Option(None, "--actor", help="perpetrator name or alias"),
    "status": typer.Option(None, "--status", help="proposed, confirmed, rejected (events also merged)"),
    "bbox": typer.Option(None, "--bbox", help="min_lon,min_lat,max_lon,max_lat"),
}


def with_filters(command: Callable[..., None]) -> Callable[..., None]:
    """Give a command the options that filter incidents and events, handed to it as one ``filters``."""
    signature = inspect.signature(command, eval_str=True)
    options = [
        inspect.Parameter(
            name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=option, annotation=str | None
        )
        for name, option in FILTER_OPTIONS.items()
    ]
    rest = [p for p in signature.parameters.values() if p.name != "filters"]

    @wraps(command)
    def wrapper(**kwargs: Any) -> None:
        given = {name: kwargs.pop(name) for name in FILTER_OPTIONS}
        since, until = date_option("--from", given.pop("since")), date_option("--to", given.pop("until"))
        bbox = queries.parse_bbox(given["bbox"]) if given["bbox"] else None
        command(
            filters=queries.IncidentFilter(**{**given, "since": since, "until": until, "bbox": bbox}),
            **kwargs,
        )

    wrapper.__signature__ = signature.replace(parameters=[*options, *rest])  # type: ignore[attr-defined]
    return wrapper


@reads_app.command()
@friendly
@with_filters
def incidents(
    filters: queries.IncidentFilter,
    event: Annotated[int | None, typer.Option("--event", help="incidents of this event")] = None,
    report: Annotated[int | None, typer.Option("--report", help="incidents of this report")] = None,
    limit: int = LimitOpt,
    offset: int = OffsetOpt,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Stored incidents, newest event first."""
    f = replace(filters, event_id=event, report_id=report)
    read = partial(queries.list_incidents, filters=f, limit=limit, offset=offset)
    table = (INCIDENT_COLUMNS, "incident(s)")
    list_page(as_user, as_json, read, IncidentRead, (limit, offset), table, readers.Scope.visible_incidents)


class ExportFormat(StrEnum):
    """What `intel export` writes."""

    jsonl = "jsonl"
    gtd = "gtd"
    acled = "acled"
    geojson = "geojson"
    stix = "stix"


WRITERS = {"gtd": tabular.gtd_csv, "acled": tabular.acled_csv, "geojson": tabular.geojson}


@reads_app.command("export")
@friendly
@with_filters
def export(
    filters: queries.IncidentFilter,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format", help="jsonl (gold schema), gtd or acled (CSV), geojson, stix (with --partner)"
        ),
    ] = ExportFormat.jsonl,
    of_events: Annotated[bool, typer.Option("--events", help="events instead of incidents")] = False,
    partner: Annotated[
        str | None,
        typer.Option("--partner", help="stix: the partner (id or name) whose agreed policy releases"),
    ] = None,
    as_user: str | None = AsOpt,
) -> None:
    """Stored incidents (or events) as JSON Lines in the gold-schema names, GTD or ACLED CSV, or GeoJSON;
    as a STIX 2.1 bundle only for a partner, through its agreed release policy (the release is audited)."""
    if fmt == ExportFormat.stix:
        _stix_release(filters, partner, as_user)
        return
    if partner is not None:
        raise fail(
            "--partner: only with --format stix (the other formats are the reader's own tables)", code=2
        )
    with session_as(as_user) as (session, caller):
        rows = (
            _event_rows(session, caller, filters) if of_events else _incident_rows(session, caller, filters)
        )
    if fmt == ExportFormat.jsonl:
        for row in rows:
            gold.write_line(row)
        return
    sys.stdout.write(WRITERS[fmt](rows, "event" if of_events else "incident"))


def _stix_release(filters: queries.IncidentFilter, partner: str | None, as_user: str | None) -> None:
    """The bundle `outrider share export` writes, to standard output: STIX leaves only under a policy."""
    if partner is None:
        raise fail(
            "--format stix needs --partner ORG: STIX leaves only under a partner's agreed policy", code=2
        )
    if filters != queries.IncidentFilter():
        raise fail(
            "--format stix: filters do not apply; the partner's policy decides what is released", code=2
        )
    with session_as(as_user) as (session, caller):
        org = accounts_service.find_organization(session, ref=partner)
        done = sharing_service.export(session, caller=caller, partner_org_id=org.id, now=utcnow())
    sys.stdout.write(stix_export.dumps(done.bundle) + "\n")


def _incident_rows(session: Session, caller: Caller, filters: queries.IncidentFilter) -> list[dict[str, Any]]:
    rows = queries.export_rows(session, caller=caller, filters=filters)
    visible = readers.scope_of(session, caller).visible_incidents()
    if visible is not None:  # the reader's organisation exports only what it may read
        kept = set(session.scalars(select(IntelIncident.id).where(visible)))
        rows = (r for r in rows if r["incident_id"] in kept)
    return [json.loads(json.dumps(r | {"id": r["incident_id"]}, default=str)) for r in rows]


def _event_rows(session: Session, caller: Caller, filters: queries.IncidentFilter) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    visible = readers.scope_of(session, caller).visible(IntelEvent)
    while True:
        page, total = queries.list_events(
            session, caller=caller, filters=filters, limit=1000, offset=len(found), visible=visible
        )
        found += [EventRead.model_validate(e).model_dump(mode="json") for e in page]
        if not page or len(found) >= total:
            return found


@reads_app.command()
@friendly
@with_filters
def events(
    filters: queries.IncidentFilter,
    limit: int = LimitOpt,
    offset: int = OffsetOpt,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Events (one per real event) with the values chosen from their reports."""
    read = partial(queries.list_events, filters=filters, limit=limit, offset=offset)
    list_page(
        as_user, as_json, read, EventRead, (limit, offset), (EVENT_COLUMNS, "event(s)"), _events_visible
    )


def _events_visible(scope: readers.Scope) -> Any:
    return scope.visible(IntelEvent)


@reads_app.command()
@friendly
def incident(
    incident_id: Annotated[int, typer.Argument(help="incident id")],
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """One incident with the sentences behind it."""
    with session_as(as_user) as (session, caller):
        scope = readers.scope_of(session, caller)
        row = queries.get_incident(session, caller=caller, incident_id=incident_id)
        rep = queries.get_report(session, caller=caller, report_id=row.report_id)
        scope.require_incident(row, rep)
        data = scope.shown(session, IncidentRead, row).model_dump(mode="json")
        data["extracted"] = row.extracted
        linked = from_movements.movement_references(session, caller=caller, reports=[rep])
        data["report"] = {
            "id": rep.id,
            "title": rep.title,
            "published": rep.published,
            "source": rep.source,
            "movement_reference": linked.get(rep.id),  # only for those who may see the movement
            "provenance": scope.provenance(session, rep).model_dump(mode="json"),
        }
        data["spans"] = [{"start": a, "end": b, "text": t} for a, b, t in queries.evidence_spans(rep, row)]
    emit(data, as_json, lambda: _show_incident(data))


def describe(provenance: dict[str, Any]) -> str:
    """Where an item came from and its marking, in one line."""
    marking = provenance["marking"] + ("" if provenance["marked_here"] else " (the default)")
    if provenance["origin"] != "imported":
        return f"ours, {marking}"
    return (
        f"imported from {provenance['source_org']}, {provenance['stix_id']} in {provenance['bundle_id']}, "
        f"modified {provenance['stix_modified']}, {marking}"
    )


def _show_incident(data: dict[str, Any]) -> None:
    out.print(
        f"[bold]incident {data['id']}[/bold] ({data['status']}) event {data['event_id']}: "
        f"{data['date']} {data['city'] or data['admin1'] or data['country']} {data['attack_type']} "
        f"killed={data['killed']} wounded={data['wounded']} perpetrator={data['perpetrator'] or '-'}",
        highlight=False,
    )
    report = data["report"]
    plain(f"report {report['id']}: {report['title']} ({report['published']})")()
    plain(f"provenance: {describe(data['provenance'])}")()
    for span in data["spans"]:
        out.print(f"  > {span['text']}", highlight=False, soft_wrap=True)
