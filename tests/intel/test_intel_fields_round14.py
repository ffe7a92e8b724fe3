"""Fields of incidents found (issue 20, round 14): the wounded under treatment, a participle of one who
died, and a revised toll's dead broken down by nationality."""

from datetime import date

import pytest

from outrider.intel.casualties import casualties
from outrider.intel.classify import classify
from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.toll_words import spelled_out


@pytest.mark.parametrize(
    ("text", "wounded"),
    [
        ("Six other people, including four escort personnel, were being treated, the official said.", 6),
        ("Thirteen other people injured in the blast remain under treatment, four of them in Peshawar.", 13),
        ("Eight policemen and two residents remain under treatment.", 10),
        ("One constable was being treated at the district hospital.", 1),
    ],
)
def test_people_under_treatment_are_the_wounded(text: str, wounded: int) -> None:
    assert casualties(spelled_out(text)).wounded == wounded


@pytest.mark.parametrize(
    "text",
    [
        "Khar blast toll rises to six as injured shopkeeper dies.",
        "Toll rises to three as injured driver succumbs to his wounds.",
    ],
)
def test_an_injured_victim_who_died_is_no_wounded_count(text: str) -> None:
    assert casualties(spelled_out(text)).wounded is None


def test_the_injured_now_number_is_a_wounded_count_told_alone() -> None:
    text = "Toll rises to three as injured constable succumbs. With his death, the injured now number four."
    assert casualties(spelled_out(text)).wounded == 4


def test_a_revised_toll_adds_its_later_dead_as_of_no_stated_nationality() -> None:
    text = (
        "A roadside bomb struck a vehicle, killing two Chinese technicians and their Pakistani driver. "
        "A member of the escort died of his wounds and the toll rose to four."
    )
    got = casualties(spelled_out(text))
    assert got.killed == 4
    assert got.killed_by_nationality == {"CN": 2, "PK": 1, "": 1}


def test_a_revised_toll_of_the_same_total_keeps_its_own_breakdown() -> None:
    text = "Gunmen killed a Chinese national and two Afghans. The toll rose to three."
    assert casualties(spelled_out(text)).killed_by_nationality == {"CN": 1, "AF": 2}


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("A suicide bomber rammed a truck into the checkpoint, and the toll eventually reached ten.", 10),
        ("The toll of the attack thus stands at four dead.", 4),
        ("The toll remained at two dead after the night.", 2),
    ],
)
def test_a_toll_told_without_death_is_the_killed(text: str, killed: int) -> None:
    assert casualties(spelled_out(text)).killed == killed


def test_a_toll_plaza_is_no_toll() -> None:
    assert casualties("Gunmen fired at the toll plaza at Kot Sultan.").killed is None


def test_rockets_fired_with_heavy_weapons_are_an_armed_assault() -> None:
    text = (
        "The attackers fired rockets and used heavy weapons against the police post, killing three policemen."
    )
    assert classify(text)["attack_type"] == "armed_assault"


def test_rockets_fired_from_afar_stay_a_bombing() -> None:
    assert classify("Militants fired two rockets at the labour camp, injuring two labourers.")[
        "attack_type"
    ] == ("bombing")


@pytest.mark.parametrize(
    ("text", "killed", "wounded", "by"),
    [
        (
            "IED blast on convoy | 04 killed (02 Chinese nationals, 01 driver, 01 FC), 06 injured.",
            4,
            6,
            {"CN": 2, "": 2},
        ),
        (
            "Four people were killed (two foreign nationals, a driver and an escort member) and six injured.",
            4,
            6,
            {},
        ),
        ("A bomb killed four people (three Chinese engineers and a driver).", 4, None, {"CN": 3, "": 1}),
        ("Gunmen opened fire, killing three (two soldiers, one policeman) and wounding five.", 3, 5, {}),
    ],
)
def test_a_toll_broken_down_in_brackets_counts_once(
    text: str, killed: int, wounded: int | None, by: dict[str, int]
) -> None:
    got = casualties(spelled_out(text))
    assert (got.killed, got.wounded, got.killed_by_nationality) == (killed, wounded, by)


def _only(text: str) -> dict[str, object]:
    incs = build_incidents(clean_text(text).lines, date(2026, 3, 16))
    assert len(incs) == 1
    return incs[0]


def test_foreign_dead_among_workers_make_foreign_workers_the_target() -> None:
    inc = _only(
        "Bus blast in Kohistan\nKOHISTAN: A bus carrying workers to the dam site was blown up in "
        "Upper Kohistan on Saturday, killing 13 people, nine of them Chinese."
    )
    assert inc["target_type"] == "foreign_workers"


