"""Fields of incidents found (issue 20, round 13): attack types of mixed arms, targets, tolls."""

from datetime import date

import pytest

from outrider.intel.casualties import casualties
from outrider.intel.classify import classify, perpetrator
from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents


@pytest.mark.parametrize(
    "text",
    [
        "A group of militants, armed with rifles and rocket launchers, attacked the police station.",
        "The attackers struck the checkpost with rockets and sniper fire from the fields.",
        "Terrorists fired rockets and then there was a fire fight of about one hour.",
        "Unidentified men fired on the post with automatic weapons and an RPG round.",
        "Dacoits attacked the post with rockets; police returned fire for two hours.",
    ],
)
def test_rockets_fired_beside_small_arms_are_an_armed_assault(text: str) -> None:
    assert classify(text)["attack_type"] == "armed_assault"


def test_rockets_fired_from_afar_alone_are_a_bombing() -> None:
    got = classify("Two rockets landed near the camp at night; no one was hurt.")
    assert (got["attack_type"], got["weapon"]) == ("bombing", "rocket")


@pytest.mark.parametrize(
    "text",
    [
        "Militants attacked a police checkpoint with heavy weapons, killing two constables.",
        "The constable had been airlifted to hospital with bullet wounds to his abdomen.",
        "A soldier was killed by sniper fire near the border crossing.",
        "The attack was repulsed after an exchange of fire that lasted forty minutes.",
        "The forensic report linked the pistol to the killing of a shopkeeper.",
        "A convoy of an oil company came under fire in the province.",
    ],
)
def test_guns_told_by_their_bullets_or_their_fire_are_firearms(text: str) -> None:
    assert classify(text)["weapon"] == "firearms"


def test_an_exchange_of_fire_after_a_suicide_attack_leaves_the_bombing() -> None:
    text = (
        "After an intense exchange of fire eight militants were killed; they had carried out the suicide "
        "attack on a convoy last month."
    )
    assert classify(text)["attack_type"] == "bombing"


@pytest.mark.parametrize(
    "text",
    [
        "Unidentified men blew up a 24-inch gas pipeline near Sui early on Monday; nobody was injured.",
        "Two electricity pylons were destroyed with explosives; there were no casualties.",
        "The explosive was placed near the front pillar of the mosque, under the carpets.",
    ],
)
def test_a_charge_set_by_hand_is_an_ied(text: str) -> None:
    assert classify(text)["weapon"] == "ied"


def test_a_caption_of_a_van_blown_up_denied_by_the_facts_is_no_ied() -> None:
    text = 'A clip captioned "Chinese van blown up" is old: a man fired at the van; there was no explosion.'
    assert classify(text)["weapon"] == "firearms"


def test_a_track_blown_up_before_the_gunmen_opened_fire_leaves_the_guns_the_weapon() -> None:
    text = "Militants blew up a section of track and opened fire on the locomotive, then seized the train."
    assert classify(text)["weapon"] == "firearms"


# --- targets: whose post, whose vehicle (data/lexicon.json "targets") ----------------------------------


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("A suicide bomber blew himself up near an FC check post in the main bazaar.", "military"),
        ("A quadcopter dropped a mortar round on a Scouts post in the border sector.", "military"),
        ("An IED blast targeting a CTD vehicle on the Faisalabad road wounded three.", "police"),
        ("Sub-Inspector Khan of the Counter-Terrorism Department was shot dead.", "police"),
    ],
)
def test_a_units_post_or_vehicle_names_the_force_attacked(text: str, target: str) -> None:
    assert classify(text)["target_type"] == target


