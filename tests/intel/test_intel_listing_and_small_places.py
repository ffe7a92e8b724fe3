"""Rules written from a fourth blind set (set d, issue 20), on sentences of our own: listings of incidents
one per line, small towns told by their place nouns, targets and tolls in the words of security reports."""

from datetime import date

import pytest

from outrider.intel.casualties import casualties
from outrider.intel.classify import classify
from outrider.intel.cleaning import clean_text
from outrider.intel.dates import resolve_event_date
from outrider.intel.extract import build_incidents
from outrider.intel.gazetteer import find_places
from outrider.intel.published import find_published

PUB = date(2031, 6, 19)  # a Thursday


def _incidents(text: str, published: date | None = PUB) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, published)


# --- a listing's lines: each line a record, placed by its heading -------------------------------------


def test_each_line_of_a_listing_is_placed_by_its_heading() -> None:
    text = (
        "RIVER WATCH - MONTHLY DIGEST: MAY 2031\n\n"
        "Incidents of the month\n\n"
        "May 3 - Turbat (Balochistan): Gunmen opened fire on a fisheries van; one clerk killed.\n"
        "May 17 - Kohat (KP): Suicide bomber blew himself up beside a checkpoint; two policemen killed.\n"
    )
    got = {(i["city"], i["date"]) for i in _incidents(text)}
    assert got == {("Turbat", "2031-05-03"), ("Kohat", "2031-05-17")}


def test_a_town_named_only_in_a_clause_before_the_attack_is_still_context() -> None:
    # the heading rule reads a short capitalised heading before a colon, not a sentence's opening clause
    text = "Outlet\n\nResidents of Kohat, who had protested for a week, said a bomb exploded; two were hurt."
    assert all(i["city"] != "Kohat" for i in _incidents(text))


# --- small places told by their place nouns -----------------------------------------------------------


def _places(sentence: str) -> list[tuple[str | None, str | None, bool]]:
    return [(h.place.name, h.place.admin1, h.place.lat is not None) for h in find_places(sentence)]


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        # "the X area of <district>": an area told by its noun, placed in the district's province
        (
            "Gunmen raided a post in the Zarkhel area of Kurram district.",
            [("Zarkhel", "Khyber Pakhtunkhwa", False)],
        ),
        # a name joined by an izafat is one name
        (
            "Gunmen raided a post in the Dasht-e Zarkhel area of Kurram district.",
            [("Dasht-e Zarkhel", "Khyber Pakhtunkhwa", False)],
        ),
        # a police station named by its town
        (
            "The attack on Police Station Zarkhel, District Kurram, killed a constable.",
            [("Zarkhel", "Khyber Pakhtunkhwa", False), (None, "Khyber Pakhtunkhwa", True)],
        ),
        # "X tehsil of Y": the tehsil is X
        (
            "Gunmen abducted two workers in Zarkhel tehsil of Kurram on Monday.",
            [("Zarkhel", "Khyber Pakhtunkhwa", False)],
        ),
        # a district's seat in apposition, and a small town before its country
        ("Gunmen fired on a camp near the district centre Yovon.", [("Yovon", "Khatlon", True)]),
        ("Gunmen fired on a camp near Yovon in Tajikistan.", [("Yovon", "Khatlon", True)]),
    ],
)
def test_small_places_told_by_their_nouns(
    sentence: str, want: list[tuple[str | None, str | None, bool]]
) -> None:
    assert _places(sentence) == want


def test_an_unknown_area_gives_way_to_the_known_town_written_after_it() -> None:
    got = _places("Miscreants blew up a tower in the Zarkhel area of Bara tehsil, Khyber district.")
    assert [p for p in got if p[0]] == [("Bara", "Khyber Pakhtunkhwa", True)]


def test_a_small_place_and_the_district_it_lies_in_are_one_event() -> None:
    text = (
        "Constable killed in Lakki Marwat attack\n\n"
        "Gunmen opened fire on a police van in the Zarkhel area of Lakki Marwat district on Tuesday, "
        "killing a constable."
    )
    got = _incidents(text)
    assert [(i["city"], i["admin1"], i["date"]) for i in got] == [
        ("Zarkhel", "Khyber Pakhtunkhwa", "2031-06-17")
    ]


# --- attack words ---------------------------------------------------------------------------------------


def test_an_improvised_explosive_device_tells_the_attack_and_its_place() -> None:
    text = "Outlet\n\nAn improvised explosive device hit a van near Turbat on Tuesday, killing two guards."
    assert [(i["city"], i["date"]) for i in _incidents(text)] == [("Turbat", "2031-06-17")]


