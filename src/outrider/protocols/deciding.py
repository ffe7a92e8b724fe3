"""One protocol version's decision on a movement's facts: evaluate its rules, let approved waivers and the
host's recorded overrides through. The gate (`compliance`), the departure check and the next-step preview
all decide this way, so a preview never says something the gate would not."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from outrider.movements.models import Movement
from outrider.protocols import agreement as pure
from outrider.protocols import overrides, service, waivers
from outrider.protocols.engine import CompiledProtocol, EvalPhase, Evaluation, evaluate
from outrider.protocols.models import ProtocolVersion


@dataclass(frozen=True, slots=True)
class Decided:
    """A version's compiled rules, their evaluation and the gate's decision with waivers and overrides."""

    compiled: CompiledProtocol
    result: Evaluation
    decision: pure.GateDecision


def decide(
    session: Session,
    movement: Movement,
    version: ProtocolVersion,
    variables: Mapping[str, Any],
    phase: EvalPhase,
    *,
    open_alert_ids: Sequence[int],
    now: datetime,
) -> Decided:
    """Evaluate ``version`` on the movement's facts in ``phase`` and decide as the gate does."""
    compiled = service.compiled_of(version)
    result = evaluate(compiled, variables, phase)
    decision = pure.gate(
        result,
        waivers.approved_for(session, movement, version),
        movement_id=str(movement.id),
        parties=[p.party for p in version.parties],
        now=now,
    )
    decision = pure.with_overrides(
        decision, overrides.let_through(session, movement, version, decision.blocking, list(open_alert_ids))
    )
    return Decided(compiled, result, decision)
