"""The fields of a record (issue 20, fifth pass), on sentences of our own: who is held responsible, what was
attacked, how, and how many were hurt. Each data entry of `data/attribution.json` acts in a sentence."""

from datetime import date

import pytest

from outrider.intel.blame import _data as attribution_data
from outrider.intel.casualties import casualties
from outrider.intel.classify import classify
from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents

PUB = date(2031, 6, 19)  # a Thursday


def _incidents(text: str, published: date | None = PUB) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, published)


def _main(text: str) -> dict[str, object]:
    return _incidents(text)[0]


# --- perpetrator: named as responsible, not merely named ---------------------------------------------

ATTACK = "Report\n\nA bomb exploded at a market in Turbat on Tuesday, killing four people. "


def test_a_group_that_denies_the_attack_is_not_its_perpetrator() -> None:
    got = _main(
        ATTACK + "No group has claimed the blast. The Balochistan Liberation Army said it had nothing to do "
        "with the bombing."
    )
    assert (got["perpetrator"], got["claimed"]) == (None, False)


def test_a_claim_disowned_by_the_group_s_spokesman_names_no_perpetrator() -> None:
    got = _main(
        ATTACK + "A local commander of the Tehrik-i-Taliban Pakistan said his men planted the device, but "
        "the group's spokesman later denied the group was involved."
    )
    assert got["perpetrator"] is None


def test_officials_blame_stands_against_the_group_s_denial() -> None:
    got = _main(
        ATTACK + "Investigators attributed the attack to the Tehrik-i-Taliban Pakistan, an allegation the "
        "group denied."
    )
    assert got["perpetrator"] == "Tehrik-i-Taliban Pakistan"


def test_a_group_named_for_its_past_deeds_is_not_this_attack_s_perpetrator() -> None:
    got = _main(
        ATTACK + "No group has claimed the blast. The Balochistan Liberation Army has carried out attacks "
        "in the district in the past."
    )
    assert (got["perpetrator"], got["claimed"]) == (None, False)
    no_answer = _main(
        ATTACK + "The Tehrik-i-Taliban Pakistan, which has attacked markets before, did not respond to "
        "requests for comment."
    )
    assert no_answer["perpetrator"] is None


def test_past_deeds_told_with_their_dates_are_the_group_s_attacks() -> None:
    incs = _incidents(
        "Analysis\n\nThe Balochistan Liberation Army has attacked Chinese targets repeatedly: its fighters "
        "stormed a bank in Turbat in May 2029."
    )
    assert [(i["city"], i["perpetrator"]) for i in incs] == [("Turbat", "Balochistan Liberation Army")]


def test_an_unclaimed_attack_takes_no_group_from_another_attack_s_claim() -> None:
    got = _main(
        ATTACK + "No group had claimed responsibility by Wednesday. The town's police station was stormed "
        "in March 2030 in an attack claimed by the Tehrik-i-Taliban Pakistan."
    )
    assert (got["perpetrator"], got["claimed"]) == (None, False)


def test_an_unclaimed_attack_takes_the_group_officials_blame() -> None:
    got = _main(
        ATTACK + "No group has claimed the blast. Police suspect the Balochistan Liberation Army, which "
        "has claimed similar attacks."
    )
    assert got["perpetrator"] == "Balochistan Liberation Army"


def test_a_claim_by_a_group_the_registry_lacks_is_a_claim() -> None:
    got = _main(ATTACK + "A little-known group claimed the attack in a statement.")
    assert (got["perpetrator"], got["claimed"]) == (None, True)


ATTRIBUTION = attribution_data()


@pytest.mark.parametrize("phrase", ATTRIBUTION["denials"])
def test_every_denial_keeps_the_group_off_the_attack(phrase: str) -> None:
    got = _main(ATTACK + f"The Balochistan Liberation Army {phrase} the attack, a spokesman said.")
    assert got["perpetrator"] is None


@pytest.mark.parametrize("phrase", ATTRIBUTION["past_deeds"])
def test_every_past_deed_keeps_the_group_off_the_attack(phrase: str) -> None:
    got = _main(ATTACK + f"The Balochistan Liberation Army, a separatist group, {phrase} the province.")
    assert got["perpetrator"] is None


