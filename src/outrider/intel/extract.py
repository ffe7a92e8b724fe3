"""Incident extraction from clean article lines: mentions, grouping into events, field values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from outrider.intel.anaphora import placed_by_anaphora
from outrider.intel.attribution import doc_claim, group_of
from outrider.intel.background import (
    GENERIC,
    TOLL_ONLY,
    also_told,
    died_later,
    no_attack,
    told_apart,
    told_here,
)
from outrider.intel.dates import AHEAD_OF_EVENT, AHEAD_OF_PUBLICATION, EventDate, headed, resolve_event_date
from outrider.intel.entry_heads import on_entry_days
from outrider.intel.event_match import by_its_place, more_specific, same_place, same_time
from outrider.intel.gazetteer import Place, known_name
from outrider.intel.headline_town import headline_nearby, placed_by_headline
from outrider.intel.items import find_items, itemised
from outrider.intel.lexicon import plans_and_threats, state_actions
from outrider.intel.listings import as_headings, entry_days, heading_years
from outrider.intel.mentions import ATTACK, Mention, counted_on, mentions_of, site_hits
from outrider.intel.published import without_dateline
from outrider.intel.records import basis_of, following, record
from outrider.intel.report_town import placed_at_report_town
from outrider.intel.sentence_split import sentences
from outrider.intel.several import SEPARATELY, apart_event, cut_by_time, twin_of
from outrider.intel.sites import refine_sites
from outrider.intel.state_clashes import between_states, by_non_state
from outrider.intel.state_opened import NOT_DONE, answered_apart
from outrider.intel.told_day import day_told_before
from outrider.intel.told_once import told_once
from outrider.intel.told_towns import told_in_report
from outrider.intel.untold_towns import home_homonyms, told_in_context, told_in_headline
from outrider.intel.update_stamps import newest_first, ordered_stamps, updates_told

NON_INCIDENT_TITLE = re.compile(
    r"\b(designat\w*|verdict|sentenc\w*|execut\w*|hang(?:s|ed)|visit\w*|talks|agree\w*|drill|exercise|"
    r"operation|strikes?|pact|deal|cooperation|compensation)\b",
    re.I,
)
STATE_ACTION = state_actions()  # data/lexicon.json
PLANNED = plans_and_threats()  # data/lexicon.json
# a report titled by its drill ("Police rehearse response to attack on convoy"): its undated words, a drill
DRILL_TITLE = re.compile(r"\b(?:drills?|exercises?|mock|simulat\w*|rehears\w*)\b", re.I)
LEAD = 400  # characters after the title: the lead of a report, where its main story is told
ANAPHORA = re.compile(r"\b(that|this) (attack|bombing|blast|raid|assault|explosion|killing)\b", re.I)


@dataclass
class Event:
    """Mentions grouped as one real event within a document."""

    place: Place | None
    when: EventDate
    mentions: list[Mention] = field(default_factory=list)
    item: int | None = None  # the listing item it tells (`items`): two items are two events


def _older(ev: Event, m: Mention) -> bool:
    """A mention dated to a month or a year ("in July last year") is an earlier event than an undated one told
    by its weekday (days old), or than one told by its day in a province when the mention names a town."""
    coarse = m.when.precision in ("month", "year")
    if coarse and ev.place is not None and ev.place.name is None and ev.when.precision == "day":
        return m.place is not None and m.place.name is not None  # "Earlier this month, blasts in X killed 28"
    return ev.when.value is None and coarse and any(x.recent for x in ev.mentions)


_RANK = {"day": 3, "month": 2, "year": 1, "unknown": 0}


def group_events(mentions: list[Mention]) -> list[Event]:
    """Merge mentions of the same place and compatible time into events, in order of first mention."""
    events: list[Event] = []
    last: Event | None = None
    prev_end, apart = -1, dict[str, Event]()
    for m in mentions:
        target = None
        follows, prev_end = 0 <= m.start - prev_end <= 2, m.start + len(m.text)
        if m.item is None and SEPARATELY.match(m.sentence):  # "Separately, ...": never the event before
            last = apart.get(m.sentence) or apart.setdefault(m.sentence, apart_event(events, last, m, Event))
            _join(last, m)
            continue
        if m.item is not None and (target := _of_item(events, m)) is None and m.place and m.when.value:
            events.append(Event(m.place, m.when, [m], m.item))  # a dated item is an event of its own
            last = events[-1]
            continue
        if target is None and m.place is None and m.when.value is None and events:
            # an undated, placeless sentence continues the event just spoken of ("that bombing"), or the one
            # told in the sentence right before it ("... blew himself up. At least four people were killed.")
            target = last if last is not None and (ANAPHORA.search(m.text) or follows) else events[0]
        elif target is None:
            for ev in events:
                if _older(ev, m) or None not in (ev.item, m.item) or _of_area(ev, m) or cut_by_time(ev, m):
                    continue
                if ev.place is None or m.place is None:
                    ok = ev is events[0] and same_time(ev.when, m.when)
                else:
                    ok = same_place(ev.place, m.place) and same_time(ev.when, m.when)
                if ok or (
                    ev.place is not None and not m.when.explicit and by_its_place(m.text, m.place, ev.place)
                ):
                    target = ev
                    break
            if target is None and m.place is None and events and same_time(events[0].when, m.when):
                target = None if _older(events[0], m) and told_here(m, events[0].when) else events[0]
        if target is None and events and told_here(m, events[0].when):
            events.append(Event(events[0].place, m.when, [m]))  # an earlier attack where the report's is
            last = events[-1]
            continue
        if target is None and _told_before(m.text, _last_attack(events, last)):
            continue
        if target is None:
            # a further event needs its own date; undated places are usually context, not events
            if not events or m.when.value is not None or m.in_title:
                events.append(Event(m.place, m.when, [m]))
                last = events[-1]
            elif (twin := twin_of(events, m)) is not None:
                events.append(Event(m.place, twin.when, [m]))
                last = events[-1]
            continue
        last = target
        _join(target, m)
    listing = any(m.item is not None for m in mentions)
    placed_by_headline(events, mentions, lambda ev: not _only_generic(ev))
    kept = [ev for ev in events if ev.place is not None and not _only_generic(ev)]
    return told_once([ev for ev in kept if not (listing and _overview(ev))])


def _of_area(ev: Event, m: Mention) -> bool:
    """ "The north recorded 94 attacks in 2025", then "On 24 July a bomber struck in X": an attack told by its
    day is not of a statistic of a whole province in a month or a year told before it."""
    dated = (x for x in ev.mentions if x.when.value is not None)  # read only when the cheap tests hold
    return m.when.precision == "day" and _overview(ev) and all(GENERIC.search(x.text) for x in dated)


def _join(target: Event, m: Mention) -> None:
    """Add a mention to its event: the more specific place, and the better date of the two."""
    target.mentions.append(m)
    target.place = more_specific(target.place, m.place)
    if target.item is not None and m.item != target.item:
        return  # an item's head dates its event, not a later mention of it
    target.item = m.item if m.item is not None else target.item
    if GENERIC.search(m.text) and target.when.value is not None:
        return  # "the faction, founded in August 2014, had staged attacks on ...": not its date
    if target.when.value is not None and not m.when.explicit and not same_time(target.when, m.when):
        return  # "Korangi blast had killed two" under a ticker's day: the day it was told, not its own
    if target.when.value is None and _points_back(m.text):
        return  # "the vehicle used in the attack was stolen last month": the date of another act
    if _RANK[m.when.precision] > _RANK[target.when.precision] or (
        m.when.precision == target.when.precision and m.when.explicit and not target.when.explicit
    ):
        target.when = m.when


def _overview(ev: Event) -> bool:
    """In a report of items, what is told apart from them of a whole province in a month or a year is the
    report's overview ("52 people were killed in militant violence in October"), not an incident."""
    place = ev.place
    return (
        ev.item is None
        and place is not None
        and place.name is None
        and place.district is None
        and ev.when.precision != "day"
    )


