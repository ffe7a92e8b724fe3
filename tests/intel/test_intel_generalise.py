"""Phrasings of reports the shared corpus does not contain: dates, casualties, classes, non-incidents."""

from datetime import date

import pytest

from outrider.intel.dates import resolve_event_date

# --- dates -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "ref", "want", "precision"),
    [
        (
            "Masked men seized a trader from his shop three days ago.",
            date(2031, 5, 10),
            date(2031, 5, 7),
            "day",
        ),
        ("A watchman was stabbed the day before yesterday.", date(2031, 5, 10), date(2031, 5, 8), "day"),
        ("A bomb went off near a bakery a week ago.", date(2031, 5, 10), date(2031, 5, 3), "day"),
        ("A shop was set alight earlier this week.", date(2031, 5, 16), date(2031, 5, 14), "month"),
        ("Raiders torched a depot last week.", date(2031, 5, 16), date(2031, 5, 9), "month"),
    ],
)
def test_relative_day_and_week_phrases(sentence: str, ref: date, want: date, precision: str) -> None:
    got = resolve_event_date(sentence, ref)
    assert (got.value, got.precision) == (want, precision)


@pytest.mark.parametrize(
    "sentence",
    [
        "Officers on Monday said they had traced the men who shot a guard last Thursday.",
        "The mission on Monday strongly condemned the shooting of a guard last Thursday.",
        "A tribunal on Monday sentenced a man for shooting a guard last Thursday.",
    ],
)
def test_weekday_of_a_statement_or_state_act_is_not_the_event(sentence: str) -> None:
    got = resolve_event_date(sentence, date(2031, 5, 12))  # a Monday
    assert (got.value, got.precision) == (date(2031, 5, 8), "day")