@pytest.mark.parametrize("phrase", ATTRIBUTION["blame"])
def test_every_blame_names_the_group_despite_past_deeds(phrase: str) -> None:
    got = _main(
        ATTACK + f"Police said the attack was {phrase} the Balochistan Liberation Army, active in the past."
    )
    assert got["perpetrator"] == "Balochistan Liberation Army"


@pytest.mark.parametrize("phrase", ATTRIBUTION["other_attacks"])
def test_every_blame_of_other_attacks_keeps_the_group_off_this_one(phrase: str) -> None:
    got = _main(
        ATTACK + f"No group has claimed the blast. Officials have blamed {phrase} on the Balochistan "
        "Liberation Army."
    )
    assert (got["perpetrator"], got["claimed"]) == (None, False)


@pytest.mark.parametrize("suffix", ATTRIBUTION["affiliates"])
def test_every_affiliate_of_a_group_is_not_the_group(suffix: str) -> None:
    got = _main(ATTACK + f"A Tehrik-i-Taliban Pakistan{suffix} faction claimed the attack.")
    assert (got["perpetrator"], got["claimed"]) == (None, True)
    own = _main(ATTACK + "The Tehrik-i-Taliban Pakistan claimed the attack.")
    assert own["perpetrator"] == "Tehrik-i-Taliban Pakistan"


# --- target type: the precedence of GOLD-SCHEMA --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # a business run by or for foreigners is the business, whoever was inside
        ("A bomber struck a restaurant run by Chinese nationals, killing a Chinese citizen.", "business"),
        ("A blast hit a Chinese-run shop in the bazaar, wounding two Chinese nationals.", "business"),
        ("Gunmen stormed a Korean guest house, wounding three Korean engineers.", "business"),
        (
            "Gunmen stormed a hotel popular with Japanese businessmen, injuring four Japanese nationals.",
            "business",
        ),
        ("The attack on a hotel in the capital left two Turkish citizens wounded.", "business"),
        # a mission stormed or bombed is the target, whoever was hurt or spared
        (
            "Gunmen stormed the Japanese consulate; no Japanese citizen was hurt, two guards died.",
            "diplomatic",
        ),
        ("The embassy said two Japanese engineers were wounded in a blast at a market.", "foreign_workers"),
        # one foreign worker, told in the singular, is the people attacked before the vehicle that held him
        ("A bomb on a contractor's pickup injured a Chinese supervisor.", "foreign_workers"),
        ("An explosion on a staff bus killed three, including a Chinese engineer.", "foreign_workers"),
        ("Fatalities: 2 (1 expatriate engineer; 1 national driver). Police escort hit.", "foreign_workers"),
        # a lodging housing foreign staff: its people, not the building (a hotel for traders stays business)
        (
            "Gunmen stormed a guesthouse housing employees of a Chinese mining company, killing two.",
            "foreign_workers",
        ),
        ("Attackers raided a camp used by Chinese road engineers near the pass.", "foreign_workers"),
        # a schoolboy among the dead, a medical college hospital, a car park: no school, no park attacked
        (
            "A bomb in the bazaar killed five, including a schoolboy, and wounded twelve shoppers.",
            "civilians",
        ),
        (
            "A constable died of his wounds at the Chandka Medical College Hospital; police post hit.",
            "police",
        ),
        ("An explosion occurred in the car park in front of the airport's domestic terminal.", "transport"),
        # a shop, bank or money exchange that a grenade was thrown into, in a bazaar: the business
        (
            "A man threw a hand grenade into a mobile phone shop in the main bazaar, wounding three.",
            "business",
        ),
        ("A grenade was hurled into the money-exchange market near the bazaar, killing one.", "business"),
        ("Gunmen stormed a bank in the Kharan bazaar and killed a guard.", "business"),
        # the police escorting a polio team are the ones attacked
        ("Two policemen escorting a polio vaccination team were shot dead in Bajaur.", "police"),
        # goods vehicles, a cargo terminal, a railway track: transport, not the drivers or the levies nearby
        (
            "Gunmen set fire to five trucks on the highway and shot dead two drivers; a levies man was hurt.",
            "transport",
        ),
        (
            "A man hurled a grenade at vehicles queued at the Torkham terminal, injuring six drivers.",
            "transport",
        ),
        ("A blast blew off a portion of the railway track near Jacobabad.", "transport"),
        # the municipality, a court, a registration office, a council's chairman, an official's vehicle
        ("A magnetic bomb attached to a vehicle of the municipality injured two employees.", "government"),
        ("A car exploded in the parking lot near the district court, wounding a clerk.", "government"),
        ("A cracker went off outside a NADRA registration office, breaking windows.", "government"),
        (
            "The chairman of a tehsil council was killed when a sticky bomb under his car went off.",
            "government",
        ),
        # a body identified through the registration office names no target
        ("Gunmen attacked a police station; the bodies were identified through NADRA.", "police"),
        # construction machinery burnt at a camp is the contractor's, not transport
        ("Armed men set fire to two excavators and a water tanker at a road camp.", "business"),
        # the staff of a government authority, directorate or department are government, engineers or not
        ("Gunmen abducted four engineers of the Water and Power Authority from the dam site.", "government"),
        ("A bomb killed two employees of the provincial directorate of health.", "government"),
        ("Gunmen shot dead officers of the excise department at their office.", "government"),
        # a training centre is no train; a constabulary is police
        ("Two bombers struck the Frontier Constabulary training centre, killing forty recruits.", "police"),
        ("A bomb hit the Jaffar Express near the station, killing six passengers.", "transport"),
        ("A bomb was found on the tracks before a passenger train passed.", "transport"),
        # party workers gathered to hear speeches are civilians
        ("A bomber struck party workers listening to speeches under a tent, killing forty.", "civilians"),
        # a man shot on his way to the mosque was not attacked as a worshipper
        ("Gunmen shot dead a shopkeeper on his way to the mosque near his home.", "civilians"),
        ("A bomber blew himself up inside the mosque during prayers.", "religious"),
        # "the Police Lines mosque bombing" names another attack, not this one's target
        ("Gunmen shot dead a police officer who had investigated the city's mosque bombing.", "police"),
    ],
)
def test_targets_by_precedence(text: str, target: str) -> None:
    assert classify(text)["target_type"] == target


