"""TLP 2.0 markings as a pure core: the order, parse and format, what a policy's ceiling releases.

TLP 2.0 (FIRST): CLEAR < GREEN < AMBER < AMBER+STRICT < RED, from "may be disclosed freely" to "for the
eyes of the participants only". Outrider stores a marking as its label (``TLP:AMBER``); the STIX form is
one of the OASIS TLP 2.0 marking-definition objects carried in ``data/tlp2.json``.
"""

from __future__ import annotations

import json
from enum import IntEnum
from functools import cache
from importlib.resources import files
from typing import Any

from outrider.errors import InvalidInput


class Tlp(IntEnum):
    """The TLP 2.0 labels in their order of restriction (a greater value is more restricted)."""

    clear = 0
    green = 1
    amber = 2
    amber_strict = 3
    red = 4

    @property
    def label(self) -> str:
        """The label as TLP 2.0 writes it: ``TLP:AMBER+STRICT``."""
        return "TLP:" + self.name.upper().replace("_", "+")

    @property
    def stix_level(self) -> str:
        """The value of ``tlp_2_0`` in the OASIS marking definition: ``amber+strict``."""
        return self.name.replace("_", "+")


DEFAULT = Tlp.amber
LABELS = tuple(t.label for t in Tlp)
TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"


def parse(text: str) -> Tlp:
    """A marking from its label, with or without ``TLP:``, any case (``amber+strict``, ``TLP:RED``)."""
    word = text.strip().upper().removeprefix("TLP:").replace("_", "+")
    for tlp in Tlp:
        if tlp.label == "TLP:" + word:
            return tlp
    raise InvalidInput(f"unknown marking {text!r}: one of {', '.join(LABELS)}")


def may_release(marking: Tlp, policy_max: Tlp) -> bool:
    """True when an object of this marking may go to a partner whose policy allows up to ``policy_max``."""
    return marking <= policy_max


@cache
def _definitions() -> tuple[dict[str, Any], ...]:
    text = files("outrider.sharing").joinpath("data/tlp2.json").read_text("utf-8")
    return tuple(json.loads(text))


def definition(tlp: Tlp) -> dict[str, Any]:
    """The OASIS TLP 2.0 marking-definition object of this marking (a fresh copy)."""
    found = next(d for d in _definitions() if d["name"] == tlp.label)
    copy: dict[str, Any] = json.loads(json.dumps(found))
    return copy


def definition_id(tlp: Tlp) -> str:
    """The fixed id of the OASIS marking definition of this marking."""
    return str(definition(tlp)["id"])
