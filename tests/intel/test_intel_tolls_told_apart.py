"""Tolls told apart from their attack (issue 20, round 12, second pass), on sentences of our own: a toll in
the sentences after the attack's own, a later summed toll that counts the parts told before it."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents

PUB = date(2031, 6, 19)


def _incidents(text: str) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, PUB)


def test_a_toll_told_in_the_sentences_after_the_attack_is_its_toll() -> None:
    text = (
        "HSE flash notice\n\nAt 07:40 today a coaster carrying the morning shift was struck by an explosion"
        " the road near Islamkot.\n\nCASUALTIES\n- Fatalities: 1 (driver).\n- Injured: 2 (staff)."
    )
    (inc,) = _incidents(text)
    assert (inc["killed"], inc["wounded"]) == (1, 2)


def test_a_toll_after_the_next_attack_is_not_told_of_the_first() -> None:
    text = (
        "Two attacks in Balochistan\n\nA bomb damaged a power pylon near Bela on Monday; nobody was hurt.\n\n"
        "On Tuesday, gunmen attacked a police post in Turbat. Three policemen were killed."
    )
    got = {inc["city"]: (inc["killed"], inc["wounded"]) for inc in _incidents(text)}
    assert got["Turbat"] == (3, None)
    assert got["Bela"] == (0, 0)
