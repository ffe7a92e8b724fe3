"""Whether incidents are found, and at the right date and place (issue 20, twelfth round, second pass), on
texts of our own."""

from datetime import date

import pytest

from outrider.intel.cleaning import clean_text
from outrider.intel.dates import resolve_event_date
from outrider.intel.extract import build_incidents

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
