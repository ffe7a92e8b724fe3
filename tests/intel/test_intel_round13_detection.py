"""Detection, thirteenth round: attacks told beside the state's acts that answer them (our own sentences)."""

import json
from datetime import date
from importlib import resources

import pytest

from outrider.intel.background import GENERIC, punished
from outrider.intel.cleaning import clean_text
from outrider.intel.extract import STATE_ACTION, build_incidents
from outrider.intel.gazetteer import known_name
from outrider.intel.told_towns import told_in_report

PUB = date(2031, 6, 18)  # a Wednesday


def _incidents(text: str, published: date | None = PUB) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, published)


@pytest.mark.parametrize(
    "text",
    [
        "police arrested two men suspected of taking part in last Tuesday's rocket attack on the camp",
        "the suspects in Sunday night's bombing of the market were held",
        "three men who took part in Monday's ambush on the convoy were arrested",
    ],
)
def test_an_arrest_for_an_attack_told_by_its_day_tells_that_attack(text: str) -> None:
    assert punished(text)


@pytest.mark.parametrize(
    "text",
    [
        "police arrested two men suspected of taking part in attacks on the camp",
        "the suspects were arrested on Tuesday in a raid on a hideout",
    ],
)
def test_an_arrest_without_the_attack_s_own_time_tells_no_attack(text: str) -> None:
    assert not punished(text)


def test_a_follow_up_on_arrests_keeps_its_attack() -> None:
    text = (
        "CTD arrests two suspects in camp rocket attack\n\n"
        "The Counter Terrorism Department said on Monday it had arrested two men suspected of taking part in "
        "last Tuesday's rocket attack on a labour camp near Dasu, as one of the two workers wounded in the "
        "attack died in hospital."
    )
    got = _incidents(text)
    assert [(i["city"], i["date"]) for i in got] == [("Dasu", "2031-06-17")]  # the Tuesday before


SITE_STORY = (
    "Rocket attack on Dasu camp\n\n"
    "On Tuesday militants fired two rockets at a labour camp near Dasu, wounding two workers. "
    "In July 2021, a bus carrying workers to the dam {verb}, killing 13 people."
)


def test_an_earlier_attack_told_in_the_passive_is_one_where_the_report_s_is() -> None:
    got = _incidents(SITE_STORY.format(verb="was blown up"))
    assert [(i["city"], i["date"], i["date_precision"]) for i in got][1:] == [("Dasu", "2021-07-01", "month")]


def test_an_earlier_event_without_an_attack_is_none() -> None:
    got = _incidents(SITE_STORY.format(verb="was turned back"))
    assert [i["date"] for i in got if str(i["date"]).startswith("2021")] == []


@pytest.mark.parametrize(
    "text",
    [
        "Will the minister state the number of terrorism incidents in the district since 1 January?",
        "This timeline lists the major attacks of the year in the districts south of Bannu.",
        "Total | 4 incidents; 3 killed; 5 injured.",
        "Grand total: 4 attacks, 3 killed",
    ],
)
def test_counts_lists_and_totals_are_no_attack(text: str) -> None:
    assert GENERIC.search(text)


def test_military_operations_are_the_state_s_act() -> None:
    assert STATE_ACTION.search("Not included: military operations in the valley, which killed 31 militants.")


def test_a_written_answer_s_total_row_is_no_incident() -> None:
    text = (
        "QUESTIONS FOR WRITTEN ANSWERS\n\n"
        "Will the minister state the number of terrorism incidents in the Islamabad Capital Territory and "
        "Punjab from 1 January to 31 May 2031?\n\n"
        "| District | Date | Nature of incident | Killed | Injured |\n"
        "|---|---|---|---|---|\n"
        "| Attock | 08-05-2031 | IED blast on railway track near Attock Khurd | 1 | 2 |\n"
        "| Total | | 1 incident | 1 | 2 |\n"
    )
    got = _incidents(text)
    assert [(i["city"], i["date"]) for i in got] == [("Attock", "2031-05-08")]


@pytest.mark.parametrize("where", ["approx 6 km W of Kulachi town", "some 5 km NE of Kulachi"])
def test_a_log_s_compass_abbreviation_says_where_the_attack_was(where: str) -> None:
    got = _incidents(f"Daily incident log\n\n0948 CONTACT. Convoy fired upon from high ground, {where}.")
    assert [i["city"] for i in got] == ["Kulachi"]


def _told_words() -> dict[str, list[str]]:
    raw = resources.files("outrider.intel").joinpath("data", "told_places.json").read_text(encoding="utf-8")
    words: dict[str, list[str]] = json.loads(raw)
    return words


@pytest.mark.parametrize("word", _told_words()["organisations"])
def test_an_office_s_name_opening_a_press_note_is_no_dateline_town(word: str) -> None:
    sentence = f"COUNTER TERRORISM {word.upper()} (NORTH) - A bomb exploded in Kech district on Tuesday."
    assert told_in_report((sentence,), known_name) == {}
