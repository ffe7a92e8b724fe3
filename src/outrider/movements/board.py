"""The movements board: the lines a caller may see, exact times only where they may read the itinerary.

The board is the control room's most frequent read (every few seconds, every screen), so it loads only
what its lines show and decide on: the movement columns below, a count of persons and the escort ids,
a handful of queries for the whole board (`itinerary_facts.facts_many`) and one audit record naming
every itinerary shown. A route, its alternates and the protected persons are never loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, Row, bindparam, func, select
from sqlalchemy.orm import Session

from outrider import db
from outrider.access import policy
from outrider.access.policy import Caller, ItineraryDecision
from outrider.audit import service as audit_service
from outrider.movements import board_names, service
from outrider.movements import schemas as s
from outrider.movements.itinerary_facts import facts_many
from outrider.movements.models import Movement, movement_escorts, movement_persons
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
    candidates = service.board_rows(session, caller=caller, filters=filters, columns=_LINE_COLUMNS)
    start, end = filters.start, filters.end
    all_facts = facts_many(session, candidates, when=now)  # a few queries for the whole board, not per row
    items: list[tuple[Row[Any], ItineraryDecision]] = []
    for m in candidates:
        decision = policy.itinerary_access(caller, all_facts[m.id], now=now)
        if decision.allowed:
            if (start and m.planned_arrival < start) or (end and m.planned_departure > end):
                continue
        else:
            day, tz = service.local_day(m), ZoneInfo(m.timezone)
            if (start and day < start.astimezone(tz).date()) or (end and day > end.astimezone(tz).date()):
                continue
        items.append((m, decision))
    page = items[offset : offset + limit]
    persons, escorts = _counts(session, [m.id for m, _ in page])
    names = board_names.names_of(session, caller, [m.id for m, d in page if d.allowed])
    # The lines as plain values, validated as one page in one call (a line, its times and its named
    # records built one model at a time cost a thousand validations and two copies per line).
    lines = Page[s.BoardItem].model_validate(
        {
            "items": [_line(m, d.allowed, persons, escorts, names) for m, d in page],
            "total": len(items),
            "limit": limit,
            "offset": offset,
        }
    )
    shown = [(m, d) for m, d in page if d.allowed]
    if shown:
        # One record naming every itinerary shown (who-knew finds it for each). Everything above was read
        # without the write turn; it is taken for this append alone, which reads the chain's head itself.
        db.write_turn(session)
        audit_service.append(session, board_read_entry(caller, shown, BOARD_FIELDS), now=now)
    return lines


def _line(
    m: Row[Any],
    itinerary: bool,
    persons: dict[int, int],
    escorts: dict[int, list[int]],
    names: dict[int, board_names.Named],
) -> dict[str, Any]:
    """One line's values (`service.board_item`'s, from the columns the board read)."""
    line = service.board_summary(m, persons=persons.get(m.id, 0), itinerary=itinerary)
    if itinerary:
        line.update(service.line_times(m, escorts.get(m.id, [])), **names.get(m.id, {}))
    return line


_IDS: BindParameter[Any] = bindparam("ids", expanding=True)  # one list parameter: statements built once
_PERSONS = (
    select(movement_persons.c.movement_id, func.count())
    .where(movement_persons.c.movement_id.in_(_IDS))
    .group_by(movement_persons.c.movement_id)
)
_ESCORTS = (
    select(movement_escorts.c.movement_id, movement_escorts.c.escort_unit_id)
    .where(movement_escorts.c.movement_id.in_(_IDS))
    .order_by(movement_escorts.c.escort_unit_id)
)


def _counts(session: Session, ids: Sequence[int]) -> tuple[dict[int, int], dict[int, list[int]]]:
    """Persons per movement and the escort units of each, for the lines of one page."""
    if not ids:
        return {}, {}
    bound = {"ids": list(ids)}  # a page holds at most 500 lines: under every driver's parameter limit
    connection = session.connection()  # plain rows (the need-to-know facts before these flushed the session)
    persons = {int(k): int(n) for k, n in connection.execute(_PERSONS, bound).all()}
    escorts: dict[int, list[int]] = {}
    for k, unit in connection.execute(_ESCORTS, bound).all():
        escorts.setdefault(int(k), []).append(int(unit))
    return persons, escorts


def timezones(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """The time zone of each of these movements (part of their summary: the web shows local times)."""
    if not ids:
        return {}
    rows = session.execute(select(Movement.id, Movement.timezone).where(Movement.id.in_(ids)))
    return {int(k): str(tz) for k, tz in rows}
