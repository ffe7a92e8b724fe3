"""Whether incidents are found, and at the right date and place (issue 20, twelfth round, second pass), on
texts of our own."""

from datetime import date

import pytest

from outrider.intel.cleaning import clean_text
from outrider.intel.dates import resolve_event_date
from outrider.intel.extract import build_incidents
from outrider.intel.published import find_page_bound

PUB = date(2031, 6, 21)


@pytest.mark.parametrize(
    "sentence",
    [
        "He counts the 2024 Peshawar car bomb among the worst.",
        "Residents remember the 2024 explosion at the market.",
        "Nobody forgot the 2024 truck bombs on the highway.",
    ],
)
def test_a_year_written_before_a_bomb_or_an_explosion_dates_it(sentence: str) -> None:
    when = resolve_event_date(sentence, PUB)
    assert (when.value, when.precision) == (date(2024, 1, 1), "year")


def test_a_year_before_a_word_that_is_no_attack_dates_nothing() -> None:
    assert resolve_event_date("The 2024 bombast of the minister was noted.", PUB).value is None


def _records(text: str, published: date | None = PUB) -> list[tuple[object, object]]:
    return [(r["date"], r["city"]) for r in build_incidents(clean_text(text).lines, published)]


def test_a_town_opening_a_branchs_organisation_name_is_no_site() -> None:
    text = (
        "Gunmen shot dead a police officer in Jalalabad on Friday, officials said.\n\n"
        "Residents recalled the day gunmen stormed the Kabul Bank branch on 19 February 2011, "
        "killing 30 people."
    )
    assert ("2011-02-19", "Kabul") not in _records(text)


def test_a_town_opening_an_organisations_name_alone_is_still_its_site() -> None:
    text = "Gunmen stormed the Karachi Stock Exchange on Friday, killing four guards, police said."
    assert [city for _, city in _records(text)] == ["Karachi"]


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Week 18 (27 April - 3 May 2026)", date(2026, 5, 3)),
        ("1 January - 31 March 2025", date(2025, 3, 31)),
        ("April 27 - May 3, 2026", date(2026, 5, 3)),
        ("Issue 24, Vol. XIII — June 16-22, 2025", date(2025, 6, 16)),
        ("Vol. 3 | 30 December - 5 January 2026", date(2025, 12, 30)),
        ("Friday 14 November 2031 - Saturday 15 November 2031 (times PKT)", date(2031, 11, 15)),
        ("November 14, 2031 - November 15, 2031", date(2031, 11, 15)),
    ],
)
def test_a_headers_period_bounds_the_reports_days(line: str, day: date) -> None:
    assert find_page_bound(["SITUATION REPORT", line, "Details follow."]) == day


def test_a_weekly_reports_weekday_falls_within_its_week() -> None:
    text = (
        "NORTH - WEEKLY SITUATION REPORT\nWeek 18 (27 April - 3 May 2026)\n\n"
        "A quadcopter dropped an explosive charge on a Levies post in Drosh on Monday night, wounding two."
    )
    doc = clean_text(text)
    bound = find_page_bound(list(doc.lines))
    assert [r["date"] for r in build_incidents(doc.lines, None, bound=bound)] == ["2026-04-27"]


def test_a_town_naming_an_earlier_attack_is_not_the_next_ones_site() -> None:
    text = (
        "Gunmen shot dead two policemen in Drosh on Friday, officials said.\n\n"
        "On 16 February 2017, three days after the Lahore bombing, a suicide bomber struck the shrine "
        "in Sehwan, killing more than 80 devotees."
    )
    cities = [city for _, city in _records(text)]
    assert "Sehwan" in cities and "Lahore" not in cities


def test_a_town_naming_an_attack_alone_in_its_sentence_stays() -> None:
    text = "A week after the Quetta bombing, the toll rose to 12, police said."
    assert {city for _, city in _records(text)} <= {"Quetta"}


@pytest.mark.parametrize("unit", ["Chitral Scouts", "Khyber Rifles", "Zhob Militia"])
def test_a_units_home_in_its_name_is_not_the_posts_town(unit: str) -> None:
    text = f"A quadcopter dropped a mortar round on a {unit} post near Arandu on Friday, wounding two."
    assert [city for _, city in _records(text)] == ["Arandu"]
