"""Days named by a feast or by the Islamic calendar (`outrider.intel.feasts`, its data `data/feasts.json`)
and days counted back from the publication by a weekday or a week (`outrider.intel.weekdays`). Sentences
written for these tests (a fictional 2031), never copied from a report."""

from __future__ import annotations

from datetime import date

import pytest

from outrider.intel.dates import AHEAD_OF_EVENT, resolve_event_date
from outrider.intel.event_dates import relative_to
from outrider.intel.feasts import _data, easter, feast_days, from_hijri, hijri_day

PUB = date(2031, 3, 14)  # a Friday
DATA = _data()


def test_easter_and_the_islamic_calendar_are_reckoned() -> None:
    assert [easter(y) for y in (2016, 2024, 2031)] == [
        date(2016, 3, 27),
        date(2024, 3, 31),
        date(2031, 4, 13),
    ]
    assert from_hijri(1441, 3, 12) == date(2019, 11, 10)
    assert from_hijri(1445, 10, 1) == date(2024, 4, 10)


@pytest.mark.parametrize("name", [*DATA["easter"], *DATA["fixed"], *DATA["hijri"]])
def test_every_feast_dates_an_attack_told_on_it(name: str) -> None:
    got = resolve_event_date(f"Gunmen attacked the post on {name} 2029, police said.", None)
    assert got.precision == "day" and got.value in feast_days(name.lower(), 2029)
    # without its year: the latest such feast on or before the report (two days' tolerance)
    near = resolve_event_date(f"Gunmen attacked the post on the eve of {name}, police said.", PUB)
    assert near.value is not None and near.value <= date(2031, 3, 16) and near.basis == "publication"


@pytest.mark.parametrize(("number", "spellings"), list(enumerate(DATA["hijri_months"], start=1)))
def test_every_islamic_month_spelling_is_read_with_its_year(number: int, spellings: list[str]) -> None:
    for spelled in spellings:
        assert hijri_day(f"The shrine was bombed on 10 {spelled.title()} 1450 AH.") is not None
        found = hijri_day(f"The shrine was bombed on {spelled.title()} 10, 1450.")
        assert found is not None and found[0] == from_hijri(1450, number, 10)
    assert hijri_day(f"The shrine was bombed on the 10th of {spellings[0].title()}.") is None


def test_a_weekday_told_with_a_feast_is_the_one_nearest_it() -> None:
    # the arithmetical calendar may be a day or two off: the weekday the report names settles the day
    got = resolve_event_date(
        "On Tuesday, a crowd gathered on the Eid-ul-Fitr prayers when a bomb went off.", PUB
    )
    assert got.value is not None and got.value.weekday() == 1
    assert abs((got.value - feast_days("eid-ul-fitr", got.value.year)[0]).days) <= 3
    # a weekday within the feast's own name is the feast's
    assert resolve_event_date("A bomb went off at a church on Easter Sunday 2030.", None).value == date(
        2030, 4, 21
    )


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        ("Gunmen attacked a post on Tuesday.", date(2031, 3, 11)),
        ("Gunmen attacked a post on Friday.", date(2031, 3, 14)),
        ("Many asked about last Friday's attack on the post.", date(2031, 3, 7)),
        ("Many asked about last Tuesday's attack on the post.", date(2031, 3, 11)),
        ("The attack took place before dawn last Friday at the post.", date(2031, 3, 7)),
        ("Militants threatened to attack the post next Tuesday.", date(2031, 3, 18)),
        ("Gunmen attacked a post on Tuesday last week.", date(2031, 3, 4)),
        ("Gunmen attacked a post last week on Tuesday.", date(2031, 3, 4)),
        ("The post was attacked a fortnight ago.", date(2031, 2, 28)),
        ("Gunmen attacked the post over the weekend.", date(2031, 3, 8)),
        ("The weekend's attack on the post killed two.", date(2031, 3, 8)),
        ("Gunmen attacked a post the day before yesterday.", date(2031, 3, 12)),
        ("Gunmen attacked a post last night.", date(2031, 3, 13)),
        ("Gunmen attacked a post on the 3rd of this month.", date(2031, 3, 3)),
    ],
)
def test_a_day_counted_back_from_the_publication(sentence: str, want: date) -> None:
    got = resolve_event_date(sentence, PUB)
    assert (got.value, got.precision) == (want, "day")


def test_last_weekdays_attack_from_an_events_day_standing_in_for_the_report_may_be_that_day() -> None:
    got = resolve_event_date("Many asked about last Friday's attack on the post.", PUB, ahead=AHEAD_OF_EVENT)
    assert got.value == PUB


def test_a_background_attack_on_a_feast_is_dated_and_its_claim_told_after_it_is_read() -> None:
    from outrider.intel.pipeline import TextInput, extract_documents

    text = (
        "Faction designated\n\nMULTAN, August 4, 2030 - The government designated Jamaat-ul-Ahrar "
        "on Wednesday.\n\nIn its notice the ministry cited the suicide bombing at a park in Multan on "
        "Easter Sunday in April, which killed 12 people. Jamaat-ul-Ahrar said at the time that it had "
        "targeted Christians."
    )
    got = [
        (i["date"], i["city"], i["claimed"], i["perpetrator"])
        for res in extract_documents([TextInput("t", text)])
        for i in res.incidents
    ]
    assert got == [("2030-04-21", "Multan", True, "Jamaat-ul-Ahrar")]


def test_a_month_of_that_year_is_of_the_year_of_the_attack_told_before() -> None:
    from outrider.intel.pipeline import TextInput, extract_documents

    text = (
        "Posts attacked\n\nQUETTA, June 3, 2031 - Gunmen attacked a police post in Quetta on Monday, killing "
        "two, police said.\n\nIn March 2029, gunmen attacked a post in Turbat, killing three. In July that "
        "year, a bomb exploded in Gwadar, killing two. Later that year, militants attacked a camp in Panjgur."
    )
    got = [
        (i["city"], i["date"], i["date_precision"])
        for res in extract_documents([TextInput("t", text)])
        for i in res.incidents
    ]
    assert got[1:] == [
        ("Turbat", "2029-03-01", "month"),
        ("Gwadar", "2029-07-01", "month"),
        ("Panjgur", "2029-01-01", "year"),
    ]


def test_days_counted_from_a_feast_are_the_feasts_not_the_events() -> None:
    got = resolve_event_date("Three days after Christmas, gunmen ambushed a van.", date(2031, 2, 1))
    assert (got.value, got.precision) == (date(2030, 12, 28), "day")
    assert resolve_event_date("A day before Christmas 2029, a bomb hit a bus.", None).value == date(
        2029, 12, 24
    )
    assert relative_to("Three days after Christmas, gunmen ambushed a van.", date(2031, 1, 20)) is None
    assert relative_to("It came three days after gunmen ambushed a van.", date(2031, 1, 20)) is not None


def test_an_attack_a_statement_in_the_present_is_counted_from_is_counted_back_from_the_report() -> None:
    lead = "A week after a suicide bombing at a post, officials say the bomber came from across the border."
    got = relative_to(lead, date(2031, 3, 7), now=date(2031, 3, 14))
    assert got is not None and (got.value, got.precision) == (date(2031, 3, 7), "day")
    told = "It came a week after a suicide bombing at a post, in which the bomber killed two."
    got = relative_to(told, date(2031, 3, 7), now=date(2031, 3, 14))
    assert got is not None and got.value == date(2031, 2, 28)
