"""Cross-document event linking (blocking, compatibility) and reconciliation, as pure functions."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from outrider.intel.gazetteer import lookup
from outrider.intel.sites import km_between

Incident = dict[str, Any]
_PREC = {"day": 3, "month": 2, "year": 1, "unknown": 0}
PRECISION = _PREC  # how precise a date precision is, for callers


def _date(inc: Incident) -> date | None:
    value = inc.get("date")
    return date.fromisoformat(value) if value else None


def dates_compatible(a: Incident, b: Incident) -> bool:
    """Dates agree at the coarser of the two precisions (day within two days)."""
    da, db = _date(a), _date(b)
    if da is None or db is None:
        return True
    prec = min(_PREC[a.get("date_precision") or "unknown"], _PREC[b.get("date_precision") or "unknown"])
    if prec >= 3:
        return abs((da - db).days) <= 2
    if prec == 2:
        return (da.year, da.month) == (db.year, db.month)
    return da.year == db.year


def places_compatible(a: Incident, b: Incident) -> bool:
    """Same country, and same city where both name one, else same province where both name one."""
    if a.get("country") != b.get("country"):
        return False
    if a.get("city") and b.get("city"):
        # "near X in Nushki district", standing at Nushki's coordinates, is where "Nushki" is told elsewhere
        return bool(
            a["city"] == b["city"] or _at_town(a, b) or _at_town(b, a) or _close(a, b) or _seat_that_day(a, b)
        )
    da, db = _district(a), _district(b)
    if da and db and da != db:
        return False  # "in Khyber district" is not the attack at a town of the next district
    if a.get("admin1") and b.get("admin1"):
        return bool(a["admin1"] == b["admin1"])
    return True


LEADING = re.compile(r"^(?:(?:in|near|at|outside|inside|around|the)\s+)+", re.I)


def _district(inc: Incident) -> str | None:
    """The district of a record's town, or the district its place is told as (its location)."""
    if inc.get("city"):
        town = lookup(str(inc["city"]))
        return town.district if town is not None else None
    where = LEADING.sub("", str(inc.get("location_text") or ""))
    told = lookup(where.removesuffix(" district"))
    if told is None or not (told.kind == "district" or where.endswith(" district")):
        return None  # a town's name kept by a record without a town says no district
    return told.district  # "in Bannu district": the district its seat names


NEIGHBOURS_KM = 10.0  # "at Komila" and "near Dasu", 4 km apart across the river: one site told by either town


def _close(a: Incident, b: Incident) -> bool:
    """Whether two records' towns are gazetteer towns within a few kilometres of each other (neighbouring
    villages); a name the gazetteer lacks stands at its district's town, which says nothing of where it is."""
    pa, pb = lookup(str(a["city"])), lookup(str(b["city"]))
    km = km_between(pa, pb) if pa is not None and pb is not None else None
    return km is not None and km <= NEIGHBOURS_KM


def _seat_that_day(a: Incident, b: Incident) -> bool:
    """Whether one record is at a town of a district and the other at the district's seat on the same day,
    both told to the day: a far report names the district by its seat ("in Mansehra") or its name ("in
    Darvoz"), a near one the village ("at Paras, Mansehra district")."""
    if not (a.get("date_precision") == b.get("date_precision") == "day" and a.get("date") == b.get("date")):
        return False
    pa, pb = lookup(str(a["city"])), lookup(str(b["city"]))
    if (pa is not None and pa.district == b["city"]) or (pb is not None and pb.district == a["city"]):
        return True  # "near Qalaikhumb" and "in Darvoz": a town and its district told by name
    if pa is None or pb is None or pa.district is None or pa.district != pb.district:
        return False
    return pa.district in (pa.name, pb.name)


def _at_town(town: Incident, told: Incident) -> bool:
    """Whether a record stands at the coordinates of the gazetteer town another record names."""
    place = lookup(str(town["city"]))
    return (
        place is not None
        and place.lat is not None
        and (place.lat, place.lon) == (told.get("lat"), told.get("lon"))
    )


# types one report may give an event another tells as the other: a gunman's killing of one man told as an
# assassination or a shooting, an assault that took hostages, a siege of a plant told as a bombing of it
KINDRED = {
    frozenset(pair)
    for pair in (
        ("assassination", "armed_assault"),
        ("hostage_taking", "armed_assault"),
        ("hijacking", "armed_assault"),
        ("hijacking", "hostage_taking"),
        ("facility_attack", "bombing"),
        ("facility_attack", "armed_assault"),
    )
}


def _kinds_agree(a: Incident, b: Incident) -> bool:
    """Attack types agree or are kindred, or one of them is not known (a shooting is not the bombing of the
    same town)."""
    ta, tb = a.get("attack_type"), b.get("attack_type")
    return ta in (None, "unknown") or tb in (None, "unknown") or ta == tb or frozenset((ta, tb)) in KINDRED


