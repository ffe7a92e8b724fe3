"""Need-to-know for itineraries: who may read a route and its times, grants, audited reads, who knew."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.need_to_know import (
    ItineraryDecision,
    ItineraryFacts,
    Relationship,
    itinerary_access,
    may_see_need_to_know,
    relationships,
)
from outrider.access.policy import Caller
from outrider.accounts.models import User
from outrider.audit import lookup as audit_lookup
from outrider.audit import service as audit_service
from outrider.audit.models import AuditRecord
from outrider.errors import AfterRollback, Forbidden, NotFound
from outrider.movements import schemas as s
from outrider.movements import service, silent
from outrider.movements.itinerary_facts import facts_many, reader_decisions
from outrider.movements.models import Movement, MovementGrant
from outrider.movements.need_to_know_schemas import GrantRead, Member, NeedToKnowRead, Reader, WhoKnew

READ_ITINERARY = "movement.read_itinerary"
REFUSED_ITINERARY = "movement.itinerary_refused"


def facts(session: Session, movement: Movement, *, when: datetime) -> ItineraryFacts:
    """The facts the need-to-know decision reads, as they stand at ``when`` (grants) and now (the rest)."""
    return facts_many(session, [movement], when=when)[movement.id]


def decide(session: Session, caller: Caller, movement: Movement, *, now: datetime) -> ItineraryDecision:
    """May the caller read this movement's itinerary now."""
    return itinerary_access(caller, facts(session, movement, when=now), now=now)


def read_entry(
    caller: Caller,
    movement: Movement,
    decision: ItineraryDecision,
    fields: Sequence[str] = service.ITINERARY_FIELDS,
    via: str = "",
) -> audit_service.Entry:
    """The audit record of an itinerary read (the board appends one per line it shows in full)."""
    details: dict[str, Any] = {
        "reference": movement.reference,
        "relationships": sorted(decision.relationships),
    }
    if via:
        details["via"] = via
    return audit_service.Entry(
        actor=service.actor_of(caller),
        action=READ_ITINERARY,
        object_type="movement",
        object_id=movement.id,
        fields=fields,
        details=details,
    )


def list_read_entry(
    caller: Caller,
    shown: Sequence[tuple[int, str | None, ItineraryDecision]],
    fields: Sequence[str],
    *,
    via: str,
    object_type: str,
) -> audit_service.Entry:
    """The one audit record of a list's read (the board, an alert list): every movement whose itinerary
    facts it showed (id, reference, decision), each with the caller's relationships to it; the record names
    them all (who-knew finds it for each)."""
    return audit_service.Entry(
        actor=service.actor_of(caller),
        action=READ_ITINERARY,
        object_type=object_type,
        object_id="movements",
        fields=fields,
        details={
            "via": via,
            "movements": {
                str(mid): {"reference": ref, "relationships": sorted(d.relationships)}
                for mid, ref, d in shown
            },
        },
        names=[("movement", mid) for mid, _, _ in shown],
    )


def readable_now(
    session: Session, reader: Caller, shown: Mapping[int, str | None], now: datetime
) -> list[tuple[int, str | None, ItineraryDecision]]:
    """The movements of ``shown`` (id: reference) whose itinerary ``reader`` may read now, in id order, each
    with its decision: the rows of a list read's record (`list_read_entry`)."""
    decided = reader_decisions(session, reader, list(shown), now=now)
    return [
        (mid, shown[mid], decided[mid][0])
        for mid in sorted(shown)
        if mid in decided and decided[mid][0].allowed
    ]


def delivered_read_entry(
    session: Session,
    reader: Caller,
    shown: Mapping[int, str | None],
    fields: Sequence[str],
    details: dict[str, Any],
    now: datetime,
) -> audit_service.Entry | None:
    """The record of a message that carried these movements' itinerary facts to ``reader`` (its recipient,
    on the channel it was sent by): a list read (`via: notify`) of those the reader may read now, about the
    notification ``details`` name, with them; None when it may read none of them."""
    rows = readable_now(session, reader, shown, now)
    if not rows:
        return None
    entry = list_read_entry(reader, rows, fields, via="notify", object_type="notification")
    said = {**(entry.details or {}), **details}
    return replace(entry, object_id=str(details.get("notification_id", "")), details=said)


def board_read_entry(
    caller: Caller, shown: Sequence[tuple[service.Line, ItineraryDecision]], fields: Sequence[str]
) -> audit_service.Entry:
    """The one audit record of a board read (`list_read_entry` of its lines shown with their times)."""
    rows = [(m.id, m.reference, d) for m, d in shown]
    return list_read_entry(caller, rows, fields, via="board", object_type="board")


