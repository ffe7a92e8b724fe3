"""Where an event happened (intel/sites.py, not_sites.py, small_towns.py), on sentences of our own: the most
specific place told near the attack, towns the gazetteer lacks that the report tells as towns, and places
that are not the site (a mission speaking, a distant hospital, another district's town)."""

import json
from datetime import date
from importlib import resources

import pytest

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.gazetteer import Place, find_places, known_name
from outrider.intel.not_sites import home_or_base, spoken_from, treated_far
from outrider.intel.sites import km_between
from outrider.intel.small_towns import told_point
from outrider.intel.told_towns import told_in_report, within

PUB = date(2031, 6, 19)  # a Thursday


def _incidents(text: str, published: date | None = PUB) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, published)


def _places(text: str) -> list[tuple[object, object]]:
    return [(i["city"], i["admin1"]) for i in _incidents(text)]


# --- the most specific place near the attack ---------------------------------------------------------


def test_a_town_told_in_the_sentence_after_a_province_is_the_site() -> None:
    text = (
        "Outlet\n\nA roadside bomb struck a convoy in Sindh province on Tuesday, police said.\n\n"
        "The device, planted beside the road near the town of Thatta, went off as the second vehicle passed."
    )
    assert _places(text) == [("Thatta", "Sindh")]


def test_a_town_of_another_province_told_after_is_not_the_site() -> None:
    text = (
        "Outlet\n\nA roadside bomb struck a convoy in Sindh province on Tuesday, police said.\n\n"
        "The device was like one used near Quetta last year."
    )
    assert [i["city"] for i in _incidents(text)] != ["Quetta"]


def test_a_sentence_telling_another_attack_ends_the_search() -> None:
    text = (
        "Outlet\n\nA roadside bomb struck a convoy in Sindh province on Tuesday, police said.\n\n"
        "On Wednesday gunmen attacked a shop in Kashmore.\n\n"
        "Traders in Thatta closed their shops."
    )
    assert ("Thatta", "Sindh") not in _places(text)


def test_a_checkpost_town_in_the_attack_sentence_refines_the_datelines_district() -> None:
    text = (
        "Outlet\n\nBAJAUR: Police foiled a suicide attack on a rally on Tuesday when a bomber, stopped at a "
        "checkpost in Khar, detonated his vest."
    )
    assert _places(text) == [("Khar", "Khyber Pakhtunkhwa")]


def test_a_district_event_does_not_take_a_town_of_another_district() -> None:
    text = (
        "Outlet\n\nBAJAUR: Police foiled a suicide attack on a rally on Tuesday when a bomber, stopped at a "
        "checkpost in Khar, detonated his vest.\n\nThe guards were taken to the District Hospital in Khar."
        "\n\n"
        "In a separate development, police in Charsadda said they had arrested two suspects and recovered "
        "explosives."
    )
    assert _places(text) == [("Khar", "Khyber Pakhtunkhwa")]


def test_within_is_by_country_province_and_district() -> None:
    district = Place(None, "Sindh", "PK", None, None, district="Thatta", kind="district")
    assert within(Place("X", "Sindh", "PK", None, None, district="Thatta"), district)
    assert within(Place("X", None, "PK", None, None), district)
    assert not within(Place("X", "Sindh", "PK", None, None, district="Sanghar"), district)
    assert not within(Place("X", "Punjab", "PK", None, None), district)
    assert not within(Place("X", None, "AF", None, None), district)
    assert not within(Place(None, "Sindh", "PK", None, None), district)


def test_km_between_needs_both_points() -> None:
    a = Place("A", None, "PK", 30.0, 70.0)
    assert km_between(a, Place("B", None, "PK", None, None)) is None
    km = km_between(a, Place("B", None, "PK", 31.0, 70.0))
    assert km is not None and 110 < km < 112


# --- places that are not the site --------------------------------------------------------------------


def test_a_mission_speaking_from_a_capital_is_not_a_site() -> None:
    sentence = "China's embassy in Islamabad said in a statement it condemned the attack."
    hit = next(h for h in find_places(sentence) if h.place.name == "Islamabad")
    assert spoken_from(sentence, hit)
    attacked = "Gunmen attacked the embassy in Islamabad on Monday."
    hit = next(h for h in find_places(attacked) if h.place.name == "Islamabad")
    assert not spoken_from(attacked, hit)


