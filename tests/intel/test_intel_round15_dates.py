"""Dates of found incidents (issue 20, fifteenth round), on texts of our own."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.dates import resolve_event_date
from outrider.intel.extract import build_incidents
from outrider.intel.pipeline import TextInput, extract_documents

PUB = date(2031, 6, 19)  # a Thursday


def _records(text: str, published: date | None = PUB) -> list[tuple[object, ...]]:
    got = build_incidents(clean_text(text).lines, published)
    return [(r["city"], r["date"], r["date_precision"]) for r in got]


def test_a_month_named_after_early_late_or_since_is_the_month_even_may() -> None:
    for words in ("early May", "late May", "mid-May", "since May"):
        when = resolve_event_date(f"Sibi, {words}: a grenade attack on a Levies post; one killed.", PUB)
        assert (when.value, when.precision) == (date(2031, 5, 1), "month")
    # "may" the verb stays no month
    assert resolve_event_date("Officials said attacks may rise.", PUB).value is None


def test_a_month_written_with_its_year_is_finer_than_the_years_counted_back() -> None:
    when = resolve_event_date("Two years ago, in March 2029, militants stormed the air base at Turbat.", PUB)
    assert (when.value, when.precision) == (date(2029, 3, 1), "month")
    # the years alone, or a month of another year, leave the year counted back
    when = resolve_event_date("Two years ago militants stormed the air base at Turbat.", PUB)
    assert (when.value, when.precision) == (date(2029, 1, 1), "year")


def test_years_since_a_birth_or_a_founding_are_no_date_of_the_attack() -> None:
    text = "The bombing in Quetta last Monday killed a guard, buried where he was born 38 years ago."
    when = resolve_event_date(text, PUB)
    assert (when.value, when.precision) == (date(2031, 6, 16), "day")
    when = resolve_event_date("The bombing in Quetta 38 years ago killed ten.", PUB)
    assert (when.value, when.precision) == (date(1993, 1, 1), "year")


def test_a_day_told_in_the_sentence_before_an_attack_of_the_lead_is_its_day() -> None:
    text = (
        "This week in security\n\n"
        "Sunday began badly on the highway. Shortly after dawn a roadside bomb went off beside a police van "
        "south of Havelian, killing one constable.\n"
    )
    assert _records(text) == [("Havelian", "2031-06-15", "day")]
    # a day told in the paragraph before is not the attack's: the report's day
    apart = text.replace("highway. Shortly", "highway.\nShortly")
    assert _records(apart) == [("Havelian", "2031-06-19", "day")]


def test_a_banner_naming_a_section_of_the_paper_dates_its_piece() -> None:
    head = "{label} | Saturday, 15 November 2031\nOne year after the bombing\nBy A. Writer\n\n"
    body = "A year ago today, a motorcycle bomb exploded beside a van of engineers in Korangi.\n"
    (got,) = extract_documents([TextInput("m", head.format(label="Sunday Magazine") + body)])
    assert got.published == date(2031, 11, 15)
    assert [(r["city"], r["date"]) for r in got.incidents] == [("Karachi", "2030-11-15")]
    # the outlet's name alone beside the date may be the site's render banner: no publication date
    (got,) = extract_documents([TextInput("c", head.format(label="The Frontier Courier Online") + body)])
    assert got.published is None


def test_what_was_used_in_the_attack_told_with_a_month_does_not_date_the_attack() -> None:
    text = (
        "TV ticker\n\n"
        "11:42 BREAKING: Explosion reported on the highway near Uthal\n"
        "11:51 Uthal blast: two FC personnel martyred, several injured\n"
        "13:55 BLA claims responsibility for Uthal attack\n"
        "15:20 Uthal: vehicle used in attack was stolen from Karachi last month - police\n"
    )
    assert _records(text) == [("Uthal", "2031-06-19", "day")]


def test_in_an_undated_report_a_weekday_in_the_attacks_clause_leaves_a_later_year_to_another_thing() -> None:
    text = (
        "Bomber identified\n\n"
        "The suicide bomber who rammed a car into a convoy near Uthal last Saturday has been identified as a "
        "resident of Turbat who went missing in 2029, the CTD said.\n"
    )
    assert _records(text, None) == [("Uthal", None, "unknown")]
    # in a dated report the weekday dates it, as before
    dated = _records(text, PUB)
    assert dated == [("Uthal", "2031-06-14", "day")]
