"""Incident extraction from clean article lines: mentions, grouping into events, field values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from outrider.intel.actors import find_actors
from outrider.intel.attribution import doc_claim, group_of
from outrider.intel.casualties import casualties, home_country
from outrider.intel.classify import classify
from outrider.intel.dates import (
    AHEAD_OF_EVENT,
    AHEAD_OF_PUBLICATION,
    DATELINE,
    EventDate,
    later_than,
    relative_to,
    resolve_event_date,
)
from outrider.intel.gazetteer import Place, PlaceHit, find_places

ATTACK = re.compile(
    r"\b(attack(?:ed|s)?|bomb(?:ing|er|ers|ed|s)?|blast|explosion|raid|storm(?:ed|ing)?|assault|gunmen|gunfight|"
    r"hijack(?:ed|ing|ers)?|seized?|attackers|assailants|suicide|massacre|ambush(?:ed)?|opened fire|"
    r"set off|blew up|raided|rampage|mowed down|fired (?:on|at|upon|into)|hurled|lobbed|knifed|"
    r"stabb(?:ed|ing)|knife|"
    r"blew (?:him|her)self up|siege|tragedy|carnage|armed men|fight(?:ing)? their way|shot dead|gunned down|"
    r"grenades?|"
    r"detonat\w+|rigged with|militants|killing|killed|wounded|injured|hurt|dead|died|toll|claimed|"
    r"casualt(?:y|ies))\b",
    re.I,
)
NON_INCIDENT_TITLE = re.compile(
    r"\b(designat\w*|verdict|sentenc\w*|execut\w*|hang(?:s|ed)|visit\w*|talks|agree\w*|drill|exercise|"
    r"operation|strikes?|pact|deal|cooperation|compensation)\b",
    re.I,
)
STATE_ACTION = re.compile(
    r"\b(executed|execution|sentenced|verdict|convicted|arrest(?:s|ed)?|designated|air ?strikes?|drills?|"
    r"exercises?|"
    r"hang(?:s|ed)|intelligence-based operation|IBO|(?:security forces|troops|CTD) killed|exchange of fire|"
    r"foil(?:s|ed)? (?:a |the )?plot|"
    r"operations? against|(?:military|full-scale|ground|army|major) offensive|offensive against)\b",
    re.I,
)
GENERIC = re.compile(
    r"\b(a string of|a series of|attacks on|wave of|spate of|such attacks|any attack)\b", re.I
)
CLAUSE = re.compile(
    r"[,;:]\s+|\s+(?=(?:(?:about|some|nearly|roughly|almost)\s+)?(?:[\w-]+\s+(?:months?|weeks?|days?|years?)\s+)?"
    r"(?:after|before|when|while)\s)"
)
ANAPHORA = re.compile(r"\b(that|this) (attack|bombing|blast|raid|assault|explosion|killing)\b", re.I)
SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


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


@dataclass
class Event:
    """Mentions grouped as one real event within a document."""

    place: Place | None
    when: EventDate
    mentions: list[Mention] = field(default_factory=list)


def sentences(lines: tuple[str, ...]) -> list[tuple[int, str, bool]]:
    """Split article lines into (offset, sentence, is_title) with offsets into the joined text."""
    out = []
    offset = 0
    for i, line in enumerate(lines):
        pos = 0
        for part in SENT_SPLIT.split(line):
            idx = line.find(part, pos)
            out.append((offset + idx, part, i == 0))
            pos = idx + len(part)
        offset += len(line) + 1
    return out


def mentions_of(
    sentence: str,
    start: int,
    published: date | None,
    in_title: bool,
    anchor: date | None = None,
    bound: date | None = None,
    ahead: int = AHEAD_OF_PUBLICATION,
) -> list[Mention]:
    """Cut a sentence into per-place segments and keep those with an attack cue.

    ``ahead``: how far after ``published`` a date without year may fall (see `dates.resolve_event_date`)."""
    if not ATTACK.search(sentence):
        return []
    actor_spans = [(a.start, a.end) for a in find_actors(sentence)]
    hits = [h for h in find_places(sentence) if not any(s <= h.start < e for s, e in actor_spans)]
    use = [h for h in hits if not h.is_region]
    clauses = _clauses(sentence)
    owner: list[Place | None] = []
    for cs, ce in clauses:
        here = [h for h in use if cs <= h.start < ce]
        if not here and resolve_event_date(sentence[cs:ce], published).value is not None:
            here = [h for h in hits if h.is_region and cs <= h.start < ce]  # a dated event in a province
        owner.append(here[0].place if here else None)
    segments = _segments(sentence, clauses, owner, use[0].place if use else None)
    out = []
    for s0, s1, place in segments:
        seg = sentence[s0:s1]
        if not ATTACK.search(seg):
            continue
        if len(segments) == 1:
            when = when_of(seg, sentence, published, bound, ahead)
        else:
            when = resolve_event_date(seg, published, bound, ahead)
        if anchor is not None:
            rel = relative_to(seg, anchor)
            if rel is not None:
                when = rel
        if place is None:
            regions = [h.place for h in hits if h.is_region and s0 <= h.start < s1]
            place = regions[0] if regions and when.value is not None else None
        elif not place.name and when.value is None:
            place = None
        where = _where(sentence, hits, place, s0)
        out.append(Mention(seg, start + s0, place, when, in_title, sentence, where))
    return out


NEAR = re.compile(r"(?:\b(?:in|near|outside|at|inside|on the outskirts of|close to)\s+(?:the\s+)?)$", re.I)


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


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """Where the sentence's clauses start and end: commas, semicolons, "after"/"when" separate enumerated
    or contrasted events."""
    cuts = [0]
    for m in CLAUSE.finditer(sentence):
        if (
            m.group(0).isspace()
            and len(cuts) > 1
            and re.fullmatch(r"[\w\s-]{0,30}", sentence[cuts[-1] : m.start()])
        ):
            continue  # one "about three months after" boundary, not three
        cuts.append(m.end())
    cuts.append(len(sentence))
    return [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if cuts[i] < cuts[i + 1]]


def _segments(
    sentence: str, clauses: list[tuple[int, int]], owner: list[Place | None], first: Place | None
) -> list[tuple[int, int, Place | None]]:
    """The sentence cut where the place changes from one clause to the next, each part with its place
    (one part when a single place, or none, is named; ``first`` is the first town named)."""
    if len({id(p) for p in owner if p is not None}) <= 1:
        place = next((p for p in owner if p is not None), first)
        cue_clauses = [i for i, (cs, ce) in enumerate(clauses) if ATTACK.search(sentence[cs:ce])]
        if (
            place is not None
            and cue_clauses
            and all(owner[i] is None for i in cue_clauses)
            and len(clauses) > 1
        ):
            place = None  # the place belongs to a clause without the attack: context, not the site
        return [(0, len(sentence), place)]
    segments: list[tuple[int, int, Place | None]] = []
    current: Place | None = next(p for p in owner if p is not None)
    seg_start = 0
    for (cs, _), p in zip(clauses, owner, strict=True):
        if p is not None and p is not current and cs > seg_start:
            segments.append((seg_start, cs, current))
            seg_start, current = cs, p
        elif p is not None:
            current = p
    segments.append((seg_start, len(sentence), current))
    return segments


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


def _same_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return True
    if a.name and b.name:
        return a.name == b.name
    return a.admin1 == b.admin1 or (a.country == b.country and (a.admin1 is None or b.admin1 is None))


def _same_time(a: EventDate, b: EventDate) -> bool:
    if a.value is None or b.value is None:
        return True
    if "year" in (a.precision, b.precision):
        return a.value.year == b.value.year
    if "month" in (a.precision, b.precision):
        return (a.value.year, a.value.month) == (b.value.year, b.value.month)
    return abs((a.value - b.value).days) <= 2


def _more_specific(a: Place | None, b: Place | None) -> Place | None:
    if a is None:
        return b
    if b is None:
        return a
    if not a.name and b.name:
        return b
    return a


_RANK = {"day": 3, "month": 2, "year": 1, "unknown": 0}


def group_events(mentions: list[Mention]) -> list[Event]:
    """Merge mentions of the same place and compatible time into events, in order of first mention."""
    events: list[Event] = []
    last: Event | None = None
    for m in mentions:
        target = None
        if m.place is None and m.when.value is None and events:
            # an undated, placeless sentence continues the event just spoken of ("that bombing")
            target = last if last is not None and ANAPHORA.search(m.text) else events[0]
        else:
            for ev in events:
                if ev.place is None or m.place is None:
                    ok = ev is events[0] and _same_time(ev.when, m.when)
                else:
                    ok = _same_place(ev.place, m.place) and _same_time(ev.when, m.when)
                if ok:
                    target = ev
                    break
            if target is None and m.place is None and events and _same_time(events[0].when, m.when):
                target = events[0]
        if target is None:
            # a further event needs its own date; undated places are usually context, not events
            if not events or m.when.value is not None or m.in_title:
                events.append(Event(m.place, m.when, [m]))
                last = events[-1]
            continue
        last = target
        target.mentions.append(m)
        target.place = _more_specific(target.place, m.place)
        if _RANK[m.when.precision] > _RANK[target.when.precision] or (
            m.when.precision == target.when.precision and m.when.explicit and not target.when.explicit
        ):
            target.when = m.when
    return [ev for ev in events if ev.place is not None and not _only_generic(ev)]


# "the hijacking of the Khyber Mail" names one attack on one service, however generic its context
NAMED_SERVICE = re.compile(
    r"\b\w+ing of (?:the|a) (?:[A-Z][\w'-]+ )+(?:Express|Mail|[Tt]rain|[Bb]us|[Cc]onvoy|[Ff]erry)\b"
)


def _only_generic(ev: Event) -> bool:
    if ev.place is not None and any(NAMED_SERVICE.search(m.text) for m in ev.mentions):
        return False  # a place is known for the named service (its route or a town in the text)
    return all(GENERIC.search(m.text) or STATE_ACTION.search(m.text) for m in ev.mentions)


def _basis(when: EventDate, published: date | None, relative: str) -> str | None:
    """How the event's year was found, for the analyst (relative to what, when not written)."""
    if when.value is None:
        return None
    if when.basis == "publication" and published is None:
        return relative  # the second pass anchors on the main event (or a linked report's date)
    return when.basis