def test_a_hospital_told_as_far_away_is_never_the_site() -> None:
    for sentence in (
        "The injured were taken by road to a hospital in Hyderabad, about 90 km to the north-east.",
        "The injured were later airlifted to a hospital in Hyderabad.",
    ):
        hit = next(h for h in find_places(sentence) if h.place.name == "Hyderabad")
        assert treated_far(sentence, hit)
    near = "The injured were taken to a hospital in Hyderabad."
    hit = next(h for h in find_places(near) if h.place.name == "Hyderabad")
    assert not treated_far(near, hit)
    text = (
        "Outlet\n\nA bomb struck a convoy on Tuesday, killing two.\n\n"
        "The injured were taken by road to a hospital in Hyderabad, about 90 km to the north-east."
    )
    assert [i["city"] for i in _incidents(text)] != ["Hyderabad"]


# --- towns the gazetteer lacks that the report tells as towns ----------------------------------------


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Gunmen stormed a seminary in Qazbaro during prayers.", "Qazbaro"),
        ("Two policemen were killed on the outskirts of Qazbaro.", "Qazbaro"),
        ("Courts sentenced four men for the attacks in the cities of Qazbaro and Velmund.", "Velmund"),
        ("Qazbaro, a small town near the border, was calm.", "Qazbaro"),
        ("A convoy was hit near Qazbaro in the northwest.", "Qazbaro"),
        ("A convoy was hit near Qazbaro, about 40 km from the border.", "Qazbaro"),
        ("Troops raided the Qazbaro area of Kurram district.", "Qazbaro"),
        ("Militants attacked a post near Qazbaro, District Kurram, at night.", "Qazbaro"),
    ],
)
def test_a_name_told_as_a_town_is_a_town_of_the_province_named_nearest(sentence: str, name: str) -> None:
    sentences = ("Police in Balochistan said on Monday that security was raised.", sentence)
    got = told_in_report(sentences, known_name)
    assert name in got and got[name].admin1 in ("Balochistan", "Khyber Pakhtunkhwa")


@pytest.mark.parametrize(
    "sentence",
    [
        "Gunmen stormed a mosque in Qazbaro, in Peshawar's old city.",  # a quarter of a known town
        "Gunmen stormed a school in Qazbaro village of Kohat.",
        "Constable Qazbaro was killed near the market.",  # no cue: a person
        "Gunmen stormed a mosque in Qazbaro Khan's house.",  # not the whole name
        "Gunmen stormed a seminary near Madina Masjid, officials said.",  # a mosque's name
        "BANNU DISTRICT: Gunmen stormed a seminary on Tuesday.",  # a known town's dateline with its noun
        "Gunmen stormed a police post in the Kohat City bazaar.",  # a known town's name and a noun
        "Two were taken to the District Headquarters Hospital Kohat.",  # a hospital's name
        "A bomb was defused at the Velmund Coal Power Plant, District Kohat.",  # a plant's name
    ],
)
def test_a_name_not_told_as_a_town_of_its_own_is_left_alone(sentence: str) -> None:
    assert told_in_report(("Police in Balochistan were on alert.", sentence), known_name) == {}


@pytest.mark.parametrize("unit", ["district", "District"])
def test_a_district_no_gazetteer_holds_is_told_by_its_noun(unit: str) -> None:
    sentences = (
        "Gunmen attacked a mine in Badakhshan province.",
        f"The attack took place in Qazbaro {unit}.",
    )
    got = told_in_report(sentences, known_name)
    assert (got["Qazbaro"].admin1, got["Qazbaro"].kind) == ("Badakhshan", "district")
    text = "Outlet\n\nGunmen attacked a mine in Badakhshan province on Tuesday.\n\n" + sentences[1]
    assert _places(text) == [("Qazbaro", "Badakhshan")]


def test_an_official_address_sites_the_town_before_its_district() -> None:
    text = (
        "Outlet\n\nPolice said on Monday that gunmen attacked the Levies post at Qazbaro, District Kohat, "
        "killing a sepoy."
    )
    assert _places(text) == [("Qazbaro", "Khyber Pakhtunkhwa")]


def test_a_name_of_three_letters_is_a_town_only_where_the_words_say_so() -> None:
    told = ("Police in Balochistan were on alert.", "A grenade hit a cafe in the city of Vak on Friday.")
    assert "Vak" in told_in_report(told, known_name)
    loose = ("Police in Balochistan were on alert.", "A grenade hit a cafe in Vak on Friday.")
    assert told_in_report(loose, known_name) == {}


def test_a_told_name_without_any_province_in_the_report_is_left_alone() -> None:
    assert told_in_report(("Gunmen stormed a seminary in Qazbaro.",), known_name) == {}