def test_explosives_dropped_from_a_quadcopter_are_an_attack() -> None:
    text = "Outlet\n\nOn Tuesday miscreants used a quadcopter to drop explosives on a police post in Turbat."
    assert [(i["city"], i["date"]) for i in _incidents(text)] == [("Turbat", "2031-06-17")]


# --- targets in the words of security reports ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # the cash of a bank and the towers of a telephone company before the guards escorting them
        ("Gunmen fired on a cash-in-transit van of a bank, killing two police guards.", "business"),
        ("A bomb fixed to a vehicle carrying money for a bank exploded, killing a policeman.", "business"),
        ("Armed men set fire to a mobile phone tower and its generator.", "business"),
        ("Earlier this month, an armed group torched two towers in the tehsil.", "business"),
        # a former official is a private person now
        ("Unknown gunmen shot dead a former government employee outside his shop.", "civilians"),
        ("Gunmen seized four staff of a telecom company and the two levies men escorting them.", "business"),
        # the state's revenue and health workers, and the police escorting them, are government targets
        ("A bomb hit a van of the customs department, killing two customs officials.", "government"),
        ("Gunmen opened fire on a polio vaccination team, killing a police escort.", "government"),
        ("Two vaccinators and a lady health worker were shot at in a village.", "government"),
        ("Attackers with knives stormed the office of a township government.", "government"),
        # a police check post, a constable shot: police; a village shelled, a family's house: civilians
        ("Gunmen fired on a check post at night, killing a constable.", "police"),
        ("Rockets fell on a village, killing a child and two villagers.", "civilians"),
        ("A grenade was hurled into the house of a retired teacher.", "civilians"),
        # the people a bus carried before the bus: local workers are civilians
        ("A bomb struck a bus carrying employees of the fish market, killing three.", "civilians"),
        ("A bomb struck a bus carrying passengers to the city, killing three.", "transport"),
    ],
)
def test_targets_named_by_what_the_attackers_were_after(text: str, target: str) -> None:
    assert classify(text)["target_type"] == target


def test_a_tower_blown_up_with_nobody_hurt_is_a_facility_attack() -> None:
    got = classify(
        "Miscreants planted explosives and blew up a mobile phone tower. No loss of life was reported."
    )
    assert (got["attack_type"], got["suicide"], got["target_type"]) == ("facility_attack", False, "business")
    hurt = classify("A bomb blew up a mobile phone tower, and two guards were injured.")
    assert hurt["attack_type"] == "bombing"


# --- headers that date the report ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "want"),
    [
        # an outlet's header naming its town dates the report, though the body looks back only on older years
        ("RIVER NEWS | Sukkur | Thursday, 19 June 2031", date(2031, 6, 19)),
        ("Sukkur, Sindh - 19 June 2031 - River Daily (English edition)", date(2031, 6, 19)),
        ("BULLETIN - FM 99 Sukkur, evening news, Thursday 19 June 2031, 6:00 pm", date(2031, 6, 19)),
        # a banner with the site's name and the day only is still a render date
        ("RIVER NEWS  |  Thursday, 19 June 2031", None),
        ("19.06.2031 | Sukkur", None),
    ],
)
def test_a_header_naming_its_town_dates_the_report(line: str, want: date | None) -> None:
    lines = ["Depot raided", line, "Gunmen raided a depot in Sukkur, as they had in 2027."]
    assert find_published(lines, {2027})[0] == want


def test_a_district_named_by_its_seat_is_a_place_and_a_town_in_it_the_same_event() -> None:
    assert _places("Gunmen shot a driver in Sperkhwar district of Kunar province.") == [
        ("Sperkhwar", "Kunar", False),
        (None, "Kunar", False),
    ]
    text = (
        "Outlet\n\nGunmen attacked a road crew in Sperkhwar district of Kunar province on Tuesday. "
        "The gunmen fired on the camp near the district centre Asadabad late on Tuesday, killing a guard."
    )
    assert [(i["city"], i["date"]) for i in _incidents(text)] == [("Asadabad", "2031-06-17")]


def test_the_district_of_the_attackers_origin_is_no_site() -> None:
    sentence = "Armed men coming from the village of Tordhand in the Sperkhwar district of Kunar opened fire."
    assert [p for p in _places(sentence) if p[0]] == []


