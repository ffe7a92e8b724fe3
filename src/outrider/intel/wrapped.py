"""Hard-wrapped plain text: a report typed or mailed at a fixed width, its sentences broken across lines.

A security log, a circular or a brief pasted from an e-mail breaks every paragraph at about the same column
("... a loud explosion on the link road between the National Highway and the terminal" / "main gate, approx.
1.5 km short of Gate 1."). Read line by line, half a sentence lost its verb and the other half its place; the
toll ("1 killed (PK guard)," / "3 injured") was cut in two. Such a report's lines are joined back into the
paragraphs they were cut from; a report written a paragraph a line is left as it is.
"""

from __future__ import annotations

import re

# widths a report is wrapped at: a terminal's 60-80 columns to a word processor's 130 or so
NARROWEST, WIDEST = 50, 160
SLACK = 15  # a wrapped line ends up to this many characters short of the width (the next word did not fit)
SHORT = 40  # lines shorter than this say nothing of the width (headings, signatures, times)
# a line that opens something of its own: a bullet, a numbered or lettered point, a time-stamped entry, a
# table's row, a rule; and one that closes its own: a heading in capitals, a rule
OPENS = re.compile(
    r"\s*(?:[-•*–—>]\s|\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)]\s|(?:[01]\d|2[0-3])[0-5]\d\s+(?:hrs\s+)?[A-Z]|\d\d:\d\d\b"
    r"|[-=_*]{3,}|\S.*\|)"
)
RULE = re.compile(r"\s*[-=_*]{3,}\s*$")


def width(lines: list[str]) -> int | None:
    """The width the report was wrapped at, when most of its long lines end close to one column."""
    prose = [len(ln.rstrip()) for ln in lines if ln.strip() and "|" not in ln and not RULE.match(ln)]
    long = [n for n in prose if n >= SHORT]
    if not long:
        return None
    widest = max(long)
    near = [n for n in long if n >= widest - SLACK]
    wrapped = NARROWEST <= widest <= WIDEST and len(near) >= 4 and len(near) >= 0.4 * len(long)
    return widest if wrapped else None


def cut(prev: str, line: str, columns: int) -> bool:
    """Whether a wrap at ``columns`` broke ``line`` off ``prev``, the line before it as written: ``prev`` is a
    long line of prose the next word would not have fitted on, and ``line`` opens nothing of its own."""
    words = line.split()
    end = len(prev.rstrip())
    return bool(
        words
        and prev.strip()
        and end >= 0.6 * columns
        # the next word would not have fitted on the line before: the wrap moved it down
        and end + 1 + len(words[0]) > columns - SLACK
        and "|" not in prev
        and not RULE.match(prev)
        and not prev.strip().isupper()
        and not OPENS.match(line)
    )


def cuts(lines: list[str], columns: int) -> list[bool]:
    """For each line, whether a wrap at ``columns`` cut it off the line before (`cut`)."""
    return [i > 0 and cut(lines[i - 1], line, columns) for i, line in enumerate(lines)]


def unwrap(text: str) -> str:
    """The text with each line the wrap cut joined to the line before it (unchanged if not wrapped)."""
    lines = text.splitlines()
    columns = width(lines)
    if columns is None:
        return text
    out: list[str] = []
    for line, joined in zip(lines, cuts(lines, columns), strict=True):
        if joined:
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)