# a complex attack one report tells by its blast and another by its gunmen or its seized train: at one town
# on one day, a bombing and an assault or hijacking are one event (dates more than a day apart stay apart)
COMPLEX = {frozenset(("bombing", "armed_assault")), frozenset(("bombing", "hijacking"))}


def _one_complex_attack(a: Incident, b: Incident) -> bool:
    """Whether two records tell a complex attack's two parts: the same town, the same day told to the day."""
    return frozenset((a.get("attack_type"), b.get("attack_type"))) in COMPLEX and _one_town_day(a, b)


def same_event(a: Incident, b: Incident) -> bool:
    """Whether two incidents from different documents describe one real event."""
    if not (places_compatible(a, b) and dates_compatible(a, b)):
        return False
    if a.get("date") is None or b.get("date") is None:
        return False
    if not (_kinds_agree(a, b) or _one_complex_attack(a, b)):
        return False
    pa, pb = a.get("perpetrator"), b.get("perpetrator")
    # two groups named for one town's attack of one day: a claim one report credits and another contests
    # (a passing mention told only by its month may take its group from the report's main story)
    return not (pa and pb and pa != pb and "Jamaat" not in pa + pb) or _one_town_day(a, b) or _by_month(a, b)


def _by_month(a: Incident, b: Incident) -> bool:
    """Whether one record is told only by its month and the other to the day, at one named town."""
    kinds = {a.get("date_precision"), b.get("date_precision")}
    return bool(a.get("city")) and a.get("city") == b.get("city") and kinds == {"month", "day"}


def _one_town_day(a: Incident, b: Incident) -> bool:
    """Whether two records are of one named town on one day, both told to the day."""
    return (
        bool(a.get("city"))
        and a.get("city") == b.get("city")
        and a.get("date_precision") == b.get("date_precision") == "day"
        and a.get("date") == b.get("date")
    )


APART_DAYS = 60  # two days told this far apart are two events, whatever a coarser record between them says


def _months_apart(a: Incident, b: Incident) -> bool:
    da, db = _date(a), _date(b)
    return da is not None and db is not None and abs((da - db).days) > APART_DAYS


