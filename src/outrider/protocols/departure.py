"""What holds a departure now: the departure rules evaluated on the facts of this moment, nothing stored.

The movement page and `GET /api/v1/movements/{id}/departure-check` show it before anyone clicks
"depart", with the open alerts behind each block and who can clear it; the gate itself runs (and stores
its evaluation) at route clearance and departure.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.movements import service as movements_service
from outrider.protocols import overrides, refusals, service
from outrider.protocols import schemas as s
from outrider.protocols.deciding import decide
from outrider.protocols.models import ProtocolEvaluation
from outrider.protocols.movement_facts import movement_facts, risk_for


def departure_check(session: Session, *, caller: Caller, movement_id: int, now: datetime) -> s.DepartureCheck:
    """The departure gate's decision if the convoy left now, for everyone who may see the movement."""
    movement = movements_service.get_movement(session, caller=caller, movement_id=movement_id)
    versions = [
        v
        for v in service.effective_versions(session, movements_service.local_day(movement))
        if service.compiled_of(v).departure_rules
    ]
    listed = overrides.overrides_of(session, caller=caller, movement_id=movement.id, now=now)
    if not versions:
        return s.DepartureCheck(
            movement_id=movement.id,
            departed=movement.departed_at is not None,
            checked=False,
            allowed=True,
            blocking=[],
            warnings=[],
            overridden=[],
            may_override=False,
            overrides=listed,
        )
    level, score, _ = risk_for(session, movement, "departure", now)
    facts = movement_facts(session, movement, risk_level=level, risk_score=score, now=now)
    variables = facts.to_variables()
    open_ids = [a.id for a in facts.open_alerts]
    blocks: list[s.DepartureBlock] = []
    warnings: list[str] = []
    overridden: list[str] = []
    may = False
    for version in versions:
        decided = decide(session, movement, version, variables, "departure", open_alert_ids=open_ids, now=now)
        compiled, result, decision = decided.compiled, decided.result, decided.decision
        rules = {r.id: r for r in compiled.document.rules}
        # The same shape the gate stores, so a block names its alerts exactly as a refusal would.
        row = ProtocolEvaluation(
            version_id=version.id,
            facts=variables,
            results=[{"rule_id": r.rule_id, "facts_read": dict(r.facts_read)} for r in result.results],
        )
        for rule_id in decision.blocking:
            blocks.append(
                s.DepartureBlock(
                    rule_id=rule_id,
                    title=rules[rule_id].title,
                    protocol_id=version.protocol_id,
                    alerts=[s.AlertNamed(**a) for a in refusals.named_alerts(session, row, rule_id)],
                    who_can_clear=refusals.who_clears(session, row, rule_id),
                    overridable=rules[rule_id].override is not None,
                )
            )
        warnings += [w for w in decision.warnings if w not in warnings]
        overridden += [o for o in decision.overridden if o not in overridden]
        may = may or overrides.may_override(session, caller, version)
    return s.DepartureCheck(
        movement_id=movement.id,
        departed=movement.departed_at is not None,
        checked=True,
        allowed=not blocks,
        blocking=blocks,
        warnings=warnings,
        overridden=overridden,
        may_override=may and any(b.overridable for b in blocks),
        overrides=listed,
    )