# --- killed and wounded ---------------------------------------------------------------------------------


def test_a_part_told_with_of_them_is_no_more_victims() -> None:
    got = casualties(
        "The bombing killed four people, three of them Japanese engineers, and wounded five others."
    )
    assert (got.killed, got.killed_by_nationality) == (4, {"JP": 3, "": 1})
    assert casualties("The blast wounded six others, two of them children.").wounded == 6


def test_an_attacker_counted_in_the_figure_is_no_victim() -> None:
    assert casualties("9 dead, including bomber, in market blast").killed == 8
    assert casualties("Seven people, including the suicide bomber, were killed in the blast.").killed == 6
    assert casualties("Seven people, including a policeman, were killed in the blast.").killed == 7


def test_a_single_escort_or_guard_killed_is_one_victim() -> None:
    got = casualties("Gunmen fired on the van, killing a police escort and wounding two passengers.")
    assert (got.killed, got.wounded) == (1, 2)


def test_the_wounded_who_remain_after_one_died() -> None:
    text = (
        "A constable who was critically injured in the attack died on Friday. "
        "Eight other injured policemen are recovering, doctors said."
    )
    assert casualties(text).wounded == 8
    assert casualties("A guard was injured. Three other wounded workers are still recovering.").wounded == 3


def test_a_later_figure_of_people_including_locals_counts_every_victim() -> None:
    text = (
        "One Japanese engineer was injured in the attack, the embassy said. Police said at least 12 "
        "people, including local shopkeepers, were injured."
    )
    assert casualties(text).wounded == 12
    # two tolls of the same kind: the first firm one stays
    assert (
        casualties("Four people were injured. Later, 12 people were injured in a second blast.").wounded == 4
    )


# --- attack type, weapon, suicide: the main act's triggers and weapons -----------------------------------


