"""One document's cooperation records: its mentions merged into one record per commitment (`commitments`).

Mentions of one family between the same states are one commitment unless their own years differ (an earlier
exercise of a series) or they name different things (two agreements with different objects). A record takes
the most advanced stage its mentions report (`not_fulfilled` overrides), the date of that stage's mention,
and the arguments (money, group, place) of the mentions that give them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from outrider.intel.cooperation.arguments import ADDRESSED, own_families
from outrider.intel.cooperation.asides import WHICH_FRAME, authors_group, claimant, own_act
from outrider.intel.cooperation.commitments import (
    GOING_ON,
    Commitment,
    actors,
    agreed_after,
    compatible,
    served_before,
)
from outrider.intel.cooperation.cues import JOINT_BODY, THREE, at_table
from outrider.intel.cooperation.header_day import minutes_day, recorded_sittings, records_meeting
from outrider.intel.cooperation.labels import commitment_object, officials
from outrider.intel.cooperation.lead_day import lead_day, told_after, under_accord, unknowable
from outrider.intel.cooperation.lexicon import LEXICON
from outrider.intel.cooperation.mentions import Mention, find_mentions, sentences
from outrider.intel.cooperation.money import Money, find_money
from outrider.intel.cooperation.parties import find_parties, main_parties, placed_pair
from outrider.intel.cooperation.records import RANK, CoopRecord, format_date, respaced, single_spaced
from outrider.intel.cooperation.roles import denial_parties, protected_party, roles
from outrider.intel.cooperation.stages import clause
from outrider.intel.cooperation.when import deadline
from outrider.intel.cooperation.wrapping import unwrapped

# "to discuss tensions with the United States": a state a meeting is about, not one that meets
TOPIC = re.compile(r"\b(?:tensions|relations|ties|dispute|differences|row|accusations) with (?:the )?$", re.I)
TOPIC_AFTER = re.compile(r"\s+(?:accusations|allegations|demands|claims|criticism|pressure)\b", re.I)
DIALOGUE = {"visit_or_meeting", "agreement"}
PRECISION = {"day": 4, "week": 3, "month": 2, "year": 1}
MONEY_KINDS = {"funding", "capacity_equipment"}
MAX_EVIDENCE = 300
AFTER_REACH = 400


def _parties(m: Mention, pair: tuple[str, ...], recorded: bool = False) -> tuple[str, ...] | None:
    """The states of a mention: those its clause names as actors; a place named ("in Pakistan") completes
    one actor; a clause naming no actor ("the two sides will") is the report's pair, and so is "the meeting"
    of the minutes of one (``recorded``)."""
    if (denial := denial_parties(m)) is not None:
        return denial  # "would not allow any group to use Afghan territory against China"
    text = m.sentence.text
    topics = {
        h.code
        for h in m.hits
        if m.kind == "visit_or_meeting"
        and (TOPIC.search(text, 0, h.start) or (h.demonym and TOPIC_AFTER.match(text, h.end)))
    }
    hits = [h for h in m.hits if h.code not in topics]
    actors = sorted({h.code for h in hits if not h.locative})
    places = sorted({h.code for h in hits if h.locative} - set(actors))
    if m.kind == "visit_or_meeting" and m.place_country and m.place_country not in actors:
        places = sorted({*places, m.place_country})  # "arrived in Islamabad": the host
    if len(actors) >= 2 and m.kind == "visit_or_meeting" and HOSTED.search(text):
        return tuple(sorted({*actors, *places}))  # "X hosted A and B at the Foreign Office": the host's too
    if len(actors) >= 2:
        return tuple(actors)
    if len(actors) == 1 and places:
        return tuple(sorted({*actors, *places}))
    joint_body = JOINT_BODY.search(m.sentence.text[m.trigger[0] : m.trigger[1] + 40])
    if (
        m.kind == "visit_or_meeting"
        and not actors
        and not ADDRESSED.search(m.sentence.text)
        and not joint_body
        and not (recorded and m.stage == "done")
    ):
        return None  # "a committee, which met to discuss ...": nobody of the pair at the table
    if len(pair) == 2 and (not actors or actors[0] in pair) and not topics & set(pair):
        return tuple(sorted(pair))
    return None


TWO_SIDES = re.compile(r"\b(?:the two|both) sides\b", re.I)
HOSTED = re.compile(r"\bhost(?:ed|s)\b", re.I)
# "a working group arrived in Karachi on Sunday": a trip under way until the report says it ended
ARRIVED = re.compile(r"\barriv(?:ed|es)\s+(?:in|at)\b", re.I)
ENDED = re.compile(r"\b(?:concluded|wrapped up|returned|left|departed|ended)\b", re.I)
# "Qureshi had pledged": the past of the story, an occasion before the one the report tells
PLUPERFECT = re.compile(rf"\bhad\s+(?:(?:{LEXICON.adverbs}|earlier)\s+)?(?:been\s+)?[a-z]+(?:ed|en|ade)\b")


def _stage_mention(c: Commitment) -> Mention:
    if any(m.stage == "not_fulfilled" for m in c.mentions):
        return next(m for m in reversed(c.mentions) if m.stage == "not_fulfilled")
    if c.kind == "visit_or_meeting":
        done = next((i for i, m in enumerate(c.mentions) if m.stage == "done"), -1)
        later = c.mentions[done + 1 :] if done >= 0 else []
        if any(m.stage == "announced" and GOING_ON.search(m.sentence.text) for m in later):
            return replace(c.mentions[done], stage="under_way")  # met today, will visit more: still going
        arrival = next((m for m in c.mentions if ARRIVED.match(m.sentence.text, m.trigger[0])), None)
        if arrival is not None and not any(ENDED.search(m.sentence.text) for m in c.mentions):
            return replace(arrival, stage="under_way")  # arrived on Sunday, held talks today: still there
    return max(
        c.mentions,
        key=lambda m: (
            RANK[m.stage],
            not PLUPERFECT.search(m.sentence.text),  # "had pledged": an earlier telling than the report's
            PRECISION.get(m.when.precision, 0),
            m.when.basis != "statement",
            m.when.start >= 0,
        ),
    )


def _record(
    doc_id: str,
    c: Commitment,
    published: date | None,
    protected: str | None,
    meeting: tuple[date, str] | None,
    made_there: tuple[date, str] | None = None,
    values: list[Money] | None = None,
) -> CoopRecord:
    best = _stage_mention(c)
    # the stage event's own date; else, when the report describes no meeting, a date another mention gives
    when = best.when
    if when.value is None and meeting is None:
        when = next((m.when for m in c.mentions if m.when.value is not None), best.when)
    value, precision = when.value, when.precision
    if value is None and c.kind == "visit_or_meeting":
        value, precision = made_there or (None, precision)
    if meeting is not None and when.basis == "statement":
        value = None  # made at the meeting, reported later
    if value is None and meeting is not None:
        value, precision = meeting  # decided at the meeting the report describes
    if value is None and published is not None:
        value, precision = published, "unknown"
    text = best.sentence.text
    country = best.place_country or next((m.place_country for m in c.mentions if m.place_country), None)
    # "the first tranche was disbursed": who gives to whom is told where the sentence names the states
    named = best if best.hits or c.kind != "funding" else next((m for m in c.mentions if m.hits), best)
    promisor, beneficiary = roles(named, c.parties, protected, country)
    # a force funded ("approved Rs2.1 billion to raise a unit") or costed ("at a cost of Rs4.2 billion")
    costed = c.kind == "security_arrangement" and any(m.money is not None for m in c.mentions)
    money = _money(c, values) if c.kind in MONEY_KINDS or costed else None
    group = next((m.group for m in c.mentions if m.group), None) if c.kind == "action_against_group" else None
    return CoopRecord(
        doc_id=doc_id,
        kind=c.kind,
        parties=c.parties,
        promisor=promisor,
        beneficiary=beneficiary,
        stage=best.stage,
        date=format_date(value, precision),
        date_precision=precision,
        deadline=next(
            (d for m in c.mentions if (d := deadline(m.sentence.text, published, _start(m)))), None
        ),
        amount=money.amount if money else None,
        currency=money.currency if money else None,
        object=commitment_object(best),
        group=group,
        officials=officials(c),
        place=best.place or next((m.place for m in c.mentions if m.place), None),
        evidence=text[:MAX_EVIDENCE],
        spans=tuple(m.span for m in c.mentions),
    )


def _meeting_date(
    found: list[Commitment], minutes: tuple[date, str] | None
) -> dict[tuple[str, ...], tuple[date, str]]:
    """The date of the meeting a report describes, per set of states: its own day, else the day minutes give
    it or the day of the commitments the report says were made at it; the other commitments made there
    share it."""
    out: dict[tuple[str, ...], tuple[date, str]] = {}
    for c in found:
        if c.kind != "visit_or_meeting":
            continue
        best = _stage_mention(c)
        if best.stage != "done":
            continue
        if best.when.value is not None and best.when.precision == "day":
            out.setdefault(c.parties, (best.when.value, best.when.precision))
        elif best.when.value is None and (made := minutes or _commitment_date(found, c.parties)):
            out.setdefault(c.parties, made)  # a meeting the report dates by what was agreed at it
    return out


VALUE_REACH = 600  # characters after a commitment's last mention within which a stated value is its value


def _values(text: str) -> list[Money]:
    """Sums stated as a value ("construction is budgeted at 55 million yuan"), offsets into the text."""
    return [
        replace(m, start=m.start + sent.start, end=m.end + sent.start)
        for sent in sentences(text)
        if LEXICON.value_words.search(sent.text)
        for m in find_money(sent.text)[:1]
    ]


def _money(c: Commitment, values: list[Money] | None) -> Money | None:
    """A commitment's sum: one its mentions name, else a value stated just after them."""
    sums = [m.money for m in c.mentions if m.money is not None]  # of a tranche and its whole, the whole
    own = next((m for m in sums if not m.share), sums[0] if sums else None)
    if own is not None or not values:
        return own
    # "The equipment, worth 45 million yuan, ...": a value told just after any of the commitment's mentions
    ends = [m.span[1] for m in c.mentions]
    return next((v for v in values if any(end < v.start <= end + VALUE_REACH for end in ends)), None)


