"""A report's lines cut into sentences, with their offsets into the joined text. Pure."""

from __future__ import annotations

import re

TITLES = "Mr Mrs Ms Dr Prof Capt Col Lt Gen Maj Brig Sgt Cpl Insp No"  # "a teacher, Mr. X, in Y": no end
# nor a road's far end told by its initials: "on the Tank-D.I. Khan road"
INITIALS = r"(?<!-[A-Z]\.[A-Z]\.)"
# no end inside brackets: "vehicle No. 2 (Toyota Hiace, reg. LEB-4471) was struck by a bomb"
IN_BRACKETS = r"(?![^().!?]{0,60}\))"
SENT_SPLIT = re.compile(
    "".join(rf"(?<!\b{t}\.)" for t in TITLES.split()) + INITIALS + r"(?<=[.!?])\s+(?=[A-Z\"'])" + IN_BRACKETS
)


def sentences(lines: tuple[str, ...]) -> list[tuple[int, str, bool]]:
    """Split article lines into (offset, sentence, is_title) with offsets into the joined text."""
    out = []
    offset = 0
    for i, line in enumerate(lines):
        pos = 0
        for part in SENT_SPLIT.split(line):
            idx = line.find(part, pos)
            out.append((offset + idx, part, i == 0))
            pos = idx + len(part)
        offset += len(line) + 1
    return out
