"""The day of the occasion a report leads with, told where no act of cooperation is named: "signed a
memorandum on the security of the mine on 26 October", "The commitment was made at a meeting in Termez on
Tuesday". The acts the report tells without a day of their own were made then. Pure."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import date

from outrider.intel.cooperation.commitments import Commitment
from outrider.intel.cooperation.mentions import DATELINE, Mention, sentences
from outrider.intel.cooperation.stages import stage_cues
from outrider.intel.cooperation.when import act_date, event_days, told_relatively

LEAD_SENTENCES = 5  # a report's headline and its lead paragraph
# "The commitment was made at a meeting", "the agreement was reached": the making of what the report tells
MADE = re.compile(
    r"\b(?:commitments?|promises?|pledges?|assurances?|agreements?|decisions?|undertakings?)\s+"
    r"(?:was|were|had been)\s+(?:made|given|reached|taken)\b",
    re.I,
)
# a day told with a promise ("undertook to escort from 20 September") is the plan's
SETTLED = {"done", "agreed"}


def lead_day(text: str, published: date | None) -> tuple[date, str] | None:
    """The first day a sentence of the report's lead gives an act it tells as done or agreed ("signed",
    "met", "the commitment was made"), not the day something was said nor the day a promise is due."""
    events: dict[str, date] | None = None
    for sent in itertools.islice(sentences(text), LEAD_SENTENCES):
        s = sent.text
        if not MADE.search(s) and not any(stage in SETTLED for stage, _, _ in stage_cues(s)):
            continue
        events = event_days(text, published) if events is None else events
        line = DATELINE.match(s)
        when = act_date(" " * line.end() + s[line.end() :] if line else s, published, events)
        if when.value is not None and when.precision == "day" and when.basis != "statement":
            return when.value, "day"
    return None


def told_after(days: list[tuple[int, date]], c: Commitment) -> tuple[date, str] | None:
    """The day of the act told just before a commitment the report does not date ("met on Thursday. Raza
    assured the visitors that ..."): the narrative's own occasion, nearer than the one a report leads with."""
    first = c.mentions[0].sentence.start
    before = [day for at, day in days if first - TOLD_JUST_BEFORE <= at < first]
    return (before[-1], "day") if before else None


TOLD_JUST_BEFORE = 300  # characters: the sentence or two before


# "Under the agreement, Chinese engineers will also train ...": an act the accord told before holds
UNDER_ACCORD = re.compile(
    r"^(?:[\w'’-]+,?\s+){0,2}?under\s+(?:the|this|that|its)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:agreement|memorandum|protocol|accord|deal|mou)\b",
    re.I,
)


def under_accord(mentions: list[Mention]) -> list[Mention]:
    """An act a sentence tells "under the agreement" without a date of its own is agreed when the last act the
    report told agreed and dated before it was ("was agreed between the two governments in 2025")."""
    out: list[Mention] = []
    last = None
    for m in mentions:
        if m.when.value is None and last is not None and UNDER_ACCORD.match(m.sentence.text):
            m = replace(m, when=last)
        if m.stage == "agreed" and m.when.value is not None:
            last = m.when
        out.append(m)
    return out


def unknowable(c: Commitment, found: list[Commitment]) -> bool:
    """Whether a commitment's date is told against the day of writing: in its own sentences, or in those of
    the meeting between the same states at which it was made."""
    return any(
        told_relatively(m.sentence.text)
        for o in found
        if o is c or (o.kind == "visit_or_meeting" and o.parties == c.parties)
        for m in o.mentions
    )