def test_a_vest_found_unused_is_not_the_weapon() -> None:
    got = classify(
        "Militants opened fire on the post with automatic weapons. Police later recovered rifles and a "
        "suicide vest that had not been detonated."
    )
    assert (got["attack_type"], got["weapon"], got["suicide"]) == ("armed_assault", "firearms", False)
    assert (
        classify("Gunmen fired on the camp; an unexploded suicide jacket was found.")["weapon"] == "firearms"
    )
    # a vest that was set off is the weapon
    assert classify("The bomber detonated his suicide vest at the gate.")["weapon"] == "suicide_vest"


@pytest.mark.parametrize(
    "text",
    [
        "The assault on a police post at the river left five policemen dead.",
        "Militants attacked a check post, but the attack was repulsed by the police.",
    ],
)
def test_an_assault_fought_off_is_an_armed_assault(text: str) -> None:
    assert classify(text)["attack_type"] == "armed_assault"


def test_kidnappers_are_no_suicide_attackers() -> None:
    got = classify("Armed men abducted four engineers from the camp at gunpoint.")
    assert (got["attack_type"], got["suicide"]) == ("hostage_taking", False)


def test_a_suicide_car_is_a_vehicle_bomb() -> None:
    assert classify("A suicide-vehicle attack hit the convoy, killing three.")["weapon"] == "vbied"
    assert classify("A suicide car struck the gate of the camp.")["weapon"] == "vbied"


def test_men_who_fired_on_a_team_used_guns() -> None:
    got = classify("Two men on a motorcycle fired on a vaccination team, killing a guard.")
    assert (got["attack_type"], got["weapon"]) == ("armed_assault", "firearms")
    # rockets fired at a town are still rockets
    assert classify("Rockets were fired at the port from the hills.")["weapon"] == "rocket"


def test_who_reports_or_blames_is_not_the_target() -> None:
    got = classify(
        "Armed men abducted six labourers from the camp of a construction company, Levies officials said."
    )
    assert got["target_type"] == "business"
    assert (
        classify("Gunmen killed a shopkeeper, an attack the police blamed on militants.")["target_type"]
        != "police"
    )


def test_the_massacre_of_n_people_is_their_toll() -> None:
    got = casualties(
        "The massacre of more than 140 people, most of them schoolchildren, by gunmen shocked the nation."
    )
    assert got.killed == 140


def test_officials_blame_for_another_month_s_attack_names_no_group_for_this_one() -> None:
    got = _main(
        "Report\n\nArmed men stormed a bank in Turbat on Tuesday, wounding two guards. No group has claimed "
        "the raid. In March, gunmen killed four workers in Turbat, an attack the police blamed on the "
        "Balochistan Liberation Army."
    )
    assert got["perpetrator"] is None


def test_wounds_suffered_and_a_single_man_hurt_are_the_wounded() -> None:
    assert casualties("Three local workers suffered minor injuries in the blast.").wounded == 3
    assert casualties("A bomb struck the jeep. He was badly injured in the leg.").wounded == 1


def test_the_victims_told_among_the_dead_break_the_toll_down() -> None:
    got = casualties(
        "The bombing killed five people. Among the dead was a Japanese engineer and an Afghan driver."
    )
    assert (got.killed, got.killed_by_nationality) == (5, {"JP": 1, "AF": 1})
    before = casualties("The blast killed 9 people. Three Tajik traders were among the dead, police said.")
    assert (before.killed, before.killed_by_nationality) == (9, {"TJ": 3})


def test_what_the_victims_were_doing_does_not_cut_them_off() -> None:
    got = casualties(
        "A bomber rammed the bus, killing four Japanese engineers working on the dam and their Pakistani "
        "driver."
    )
    assert (got.killed, got.killed_by_nationality) == (5, {"JP": 4, "PK": 1})


def test_a_revised_toll_keeps_the_victims_nationalities() -> None:
    same = casualties(
        "The blast killed a Japanese engineer and two Afghans. The death toll rose to three on Friday."
    )
    assert (same.killed, same.killed_by_nationality) == (3, {"JP": 1, "AF": 2})
    more = casualties("The attack killed two Japanese engineers. The death toll rose to three on Friday.")
    assert (more.killed, more.killed_by_nationality) == (3, {"JP": 2, "": 1})


@pytest.mark.parametrize(
    "text",
    [
        "A gunman opened fire on former prime minister Ali Khan's container, wounding him in the leg.",
        "The man took part in the killing of Rahim Gul, a trader who was shot dead in his shop.",
    ],
)
def test_a_named_person_shot_at_is_an_assassination(text: str) -> None:
    assert classify(text)["attack_type"] == "assassination"