def test_a_listing_heading_names_a_small_place_before_its_district() -> None:
    text = "Digest\n\nMay 9 - Zarkhel, Kurram (KP): Hand grenade hurled at a boys' school; no casualties.\n"
    assert [(i["city"], i["admin1"], i["date"]) for i in _incidents(text)] == [
        ("Zarkhel", "Khyber Pakhtunkhwa", "2031-05-09")
    ]


# --- suicide: what the text says of the attacker ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Gunmen opened fire on a checkpoint, killing two policemen.", False),
        ("A sticky bomb attached to a van went off, killing its driver.", False),
        ("Miscreants used a quadcopter to drop a bomb on a police station.", False),
        ("Mortar shells fired from the hills hit a bazaar, killing four.", False),
        ("A hand grenade was thrown at the house of an elder; nobody was hurt.", False),
        ("A suicide bomber blew himself up beside a police van.", True),
        # a bomb that went off, told of no bomber: the gold of every development set counts it no suicide
        # attack (false 13 times, true once); a car bomb or a squad storming a building is left open
        ("A bomb went off in a market, killing four.", False),
        ("A car bomb exploded at the gate of the compound, killing four.", None),
        ("Gunmen stormed the hotel and fought the guards for six hours.", None),
    ],
)
def test_suicide_is_false_where_the_attack_leaves_no_attacker_dead(text: str, want: bool | None) -> None:
    assert classify(text)["suicide"] is want


# --- tolls ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        # the subject of "was injured" starts after the other victim's verb
        ("A guard embraced shahadat and a cook was injured when gunmen fired on the depot.", 1, 1),
        # "sustained injuries" like "were injured"
        ("The blast in which one constable was martyred and three others sustained injuries.", 1, 3),
        # the bomber counted in the figure is no victim
        ("A bomber blew himself up at a gate, killing six people including the bomber.", 5, None),
        # "a wounded inspector died": an adjective, not a toll of the wounded
        (
            "Officials revised the toll after a wounded inspector died in hospital; three were killed.",
            3,
            None,
        ),
        # a toll counted up after a wounded man died, and the wounded who remain
        (
            "Three persons embraced shahadat and eight were injured. One injured man later succumbed. "
            "Thus the number of martyrs has reached four, and seven injured are still under treatment.",
            4,
            7,
        ),
        (
            "Four were killed and 16 injured. Two more died overnight; twelve others are still in hospital.",
            4,
            12,
        ),
        (
            "Four were killed and five injured; one later died. The other three injured, two engineers and a "
            "driver, are out of danger.",
            4,
            3,
        ),
        # a victim named by rank and name
        ("Sub-Inspector Arif Baig shot dead near his home; TTP claimed.", 1, None),
        ("Constable Sajid Ali and Head Constable Noor Zaman were injured in the blast.", None, 2),
        # "no loss of life": nobody killed
        ("Miscreants blew up a tower; no loss of life was reported.", 0, None),
        # a toll rising, told far from "death toll"
        (
            "The death toll from Monday's rocket attack on the main bazaar of a district capital in the east "
            "of the province has risen to seven. Five were killed on the spot.",
            7,
            None,
        ),
    ],
)
def test_tolls_in_the_words_of_local_reports(text: str, killed: int | None, wounded: int | None) -> None:
    got = casualties(text)
    assert (got.killed, got.wounded) == (killed, wounded)


def test_a_tehsil_told_after_its_district_is_placed_in_that_province() -> None:
    text = (
        "Outlet\n\nServices have been cut in much of Kech district for weeks. "
        "On Monday gunmen raided a post in Sperkhwar tehsil, killing a guard."
    )
    got = _incidents(text)
    assert [(i["city"], i["admin1"], i["date"]) for i in got] == [("Sperkhwar", "Balochistan", "2031-06-16")]


def test_an_area_told_after_a_city_is_left_to_the_city() -> None:
    text = (
        "Outlet\n\nPolice in Peshawar were on alert on Monday. "
        "On Monday a bomb went off in the Zarkhel area, wounding two."
    )
    assert [i["city"] for i in _incidents(text)] != ["Zarkhel"]


def test_arson_of_a_school_or_a_tower_is_an_attack() -> None:
    text = "Outlet\n\nOn Sunday night unknown persons set fire to a girls' school in Turbat; nobody was hurt."
    got = _incidents(text)
    assert [(i["city"], i["attack_type"], i["target_type"], i["killed"]) for i in got] == [
        ("Turbat", "facility_attack", "education", 0)
    ]


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        (
            "On the 14th of this month, in the evening, miscreants fired rockets on a village.",
            date(2031, 6, 14),
        ),
        ("On the 3rd of last month gunmen fired on a post.", date(2031, 5, 3)),
        # a day still to come this month is no day of the attack: the month alone
        ("On the 25th of this month gunmen fired on a post.", date(2031, 6, 1)),
    ],
)
def test_a_day_of_this_or_last_month(sentence: str, want: date) -> None:
    assert resolve_event_date(sentence, PUB).value == want