def test_foreign_climbers_with_local_staff_stay_civilians() -> None:
    inc = _only(
        "Climbers shot at base camp\nCHILAS: Gunmen walked into the base camp at Nanga Parbat on Saturday, "
        "tied up the Pakistani staff and shot dead ten foreign climbers, five of them Ukrainians."
    )
    assert inc["target_type"] == "civilians"


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        (
            "Gunmen fired on a car carrying a Chinese couple, killing the couple's Pakistani driver and "
            "wounding the husband, a Chinese engineer, police said.",
            1,
            1,
        ),
        (
            "A Chinese citizen was injured when gunmen opened fire on a car carrying him. "
            "The car's Pakistani driver was also wounded in the attack. No one was killed.",
            0,
            2,
        ),
        ("Gunmen shot dead the minister's guard outside his house.", 1, None),
    ],
)
def test_one_victim_told_by_whose_he_was(text: str, killed: int, wounded: int | None) -> None:
    got = casualties(spelled_out(text))
    assert (got.killed, got.wounded) == (killed, wounded)


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        (
            "Gunmen fired on a vehicle, killing a police guard and wounding an engineer and the driver, "
            "police said. The driver, a resident of Batkhela, was also wounded.",
            1,
            2,
        ),
        ("A suicide bomber rammed a bus, killing five Chinese engineers and the driver.", 6, None),
        ("The driver was killed when the bomb went off.", None, None),
    ],
)
def test_the_person_named_after_another_is_one_more(
    text: str, killed: int | None, wounded: int | None
) -> None:
    got = casualties(spelled_out(text))
    assert (got.killed, got.wounded) == (killed, wounded)


def test_a_denied_suicide_bomber_carried_no_vest() -> None:
    got = classify(
        "A roadside bomb struck the van. The device had been planted in a culvert and was set off by remote "
        'control. "There was no suicide bomber," the officer said.'
    )
    assert (got["weapon"], got["suicide"]) == ("ied", False)


@pytest.mark.parametrize(
    "text",
    [
        "In March 2024 a suicide bomber drove into a convoy of engineers near Bisham, killing six.",
        "Five Chinese engineers were killed in Bisham when a suicide bomber drove into their vehicle.",
    ],
)
def test_a_bomber_who_drove_into_his_target_drove_the_bomb(text: str) -> None:
    assert classify(text)["weapon"] == "vbied"


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("Five of the six injured remain in hospital.", None, 6),
        (
            "The toll remained at two dead; one of the five injured, a helper, was in intensive care.",
            2,
            5,
        ),
        ("Two of the four killed were Chinese engineers.", 4, None),
        ("Two of the guards were injured.", None, 2),
    ],
)
def test_a_part_of_the_victims_counts_the_whole(text: str, killed: int | None, wounded: int | None) -> None:
    got = casualties(spelled_out(text))
    assert (got.killed, got.wounded) == (killed, wounded)


def test_one_who_sustained_injuries_and_later_succumbed_is_no_wounded() -> None:
    got = casualties(
        spelled_out(
            "Due to the blast one private guard, namely Ghulam Farid, sustained grievous injuries and later "
            "succumbed in hospital, whereas two Chinese nationals and one police constable received injuries."
        )
    )
    assert (got.wounded, got.wounded_by_nationality) == (3, {"CN": 2, "": 1})


@pytest.mark.parametrize(
    "text",
    [
        "A suicide bomber blew himself up next to a police van, killing two policemen and a passer-by and "
        "wounding eight people. Two of the wounded were students on their way to a nearby college.",
        "Gunmen fired on a police mobile near the bazaar, killing two constables on their way to the school.",
    ],
)
def test_a_school_passers_by_were_heading_to_is_no_target(text: str) -> None:
    assert classify(text)["target_type"] == "police"


def test_a_school_attacked_stays_the_target() -> None:
    assert (
        classify("Militants blew up a girls' school in the village at night.")["target_type"] == "education"
    )


@pytest.mark.parametrize(
    ("text", "killed", "by"),
    [
        (
            "A roadside bomb struck a vehicle, killing two Chinese technicians and their Pakistani driver. "
            "Later a member of the escort died of his wounds, taking the death toll to four.",
            4,
            {"CN": 2, "PK": 1, "": 1},
        ),
        ("Two guards were killed on Saturday. A third died on Sunday, bringing the toll to three.", 3, {}),
    ],
)
def test_a_toll_brought_up_supersedes_the_first(text: str, killed: int, by: dict[str, int]) -> None:
    got = casualties(spelled_out(text))
    assert (got.killed, got.killed_by_nationality) == (killed, by)
