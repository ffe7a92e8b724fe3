"""What a reader is shown of the route risk behind a protocol evaluation (docs/protocols.md, "Risk evidence
and markings").

The gate judges a plan on the holder's figure, which counts every event (`risk.movement_risk`): markings
never weaken it. That figure moves with events not every organisation may read (the holder's `TLP:RED`, a
partner's `TLP:AMBER+STRICT` import: docs/sharing.md), while evaluations are shown to coordinators, liaisons
and partners. So outside the holder's organisation the evidence leaves the risk facts out: the rules'
outcomes stand, without the figure they read, and the facts hash is that of the facts shown (the holder's
hash would let a reader search the few values of the missing figures). Whether they are left out depends on
the reader's organisation alone, never on the events: nothing in the shape says that something was withheld
on this route.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.protocols.engine import facts_hash
from outrider.sharing import readers

# The facts computed from intelligence, in the order they are listed.
RISK_FACTS: tuple[str, ...] = ("risk_level", "risk_score")


@dataclass(frozen=True, slots=True)
class EvidenceLens:
    """The evidence as one reader sees it: whole (the holder's organisation) or without the risk facts."""

    whole: bool

    @property
    def withheld(self) -> list[str]:
        """The facts left out for this reader."""
        return [] if self.whole else list(RISK_FACTS)

    def facts(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        """A facts snapshot (or the facts a rule read) as shown."""
        if self.whole:
            return dict(facts)
        return {k: v for k, v in facts.items() if k not in RISK_FACTS}

    def results(self, results: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Stored rule results with the facts each read as shown (outcomes unchanged)."""
        return [
            {**r, "facts_read": self.facts(r.get("facts_read") or {})} if not self.whole else dict(r)
            for r in results
        ]

    def facts_hash(self, stored: str, facts: Mapping[str, Any]) -> str:
        """The stored hash for the holder; elsewhere the hash of the facts shown."""
        return stored if self.whole else facts_hash(self.facts(facts))


WHOLE = EvidenceLens(True)


def lens_for(session: Session, caller: Caller | None) -> EvidenceLens:
    """The lens of a caller: whole for the holder's organisation (and for everyone before the arrangement
    is founded, when nothing can be marked); without the risk facts for anyone else, or for no caller."""
    holder = readers.holder_of(session)
    if holder is None:
        return WHOLE
    return EvidenceLens(caller is not None and caller.organization_id == holder)