def test_a_town_told_once_is_the_site_where_the_report_names_it_again() -> None:
    text = (
        "Outlet\n\nPESHAWAR: Traders of Qazbaro town in Khyber Pakhtunkhwa shut their shops on Monday.\n\n"
        "On Tuesday gunmen attacked a police post in Qazbaro, killing two constables."
    )
    assert _places(text) == [("Qazbaro", "Khyber Pakhtunkhwa")]


def test_a_told_town_outranks_a_project_it_works_for() -> None:
    text = "Outlet\n\nOn Tuesday a bomber struck engineers of the Dasu dam near Qazbaro in the northwest."
    assert [i["city"] for i in _incidents(text)] == ["Qazbaro"]


def _told_words() -> dict[str, list[str]]:
    raw = resources.files("outrider.intel").joinpath("data", "told_places.json").read_text(encoding="utf-8")
    words: dict[str, list[str]] = json.loads(raw)
    return words


@pytest.mark.parametrize("noun", _told_words()["settlements"])
def test_each_settlement_noun_tells_a_town(noun: str) -> None:
    sentence = f"Gunmen raided the {noun} of Qazbaro in Balochistan."
    assert "Qazbaro" in told_in_report((sentence,), known_name)


@pytest.mark.parametrize("noun", _told_words()["facilities"])
def test_each_facility_noun_tells_the_town_it_stands_in(noun: str) -> None:
    sentence = f"Gunmen raided a {noun} in Qazbaro in Balochistan."
    assert "Qazbaro" in told_in_report((sentence,), known_name)
    # the noun is what tells it: the same name after a verb is no town
    assert told_in_report(("Gunmen raided Qazbaro in Balochistan.",), known_name) == {}


# --- names inside other names --------------------------------------------------------------------------


def test_a_town_opening_a_companys_name_gives_way_to_the_place_named() -> None:
    text = (
        "Outlet\n\nGunmen attacked a convoy of Sui Southern Gas Company employees on Tuesday in Dera Bugti "
        "district, killing two."
    )
    assert [i["city"] for i in _incidents(text)] == ["Dera Bugti"]
    bank = "Outlet\n\nOn Tuesday a bomber struck outside a branch of the Quetta Bank in Kohat, killing two."
    assert [i["city"] for i in _incidents(bank)] == ["Kohat"]


def test_an_organisations_building_is_still_in_its_town() -> None:
    text = "Outlet\n\nGunmen stormed the Karachi Electric Supply Corporation office on Tuesday, killing four."
    assert [i["city"] for i in _incidents(text)] == ["Karachi"]


def test_the_towns_a_line_joins_stand_for_their_province_only() -> None:
    text = "Outlet\n\nMilitants blew up a pylon of the Quetta-Nushki transmission line on Tuesday."
    assert _places(text) == [(None, "Balochistan")]


@pytest.mark.parametrize(
    ("sentence", "town"),
    [
        ("A bomb exploded on Tuesday in Qazbaro, the main town of Kech district, killing two.", "Qazbaro"),
        ("A bomb exploded on Tuesday in the Qazbaro bazaar, Kech district, killing two.", "Qazbaro"),
    ],
)
def test_a_town_told_by_apposition_or_its_bazaar_is_the_site(sentence: str, town: str) -> None:
    assert _places(f"Outlet\n\n{sentence}") == [(town, "Balochistan")]


# --- a dateline's town the gazetteer lacks --------------------------------------------------------------


@pytest.mark.parametrize(
    "opening",
    ["QAZBARO: A bomb exploded", "QAZBARO (Our Correspondent) - A bomb exploded"],
)
def test_a_datelines_town_is_the_site_of_a_recent_attack_in_the_district_it_names(opening: str) -> None:
    text = f"Outlet\n\n{opening} in the main bazaar on Tuesday, killing two, police in Kech district said."
    assert _places(text) == [("Qazbaro", "Balochistan")]


@pytest.mark.parametrize("word", _told_words()["not_datelines"])
def test_a_paragraphs_label_is_no_dateline_town(word: str) -> None:
    sentence = f"{word.upper()}: A bomb exploded in Kech district on Tuesday, killing two."
    assert told_in_report((sentence,), known_name) == {}


# --- a victim's home and where the dead were taken -------------------------------------------------------


@pytest.mark.parametrize(
    "before",
    [
        "The bodies were sent to their native village of ",
        "The bodies of the two men were later shifted to ",
        "He was buried in his home town, ",
        "The attackers escaped towards the ",
        "the rest fled into ",
        "The group claimed the attack in an email sent to journalists in ",
        "in a statement e-mailed to reporters in Sibi and ",
    ],
)
def test_a_home_or_where_bodies_were_sent_is_no_site(before: str) -> None:
    assert home_or_base(before)