def _commitment_date(found: list[Commitment], parties: tuple[str, ...]) -> tuple[date, str] | None:
    """The day the commitments between these states were made, when the report dates them: the day of a
    meeting that the report does not date itself."""
    days = sorted(
        m.when.value
        for c in found
        if c.kind != "visit_or_meeting" and c.parties == parties and _in_field(c, found)
        for m in c.mentions
        if m.when.value is not None and m.when.precision == "day"
    )
    return (days[0], "day") if days else None


def _vehicle(c: Commitment, found: list[Commitment]) -> bool:
    """An agreement whose content the report gives as commitments of their own ("Under the agreement, China
    will provide ..."): those are the records, the agreement is their stage."""
    return c.kind == "agreement" and any(
        o.kind != "agreement"
        and o.parties == c.parties
        and any(
            LEXICON.agreed_frames.search(m.sentence.text) or WHICH_FRAME.search(m.sentence.text)
            for m in o.mentions
        )
        for o in found
    )


def _in_field(c: Commitment, found: list[Commitment], text: str = "") -> bool:
    """Whether a commitment is in the security field: its sentences say so; money also when it goes to the
    partner's nationals (compensation); a visit also when the report's other commitments are security ones
    (a leader's visit about trade is not one, nor an accord on trade, nor money for a central bank)."""
    # "a ward built with a Chinese grant, while the province raised a platoon for ...": each act its own words
    if any(LEXICON.security_words.search(own_act(m.sentence.text, m.trigger)) for m in c.mentions):
        return True
    if c.kind == "funding":
        return any(LEXICON.protected.search(own_act(m.sentence.text, m.trigger)) for m in c.mentions)
    if c.kind == "agreement":
        return False
    if c.kind != "visit_or_meeting":
        return True
    if any(
        o.kind not in DIALOGUE
        and o.parties == c.parties
        and _in_field(o, found)
        and _grounded(o, True, found)
        for o in found
    ):
        return (
            True  # a meeting where security commitments were made (not loans for a railway, nor a company's)
        )
    # what a meeting discussed or agreed is told in the sentence after it ("the three sides agreed to enhance
    # cooperation in counter-terrorism")
    end = c.mentions[0].span[1]
    after = next((s.text for s in sentences(text[end : end + AFTER_REACH])), "")
    if LEXICON.security_words.search(after):
        return True
    # "the ministers agreed that the next round would be held in Beijing": a security dialogue's next round
    return any(
        o is not c and o.kind == c.kind and o.parties == c.parties and _in_field(o, [], text) for o in found
    )


