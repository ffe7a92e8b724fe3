"""Sums of money in text: "$1.25 million", "Rs2.5 crore", "55 million yuan", "two million dollars".

A sum needs a currency, before or after the number; scale words (million, crore, lakh, billion) multiply.
Word numbers are read by `intel.numbers`, the one reader of numbers in words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from outrider.intel.cooperation.lexicon import LEXICON
from outrider.intel.numbers import NUMBER_RE, parse_number

_SCALES = "|".join(sorted(LEXICON.scales, key=len, reverse=True))
_BEFORE = "|".join(p.pattern for p, _ in LEXICON.currency_before)
SUM = re.compile(
    rf"(?P<cur>{_BEFORE})?\s?(?P<num>\d[\d,]*(?:\.\d+)?|{NUMBER_RE.pattern})(?:\s?(?P<scale>{_SCALES})\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Money:
    """A sum: its value in units of the currency, the ISO 4217 code, and where the text says it."""

    amount: float
    currency: str
    start: int
    end: int


def _value(number: str) -> float | None:
    digits = number.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return float(digits)
    words = parse_number(number)
    return float(words) if words else None


def _currency_before(token: str | None) -> str | None:
    if not token:
        return None
    return next((code for rx, code in LEXICON.currency_before if rx.fullmatch(token)), None)


def find_money(text: str) -> list[Money]:
    """Every sum of money in text, in order."""
    found: list[Money] = []
    for m in SUM.finditer(text):
        value = _value(m["num"])
        if value is None or not value:
            continue
        scale = m["scale"]
        if scale and scale.lower() == "m" and not m["cur"]:
            continue  # "5 m" alone is a length
        code = _currency_before(m["cur"])
        end = m.end()
        if code is None:
            after = next(((rx, c) for rx, c in LEXICON.currency_after if rx.match(text, m.end())), None)
            if after is None:
                continue
            code, end = after[1], after[0].match(text, m.end()).end()  # type: ignore[union-attr]
        if scale:
            value *= LEXICON.scales[scale.lower()]
        found.append(Money(value, code, m.start(), end))
    return found
