"""Days of the solar hijri calendar (`outrider.intel.solar`, its months in `data/feasts.json`). Sentences
written for these tests, never copied from a report."""

from __future__ import annotations

from datetime import date

import pytest

from outrider.intel.dates import resolve_event_date
from outrider.intel.feasts import _data
from outrider.intel.published import find_published
from outrider.intel.solar import from_solar, leap, new_year, solar_day

DATA = _data()


def test_the_year_begins_at_the_equinox_and_its_leap_years_follow_the_cycle() -> None:
    assert [new_year(y) for y in (1396, 1399, 1403, 1404, 1408)] == [
        date(2017, 3, 21),
        date(2020, 3, 20),
        date(2024, 3, 20),
        date(2025, 3, 21),
        date(2029, 3, 20),
    ]
    assert [y for y in range(1395, 1410) if leap(y)] == [1395, 1399, 1403, 1408]
    # six months of 31 days, five of 30, a last of 29 (30 in a leap year)
    assert from_solar(1404, 7, 1) == date(2025, 9, 23)
    assert from_solar(1404, 12, 30) is None and from_solar(1403, 12, 30) == date(2025, 3, 20)


@pytest.mark.parametrize(("number", "spellings"), list(enumerate(DATA["solar_months"], start=1)))
def test_every_solar_month_spelling_is_read_with_its_year(number: int, spellings: list[str]) -> None:
    for spelled in spellings:
        found = solar_day(f"The post was attacked on 12 {spelled.title()} 1409, officials said.", None)
        assert found is not None and found[0] == from_solar(1409, number, 12)
        # in lower case it is a word, not a month
        assert solar_day(f"The post was attacked on 12 {spelled} 1409.", None) is None


def test_a_day_without_its_year_is_the_latest_before_the_publication() -> None:
    pub = from_solar(1410, 1, 5)
    assert pub is not None
    got = resolve_event_date("Gunmen stormed the guesthouse on Tuesday, 20 Hoot, the ministry said.", pub)
    assert (got.value, got.precision, got.basis) == (from_solar(1409, 12, 20), "day", "publication")
    got = resolve_event_date("Gunmen stormed the guesthouse on 3 Hamal, the ministry said.", pub)
    assert got.value == from_solar(1410, 1, 3)
    # a month's name that is also a person's or a word is read only beside its year
    assert solar_day("The guards shot 2 Asad loyalists at the gate.", pub) is None
    assert solar_day("Gunmen stormed the guesthouse on 2 Asad 1409.", pub) is not None


def test_a_header_dated_by_the_solar_calendar_alone_dates_the_report() -> None:
    lines = ["Weekly of the valley", "Issue: Saturday, 9 Hamal 1410", "", "A bomb went off on Thursday."]
    assert find_published(lines, set()) == (from_solar(1410, 1, 9), True)
    # a header with the Gregorian day beside it keeps the Gregorian day
    lines[1] = "Issue: Saturday, 9 Hamal 1410 (29 March 2031)"
    assert find_published(lines, set())[0] == date(2031, 3, 29)
