"""The ACLED export: its event types and actor codes in gold-schema values, and its rows read."""

from __future__ import annotations

import re
from datetime import date

from outrider.intel.actors import ActorRegistry
from outrider.intel.classify import classify
from outrider.intel.dataset_rows import (
    BadRow,
    DatasetRecord,
    Row,
    RowDropped,
    coords_cells,
    count_cell,
    country_code,
    day_of,
    int_cell,
    is_foreign,
    perpetrator_of,
    source_id,
    text_cell,
    vocabulary,
)
from outrider.intel.schemas import AttackType, DatePrecision, TargetType, Weapon

# ACLED codebook: the political-violence event types that are attacks, and their sub-event types
ACLED_ATTACKS = ("battles", "explosions/remote violence", "violence against civilians")
_S = vocabulary(
    """
    armed_assault: Armed clash | Non-state actor overtakes territory | Attack
    bombing: Suicide bomb | Remote explosive/landmine/IED | Grenade | Shelling/artillery/missile attack
    bombing: Air/drone strike
    unarmed_assault: Sexual violence
    hostage_taking: Abduction/forced disappearance
    unknown: Chemical weapon
    """,
    AttackType,
)
_SW = vocabulary(
    """
    firearms: Armed clash | Non-state actor overtakes territory
    suicide_vest: Suicide bomb
    ied: Remote explosive/landmine/IED
    rocket: Shelling/artillery/missile attack
    other: Grenade | Air/drone strike | Chemical weapon
    """,
    Weapon,
)
ACLED_SUB: dict[str, tuple[AttackType, Weapon, bool | None]] = {
    sub: (
        attack,
        _SW.get(sub, Weapon.unknown),
        {"suicide bomb": True, "remote explosive/landmine/ied": False}.get(sub),
    )
    for sub, attack in _S.items()
}
# older ACLED files code actor types as numbers
_INTER_NAMES = "state forces|rebel group|political militia|identity militia|rioters|protesters|civilians"
ACLED_INTER = {str(i): n for i, n in enumerate((*_INTER_NAMES.split("|"), "external/other forces"), start=1)}
_ARMED = {"rebel group", "political militia", "identity militia", "external/other forces"}
_FORCES = {"state forces", "external/other forces"}

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}


def _acled_date(raw: str) -> date:
    text = raw.strip()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?", text):
        return day_of(int(m[1]), int(m[2]), int(m[3]))
    if (m := re.fullmatch(r"(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})", text)) and m[2][
        :3
    ].lower() in _MONTHS:
        return day_of(int(m[3]), _MONTHS[m[2][:3].lower()], int(m[1]))
    raise BadRow(f"bad date: {text[:40]!r}")


def _inter(row: dict[str, str], key: str) -> str:
    value = (row.get(key) or "").lower()
    return ACLED_INTER.get(value, value)


def parse_acled(row: dict[str, str], line: int, actors: ActorRegistry | None, wanted: set[str]) -> Row:
    """One ACLED row as a record, or dropped (not an attack, a state action, another country)."""
    event_id = source_id(row, "event_id_cnty")
    event_type = (row.get("event_type") or "").lower()
    if event_type not in ACLED_ATTACKS:
        return RowDropped(line, f"not an attack: {row.get('event_type') or 'no event type'}")
    sub = (row.get("sub_event_type") or "").lower()
    inter1, inter2 = _inter(row, "inter1"), _inter(row, "inter2")
    one_sided = event_type != "battles"
    if sub == "government regains territory" or (one_sided and inter1 == "state forces"):
        return RowDropped(line, "state action")
    country = country_code(row.get("country"), row.get("iso"))
    if wanted and country not in wanted:
        return RowDropped(line, "another country")
    when = _acled_date(row.get("event_date") or "")
    precision = DatePrecision.day if int_cell(row, "time_precision") in (None, 1) else DatePrecision.month
    lat, lon = coords_cells(row)
    province_only = int_cell(row, "geo_precision") == 3
    if province_only:
        lat = lon = None  # a province's centre stands in for an unknown place: no hotspot there
    attack, weapon, suicide = ACLED_SUB.get(sub, (AttackType.unknown, Weapon.unknown, None))
    notes = row.get("notes") or ""
    if notes and (weapon == Weapon.suicide_vest or sub in ("attack", "armed clash")):
        found = Weapon(classify(notes)["weapon"])
        if (weapon == Weapon.suicide_vest and found == Weapon.vbied) or (
            weapon != Weapon.suicide_vest and found in (Weapon.firearms, Weapon.knife)
        ):
            weapon = found
    attacker, victim = ("actor1", "inter1"), ("actor2", "inter2")
    if not (inter1 in _ARMED or one_sided) and inter2 in _ARMED:
        attacker, victim = victim, attacker  # a battle with state forces named first: they are the target
    perpetrator = (
        text_cell(row, attacker[0], unknown=False) if _inter(row, attacker[1]) != "state forces" else None
    )
    place = [p for p in (row.get("location"), row.get("admin3"), row.get("admin2")) if p]
    return DatasetRecord(
        dataset="acled",
        source_id=event_id,
        line=line,
        date=when,
        date_precision=precision,
        country=country,
        admin1=text_cell(row, "admin1", unknown=False),
        city=None if province_only else text_cell(row, "location", unknown=False),
        location_text=", ".join(dict.fromkeys(place))[:300] or None,
        lat=lat,
        lon=lon,
        attack_type=attack,
        weapon=weapon,
        suicide=suicide,
        target_type=_acled_target(row.get(victim[0]) or "", _inter(row, victim[1]), event_type, country),
        killed=count_cell(row, "fatalities"),  # ACLED counts every death, attackers included
        wounded=None,
        perpetrator=perpetrator_of(perpetrator, actors),
        claimed=None,
        text=notes,
    )


def _acled_target(actor: str, inter: str, event_type: str, country: str | None) -> TargetType:
    if inter in _FORCES:
        return TargetType.police if "police" in actor.lower() else TargetType.military
    if inter == "civilians" or event_type == "violence against civilians":
        group = re.search(r"\(([^()]+)\)\s*$", actor)
        return TargetType.foreign_workers if group and is_foreign(group[1], country) else TargetType.civilians
    return TargetType.unknown
