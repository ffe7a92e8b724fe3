from hypothesis import given
from hypothesis import strategies as st

from outrider.intel.numbers import format_words, parse_number


@given(st.integers(min_value=0, max_value=999))
def test_words_round_trip(n: int) -> None:
    assert parse_number(format_words(n)) == n


@given(st.integers(min_value=0, max_value=10**6))
def test_digits_round_trip(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


def test_dozen_and_garbage() -> None:
    assert parse_number("two dozen") == 24
    assert parse_number("a dozen") == 12
    assert parse_number("several") is None
    assert parse_number("") is None
