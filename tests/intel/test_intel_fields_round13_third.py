"""Fields of incidents found (issue 20, round 13, third pass): tolls told without a number."""

import pytest

from outrider.intel.casualties import casualties


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("Two private security guards were killed and another was wounded when gunmen opened fire.", 2, 1),
        ("A sepoy embraced martyrdom and another was injured and the station was set on fire.", 1, 1),
        ("One guard was killed and another wounded at the main gate.", 1, 1),
        ("One compatriot was killed and another suffered minor injuries.", 1, 1),
        ("Gunmen killed one guard and wounded another.", 1, 1),
    ],
)
def test_another_told_alone_is_one_more_victim(text: str, killed: int, wounded: int) -> None:
    got = casualties(text)
    assert (got.killed, got.wounded) == (killed, wounded)


def test_another_before_a_number_counts_the_number() -> None:
    got = casualties("Three were killed and another three were injured.")
    assert (got.killed, got.wounded) == (3, 3)
