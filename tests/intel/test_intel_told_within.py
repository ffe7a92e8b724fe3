"""Attacks told inside other kinds of text (issue 20, round 7), on sentences of our own making."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents

PUB = date(2031, 6, 18)  # a Wednesday


def _found(text: str) -> list[tuple[object, object]]:
    return [(i["date"], i["city"]) for i in build_incidents(clean_text(text).lines, PUB)]


def test_a_table_row_tells_its_attack_beside_the_arrests_made_since() -> None:
    table = (
        "Answer to question 12\n\nS.No | Date | Place | Nature | Status\n"
        "1 | 03.02.2031 | Main bazaar, Kharan | Grenade thrown at a shop; two hurt | Two accused arrested\n"
    )
    assert _found(table) == [("2031-02-03", "Kharan")]


def test_a_table_row_of_arrests_alone_tells_no_attack() -> None:
    table = (
        "Answer to question 12\n\nS.No | Date | Place | Action | Status\n"
        "1 | 03.02.2031 | Main bazaar, Kharan | Two suspects arrested for the bombing | Challan submitted\n"
    )
    assert _found(table) == []
