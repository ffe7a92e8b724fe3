"""The other spellings a place name is written with. Pure.

Dari and Pashto names joined by the izafat ("Pul-i-Khumri", "Mazar-e Sharif", "Sar-e-Pul") are written with
either vowel and with or without hyphens: each curated name so joined is also known by the others."""

from __future__ import annotations

import re

# "-i-", "-e-", "-e ", " i-": the izafat between two words of a name
IZAFAT = re.compile(r"(?<=[a-z])(?:-[ei]-|-[ei] | [ei]-)(?=[A-Z])")
JOINS = ("-e-", "-i-", "-e ", "-i ")


def spellings(name: str) -> list[str]:
    """The name, then its other izafat spellings (none for a name without one)."""
    if IZAFAT.search(name) is None:
        return [name]
    return [name, *(v for join in JOINS if (v := IZAFAT.sub(join, name)) != name)]


def row_names(row: dict[str, object]) -> list[str]:
    """A gazetteer row's name and aliases, each with its other spellings."""
    aliases = row.get("aliases") or []
    names = (
        [str(row["name"]), *(str(a) for a in aliases)] if isinstance(aliases, list) else [str(row["name"])]
    )
    return [spelled for name in names for spelled in spellings(name)]
