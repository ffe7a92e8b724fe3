"""The composition: the one place that wires domains together where a lower one must call a higher one.

Movements run checks at their transitions that the domains above them decide (the agreed protocols'
gate, who speaks for a party under governance). Those domains cannot be imported by movements, so they
are registered here, explicitly, by every program that drives movements: the app factory, the CLI root
and the job runner (and the tests). Nothing registers itself on import; a program that skips this
cannot approve a movement (the gate fails closed) nor decide for host security or a partner, and the
incidents it records on the road stay out of intelligence and risk.
"""

from __future__ import annotations

from outrider.cordon import alert_desk
from outrider.governance import service as governance_service
from outrider.intel import from_movements
from outrider.movements import gates, incidents, need_to_know
from outrider.notify import plans, reads
from outrider.protocols import compliance
from outrider.risk import reader_rule
from outrider.sharing import readers as sharing_readers


def compose() -> None:
    """Attach the protocol gate and the party authority to movement transitions, and intelligence to the
    incidents reported on the road (idempotent)."""
    gates.register("protocols", compliance.gate_check)
    gates.register_authority(governance_service.party_authority)
    alert_desk.register()  # alerts learn a movement's parties and who may read which itinerary
    incidents.register_listener("intel", from_movements.record_movement_incident)
    plans.register()  # a raised alert freezes its escalation policy's plan and calls its first step
    reads.register(need_to_know.delivered_read_entry)  # a message that carried itinerary facts is a read
    reader_rule.register(sharing_readers.withheld_events)  # risk counts for a reader what it may read