def link(incidents: list[Incident]) -> list[int]:
    """Cluster id per incident (union-find over compatible pairs from different documents)."""
    parent = list(range(len(incidents)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    towns: dict[int, list[Incident]] = {
        i: [inc] if inc.get("city") else [] for i, inc in enumerate(incidents)
    }  # per cluster root: its records that name a town
    # and those told to the day
    dated = {i: [inc] if inc.get("date_precision") == "day" else [] for i, inc in enumerate(incidents)}

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri == rj:
            return
        # a record placed only by its province links two clusters only if their towns agree ("a pipeline in
        # Sindh" is not the bridge between an attack at one Sindh town and another at the next)
        if not all(places_compatible(x, y) for x in towns[ri] for y in towns[rj]):
            return
        # nor is a record dated only by its year the bridge between a town's attack in March and its next one
        # in November (a day told a few weeks off, a report's slip, may still join by a coarser record)
        if any(_months_apart(x, y) for x in dated[ri] for y in dated[rj]):
            return
        parent[rj] = ri
        towns[ri] += towns.pop(rj)
        dated[ri] += dated.pop(rj)

    blocks: dict[str, list[int]] = {}
    for i, inc in enumerate(incidents):
        blocks.setdefault(str(inc.get("country")), []).append(i)
    for members in blocks.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                a, b = incidents[i], incidents[j]
                if a.get("doc_id") != b.get("doc_id") and same_event(a, b):
                    union(i, j)
    # an undated record joins the single most alike dated record at the same town (never two clusters)
    for i, inc in enumerate(incidents):
        best = _most_alike_dated(inc, incidents)
        if best is not None:
            union(best, i)
    return [find(i) for i in range(len(incidents))]


def _most_alike_dated(inc: Incident, incidents: list[Incident]) -> int | None:
    """For an undated record at a town: the dated record of another report at that town most alike it."""
    if inc.get("date") is not None or not inc.get("city"):
        return None
    best, best_score = None, 0
    for j, other in enumerate(incidents):
        if other.get("date") is None or other.get("doc_id") == inc.get("doc_id"):
            continue
        if other.get("city") != inc["city"] or other.get("country") != inc.get("country"):
            continue
        if not _kinds_agree(inc, other):
            continue
        score = sum(
            1
            for k in ("attack_type", "weapon", "target_type", "perpetrator", "killed")
            if inc.get(k) not in (None, "unknown") and inc.get(k) == other.get(k)
        )
        if score > best_score:
            best, best_score = j, score
    return best


def reconcile(incidents: list[Incident], clusters: list[int]) -> list[Incident]:
    """Fill gaps from linked records: most specific place, most precise (earliest) date."""
    by: dict[int, list[int]] = {}
    for i, c in enumerate(clusters):
        by.setdefault(c, []).append(i)
    out = [dict(inc) for inc in incidents]
    for members in by.values():
        with_city = [incidents[i] for i in members if incidents[i].get("city")]
        best_date = sorted(
            (incidents[i] for i in members if incidents[i].get("date")),
            key=lambda inc: (-_PREC[inc.get("date_precision") or "unknown"], inc["date"]),
        )
        for i in members:
            rec = out[i]
            if not rec.get("city") and with_city and len({c["city"] for c in with_city}) == 1:
                src = with_city[0]
                if rec.get("admin1") in (None, src.get("admin1")):
                    rec.update(city=src["city"], admin1=src["admin1"], lat=src["lat"], lon=src["lon"])
            # a more precise date of the cluster, never one that contradicts the record's own month or year
            finer = next((d for d in best_date if dates_compatible(d, incidents[i])), None)
            if (
                finer
                and _PREC[finer.get("date_precision") or "unknown"]
                > _PREC[rec.get("date_precision") or "unknown"]
            ):
                rec["date"] = finer["date"]
    return out


def _specificity(inc: Incident) -> int:
    return 3 if inc.get("city") else 2 if inc.get("admin1") else 1 if inc.get("country") else 0


def _commonest(values: list[Any]) -> Any:
    """The commonest known value; ties go to the first seen."""
    known = [v for v in values if v not in (None, "unknown")]
    if not known:
        return next((v for v in values if v is not None), None)
    return max(dict.fromkeys(known), key=known.count)


def event_values(members: list[Incident]) -> dict[str, Any]:
    """The event's values chosen from every report's values.

    Each member carries its report's `published` date (ISO or None). The earliest of the most precise
    dates; the most specific place (the commonest among equally specific ones); the toll of the latest
    report that states one (the latest official toll; ties take the higher figure); the commonest known
    value of every other field."""
    if not members:
        raise ValueError("an event needs at least one incident")
    out: dict[str, Any] = {}
    dated = [m for m in members if m.get("date")]
    if dated:
        best = min(dated, key=lambda m: (-_PREC[m.get("date_precision") or "unknown"], m["date"]))
        out["date"], out["date_precision"] = best["date"], best.get("date_precision") or "unknown"
    else:
        out["date"], out["date_precision"] = None, "unknown"
    top = max(_specificity(m) for m in members)
    specific = [m for m in members if _specificity(m) == top]
    place_key = _commonest([(m.get("country"), m.get("admin1"), m.get("city")) for m in specific])
    place = next(m for m in specific if (m.get("country"), m.get("admin1"), m.get("city")) == place_key)
    for key in ("country", "admin1", "city", "location_text", "lat", "lon"):
        out[key] = place.get(key)
    for key in ("killed", "wounded"):
        stated = [m for m in members if m.get(key) is not None]
        if stated:
            latest = max(stated, key=lambda m: (m.get("published") or "", m[key]))
            out[key] = latest[key]
        else:
            out[key] = None
    for key in ("attack_type", "weapon", "suicide", "target_type", "perpetrator", "claimed"):
        out[key] = _commonest([m.get(key) for m in members])
    for key in ("suicide", "claimed"):  # a report that tells the bomber or the claim outweighs those silent
        out[key] = True if any(m.get(key) is True for m in members) else out[key]
    return out


def _alike(a: Incident, b: Incident) -> int:
    return sum(
        1
        for k in ("attack_type", "weapon", "target_type", "perpetrator", "killed")
        if a.get(k) not in (None, "unknown") and a.get(k) == b.get(k)
    )


def best_match(incident: Incident, candidates: list[Incident]) -> int | None:
    """The candidate (from other reports) that describes the same event, or None.

    Dated records take the compatible candidate most alike; an undated record joins the single most
    alike dated candidate at the same town, as `link` does within one batch."""
    best, best_score = None, -1
    for i, other in enumerate(candidates):
        if other.get("doc_id") == incident.get("doc_id"):
            continue
        if incident.get("date") is None:
            if other.get("date") is None or not incident.get("city"):
                continue
            if other.get("city") != incident["city"] or other.get("country") != incident.get("country"):
                continue
            if not _kinds_agree(incident, other):
                continue
            score = _alike(incident, other)
            if score == 0:
                continue
        elif same_event(incident, other):
            score = _alike(incident, other)
        else:
            continue
        if score > best_score:
            best, best_score = i, score
    return best
