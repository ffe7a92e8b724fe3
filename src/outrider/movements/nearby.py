"""A read for the domains that watch movements (cordon, risk): the movements due near places between times.

It returns facts and decides nothing about who may see them: it takes no caller, and the services that
call it keep to themselves what their readers may not see (cordon alerts name references only, risk shows
drivers only to the need-to-know list). Persons, vehicles, escorts and notes are never read here.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Text, bindparam, cast, false, or_, select
from sqlalchemy.orm import Session

from outrider.movements.lifecycle import LIVE, Status
from outrider.movements.models import Movement
from outrider.movements.routes import length_m

# Fewer metres than any degree of latitude holds (110.57 km at the equator), and than a degree of longitude
# holds at the box's latitude farthest from the equator: the box around a circle never cuts it short.
_METRES_PER_DEGREE = 110_000.0


@dataclass(frozen=True, slots=True)
class Near:
    """A point (WGS 84) and a radius in metres: a movement leaving or arriving within it is near."""

    lat: float
    lon: float
    radius_m: float


@dataclass(frozen=True, slots=True)
class Due:
    """What cordon and risk need of one movement: where and when it is due, its plan and its routes (the
    route is shared with other reads of the same route: read it, never change it)."""

    id: int
    reference: str
    organization_id: int
    plan_version: int
    origin_site_id: int | None
    destination_site_id: int | None
    planned_departure: datetime
    planned_arrival: datetime
    route: dict[str, Any]
    alternates: tuple[dict[str, Any], ...] = ()


# `Due`'s fields in its order; the route as its stored JSON text, decoded once per text (`_route`).
_COLUMNS = (
    Movement.id,
    Movement.reference,
    Movement.organization_id,
    Movement.plan_version,
    Movement.origin_site_id,
    Movement.destination_site_id,
    Movement.planned_departure,
    Movement.planned_arrival,
    cast(Movement.route, Text).label("route"),
)
_ROUTE_AT = len(_COLUMNS) - 1

# Routes decoded, by their JSON text: every cordon batch reads the route of every movement due, and
# decoding them was a third of this read. The same text always decodes to the same value, so a route changed
# is simply another text; the values are shared by every caller, which only read them.
_ROUTES: dict[str, dict[str, Any]] = {}
_ROUTES_KEPT = 4096


def _route(text: str) -> dict[str, Any]:
    found = _ROUTES.get(text)
    if found is None:
        found = json.loads(text)
        if len(_ROUTES) >= _ROUTES_KEPT:
            _ROUTES.clear()
        _ROUTES[text] = found
    return found


def box(point: Near) -> tuple[tuple[float, float], list[tuple[float, float]]]:
    """A latitude range and longitude ranges (two across the antimeridian) holding the whole circle."""
    dlat = point.radius_m / _METRES_PER_DEGREE
    edge = abs(point.lat) + dlat  # where a degree of longitude is shortest; past a pole, every longitude
    dlon = 180.0 if edge >= 90.0 else min(180.0, dlat / math.cos(math.radians(edge)))
    return (point.lat - dlat, point.lat + dlat), _lon_ranges(point.lon, dlon)


def _near_clause(point: Near) -> ColumnElement[bool]:
    # A box around the point in the database; the exact distance is measured on the rows it lets through.
    (south, north), lon_ranges = box(point)
    clauses = []
    for lat, lon in (
        (Movement.origin_lat, Movement.origin_lon),
        (Movement.destination_lat, Movement.destination_lon),
    ):
        lons = or_(*(lon.between(west, east) for west, east in lon_ranges))
        clauses.append(lat.between(south, north) & lons)
    return or_(*clauses)


def _lon_ranges(lon: float, dlon: float) -> list[tuple[float, float]]:
    """The longitude ranges within ``dlon`` of ``lon``: two where they cross the antimeridian."""
    lo, hi = lon - dlon, lon + dlon
    ranges = [(max(lo, -180.0), min(hi, 180.0))]
    if lo < -180.0:
        ranges.append((lo + 360.0, 180.0))
    if hi > 180.0:
        ranges.append((-180.0, hi - 360.0))
    return ranges


def _within(point: Near, lat: float, lon: float) -> bool:
    return length_m([[point.lon, point.lat], [lon, lat]]) <= point.radius_m


def due_near(
    session: Session,
    *,
    sites: Collection[int] | None = None,
    points: Sequence[Near] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    statuses: Collection[Status] = LIVE,
    alternates: bool = False,
) -> list[Due]:
    """The movements in ``statuses`` leaving from or arriving at one of the places while the window is open.

    A place is a site (by id) or a point with a radius; with neither ``sites`` nor ``points`` every place
    counts. A movement is due in the window when its planned trip overlaps it (departure at or before
    ``end``, arrival at or after ``start``); an open end does not limit. Alternate routes only when asked
    (their JSON costs decoding that most callers do not need). Ordered by movement id.
    """
    window = (start is not None, end is not None)
    stmt = _due_statement(tuple(sorted(s.value for s in statuses)), alternates, window)
    points = list(points or ())
    if sites is not None or points:
        place: list[ColumnElement[bool]] = [_near_clause(p) for p in points]
        if sites:
            ids = sorted(set(sites))
            place.append(Movement.origin_site_id.in_(ids) | Movement.destination_site_id.in_(ids))
        stmt = stmt.where(or_(*place) if place else false())
    if points:
        stmt = stmt.add_columns(
            Movement.origin_lat, Movement.origin_lon, Movement.destination_lat, Movement.destination_lon
        )
    rows = session.execute(stmt, {"start": start, "end": end})
    found: list[Due] = []
    for row in rows:
        if points and not _at_a_place(row, set(sites or ()), points):
            continue
        facts = list(row[: len(_COLUMNS)])
        facts[_ROUTE_AT] = _route(facts[_ROUTE_AT])
        facts.append(tuple(row.alternates or ()) if alternates else ())
        found.append(Due(*facts))
    return found


@functools.lru_cache(maxsize=32)
def _due_statement(statuses: tuple[str, ...], alternates: bool, window: tuple[bool, bool]) -> Any:
    """`due_near`'s statement without its places, built once: the window's ends are bound as ``start`` and
    ``end`` (every cordon batch reads the movements due; building the statement cost more than its rows)."""
    columns = (*_COLUMNS, Movement.alternates) if alternates else _COLUMNS
    stmt = select(*columns).where(Movement.status.in_(statuses)).order_by(Movement.id)
    if window[0]:
        stmt = stmt.where(Movement.planned_arrival >= bindparam("start", type_=Movement.planned_arrival.type))
    if window[1]:
        stmt = stmt.where(
            Movement.planned_departure <= bindparam("end", type_=Movement.planned_departure.type)
        )
    return stmt


def _at_a_place(row: Any, sites: set[int], points: Sequence[Near]) -> bool:
    if row.origin_site_id in sites or row.destination_site_id in sites:
        return True
    ends = ((row.origin_lat, row.origin_lon), (row.destination_lat, row.destination_lon))
    return any(_within(p, lat, lon) for p in points for lat, lon in ends)


def reference_of(session: Session, movement_id: int) -> str | None:
    """A movement's reference by id, or None when there is none (a stale id in a detector's state)."""
    return session.scalar(select(Movement.reference).where(Movement.id == movement_id))
