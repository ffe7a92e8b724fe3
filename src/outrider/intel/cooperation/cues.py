"""Cues of cooperation sentences that need no sentence splitting: sums handed over and action against a named
group as triggers, the words that say a trilateral or a joint body of both states is at the table, or a chair
at a body of one state's own."""

from __future__ import annotations

import re

from outrider.intel.cooperation.arguments import groups_in
from outrider.intel.cooperation.lexicon import LEXICON
from outrider.intel.cooperation.money import money_given

VALUED = ("capacity_equipment", "security_arrangement", "training")


def money_given_triggers(text: str) -> list[tuple[str, int, int]]:
    """Sums handed over in a sentence (`money.money_given`), as funding triggers."""
    return [("funding", m.start, m.end) for m in money_given(text, VALUED)]


def against_group_triggers(text: str) -> list[tuple[str, int, int]]:
    """ "against the ETIM", "cooperation against <group>": action against a group named in the registry."""
    return [
        ("action_against_group", a, b)
        for _, a, b in groups_in(text)
        if LEXICON.group_verbs.search(text, 0, a)
    ]


# "the three ministers agreed": the states of a trilateral the report told, all at the table
THREE = re.compile(
    r"\b(?:the )?(?:three|four) "
    r"(?:sides|ministers|countries|states|governments|leaders|delegations|parties)\b"
    r"|\bthe (?:foreign )?ministers (?:agreed|decided)\b",  # "The ministers agreed that the next round ..."
    re.I,
)
# "The Parties decided to constitute a committee": in a statement of three or more states, all of them
ALL_PARTIES = re.compile(THREE.pattern + r"|\bthe parties\b", re.I)


def at_table(
    sentence: str, parties: tuple[str, ...] | None, several: tuple[str, ...] | None
) -> tuple[str, ...] | None:
    """The states of an act told by "the three ministers" or "the Parties": all those of the statement or
    meeting of three or more states the report told (``several``), when the sentence names fewer."""
    if several and ALL_PARTIES.search(sentence) and (parties is None or len(parties) < len(several)):
        return several
    return parties


# "the fifth meeting of the joint working group": a body of both states meets, whether the sentence names them
JOINT_BODY = re.compile(
    r"\bjoint (?:[\w-]+ ){0,2}(?:working group|committee|commission)\b|\b(?:JWG|JCC)\b", re.I
)


# "the cabinet, which met with the chief minister in the chair", "under the chairmanship of": a body at home
CHAIRED = re.compile(
    r"\bin the chair\b|\bunder the chairmanship of\b|(?<!co-)\bchaired by\b|\bpresided (?:over )?by\b", re.I
)
