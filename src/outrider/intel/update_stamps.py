"""A live page's update stamps ("18:40 IST", "UPDATE 3 (2340 PKT)", "1040 hrs — ..."): the latest update, by
its time or number and not by its place on the page, tells the figure that supersedes the others. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import Protocol, TypeVar

# a line that opens with an update's stamp: its number, or its time (alone on the line, or "hrs" before text)
STAMP = re.compile(
    r"^\s*(?:UPDATE\s+(?P<n>\d{1,2})\b(?![:.]\d)"
    r"|(?:UPDATE\s+)?(?P<h>[01]?\d|2[0-3])[:.](?P<m>[0-5]\d)\s*(?P<pm>[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?\s*$"
    r"|(?P<hhmm>(?:[01]\d|2[0-3])[0-5]\d)\s*hrs\b)",
    re.I,
)


class Placed(Protocol):
    """A mention: where it starts on the page and its words."""

    @property
    def start(self) -> int: ...

    @property
    def text(self) -> str: ...


M = TypeVar("M", bound=Placed)


def _value(m: re.Match[str]) -> int:
    if m["n"]:
        return int(m["n"])
    if m["hhmm"]:
        return int(m["hhmm"][:2]) * 60 + int(m["hhmm"][2:])
    hour = int(m["h"])
    if m["pm"]:  # "11:48 pm", "9.05 a.m."
        hour = hour % 12 + (12 if m["pm"].lower().startswith("p") else 0)
    return hour * 60 + int(m["m"])


def ordered_stamps(lines: Sequence[str]) -> list[tuple[int, int]]:
    """The offsets (into the lines joined by newlines) of a page's update stamps with their order, when the
    page tells them in order (three stamps or more, each later than the one above it or each earlier); else
    none (stamps of two kinds, or a diary's times running over days)."""
    found, offset = [], 0
    for line in lines:
        if (m := STAMP.match(line)) is not None:
            found.append((offset, _value(m), m["n"] is None))
        offset += len(line) + 1
    kinds = {kind for _, _, kind in found}
    values = [v for _, v, _ in found]
    pairs = list(pairwise(values))
    ordered = all(b > a for a, b in pairs) or all(b < a for a, b in pairs)
    if len(found) < 3 or len(kinds) > 1 or not ordered:
        return []
    return [(at, v) for at, v, _ in found]


def newest_first(mentions: Sequence[M], stamps: list[tuple[int, int]]) -> list[M]:
    """An event's mentions in the order a reader of the latest figure takes them: what stands above the first
    stamp (a lead written last) first, then the updates' newest first, each update's own in its order."""
    if not stamps:
        return list(mentions)

    def key(mention: M) -> int:
        above = [v for at, v in stamps if at <= mention.start]
        return -above[-1] if above else -(1 << 30)

    return sorted(mentions, key=key)


def updates_told(page: str, stamps: list[tuple[int, int]], mentions: Sequence[M]) -> str:
    """The whole updates a live page tells the mentions in, latest first, each once ("18:40 IST / The death
    toll has risen to nine ... Twelve people are being treated for injuries ..."): the latest update's figures
    told in sentences naming no attack; what stands above the first stamp as the mentions say it."""
    ends = [at for at, _ in stamps[1:]] + [len(page)]
    spans = {at: (v, end) for (at, v), end in zip(stamps, ends, strict=True)}
    out: list[str] = []
    for mention in newest_first(mentions, stamps):
        at = max((a for a in spans if a <= mention.start), default=None)
        if at is None:
            out.append(mention.text.strip().rstrip(".") + ".")
        elif (told := page[at : spans[at][1]].split("\n", 1)[-1].strip()) not in out:
            out.append(told)
    return " ".join(out)
