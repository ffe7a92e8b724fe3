"""`outrider intel`: extract incidents from reports (no database), or ingest, list and review them."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress

from outrider.console import (
    AsOpt,
    JsonOpt,
    err,
    fail,
    friendly,
    is_ci,
    out,
    parse_assignments,
    print_json,
    print_table,
    session_as,
)
from outrider.db import utcnow
from outrider.intel import dataset_import, queries, review, service
from outrider.intel import ingest as ingesting
from outrider.intel.actors import ActorRegistry
from outrider.intel.cleaning import MAX_BYTES
from outrider.intel.datasets import (
    FORMATS,
    DatasetFile,
    DatasetFormatError,
    DatasetRecord,
    RowDropped,
    RowError,
)
from outrider.intel.ingest import IngestItem
from outrider.intel.pipeline import DocumentResult, TextInput, extract_documents, link_events
from outrider.intel.schemas import (
    ActorCreate,
    ActorRead,
    ActorUpdate,
    EventEdit,
    EventRead,
    IncidentEdit,
    IncidentRead,
    IngestOutcome,
)
from outrider.pages import Page

app = typer.Typer(help="Intelligence: reports, incidents, events, actors.")


@app.callback()
def _group() -> None:
    """Intelligence: reports, incidents, events, actors."""


GOLD_FIELDS = (
    "required",
    "date",
    "date_precision",
    "country",
    "admin1",
    "city",
    "location_text",
    "lat",
    "lon",
    "attack_type",
    "weapon",
    "suicide",
    "target_type",
    "killed",
    "wounded",
    "killed_by_nationality",
    "wounded_by_nationality",
    "perpetrator",
    "claimed",
    "main_story",
)


def _inputs(paths: list[str]) -> Iterator[Path | TextInput]:
    for entry in _collect(paths):  # folders give the report files inside them
        if entry == "-":
            yield TextInput("stdin", sys.stdin.read())
        else:
            assert isinstance(entry, Path)
            yield entry


def _line(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


@app.command()
def extract(
    paths: Annotated[
        list[str], typer.Argument(help="report files or folders (.txt, .html, RSS/Atom), - for stdin")
    ],
    jsonl: Annotated[bool, typer.Option("--jsonl", help="one JSON object per incident")] = False,
    documents: Annotated[bool, typer.Option("--documents", help="one JSON object per document")] = False,
    published: Annotated[str | None, typer.Option("--published", help="publication date YYYY-MM-DD")] = None,
) -> None:
    """Extract incidents from reports; per-file errors go to stderr, exit 1 if any file failed."""
    pub: date | None = None
    if published:
        try:
            pub = date.fromisoformat(published)
        except ValueError:
            raise fail(f"--published: not a date (YYYY-MM-DD): {published!r}") from None
    ok: list[DocumentResult] = []
    failed = 0
    for res in extract_documents(_inputs(paths), pub):
        if res.error:
            failed += 1
            err.print(f"[red]error:[/red] {res.doc_id}: {res.error}", highlight=False, soft_wrap=True)
        else:
            ok.append(res)
    linked = link_events(ok)
    if documents:
        by_doc: dict[str, list[dict[str, Any]]] = {}
        for inc in linked:
            by_doc.setdefault(inc["doc_id"], []).append(_gold(inc))
        for res in ok:
            _line(
                {
                    "doc_id": res.doc_id,
                    "published": res.published.isoformat() if res.published else None,
                    "title": res.title,
                    "incidents": by_doc.get(res.doc_id, []),
                }
            )
    else:
        for inc in linked:
            if jsonl:
                _line(_gold(inc))
            else:
                sys.stdout.write(
                    f"{inc['doc_id']}\t{inc.get('date')}\t{inc.get('city') or inc.get('admin1')}\t"
                    f"{inc['attack_type']}\tkilled={inc.get('killed')}\t{inc.get('perpetrator') or '-'}\n"
                )
    if failed:
        raise typer.Exit(1)


def _gold(inc: dict[str, Any]) -> dict[str, Any]:
    out = {"doc_id": inc["doc_id"], "event_id": inc.get("event_id")}
    out.update({k: inc.get(k) for k in GOLD_FIELDS})
    out["date_basis"] = inc.get("date_basis")  # how the year was found when the text does not write it
    out["evidence"] = inc.get("evidence")
    return out


# ---------------------------------------------------------------- stored intelligence

REPORT_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xml", ".rss", ".atom"}
CHUNK = 100


def _collect(paths: list[str]) -> list[Path | str]:
    """Files named, and report files inside folders named (sorted); `-` is standard input."""
    found: list[Path | str] = []
    for p in paths:
        if p == "-":
            found.append("-")
            continue
        path = Path(p)
        if path.is_dir():
            found.extend(
                sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES)
            )
        else:
            found.append(path)
    return found


def _item(entry: Path | str) -> IngestItem | str:
    """The input as an ingest item, or a one-line error."""
    if entry == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        return IngestItem(source="stdin", doc_id="stdin", data=data)
    assert isinstance(entry, Path)
    try:
        size = entry.stat().st_size
        if size > MAX_BYTES:
            return f"file too large ({size} bytes, limit {MAX_BYTES})"
        return IngestItem(source=str(entry), doc_id=entry.stem, data=entry.read_bytes())
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"


def _date_opt(name: str, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{name}: not a date (YYYY-MM-DD): {value!r}", code=2) from None


@app.command()
@friendly
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="report files or folders (.txt, .html, .htm, feeds), - for stdin")
    ],
    published: Annotated[str | None, typer.Option("--published", help="publication date YYYY-MM-DD")] = None,
    reextract: Annotated[
        bool, typer.Option("--reextract", help="extract stored reports again (analyst decisions are kept)")
    ] = False,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Store reports, extract their incidents and link them to events; exit 1 if any input failed."""
    pub = _date_opt("--published", published)
    entries = _collect(paths)
    if not entries:
        raise fail("no report files found", code=2)
    outcomes: list[IngestOutcome] = []
    with Progress(disable=as_json or is_ci(), console=err, transient=True) as progress:
        task = progress.add_task("ingesting", total=len(entries))
        for start in range(0, len(entries), CHUNK):
            items: list[IngestItem] = []
            for entry in entries[start : start + CHUNK]:
                item = _item(entry)
                if isinstance(item, str):
                    name = str(entry)
                    outcomes.append(
                        IngestOutcome(source=name, doc_id=Path(name).stem, status="error", error=item)
                    )
                    progress.advance(task)
                else:
                    items.append(item)
            if not items:
                continue
            with session_as(as_user) as (session, caller):
                outcomes.extend(
                    ingesting.ingest(
                        session,
                        caller=caller,
                        items=items,
                        now=utcnow(),
                        published=pub,
                        reextract=reextract,
                        on_item=lambda _o: None,
                    )
                )
            progress.advance(task, len(items))
    failed = [o for o in outcomes if o.status == "error"]
    if as_json:
        print_json(outcomes)
    else:
        for o in failed:
            err.print(f"[red]error:[/red] {o.source}: {o.error}", highlight=False, soft_wrap=True)
        counts = {
            k: sum(o.status == k for o in outcomes) for k in ("stored", "reextracted", "duplicate", "error")
        }
        incidents = sum(o.incidents for o in outcomes)
        out.print(
            f"{counts['stored']} stored, {counts['reextracted']} re-extracted, {counts['duplicate']} already "
            f"stored, {counts['error']} failed; {incidents} incident(s)",
            highlight=False,
        )
    if failed:
        raise typer.Exit(1)