def _of_item(events: list[Event], m: Mention) -> Event | None:
    """The event of a listing item's mention: its item's, the report's event told before the items at the same
    place and time (a timeline's last entry is the attack the report is about), or another item's of the same
    town and time (a bulletin's update), or another item's of the same place and time that it tells no attack
    of its own (a log's entry on the victims of an attack told in an entry before)."""
    # an item whose first mention joined an earlier item's event (a bulletin's update) goes on telling it
    own = next((ev for ev in events if any(x.item == m.item for x in ev.mentions)), None)
    if own is not None or m.place is None:
        return own
    for ev in events:
        if ev.place is not None and not m.when.explicit and by_its_place(m.text, m.place, ev.place):
            return ev  # "11:31 CTD: Korangi blast had killed two policemen": the attack told before, by name
        if ev.place is None or ev.when.value is None or not same_time(ev.when, m.when):
            continue
        if ev.item is None and same_place(ev.place, m.place):
            return ev
        if ev.item is not None and ev.place.name is not None and _names(m, ev.place.name):
            return ev  # "near Eidak, Mir Ali" under a post of Mir Ali's attack of the same day: its update
        if (
            ev.item is not None
            and same_place(ev.place, m.place)
            and not ATTACK.search(TOLL_ONLY.sub(" ", m.text))
        ):
            return (
                ev  # "01:15 - Both injured constables reach DHQ Hospital Bannu": no attack, the news of one
            )
    return None


