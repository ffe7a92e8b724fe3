"""GTD-style and ACLED-style CSV and GeoJSON exports: their headers and values, and the round trip through
the project's own importers (`intel.datasets`)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from outrider.intel.actors import ActorRegistry, packaged_entries
from outrider.intel.dataset_rows import DatasetRecord
from outrider.intel.datasets import DatasetFile
from outrider.intel.schemas import AttackType, TargetType, Weapon
from outrider.sharing import tabular

REGISTRY = ActorRegistry(packaged_entries())
GROUP = next(e.name for e in REGISTRY.entries if e.kind == "group")
INCIDENT: dict[str, Any] = {
    "id": 7,
    "date": date(2026, 10, 2),
    "date_precision": "day",
    "country": "PK",
    "admin1": "Sindh",
    "city": "Karachi",
    "location_text": "near the airport, outer cordon",
    "lat": 24.9,
    "lon": 67.16,
    "attack_type": "bombing",
    "weapon": "vbied",
    "suicide": True,
    "target_type": "foreign_workers",
    "killed": 2,
    "wounded": 5,
    "killed_by_nationality": {"CN": 2},
    "wounded_by_nationality": {"PK": 5},
    "perpetrator": GROUP,
    "claimed": True,
}
UNPLACED = INCIDENT | {
    "id": 8,
    "lat": None,
    "lon": None,
    "city": None,
    "date": "2026-09-30",
    "date_precision": "month",
    "perpetrator": None,
    "claimed": None,
    "killed": None,
    "attack_type": "armed_assault",
    "weapon": "firearms",
    "suicide": False,
    "target_type": "police",
}


def read_back(text: str) -> list[DatasetRecord]:
    rows = list(DatasetFile(io.StringIO(text)).rows(actors=REGISTRY))
    assert all(isinstance(r, DatasetRecord) for r in rows), rows
    return [r for r in rows if isinstance(r, DatasetRecord)]


def test_gtd_header_and_values() -> None:
    lines = list(csv.DictReader(io.StringIO(tabular.gtd_csv([INCIDENT]))))
    assert list(lines[0]) == tabular.GTD_COLUMNS
    row = lines[0]
    assert (row["eventid"], row["iyear"], row["imonth"], row["iday"]) == (
        "outrider-incident-7",
        "2026",
        "10",
        "2",
    )
    assert (row["country_txt"], row["provstate"], row["city"]) == ("Pakistan", "Sindh", "Karachi")
    assert (row["attacktype1_txt"], row["weaptype1_txt"], row["weapsubtype1_txt"]) == (
        "Bombing/Explosion",
        "Explosives",
        "Vehicle",
    )
    assert (row["targtype1_txt"], row["natlty1_txt"]) == ("Business", "China")
    assert (row["nkill"], row["nwound"], row["suicide"], row["claimed"]) == ("2", "5", "1", "1")


def test_gtd_round_trip_through_the_importer() -> None:
    placed, unplaced = read_back(tabular.gtd_csv([INCIDENT, UNPLACED]))
    assert placed.dataset == "gtd" and placed.source_id == "outrider-incident-7"
    assert (placed.date, placed.date_precision, placed.country) == (date(2026, 10, 2), "day", "PK")
    assert (placed.admin1, placed.city, placed.location_text) == (
        "Sindh",
        "Karachi",
        INCIDENT["location_text"],
    )
    assert (placed.lat, placed.lon) == (24.9, 67.16)
    assert (placed.attack_type, placed.weapon, placed.target_type) == ("bombing", "vbied", "foreign_workers")
    assert (placed.killed, placed.wounded, placed.suicide, placed.claimed) == (2, 5, True, True)
    assert placed.perpetrator == GROUP
    assert (unplaced.date, unplaced.date_precision) == (date(2026, 9, 1), "month")
    assert (unplaced.lat, unplaced.lon, unplaced.city, unplaced.perpetrator) == (None, None, None, None)
    assert (unplaced.killed, unplaced.claimed, unplaced.suicide) == (None, None, False)
    assert (unplaced.attack_type, unplaced.weapon, unplaced.target_type) == (
        "armed_assault",
        "firearms",
        "police",
    )


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(list(AttackType)),
    st.sampled_from(list(Weapon)),
    st.sampled_from([t for t in TargetType if t != TargetType.foreign_workers]),
    st.dates(min_value=date(1970, 1, 1), max_value=date(2100, 12, 31)),
    st.one_of(st.none(), st.integers(0, 5000)),
    st.one_of(st.none(), st.booleans()),
    st.sampled_from(["PK", "AF", "NG", "FR"]),
)
def test_every_gold_value_survives_the_gtd_round_trip(
    attack: AttackType,
    weapon: Weapon,
    target: TargetType,
    day: date,
    killed: int | None,
    flag: bool | None,
    country: str,
) -> None:
    row = INCIDENT | {
        "attack_type": attack,
        "weapon": weapon,
        "target_type": target,
        "date": day,
        "killed": killed,
        "wounded": killed,
        "suicide": flag,
        "claimed": flag,
        "country": country,
    }
    (back,) = read_back(tabular.gtd_csv([row], kind="event"))
    assert back.source_id == "outrider-event-7"
    assert (back.attack_type, back.weapon, back.target_type) == (attack, weapon, target)
    assert (back.date, back.country, back.killed, back.wounded) == (day, country, killed, killed)
    assert (back.suicide, back.claimed) == (flag, flag)


def test_acled_header_and_round_trip_of_what_acled_carries() -> None:
    text = tabular.acled_csv([INCIDENT, UNPLACED])
    lines = list(csv.DictReader(io.StringIO(text)))
    assert list(lines[0]) == tabular.ACLED_COLUMNS
    assert (lines[0]["event_type"], lines[0]["sub_event_type"]) == (
        "Explosions/Remote violence",
        "Suicide bomb",
    )
    assert (lines[0]["actor2"], lines[0]["iso"], lines[0]["country"]) == (
        "Civilians (China)",
        "586",
        "Pakistan",
    )
    assert (lines[1]["event_type"], lines[1]["sub_event_type"]) == ("Battles", "Armed clash")
    placed, unplaced = read_back(text)
    assert placed.dataset == "acled" and placed.source_id == "outrider-incident-7"
    assert (placed.date, placed.date_precision, placed.country, placed.admin1) == (
        date(2026, 10, 2),
        "day",
        "PK",
        "Sindh",
    )
    assert (placed.city, placed.lat, placed.lon, placed.killed, placed.perpetrator) == (
        "Karachi",
        24.9,
        67.16,
        2,
        GROUP,
    )
    assert (placed.attack_type, placed.suicide, placed.target_type) == ("bombing", True, "foreign_workers")
    assert (unplaced.lat, unplaced.lon, unplaced.killed, unplaced.perpetrator) == (None, None, None, None)
    assert (unplaced.attack_type, unplaced.weapon, unplaced.target_type) == (
        "armed_assault",
        "firearms",
        "police",
    )
    assert unplaced.date_precision == "month"


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(["bombing", "hostage_taking", "armed_assault"]),
    st.sampled_from(["ied", "rocket", "suicide_vest"]),
    st.sampled_from(["police", "military", "civilians", "unknown"]),
)
def test_the_acled_round_trip_keeps_attack_and_target(attack: str, weapon: str, target: str) -> None:
    row = INCIDENT | {"attack_type": attack, "weapon": weapon, "suicide": None, "target_type": target}
    (back,) = read_back(tabular.acled_csv([row]))
    assert back.attack_type == attack
    expected = "civilians" if attack == "hostage_taking" and target == "unknown" else target
    assert back.target_type == expected
    if attack == "bombing":
        assert back.weapon == weapon


def test_geojson_points_are_longitude_first_and_unplaced_rows_have_null_geometry() -> None:
    collection = json.loads(tabular.geojson([INCIDENT, UNPLACED]))
    assert collection["type"] == "FeatureCollection"
    placed, unplaced = collection["features"]
    assert placed["type"] == "Feature" and placed["id"] == "outrider-incident-7"
    assert placed["geometry"] == {"type": "Point", "coordinates": [67.16, 24.9]}
    assert unplaced["geometry"] is None
    assert placed["properties"]["date"] == "2026-10-02" and placed["properties"]["killed"] == 2
    assert (
        placed["properties"]["kind"] == "incident"
        and unplaced["properties"]["attack_type"] == "armed_assault"
    )
    for f in collection["features"]:
        assert set(f) == {"type", "id", "geometry", "properties"}


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_quoted() -> None:
    row = INCIDENT | {"perpetrator": '=HYPERLINK("http://x")', "city": "@SUM(A1)", "lat": -33.9, "lon": -70.6}
    (gtd,) = csv.DictReader(io.StringIO(tabular.gtd_csv([row])))
    assert (gtd["gname"], gtd["city"]) == ('\'=HYPERLINK("http://x")', "'@SUM(A1)")
    assert (gtd["latitude"], gtd["longitude"], gtd["suicide"]) == ("-33.9", "-70.6", "1")
    (acled,) = csv.DictReader(io.StringIO(tabular.acled_csv([row])))
    assert acled["actor1"].startswith("'=") and acled["location"] == "'@SUM(A1)"
