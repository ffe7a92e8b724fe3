"""What a refused transition says and leaves behind: the failed rules, the open alerts that fail them,
who can clear them, and (once the refused transaction has rolled back) its evaluations as evidence.

A refusal is not a failed check: the compliance report counts it apart (see `reporting`), because a
click the gate refused is the gate working, not the movement breaking the protocol.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.alerts.models import Alert
from outrider.errors import AfterRollback, RuleViolation
from outrider.movements import service as movements_service
from outrider.movements.models import Movement
from outrider.protocols import agreement as pure
from outrider.protocols import overrides, service
from outrider.protocols.engine import EvalPhase
from outrider.protocols.models import ProtocolEvaluation, ProtocolVersion
from outrider.protocols.risk_evidence import lens_for
from outrider.risk.models import RiskSnapshot

# What each gated transition is called in a refusal, and the phase of the rules it checks.
ACTS = {"approve": "approval", "depart": "departure", "clear": "the route clearance", "submit": "submission"}
PHASES: dict[str, EvalPhase] = {
    "approve": "plan",
    "submit": "plan",
    "depart": "departure",
    "clear": "departure",
    "arrive": "execution",
}


def union(items: Iterable[Sequence[str]]) -> list[str]:
    """Every item once, in first-seen order."""
    return list(dict.fromkeys(x for seq in items for x in seq))


def named_alerts(session: Session, row: ProtocolEvaluation, rule: str) -> list[dict[str, Any]]:
    """The open alerts a failed rule read, named (id, kind, severity, place, title): critical ones first."""
    result = next((r for r in row.results if r["rule_id"] == rule), None)
    read = (result or {}).get("facts_read") or {}
    if not any(str(name).startswith("open_") for name in read):
        return []
    listed = [a for a in row.facts.get("open_alerts", []) if isinstance(a, dict)]
    critical = [a for a in listed if a.get("severity") == "critical"]
    chosen = critical or listed
    titles = {
        a.id: a.title
        for a in session.scalars(select(Alert).where(Alert.id.in_([int(x["id"]) for x in chosen])))
    }
    return [
        {
            "id": a["id"],
            "kind": a["kind"],
            "severity": a["severity"],
            "place": a["place"],
            "title": titles.get(int(a["id"]), ""),
        }
        for a in chosen
    ]


def who_clears(session: Session, row: ProtocolEvaluation, rule: str) -> str:
    version = session.get(ProtocolVersion, row.version_id)
    if version is None:
        return "both parties, by a joint waiver"
    found = next((r for r in service.compiled_of(version).document.rules if r.id == rule), None)
    if found is not None and found.override is not None:
        who = overrides.who_overrides(session, version)
        return f"{who}: resolve the alert or record an override with a reason"
    return "both parties, by a joint waiver"


def _describe(alerts: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"alert {a['id']} ({a['kind']}, {a['severity']}) at the {a['place']}: {a['title']}" for a in alerts
    )


def refusal(
    session: Session,
    movement: Movement,
    rows: list[ProtocolEvaluation],
    decisions: list[pure.GateDecision],
    caller: Caller | None,
    trigger: str,
) -> RuleViolation:
    """The refusal of a gated transition, naming the failed rules, the open alerts behind them, and who
    can clear each."""
    errors: list[dict[str, Any]] = []
    parts: list[str] = []
    lens = lens_for(session, caller)  # the facts hash as the caller's evidence shows it
    for row, decision in zip(rows, decisions, strict=True):
        for rule in decision.blocking:
            alerts = named_alerts(session, row, rule)
            who = who_clears(session, row, rule)
            parts.append(
                f"{rule} failed"
                + (f" ({_describe(alerts)})" if alerts else "")
                + f"; who can clear it: {who}"
            )
            errors.append(
                {
                    "kind": "blocking",
                    "rule": rule,
                    "protocol": row.protocol_id,
                    "version": row.protocol_version,
                    "protocol_hash": row.protocol_hash,
                    "facts_hash": lens.facts_hash(row.facts_hash, row.facts),
                    "waiver_problems": list(decision.waiver_problems.get(rule, ())),
                    "alerts": alerts,
                    "who_can_clear": who,
                }
            )
        for rule in decision.warnings:
            errors.append(
                {
                    "kind": "warning",
                    "rule": rule,
                    "protocol": row.protocol_id,
                    "version": row.protocol_version,
                }
            )
    blocked = union(d.blocking for d in decisions)
    warned = union(d.warnings for d in decisions)
    act = ACTS.get(trigger, trigger)
    detail = f"the agreed protocol blocks {act} of {movement.reference}: " + " | ".join(parts)
    if warned:
        detail += f" (warnings: {', '.join(warned)})"
    return RuleViolation(
        detail, errors=errors, after_rollback=_record(rows, decisions, blocked, caller, trigger)
    )


_EVALUATION_COLUMNS = tuple(a.key for a in inspect(ProtocolEvaluation).column_attrs if a.key != "id")


def _record(
    rows: list[ProtocolEvaluation],
    decisions: list[pure.GateDecision],
    blocked: list[str],
    caller: Caller | None,
    trigger: str,
) -> AfterRollback:
    """What a refused transition leaves behind, recorded once its transaction has rolled back: its
    evaluations (the evidence) and a `protocol_checked` event on the movement saying it was refused."""
    kept = [{key: getattr(row, key) for key in _EVALUATION_COLUMNS} for row in rows]
    movement_id = rows[0].movement_id
    at = rows[0].at
    waived = union(d.waived for d in decisions)
    overridden = union(d.overridden for d in decisions)
    warned = union(d.warnings for d in decisions)
    act = ACTS.get(trigger, trigger)

    def record(session: Session) -> None:
        movement = session.get(Movement, movement_id)
        if movement is None:
            return
        stored = []
        for values in kept:
            snapshot = values["risk_snapshot_id"]
            if snapshot is not None and session.get(RiskSnapshot, snapshot) is None:
                values = {**values, "risk_snapshot_id": None}  # taken in the rolled-back transaction
            stored.append(ProtocolEvaluation(**values))
        session.add_all(stored)
        session.flush()
        movements_service.event(
            session,
            movement,
            "protocol_checked",
            caller=caller,
            now=at,
            trigger=trigger,
            phase=PHASES.get(trigger, "plan"),
            protocols=[f"{r.protocol_id} v{r.protocol_version}" for r in stored],
            evaluation_ids=[r.id for r in stored],
            allowed=False,
            refused=True,
            blocking=blocked,
            waived=waived,
            overridden=overridden,
            warnings=warned,
            note=f"{act} refused by the agreed protocol; the movement did not move on",
        )

    return record