def relationships_in(rec: AuditRecord, movement_id: int) -> list[str]:
    """The reader's relationships to this movement as a record of an itinerary read states them (a board
    read states them per movement shown)."""
    details = rec.details or {}
    per_movement = details.get("movements", {}).get(str(movement_id))
    return list((per_movement if per_movement is not None else details).get("relationships", []))


def _audit_read(
    session: Session,
    caller: Caller,
    movement: Movement,
    decision: ItineraryDecision,
    now: datetime,
    fields: Sequence[str] = service.ITINERARY_FIELDS,
    via: str = "",
) -> None:
    audit_service.record_many(session, [read_entry(caller, movement, decision, fields, via)], now=now)


def record_refusal(
    session: Session, caller: Caller, movement: Movement, decision: ItineraryDecision, now: datetime, via: str
) -> None:
    """Put a refused attempt to read the itinerary in the audit chain (who-knew lists them apart)."""
    audit_service.record(
        session,
        actor=service.actor_of(caller),
        action=REFUSED_ITINERARY,
        object_type="movement",
        object_id=movement.id,
        fields=service.ITINERARY_FIELDS,
        details={
            "reference": movement.reference,
            "relationships": sorted(decision.relationships),
            "reason": decision.reason,
            "via": via,
        },
        now=now,
    )


def record_decision(
    session: Session, caller: Caller, movement: Movement, decision: ItineraryDecision, now: datetime, via: str
) -> None:
    """Record an itinerary read when the decision allowed it, a refusal when it did not."""
    if decision.allowed:
        _audit_read(session, caller, movement, decision, now, via=via)
    else:
        record_refusal(session, caller, movement, decision, now, via)


def _refusal_after_rollback(
    caller: Caller, movement: Movement, decision: ItineraryDecision, now: datetime, via: str
) -> AfterRollback:
    movement_id = movement.id

    def record(session: Session) -> None:
        kept = session.get(Movement, movement_id)
        if kept is not None:
            record_refusal(session, caller, kept, decision, now, via)

    return record


def decisions(
    session: Session, caller: Caller, movements: Sequence[Movement], *, now: datetime
) -> dict[int, ItineraryDecision]:
    """The decisions for many movements at once (a list or a map: nothing recorded here)."""
    found = facts_many(session, movements, when=now)
    return {m.id: itinerary_access(caller, found[m.id], now=now) for m in movements}


def listed_view(
    session: Session,
    *,
    caller: Caller,
    movement: Movement,
    decision: ItineraryDecision,
    now: datetime,
    via: str,
) -> s.MovementRead:
    """A movement of a list as the decision shows it; a shown itinerary is recorded as read. A list is
    no attempt to read what it does not show, so nothing is recorded for the summaries."""
    if decision.allowed:
        _audit_read(session, caller, movement, decision, now, via=via)
    note = decision.reason if not decision.allowed else ""
    read = service.to_read(session, movement, itinerary=decision.allowed, note=note)
    return silent.view_seen(session, caller, movement, read)


def view(session: Session, *, caller: Caller, movement_id: int, now: datetime) -> s.MovementRead:
    """A movement as this caller may see it; a read of the itinerary, or its refusal, is audited."""
    movement = service.get_movement(session, caller=caller, movement_id=movement_id)
    return view_of(session, caller=caller, movement=movement, now=now)


def view_of(
    session: Session, *, caller: Caller, movement: Movement, now: datetime, via: str = "movement"
) -> s.MovementRead:
    """The same for a movement already loaded (after a write)."""
    decision = decide(session, caller, movement, now=now)
    record_decision(session, caller, movement, decision, now, via)
    note = decision.reason if not decision.allowed else ""
    read = service.to_read(session, movement, itinerary=decision.allowed, note=note)
    return silent.view_seen(session, caller, movement, read)


def require_itinerary(
    session: Session, *, caller: Caller, movement_id: int, now: datetime, via: str = "itinerary"
) -> Movement:
    """The movement, when the caller may read its itinerary now (recorded); Forbidden otherwise, and the
    refusal is recorded once the refused transaction has rolled back."""
    movement = service.get_movement(session, caller=caller, movement_id=movement_id)
    decision = decide(session, caller, movement, now=now)
    if not decision.allowed:
        raise Forbidden(
            f"the itinerary of {movement.reference} is need-to-know: {decision.reason}",
            after_rollback=_refusal_after_rollback(caller, movement, decision, now, via),
        )
    _audit_read(session, caller, movement, decision, now, via=via)
    return movement