def test_a_victims_native_village_is_no_town_of_the_report() -> None:
    sentences = (
        "Gunmen shot dead two labourers in Kech district on Tuesday.",
        "The bodies were sent to their native village of Qazbaro in Punjab.",
    )
    assert told_in_report(sentences, known_name) == {}


def test_where_bodies_were_sent_is_no_site() -> None:
    text = "Outlet\n\nGunmen shot dead two labourers on Tuesday. The bodies were sent to Multan."
    assert [i["city"] for i in _incidents(text)] != ["Multan"]


# --- a town as an adjective of people ---------------------------------------------------------------------


@pytest.mark.parametrize("noun", _told_words()["people"])
def test_a_town_qualifying_people_is_who_not_where(noun: str) -> None:
    text = f"Outlet\n\nTwo Karachi {noun} were shot dead in Hub on Tuesday."
    assert [i["city"] for i in _incidents(text)] == ["Hub"]


def test_a_town_based_people_are_who_and_a_towns_site_is_still_where() -> None:
    based = "Outlet\n\nTwo Peshawar-based journalists were shot dead in Charsadda on Tuesday."
    assert [i["city"] for i in _incidents(based)] == ["Charsadda"]
    # the town before a site's noun is where: "the Gwadar port" is no adjective of people
    site = "Outlet\n\nGunmen attacked the Gwadar port on Tuesday, officials in Turbat said."
    assert [i["city"] for i in _incidents(site)] == ["Gwadar"]


def test_a_quarter_no_gazetteer_holds_gives_way_to_the_town_it_lies_in() -> None:
    text = (
        "Outlet\n\nQAZBARO (Sindh) - A bomb went off on Tuesday in the Lalpur area of Qazbaro tehsil, "
        "killing a shopkeeper, police said."
    )
    assert _places(text) == [("Qazbaro", "Sindh")]


def test_a_named_site_or_a_district_keeps_its_point() -> None:
    mine = Place(None, "Balochistan", "PK", 29.2, 61.6, district="Chagai", site="Copper Mine", kind="mine")
    assert told_point(mine) == {"lat": 29.2, "lon": 61.6}
    district = Place(None, "Balochistan", "PK", 29.0, 64.0, district="Chagai", kind="district")
    assert told_point(district) == {"lat": 29.0, "lon": 64.0}  # its seat's, or its valley's ("in Tangir")
    province = Place(None, "Balochistan", "PK", 28.5, 65.0, kind="admin1")
    assert told_point(province) == {"lat": None, "lon": None}  # a province is no point


@pytest.mark.parametrize(
    "sentence",
    [
        "A bomb stuck to a minibus exploded in the Bolan area of Lashkar Gah city.",
        "Lashkar Gah, Helmand: a bomb stuck to a minibus exploded in the Bolan area; 3 killed.",
    ],
)
def test_a_quarter_named_like_a_far_site_is_the_towns(sentence: str) -> None:
    assert [h.place.name for h in find_places(sentence)][:1] == ["Lashkar Gah"]
    assert all(h.place.country == "AF" for h in find_places(sentence))


def test_the_site_told_as_an_area_near_a_town_of_its_own_country_stays() -> None:
    names = [
        h.place.site or h.place.name for h in find_places("A bomb hit a train in the Bolan area near Mach.")
    ]
    assert names == ["Bolan Pass", "Mach"]


def test_a_district_seat_then_a_town_of_its_district_in_a_rows_cells_is_at_the_town() -> None:
    # a data set's row: the district told by its seat, then the town within it
    row = "EV-0530 | 2031-06-12 | PK | Sindh | Thatta | Jhimpir | gunmen attacked a wind farm; two killed."
    assert _places(row) == [("Jhimpir", "Sindh")]
    # a town of another district after it is not within it: the first stays
    other = (
        "EV-0531 | 2031-06-13 | PK | Sindh | Thatta | Hyderabad | gunmen attacked a bank; two guards killed."
    )
    assert _places(other)[0][0] == "Thatta"


def test_a_train_told_just_after_the_town_it_passed_is_no_second_site() -> None:
    passed = (
        "In May, a blast blew off a portion of the track near Jacobabad shortly before the Jaffar Express "
        "was due to pass; no one was hurt."
    )
    assert [h.place.name for h in find_places(passed)] == ["Jacobabad"]
    # the town the train was bound for is its route's end, not where it passed: the train stays
    bound = "A blast hit the Quetta-bound Jaffar Express, killing two passengers."
    assert [h.place.site for h in find_places(bound) if h.place.kind == "train"] == ["Jaffar Express"]
