"""Fields of incidents found (issue 20, round 15): an active verb's object ends at the next verb of a list."""

from datetime import date

import pytest

from outrider.intel.casualties import casualties
from outrider.intel.classify import classify
from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.toll_words import spelled_out


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        (
            "Gunmen stormed the camp, shot dead a security guard, injured two others and set fire to six"
            " vehicles before taking away the four workers.",
            1,
            2,
        ),
        ("The attackers killed a driver, wounded three passengers and torched the bus.", 1, 3),
        ("Militants killed two policemen and set fire to four trucks.", 2, None),
        ("The raiders killed a watchman, abducted three engineers and fled.", 1, None),
    ],
)
def test_an_active_verbs_object_ends_at_the_next_verb(text: str, killed: int, wounded: int | None) -> None:
    got = casualties(spelled_out(text))
    assert (got.killed, got.wounded) == (killed, wounded)


def test_a_participle_after_a_comma_is_no_verb_of_a_list() -> None:
    got = casualties(spelled_out("A guard, injured in the blast on Monday, died in hospital."))
    assert got.wounded is None


@pytest.mark.parametrize(
    ("text", "target"),
    [
        (
            "A security guard was killed when gunmen opened fire on the gate of the coal-fired power plant."
            " According to District Police Officer Amjad Bhatti, the attackers arrived on foot.",
            "business",
        ),
        (
            "A man was shot dead in his car near the factory. Police are aware of posts on social media"
            " blaming various groups.",
            "business",
        ),
        (
            "A bomb went off near the gate of the mill. Confirmed by police: two workers were hurt.",
            "business",
        ),
        (
            "A man stabbed a shopkeeper at the company office and was handed over to the police patrol.",
            "business",
        ),
        (
            "A man stabbed a Chinese national in the market and was handed over to the police patrol of"
            " Shalimar police station.",
            "foreign_workers",
        ),
        ("Two policemen were shot dead at a check post, police say.", "police"),
    ],
)
def test_police_who_tell_or_answer_the_attack_are_not_its_target(text: str, target: str) -> None:
    assert classify(text)["target_type"] == target


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("A tehsil council chairman was killed and two of his guards were injured in the blast.", 1, 2),
        ("Two Chinese technicians and our own conductor, a boy from Islamkot, were injured.", None, 3),
        ("A fisherman was killed and a shepherd was injured when the shell landed.", 1, 1),
        ("Two employees of a contractor working on the dam were injured.", None, 2),
    ],
)
def test_one_person_is_told_by_his_office_or_trade(text: str, killed: int | None, wounded: int) -> None:
    got = casualties(spelled_out(text))
    assert (got.killed, got.wounded) == (killed, wounded)


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("08:31 One person killed, four injured in the blast: police", 1, 4),
        ("At 10:45 two people were killed in the blast.", 2, None),
        ("[23:30] A hospital source tells me 19 dead.", 19, None),
        ("18:05 - Rescue 1122 says it has shifted three injured people to the hospital.", None, 3),
    ],
)
def test_a_clocks_minutes_and_a_rescue_service_are_no_victims(
    text: str, killed: int | None, wounded: int | None
) -> None:
    got = casualties(spelled_out(text))
    assert (got.killed, got.wounded) == (killed, wounded)


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen attacked the wind-farm camp at Jhimpir at night and killed a guard.",
        "A hand grenade was thrown at the gate of an oil terminal at Keamari.",
        "A grenade was hurled at the gate of a private container yard at West Wharf.",
        "Rockets struck the fuel depot outside the town.",
    ],
)
def test_a_firms_site_is_a_business_target(text: str) -> None:
    assert classify(text)["target_type"] == "business"


@pytest.mark.parametrize(
    "text",
    [
        "Explosive devices planted on two power transformers at the grid station went off. Nobody was hurt.",
        "Saboteurs blew up two transformers at the solar park's grid station last month.",
        "A bomb exploded at the electricity substation near the town; no one was injured.",
    ],
)
def test_explosives_set_off_at_a_power_installation_with_nobody_hurt_are_a_facility_attack(text: str) -> None:
    got = classify(text)
    assert (got["attack_type"], got["target_type"]) == ("facility_attack", "business")


@pytest.mark.parametrize(
    "text",
    [
        "The attack near Bin Qasim, in which four persons, one of them a Chinese national, were killed.",
        "The blast killed four people, one of whom was a Chinese national.",
    ],
)
def test_one_of_them_named_after_it_is_one_person(text: str) -> None:
    got = casualties(spelled_out(text))
    assert (got.killed, got.killed_by_nationality.get("CN")) == (4, 1)


@pytest.mark.parametrize(
    "text",
    [
        "A sepoy was martyred when two men hurled a grenade at a Coast Guards post near the harbour jetty.",
        "Grenade thrown and shots fired at a Coast Guards post near the harbour. One guard killed.",
        "Gunmen opened fire on a Coast Guard vehicle on the coastal highway.",
    ],
)
def test_the_coast_guards_are_a_military_target(text: str) -> None:
    assert classify(text)["target_type"] == "military"


def test_a_corrections_nobody_hurt_supersedes_the_wounded_told_before() -> None:
    text = (
        "The blast damaged the plant's wall. CORRECTION: An earlier version of this story said two guards"
        " had suffered minor injuries in the blast. Police have since said that no one was hurt."
    )
    assert casualties(spelled_out(text)).wounded == 0


def test_a_corrected_statement_of_nobody_hurt_is_no_zero() -> None:
    text = (
        "Investigators now say the explosion was caused by a device. Authorities revised earlier statements"
        " that nobody had been hurt: two airport porters were lightly injured by flying glass."
    )
    assert casualties(spelled_out(text)).wounded == 2


ROWS = (
    "\nLast updated: 2 November 2026\n\n"
    "This page lists attacks in Sindh. Attacks elsewhere are listed on a separate page.\n\n"
    "| # | Date | Place | Type | Killed | Wounded |\n|---|---|---|---|---|---|\n"
    "| 1 | 23 Nov 2018 | Chinese consulate, Clifton, Karachi | Gunmen storm consulate gate | 4 | 1 |\n"
    "| 2 | 6 Feb 2026 | Jhimpir, Thatta | Armed raid on camp | 1 | 2 |\n"
    "| 3 | 9 Mar 2026 | East Bay Expressway, Gwadar | Gunmen attack survey team | 2 | 1 |\n"
)


def _targets(heading: str) -> dict[str, str]:
    got = build_incidents(clean_text(heading + ROWS).lines, date(2026, 11, 2))
    return {r["date"]: r["target_type"] for r in got}


def test_a_page_of_attacks_on_foreign_nationals_tells_its_rows_target() -> None:
    got = _targets("CORRIDOR WATCH - Attacks on Chinese nationals and projects in Sindh")
    assert (got["2018-11-23"], got["2026-02-06"], got["2026-03-09"]) == (
        "diplomatic",
        "foreign_workers",
        "foreign_workers",
    )


def test_a_page_of_attacks_on_the_countrys_own_people_tells_no_foreign_target() -> None:
    got = _targets("Attacks on Pakistani workers in Sindh")
    assert got["2026-02-06"] != "foreign_workers"