@pytest.mark.parametrize(
    ("text", "attack"),
    [
        ("Three mortar rounds landed in a crowded market, killing four.", "bombing"),
        ("Miscreants fired several rockets on a village, killing three.", "bombing"),
        ("Armed men attacked a post with rockets and automatic weapons, killing two.", "armed_assault"),
    ],
)
def test_rockets_and_mortars_are_explosive_attacks(text: str, attack: str) -> None:
    got = classify(text)
    assert (got["attack_type"], got["weapon"]) == (attack, "rocket")


def test_a_wire_dateline_with_agency_and_weekday_is_the_publication() -> None:
    head = "SUKKUR, Pakistan (AP) - Thursday, June 19, 2031 - A bomb went off near Turbat on Tuesday."
    assert find_published(["Post attacked", head], set()) == (date(2031, 6, 19), True)
    # the dateline's date is the report's, not the attack's
    got = _incidents("Post attacked\n\n" + head)
    assert [(i["city"], i["date"]) for i in got] == [("Turbat", "2031-06-17")]


def test_the_town_of_a_hospital_where_a_victim_died_is_no_site() -> None:
    text = (
        "Outlet\n\nA bomb went off at a checkpoint near Turbat on Tuesday, killing two. "
        "On Thursday a wounded guard died at Karachi's Civil Hospital, bringing the toll to three."
    )
    assert [i["city"] for i in _incidents(text)] == ["Turbat"]


def test_a_district_of_the_province_told_a_day_earlier() -> None:
    text = (
        "Outlet\n\nA bomb killed two clerks in Asadabad, the capital of Kunar province, on Tuesday. "
        "The head of the Kunar office condemned the attack at his office in Asadabad. "
        "A day earlier, gunmen shot dead a teacher in Sperkhwar district of the province."
    )
    got = {(i["city"], i["admin1"], i["date"]) for i in _incidents(text)}
    assert got == {("Asadabad", "Kunar", "2031-06-17"), ("Sperkhwar", "Kunar", "2031-06-16")}


@pytest.mark.parametrize(
    ("opening", "want"),
    [
        ("A day earlier", date(2031, 6, 16)),
        ("Two days later", date(2031, 6, 19)),
        ("The previous day", date(2031, 6, 16)),
    ],
)
def test_days_counted_from_the_event_told_before(opening: str, want: date) -> None:
    from outrider.intel.dates import EventDate
    from outrider.intel.event_dates import later_than

    got = later_than(f"{opening}, gunmen shot dead a teacher.", EventDate(date(2031, 6, 17), "day"))
    assert got is not None and (got.value, got.precision) == (want, "day")


@pytest.mark.parametrize(
    "text",
    [
        "Miscreants used a quadcopter to drop explosives on a police station, killing a constable.",
        "A drone carrying grenades hit a camp, killing two workers.",
    ],
)
def test_dropped_explosives_are_an_explosive_of_another_kind(text: str) -> None:
    got = classify(text)
    assert (got["attack_type"], got["weapon"]) == ("bombing", "other")


@pytest.mark.parametrize(
    "text",
    [
        "A hand grenade was hurled into the compound of a school at night.",
        "Two men on a motorcycle lobbed a grenade at a mobile phone shop, wounding two.",
    ],
)
def test_a_hand_grenade_thrown_is_a_bombing_with_a_hand_weapon(text: str) -> None:
    got = classify(text)
    assert (got["attack_type"], got["weapon"]) == ("bombing", "firearms")


def test_a_listing_line_that_says_no_claim() -> None:
    text = (
        "Digest\n\n"
        "May 3 - Turbat (Balochistan): Gunmen fired on a van; one clerk killed.\n"
        "May 9 - Kohat (KP): IED struck a vehicle, leaving two dead. No claim.\n"
        "May 12 - Bannu (KP): A bomb went off at a market, wounding four. Police said it was timed.\n"
    )
    got = {i["city"]: (i["claimed"], i["perpetrator"]) for i in _incidents(text)}
    # the line's own "No claim."; the lines that name no group and tell no claim are unclaimed too
    assert got == {"Turbat": (False, None), "Kohat": (False, None), "Bannu": (False, None)}


