"""Actor registry: armed groups and state agencies with their aliases."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class ActorHit:
    """An actor named in text."""

    name: str
    kind: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _index() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    raw = resources.files("outrider.intel").joinpath("data", "actors.json").read_text(encoding="utf-8")
    table: dict[str, tuple[str, str]] = {}
    for row in json.loads(raw):
        for alias in [row["name"], *row["aliases"]]:
            table[alias.lower()] = (row["name"], row["kind"])
    names = sorted(table, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE), table


def find_actors(text: str) -> list[ActorHit]:
    """Every registered actor named in text; short acronyms must be upper case."""
    pattern, table = _index()
    out = []
    for m in pattern.finditer(text):
        token = m.group(1)
        if len(token) <= 5 and not token.isupper() and token.lower() != "haqqani":
            continue
        name, kind = table[token.lower()]
        out.append(ActorHit(name, kind, m.start(), m.end()))
    return out


def canonical(name: str) -> str | None:
    """Canonical group name for an alias, or None."""
    entry = _index()[1].get(name.lower())
    return entry[0] if entry else None
