"""Records of one commitment across reports share a `commitment_id`, as incidents of one event share an event.

Two records are one commitment when their kinds are of one family, their states are the same, their promisor
and beneficiary do not contradict, their amounts (if both give one) agree, their groups (if both name one)
agree, and their dates fit: one-off acts (meetings, exercises) within a few days, standing commitments within
the years a commitment lives; object words break the rest (a series' instances differ by name).
"""

from __future__ import annotations

import re
from datetime import date

from outrider.intel.cooperation.records import CoopRecord, same_family

ONE_OFF = {"visit_or_meeting", "joint_exercise"}
ONE_OFF_DAYS = 10
STANDING_DAYS = 3 * 366
STOP = {
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
    "joint",
    "a",
    "an",
}


def _day(value: str | None) -> date | None:
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2 and w not in STOP}


def _names(text: str) -> set[str]:
    """Proper names in an object ("Warrior-VIII"): different names, different instances."""
    return set(re.findall(r"\b[A-Z][A-Za-z]*-?[IVX0-9]+\b", text))


def same_commitment(a: CoopRecord, b: CoopRecord) -> bool:
    """Whether two records of different reports are one commitment."""
    if a.doc_id == b.doc_id or not same_family(a.kind, b.kind) or set(a.parties) != set(b.parties):
        return False
    for x, y in ((a.promisor, b.promisor), (a.beneficiary, b.beneficiary)):
        if x and y and x != y:
            return False
    if a.amount and b.amount and abs(a.amount - b.amount) > 0.005 * max(a.amount, b.amount):
        return False
    if a.group and b.group and a.group != b.group:
        return False
    na, nb = _names(a.object), _names(b.object)
    if na and nb and not na & nb:
        return False
    da, db = _day(a.date), _day(b.date)
    one_off = a.kind in ONE_OFF or b.kind in ONE_OFF
    if da and db and not _dates_fit(a, b, da, db, ONE_OFF_DAYS if one_off else STANDING_DAYS):
        return False
    if one_off and da and db:
        return True
    return bool(_words(a.object) & _words(b.object))


def _dates_fit(a: CoopRecord, b: CoopRecord, da: date, db: date, reach: int) -> bool:
    """Dates within ``reach`` days, compared at the coarser of the two precisions (a month, a year)."""
    coarse = {
        a.date_precision,
        b.date_precision,
        "month" if min(len(a.date or ""), len(b.date or "")) == 7 else "",
    }
    if "year" in coarse or min(len(a.date or ""), len(b.date or "")) == 4:
        return abs(da.year - db.year) <= max(1, reach // 365)
    if "month" in coarse:
        return abs((da.year * 12 + da.month) - (db.year * 12 + db.month)) <= max(0, reach // 30)
    return abs((da - db).days) <= reach


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
    out = []
    for i, rec in enumerate(records):
        n = roots.setdefault(find(i), len(roots) + 1)
        out.append(_with_id(rec, f"c-{n:05d}"))
    return out


def _with_id(rec: CoopRecord, cid: str) -> CoopRecord:
    from dataclasses import replace

    return replace(rec, commitment_id=cid)