# --- the list, who knew ------------------------------------------------------------------------------


def _caller_of(user: User) -> Caller:
    org = user.organization
    return Caller(user.id, user.organization_id, org.kind, org.country, frozenset(user.roles))


def _members(session: Session, movement: Movement, when: datetime) -> list[Member]:
    f = facts(session, movement, when=when)
    members = []
    for user in session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.id)):
        c = _caller_of(user)
        rel = relationships(c, f)
        if not rel:
            continue
        d = itinerary_access(c, f, now=when)
        members.append(
            Member(
                user_id=user.id,
                username=user.username,
                organization_id=user.organization_id,
                relationships=sorted(rel),
                may_read_now=d.allowed,
                reason=d.reason,
            )
        )
    return members


def first_release(session: Session, movement_id: int) -> datetime | None:
    """The first time the itinerary was read by anyone outside its planners (a fact for the protocols)."""
    for rec in audit_lookup.records_about(
        session, object_type="movement", object_id=movement_id, actions=[READ_ITINERARY]
    ):
        if Relationship.planner not in relationships_in(rec, movement_id):
            return rec.at
    return None


def need_to_know(session: Session, *, caller: Caller, movement_id: int, now: datetime) -> NeedToKnowRead:
    """The computed members and explicit grants (planners and auditors)."""
    movement = service.get_movement(session, caller=caller, movement_id=movement_id)
    if not may_see_need_to_know(caller, requesting_org_id=movement.organization_id):
        raise Forbidden("the need-to-know list is for the movement's planners and for auditors")
    grants = session.scalars(
        select(MovementGrant).where(MovementGrant.movement_id == movement.id).order_by(MovementGrant.id)
    )
    f = facts(session, movement, when=now)
    return NeedToKnowRead(
        movement_id=movement.id,
        release_at=f.departure - timedelta(hours=f.release_hours),
        members=_members(session, movement, now),
        grants=[GrantRead.model_validate(g) for g in grants],
        first_release_at=first_release(session, movement.id),
    )


def _readers(session: Session, movement_id: int, action: str, cutoff: datetime) -> list[Reader]:
    """The principals with records of ``action`` about the movement before ``cutoff``, first first."""
    by_user: dict[int | None, list[AuditRecord]] = defaultdict(list)
    for rec in audit_lookup.records_about(
        session, object_type="movement", object_id=movement_id, actions=[action], before=cutoff
    ):
        by_user[rec.user_id].append(rec)
    wanted = [k for k in by_user if k]
    names = (
        {u.id: u.username for u in session.scalars(select(User).where(User.id.in_(wanted)))} if wanted else {}
    )
    return [
        Reader(
            user_id=uid,
            username=names.get(uid) if uid else None,
            reads=len(recs),
            first_at=recs[0].at,
            last_at=recs[-1].at,
            channels=sorted({r.channel for r in recs}),
            fields=sorted({f for r in recs for f in r.fields or []}),
        )
        for uid, recs in sorted(by_user.items(), key=lambda kv: kv[1][0].at)
    ]


def who_knew(
    session: Session, *, caller: Caller, movement_id: int, before: datetime | None, now: datetime
) -> WhoKnew:
    """Every principal who read the itinerary before ``before`` (default now), and who could have."""
    if not policy.may_audit(caller):
        raise Forbidden("who-knew reports are for auditors")
    movement = session.get(Movement, movement_id)
    if movement is None:
        raise NotFound(f"movement {movement_id} not found")
    cutoff = before or now
    readers = _readers(session, movement.id, READ_ITINERARY, cutoff)
    refused = _readers(session, movement.id, REFUSED_ITINERARY, cutoff)
    first = first_release(session, movement.id)
    audit_service.record(
        session,
        actor=service.actor_of(caller),
        action="movement.who_knew",
        object_type="movement",
        object_id=movement.id,
        details={"before": cutoff.isoformat()},
        now=now,
    )
    return WhoKnew(
        movement_id=movement.id,
        reference=movement.reference,
        before=cutoff,
        readers=readers,
        refused=refused,
        could_have=[m for m in _members(session, movement, cutoff) if m.may_read_now],
        first_release_at=first if first is not None and first < cutoff else None,
    )


def principals(rows: Sequence[User]) -> list[Caller]:
    """Callers for a list of users (the authorisation matrix test uses it)."""
    return [_caller_of(u) for u in rows]
