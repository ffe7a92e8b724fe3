"""The offline map's towns, built from GeoNames at `make web-assets` time (outrider.web.towns)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outrider.web import towns

CAPITALS = {"PK": "Islamabad", "AF": "Kabul"}


def _city(name: str, lat: float, lon: float, country: str, population: int) -> dict[str, object]:
    return {"name": name, "latitude": lat, "longitude": lon, "countrycode": country, "population": population}


CITIES = [
    _city("Karachi", 24.8608, 67.0104, "PK", 11_624_219),
    _city("Islamabad", 33.72148, 73.04329, "PK", 601_600),
    _city("Dasu", 35.29167, 73.2906, "PK", 7_000),
    _city("Besham", 34.92, 72.87, "PK", 27_000),
    _city("Kabul", 34.52813, 69.17233, "AF", 4_434_550),
    _city("Hamlet", 34.0, 72.0, "PK", 900),  # under 5,000 people
    _city("Delhi", 28.65195, 77.23149, "IN", 11_034_555),  # a country not asked for
    _city("", 30.0, 70.0, "PK", 50_000),  # no name
    _city("Nowhere", 95.0, 70.0, "PK", 50_000),  # off the globe
]


def test_the_countries_towns_come_capitals_first_with_names_and_coordinates() -> None:
    chosen = towns.select(CITIES, CAPITALS)
    assert [t.name for t in chosen] == ["Kabul", "Islamabad", "Karachi", "Besham", "Dasu"]
    kabul, islamabad, karachi, besham, dasu = chosen
    assert kabul.capital and islamabad.capital and not karachi.capital
    assert (islamabad.zoom, karachi.zoom, besham.zoom, dasu.zoom) == (3, 4, 10, 11)
    assert (karachi.lat, karachi.lon, karachi.country) == (24.8608, 67.0104, "PK")
    assert islamabad.lat == 33.7215  # rounded to four decimals (about 10 m)


def test_the_layer_is_bounded_keeping_the_first_labelled() -> None:
    chosen = towns.select(CITIES, CAPITALS, limit=2)
    assert [t.name for t in chosen] == ["Kabul", "Islamabad"]
    assert towns.select(CITIES, CAPITALS, limit=0) == []


def test_the_written_file_has_fields_rows_and_the_licence(tmp_path: Path) -> None:
    doc = towns.document(towns.select(CITIES, CAPITALS), source="test")
    path = towns.write(doc, tmp_path)
    back = json.loads(path.read_text(encoding="utf-8"))
    assert back["licence"] == "CC BY 4.0" and back["fields"] == list(towns.FIELDS)
    row = dict(zip(back["fields"], back["towns"][2], strict=True))
    assert row == {
        "name": "Karachi",
        "lat": 24.8608,
        "lon": 67.0104,
        "country": "PK",
        "zoom": 4,
        "capital": 0,
    }
    assert "Creative Commons Attribution 4.0" in (tmp_path / "licenses" / "geonames.txt").read_text()


def test_an_unknown_country_code_is_refused() -> None:
    countries = {"PK": {"iso3": "PAK", "capital": "Islamabad"}}
    assert towns.capitals_of(["pak"], countries) == {"PK": "Islamabad"}
    with pytest.raises(ValueError, match="xyz"):
        towns.capitals_of(["xyz"], countries)
    assert towns.main([]) == 2


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=10**9))
def test_a_larger_town_is_never_labelled_later(a: int, b: int) -> None:
    small, large = sorted((a, b))
    assert towns.label_zoom(large, capital=False) <= towns.label_zoom(small, capital=False)
    assert 3 <= towns.label_zoom(small, capital=True) <= towns.label_zoom(small, capital=False) <= 11


def test_the_packaged_region_is_bounded_and_holds_the_demo_towns() -> None:
    doc = towns.build(["pak", "afg"])
    rows = {r[0]: r for r in doc["towns"]}
    assert 300 < len(doc["towns"]) <= towns.MAX_TOWNS
    zoom = towns.FIELDS.index("zoom")
    assert rows["Islamabad"][zoom] == 3 and rows["Karachi"][zoom] == 4
    assert len(json.dumps(doc)) < 100_000
