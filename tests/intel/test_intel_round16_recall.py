"""Recall, sixteenth round: attacks never found and places missed (our own sentences)."""

from datetime import date

import pytest

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.gazetteer import find_places

PUB = date(2031, 10, 7)


def _towns(text: str) -> list[str | None]:
    return [h.place.name for h in find_places(text) if not h.is_region]


# --- an ambiguous town's name is a place when its district or province follows it, or a station ----------


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("Mach, Kachhi (4 March). A bomb exploded under the track.", "Mach"),
        ("Sui, Dera Bugti (19 March). A device damaged a pipeline.", "Sui"),
        ("Tank, Khyber Pakhtunkhwa: gunmen fired on a patrol.", "Tank"),
        ("The blast hit the train at the outer signal of Mach station.", "Mach"),
        ("The track near Mach railway station was cleared by noon.", "Mach"),
    ],
)
def test_ambiguous_town_told_with_its_area_or_station(text: str, town: str) -> None:
    assert town in _towns(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mach, Karachi and Lahore are words in this list.",  # another area than its own: still a word
        "Sui, Dera Bugtis are no district.",  # the district's name must end there
        "Tank crews moved along the border.",
        "The Sui Southern Gas Company restored the supply.",
    ],
)
def test_ambiguous_word_without_its_area_is_no_place(text: str) -> None:
    assert not {"Mach", "Sui", "Tank"} & set(_towns(text))


# --- an item's head "Town (date)." or "Town, District (date)." gives its place as well as its day -------

MONTHLY = """Monthly Security Report: March 2031
Issued 2 April 2031

Major attacks

Mach, Kachhi (4 March). A remote-controlled bomb planted under the track exploded beneath a passenger train.
Four passengers were killed and 14 injured.

Quetta (8 March). A motorcycle bomb exploded next to a police patrol on a road. Two policemen were killed.

Sui, Dera Bugti (19 March). A bomb damaged a gas transmission pipeline in the early hours.

Loralai (28 March). A roadside bomb hit a Frontier Corps vehicle on the outskirts; one soldier was injured.
"""


def test_item_heads_with_a_town_and_a_day_in_brackets() -> None:
    found = {(i["date"], i["city"]) for i in build_incidents(clean_text(MONTHLY).lines, date(2031, 4, 2))}
    assert {("2031-03-04", "Mach"), ("2031-03-08", "Quetta"), ("2031-03-28", "Loralai")} <= found
    assert ("2031-03-19", "Sui") in found  # a district of two words and the day: a head longer than a date


# --- a sentence that begins like a button ("Shareholders ...", "Replying to ...") is no boilerplate -----

DISCLOSURE = """Security incident affecting the project

On 12 March 2031 a convoy of the company's staff came under armed attack near Nokkundi.

Shareholders may recall that on 11 August 2028 a bus of the company's engineers was attacked near Dalbandin.

Share
Reply
"""


def test_sentences_that_begin_like_buttons_are_kept() -> None:
    lines = clean_text(DISCLOSURE).lines
    assert any(line.startswith("Shareholders may recall") for line in lines)
    assert not {"Share", "Reply"} & set(lines)
    found = {(i["date"], i["city"]) for i in build_incidents(lines, date(2031, 3, 13))}
    assert ("2028-08-11", "Dalbandin") in found


# --- "in the west of the city", "on the outskirts of the town": a part of the town told just before -------

ROUNDUP = """Weekly security roundup

Khorog bomb. A homemade bomb exploded at the gate of a compound in Khorog on Thursday, wounding two guards.

Border posts. Work on a new building at the crossing began this week.

Kabul. A magnetic bomb on a minibus of a university in the west of the city killed one student on Monday.
"""


def test_a_part_of_the_city_is_at_the_town_told_before() -> None:
    found = {(i["date"], i["city"]) for i in build_incidents(clean_text(ROUNDUP).lines, PUB)}
    assert ("2031-10-06", "Kabul") in found


def test_a_part_of_the_city_with_no_town_told_before_stays_unplaced() -> None:
    text = "Weekly roundup\n\nA magnetic bomb in the west of the city killed one student on 2 October 2031."
    assert [i["city"] for i in build_incidents(clean_text(text).lines, PUB)] in ([], [None])


# --- a named train: "Bolan Mail" is the train, not the Bolan Pass -------------------------------------------


def test_the_bolan_mail_is_a_named_train_not_the_pass() -> None:
    hits = find_places("Gunmen stop Bolan Mail near Dhadar, kill railway guard before fleeing")
    assert [(h.place.name, h.place.site) for h in hits if h.place.site != "Bolan Mail"] == [("Dhadar", None)]


# --- a train, like a convoy, told by its route's ends ("the Quetta-Karachi Bolan Mail") is hit elsewhere ----


@pytest.mark.parametrize(
    ("sentence", "town"),
    [
        (
            "Armed men stopped the Quetta-Karachi Bolan Mail at a crossing near Dhadar, killing a guard.",
            "Dhadar",
        ),
        (
            "A bomb under the track hit the Peshawar-Quetta Jaffar Express near Mach station, killing four.",
            "Mach",
        ),
    ],
)
def test_a_named_train_told_by_its_route_is_hit_where_the_sentence_says(sentence: str, town: str) -> None:
    found = [i["city"] for i in build_incidents(clean_text(f"Train attacked\n\n{sentence}").lines, PUB)]
    assert found == [town]


def test_a_weekday_in_brackets_after_a_date_is_no_place_and_day() -> None:
    text = """Chronology of five weeks

Below is a chronology of the major incidents reported from the region.

July 19 (Saturday) — LAKKI MARWAT: A quadcopter drops a bomb on the courtyard of the City police station.

July 21 (Monday) — KULACHI, D.I. KHAN: Some 15-20 militants attack the check post on the road at 2:30am.
"""
    found = {(i["date"], i["city"]) for i in build_incidents(clean_text(text).lines, date(2031, 8, 20))}
    assert {("2031-07-19", "Lakki Marwat"), ("2031-07-21", "Kulachi")} <= found


# --- Chitkan, the headquarters town of Panjgur district, is Panjgur ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "gunmen opened fire on a checkpoint on the Chitkan bazaar road",
        "gunmen stormed the FC camp at Chitkan, on the edge of Panjgur town",
    ],
)
def test_chitkan_is_panjgur_town(text: str) -> None:
    assert {(h.place.name, h.place.lat) for h in find_places(text) if not h.is_region} == {("Panjgur", 26.97)}