def build_incidents(
    lines: tuple[str, ...],
    published: date | None,
    related: tuple[str, ...] = (),
    bound: date | None = None,
    linked: date | None = None,
) -> list[dict[str, Any]]:
    """Extract one incident record per real event from a cleaned document.

    `bound` is a page date known to be later than publication; `linked` is the main event's day found
    in other reports of the same event, used when the report itself gives no publication date."""
    # a dateline states publication, not the event: blank it (same length keeps offsets)
    lines = tuple(DATELINE.sub(lambda m: " " * len(m.group(0)), ln, count=1) for ln in lines)
    split = sentences(lines)
    events, relative_basis = _events(split, published, bound, linked)
    title = lines[0] if lines else ""
    state_doc = bool(NON_INCIDENT_TITLE.search(title)) and not re.search(
        r"\b(kill|dead|wound|injur)", title, re.I
    )
    out = []
    main_group: str | None = None
    for i, ev in enumerate(events):
        text = " ".join(m.text.strip().rstrip(".") + "." for m in ev.mentions)
        group, claimed = group_of(ev, i, text, split, main_group)
        if i == 0:
            main_group = group
        if i == 0 and claimed is None:
            claimed = doc_claim(split, group)
        main = i == 0 and not state_doc and any(m.in_title or m.start < len(title) + 400 for m in ev.mentions)
        out.append(_record(ev, text, _basis(ev.when, published, relative_basis), (group, claimed), main))
    return out


