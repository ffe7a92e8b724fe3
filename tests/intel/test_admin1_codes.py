"""GeoNames admin1 codes read as provinces: the given tables and the codes curated towns agree on."""

from datetime import date

from outrider.intel.admin1_codes import admin1_of, given_codes, voted_codes
from outrider.intel.extract import build_incidents
from outrider.intel.gazetteer import _index, find_places


def test_given_codes_agree_with_the_curated_towns_of_the_same_code() -> None:
    for (country, code), name in voted_codes().items():
        given = given_codes().get(country)
        if given is not None and code in given:
            assert given[code] == name, (country, code)


def test_given_provinces_are_the_gazetteers_own_where_it_has_them() -> None:
    provinces = {(e.place.country, e.place.admin1) for e in _index()[1].values() if e.place.kind == "admin1"}
    countries = {c for c, _ in provinces}
    assert {"PK", "TJ"} <= countries
    for country, codes in given_codes().items():
        if country in countries:
            assert all((country, name) in provinces for name in codes.values()), country


def test_a_code_no_table_gives_takes_its_curated_towns_province() -> None:
    (code,) = {c for (country, c), name in voted_codes().items() if country == "AF" and name == "Nangarhar"}
    assert admin1_of("AF", code) == "Nangarhar"
    assert admin1_of("AF", "no such code") is None


def test_a_long_tail_town_is_told_with_its_province() -> None:
    # a town of a country without curated towns of its province: the given table names it
    lines = ("Post attacked", "Gunmen attacked a post in the town of Khorugh on Monday, killing two.")
    assert [(i["city"], i["admin1"]) for i in build_incidents(lines, date(2031, 5, 7))] == [
        ("Khorugh", "Gorno-Badakhshan")
    ]


def test_central_asian_towns_are_in_the_long_tail_with_their_province() -> None:
    lines = ("Blast", "A bomb exploded outside a bank in Karakol on Monday, killing two guards.")
    assert [(i["city"], i["admin1"]) for i in build_incidents(lines, date(2031, 5, 7))] == [
        ("Karakol", "Issyk-Kul")
    ]


def test_a_long_tail_town_of_another_province_than_the_one_named_beside_it_is_no_place() -> None:
    def towns(text: str) -> list[str | None]:
        return [h.place.name for h in find_places(text) if not h.is_region]

    assert towns("Mortars hit a camp near the Panjakent checkpoint, in Khatlon region.") == []
    assert towns("Mortars hit a camp in Panjakent, in Sughd region.") == ["Panjakent"]
