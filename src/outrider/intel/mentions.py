"""Mentions: the stretches of a report's sentences that describe an attack at a place, with their dates."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import partial
from itertools import pairwise

from outrider.intel import not_sites
from outrider.intel.actors import find_actors
from outrider.intel.areas import areas_sited
from outrider.intel.dated_clauses import (
    abducted_before,
    by_dates,
    day_after_noun,
    day_beside_place,
    opens_sentence,
)
from outrider.intel.dates import AHEAD_OF_PUBLICATION, EventDate, resolve_event_date
from outrider.intel.event_dates import days_written, later_than, relative_to, same_day, written_over
from outrider.intel.gazetteer import Place, PlaceHit, find_places, known_name
from outrider.intel.lexicon import attack_words, other_senses, untold
from outrider.intel.not_sites import died_there, home_or_base, outside_names, spoken_from, treated_far
from outrider.intel.place_clauses import cut_clauses, placed_segments
from outrider.intel.small_towns import seats_within
from outrider.intel.told_towns import filed_for, with_told, within

ATTACK = attack_words()  # data/lexicon.json
UNTOLD = untold()  # a drill's attack, an attack word in another sense ("toll plaza")
OTHER_SENSES = other_senses()
# a weekday or "last night": the event is days old, even where no publication date anchors it
RECENT = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|last night)\b",
    re.I,
)
# "PESHAWAR: ...", "KARACHI, Pakistan (AP) — ...", "ISLAMABAD (Reuters) - ...": where the report was filed
DATELINE_TOWN = re.compile(
    r"[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,3}(?::\s|(?:,\s+[A-Z][a-z]+(?: [A-Z][a-z]+)?)?\s+\()"
)


@dataclass(frozen=True)
class Mention:
    """One stretch of text describing an attack at a place."""

    text: str
    start: int
    place: Place | None
    when: EventDate
    in_title: bool
    sentence: str = ""
    where: str | None = None  # the words naming the place ("near Dasu"), not the whole sentence
    recent: bool = False  # dated only by a weekday or "yesterday" that nothing could anchor: days old
    item: int | None = None  # the listing item it lies in (`items.itemised`)


def mentions_of(
    sentence: str,
    start: int,
    published: date | None,
    in_title: bool,
    anchor: date | None = None,
    bound: date | None = None,
    ahead: int = AHEAD_OF_PUBLICATION,
    towns: Mapping[str, Place] | None = None,
) -> list[Mention]:
    """Cut a sentence into per-place segments and keep those with an attack cue. ``ahead``: how far after
    ``published`` a date without year may fall (see `dates.resolve_event_date`); ``towns``: names the report
    itself establishes as towns (`untold_towns.told_in_headline`)."""
    if not ATTACK.search(sentence) or (
        OTHER_SENSES.search(sentence) and not ATTACK.search(OTHER_SENSES.sub(" ", sentence))
    ):
        return []
    filed, hits = _filed(sentence, _site_hits(sentence, towns or {}))
    use = [h for h in hits if not h.is_region]
    clauses = cut_clauses(sentence)
    owner = [_owner(sentence, cs, ce, hits, published) for cs, ce in clauses]
    segments = seats_within(sentence, placed_segments(sentence, clauses, owner, use, in_title))
    segments, out = by_dates(sentence, segments, clauses, use), []
    for s0, s1, place in segments:
        seg = sentence[s0:s1]
        if not ATTACK.search(UNTOLD.sub(" ", seg)):
            continue  # "rehearsing the response to an attack on a convoy": no attack
        if len(segments) == 1:
            at = [h.start for h in use if h.place == place]
            when = _sentence_date(sentence, clauses, published, bound, ahead, at)
        else:
            when = resolve_event_date(seg, published, bound, ahead)
            if when.value is None and s0 > 0:
                # "In 2018 the group sent a bomber against a bus near A, and gunmen against the consulate in
                # B": the date the sentence opens with is the date of each attack it lists
                lead = resolve_event_date(sentence[:s0], published, bound, ahead)
                when = lead if lead.value is not None and opens_sentence(lead) else when
        read = partial(resolve_event_date, published=published, bound=bound, ahead=ahead)
        when = day_after_noun(seg, when, read) or when
        when = day_beside_place(seg, s0, use, place, when, read) or when
        if anchor is not None:
            rel = relative_to(seg, anchor, sentence[:s0], published)
            if rel is not None and not written_over(when, rel):
                when = rel
        if place is None:
            regions = [h.place for h in hits if h.is_region and s0 <= h.start < s1]
            recent = filed_for(when, published)  # the dateline's town for an attack of the days before
            place = regions[0] if regions and when.value is not None else filed if recent else None
            if regions and filed is not None and recent and within(filed, regions[0]):
                place = filed  # "X: ... police in Y district said": the dateline's town, a town of Y
        elif not place.name and when.value is None:
            place = None
        where = _where(sentence, hits, place, s0)
        recent = when.value is None and RECENT.search(seg) is not None
        out.append(Mention(seg, start + s0, place, when, in_title, sentence, where, recent))
        for other in _coordinated(sentence, use, place, s0, s1):
            out.append(
                Mention(seg, start + s0, other, when, in_title, sentence, _where(sentence, hits, other, s0))
            )
    return out


def _owner(sentence: str, cs: int, ce: int, hits: list[PlaceHit], published: date | None) -> Place | None:
    """The town a clause names; a province only for a clause with a date (a dated event in a province)."""
    here = [h for h in hits if not h.is_region and cs <= h.start < ce]
    if not here and resolve_event_date(sentence[cs:ce], published).value is not None:
        here = [h for h in hits if h.is_region and cs <= h.start < ce]
    return here[0].place if here else None


def _filed(sentence: str, hits: list[PlaceHit]) -> tuple[Place | None, list[PlaceHit]]:
    """ "PESHAWAR: Seven people were killed ... in the vegetable market of <a quarter>": the dateline's town
    (where the report was filed, the attack's place only when its clauses name none) and the other hits."""
    filed = next((h.place for h in hits if h.start == 0 and DATELINE_TOWN.match(sentence)), None)
    hits = [h for h in hits if filed is None or h.start > 0]
    # "BANNU: ... a constable died at the Combined Military Hospital in Peshawar": where a victim died
    treated = [h for h in hits if not_sites.HOSPITAL_IN.search(sentence[max(0, h.start - 40) : h.start])]
    # "taken to a hospital in X, 90 km away": never the site
    hits = [h for h in hits if not (h in treated and treated_far(sentence, h))]
    if treated and (filed is not None or len(treated) < len([h for h in hits if not h.is_region])):
        hits = [h for h in hits if h not in treated]
    # "an inspector died at Quetta's Civil Hospital": a town's hospital named by its possessive,
    # in a sentence that tells no attack, is where a victim was treated or died, even alone
    if not STRONG_ATTACK.search(sentence):  # also "succumbed at the X Hospital in Larkana": where one died
        hits = [
            h
            for h in hits
            if not (not_sites.TOWNS_HOSPITAL.match(sentence, h.end) or died_there(sentence, h))
        ]
    return filed, hits


def site_hits(sentence: str, towns: Mapping[str, Place]) -> list[PlaceHit]:
    """The places a sentence names that may be a site: not a group's, a home, a hospital's or a dateline's."""
    return _filed(sentence, _site_hits(sentence, towns))[1]


def told_hits(sentence: str, towns: Mapping[str, Place]) -> list[PlaceHit]:
    """The places a sentence names that may be a site, and the dateline's town (a town the report tells)."""
    hits = _site_hits(sentence, towns)
    filed = [h for h in hits if h.start == 0 and h.place.name and known_name(h.place.name)]
    return (filed[:1] if DATELINE_TOWN.match(sentence) else []) + _filed(sentence, hits)[1]


def _site_hits(sentence: str, towns: Mapping[str, Place]) -> list[PlaceHit]:
    """The places the sentence names, less those inside a group's name and where a statement was made."""
    actor_spans = [(a.start, a.end) for a in find_actors(sentence)]
    hits = [
        h
        for h in with_told(sentence, find_places(sentence), towns)
        if not any(s <= h.start < e for s, e in actor_spans)
        and not not_sites.SPOKEN_AT.search(sentence[max(0, h.start - 60) : h.start])
        and not home_or_base(sentence[: h.start])  # "resident of District X", "a commander based in X"
        and not spoken_from(sentence, h)  # "the embassy in X said"
    ]
    # "on the A-B road near the town of B", "on A road near B": no site where the sentence says where on it
    roads = [(m.start(), m.end()) for pattern in (ROAD, CONVOY) for m in pattern.finditer(sentence)]
    on_road = [h for h in hits if any(s <= h.start < e for s, e in roads)]
    if on_road and any(not h.is_region and h not in on_road for h in hits):
        hits = [h for h in hits if h not in on_road]
    # "a check post on the Tank-Pezu road": a road told from its first town; its far end is no site
    far = [(m.start(2), m.end()) for m in ROAD.finditer(sentence) if m.group(2) and known_name(m.group(1))]
    hits = [h for h in hits if not any(s <= h.start < e for s, e in far)]
    lines = [(m.start(), m.end()) for m in ROAD.finditer(sentence) if m.group(0).endswith("line")]
    return areas_sited(sentence, outside_names(sentence, hits, lines))  # no group's name; X area of Y: one


TOWN_WORDS = r"[A-Z][\w'.]*(?: [A-Z][\w'.]*)*"
ROAD = re.compile(
    rf"\b({TOWN_WORDS})(?:-({TOWN_WORDS}))?(?:-{TOWN_WORDS})*\s+"
    r"(?:road|highway|motorway|railway|route|(?:transmission|power) line|(?:gas |oil )?pipeline)\b"
)
# "the attack on the Parachinar–Thall convoy near Sadda", "stopped the Quetta-Karachi Bolan Mail near
# Dhadar": a convoy, a coach or a named train told by its route's ends, hit elsewhere
CONVOY = re.compile(
    rf"\b{TOWN_WORDS}(?:[-–]{TOWN_WORDS})+\s+(?:convoys?|coach(?:es)?|(?:[A-Z][\w'.]*\s+)?(?:Express|Mail)\b)\b"
)


def _sentence_date(
    sentence: str,
    clauses: list[tuple[int, int]],
    published: date | None,
    bound: date | None,
    ahead: int,
    at: list[int],
) -> EventDate:
    """The date of a one-place sentence's attack (its place at offsets ``at``): that of the clause that tells
    the attack ("On January 29 he visited the troops, who were attacked on the night of January 25"), else the
    sentence's, unless the sentence dates what came after the attack ("on Thursday, hours after fighters
    struck")."""
    dated = (
        resolve_event_date(sentence[cs:], published, bound, ahead)
        for cs, ce in clauses
        if STRONG_ATTACK.search(sentence[cs:ce])
    )
    when = next((d for d in dated if d.value is not None and d.explicit), None) or when_of(
        sentence, sentence, published, bound, ahead
    )
    when = _written_beside(sentence, clauses, at, when) or when
    when = (
        abducted_before(
            sentence, when, partial(resolve_event_date, published=published, bound=bound, ahead=ahead)
        )
        or when
    )
    if _told_as_before(sentence, clauses, when) or (published is None and _days_old(sentence, clauses, when)):
        return EventDate(None, "unknown")
    if when.precision == "day" and when.value is not None and DAY_EARLIER.search(sentence):
        # "on Monday claimed the bombing that tore through a rally a day earlier": the day before
        return replace(when, value=when.value - timedelta(days=1))
    return when


def _written_beside(
    sentence: str, clauses: list[tuple[int, int]], at: list[int], when: EventDate
) -> EventDate | None:
    """ "Gunmen seized the train a year ago, and a bombing at Quetta station in November 2024 killed 26": a
    month or a day written with its year in the clause that names the attack's place (at offsets ``at``) beats
    a relative date the sentence tells in another clause."""
    if not at or when.explicit or when.basis == "text":
        return None
    cs, ce = next(((cs, ce) for cs, ce in clauses if cs <= at[0] < ce), (0, 0))
    own = resolve_event_date(sentence[cs:ce], None)
    if own.value is None or own.precision not in ("day", "month") or own == when:
        return None
    return replace(own, start=own.start + cs, end=own.end + cs)


AND_PLACE = re.compile(r"\s*,?\s+and\s+(?:at\s+|in\s+|near\s+)?$")
SEVERAL = re.compile(
    r"\b(?:\w+s|twin|simultaneous|separate|both|two|three)\b\s+(?:\w+\s+){0,2}?(?:attacks|camps|bombings|"
    r"raids|blasts|explosions|assaults|posts|stations|checkpoints)\b"
    r"|\b(?:attacks|camps|bombings|raids|blasts|posts|stations|checkpoints|checkposts)\b",
    re.I,
)


def _coordinated(sentence: str, use: list[PlaceHit], place: Place | None, s0: int, s1: int) -> list[Place]:
    """Further towns joined to the mention's town by "and" where several attacks are told ("raided two
    camps at Noshki and Panjgur"): each its own event."""
    if place is None or not SEVERAL.search(sentence[s0:s1]):
        return []
    mine = [h for h in use if s0 <= h.start < s1 and h.place.name]
    out: list[Place] = []
    for a, b in pairwise(mine):
        joined = b.place.name != a.place.name and AND_PLACE.fullmatch(sentence, a.end, b.start)
        if joined and (a.place == place or a.place in out):
            out.append(b.place)
    return [p for p in out if p != place]


NEAR = re.compile(r"(?:\b(?:in|near|outside|at|inside|on the outskirts of|close to)\s+(?:the\s+)?)$", re.I)


# the verbs that tell the attack itself, not its toll or its claim
STRONG_ATTACK = re.compile(
    r"\b(?:attacked|stormed|raided|bombed|ambushed|struck|blew (?:him|her)self up|opened fire|set off"
    r"|hijacked|seized|stabbed|detonated|rammed)\b",
    re.I,
)


def _where(sentence: str, hits: list[PlaceHit], place: Place | None, s0: int) -> str | None:
    """The words naming the mention's place, with the preposition before them ("near Dasu")."""
    if place is None:
        return None
    mine = [h for h in hits if h.place == place]
    hit = next((h for h in mine if h.start >= s0), mine[0] if mine else None)
    if hit is None:
        return None
    lead = NEAR.search(sentence[max(0, hit.start - 40) : hit.start])
    return ((lead.group(0) if lead else "") + sentence[hit.start : hit.end]).strip()


DAY_EARLIER = re.compile(
    r"\b(?:a|one) day (?:earlier|before)\b|\bthe (?:previous|preceding) (?:day|night|evening)\b", re.I
)
# "troops had them surrounded on Thursday, hours after fighters struck two camps": not the attack's day
AFTER_ATTACK = re.compile(r"(?:hours|a day|a few hours|minutes)\s+after\b", re.I)


def _told_as_before(sentence: str, clauses: list[tuple[int, int]], when: EventDate) -> bool:
    """Whether the sentence's date belongs to a clause that happened after the attack it tells."""
    if when.value is None or when.start < 0:
        return False
    attack = [(cs, ce) for cs, ce in clauses if STRONG_ATTACK.search(sentence[cs:ce])]
    return bool(attack) and all(
        AFTER_ATTACK.match(sentence, cs) and not cs <= when.start < ce for cs, ce in attack
    )


def _days_old(sentence: str, clauses: list[tuple[int, int]], when: EventDate) -> bool:
    """ "The bomber who rammed a car into a convoy near X last Saturday ... went missing in 2023", in a report
    without a publication date: a weekday told before the year in the attack's clause dates the attack, days
    old; the year is another thing's."""
    if when.precision != "year" or when.start < 0:
        return False
    return any(
        STRONG_ATTACK.search(sentence, cs, ce) and RECENT.search(sentence, cs, min(ce, when.start))
        for cs, ce in clauses
        if cs < when.start
    )


def when_of(
    seg: str,
    sentence: str,
    published: date | None,
    bound: date | None = None,
    ahead: int = AHEAD_OF_PUBLICATION,
) -> EventDate:
    """The date of a segment, falling back to its whole sentence."""
    when = resolve_event_date(seg, published, bound, ahead)
    return when if when.value is not None else resolve_event_date(sentence, published, bound, ahead)


def counted_on(mentions: list[Mention], split: Sequence[tuple[int, str, bool]] = ()) -> list[Mention]:
    """Mentions dated from the one told before them ("three months later", "the following May"), or from a
    day a sentence between them writes out ("footage broadcast on October 27, 2024 ... That day a bomb")."""
    out: list[Mention] = []
    previous: EventDate | None = None
    written, at = days_written(split, [(n.start, n.text) for n in mentions]), -1
    for m in mentions:
        if previous is not None and (when := later_than(m.text, previous)) is not None:
            m = replace(m, when=when)
        elif m.when.value is None and (same := same_day(m.text, previous, written, (at, m.start))):
            m = replace(m, when=same)  # "another camp the same night": the day just told
        if m.when.value is not None and not m.in_title:
            previous, at = m.when, m.start
        out.append(m)
    return out