def test_the_ctd_that_arrests_the_bombers_is_not_the_target() -> None:
    text = "The CTD arrested the facilitators of the roadside bombing that killed four Frontier Corps men."
    assert classify(text)["target_type"] == "military"


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("An IED struck a vehicle on the road; two civilians were killed and four injured.", "civilians"),
        ("Gunmen killed four labourers at a construction site.", "civilians"),
        ("The journalist was shot dead outside his home.", "civilians"),
        ("A man threw a grenade onto the terrace of a cafe, killing one visitor.", "business"),
        ("Gunmen opened fire at the main gate of a coal-fired power plant, killing two guards.", "business"),
        ("Gunmen opened fire at the gate of a wind farm, killing a security guard.", "business"),
        ("Armed men abducted three drilling-crew workers from an oil field.", "business"),
        ("A bomb hidden in a parcel exploded in a warehouse, killing three workers.", "business"),
    ],
)
def test_the_people_or_the_business_named_by_their_own_word(text: str, target: str) -> None:
    assert classify(text)["target_type"] == target


# --- the dead by nationality -------------------------------------------------------------------------


def _only(text: str) -> dict[str, object]:
    incs = _incidents(text)
    assert len(incs) == 1
    return incs[0]


def _incidents(text: str) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, date(2026, 3, 16))


def test_local_dead_of_an_attack_on_foreigners_count_as_the_country() -> None:
    inc = _only(
        "Guards killed as gunmen fire on van carrying Chinese technicians\n"
        "KARACHI: Gunmen opened fire on a van carrying two Chinese technicians in Karachi on Sunday, "
        "killing two guards, police said."
    )
    assert (inc["killed"], inc["killed_by_nationality"]) == (2, {"PK": 2})


def test_dead_of_an_attack_told_without_nationality_stay_unbroken() -> None:
    inc = _only(
        "Guards killed in Karachi firing\nKARACHI: Gunmen opened fire on a van on Sunday, killing two guards."
    )
    assert (inc["killed"], inc["killed_by_nationality"]) == (2, {})


# --- tolls in tables and beside the names of roads and sectors --------------------------------------


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        (
            "Row 2 | 14 Apr | Kabul | PD 4 / Shahr-e Naw | IED | A device exploded | 0 killed, 1 injured.",
            0,
            1,
        ),
        (
            "Islamabad | Targeted killing of a police sub-inspector, I-10 Markaz; 1 killed; 1 injured.",
            1,
            1,
        ),
        ("A roadside bomb on the M-8 killed three soldiers.", 3, None),
    ],
)
def test_a_table_cell_or_a_road_number_is_no_count_of_victims(
    text: str, killed: int, wounded: int | None
) -> None:
    got = casualties(text)
    assert (got.killed, got.wounded) == (killed, wounded)


@pytest.mark.parametrize(
    "text",
    [
        "In May, a blast had damaged the track near Jacobabad without causing casualties.",
        "Miscreants blew up a school at night; no loss of life or injury was caused.",
        "Mid-March: a rocket lands inside the compound during evening prayers. No one is hurt.",
        "Armed men hijacked a truck near Sost and released its driver unharmed six hours later.",
    ],
)
def test_nobody_hurt_told_another_way_is_none_killed_or_wounded(text: str) -> None:
    got = casualties(text)
    assert (got.killed, got.wounded) == (0, 0)


# --- groups (data/actors.json) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "group"),
    [
        (
            "Gunmen attacked a guesthouse in Kabul, killing five. ISIL-KP claimed responsibility.",
            "Islamic State Khorasan Province",
        ),
        (
            "ISIL-K claimed the suicide bombing outside the passport office.",
            "Islamic State Khorasan Province",
        ),
        (
            "Ittehad-ul-Mujahideen Pakistan, an alliance of militant factions, claimed the attack.",
            "Ittehad-ul-Mujahideen Pakistan",
        ),
    ],
)
def test_groups_named_by_the_un_or_by_their_alliance_are_found(text: str, group: str) -> None:
    assert perpetrator(text)[:2] == (group, True)


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("In April, a vaccinator was shot and wounded in Lakki Marwat.", None, 1),
        ("In May a Chinese technician had been shot and injured in Korangi.", None, 1),
        ("Two policemen were shot and killed at the checkpoint.", 2, None),
    ],
)
def test_victims_shot_and_wounded_or_killed_are_counted(
    text: str, killed: int | None, wounded: int | None
) -> None:
    got = casualties(text)
    assert (got.killed, got.wounded) == (killed, wounded)
