"""Tolls told apart from their attack (issue 20, round 12, second pass), on sentences of our own: a toll in
the sentences after the attack's own, a count read past the asides between it and its verb."""

from datetime import date

import pytest

from outrider.intel.casualties import Casualties, casualties
from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.toll_words import spelled_out

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


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        # asides between commas right before the verb: the count is in the subject before them
        ("Two drivers, both residents of Battagram, embraced shahadat on the spot.", 2, None),
        ("A police constable in the escort, Ghulam Khoso of Sehwan, died on the way to hospital.", 1, None),
        (
            "One guard, Allah Bachayo, a resident of Kotri, lost his life, while another guard, Sikandar Ali,"
            " sustained bullet injuries.",
            1,
            1,
        ),
        # an age or a day between commas counts nobody
        ("The driver, Muhammad Yaqoob, 41, a resident of Landhi, died on the way to hospital.", None, None),
        (
            "The twin bombings at the bazaar on 23 June 2017, days before Eid, killed at least 67 people.",
            67,
            None,
        ),
        # an age after a person told with "of" or "aged": no more victims
        (
            "Nine soldiers were martyred, and a boy of about ten who was selling tea near the post was also"
            " killed.",
            10,
            None,
        ),
        ("A man aged 40 and two women were killed in the blast.", 3, None),
        # the victims told as also killed after a total of people including some: the rest of that total
        (
            "At least five people, including two soldiers, were killed when a bomber struck the post. Three"
            " civilians, a vendor and two shoppers, were also killed.",
            5,
            None,
        ),
    ],
)
def test_a_toll_read_past_its_asides(text: str, killed: int | None, wounded: int | None) -> None:
    got = casualties(text)
    assert (got.killed, got.wounded) == (killed, wounded)


def test_a_timeline_rows_toll_told_as_a_pair_of_killed_and_wounded() -> None:
    text = (
        'Timeline of security incidents\n\n"Toll" gives killed / injured.\n\n'
        "10 Oct 2030 | Balkh, Mazar-i-Sharif | A bomb planted at the entrance of a mosque exploded as"
        " worshippers left Friday prayers. Toll 5 / 14. Claimed by Islamic State Khorasan Province."
    )
    (inc,) = _incidents(text)
    assert (inc["killed"], inc["wounded"]) == (5, 14)
    assert casualties(spelled_out("Two rockets hit the depot; K/W: 0/2.")) == Casualties(0, 2)


def test_the_rest_of_the_attacks_sentence_tells_its_toll() -> None:
    text = (
        "Strike over miners killing\n\nLORALAI, June 14, 2031: A strike was observed in Duki and Loralai on"
        " Saturday against the killing of coal miners in an attack on mines near Duki on Thursday night, as"
        " the death toll rose to twelve with the death of an injured worker.\n\nAll markets were closed."
    )
    got = {inc["city"]: inc["killed"] for inc in build_incidents(clean_text(text).lines, date(2031, 6, 14))}
    assert got["Duki"] == 12
