"""Route history: the predictability facts of a movement, read from past movements of the same pair."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from outrider.movements import schemas as s
from outrider.movements.history import PastTrip, predictability
from outrider.movements.lifecycle import Status
from outrider.movements.models import Movement
from outrider.movements.routes import SAME_ROUTE_THRESHOLD
from outrider.shapes import read_of

_COUNTED = [
    Status.submitted,
    Status.approved,
    Status.under_way,
    Status.arrived,
    Status.overdue,
    Status.incident,
]
_PAIR_TOLERANCE_DEG = 0.005  # about 500 m: points this close count as the same origin or destination


def _same_end(
    site_col: InstrumentedAttribute[int | None],
    lat_col: InstrumentedAttribute[float],
    lon_col: InstrumentedAttribute[float],
    site_id: int | None,
    lat: float,
    lon: float,
) -> ColumnElement[bool]:
    if site_id is not None:
        return site_col == site_id
    return and_(
        lat_col.between(lat - _PAIR_TOLERANCE_DEG, lat + _PAIR_TOLERANCE_DEG),
        lon_col.between(lon - _PAIR_TOLERANCE_DEG, lon + _PAIR_TOLERANCE_DEG),
    )


def predictability_of(session: Session, movement: Movement, *, window_days: int = 7) -> s.PredictabilityRead:
    """Same origin–destination trips in the window before this movement's departure, compared."""
    start = movement.planned_departure - timedelta(days=window_days)
    stmt = select(Movement).where(
        Movement.id != movement.id,
        Movement.status.in_([x.value for x in _COUNTED]),
        Movement.planned_departure >= start,
        Movement.planned_departure < movement.planned_departure,
        _same_end(
            Movement.origin_site_id,
            Movement.origin_lat,
            Movement.origin_lon,
            movement.origin_site_id,
            movement.origin_lat,
            movement.origin_lon,
        ),
        _same_end(
            Movement.destination_site_id,
            Movement.destination_lat,
            Movement.destination_lon,
            movement.destination_site_id,
            movement.destination_lat,
            movement.destination_lon,
        ),
    )
    past = [
        PastTrip(m.id, m.departed_at or m.planned_departure, m.route["coordinates"])
        for m in session.scalars(stmt)
    ]
    p = predictability(
        route=movement.route["coordinates"],
        departure=movement.planned_departure,
        timezone=movement.timezone,
        past=past,
        window_days=window_days,
    )
    return read_of(
        s.PredictabilityRead,
        p,
        similar_movement_ids=list(p.similar_movement_ids),
        similarity_threshold=SAME_ROUTE_THRESHOLD,
    )