class _Metered:
    """A binary file's lines, counting the bytes read (for the progress bar)."""

    def __init__(self, lines: Iterable[bytes]) -> None:
        self.lines, self.read = lines, 0

    def __iter__(self) -> Iterator[bytes]:
        for line in self.lines:
            self.read += len(line)
            yield line


@app.command("import")
@friendly
def import_dataset(
    file: Annotated[str, typer.Argument(help="a GTD or ACLED export (CSV)")],
    fmt: Annotated[
        str | None, typer.Option("--format", help="gtd or acled (default: told from the header)")
    ] = None,
    countries: Annotated[
        list[str] | None,
        typer.Option("--country", help="keep only this country (ISO 3166-1 alpha-2); repeat"),
    ] = None,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Import a public incident data set, one transaction for the file; bad rows go to stderr.

    Exit 2 when the file is not a GTD or ACLED export, 1 when every row was bad."""
    if fmt is not None and fmt.lower() not in FORMATS:
        raise fail(f"--format: gtd or acled, not {fmt!r}", code=2)
    wanted = [c.strip().upper() for c in countries or []]
    for code in wanted:
        if len(code) != 2 or not code.isalpha():
            raise fail(f"--country: an ISO 3166-1 alpha-2 code such as PK, not {code!r}", code=2)
    path = Path(file)
    bad = parsed = 0
    dropped: dict[str, int] = {}
    with path.open("rb") as handle:
        metered = _Metered(handle)
        try:
            data = DatasetFile(metered, fmt.lower() if fmt else None)
        except DatasetFormatError as exc:
            raise fail(f"{path.name}: {exc}", code=2) from None
        with Progress(disable=as_json or is_ci(), console=err, transient=True) as progress:
            task = progress.add_task(f"importing {data.format.upper()}", total=path.stat().st_size)
            with session_as(as_user) as (session, caller):

                def records(registry: ActorRegistry) -> Iterator[DatasetRecord]:
                    nonlocal bad, parsed
                    for n, row in enumerate(data.rows(actors=registry, countries=wanted)):
                        if n % 500 == 0:
                            progress.update(task, completed=metered.read)
                        if isinstance(row, RowError):
                            bad += 1
                            err.print(
                                f"{path.name}:{row.line}: {row.reason}",
                                highlight=False,
                                markup=False,
                                soft_wrap=True,
                            )
                        elif isinstance(row, RowDropped):
                            dropped[row.reason] = dropped.get(row.reason, 0) + 1
                        else:
                            parsed += 1
                            yield row

                result = dataset_import.import_dataset(
                    session,
                    caller=caller,
                    records=records(service.registry(session)),
                    dataset=data.format,
                    now=utcnow(),
                )
    filtered = sum(dropped.values())
    summary = {
        "file": path.name,
        "format": data.format,
        "imported": result.imported,
        "skipped": result.skipped,
        "doubtful": result.doubtful,
        "bad": bad,
        "filtered_out": filtered,
        "filtered": dict(sorted(dropped.items())),
    }
    if as_json:
        print_json(summary)
    else:
        reasons = ", ".join(f"{k}: {v}" for k, v in sorted(dropped.items()))
        out.print(
            f"{result.imported} imported, {result.skipped} already present (skipped), {bad} bad, "
            f"{filtered} filtered out{f' ({reasons})' if reasons else ''}"
            + (f"; {result.doubtful} doubtful (in the review queue)" if result.doubtful else ""),
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    if bad and not parsed and not filtered:
        raise typer.Exit(1)


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
        since=_date_opt("--from", since),
        until=_date_opt("--to", until),
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
LimitOpt = typer.Option(50, "--limit", min=1, max=5000)
OffsetOpt = typer.Option(0, "--offset", min=0)


@app.command()
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
    f = replace(
        _filters(since, until, country, admin1, city, actor, status, bbox), event_id=event, report_id=report
    )
    with session_as(as_user) as (session, caller):
        rows, total = queries.list_incidents(session, caller=caller, filters=f, limit=limit, offset=offset)
        items = [IncidentRead.model_validate(r) for r in rows]
    if as_json:
        print_json(Page(items=items, total=total, limit=limit, offset=offset))
        return
    print_table(
        items,
        [
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
        ],
        title=f"{total} incident(s)",
    )


@app.command("export")
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
            _line(json.loads(json.dumps(row, default=str)))


@app.command()
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
    with session_as(as_user) as (session, caller):
        rows, total = queries.list_events(session, caller=caller, filters=f, limit=limit, offset=offset)
        items = [EventRead.model_validate(r) for r in rows]
    if as_json:
        print_json(Page(items=items, total=total, limit=limit, offset=offset))
        return
    print_table(
        items,
        [
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
        ],
        title=f"{total} event(s)",
    )


@app.command()
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
    if as_json:
        print_json(data)
        return
    out.print(
        f"[bold]incident {data['id']}[/bold] ({data['status']}) event {data['event_id']}: "
        f"{data['date']} {data['city'] or data['admin1'] or data['country']} {data['attack_type']} "
        f"killed={data['killed']} wounded={data['wounded']} perpetrator={data['perpetrator'] or '-'}",
        highlight=False,
    )
    out.print(f"report {rep.id}: {data['report']['title']} ({data['report']['published']})", highlight=False)
    for span in data["spans"]:
        out.print(f"  > {span['text']}", highlight=False, soft_wrap=True)


review_app = typer.Typer(help="The analyst's review: queue, confirm, reject, edit, merge, split.")
app.add_typer(review_app, name="review")


@review_app.callback(invoke_without_command=True)
@friendly
def review_queue(
    ctx: typer.Context,
    limit: int = LimitOpt,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Without a subcommand: the incidents awaiting a decision, main stories first."""
    if ctx.invoked_subcommand is not None:
        return
    with session_as(as_user) as (session, caller):
        rows, total = queries.review_queue(session, caller=caller, limit=limit, offset=0)
        items = [IncidentRead.model_validate(r) for r in rows]
    if as_json:
        print_json(Page(items=items, total=total, limit=limit, offset=0))
        return
    print_table(
        items,
        ["id", "event_id", "main_story", "required", "date", "city", "attack_type", "killed", "perpetrator"],
        title=f"{total} incident(s) to review",
    )


def _status(incident_id: int, status: str, reason: str, as_json: bool, as_user: str | None) -> None:
    with session_as(as_user) as (session, caller):
        row = review.set_status(
            session, caller=caller, incident_id=incident_id, status=status, reason=reason, now=utcnow()
        )
        item = IncidentRead.model_validate(row)
    if as_json:
        print_json(item)
    else:
        out.print(f"incident {item.id}: {item.status}", highlight=False)


@review_app.command("confirm")
@friendly
def review_confirm(
    incident_id: Annotated[int, typer.Argument(help="incident id")],
    reason: Annotated[str, typer.Option(help="why")] = "",
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Confirm an incident."""
    _status(incident_id, "confirmed", reason, as_json, as_user)


@review_app.command("reject")
@friendly
def review_reject(
    incident_id: Annotated[int, typer.Argument(help="incident id")],
    reason: Annotated[str, typer.Option(help="why")] = "",
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Reject an incident (it counts nowhere from now on)."""
    _status(incident_id, "rejected", reason, as_json, as_user)


def _assignments(pairs: list[str]) -> dict[str, Any]:
    values = parse_assignments(pairs)
    return {k: None if v in ("null", "") else v for k, v in values.items()}


@review_app.command("edit")
@friendly
def review_edit(
    incident_id: Annotated[int, typer.Argument(help="incident id")],
    pairs: Annotated[list[str], typer.Argument(help="field=value (null clears), e.g. killed=4 city=Dasu")],
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Correct an incident's values; the edits stay over later re-extractions."""
    edit = IncidentEdit.model_validate(_assignments(pairs))
    with session_as(as_user) as (session, caller):
        row = review.edit_incident(session, caller=caller, incident_id=incident_id, edit=edit, now=utcnow())
        item = IncidentRead.model_validate(row)
    if as_json:
        print_json(item)
    else:
        out.print(f"incident {item.id}: edited {', '.join(sorted(item.edits))}", highlight=False)


@review_app.command("edit-event")
@friendly
def review_edit_event(
    event_id: Annotated[int, typer.Argument(help="event id")],
    pairs: Annotated[list[str], typer.Argument(help="field=value, e.g. killed=12")],
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Override an event's chosen values."""
    edit = EventEdit.model_validate(_assignments(pairs))
    with session_as(as_user) as (session, caller):
        ev = review.edit_event(session, caller=caller, event_id=event_id, edit=edit, now=utcnow())
        item = EventRead.model_validate(ev)
    if as_json:
        print_json(item)
    else:
        out.print(f"event {item.id}: overrides {', '.join(sorted(item.overrides))}", highlight=False)


@review_app.command("merge")
@friendly
def review_merge(
    event_id: Annotated[int, typer.Argument(help="the event that stays")],
    other_event_id: Annotated[int, typer.Argument(help="the event folded into it")],
    reason: Annotated[str, typer.Option(help="why")] = "",
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Fold one event into another."""
    with session_as(as_user) as (session, caller):
        ev = review.merge_events(
            session,
            caller=caller,
            event_id=event_id,
            other_event_id=other_event_id,
            reason=reason,
            now=utcnow(),
        )
        item = EventRead.model_validate(ev)
    if as_json:
        print_json(item)
    else:
        out.print(
            f"event {other_event_id} merged into event {item.id} ({item.reports} report(s))", highlight=False
        )


@review_app.command("split")
@friendly
def review_split(
    incident_ids: Annotated[list[int], typer.Argument(help="incidents to take out of their event")],
    reason: Annotated[str, typer.Option(help="why")] = "",
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Take incidents out of their event into a new event."""
    with session_as(as_user) as (session, caller):
        ev = review.split_incidents(
            session, caller=caller, incident_ids=incident_ids, reason=reason, now=utcnow()
        )
        item = EventRead.model_validate(ev)
    if as_json:
        print_json(item)
    else:
        out.print(
            f"new event {item.id} with incident(s) {', '.join(map(str, incident_ids))}", highlight=False
        )


actors_app = typer.Typer(help="Armed groups and state agencies with their aliases.")
app.add_typer(actors_app, name="actors")


@actors_app.callback(invoke_without_command=True)
@friendly
def actors_list(ctx: typer.Context, as_json: bool = JsonOpt, as_user: str | None = AsOpt) -> None:
    """Without a subcommand: every actor."""
    if ctx.invoked_subcommand is not None:
        return
    with session_as(as_user) as (session, caller):
        items = [
            ActorRead.model_validate(a) for a in service.list_actors(session, caller=caller, now=utcnow())
        ]
    if as_json:
        print_json(items)
        return
    print_table(items, ["id", "name", "kind", "aliases"], title=f"{len(items)} actor(s)")


@actors_app.command("add")
@friendly
def actors_add(
    name: Annotated[str, typer.Argument(help="canonical name")],
    kind: Annotated[str, typer.Option(help="group or agency")] = "group",
    alias: Annotated[list[str] | None, typer.Option("--alias", help="another spelling (repeat)")] = None,
    notes: Annotated[str, typer.Option(help="notes")] = "",
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Add a group or agency; the next extraction finds it."""
    data = ActorCreate.model_validate({"name": name, "kind": kind, "aliases": alias or [], "notes": notes})
    with session_as(as_user) as (session, caller):
        item = ActorRead.model_validate(service.create_actor(session, caller=caller, data=data, now=utcnow()))
    if as_json:
        print_json(item)
    else:
        out.print(f"actor {item.id}: {item.name} ({item.kind})", highlight=False)


@actors_app.command("edit")
@friendly
def actors_edit(
    actor_id: Annotated[int, typer.Argument(help="actor id")],
    name: Annotated[str | None, typer.Option(help="new canonical name")] = None,
    kind: Annotated[str | None, typer.Option(help="group or agency")] = None,
    alias: Annotated[
        list[str] | None, typer.Option("--alias", help="the aliases, replacing the old ones")
    ] = None,
    notes: Annotated[str | None, typer.Option(help="notes")] = None,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Rename, re-kind or re-alias an actor."""
    given = {"name": name, "kind": kind, "aliases": alias, "notes": notes}
    data = ActorUpdate.model_validate({k: v for k, v in given.items() if v is not None})
    with session_as(as_user) as (session, caller):
        row = service.update_actor(session, caller=caller, actor_id=actor_id, data=data, now=utcnow())
        item = ActorRead.model_validate(row)
    if as_json:
        print_json(item)
    else:
        out.print(f"actor {item.id}: {item.name} ({item.kind}), aliases {', '.join(item.aliases) or '-'}")
