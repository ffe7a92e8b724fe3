"""Actor registry: armed groups and state agencies with their aliases.

The packaged table (`data/actors.json`) is the default; a service that keeps an edited registry in the
database runs the pipeline inside `using(registry)` so that edits take effect on the next extraction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from outrider.intel.tries import trie_pattern

ACTOR_KINDS = ("group", "agency")


@dataclass(frozen=True)
class ActorHit:
    """An actor named in text."""

    name: str
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class ActorEntry:
    """One actor: its canonical name, kind and the other spellings reports use."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()


class ActorRegistry:
    """Aliases compiled into one pattern (a character trie); the longest spelling that matches wins."""

    def __init__(self, entries: Iterable[ActorEntry]) -> None:
        self.entries = tuple(entries)
        self.table: dict[str, tuple[str, str]] = {}
        self.words: set[str] = (
            set()
        )  # short names that are words, not acronyms ("Daesh"): capitalised suffices
        for row in self.entries:
            for alias in (row.name, *row.aliases):
                if alias.strip():
                    self.table[alias.strip().lower()] = (row.name, row.kind)
                    if not alias.strip().isupper():
                        self.words.add(alias.strip().lower())
        body = trie_pattern(self.table) or r"(?!x)x"  # the longest spelling that matches
        self.pattern = re.compile(r"\b(" + body + r")\b", re.IGNORECASE)

    def find(self, text: str) -> list[ActorHit]:
        """Every registered actor named in text; short acronyms must be upper case."""
        out = []
        for m in self.pattern.finditer(text):
            token = m.group(1)
            if (
                len(token) <= 5
                and not token.isupper()
                and not (token[:1].isupper() and token.lower() in self.words)
            ):
                continue
            name, kind = self.table[token.lower()]
            out.append(ActorHit(name, kind, m.start(), m.end()))
        return out

    def canonical(self, name: str) -> str | None:
        """Canonical name for an alias, or None."""
        entry = self.table.get(name.strip().lower())
        return entry[0] if entry else None


def packaged_entries() -> list[ActorEntry]:
    """The actors shipped with Outrider (the groups and agencies the corpus names)."""
    raw = resources.files("outrider.intel").joinpath("data", "actors.json").read_text(encoding="utf-8")
    return [ActorEntry(r["name"], r["kind"], tuple(r["aliases"])) for r in json.loads(raw)]


@lru_cache(maxsize=1)
def _default() -> ActorRegistry:
    return ActorRegistry(packaged_entries())


_current: ContextVar[ActorRegistry | None] = ContextVar("outrider_intel_actors", default=None)


def current() -> ActorRegistry:
    """The registry in force: the one set by `using`, else the packaged one."""
    return _current.get() or _default()


@contextmanager
def using(registry: ActorRegistry) -> Iterator[ActorRegistry]:
    """Run extraction with this registry (for example the edited one kept in the database)."""
    token = _current.set(registry)
    try:
        yield registry
    finally:
        _current.reset(token)


def find_actors(text: str) -> list[ActorHit]:
    """Every actor of the registry in force named in text."""
    return current().find(text)


def canonical(name: str) -> str | None:
    """Canonical group name for an alias in the registry in force, or None."""
    return current().canonical(name)
