"""Who did it: the group behind an event of a report, and whether it claimed the attack. Pure."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from outrider.intel.actors import find_actors
from outrider.intel.blame import BLAME, affiliate_of, named_not_responsible, sentence_around
from outrider.intel.classify import CLAIM, NO_CLAIM, perpetrator

if TYPE_CHECKING:
    from outrider.intel.extract import Event

Sentences = list[tuple[int, str, bool]]  # each sentence's offset, text and whether it is the title

PRONOUN = re.compile(
    r"\b(?:its|the (?:group|brigade|outfit|organi[sz]ation|faction)(?:'s)?)\b"
    r"|(?:^|[.;]\s+)It\b|\bit (?:also )?claimed\b"
)
SAME_GROUP = re.compile(r"\bthe same (?:group|organi[sz]ation|outfit|militants|faction)\b", re.I)
BOTH = re.compile(
    r"\b(?:(?:both|the two|the twin|twin) (?:attacks|assaults|raids|bombings|blasts)"
    r"|(?:either|neither) (?:attack|assault|raid|bombing|blast))\b",
    re.I,
)
RESPONSIBLE = re.compile(
    r"\b(claim\w*|responsibility|carried out|was behind|were behind|accus\w+|blamed)\b", re.I
)


def _context_group(ev: Event, split: Sentences, main: bool) -> tuple[str | None, bool | None]:
    """A group named just before the event's first mention ("its fighters"), or, for the main event,
    in a sentence about responsibility."""
    first = min(m.start for m in ev.mentions)
    for idx, (start, sent, _) in enumerate(split):
        if start <= first < start + len(sent) + 1:
            here = sent[: first - start + len(ev.mentions[0].text)]
            if PRONOUN.search(here):
                # "It also claimed the raid ...", "the brigade's gunmen": the group named just before
                for back in range(idx - 1, max(-1, idx - 4), -1):
                    earlier = [a for a in find_actors(split[back][1]) if a.kind == "group"]
                    if earlier:
                        group, claimed, _ = perpetrator(split[back][1][earlier[-1].start :] + " " + here)
                        return group, claimed
            break
    # "No group has claimed the attack": a claim told elsewhere in the report is another attack's; only an
    # official's blame ("police suspect ...") names the group behind this one
    unclaimed = main and any(NO_CLAIM.search(sent) for _, sent, _ in split)
    if main:
        for _, sent, _ in split:
            if (
                RESPONSIBLE.search(sent)
                and (BLAME.search(sent) or not unclaimed)
                and not _other_time(sent, ev)
            ):
                group, claimed, _ = perpetrator(sent)
                if group:
                    return group, claimed
    said = " ".join(m.text for m in ev.mentions)
    if NO_CLAIM.search(said) and not main:
        return None, False  # a background attack "no group claimed": no other sentence's group is its group
    if any(not find_actors(c.group(1)) for c in UNREGISTERED_CLAIMANT.finditer(said)):
        return (
            None,
            True,
        )  # "a little-known outfit, the X People's Army, claimed that shooting": not a known group
    named = _answerable(split, ev if unclaimed else None)
    if len(named) == 1:  # the only group the report names is its attribution, for its main and other attacks
        if ev.place is not None and ev.place.name:  # "claimed the raid on A and a simultaneous attack in B"
            town = ev.place.name
            said += " " + " ".join(sent for _, sent, _ in split if town in sent and CLAIM.search(sent))
        return named.pop(), False if NO_CLAIM.search(said) else True if CLAIM.search(said) else None
    return None, None


# a claimant named with capitals ("the Sindhudesh People's Army, claimed"), checked against the registry
UNREGISTERED_CLAIMANT = re.compile(
    r"\b((?-i:[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,4})),?\s+(?:has\s+|had\s+|later\s+)?claimed\b"
)
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def _other_time(sent: str, ev: Event) -> bool:
    """The sentence names a month or a year other than the event's: it tells of another attack ("In August,
    gunmen killed four labourers, an attack the police blamed on ...")."""
    if ev.when.value is None:
        return False
    months = {MONTHS.index(m.lower()) + 1 for m in re.findall(rf"\b({'|'.join(MONTHS)})\b", sent, re.I)}
    years = {int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", sent)}
    return bool(months - {ev.when.value.month} or years - {ev.when.value.year})


def _answerable(split: Sentences, unclaimed: Event | None) -> set[str]:
    """The groups a report names other than in a denial or for their past deeds (for an ``unclaimed`` event:
    only those an official blames, in a sentence of no other time)."""
    out = set()
    for _, sent, _ in split:
        for a in find_actors(sent):
            if a.kind != "group" or affiliate_of(sent, a.end):
                continue
            if named_not_responsible(sentence_around(sent, a.start, a.end), CLAIM):
                continue
            if unclaimed is None or (BLAME.search(sent) and not _other_time(sent, unclaimed)):
                out.add(a.name)
    return out


def doc_claim(split: Sentences, group: str | None) -> bool | None:
    """Claim status of the main event from any sentence of the report."""
    for _, sent, _ in split:
        if NO_CLAIM.search(sent):
            return False
    if group:
        for _, sent, _ in split:
            if CLAIM.search(sent) and perpetrator(sent)[0] in (
                group,
                None,
            ):
                return True  # the named group, or an unnamed "affiliate"/"the group" standing for it
    return None


def group_of(
    ev: Event, i: int, text: str, split: Sentences, main_group: str | None
) -> tuple[str | None, bool | None]:
    """The group behind the ``i``-th event and whether it claimed it, from its text, its sentences, the
    sentences around it, or ("the same organisation") the report's main event."""
    group, claimed, _ = perpetrator(text)
    if group is None:  # enumerations: the sentence names the group once for all its events
        group, claimed, _ = perpetrator(" ".join(dict.fromkeys(m.sentence for m in ev.mentions)))
    if group is None:
        group, claimed = _context_group(ev, split, main=(i == 0))
    if group is None and i > 0:
        # "claimed both attacks": the group of the report's attacks told together
        both = (sent for _, sent, _ in split if BOTH.search(sent) and RESPONSIBLE.search(sent))
        group, claimed = next(((g, c) for g, c, _ in map(perpetrator, both) if g), (None, claimed))
    if group is None and i > 0 and main_group and SAME_GROUP.search(text):
        # "the same organisation had also claimed ...": the group of the report's main event
        group, claimed = main_group, True if re.search(r"\bclaim\w*", text, re.I) else None
    if group is None and claimed is None and any(BOTH.search(s) and NO_CLAIM.search(s) for _, s, _ in split):
        claimed = False  # "no group has claimed either attack"
    if group is None and claimed is None and NO_CLAIM.search(text + " " + _short_tail(ev, split)):
        claimed = False  # "...; no casualties. No claim.": a listing line that says so of its own attack
    if group is None and claimed is None and CLAIMED_BY_UNNAMED.search(text):
        claimed = True  # "the Islamic State group claimed that attack": a claim by a group the registry lacks
    if claimed is None and (told := _claim_after(ev, split)) is not None:
        group, claimed = told, True
    return group, claimed


def _claim_after(ev: Event, split: Sentences) -> str | None:
    """The group of a claim told in the sentence right after the event's ("... the bombing in the park on
    Easter Sunday. The faction said at the time that it had targeted ...")."""
    last = max(m.start for m in ev.mentions)
    after = [sent for start, sent, _ in split if start > last][:1]
    if not after or not CLAIM.search(after[0]):
        return None
    group, claimed, _ = perpetrator(after[0])
    return group if claimed else None


# a claim told of the event by a group the actor registry does not hold ("in an attack claimed by a faction")
CLAIMED_BY_UNNAMED = re.compile(
    r"\b(?:group|faction|outfit|organi[sz]ation|affiliate)\s+(?:later\s+|has\s+|had\s+)?claimed\s+"
    r"(?:responsibility|the|that|this|it)\b|\bclaimed by (?:a|an|the)\b",
    re.I,
)


def _short_tail(ev: Event, split: Sentences) -> str:
    """The short sentences right after the event's mentions ("No claim.", "TTP denied involvement."): a
    listing line's closing words about its attack."""
    starts = [start for start, _, _ in split]
    out = []
    for m in ev.mentions:
        idx = next((i for i, s in enumerate(starts) if s <= m.start < s + len(split[i][1]) + 1), None)
        if idx is not None and idx + 1 < len(split) and len(split[idx + 1][1]) <= 40:
            out.append(split[idx + 1][1])
    return " ".join(out)
