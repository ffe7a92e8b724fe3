"""Rules written from a fourth blind set (set d, issue 20), on sentences of our own: listings of incidents
one per line, small towns told by their place nouns, targets and tolls in the words of security reports."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents

PUB = date(2031, 6, 19)  # a Thursday


def _incidents(text: str, published: date | None = PUB) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, published)


# --- a listing's lines: each line a record, placed by its heading -------------------------------------


def test_each_line_of_a_listing_is_placed_by_its_heading() -> None:
    text = (
        "RIVER WATCH - MONTHLY DIGEST: MAY 2031\n\n"
        "Incidents of the month\n\n"
        "May 3 - Turbat (Balochistan): Gunmen opened fire on a fisheries van; one clerk killed.\n"
        "May 17 - Kohat (KP): Suicide bomber blew himself up beside a checkpoint; two policemen killed.\n"
    )
    got = {(i["city"], i["date"]) for i in _incidents(text)}
    assert got == {("Turbat", "2031-05-03"), ("Kohat", "2031-05-17")}


def test_a_town_named_only_in_a_clause_before_the_attack_is_still_context() -> None:
    # the heading rule reads a short capitalised heading before a colon, not a sentence's opening clause
    text = "Outlet\n\nResidents of Kohat, who had protested for a week, said a bomb exploded; two were hurt."
    assert all(i["city"] != "Kohat" for i in _incidents(text))
