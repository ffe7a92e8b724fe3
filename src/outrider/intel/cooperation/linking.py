"""Records of one commitment across reports share a `commitment_id`, as incidents of one event share an event.

Two records of different reports are one commitment when they are of one kind (or either is `other`) between
the same states, their promisor and beneficiary do not contradict, their amounts, groups and instance names
(if both give one) agree, and their dates fit the life of such a commitment: a meeting or an exercise lasts
days, a promise to act after an attack months, money, equipment and training a couple of years, standing
arrangements and agreements several. Beyond that their objects must share a word that says what they are.
A record without a date links only by an instance name, a group or an amount: a visit or an exercise
without one does not link at all.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from outrider.intel.cooperation.asides import AUTHORS_OF
from outrider.intel.cooperation.lexicon import LEXICON
from outrider.intel.cooperation.records import CoopRecord, same_family

# how long one commitment of a kind lives across reports (days)
REACH = {
    "visit_or_meeting": 10,
    "joint_exercise": 31,
    "action_against_group": 120,
    "funding": 2 * 366,
    "capacity_equipment": 2 * 366,
    "training": 2 * 366,
    "intelligence_sharing": 2 * 366,
    "security_arrangement": 4 * 366,
    "agreement": 4 * 366,
    "other": 366,
}
ONE_OFF = {"visit_or_meeting", "joint_exercise"}
# words every object of the field shares: they say nothing about which commitment it is
STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "from",
        "into",
        "its",
        "their",
        "of",
        "to",
        "in",
        "on",
        "at",
        "a",
        "an",
        "all",
        "joint",
        "security",
        "protection",
        "centre",
        "center",
        "chinese",
        "china",
        "pakistan",
        "pakistani",
        "nationals",
        "cooperation",
        "two",
        "countries",
        "sides",
        "will",
        "was",
        "were",
        "has",
        "had",
        "have",
        "over",
        "said",
        "agreed",
        "would",
        "that",
        "this",
        "which",
    ]
)


def _day(value: str | None) -> date | None:
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


# words a writer uses for one thing done against the authors of an attack: "brought to justice" and "action
# against the attackers" are one promise; "investigation" and "probe" one inquiry
CONCEPTS = {
    **dict.fromkeys(
        ["justice", "punish", "punished", "perpetrators", "attackers", "culprits", "masterminds"], "=justice"
    ),
    **dict.fromkeys(
        ["investigation", "investigate", "investigating", "probe", "inquiry", "enquiry"], "=inquiry"
    ),
    # "would be compensated" and "the compensation approved": one payment
    **dict.fromkeys(["compensation", "compensate", "compensated", "compensating"], "=compensation"),
}


def _words(text: str) -> set[str]:
    found = {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2 and w not in STOP}
    return found | {CONCEPTS[w] for w in found if w in CONCEPTS}


def _names(text: str) -> set[str]:
    """Proper names of an instance in an object ("Warrior-VIII"): different names, different instances."""
    return set(re.findall(r"\b[A-Z][A-Za-z]*-(?:[IVX]+|\d+)\b", text))


# kinds given to a state body: the body that receives says which commitment it is
BY_RECIPIENT = {"training", "capacity_equipment", "funding"}


# "to the Punjab Police", "officers of the Counter-Terrorism Department": a body named as the one served
SERVED_BODY = re.compile(r"\b(?:to|for|of|at)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}$", re.I)


def _bodies(text: str) -> set[str]:
    """The state bodies a record's evidence names as receiving ("Punjab Police", "Counter-Terrorism
    Department"), not the government that gives ("The Sindh government has promised ...")."""
    text = text or ""
    return {
        m.group(0).lower()
        for m in LEXICON.bodies.finditer(text)
        if SERVED_BODY.search(text, max(0, m.start() - 40), m.start())
        or LEXICON.trainees.match(text, m.end() + 1)  # "the Punjab Police officers who completed"
    }


HEADCOUNT = re.compile(
    r"\b(\d[\d,]*)\s+(?:[\w'’-]+\s+){0,3}?(?:officers|personnel|policemen|cadets|guards|trainees)\b"
)


def _trainees(r: CoopRecord) -> set[str]:
    """How many people a training record's evidence says are trained ("300 Pakistani police officers")."""
    if r.kind != "training":
        return set()
    return {m.group(1).replace(",", "") for m in HEADCOUNT.finditer(r.evidence)}


def _months(d: date) -> int:
    return d.year * 12 + d.month


