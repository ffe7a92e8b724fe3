"""The SMS check-in language as a pure parser: a text in, a command or a precise refusal out.

    CI <movement reference> OK <code>
    CI <movement reference> DELAYED <reason, a few words> <code>
    CI <movement reference> SOS <code>

Words are separated by any white space; ``CI`` and the verbs may be in any case; the code (the sender's
check-in PIN, or the duress PIN) is always the last word. Anything else is refused with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
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
    """Why a text is not an SMS check-in (never repeating the code): an English template (the catalogs
    translate it for the reply) and the values it names."""

    template: str
    values: Mapping[str, object] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """The reason in English, as the audit chain keeps it."""
        return self.template % dict(self.values) if self.values else self.template


# Every reason a text is refused for, as written (a test keeps each one translated in every catalog).
TOO_LONG = "the text is longer than %(n)s characters"
EMPTY = "the text is empty"
NOT_CI = "a check-in starts with CI"
TOO_SHORT = "expected: CI <movement reference> OK|DELAYED <reason>|SOS <code>"
BAD_REFERENCE = "the movement reference is not one (3 to 64 letters, digits, _ . -)"
UNKNOWN_VERB = "unknown verb: the third word is OK, DELAYED or SOS"
NO_CODE = "the last word must be your code (4 to 8 digits)"
NO_REASON = "DELAYED needs a reason before the code"
REASON_TOO_LONG = "the reason is longer than %(n)s characters"
EXTRA_WORDS = "%(verb)s takes no words between it and the code"
TEMPLATES = (
    TOO_LONG,
    EMPTY,
    NOT_CI,
    TOO_SHORT,
    BAD_REFERENCE,
    UNKNOWN_VERB,
    NO_CODE,
    NO_REASON,
    REASON_TOO_LONG,
    EXTRA_WORDS,
)


def parse(text: str) -> SmsCommand | Rejection:
    """The command a text states, or why it states none."""
    if len(text) > MAX_LENGTH:
        return Rejection(TOO_LONG, {"n": MAX_LENGTH})
    words = text.split()
    if not words:
        return Rejection(EMPTY)
    if words[0].upper() != "CI":
        return Rejection(NOT_CI)
    if len(words) < 4:
        return Rejection(TOO_SHORT)
    reference, verb_word, code = words[1], words[2].upper(), words[-1]
    if _REFERENCE.fullmatch(reference) is None:
        return Rejection(BAD_REFERENCE)
    if verb_word not in Verb.__members__.values():
        return Rejection(UNKNOWN_VERB)  # the word is never echoed: it may be a code
    if _CODE.fullmatch(code) is None:
        return Rejection(NO_CODE)
    verb = Verb(verb_word)
    middle = " ".join(words[3:-1])
    if verb is Verb.delayed:
        if not middle:
            return Rejection(NO_REASON)
        if len(middle) > REASON_MAX:
            return Rejection(REASON_TOO_LONG, {"n": REASON_MAX})
        return SmsCommand(reference, verb, code, middle)
    if middle:
        return Rejection(EXTRA_WORDS, {"verb": verb.value})
    return SmsCommand(reference, verb, code)
