"""Tolls told in words the casualty grammar did not read (issue 20, round 12), on sentences of our own: a
report's labelled counts ("Fatalities: 2", "Injured: 4"), nobody of a counted group hurt ("none of the 22
crew"), one more victim told by his place in the count ("and a third was wounded")."""

import pytest

from outrider.intel.casualties import casualties


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("- Fatalities: 2 (1 engineer; 1 driver).\n- Injured: 4 (2 staff, 2 constables).", 2, 4),
        ("CASUALTIES. Dead: 5 (five). Wounded: 16 (sixteen), all passengers.", 5, 16),
        ("The owners confirmed that none of the 22 crew was injured.", None, 0),
        ("Neither of the two guards was hurt in the blast.", None, 0),
        ("Two guards were shot dead and a third was wounded when gunmen fired at the gate.", 2, 1),
        # an ordinal that counts no victim
        ("It was the third attack this month; four people were wounded.", None, 4),
    ],
)
def test_labelled_counts_none_of_a_group_and_one_more_victim(
    text: str, killed: int | None, wounded: int | None
) -> None:
    got = casualties(text)
    assert (got.killed, got.wounded) == (killed, wounded)