def _dates_fit(a: CoopRecord, b: CoopRecord, reach: int) -> bool | None:
    """Whether the dates fit within ``reach`` days at the coarser precision; None when one is missing."""
    da, db = _day(a.date), _day(b.date)
    if da is None or db is None:
        return None
    shortest = min(len(a.date or ""), len(b.date or ""))
    if shortest == 4:
        return abs(da.year - db.year) <= max(0, reach // 365)
    if shortest == 7:
        return abs(_months(da) - _months(db)) <= max(0, reach // 30)
    return abs((da - db).days) <= reach


PLANNED = {"announced", "pledged", "agreed"}
PERFORMED = {"under_way", "done"}


def _plan_after_act(a: CoopRecord, b: CoopRecord) -> bool:
    """Whether one record plans a meeting or exercise on or after the day the other says one was held."""
    for plan, act in ((a, b), (b, a)):
        dp, da = _day(plan.date), _day(act.date)
        if plan.stage in PLANNED and act.stage in PERFORMED and dp and da and dp >= da:
            return True
    return False


def _standing_pledge(a: CoopRecord, b: CoopRecord) -> bool:
    """Two pledges of one state against one named group for the same state, neither about an attack's
    authors: a standing commitment reiterated, whatever the years between them."""
    return (
        a.kind == b.kind == "action_against_group"
        and a.stage == b.stage == "pledged"
        and a.group is not None
        and a.group == b.group
        and a.promisor == b.promisor
        and a.beneficiary == b.beneficiary
        and not any(AUTHORS_OF.search(r.evidence) for r in (a, b))
    )


def _done_as_planned(a: CoopRecord, b: CoopRecord) -> bool:
    """Whether one record plans an act for a month ("to be held in April", announced in February) and the
    other reports it held or under way in that month, after the plan."""
    for plan, act in ((a, b), (b, a)):
        dp, da = _day(plan.date), _day(act.date)
        due = plan.deadline or ""
        ordered = plan.stage in PLANNED and act.stage in PERFORMED and dp and da and dp <= da
        if ordered and len(due) >= 7 and (act.date or "")[:7] == due[:7]:
            return True
    return False


def same_commitment(a: CoopRecord, b: CoopRecord) -> bool:
    """Whether two records of different reports are one commitment."""
    if a.doc_id == b.doc_id or set(a.parties) != set(b.parties):
        return False
    same_amount = bool(a.amount and b.amount and abs(a.amount - b.amount) <= 0.005 * max(a.amount, b.amount))
    if (
        a.kind != b.kind
        and "other" not in (a.kind, b.kind)
        and not (same_amount and same_family(a.kind, b.kind))
    ):
        return (
            False  # money pledged for scanners and the scanners handed over, of one value, are one commitment
        )
    if a.promisor != b.promisor and (a.kind in ONE_OFF or (a.promisor and b.promisor)):
        return False  # a joint commitment is not one party's, nor one party's the other's
    if a.kind in ONE_OFF and _plan_after_act(a, b):
        return False  # "agreed to hold the next one", said when or after one was held: another instance
    if a.beneficiary and b.beneficiary and a.beneficiary != b.beneficiary:
        return False
    if a.amount and b.amount and not same_amount:
        return False
    if a.group and b.group and a.group != b.group:
        return False
    ba, bb = _bodies(a.evidence), _bodies(b.evidence)
    if ba and bb and not ba & bb and a.kind in BY_RECIPIENT:
        return False  # a course for the Punjab police is not the one for the Sindh counter-terrorism officers
    ta, tb = _trainees(a), _trainees(b)
    if ta and tb and not ta & tb:
        return False  # a course for 60 officers is not the one for 300
    na, nb = _names(a.object), _names(b.object)
    if na and nb and not na & nb:
        return False
    if _standing_pledge(a, b):
        return True  # "will not allow ETIM to use its soil", reiterated a year later: one standing commitment
    fit = _dates_fit(a, b, max(REACH.get(a.kind, 366), REACH.get(b.kind, 366)))
    if fit is False and not _done_as_planned(a, b):
        return False
    if fit is None:
        if a.kind in ONE_OFF or b.kind in ONE_OFF:
            return bool(na & nb)
        return bool(na & nb) or same_amount or bool(a.group and a.group == b.group)
    if a.kind in ONE_OFF:
        return True
    return bool(_words(a.object) & _words(b.object)) or same_amount or bool(a.group and a.group == b.group)


def link_commitments(records: list[CoopRecord]) -> list[CoopRecord]:
    """The records with a `commitment_id` shared by the records of one commitment (in input order)."""
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(records):
        for j in range(i):
            if find(i) != find(j) and same_commitment(a, records[j]):
                parent[find(i)] = find(j)
    roots: dict[int, int] = {}
    return [
        replace(rec, commitment_id=f"c-{roots.setdefault(find(i), len(roots) + 1):05d}")
        for i, rec in enumerate(records)
    ]