def _names(m: Mention, town: str) -> bool:
    """Whether the mention is at the town or its sentence names the town (a place within it)."""
    if m.place is not None and m.place.name == town:
        return True
    return re.search(rf"\b{re.escape(town)}\b", m.sentence) is not None


# "the attack", "that bombing": the attack told already, unless the words go on to say which ("the attack on
# the consulate in X", "the bombing in X")
TOLD_BEFORE = re.compile(
    r"\b(?:the|that|this)\s+(?:suicide\s+|deadly\s+)?(?:attack|bombing|blast|explosion|assault|ambush|shooting|killing)"
    r"\b(?!\s+(?:on|in|at|near|against|of|outside|inside|that|which)\b)"
    # "the abducted miners are from X", "the injured worker was referred to Y": the victims told already
    r"|\bthe\s+(?:abducted|kidnapped|injured|wounded|slain|martyred)\s+(?=[a-z])"
    # "relatives of those killed told reporters in Quetta": the victims of the attack told already
    r"|\b(?:those|the\s+people|the\s+men)\s+(?:who\s+(?:were|had\s+been)\s+)?(?:killed|injured|wounded|hurt)\b",
    re.I,
)


def _last_attack(events: list[Event], last: Event | None) -> Event | None:
    """The event "the bombing" points back at: the one just told, or past a state's act told after it
    ("... air strikes in Paktika. The crossing was closed after the bombing") the attack before."""
    if last is None or last.place is None or not _only_generic(last):
        return last
    return next((ev for ev in reversed(events) if ev.place is not None and not _only_generic(ev)), None)


# "vehicle used in attack": a ticker's or a headline's words pointing back at the attack without an article
USED_IN = re.compile(r"\b(?:used|involved)\s+in\s+(?:the\s+)?(?:attack|bombing|blast|assault)\b", re.I)


def _points_back(text: str) -> bool:
    """Whether a mention's only attack words name what was used in the attack already told."""
    back = USED_IN.sub(" ", text)
    return back != text and not ATTACK.search(back)


CLAIMED_FOR = re.compile(
    r"\bclaimed\s+responsibility\s+for\s+the\s+(?P<town>[A-Z][\w'-]+)\s+(?:violence|attacks?)\b"
)


