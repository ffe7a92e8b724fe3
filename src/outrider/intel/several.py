"""Several attacks told together: a mention without a date of its own that belongs to the time of another.

"The fighting at A and at B ... At B, attackers tried to force their way in", "The raid on the camp at A was
one of two carried out that night; the other targeted a camp in B", "Hours after the blast, a second suicide
attack brought down a mosque in B": the undated attack at another town is a further event of the dated one's
time, not the context a placed but undated mention usually is. Pure."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from outrider.intel.dates import EventDate
    from outrider.intel.extract import Event
    from outrider.intel.gazetteer import Place
    from outrider.intel.mentions import Mention

# "one of two carried out that night", "the other", "a second suicide attack", "another camp"
OTHER_OF_SEVERAL = re.compile(
    r"\b(?:one of (?:the )?(?:two|three|four|several|twin)|the other|(?:a|the) (?:second|third)|another)\b",
    re.I,
)


# "died in hospitals in A and B", "treated at hospitals of A and B": where the wounded were taken, no attack
CARED = re.compile(r"\bhospitals? (?:in|at|of) $", re.I)


def _paired(pair: str, text: str) -> bool:
    """Whether the text joins the two towns by "and" as places of attacks, not of the hospitals."""
    return any(not CARED.search(text, max(0, h.start() - 20), h.start()) for h in re.finditer(pair, text))


# "Separately, a roadside bomb wounded three soldiers in B": a roundup's next attack, of the time just told
SEPARATELY = re.compile(
    r"^\W*(?:separately|elsewhere|in (?:a|another) (?:separate |similar )?(?:incident|attack))\b", re.I
)


def twin_of(events: list[Event], m: Mention) -> Event | None:
    """The dated event this undated mention at another town is told with: its town joined to the event's by
    "and", the same sentence telling one of several attacks after a mention of that event, or the event told
    last before a sentence that opens with "Separately," or "In another incident"."""
    name = m.place.name if m.place is not None else None
    told = [ev for ev in events if ev.when.value is not None and ev.mentions[0].start < m.start]
    if name and told and SEPARATELY.match(m.sentence):
        latest = max(told, key=lambda ev: max(x.start for x in ev.mentions if x.start < m.start))
        if latest.place is None or latest.place.name != name:
            return latest
    several = OTHER_OF_SEVERAL.search(m.sentence) is not None
    for ev in events:
        own = ev.place.name if ev.place is not None else None
        if not name or not own or own == name or ev.when.value is None:
            continue
        pair = rf"\b{re.escape(own)}\b[^.;]{{0,30}}?\band\s+(?:at |in )?{re.escape(name)}\b"
        if any(_paired(pair, x.text) for x in ev.mentions):
            return ev
        if several and any(x.sentence == m.sentence and x.start < m.start for x in ev.mentions):
            return ev
    return None


def apart_when(events: list[Event], m: Mention) -> EventDate:
    """The time of a mention whose sentence opens with "Separately," or "In another incident": its own, or,
    undated at another town, the time of the event told last before it (`twin_of`). Such a sentence tells
    another event than the one before it, even at the same town and day ("Separately, a bomb disposal squad
    defused a device on the X road on Wednesday")."""
    twin = twin_of(events, m) if m.when.value is None else None
    return twin.when if twin is not None else m.when


def cut_by_time(ev: Event, m: Mention) -> bool:
    """ "A van was bombed near A on 3 April 2025, and on the first day of Muharram last year men hurled a
    grenade at a picket in B": a sentence cut where a clause opens with its own time tells two attacks."""
    return m.when.value is not None and any(
        x.sentence == m.sentence and x.start != m.start and x.when.value is not None and x.when != m.when
        for x in ev.mentions
    )


def apart_event(
    events: list[Event], last: Event | None, m: Mention, make: Callable[[Place | None, EventDate], Event]
) -> Event:
    """The event of a mention whose sentence opens with "Separately,": one told before the event just told
    (``last``) at the same town on the same calendar day told again (a summary's bullet "On 27 May, an IED
    ... in X", then the body's "Separately, on 27 May, an IED ... in X"), or a new one (`apart_when`), listed
    when dated (undated, it is context)."""
    name = m.place.name if m.place is not None else None
    if name and m.when.precision == "day" and m.when.explicit:
        for ev in events:
            if (
                ev is not last
                and ev.place is not None
                and ev.place.name == name
                and (ev.when.precision, ev.when.value) == ("day", m.when.value)
            ):
                return ev
    told = make(m.place, apart_when(events, m))
    events.extend([told] if told.when.value is not None else [])
    return told
