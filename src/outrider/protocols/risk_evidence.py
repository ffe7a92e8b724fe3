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
from outrider.alerts.service import hidden_from
from outrider.protocols.engine import facts_hash
from outrider.protocols.facts import OpenAlert
from outrider.protocols.situation_facts import alert_counts
from outrider.sharing import readers

# The facts computed from intelligence, in the order they are listed.
RISK_FACTS: tuple[str, ...] = ("risk_level", "risk_score")


# The facts counted over the open alerts (`situation_facts.alert_counts`), and their list.
ALERT_LIST = "open_alerts"


@dataclass(frozen=True, slots=True)
class EvidenceLens:
    """The evidence as one reader sees it: whole (the holder's organisation) or without the risk facts; and
    never naming an alert hidden from the reader (a silent duress it signalled: `alerts.service.hidden_from`),
    the counts over the open alerts taken without it, as if it had never been raised."""

    whole: bool
    hidden_alerts: frozenset[int] = frozenset()

    @property
    def withheld(self) -> list[str]:
        """The facts left out for this reader."""
        return [] if self.whole else list(RISK_FACTS)

    def facts(self, facts: Mapping[str, Any], snapshot: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """A facts snapshot (or the facts a rule read, from ``snapshot``) as shown."""
        shown = dict(facts) if self.whole else {k: v for k, v in facts.items() if k not in RISK_FACTS}
        unhidden = self._unhidden(snapshot if snapshot is not None else facts)
        return {k: unhidden.get(k, v) for k, v in shown.items()}

    def _unhidden(self, snapshot: Mapping[str, Any]) -> dict[str, Any]:
        """The alert facts of a snapshot without the alerts hidden from the reader (empty: nothing hidden)."""
        listed = snapshot.get(ALERT_LIST)
        if not self.hidden_alerts or not isinstance(listed, list):
            return {}
        if not any(isinstance(a, dict) and a.get("id") in self.hidden_alerts for a in listed):
            return {}
        kept = [a for a in listed if not (isinstance(a, dict) and a.get("id") in self.hidden_alerts)]
        counted = alert_counts(OpenAlert.model_validate(a) for a in kept if isinstance(a, dict))
        return {ALERT_LIST: kept, **counted}

    def results(
        self, results: Iterable[Mapping[str, Any]], snapshot: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Stored rule results with the facts each read as shown (outcomes unchanged)."""
        plain = self.whole and not self._unhidden(snapshot or {})
        return [
            dict(r) if plain else {**r, "facts_read": self.facts(r.get("facts_read") or {}, snapshot or {})}
            for r in results
        ]

    def facts_hash(self, stored: str, facts: Mapping[str, Any]) -> str:
        """The stored hash for the holder; elsewhere, or with an alert hidden, the hash of the facts shown."""
        plain = self.whole and not self._unhidden(facts)
        return stored if plain else facts_hash(self.facts(facts))


WHOLE = EvidenceLens(True)


def lens_for(session: Session, caller: Caller | None) -> EvidenceLens:
    """The lens of a caller: whole for the holder's organisation (and for everyone before the arrangement
    is founded, when nothing can be marked); without the risk facts for anyone else, or for no caller."""
    hidden = frozenset(session.scalars(hidden_from(caller))) if caller is not None else frozenset()
    holder = readers.holder_of(session)
    if holder is None:
        return EvidenceLens(True, hidden)
    return EvidenceLens(caller is not None and caller.organization_id == holder, hidden)
