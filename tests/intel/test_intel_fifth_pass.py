"""Rules of the fifth pass (issue 20, set b's errors read), on sentences of our own: which clause a date or
a place belongs to, headlines that name the nearest city, places and dates pointed back at."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents

PUB = date(2031, 6, 19)  # a Thursday


def _incidents(text: str, published: date | None = PUB) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, published)


# --- places: the clause that says where -------------------------------------------------------------


def test_a_district_and_its_seat_told_in_the_clause_after_is_the_seat() -> None:
    text = (
        "Outlet\n\nGunmen attacked a survey team on Tuesday in Kech district of Balochistan, "
        "near the district centre of Turbat, officials said."
    )
    assert [(i["city"], i["admin1"]) for i in _incidents(text)] == [("Turbat", "Balochistan")]
    # a clause that tells something else of the seat does not place the attack there
    text = (
        "Outlet\n\nGunmen attacked a survey team on Tuesday in Kech district of Balochistan, "
        "the district centre of Turbat stayed calm, officials said."
    )
    assert [i["city"] for i in _incidents(text)] != ["Turbat"]
