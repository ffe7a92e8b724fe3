"""Whether incidents are found, and at the right date and place (issue 20, twelfth round, second pass), on
texts of our own."""

from datetime import date

import pytest

from outrider.intel.dates import resolve_event_date

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