def _events(
    split: list[tuple[int, str, bool]], published: date | None, bound: date | None, linked: date | None
) -> tuple[list[Event], str]:
    """The report's events, and what dates relative to nothing else are relative to.

    A second pass resolves expressions relative to the main event ("three months after"), or to a
    linked report's day when the report has no publication date."""
    all_mentions: list[Mention] = []
    for start, sent, in_title in split:
        all_mentions.extend(mentions_of(sent, start, published, in_title, bound=bound))
    events = group_events(_counted_on(all_mentions))
    anchor = events[0].when.value if events and events[0].when.precision == "day" else None
    relative_basis = "main event"
    if anchor is None and published is None and linked is not None:
        anchor, relative_basis = linked, "linked event"
    if anchor is not None:
        all_mentions = []
        for start, sent, in_title in split:
            # without a publication date the anchor, an event's day, stands in for it: the report was
            # written on or after it, so a later day without year is of the anchor's year
            ahead = AHEAD_OF_PUBLICATION if published else AHEAD_OF_EVENT
            all_mentions.extend(mentions_of(sent, start, published or anchor, in_title, anchor, bound, ahead))
        events = group_events(_counted_on(all_mentions))
    return events, relative_basis


def _counted_on(mentions: list[Mention]) -> list[Mention]:
    """Mentions dated from the one told before them ("three months later", "the following May")."""
    out: list[Mention] = []
    previous: EventDate | None = None
    for m in mentions:
        if previous is not None and (when := later_than(m.text, previous)) is not None:
            m = replace(m, when=when)
        if m.when.value is not None and not m.in_title:
            previous = m.when
        out.append(m)
    return out


def _record(
    ev: Event, text: str, basis: str | None, attribution: tuple[str | None, bool | None], main: bool
) -> dict[str, Any]:
    """An event's incident record in the gold-schema names."""
    group, claimed = attribution
    fields = classify(text)
    cas = casualties(text)
    place = ev.place
    assert place is not None
    foreign = set(cas.killed_by_nationality) | set(cas.wounded_by_nationality)
    if fields["target_type"] == "unknown" and foreign - {"", place.country}:
        fields["target_type"] = "foreign_workers"  # foreign victims are the evident target
    return {
        "required": True,
        "date": ev.when.value.isoformat() if ev.when.value else None,
        "date_precision": ev.when.precision,
        "date_basis": basis,
        "country": place.country,
        "admin1": place.admin1,
        "city": place.name,
        "location_text": next((m.where for m in ev.mentions if m.where), None),
        "lat": place.lat if place.name else None,
        "lon": place.lon if place.name else None,
        **fields,
        "killed": cas.killed,
        "wounded": cas.wounded,
        "killed_by_nationality": home_country(cas.killed_by_nationality, place.country),
        "wounded_by_nationality": home_country(cas.wounded_by_nationality, place.country),
        "perpetrator": group,
        "claimed": claimed if group or claimed is False else None,
        "main_story": main,
        "evidence": {"mentions": [[m.start, m.start + len(m.text)] for m in ev.mentions]},
    }
