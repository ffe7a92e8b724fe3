"""The need-to-know facts of many movements at once: a handful of queries for a whole board, not per row;
or, for one reader, as columns of the board's own query (`reader_columns_for`, `reader_facts`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Row, bindparam, exists, false, or_, select
from sqlalchemy.orm import Session

from outrider.access.need_to_know import (
    ItineraryDecision,
    ItineraryFacts,
    Relationship,
    access_of,
    relationships,
)
from outrider.access.policy import Caller
from outrider.db import UTCDateTime
from outrider.movements import service
from outrider.movements.models import (
    Movement,
    MovementApproval,
    MovementGrant,
    movement_escorts,
    movement_persons,
)
from outrider.registry.members import members_of_units
from outrider.registry.models import EscortUnit, ProtectedPerson, UnitMember

_CHUNK = 900  # ids per IN clause: under every driver's parameter limit
# One expanding parameter per IN list: the statements are built once and cached whole, where a list of
# literal ids was coerced element by element and compiled again on every board.
_IDS: BindParameter[Any] = bindparam("ids", expanding=True)
_WHEN: BindParameter[Any] = bindparam("when", type_=UTCDateTime())
_ESCORTS = select(movement_escorts.c.movement_id, movement_escorts.c.escort_unit_id).where(
    movement_escorts.c.movement_id.in_(_IDS)
)
_NATIONALITIES = (
    select(movement_persons.c.movement_id, ProtectedPerson.nationality)
    .join(ProtectedPerson, ProtectedPerson.id == movement_persons.c.person_id)
    .where(movement_persons.c.movement_id.in_(_IDS))
)
_GRANTS = select(MovementGrant.movement_id, MovementGrant.user_id).where(
    MovementGrant.movement_id.in_(_IDS),
    MovementGrant.granted_at <= _WHEN,
    MovementGrant.expires_at > _WHEN,
    (MovementGrant.revoked_at.is_(None)) | (MovementGrant.revoked_at > _WHEN),
)
_APPROVERS = select(MovementApproval.movement_id, MovementApproval.user_id).where(
    MovementApproval.movement_id.in_(_IDS)
)
_BASED = select(EscortUnit.base_site_id, EscortUnit.id).where(EscortUnit.base_site_id.in_(_IDS))


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for k in range(0, len(ids), _CHUNK):
        yield list(ids[k : k + _CHUNK])


def _pairs(session: Session, stmt: Any, ids: Sequence[int], **params: Any) -> dict[int, set[Any]]:
    """Rows (key, value) of ``stmt`` for ``ids`` (bound in chunks to its ``ids`` list), grouped by key.

    Run on the session's connection: plain rows of columns need none of the ORM's loading (half the cost
    of these statements), and `facts_many` has flushed what the session holds first, as the ORM would."""
    out: dict[int, set[Any]] = defaultdict(set)
    connection = session.connection()
    for chunk in _chunks(ids):
        for key, value in connection.execute(stmt, {"ids": chunk, **params}).all():
            out[key].add(value)
    return out


def facts_many(
    session: Session, movements: Sequence[service.Line], *, when: datetime
) -> dict[int, ItineraryFacts]:
    """The need-to-know facts of many movements in a handful of queries (the board's rows).

    Grants are those valid at ``when``; units, their members, approvals and the arrangement as they stand now.
    """
    if not movements:
        return {}
    _, arrangement = service.current_arrangement(session)  # (a query through the ORM: it flushes first)
    ids = sorted({m.id for m in movements})
    escorts = _pairs(session, _ESCORTS, ids)
    nationalities = _pairs(session, _NATIONALITIES, ids)
    grants = _pairs(session, _GRANTS, ids, when=when)
    approvers = _pairs(session, _APPROVERS, ids)
    sites = sorted({x for m in movements for x in (m.origin_site_id, m.destination_site_id) if x is not None})
    based = _pairs(session, _BASED, sites)
    units = {u for us in escorts.values() for u in us} | {u for us in based.values() for u in us}
    members = members_of_units(session, units)

    def people(unit_ids: set[int]) -> frozenset[int]:
        return frozenset(uid for u in unit_ids for uid in members.get(u, ()))

    out: dict[int, ItineraryFacts] = {}
    for m in movements:
        ends = {x for x in (m.origin_site_id, m.destination_site_id) if x is not None}
        out[m.id] = ItineraryFacts(
            requesting_org_id=m.organization_id,
            nationalities=frozenset(nationalities.get(m.id, ())),
            escort_member_ids=people(escorts.get(m.id, set())),
            area_member_ids=people({u for site in ends for u in based.get(site, ())}),
            departure=m.planned_departure,
            release_hours=arrangement.itinerary_release_hours,
            granted_user_ids=frozenset(grants.get(m.id, ())),
            planner_user_ids=frozenset({m.created_by}),
            approver_user_ids=frozenset(approvers.get(m.id, ())),
        )
    return out


# --- one reader's facts, as columns of the query that lists the movements ----------------------------
# The policy asks of a movement's facts only whether the reader is among its escort units' members, its
# area units' members, its approvers and its grantees, and whether the reader's country is among its
# travellers' nationalities (`need_to_know.relationships`). For one reader those are five yes/no columns
# of the board's own query (correlated EXISTS on each line's movement): the lines and every decision's
# facts come in one statement, read as they stand now (grants as valid at ``when``), never cached.
READER_COLUMNS = ("nk_escort", "nk_area", "nk_approver", "nk_grant", "nk_national")


_NK_USER: BindParameter[Any] = bindparam("nk_user")
_NK_WHEN: BindParameter[Any] = bindparam("nk_when", type_=UTCDateTime())
_NK_COUNTRY: BindParameter[Any] = bindparam("nk_country")


def _relation_columns(user: Any, when: Any, country: Any) -> tuple[ColumnElement[bool], ...]:
    """The five columns for this reader, moment and country (values, or bound parameters); no country:
    the reader is nobody's compatriot."""
    member = UnitMember.user_id == user
    escort = exists().where(
        movement_escorts.c.movement_id == Movement.id,
        UnitMember.unit_id == movement_escorts.c.escort_unit_id,
        member,
    )
    area = exists().where(
        UnitMember.unit_id == EscortUnit.id,
        member,
        or_(
            EscortUnit.base_site_id == Movement.origin_site_id,
            EscortUnit.base_site_id == Movement.destination_site_id,
        ),
    )
    approver = exists().where(MovementApproval.movement_id == Movement.id, MovementApproval.user_id == user)
    grant = exists().where(
        MovementGrant.movement_id == Movement.id,
        MovementGrant.user_id == user,
        MovementGrant.granted_at <= when,
        MovementGrant.expires_at > when,
        (MovementGrant.revoked_at.is_(None)) | (MovementGrant.revoked_at > when),
    )
    of_country: ColumnElement[bool] = false()
    if country is not None:
        of_country = exists().where(
            movement_persons.c.movement_id == Movement.id,
            ProtectedPerson.id == movement_persons.c.person_id,
            ProtectedPerson.nationality == country,
        )
    columns = (escort, area, approver, grant, of_country)
    return tuple(c.label(name) for c, name in zip(columns, READER_COLUMNS, strict=True))


# Built once (a reader with a country, a reader without); the reader's values are bound at each execution.
_READER_COLUMNS = {
    False: _relation_columns(_NK_USER, _NK_WHEN, None),
    True: _relation_columns(_NK_USER, _NK_WHEN, _NK_COUNTRY),
}


def reader_columns_for(national: bool) -> tuple[ColumnElement[bool], ...]:
    """The reader's relations as columns whose values (the reader, its country, the moment grants are
    valid at) are bound parameters, given by `reader_params` at each execution: for a reader with a
    country (``national``) or without one, built once, so a statement of them is built and compiled once."""
    return _READER_COLUMNS[national]


def reader_params(caller: Caller, *, when: datetime) -> dict[str, Any]:
    """The values of `reader_columns_for`'s parameters for this reader at ``when``."""
    return {"nk_user": caller.user_id, "nk_when": when, "nk_country": caller.country}


def reader_facts(caller: Caller, line: Row[Any], *, release_hours: float) -> ItineraryFacts:
    """A movement's facts as they concern this reader, from a line with `reader_columns_for`: each set holds
    the reader (its id, its country) where the reader belongs to it, which is all the policy asks of it."""
    mine = frozenset({caller.user_id})
    none: frozenset[int] = frozenset()
    return ItineraryFacts(
        requesting_org_id=line.organization_id,
        nationalities=frozenset({caller.country}) if line.nk_national else frozenset(),
        escort_member_ids=mine if line.nk_escort else none,
        area_member_ids=mine if line.nk_area else none,
        departure=line.planned_departure,
        release_hours=release_hours,
        granted_user_ids=mine if line.nk_grant else none,
        planner_user_ids=frozenset({line.created_by}),
        approver_user_ids=mine if line.nk_approver else none,
    )


class ReaderDecisions:
    """One reader's need-to-know decisions at one moment on lines of `reader_columns_for`, for one read: the
    policy finds the reader's relationships once per distinct facts of a line (its organisation, its
    author, the five relations), which a page repeats, and decides each line with its own release time.
    A memo of one read, never kept beyond it: every decision comes from columns read by that read."""

    __slots__ = ("_caller", "_found", "_hours", "_now", "_release_hours")

    def __init__(self, caller: Caller, *, now: datetime, release_hours: float) -> None:
        self._caller, self._now, self._release_hours = caller, now, release_hours
        self._hours = timedelta(hours=release_hours)
        self._found: dict[tuple[Any, ...], frozenset[Relationship]] = {}

    def __call__(self, line: Row[Any]) -> ItineraryDecision:
        key = (
            line.organization_id,
            line.created_by,
            line.nk_escort,
            line.nk_area,
            line.nk_approver,
            line.nk_grant,
            line.nk_national,
        )
        rel = self._found.get(key)
        if rel is None:
            facts = reader_facts(self._caller, line, release_hours=self._release_hours)
            rel = self._found[key] = relationships(self._caller, facts)
        return access_of(rel, release_at=line.planned_departure - self._hours, now=self._now)


def reader_decisions(
    session: Session, caller: Caller, movement_ids: Sequence[int], *, now: datetime
) -> dict[int, tuple[ItineraryDecision, str]]:
    """The need-to-know decision on each of these movements for this reader now, with the movement's time
    zone: one statement of the columns they need (no movement loaded), the policy deciding each."""
    ids = sorted(set(movement_ids))
    if not ids:
        return {}
    columns = (
        Movement.id,
        Movement.organization_id,
        Movement.created_by,
        Movement.planned_departure,
        Movement.timezone,
        *reader_columns_for(bool(caller.country)),
    )
    _, arrangement = service.current_arrangement(session)
    out: dict[int, tuple[ItineraryDecision, str]] = {}
    params = reader_params(caller, when=now)
    decide = ReaderDecisions(caller, now=now, release_hours=arrangement.itinerary_release_hours)
    for chunk in _chunks(ids):
        stmt = select(*columns).where(Movement.id.in_(chunk))
        lines: list[Row[Any]] = list(session.execute(stmt, params))
        for line in lines:
            out[line.id] = (decide(line), line.timezone)
    return out