def test_no_individual_or_group_has_claimed() -> None:
    from outrider.intel.classify import NO_CLAIM

    assert NO_CLAIM.search("no individual or group has yet claimed responsibility for the blast")
    assert NO_CLAIM.search("No organisation has so far claimed the attack")


def test_attacks_that_have_occasionally_taken_place_are_no_incident() -> None:
    text = (
        "Outlet\n\nA bomb went off near Turbat on Tuesday, wounding two. "
        "Kech has been calm since March 2027, but attacks with sticky bombs have occasionally taken place."
    )
    assert [(i["city"], i["date"]) for i in _incidents(text)] == [("Turbat", "2031-06-17")]


def test_a_press_release_header_with_its_place_of_issue_and_a_night_between_two_days() -> None:
    lines = ["GOVERNMENT OF THE PROVINCE", "HANDOUT No. 77                 Quetta, 19 June 2031", "Body"]
    assert find_published(lines, {2031}) == (date(2031, 6, 19), True)
    got = resolve_event_date("On the night between 9 and 10 June 2031, miscreants attacked a post.", None)
    assert (got.value, got.precision) == (date(2031, 6, 9), "day")


def test_a_targeted_killing_by_gunmen_is_an_assassination() -> None:
    got = classify("Gunmen shot dead a sub-inspector near his home in a targeted killing.")
    assert (got["attack_type"], got["target_type"]) == ("assassination", "police")


def test_a_name_near_which_an_attack_happened_takes_the_province_told_before() -> None:
    text = (
        "Outlet\n\nKech district has seen frequent violence. "
        "In March, gunmen shot dead two linemen near Sperkhwar, about 150 kilometres to the west."
    )
    got = [(i["city"], i["admin1"], i["date_precision"]) for i in _incidents(text)]
    assert got == [("Sperkhwar", "Balochistan", "month")]


def test_an_ambush_without_a_weapon_named_is_an_armed_assault() -> None:
    got = classify("In October fighters ambushed a checkpoint, killing three members of the local police.")
    assert got["attack_type"] == "armed_assault"


def test_a_weekday_or_a_month_is_never_a_told_town() -> None:
    from outrider.intel.gazetteer import known_name
    from outrider.intel.told_towns import told_in_report

    sentences = (
        "Four policemen were injured in a drone attack in Bannu district.",
        "The drone dropped a device in the courtyard of the police station at Saturday evening roll-call.",
        "A week before, the checkpost at March Gate was fired on.",
    )
    assert told_in_report(sentences, known_name) == {}


def test_a_landmark_named_after_another_town_is_no_site() -> None:
    text = "Constable killed\n\nBANNU: A bomber blew himself up near Kohat Chowk on Tuesday, killing two."
    assert [(i["city"], i["date"]) for i in _incidents(text)] == [("Bannu", "2031-06-17")]


@pytest.mark.parametrize(
    ("sentence", "city"),
    [
        # a city has quarters: the area is the city's
        ("On Monday militants attacked a post in the Zarkhel area of Quetta, killing two.", "Quetta"),
        # a small town's name alone names its district, whose areas lie far from the town
        ("On Monday militants attacked a post in the Zarkhel area of Chitral, killing two.", "Zarkhel"),
        # a small town told as a town or tehsil has the area
        ("On Monday militants attacked a post in the Zarkhel area of Chitral town, killing two.", "Chitral"),
        # an area near a town lies outside it: the town sites it, the gazetteer not knowing the area
        ("On Monday militants attacked a post in the Zarkhel area near Chitral, killing two.", "Chitral"),
    ],
)
def test_an_area_of_a_town_is_the_towns_only_where_the_town_has_quarters(sentence: str, city: str) -> None:
    assert [i["city"] for i in _incidents(f"Post attacked\n\n{sentence}")] == [city]


def test_that_day_is_the_day_the_sentence_before_writes_out() -> None:
    text = (
        "Fact check: the viral video\n\nA video shared since Sunday claims a blast killed twenty people in "
        "Sukkur. Our search led to footage aired on October 27, 2030, by channels in Thatta. That day a "
        "bomb exploded next to a police van near Thatta, killing two policemen."
    )
    got = {(i["city"], i["date"]) for i in _incidents(text, date(2031, 8, 6))}
    assert ("Thatta", "2030-10-27") in got


def test_a_court_named_after_a_city_district_is_in_the_city() -> None:
    text = "Court blast\n\nOn Monday a car bomb exploded at the Zarkhel district court complex in Karachi."
    assert [i["city"] for i in _incidents(text)] == ["Karachi"]
