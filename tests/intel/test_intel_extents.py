"""Town extents from the gazetteer: a radius from the town's population, used only on the town's centre."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outrider.intel import extents
from outrider.intel.extents import city_extent_m, nearest_town, radius_for_population, towns


def test_karachi_reaches_about_19_km_and_small_towns_the_floor() -> None:
    karachi = towns()[("PK", "karachi")]
    assert (karachi.lat, karachi.lon) == (24.86, 67.01)
    assert 18_000 < karachi.radius_m < 21_000  # 11.6 million people (GeoNames) at 10,000 per km²
    assert 6_000 < towns()[("PK", "quetta")].radius_m < 8_000
    assert towns()[("PK", "dasu")].radius_m == extents.MIN_RADIUS_M  # curated, not in GeoNames' list


def test_the_extent_applies_only_on_the_towns_own_coordinates() -> None:
    assert city_extent_m("Karachi", "PK", 24.86, 67.01) == towns()[("PK", "karachi")].radius_m
    assert city_extent_m("karachi", "pk", 24.864, 67.006) > 0  # rounding of the stored coordinates
    assert city_extent_m("Karachi", "PK", 24.91, 67.16) == 0.0  # the airport: a named site, a point
    assert city_extent_m("Karachi", "PK", 24.87, 67.01) == 0.0  # moved by an analyst: a point
    assert city_extent_m(None, "PK", 24.86, 67.01) == 0.0
    assert city_extent_m("Karachi", None, 24.86, 67.01) == 0.0
    assert city_extent_m("Atlantis", "PK", 24.86, 67.01) == 0.0
    assert city_extent_m("Jinnah International Airport", "PK", 24.91, 67.16) == 0.0  # sites are not towns


def test_long_tail_towns_have_extents_too() -> None:
    long_tail = [t for t in towns().values() if t.country == "AF"]
    assert long_tail and all(extents.MIN_RADIUS_M <= t.radius_m <= extents.MAX_RADIUS_M for t in long_tail)


@given(a=st.integers(0, 40_000_000), b=st.integers(0, 40_000_000))
def test_the_radius_grows_with_the_population_within_its_bounds(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert (
        extents.MIN_RADIUS_M
        <= radius_for_population(low)
        <= radius_for_population(high)
        <= extents.MAX_RADIUS_M
    )
    free = math.sqrt(high / extents.DENSITY_PER_KM2 / math.pi) * 1000
    if extents.MIN_RADIUS_M < free < extents.MAX_RADIUS_M:
        assert radius_for_population(high) == pytest.approx(free)


def test_the_nearest_town_gives_a_position_its_country_and_province() -> None:
    town = nearest_town(24.91, 67.16, within_m=50_000)
    assert town is not None and (town.country, town.admin1) == ("PK", "Sindh")
    assert nearest_town(0.0, -30.0, within_m=50_000) is None  # the middle of the Atlantic