def _grounded(c: Commitment, met: bool, found: list[Commitment], recorded: bool = False) -> bool:
    """A commitment some sentence ties to a state, or to the partner's official ("assured the ambassador"),
    or an earlier instance of a series the report ties to the states ("the last round, Alpha-VII").
    Action against a group is a record only when the partner is in the sentence as more than the victims,
    addressed, or present: a government's vow at home to hunt down the attackers of the partner's nationals
    is not one."""
    if c.kind == "action_against_group" and not met:
        return any(
            len(actors(m)) >= 2 or ADDRESSED.search(m.sentence.text, *clause(m.sentence.text, m.trigger[0]))
            for m in c.mentions
        )
    if any(m.hits or ADDRESSED.search(m.sentence.text) or THREE.search(m.sentence.text) for m in c.mentions):
        return True
    if any(set(c.parties) <= {h.code for h in find_parties(m.sentence.text)} for m in c.mentions):
        return True  # "the unit, which was set up under the agreement between X and Y": both in its sentence
    if c.kind == "visit_or_meeting" and any(JOINT_BODY.search(m.sentence.text) for m in c.mentions):
        return True
    if recorded and c.kind == "visit_or_meeting" and any(m.stage == "done" for m in c.mentions):
        return True  # the meeting the minutes record
    if recorded and any(m.stage == "agreed" for m in c.mentions):
        return True  # what the minutes record agreed ("ACTION POINTS (agreed by both sides)"): their pair's
    return any(
        o is not c and o.kind == c.kind and o.parties == c.parties and any(m.hits for m in o.mentions)
        for o in found
    )


