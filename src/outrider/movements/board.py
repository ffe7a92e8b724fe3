"""The movements board: the lines a caller may see, exact times only where they may read the itinerary.

The board is the control room's most frequent read (every few seconds, every screen), so it loads only
what its lines show and decide on: the movement columns below with the reader's need-to-know relations
to each as columns of the same statement (`itinerary_facts.reader_columns_for`: the policy decides every
line from them, as they stand at this read), the ids of their escorts, vehicles and persons in one more
(`board_names.links_of`), the names shown, and one audit record naming every itinerary shown. A route,
its alternates and the protected persons are never loaded. The API writes the lines' plain values as
JSON (`board_json`) without building a model of each: the same bytes as `Page[BoardItem]`'s, at a
fraction of the cost.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic_core import to_json
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.need_to_know import ItineraryDecision
from outrider.access.policy import Caller, MovementScope
from outrider.audit import gathered
from outrider.audit import service as audit_service
from outrider.movements import board_names, service, silent
from outrider.movements import schemas as s
from outrider.movements.itinerary_facts import ReaderDecisions, reader_columns_for, reader_params
from outrider.movements.lifecycle import Status
from outrider.movements.models import Movement
from outrider.movements.need_to_know import board_read_entry
from outrider.pages import Page

# What a board line shows of an itinerary (the board refuses nobody: the others get the day only).
BOARD_FIELDS = (
    "planned_departure",
    "planned_arrival",
    "escort_unit_ids",
    "last_checkin_at",
    "next_checkin_due",
    *board_names.FIELDS,
)

# The columns a line shows, and those the need-to-know decision and the next check-in due read.
_LINE_COLUMNS = (
    Movement.id,
    Movement.reference,
    Movement.organization_id,
    Movement.status,
    Movement.timezone,
    Movement.origin_label,
    Movement.destination_label,
    Movement.origin_site_id,
    Movement.destination_site_id,
    Movement.escalation_level,
    Movement.created_by,
    Movement.planned_departure,
    Movement.planned_arrival,
    Movement.departed_at,
    Movement.last_checkin_at,
    Movement.checkin_interval_min,
    Movement.overdue_since,
)


def board(
    session: Session,
    *,
    caller: Caller,
    now: datetime,
    filters: service.BoardFilter = service.EVERYTHING,
    limit: int = 50,
    offset: int = 0,
) -> Page[s.BoardItem]:
    """The board: exact-time filtering for itineraries the caller may see, whole days for the rest."""
    return Page[s.BoardItem].model_validate(
        lines(session, caller=caller, now=now, filters=filters, limit=limit, offset=offset)
    )


def board_json(
    session: Session,
    *,
    caller: Caller,
    now: datetime,
    filters: service.BoardFilter = service.EVERYTHING,
    limit: int = 50,
    offset: int = 0,
) -> bytes:
    """The board as the API's JSON (`Page[BoardItem]`'s very bytes), written from its plain values: the lines
    are built by this module alone, so the API need not validate a thousand values again (a test holds
    the bytes to the model's)."""
    page, record = _unrecorded(session, caller=caller, now=now, filters=filters, limit=limit, offset=offset)
    answer = to_json(page)  # written before the write turn is taken for the record
    _record(session, record)
    return answer


def lines(
    session: Session,
    *,
    caller: Caller,
    now: datetime,
    filters: service.BoardFilter = service.EVERYTHING,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """The board's page as plain values (`Page[BoardItem]`'s fields), its itinerary reads recorded."""
    page, record = _unrecorded(session, caller=caller, now=now, filters=filters, limit=limit, offset=offset)
    _record(session, record)
    return page


def _record(session: Session, record: audit_service.Prepared | None) -> None:
    """The one record naming every itinerary shown (who-knew finds it for each). Everything before was read
    and built without the write turn, the record made ready too; the turn is taken for this append alone
    (the API's: for the group of records its commit appends, `audit.gathered`)."""
    if record is not None:
        gathered.append(session, [record])


def _unrecorded(
    session: Session,
    *,
    caller: Caller,
    now: datetime,
    filters: service.BoardFilter,
    limit: int,
    offset: int,
) -> tuple[dict[str, Any], audit_service.Prepared | None]:
    """The board's page as plain values, and its audit record made ready (None: no itinerary shown)."""
    masked = silent.masked_for(session, caller)  # the incidents hidden from their signaller
    candidates = candidate_lines(session, caller=caller, filters=_reading(filters, masked), now=now)
    start, end = filters.start, filters.end
    release_hours = service.current_arrangement(session)[1].itinerary_release_hours if candidates else 0.0
    items: list[tuple[Row[Any], ItineraryDecision]] = []
    decide = ReaderDecisions(caller, now=now, release_hours=release_hours)
    for m in candidates:
        if filters.status is not None and masked.get(m.id, m.status) not in filters.status:
            continue
        decision = decide(m)
        if decision.allowed:
            if (start and m.planned_arrival < start) or (end and m.planned_departure > end):
                continue
        else:
            day, tz = service.local_day(m), ZoneInfo(m.timezone)
            if (start and day < start.astimezone(tz).date()) or (end and day > end.astimezone(tz).date()):
                continue
        items.append((m, decision))
    page = items[offset : offset + limit]
    links = board_names.links_of(session, [m.id for m, _ in page])  # persons counted, escorts listed
    names = board_names.names_of(session, caller, [m.id for m, d in page if d.allowed], links)
    shown = [(m, d) for m, d in page if d.allowed]
    record = audit_service.prepare(board_read_entry(caller, shown, BOARD_FIELDS), now) if shown else None
    values = {
        "items": [_line(m, d.allowed, links.ids[m.id], names, masked.get(m.id)) for m, d in page],
        "total": len(items),
        "limit": limit,
        "offset": offset,
    }
    return values, record


def _reading(filters: service.BoardFilter, masked: dict[int, Status]) -> service.BoardFilter:
    """The filter to read the lines with: asked for a status a hidden incident is shown with, the incidents
    are read too (then each line is kept by the status its reader sees)."""
    wanted = filters.status
    if wanted is None or Status.incident in wanted or not set(masked.values()) & set(wanted):
        return filters
    return replace(filters, status=[*wanted, Status.incident])


def _filter_key(filters: service.BoardFilter) -> tuple[Any, ...]:
    status = None if filters.status is None else tuple(filters.status)
    return (status, filters.start, filters.end, filters.organization_id, filters.site_id)


def candidate_lines(
    session: Session, *, caller: Caller, filters: service.BoardFilter, now: datetime
) -> list[Row[Any]]:
    """The lines the caller's scope and these filters select, each with the caller's need-to-know relations
    to it at ``now`` as columns of the same statement (`reader_facts` reads them; the policy decides)."""
    stmt = _line_statement(policy.movement_scope(caller), _filter_key(filters), bool(caller.country))
    return list(session.execute(stmt, reader_params(caller, when=now)))


@functools.lru_cache(maxsize=64)
def _line_statement(scope: MovementScope, filter_key: tuple[Any, ...], national: bool) -> Any:
    """The board's line query for readers of this scope and these filters, built once: the reader's own
    values (`reader_params`) are bound at each execution, the statement is not built again."""
    status, start, end, organization_id, site_id = filter_key
    filters = service.BoardFilter(status, start, end, organization_id, site_id)
    readers = reader_columns_for(national)
    return service.board_statement(scope, filters, (*_LINE_COLUMNS, *readers))


# What a line without the itinerary shows of it: nothing (the model's defaults, written out).
_WITHHELD = dict.fromkeys(BOARD_FIELDS)


def _line(
    m: Row[Any],
    itinerary: bool,
    links: dict[str, list[int]],
    names: dict[int, board_names.Named],
    seen: Status | None = None,
) -> dict[str, Any]:
    """One line's values (`service.board_item`'s, from the columns the board read), every field given;
    ``seen``: the status its reader sees of an incident hidden from them (`silent.masked_for`)."""
    line = service.board_summary(m, persons=len(links["protected_persons"]), itinerary=itinerary)
    if itinerary:
        line.update(service.line_times(m, list(links["escort_units"])), **names[m.id])
    else:
        line.update(_WITHHELD)
    if seen is not None:
        line["status"] = seen.value
        if itinerary:
            line["next_checkin_due"] = silent.due_seen(m, seen)
    return line


def timezones(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """The time zone of each of these movements (part of their summary: the web shows local times)."""
    if not ids:
        return {}
    rows = session.execute(select(Movement.id, Movement.timezone).where(Movement.id.in_(ids)))
    return {int(k): str(tz) for k, tz in rows}
