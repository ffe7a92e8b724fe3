"""The Global Terrorism Database (GTD) export: its codebook texts in gold-schema values, and its rows read."""

from __future__ import annotations

from outrider.intel.actors import ActorRegistry
from outrider.intel.dataset_rows import (
    BadRow,
    DatasetRecord,
    Row,
    RowDropped,
    coords_cells,
    count_cell,
    country_code,
    day_of,
    flag_cell,
    int_cell,
    is_foreign,
    perpetrator_of,
    source_id,
    text_cell,
    vocabulary,
)
from outrider.intel.schemas import AttackType, DatePrecision, TargetType, Weapon

# GTD codebook texts (attacktype1_txt, weaptype1_txt, weapsubtype1_txt of Explosives, targtype1_txt)
GTD_ATTACK = vocabulary(
    """
    assassination: Assassination
    armed_assault: Armed Assault
    bombing: Bombing/Explosion
    hijacking: Hijacking
    hostage_taking: Hostage Taking (Barricade Incident) | Hostage Taking (Kidnapping)
    facility_attack: Facility/Infrastructure Attack
    unarmed_assault: Unarmed Assault
    unknown: Unknown
    """,
    AttackType,
)
GTD_WEAPON = vocabulary(
    """
    firearms: Firearms
    other: Incendiary | Chemical | Biological | Radiological | Nuclear | Fake Weapons | Sabotage Equipment
    other: Melee | Vehicle | Other
    unknown: Unknown
    """,
    Weapon,
)
GTD_EXPLOSIVE = vocabulary(
    """
    vbied: Vehicle
    suicide_vest: Suicide (carried bodily by human being)
    rocket: Projectile (rockets, mortars, RPGs, etc.)
    ied: Remote Trigger | Time Fuse | Pressure Trigger | Landmine | Pipe Bomb | Sticky Bomb | Dynamite/TNT
    ied: Letter Bomb | Other Explosive Type
    unknown: Unknown Explosive Type
    """,
    Weapon,
)
GTD_TARGET = vocabulary(
    """
    business: Business
    government: Government (General) | Violent Political Party
    police: Police
    military: Military
    diplomatic: Government (Diplomatic)
    education: Educational Institution
    transport: Airports & Aircraft | Transportation | Maritime
    religious: Religious Figures/Institutions
    civilians: Private Citizens & Property | Journalists & Media | Tourists | NGO | Abortion Related
    unknown: Utilities | Telecommunication | Food or Water Supply | Terrorists/Non-State Militia
    unknown: Other | Unknown
    """,
    TargetType,
)
# GTD targets that, with victims of another nationality than the country's, are foreign workers
GTD_WORKPLACES = {"business", "private citizens & property", "utilities", "telecommunication", "ngo"}


def parse_gtd(row: dict[str, str], line: int, actors: ActorRegistry | None, wanted: set[str]) -> Row:
    """One GTD row as a record, or dropped (another country); a cell that cannot be read raises `BadRow`."""
    event_id = source_id(row, "eventid")
    country = country_code(row.get("country_txt"))
    if wanted and country not in wanted:
        return RowDropped(line, "another country")
    year = int_cell(row, "iyear")
    month, day = int_cell(row, "imonth") or 0, int_cell(row, "iday") or 0
    if year is None:
        raise BadRow("bad date: iyear missing")
    if not 0 <= month <= 12 or not 0 <= day <= 31:
        raise BadRow(f"bad date: {year}-{month}-{day}")
    precision = DatePrecision.day if month and day else DatePrecision.month if month else DatePrecision.year
    when = day_of(year, month or 1, day if month and day else 1)
    lat, lon = coords_cells(row)
    if (int_cell(row, "specificity") or 0) >= 4:
        lat = lon = None  # placed at a province's centre (4) or not at all (5): no hotspot there
    attack = GTD_ATTACK.get((row.get("attacktype1_txt") or "unknown").lower(), AttackType.unknown)
    weapon = _gtd_weapon(row, attack)
    target_text = (row.get("targtype1_txt") or "unknown").lower()
    target = GTD_TARGET.get(target_text, TargetType.unknown)
    if target_text in GTD_WORKPLACES and is_foreign(text_cell(row, "natlty1_txt"), country):
        target = TargetType.foreign_workers
    nkill, nkillter = count_cell(row, "nkill"), count_cell(row, "nkillter") or 0
    nwound, nwoundte = count_cell(row, "nwound"), count_cell(row, "nwoundte") or 0
    return DatasetRecord(
        dataset="gtd",
        source_id=event_id,
        line=line,
        date=when,
        date_precision=precision,
        country=country,
        admin1=text_cell(row, "provstate"),
        city=text_cell(row, "city"),
        location_text=(text_cell(row, "location") or "")[:300] or None,
        lat=lat,
        lon=lon,
        attack_type=attack,
        weapon=weapon,
        suicide=flag_cell(row, "suicide"),
        target_type=target,
        killed=None if nkill is None else max(0, nkill - nkillter),  # victims only: attackers excluded
        wounded=None if nwound is None else max(0, nwound - nwoundte),
        perpetrator=perpetrator_of(text_cell(row, "gname"), actors),
        claimed=flag_cell(row, "claimed"),
        text=row.get("summary") or "",
        doubtful=flag_cell(row, "doubtterr") is True,
    )


def _gtd_weapon(row: dict[str, str], attack: AttackType) -> Weapon:
    kind = (row.get("weaptype1_txt") or "unknown").lower()
    sub = (row.get("weapsubtype1_txt") or "").lower()
    if kind.startswith("explosives"):  # older files: "Explosives/Bombs/Dynamite"
        if sub == "grenade":
            return Weapon.firearms if attack == AttackType.armed_assault else Weapon.other
        return GTD_EXPLOSIVE.get(sub, Weapon.unknown)
    if kind == "melee" and sub.startswith("knife"):
        return Weapon.knife
    if kind.startswith("vehicle"):  # a vehicle without explosives (ramming)
        return Weapon.other
    return GTD_WEAPON.get(kind, Weapon.unknown)