def test_gunmen_firing_on_a_crowd_are_no_assassination() -> None:
    assert classify("Gunmen opened fire on a crowd at the market, killing four people.")["attack_type"] == (
        "armed_assault"
    )


def test_a_sentence_about_attacks_in_general_tells_no_weapon_of_this_one() -> None:
    got = classify(
        "Two men on a motorcycle fired on a vaccination team, killing a guard. Attacks with quadcopters "
        "continued in the southern districts."
    )
    assert (got["attack_type"], got["weapon"]) == ("armed_assault", "firearms")
    assert (
        classify("Such bombings have become rare. Gunmen stormed the bank.")["attack_type"] == "armed_assault"
    )


def test_one_injured_who_died_is_not_among_the_wounded() -> None:
    text = (
        "Toll rises to four as injured guard succumbs. A guard injured in the blast died at the hospital on "
        "Friday. Six other injured, including two Japanese engineers, were under treatment."
    )
    assert casualties(text).wounded == 6
    assert casualties("Two guards were injured in the blast and taken to hospital.").wounded == 2


def test_the_injured_now_number_the_wounded_who_remain() -> None:
    text = "A bomb wounded five people. With his death, the injured now number four, doctors said."
    assert casualties(text).wounded == 4


def test_a_sum_of_years_of_attacks_is_no_toll() -> None:
    text = (
        "Since 2017, at least 30 Japanese nationals have been killed in the country. A bomb on the bus "
        "killed four people."
    )
    assert casualties(text).killed == 4


def test_a_bomber_who_drove_a_car_into_a_bus_drove_a_vehicle_bomb() -> None:
    got = classify("A suicide bomber drove a car into a bus carrying engineers, killing six.")
    assert (got["attack_type"], got["weapon"], got["suicide"]) == ("bombing", "vbied", True)


def test_the_wounded_who_remain_keep_their_nationalities() -> None:
    text = (
        "A roadside bomb hit the convoy, killing two guards. A wounded guard died on Friday. The other three "
        "injured, two Japanese engineers and a driver, are out of danger."
    )
    got = casualties(text)
    assert (got.wounded, got.wounded_by_nationality) == (3, {"JP": 2, "": 1})


def test_a_claim_by_a_group_the_registry_lacks_names_no_other_group() -> None:
    incs = _incidents(
        "Analysis\n\nThe Balochistan Liberation Army has grown. In May 2029 it claimed a bombing in Turbat. "
        "In June 2029 a gunman opened fire inside a clinic in Quetta, killing a nurse. A little-known "
        "outfit, the Sindh Freedom Front, claimed that shooting."
    )
    assert [(i["city"], i["perpetrator"], i["claimed"]) for i in incs] == [
        ("Turbat", "Balochistan Liberation Army", True),
        ("Quetta", None, True),
    ]


def test_a_report_that_says_nobody_was_hurt_gives_its_main_attack_no_victims() -> None:
    attack = "Men blew up a mobile phone tower near Turbat early on Tuesday, police said."
    report = attack + " The company's guard was tied up. Nobody was hurt, officials said."
    got = casualties(attack, report)  # the report told anywhere of its main story
    assert (got.killed, got.wounded) == (0, 0)
    assert casualties(attack).killed is None
    # a toll of its own stands
    assert casualties("A bomb killed two guards at the tower.", report).killed == 2


def test_a_main_attack_takes_its_wounded_from_a_sentence_that_tells_no_attack() -> None:
    got = _main(
        "Rockets hit port\n\nSeveral rockets were fired at the port in Gwadar on Tuesday night. "
        "Two security guards sustained minor injuries from shrapnel and were discharged after treatment."
    )
    assert got["wounded"] == 2


def test_a_statement_sent_to_journalists_that_its_fighters_did_it_is_a_claim() -> None:
    got = _main(
        ATTACK + "The Balochistan Liberation Army said in a statement sent to journalists that its fighters "
        "carried out the attack."
    )
    assert (got["perpetrator"], got["claimed"]) == ("Balochistan Liberation Army", True)
