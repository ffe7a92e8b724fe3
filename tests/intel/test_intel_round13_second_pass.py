"""Detection, thirteenth round, second pass: drills and entries named again (our own sentences)."""

from datetime import date

import pytest

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents

PUB = date(2031, 6, 18)  # a Wednesday


def _incidents(text: str, published: date | None = PUB) -> list[tuple[str | None, str | None]]:
    return [(i["date"], i["city"]) for i in build_incidents(clean_text(text).lines, published)]


@pytest.mark.parametrize("verb", ["rehearse", "rehearsed", "rehearsing"])
def test_the_response_to_an_attack_a_drill_rehearses_is_no_attack(verb: str) -> None:
    text = (
        "Police hold joint drill at Gwadar port\n\n"
        f"Police and Rescue 1122 on Tuesday held a joint drill in Gwadar to {verb} the response to a "
        "terrorist attack on a convoy of engineers."
    )
    assert _incidents(text) == []


@pytest.mark.parametrize("title", ["Police rehearse response to attack on convoy", "Police hold mock drill"])
def test_a_drill_reports_scenario_told_without_a_day_is_no_attack(title: str) -> None:
    scenario = (
        "Commandos in Gwadar neutralised the attackers and Rescue 1122 evacuated twelve casualties "
        "played by cadets."
    )
    assert _incidents(f"{title}\n\nThe drill was held on Tuesday.\n\n{scenario}") == []
    real = " The drill came after gunmen attacked a bus in Turbat on 2 June, killing two."
    assert _incidents(f"{title}\n\nThe drill was held on Tuesday.\n\n{scenario}{real}") == [
        ("2031-06-02", "Turbat")
    ]
    # a report whose title tells a toll is no drill's
    assert _incidents(f"Two killed in attack on convoy after drill\n\n{scenario}") != []


@pytest.mark.parametrize(
    "status",
    [
        "STATUS OF ENTRY 2 AS AT 17 JUNE: 3 dead (1 Chinese staff, 2 police); 3 injured, all stable.",
        "Casualties (as of 17 June): 3 killed, 3 injured.",
    ],
)
def test_a_logs_figures_as_they_stood_on_a_day_are_no_attack_of_their_own(status: str) -> None:
    log = (
        "Site log\n\n"
        "Entry 1 | 12 June (Friday) | Gilgit base\n"
        "A convoy was hit by a roadside bomb in Chilas on 12 June, killing two.\n\n"
        "Entry 2 | 16 June (Tuesday) | Rawalpindi\n"
        "The engineer died of his injuries in the Combined Military Hospital.\n\n"
    )
    assert _incidents(log + status) == [("2031-06-12", "Chilas")]


def test_a_raid_told_at_a_town_does_not_unplace_the_story_told_without_one() -> None:
    text = (
        "TRANSCRIPT OF PRESS TALK\n"
        "Ghalanai, Wednesday 18.06.2031\n\n"
        "DPO: I will brief you about the incident at the checkpost in Ghalanai.\n\n"
        "A young man came toward the checkpost and then he blew himself up, fifteen metres from the post. "
        "Nobody else was hurt. The vest had six kilograms of explosive.\n\n"
        "The police said the search for his companions went on through the night and the road stayed closed. "
        "Shops in the bazaar opened late on Wednesday and traders said they had been afraid to come back.\n\n"
        "Last night, in an intelligence-based operation in Safi tehsil, the CTD and police raided a compound "
        "and arrested three suspects."
    )
    assert _incidents(text) == [("2031-06-18", "Ghalanai")]


@pytest.mark.parametrize("attack", ["Thursday's attack", "Thursday night's rocket attack"])
def test_a_victim_who_died_later_raises_the_toll_of_the_attack_told_already(attack: str) -> None:
    text = (
        "Miners killed in Duki\n\n"
        "Gunmen attacked coal mines near Duki on Thursday night, killing eleven miners.\n\n"
        "Hospital officials in Quetta said one of the workers referred to the Civil Hospital had died of his "
        f"wounds early on Saturday, raising the number of miners killed in {attack} to twelve."
    )
    assert _incidents(text) == [("2031-06-12", "Duki")]


@pytest.mark.parametrize("bearing", ["south of Saravan", "20 km north of Saravan"])
def test_where_a_town_lies_from_another_is_no_second_attack(bearing: str) -> None:
    text = (
        "Border post attacked\n\n"
        f"In December 2023, Jaish al-Adl fighters attacked a police station in Rask, {bearing}, "
        "killing eleven police officers."
    )
    assert [city for _, city in _incidents(text)] == ["Rask"]
