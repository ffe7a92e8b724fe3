"""Many literal names as one regular expression, as a character trie (the gazetteer's names, the actors'
aliases): the engine follows one branch per character instead of trying every name in turn."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


def trie_pattern(names: Iterable[str]) -> str:
    """One regular expression for all names, as a character trie; the greedy optional tails keep the
    longest name that matches, as an alternation of the names longest first does."""
    root: dict[str, Any] = {}
    for name in names:
        node = root
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)
