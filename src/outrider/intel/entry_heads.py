"""The heading line of a feed's or a register's entry that carries the entry's own day: labels set apart by
bars, one full date first or last ("ALERT 31-0412-PK07 | SEVERITY: HIGH | 12 Apr 2031", "3 May 2031 |
Quetta | Entry 14"), not a sentence. Pure."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from outrider.intel.dates import EventDate, parse_date_text
from outrider.intel.mentions import Mention

BAR = re.compile(r"\s+[|·•]\s+")
LABEL_MAX = 40  # characters: a label, not a clause


def entry_heads(lines: tuple[str, ...]) -> list[date | None]:
    """Per line, the day its entry's heading gives (None for other lines): headings of one shape (as many
    labels, the date in the same place) that recur, as a feed's do; a page's banner or a stamp told once is
    no entry's."""
    heads = [_head(line) for line in lines]
    shapes = Counter(h[1] for h in heads if h is not None)
    return [h[0] if h is not None and shapes[h[1]] >= 2 else None for h in heads]


def _head(line: str) -> tuple[date, tuple[int, int]] | None:
    """The day a heading line gives and its shape (labels, the date's place), or None when the line is no
    heading: at least two labels, each short, one of them (the first or the last) a full date, none a
    sentence."""
    parts = [p.strip() for p in BAR.split(line.strip())]
    if len(parts) < 2 or any(not p or len(p) > LABEL_MAX or p.endswith(".") for p in parts):
        return None
    dated = [(i, d) for i, p in enumerate(parts) if (d := parse_date_text(p)) is not None]
    if len(dated) != 1 or dated[0][0] not in (0, len(parts) - 1):
        return None
    return dated[0][1], (len(parts), dated[0][0])


def on_entry_days(mentions: list[Mention], entries: Mapping[int, date]) -> list[Mention]:
    """The mentions, those of a dated entry its words leave undated given the entry's own day (``entries``:
    the day by sentence offset): an alert, a feed item or a bulletin tells the event of its day ("What
    happened: a roadside bomb hit a coach"), unless an earlier mention names its place ("compensation for
    the victims of the X attack": the attack an earlier entry told)."""
    if not entries:
        return mentions
    seen: set[str] = set()
    out = []
    for m in mentions:
        name = m.place.name if m.place is not None else None
        day = next(
            (d for start, d in entries.items() if start <= m.start < start + len(m.sentence) + 1), None
        )
        if m.when.value is None and day is not None and name not in seen:
            m = replace(m, when=EventDate(day, "day", basis="publication"))
        if name:
            seen.add(name)
        out.append(m)
    return out
