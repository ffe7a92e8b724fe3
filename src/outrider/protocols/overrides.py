"""Overrides: the host's duty officer lets one movement through one failed blocking rule, alone, with a
reason, where the agreed document says the rule may be overridden that way (``override:
host_duty_officer``).

A waiver takes both parties because it changes what was agreed; an override is the decision the protocol
itself leaves to the host at the moment of departure (an alert the duty officer has looked at and judged).
It covers the alerts open when it was recorded: an alert raised afterwards is not covered, and the rule
blocks again until someone looks at it. Overrides are audited, appear on the movement's timeline and in
its evaluations and the compliance report, for both parties.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.accounts.models import Organization, User
from outrider.audit import service as audit_service
from outrider.errors import Conflict, Forbidden, InvalidInput
from outrider.movements import service as movements_service
from outrider.movements.lifecycle import ON_THE_ROAD, TERMINAL
from outrider.movements.models import Movement
from outrider.protocols import schemas as s
from outrider.protocols import service
from outrider.protocols.document import Rule
from outrider.protocols.engine import EvalPhase, evaluate
from outrider.protocols.models import ProtocolOverride, ProtocolVersion
from outrider.protocols.movement_facts import movement_facts, risk_for
from outrider.protocols.situation_facts import open_alerts
from outrider.protocols.waivers import version_for

HOST = "host_security"


def host_org_id(session: Session, version: ProtocolVersion) -> int | None:
    """The organisation that stands for host security in this version, if one does."""
    for org_id in service.party_orgs(version).values():
        org = session.get(Organization, org_id)
        if org is not None and org.kind == HOST:
            return org_id
    return None


def who_overrides(session: Session, version: ProtocolVersion) -> str:
    """Who may override a rule of this version, in words for a refusal."""
    org_id = host_org_id(session, version)
    org = session.get(Organization, org_id) if org_id is not None else None
    name = org.name if org is not None else "host security"
    return f"a duty officer or administrator of {name}"


def uncovered(row: ProtocolOverride, open_ids: Iterable[int]) -> list[int]:
    """The alerts open now that the override did not cover."""
    return sorted(set(open_ids) - set(row.covers_alert_ids))


def let_through(
    session: Session,
    movement: Movement,
    version: ProtocolVersion,
    failed: Iterable[str],
    open_ids: Iterable[int],
) -> list[str]:
    """The failed blocking rules an override of this version lets through now."""
    wanted = list(failed)
    if not wanted:
        return []
    overridable = {r.id for r in service.compiled_of(version).document.rules if r.override is not None}
    ids = list(open_ids)
    rows = session.scalars(
        select(ProtocolOverride).where(
            ProtocolOverride.movement_id == movement.id,
            ProtocolOverride.version_id == version.id,
            ProtocolOverride.protocol_hash == version.document_hash,
        )
    )
    good = {r.rule_id for r in rows if r.rule_id in overridable and not uncovered(r, ids)}
    return [rule for rule in wanted if rule in good]


def override_read(
    session: Session, row: ProtocolOverride, version: ProtocolVersion, now: datetime
) -> s.OverrideRead:
    """The API shape of an override, with whether it still covers what is open now."""
    movement = session.get(Movement, row.movement_id)
    ids = [a.id for a in open_alerts(session, movement, now=now)] if movement is not None else []
    missing = uncovered(row, ids)
    org = session.get(Organization, row.organization_id)
    user = session.get(User, row.recorded_by)
    return s.OverrideRead(
        id=row.id,
        movement_id=row.movement_id,
        protocol_id=version.protocol_id,
        protocol_version=version.version,
        protocol_hash=row.protocol_hash,
        rule_id=row.rule_id,
        reason=row.reason,
        covers_alert_ids=list(row.covers_alert_ids),
        organization_id=row.organization_id,
        organization=org.name if org is not None else "",
        recorded_by=row.recorded_by,
        recorded_by_name=(user.full_name or user.username) if user is not None else "",
        recorded_at=row.recorded_at,
        valid_now=not missing and row.protocol_hash == version.document_hash,
        uncovered_alert_ids=missing,
    )


def _overridable_rule(version: ProtocolVersion, rule_id: str) -> Rule:
    rules = {r.id: r for r in service.compiled_of(version).document.rules}
    rule = rules.get(rule_id)
    if rule is None:
        raise InvalidInput(
            f"protocol {version.protocol_id} v{version.version} has no rule {rule_id!r}",
            errors=[{"loc": ["body", "rule_id"], "msg": "unknown rule"}],
        )
    if rule.override is None:
        raise InvalidInput(
            f"{rule.id} cannot be overridden by one party: it takes a joint waiver",
            errors=[{"loc": ["body", "rule_id"], "msg": "not overridable"}],
        )
    return rule


def may_override(session: Session, caller: Caller, version: ProtocolVersion) -> bool:
    """Whether the caller speaks for the host in this version (its duty officers and administrators)."""
    org_id = host_org_id(session, version)
    return (
        caller.org_kind == HOST
        and org_id is not None
        and policy.may_approve_waiver(caller, party_org_id=org_id)
    )


def record_override(
    session: Session, *, caller: Caller, movement_id: int, data: s.OverrideCreate, now: datetime
) -> s.OverrideRead:
    """Record an override of a failed blocking rule for the movement (host duty officer, with a reason)."""
    movement = movements_service.get_movement(session, caller=caller, movement_id=movement_id)
    if caller.org_kind != HOST or not policy.may_approve_waiver(caller, party_org_id=caller.organization_id):
        raise Forbidden("overrides are recorded by host security's duty officers and administrators")
    version = version_for(session, movement, data.protocol_id)
    if not may_override(session, caller, version):
        raise Forbidden(f"only {who_overrides(session, version)} records an override")
    rule = _overridable_rule(version, data.rule_id)
    if movement.status in TERMINAL or movement.status in ON_THE_ROAD:
        raise Conflict(f"{movement.reference} is {movement.status}: there is no departure left to override")
    reason = data.reason.strip()
    if len(reason) < 10:
        raise InvalidInput(
            "a reason needs at least 10 characters", errors=[{"loc": ["body", "reason"], "msg": "too short"}]
        )
    phase: EvalPhase = "plan" if rule.phase == "both" else rule.phase
    level, score, _ = risk_for(session, movement, phase, now)
    facts = movement_facts(session, movement, risk_level=level, risk_score=score, now=now)
    result = evaluate(service.compiled_of(version), facts, phase)
    if rule.id not in result.blocking_failures:
        raise Conflict(f"{rule.id} does not fail for {movement.reference} now: there is nothing to override")
    row = ProtocolOverride(
        movement_id=movement.id,
        version_id=version.id,
        protocol_hash=version.document_hash,
        rule_id=rule.id,
        reason=reason,
        covers_alert_ids=[a.id for a in facts.open_alerts],
        organization_id=caller.organization_id,
        recorded_by=caller.user_id,
        recorded_at=now,
    )
    session.add(row)
    session.flush()
    audit_service.record(
        session,
        actor=movements_service.actor_of(caller),
        action="protocol.override",
        object_type="movement",
        object_id=movement.id,
        details={
            "override_id": row.id,
            "rule": rule.id,
            "protocol": f"{version.protocol_id} v{version.version}",
            "reason": reason,
            "alerts": row.covers_alert_ids,
        },
        now=now,
    )
    movements_service.event(
        session,
        movement,
        "protocol_overridden",
        caller=caller,
        now=now,
        override_id=row.id,
        rule=rule.id,
        reason=reason,
        alerts=row.covers_alert_ids,
    )
    return override_read(session, row, version, now)


def overrides_of(
    session: Session, *, caller: Caller, movement_id: int, now: datetime
) -> list[s.OverrideRead]:
    """A movement's overrides, oldest first: for everyone who may see the movement (both parties)."""
    movement = movements_service.get_movement(session, caller=caller, movement_id=movement_id)
    rows = session.scalars(
        select(ProtocolOverride)
        .where(ProtocolOverride.movement_id == movement.id)
        .order_by(ProtocolOverride.id)
    )
    out = []
    for row in rows:
        version = session.get(ProtocolVersion, row.version_id)
        if version is not None:
            out.append(override_read(session, row, version, now))
    return out
