"""The SMS check-in language as a pure parser: a text in, a command or a precise refusal out.

    CI <movement reference> OK <code>
    CI <movement reference> DELAYED <reason, a few words> <code>
    CI <movement reference> SOS <code>

Words are separated by any white space; ``CI`` and the verbs may be in any case; the code (the sender's
check-in PIN, or the duress PIN) is always the last word. Anything else is refused with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MAX_LENGTH = 480  # three concatenated SMS; a check-in is a dozen words
REASON_MAX = 200
_REFERENCE = re.compile(r"[A-Za-z0-9_.-]{3,64}")  # a movement reference, as plans take them
_CODE = re.compile(r"[0-9]{4,8}")  # a field PIN


class Verb(StrEnum):
    """What an SMS check-in reports."""

    ok = "OK"
    delayed = "DELAYED"
    sos = "SOS"


@dataclass(frozen=True, slots=True)
class SmsCommand:
    """A well-formed SMS check-in."""

    reference: str
    verb: Verb
    code: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a text is not an SMS check-in (never repeating the code)."""

    reason: str


def parse(text: str) -> SmsCommand | Rejection:
    """The command a text states, or why it states none."""
    if len(text) > MAX_LENGTH:
        return Rejection(f"the text is longer than {MAX_LENGTH} characters")
    words = text.split()
    if not words:
        return Rejection("the text is empty")
    if words[0].upper() != "CI":
        return Rejection("a check-in starts with CI")
    if len(words) < 4:
        return Rejection("expected: CI <movement reference> OK|DELAYED <reason>|SOS <code>")
    reference, verb_word, code = words[1], words[2].upper(), words[-1]
    if _REFERENCE.fullmatch(reference) is None:
        return Rejection("the movement reference is not one (3 to 64 letters, digits, _ . -)")
    if verb_word not in Verb.__members__.values():
        return Rejection(
            "unknown verb: the third word is OK, DELAYED or SOS"
        )  # never echoed: it may be a code
    if _CODE.fullmatch(code) is None:
        return Rejection("the last word must be your code (4 to 8 digits)")
    verb = Verb(verb_word)
    middle = " ".join(words[3:-1])
    if verb is Verb.delayed:
        if not middle:
            return Rejection("DELAYED needs a reason before the code")
        if len(middle) > REASON_MAX:
            return Rejection(f"the reason is longer than {REASON_MAX} characters")
        return SmsCommand(reference, verb, code, middle)
    if middle:
        return Rejection(f"{verb.value} takes no words between it and the code")
    return SmsCommand(reference, verb, code)
