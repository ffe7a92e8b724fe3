"""A report whose headline tells a clash between two states' forces ("Kyrgyz and Tajik border guards exchange
fire", "exchange of fire between Pakistani and Afghan forces"): GOLD-SCHEMA counts no incident in it, only
an attack by a group or a gunman it also tells."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from outrider.intel.lexicon import demonyms

if TYPE_CHECKING:
    from outrider.intel.extract import Event

_PEOPLE = demonyms().pattern
# two states named together: "Kyrgyz and Tajik", "Kyrgyz-Tajik", "between Pakistani and Afghan forces"
TWO_STATES = re.compile(rf"\b(?:{_PEOPLE})(?:\s+and\s+|\s*-\s*)(?:{_PEOPLE})\b", re.I)
CLASH = re.compile(
    r"\b(?:exchang\w*\s+(?:of\s+)?fire|clash\w*|skirmish\w*|border\s+(?:firing|shelling|fighting))\b", re.I
)
# who attacks when no state does: an attack by them in such a report is an incident
NON_STATE = re.compile(
    r"\b(?:militants?|gunm[ae]n|attackers?|assailants?|terrorists?|insurgents?|bombers?|suicide|armed men"
    r"|khwarij|claimed|kidnapp\w+|abduct\w+)\b",
    re.I,
)


def between_states(title: str) -> bool:
    """Whether a headline tells a clash between two states' forces."""
    return CLASH.search(title) is not None and TWO_STATES.search(title) is not None


def by_non_state(ev: Event) -> bool:
    """Whether an event's words tell an attacker that is no state's force."""
    return any(NON_STATE.search(m.text) or NON_STATE.search(m.sentence) for m in ev.mentions)
