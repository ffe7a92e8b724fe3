"""Checking movements against the protocols in force: evaluations with evidence, the gate, waivers.

The movements domain runs the gate at submission, approval and arrival through `movements.gates`;
`outrider.compose` attaches it (importing this module attaches nothing). The caller owns the
transaction: a refused approval rolls back, and its evaluations are then recorded on their own
(`RuleViolation.after_rollback`) as the evidence that an approval was attempted and refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.audit import service as audit_service
from outrider.movements import gates, need_to_know
from outrider.movements import service as movements_service
from outrider.movements.models import Movement
from outrider.protocols import agreement as pure
from outrider.protocols import schemas as s
from outrider.protocols import service
from outrider.protocols.deciding import decide
from outrider.protocols.engine import EvalPhase, Evaluation
from outrider.protocols.models import ProtocolEvaluation, ProtocolVersion
from outrider.protocols.movement_facts import movement_facts, risk_for
from outrider.protocols.refusals import PHASES, refusal
from outrider.protocols.risk_evidence import EvidenceLens, lens_for
from outrider.shapes import read_of

BREACH_ALERT = "protocol_breach"
# The transitions a blocking failure refuses (submission and arrival record, never refuse).
REFUSING = frozenset({"approve", "clear", "depart"})


# --- evaluating -------------------------------------------------------------------------------------


def _results_json(evaluation: Evaluation) -> list[dict[str, Any]]:
    return [
        {
            "rule_id": r.rule_id,
            "outcome": r.outcome,
            "severity": r.severity,
            "message": r.message,
            "facts_read": dict(r.facts_read),
        }
        for r in evaluation.results
    ]


def day_of(movement: Movement) -> date:
    """The day whose protocols govern a movement: its planned departure day in its own time zone."""
    return movements_service.local_day(movement)


def check(
    session: Session,
    movement: Movement,
    *,
    phase: EvalPhase,
    trigger: str,
    caller: Caller | None,
    now: datetime,
) -> tuple[list[ProtocolEvaluation], list[pure.GateDecision], str]:
    """Evaluate the movement against every protocol in force for it, store each evaluation, apply waivers."""
    day = day_of(movement)
    versions = service.effective_versions(session, day)
    if not versions:
        return [], [], f"no protocol is in force on {day.isoformat()}; the gate passes"
    level, score, snapshot_id = risk_for(session, movement, phase, now)
    facts = movement_facts(session, movement, risk_level=level, risk_score=score, now=now)
    variables = facts.to_variables()
    open_ids = [a.id for a in facts.open_alerts]
    rows: list[ProtocolEvaluation] = []
    decisions: list[pure.GateDecision] = []
    for version in versions:
        decided = decide(session, movement, version, variables, phase, open_alert_ids=open_ids, now=now)
        result, decision = decided.result, decided.decision
        row = ProtocolEvaluation(
            movement_id=movement.id,
            plan_version=movement.plan_version,
            version_id=version.id,
            protocol_id=version.protocol_id,
            protocol_version=version.version,
            protocol_hash=version.document_hash,
            phase=phase,
            trigger=trigger,
            applicable=result.applicable,
            facts=variables,
            facts_hash=result.facts_hash,
            results=_results_json(result),
            passed=result.passed,
            blocking=list(result.blocking_failures),
            warnings=list(result.warnings),
            waived=list(decision.waived),
            overridden=list(decision.overridden),
            risk_snapshot_id=snapshot_id,
            user_id=caller.user_id if caller else None,
            at=now,
        )
        session.add(row)
        rows.append(row)
        decisions.append(decision)
    session.flush()
    names = ", ".join(f"{v.protocol_id} v{v.version}" for v in versions)
    return rows, decisions, f"checked against {names} (in force on {day.isoformat()})"


def _union(items: Iterable[Sequence[str]]) -> list[str]:
    return list(dict.fromkeys(x for seq in items for x in seq))


def check_read(
    session: Session,
    movement: Movement,
    phase: str,
    rows: list[ProtocolEvaluation],
    decisions: list[pure.GateDecision],
    note: str,
    *,
    evidence: bool,
    lens: EvidenceLens,
) -> s.CheckRead:
    """The API shape of a check."""
    problems: dict[str, list[str]] = {}
    for d in decisions:
        for rule, found in d.waiver_problems.items():
            problems.setdefault(rule, []).extend(found)
    return s.CheckRead(
        movement_id=movement.id,
        phase=phase,
        day=day_of(movement),
        allowed=all(d.allowed for d in decisions),
        blocking=_union(d.blocking for d in decisions),
        waived=_union(d.waived for d in decisions),
        overridden=_union(d.overridden for d in decisions),
        warnings=_union(d.warnings for d in decisions),
        waiver_problems=problems,
        note=note,
        evaluations=[evaluation_read(session, r, evidence=evidence, lens=lens) for r in rows],
    )


def _titles(session: Session, version_id: int, cache: dict[int, dict[str, str]]) -> dict[str, str]:
    if version_id not in cache:
        row = session.get(ProtocolVersion, version_id)
        cache[version_id] = (
            {r.id: r.title for r in service.compiled_of(row).document.rules} if row is not None else {}
        )
    return cache[version_id]


def evaluation_read(
    session: Session,
    row: ProtocolEvaluation,
    *,
    evidence: bool,
    lens: EvidenceLens,
    titles: dict[int, dict[str, str]] | None = None,
) -> s.EvaluationRead:
    """The API shape of a stored evaluation; the facts only with `evidence`, as the lens shows them."""
    names = _titles(session, row.version_id, titles if titles is not None else {})
    return read_of(
        s.EvaluationRead,
        row,
        results=[
            s.RuleResultRead(
                rule_id=r["rule_id"],
                title=names.get(r["rule_id"], ""),
                outcome=r["outcome"],
                severity=r["severity"],
                message=r.get("message", ""),
                facts_read=r.get("facts_read") if evidence else None,
            )
            for r in lens.results(row.results, row.facts)
        ],
        facts_hash=lens.facts_hash(row.facts_hash, row.facts),
        facts=lens.facts(row.facts) if evidence else None,
        facts_withheld=lens.withheld,
        evidence_visible=evidence,
    )


# --- the gate ---------------------------------------------------------------------------------------


def gate_check(
    session: Session, movement: Movement, *, trigger: gates.Trigger, caller: Caller | None, now: datetime
) -> None:
    """The check movements run at submission, approval, route clearance, departure and arrival; it refuses
    approval, clearance and departure on a blocking failure that no waiver or override lets through."""
    phase = PHASES[trigger]
    if phase == "departure" and not any(
        service.compiled_of(v).departure_rules for v in service.effective_versions(session, day_of(movement))
    ):
        return  # nothing in force speaks of the moment of departure: no evaluation to store
    rows, decisions, note = check(session, movement, phase=phase, trigger=trigger, caller=caller, now=now)
    allowed = all(d.allowed for d in decisions)
    if trigger in REFUSING and not allowed:
        raise refusal(session, movement, rows, decisions, caller, trigger)
    movements_service.event(
        session,
        movement,
        "protocol_checked",
        caller=caller,
        now=now,
        trigger=trigger,
        phase=phase,
        protocols=[f"{r.protocol_id} v{r.protocol_version}" for r in rows],
        evaluation_ids=[r.id for r in rows],
        allowed=allowed,
        blocking=_union(d.blocking for d in decisions),
        waived=_union(d.waived for d in decisions),
        overridden=_union(d.overridden for d in decisions),
        warnings=_union(d.warnings for d in decisions),
        note=note,
    )
    failed = _union(d.blocking for d in decisions)
    if trigger == "arrive" and failed:
        alerts_service.raise_about_movement(
            session,
            movement,
            kind=BREACH_ALERT,
            severity=Severity.high,
            title=f"{movement.reference}: agreed protocol not followed ({', '.join(failed)})",
            details={"movement_id": movement.id, "rules": failed, "evaluation_ids": [r.id for r in rows]},
            now=now,
        )


# --- reads and manual evaluation --------------------------------------------------------------------


def evidence_allowed(
    session: Session, caller: Caller, movement: Movement, now: datetime, *, listed: bool = False
) -> bool:
    """May the caller see an evaluation's facts (they reveal the itinerary's times)? Recorded when yes,
    and the refusal too when the caller asked for this movement's evaluations (not in a report's list)."""
    decision = need_to_know.decide(session, caller, movement, now=now)
    allowed = policy.may_read_protocol_evidence(caller, itinerary_allowed=decision.allowed)
    if not allowed and not listed:  # refused attempts are in the chain too (who-knew lists them apart)
        need_to_know.record_refusal(session, caller, movement, decision, now, "protocol evaluations")
    if allowed:
        audit_service.record(
            session,
            actor=caller,
            action=need_to_know.READ_ITINERARY,
            object_type="movement",
            object_id=movement.id,
            fields=["protocol_evidence"],
            details={"reference": movement.reference, "via": "protocol evaluations"},
            now=now,
        )
    return allowed


def evaluate_movement(
    session: Session, *, caller: Caller, movement_id: int, phase: EvalPhase | None, now: datetime
) -> s.CheckRead:
    """Evaluate a movement now (on the plan, or on what is known of its execution) and store the result."""
    movement = need_to_know.require_itinerary(session, caller=caller, movement_id=movement_id, now=now)
    chosen: EvalPhase = phase or ("plan" if movement.departed_at is None else "execution")
    rows, decisions, note = check(session, movement, phase=chosen, trigger="manual", caller=caller, now=now)
    lens = lens_for(session, caller)
    return check_read(session, movement, chosen, rows, decisions, note, evidence=True, lens=lens)


def evaluations_of(
    session: Session, *, caller: Caller, movement_id: int, now: datetime
) -> list[s.EvaluationRead]:
    """A movement's stored evaluations, newest first; facts only for its need-to-know list and auditors."""
    movement = movements_service.get_movement(session, caller=caller, movement_id=movement_id)
    rows = list(
        session.scalars(
            select(ProtocolEvaluation)
            .where(ProtocolEvaluation.movement_id == movement.id)
            .order_by(ProtocolEvaluation.id.desc())
        )
    )
    evidence = bool(rows) and evidence_allowed(session, caller, movement, now)
    titles: dict[int, dict[str, str]] = {}
    lens = lens_for(session, caller)
    return [evaluation_read(session, r, evidence=evidence, lens=lens, titles=titles) for r in rows]