def _start(m: Mention) -> date | None:
    """The day an act began, when the mention says it is beginning or under way (a length runs from it)."""
    return m.when.value if m.stage in ("under_way", "announced", "agreed") else None


def extract_cooperation(text: str, *, doc_id: str, published: date | None) -> list[CoopRecord]:
    """The records of one report, spans into ``text`` (read single-spaced, a hard-wrapped text unwrapped)."""
    plain, where = single_spaced(unwrapped(text))
    return respaced(_extract(plain, doc_id, published), where)


def _extract(text: str, doc_id: str, published: date | None) -> list[CoopRecord]:
    """An act the report does not date takes the day of the meeting it describes between the same states,
    else the day of the first act it dates to the day (the occasion a news report leads with)."""
    hits = find_parties(text)
    mentions = under_accord(recorded_sittings(text, list(find_mentions(text, published))))
    pair = main_parties(hits, next((ln for ln in text.splitlines() if ln.strip()), ""))
    pair = placed_pair(pair, text) if mentions else pair  # the gazetteer read only where acts are told
    protected = protected_party(text, hits)
    found: list[Commitment] = []
    lead: tuple[date, str] | None = None
    days: list[tuple[int, date]] = []  # where the report dates an act to the day, in order
    several: tuple[str, ...] | None = None
    recorded = records_meeting(text)  # the minutes of a meeting: "the meeting" is the one they record
    two: tuple[str, ...] | None = None  # the states of the last act told between two named states
    for m in mentions:
        if m.when.value is not None and m.when.precision == "day":
            lead = lead or (m.when.value, "day")  # the occasion the report leads with
            days.append((m.sentence.start, m.when.value))
        parties = at_table(
            m.sentence.text, _parties(m, pair, recorded), several
        )  # "the three ministers agreed"
        parties = served_before(m, found, protected) or parties
        if parties is None:
            continue
        if not m.hits and TWO_SIDES.search(m.sentence.text) and two:
            parties = two  # "Lodhi and Shen held a bilateral meeting ... The two sides agreed to": those two
        if len(parties) >= 3:
            several = parties
        two = parties if len(parties) == 2 and m.hits else two
        c = next((c for c in found if compatible(c, m, parties)), None)
        if c is None:
            found.append(Commitment(m.kind, parties, [m]))
        else:
            c.mentions.append(m)
    found = [agreed_after(c, text) for c in found if not _vehicle(c, found)]
    minutes = minutes_day(text)  # the meeting minutes record: the day of what they tell
    lead = minutes or lead or lead_day(text, published)  # else the day the report leads with
    meetings = _meeting_date(found, minutes)
    values = _values(text)
    # a promise made while the partner's officials are there (a visit, a press conference) is made to them
    visited = {c.parties for c in found if c.kind == "visit_or_meeting" and _in_field(c, found, text)}
    kept = [
        c
        for c in found
        if _grounded(c, any(set(c.parties) <= set(v) for v in visited), found, recorded)
        and _in_field(c, found, text)
    ]
    records = [
        _record(
            doc_id,
            c,
            published,
            protected,
            meetings.get(c.parties) or told_after(days, c) or lead,
            minutes or _commitment_date(found, c.parties),
            values,
        )
        for c in kept
    ]
    return _finished(text, records, kept, found, protected)


def _finished(
    text: str,
    records: list[CoopRecord],
    kept: list[Commitment],
    found: list[Commitment],
    protected: str | None,
) -> list[CoopRecord]:
    """The records proposed: an action against an attack's authors takes the group that claimed it; a report
    nobody can date that tells an act "on Tuesday" or "last month" (or at a meeting so told) proposes no
    record of it (the act has a day no reader can know); money for the payer's own nationals is none."""
    claimed = claimant(text)  # "handed over three suspects" of an attack "claimed by" a group: that group
    return [
        replace(r, group=authors_group(r.evidence, r.group, claimed))
        if r.kind == "action_against_group"
        else r
        for r, c in zip(records, kept, strict=True)
        if (r.date is not None or not unknowable(c, found))
        and not own_families(r.kind, r.evidence, protected)
    ]
