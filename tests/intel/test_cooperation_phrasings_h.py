"""Classes of text read from development set h (monitoring translations, weekly issues, bulletins) and checked
on set k before its errors of the class were read (docs/cooperation-extraction.md, sixth round). One test per
class, in sentences written for these tests (a fictional 2031), never copied from a report."""

from __future__ import annotations

from datetime import date

from outrider.intel.cooperation.header_day import header_day, solar_day, solar_to_gregorian


def test_a_monitoring_note_naming_its_source_dates_the_report_by_the_source() -> None:
    text = (
        "[Translated from Sindhi. Source: Daily Awami Awaz, Hyderabad, Friday 14 March 2031, page 3.]\n"
        "Police to guard Chinese engineers at the barrage\n"
    )
    assert header_day(text) == date(2031, 3, 14)


def test_a_weekly_issue_is_dated_by_the_first_day_of_its_span() -> None:
    assert header_day("Indus Weekly | Issue 12, Vol. IV — March 10-16, 2031\nText.") == date(2031, 3, 10)
    assert header_day("Edition of 10–16 March 2031\nText.") == date(2031, 3, 10)
    # a span without an issue's label is the week a bulletin covers: not its day
    assert header_day("Week 11 | 10-16 March 2031\nText.") is None


def test_an_issued_label_dates_a_bulletin() -> None:
    assert header_day("Week 11 | 10-16 March 2031 | Issued 17 March 2031\nText.") == date(2031, 3, 17)


def test_a_solar_hijri_date_is_read_in_the_gregorian_calendar() -> None:
    # Nowruz falls on 20 or 21 March; the months 1-6 have 31 days, 7-11 have 30
    assert solar_to_gregorian(1404, 1, 1) == date(2025, 3, 21)
    assert solar_to_gregorian(1403, 1, 1) == date(2024, 3, 20)
    assert solar_to_gregorian(1403, 12, 30) == date(2025, 3, 20)  # a leap year's last day
    assert solar_to_gregorian(1404, 12, 30) is None
    assert solar_day("Issue: Saturday, 1 Hamal 1410") == date(2031, 3, 21)
    assert solar_day("Jadi 3, 1410") == solar_to_gregorian(1410, 10, 3)
    assert header_day("Source: Weekly Sada, Herat\nIssue: Friday, 7 Mizan 1410\nText.") == date(2031, 9, 29)


def test_a_header_without_those_forms_gives_no_day() -> None:
    assert header_day("Border police meet in Torkham\nThe meeting was held on 7 March 2031.") is None
