"""An event's incident record in the gold schema's names: its fields, toll, place and attribution. Pure."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from outrider.intel.casualties import Casualties, casualties
from outrider.intel.classify import classify
from outrider.intel.lexicon import attack_words, nationalities
from outrider.intel.small_towns import told_point
from outrider.intel.toll_words import spelled_out
from outrider.intel.victim_groups import home_country

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from outrider.intel.dates import EventDate
    from outrider.intel.extract import Event

TOLD_ATTACK = attack_words()
NATIONALITY = nationalities()  # data/lexicon.json: a pattern of demonyms per ISO code
# people at work ("a bus carrying workers", "project staff"), not the local staff of foreign visitors
WORKERS = re.compile(
    r"(?i)(?<!pakistani )(?<!local )"
    r"\b(?:workers?|engineers?|technicians?|staff|employees?|labou?rers?|project)\b"
)
TOLL_WORD = re.compile(
    r"(?i)kill|dead|death|died|wound|injur|hurt|toll|fatalit|casualt|li(?:fe|ves)|martyr|shahadat"
)


def record(
    ev: Event,
    text: str,
    basis: str | None,
    attribution: tuple[str | None, bool | None],
    main: bool,
    listing: str = "",
    after: Callable[[], str] | None = None,
    heading: str = "",
    toll: str = "",
) -> dict[str, Any]:
    """An event's incident record in the gold-schema names (``listing``: where its victims may be listed;
    ``after``: the sentences of its mentions and those told right after, where its toll may also be;
    ``heading``: the report's first lines, whose scope may tell whom its attacks were on; ``toll``: a live
    page's updates told latest first, what the toll is read from then (`casualties.casualties`))."""
    group, claimed = attribution
    if group is None and claimed is None:
        claimed = False  # no group named as responsible and no claim told: unclaimed, as the gold has it
    fields = classify(text)
    cas = casualties(spelled_out(toll or text), spelled_out(listing), bool(toll))  # "2 personnel KIA; 3 WIA"
    if main and cas.wounded is None:  # "Two guards sustained minor injuries": no attack word, no mention
        quiet = " ".join(s for s in re.split(r"(?<=[.!?])\s+", listing) if not TOLD_ATTACK.search(s))
        cas = replace(cas, wounded=casualties(quiet).wounded)
    if after is not None and (cas.killed is None or cas.wounded is None):
        more = spelled_out(after())
        if TOLL_WORD.search(more):
            cas = _told_after(cas, casualties(more))
    place = ev.place
    assert place is not None
    foreign = set(cas.killed_by_nationality) | set(cas.wounded_by_nationality)
    at_work = fields["target_type"] == "civilians" and WORKERS.search(text) is not None
    if (fields["target_type"] == "unknown" or at_work) and foreign - {"", place.country}:
        # foreign victims are the evident target; "a bus carrying workers ... killing 13, nine of them
        # Chinese": foreign nationals working in the country (GOLD-SCHEMA), not passers-by or climbers
        fields["target_type"] = "foreign_workers"
    elif fields["target_type"] == "unknown" and _attacks_on_foreigners(heading, place.country):
        # "CORRIDOR WATCH - Attacks on Chinese nationals and projects": the page tells its rows' target
        fields["target_type"] = "foreign_workers"
    return {
        "required": True,
        "date": ev.when.value.isoformat() if ev.when.value else None,
        "date_precision": ev.when.precision,
        "date_basis": basis,
        "country": place.country,
        "admin1": place.admin1,
        "city": place.name,
        "location_text": next((m.where for m in ev.mentions if m.where), None),
        **told_point(place),
        **fields,
        "killed": cas.killed,
        "wounded": cas.wounded,
        "killed_by_nationality": _killed_by_nationality(cas, place.country, text),
        "wounded_by_nationality": home_country(cas.wounded_by_nationality, place.country),
        "perpetrator": group,
        "claimed": claimed,
        "main_story": main,
        "evidence": {"mentions": [[m.start, m.start + len(m.text)] for m in ev.mentions]},
    }