def _told_before(text: str, last: Event | None) -> bool:
    """Whether a mention's only attack words point back at the attack just told ("the vehicle used in the
    attack was bought in <town>", "claimed responsibility for the <its town> violence"): no attack there."""
    if last is None or last.place is None or _only_generic(last):
        return False  # a state's act told before is not what "the attack" points at
    claim = CLAIMED_FOR.search(text)
    if claim is not None and claim["town"] == last.place.name:
        return not ATTACK.search(CLAIMED_FOR.sub(" ", text))
    return bool(TOLD_BEFORE.search(text)) and not ATTACK.search(TOLD_BEFORE.sub(" ", text))


# "the hijacking of the Khyber Mail" names one attack on one service, however generic its context
NAMED_SERVICE = re.compile(
    r"\b\w+ing of (?:the|a) (?:[A-Z][\w'-]+ )+(?:Express|Mail|[Tt]rain|[Bb]us|[Cc]onvoy|[Ff]erry)\b"
)


def _only_generic(ev: Event) -> bool:
    if ev.place is not None and any(NAMED_SERVICE.search(m.text) for m in ev.mentions):
        return False  # a place is known for the named service (its route or a town in the text)
    # what follows a state action without a place or date of its own ("two of the dead were ...") tells of it
    anchors = [m for m in ev.mentions if m.place is not None or m.when.value is not None] or ev.mentions
    return all(
        (GENERIC.search(m.text) and not told_apart(m.text, GENERIC))
        or (STATE_ACTION.search(NOT_DONE.sub("", m.text)) and not also_told(m.text))
        or PLANNED.search(m.text)
        or no_attack(m.text, m.sentence)
        or died_later(m.text)
        for m in anchors
    )


def build_incidents(
    lines: tuple[str, ...],
    published: date | None,
    related: tuple[str, ...] = (),
    bound: date | None = None,
    linked: date | None = None,
    commented: date | None = None,
) -> list[dict[str, Any]]:
    """Extract one incident record per real event from a cleaned document.

    `bound` is a page date known to be later than publication; `linked` is the main event's day found
    in other reports of the same event, used when the report itself gives no publication date."""
    # a dateline states publication, not the event: blank it (same length keeps offsets)
    lines = as_headings(tuple(without_dateline(ln) for ln in lines))
    split = sentences(lines)
    entries = entry_days(lines, split)
    events, relative_basis = _events(split, published, bound, linked, commented, entries, lines)
    events = answered_apart(events)  # after the main event's day has dated what is told relative to it
    title = lines[0] if lines else ""
    told_toll = re.search(r"\b(kill|dead|wound|injur)", title, re.I)
    state_doc = bool(NON_INCIDENT_TITLE.search(title)) and not told_toll
    if DRILL_TITLE.search(title) and not told_toll:
        events = [ev for ev in events if ev.when.value is not None]
    if between_states(" ".join(lines[:2])):  # two states' forces clash: no incident, but a group's attack
        events = [ev for ev in events if by_non_state(ev)]
    out = []
    main_group: str | None = None
    starts, stamps = [m.start for e in events for m in e.mentions], ordered_stamps(lines)
    for i, ev in enumerate(events):
        # a live page's updates, latest first whatever their place: the latest update's figure is read first
        text = " ".join(m.text.strip().rstrip(".") + "." for m in newest_first(ev.mentions, stamps))
        group, claimed = group_of(ev, i, text, split, main_group)
        if i == 0:
            main_group, claimed = group, doc_claim(split, group) if claimed is None else claimed
        main = (
            i == 0 and not state_doc and any(m.in_title or m.start < len(title) + LEAD for m in ev.mentions)
        )
        if main and ev.when.value is None and published:  # told with no time at all: the day's news
            ev.when = EventDate(published, "day", basis="publication")
        listing = "\n".join(lines) if main else ""  # "the victims were ...": told anywhere of the main story
        after = partial(following, split, starts, [m.start for m in ev.mentions])  # read only when needed
        basis = basis_of(ev.when, published, relative_basis)
        heading = "\n".join(lines[:3])
        # a live page: the toll read from the updates latest first, the main story's from their whole words
        toll = (updates_told("\n".join(lines), stamps, ev.mentions) if i == 0 else text) if stamps else ""
        out.append(record(ev, text, basis, (group, claimed), main, listing, after, heading, toll))
    return out


