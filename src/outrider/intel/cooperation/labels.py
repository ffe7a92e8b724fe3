"""What a cooperation record names beside its act: the officials titled in it and the object promised."""

from __future__ import annotations

import re

from outrider.intel.cooperation.commitments import Commitment
from outrider.intel.cooperation.lexicon import LEXICON
from outrider.intel.cooperation.mentions import Mention
from outrider.intel.cooperation.parties import find_parties

OFFICIAL = re.compile(r"((?:[A-Z][a-z]+|[A-Z]{2,})(?:[ -][A-Z][a-z]+){1,2})")


def officials(c: Commitment) -> tuple[str, ...]:
    names: list[str] = []
    for m in c.mentions:
        s = m.sentence.text
        for t in LEXICON.titles.finditer(s):
            o = OFFICIAL.match(s, t.end() + 1)
            if o and o.group(1) not in names and not find_parties(o.group(1)):
                names.append(o.group(1))
    return tuple(names)


# where an object ends: punctuation ending a clause (not "$11.6", "250,000"), a conjunction, a verb of saying
OBJECT_END = re.compile(
    r"[,;:.](?=\s|$)|\s(?:and|that|which|who|after|as|when|while|but|because|said|says"
    r"|on (?:mon|tues|wednes|thurs|fri|satur|sun)day)\b",
    re.I,
)


def commitment_object(m: Mention) -> str:
    """What is promised: the trigger and the words after it up to a clause's end (at most eight words)."""
    s = m.sentence.text
    tail = OBJECT_END.split(s[m.trigger[0] :], maxsplit=1)[0]
    return " ".join(tail.split()[:8])[:120]
