"""Parse casualty numbers written in digits or words."""

from __future__ import annotations

import re

UNITS = {
    "no": 0,
    "none": 0,
    "zero": 0,
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"dozen": 12, "dozens": 24, "hundred": 100, "score": 20}

_WORD = "|".join(sorted([*UNITS, *TENS, *SCALES], key=len, reverse=True))
NUMBER_RE = re.compile(
    rf"\b(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:(?:{_WORD})(?:[\s-]+(?:and\s+)?(?:{_WORD}))*))\b", re.IGNORECASE
)


def parse_number(text: str) -> int | None:
    """Return the integer a digit or English number phrase denotes, or None."""
    t = text.strip().lower().replace(",", "")
    if not t:
        return None
    if t.isdigit():
        return int(t)
    total = 0
    current = 0
    seen = False
    for word in re.split(r"[\s-]+", t):
        if word == "and":
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word in SCALES:
            current = max(current, 1) * SCALES[word]
            if word == "hundred":
                total += current
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def format_words(n: int) -> str:
    """Spell an integer 0..999 in English words (used by tests)."""
    inv_units = {v: k for k, v in UNITS.items() if k not in ("a", "an", "no", "none")}
    inv_tens = {v: k for k, v in TENS.items()}
    if n < 20:
        return inv_units[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return inv_tens[tens * 10] + (f"-{inv_units[unit]}" if unit else "")
    hundreds, rest = divmod(n, 100)
    return f"{inv_units[hundreds]} hundred" + (f" and {format_words(rest)}" if rest else "")