def _events(
    split: list[tuple[int, str, bool]],
    published: date | None,
    bound: date | None,
    linked: date | None,
    commented: date | None = None,
    entries: dict[int, date] | None = None,
    lines: tuple[str, ...] = (),
) -> tuple[list[Event], str]:
    """The report's events, and what dates relative to nothing else are relative to.

    A second pass resolves expressions relative to the main event ("three months after"), or to a
    linked report's day when the report has no publication date; ``entries``: a bulletin's own day by
    sentence offset (`listings.stamp_days`)."""
    entries, years = entries or {}, heading_years(lines, split)
    said = tuple(sent for _, sent, _ in split)
    towns, report = told_in_headline(said, known_name), told_in_report(said, known_name)
    report = {**home_homonyms(said, known_name), **report}
    here = [{**report, **told, **towns} for told in told_in_context(said, known_name)]  # per sentence
    all_mentions: list[Mention] = []
    for (start, sent, in_title), near in zip(split, here, strict=True):
        day = headed(entries.get(start, published), years.get(start))
        all_mentions.extend(mentions_of(sent, start, day, in_title, bound=bound, towns=near))
    lead_end, text = split[0][0] + len(split[0][1]) + LEAD if split else 0, "\n".join(lines)
    all_mentions = day_told_before(
        all_mentions, split, text, lead_end, partial(resolve_event_date, published=published, bound=bound)
    )
    told = placed_at_report_town(on_entry_days(all_mentions, entries), split, here, published)
    events = _grouped(itemised(told, find_items(lines, published)), split, here)
    anchor = events[0].when.value if events and events[0].when.precision == "day" else None
    if (
        published is None
        and events
        and not any(m.when == events[0].when and m.start < lead_end for m in events[0].mentions)
    ):
        anchor = None  # a day told deep in an undated report may be a background attack's, years before it
    relative_basis = "main event"
    if anchor is None and published is None and linked is not None:
        anchor, relative_basis = linked, "linked event"
    elif anchor is None and published is None and commented is not None:
        # the earliest reader's comment: the report came out on or before it ("on Thursday" the latest
        # Thursday then), a publication date's stand-in without the tolerance an event's day gets
        anchor, relative_basis = commented, "reader comments"
    if anchor is not None:
        all_mentions = []
        # without a publication date the anchor, an event's day, stands in for it: the report was written on
        # or after it, so a later day without year is of the anchor's year
        ahead = AHEAD_OF_PUBLICATION if published or relative_basis == "reader comments" else AHEAD_OF_EVENT
        for (start, sent, in_title), near in zip(split, here, strict=True):
            day = headed(entries.get(start) or published or anchor, years.get(start))
            all_mentions.extend(mentions_of(sent, start, day, in_title, anchor, bound, ahead, near))
        read = partial(resolve_event_date, published=published or anchor, bound=bound, ahead=ahead)
        all_mentions = day_told_before(all_mentions, split, text, lead_end, read)
        told = placed_at_report_town(on_entry_days(all_mentions, entries), split, here, published)
        events = _grouped(itemised(told, find_items(lines, published or anchor)), split, here)
    return events, relative_basis


def _grouped(
    mentions: list[Mention], split: list[tuple[int, str, bool]], told: list[dict[str, Place]]
) -> list[Event]:
    """The report's events at the most specific place told near them (``told``: towns the report tells, by
    sentence), the headline's joined to the lead's when it names the nearest city."""
    events = group_events(placed_by_anaphora(counted_on(mentions, split), split))
    refine_sites(events, split, site_hits, told)
    lead_end = split[0][0] + len(split[0][1]) + LEAD if split else 0
    return headline_nearby(events, lead_end)