def _told_after(cas: Casualties, more: Casualties) -> Casualties:
    """A toll the event's own words lack, told in the sentences after them ("A bomb struck the van. Two
    technicians were injured."): it fills what is missing, never what the event's words state."""
    if cas.killed is None and more.killed is not None:
        cas = replace(cas, killed=more.killed, killed_by_nationality=more.killed_by_nationality)
    if cas.wounded is None and more.wounded is not None:
        cas = replace(cas, wounded=more.wounded, wounded_by_nationality=more.wounded_by_nationality)
    return cas


def following(split: list[tuple[int, str, bool]], starts: list[int], own: list[int], most: int = 3) -> str:
    """The sentences of an event's mentions (``own``: their starts) that tell no other event, and those told
    after them up to the next sentence holding a mention of any event (``starts``), at most ``most`` after
    each: where a toll told apart from the attack's own words may be ("... an attack near Duki on Thursday
    night, as the death toll rose to twelve", "... Friday prayers. Toll 5 / 14.")."""
    out: list[str] = []
    others, last = set(starts) - set(own), max(own, default=-1)
    for i, (s0, sentence, _) in enumerate(split):
        if s0 > last:
            break
        if not any(s0 <= m < s0 + len(sentence) for m in own):
            continue
        if not any(s0 <= m < s0 + len(sentence) for m in others):
            out.append(sentence)
        for t0, nxt, title in split[i + 1 : i + 1 + most]:
            if title or any(t0 <= m < t0 + len(nxt) for m in starts):
                break
            out.append(nxt)
    # each a sentence of its own: "13 Sep 2023 - 12:05" is no count of the victims told after it
    return " ".join(s.strip().rstrip(".") + "." for s in dict.fromkeys(out))


def _killed_by_nationality(cas: Casualties, country: str, text: str = "") -> dict[str, int]:
    """The dead by nationality; once a report breaks its victims down by nationality (foreigners among the
    wounded, or among the people the attack struck: "a van carrying Chinese technicians"), dead of no stated
    nationality count as the incident's country (GOLD-SCHEMA: Pakistani police, soldiers and "locals" count as
    PK "once nationality is being broken down")."""
    by = home_country(cas.killed_by_nationality, country)
    if by or not cas.killed:
        return by
    foreign = set(cas.wounded_by_nationality) - {"", country}
    if foreign or any(code != country for code in foreigners_told(text)):
        return {country: cas.killed}
    return by


# "Chinese engineers", "a Chinese national", "foreign technicians": people told by their nationality
PEOPLE_OF_A_NATION = re.compile(
    rf"\b(?P<demonym>{'|'.join(NATIONALITY.values())}|foreign)\s+(?:[\w-]+\s+)?"
    r"(?:nationals?|citizens?|engineers?|workers?|technicians?|staff|employees?|guests?|personnel|experts?"
    r"|couple|teachers?|traders?|businessm[ae]n|colleagues)\b",
    re.I,
)


def foreigners_told(text: str) -> set[str]:
    """The nationalities of the people a text names by their nationality ("" for "foreign")."""
    out = set()
    for m in PEOPLE_OF_A_NATION.finditer(text):
        word = m["demonym"]
        out.add(next((c for c, pat in NATIONALITY.items() if re.fullmatch(pat, word, re.I)), ""))
    return out


def basis_of(when: EventDate, published: date | None, relative: str) -> str | None:
    """How the event's year was found, for the analyst (relative to what, when not written)."""
    if when.value is None:
        return None
    if when.basis == "publication" and published is None:
        return relative  # the second pass anchors on the main event (or a linked report's date)
    return when.basis


# "Attacks on Chinese nationals and projects in Sindh": a report's scope, the people its attacks were on
ATTACKS_ON = re.compile(rf"\battacks?\s+(?:on|against|targeting)\s+(?:{PEOPLE_OF_A_NATION.pattern})", re.I)


def _attacks_on_foreigners(heading: str, country: str) -> bool:
    """Whether a report's heading scopes it to attacks on foreign nationals (not the country's own)."""
    return any(bool(foreigners_told(m.group(0)) - {country}) for m in ATTACKS_ON.finditer(heading))
