"""A day told in the sentence before an attack of the report's lead ("Sunday began badly on the Karakoram
Highway. Shortly after dawn a roadside bomb went off ..."): the attack's, when its own sentence tells none.
Pure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from outrider.intel.dates import EventDate
from outrider.intel.mentions import Mention


def day_told_before(
    mentions: list[Mention],
    split: Sequence[tuple[int, str, bool]],
    text: str,
    lead_end: int,
    read: Callable[[str], EventDate],
) -> list[Mention]:
    """The mentions, those of the lead (before ``lead_end``) without a date dated by the day the sentence
    before theirs in the same paragraph tells, when it tells no attack (``read``: a sentence's date)."""
    if all(m.when.value is not None or m.in_title or m.start >= lead_end for m in mentions):
        return mentions
    told = {m.sentence for m in mentions}
    out = []
    for m in mentions:
        if m.when.value is None and not m.in_title and m.start < lead_end:
            m = replace(m, when=_day_before(m.start, split, text, told, read) or m.when)
        out.append(m)
    return out


def _day_before(
    at: int,
    split: Sequence[tuple[int, str, bool]],
    text: str,
    told: set[str],
    read: Callable[[str], EventDate],
) -> EventDate | None:
    k = next((k for k, (s, sent, _) in enumerate(split) if s <= at <= s + len(sent)), 0)
    if k == 0 or split[k - 1][2] or split[k - 1][1] in told or "\n" in text[split[k - 1][0] : split[k][0]]:
        return None  # the first sentence, one after the title or an attack's, or one opening its paragraph
    when = read(split[k - 1][1])
    return replace(when, start=-1, end=-1) if when.value is not None and when.precision == "day" else None
