"""The site of an event: the most specific place the report gives nearest the words that tell the attack.
Pure.

A report often tells the attack with only its province or district ("a roadside bomb struck a convoy in Sindh
province on Tuesday") and where exactly elsewhere: in another clause of the same sentence ("when a bomber,
stopped at a checkpost in X, detonated his vest") or in the next sentence, which has no attack word of its
own ("The device, planted beside the road near the town of X, went off ..."). Such a town, told before any
other event and lying within the place told with the attack, is the event's site."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from outrider.intel.gazetteer import Place, PlaceHit
from outrider.intel.mentions import Mention
from outrider.intel.told_towns import within

# sentences after an event's first mention that may still say where it happened
FOLLOWING = 2
AT = re.compile(
    r"\b(?:in|at|near|outside|outskirts of|close to)\s+(?:the\s+)?(?:(?:town|village) of\s+)?$", re.I
)
MENTIONS = 3  # of an event's mentions, the first few: later ones may be background merged into it


class _Event(Protocol):
    place: Place | None
    mentions: list[Mention]


def refine_sites(
    events: Sequence[_Event],
    split: list[tuple[int, str, bool]],
    hits_of: Callable[[str, Mapping[str, Place]], list[PlaceHit]],
    told: Sequence[Mapping[str, Place]] = (),
) -> None:
    """Give each event placed only at a province or district the first town within that place that its first
    mention's sentence names (and no other event holds), else the sentences right after it, up to one that
    tells an attack of its own (``hits_of``: a sentence's
    site places, less homes, hospitals and destinations; ``told``: per sentence, names the report tells as
    towns)."""
    owner = {_index(split, m.start): ev for ev in events for m in ev.mentions}
    for ev in events:
        coarse = ev.place
        if coarse is None or coarse.name:
            continue
        others = {m.place for other in events if other is not ev for m in other.mentions}
        for j, own in _near(ev, split, owner):
            sentence = split[j][1]
            towns = [
                h.place
                for h in hits_of(sentence, told[j] if j < len(told) else {})
                if not h.is_region
                and h.place.kind not in ("district", "admin1")
                and h.place not in others
                and within(h.place, coarse)
                # in a sentence that tells the attack, a town said to be where ("a checkpost in X"), not
                # one its other clauses tell something else of ("the district centre of X stayed calm")
                and (not own or AT.search(sentence[max(0, h.start - 40) : h.start]) is not None)
            ]
            if towns:
                ev.place = towns[0]
                break


def _near(
    ev: _Event, split: list[tuple[int, str, bool]], owner: Mapping[int, object]
) -> list[tuple[int, bool]]:
    """The sentences that may say where an event happened, nearest first, each with whether it tells the
    event: those of its first mentions, each followed by the sentences after it up to one that tells another
    event or is a headline."""
    out: list[tuple[int, bool]] = []
    for i in sorted({_index(split, m.start) for m in ev.mentions})[:MENTIONS]:
        out += [(i, True)]
        for j in range(i + 1, min(i + 1 + FOLLOWING, len(split))):
            if owner.get(j, ev) is not ev or split[j][2]:
                break
            out += [(j, j in owner)]
    return out


def _index(split: list[tuple[int, str, bool]], start: int) -> int:
    return next((i for i, (st, s, _) in enumerate(split) if st <= start < st + len(s) + 1), 0)


def km_between(a: Place, b: Place) -> float | None:
    """Kilometres between two places with coordinates (an equirectangular estimate, good at these ranges)."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    dx = math.radians(b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    return 6371.0 * math.hypot(dx, math.radians(b.lat - a.lat))
