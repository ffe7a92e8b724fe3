"""Rules of the sixth pass (issue 20, a new development set read), on sentences of our own: datelines and
header labels that date a report, summaries of numbered incidents, pages of stamped bulletins."""

from datetime import date

import pytest

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.listings import as_headings, stamp_days
from outrider.intel.published import find_published

PUB = date(2031, 6, 19)  # a Thursday


def _incidents(text: str, published: date | None = PUB) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, published)


# --- publication: datelines and header labels ---------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "want"),
    [
        # a dateline on a line of its own, with the desk after it and two towns
        ("TURBAT / PASNI, March 4, 2031 (Our Correspondent)", date(2031, 3, 4)),
        # the desk between the town and the date
        ("HUB (Staff Report), July 9, 2031: Gunmen fired on a bus on Monday.", date(2031, 7, 9)),
        # a town's name as a name, with its year's date and the agency
        ("Sukkur, October 2, 2031 (Agency): Police said a bomb went off.", date(2031, 10, 2)),
        # an outlet and its town of issue, the date beside it
        ("Daily Voice (English edition) | MASTUNG, 13 March 2031", date(2031, 3, 13)),
        ("Evening Star (translated) | Kalat, 8 April 2031 / a date of another calendar", date(2031, 4, 8)),
    ],
)
def test_a_dateline_or_a_header_with_its_town_of_issue_dates_the_report(line: str, want: date) -> None:
    assert find_published(["A headline", line, "Body text."], {2029}) == (want, True)


@pytest.mark.parametrize(
    "line",
    [
        "Sunday, January 19, 2031",  # a weekday is no town: a page banner, judged as such
        "Daily Voice | Login | Mastung, 13 March 2031",  # the site's furniture
        "Daily Voice | Hamlet, 13 March 2031",  # a word that is no known town
    ],
)
def test_a_weekday_or_the_sites_furniture_is_no_dateline(line: str) -> None:
    assert find_published(["A headline", line, "Body text."], {2029}) == (None, False)


def test_the_dateline_is_no_event_date_of_the_attack_told_after_it() -> None:
    text = "Bus attacked\n\nHUB (Staff Report), June 19, 2031: Gunmen fired on a bus near Hub on Monday."
    assert [(i["date"], i["city"]) for i in _incidents(text)] == [("2031-06-16", "Hub")]


# --- a summary's numbered incidents -----------------------------------------------------------------------


def test_a_summary_item_opening_with_place_and_date_is_headed_by_them() -> None:
    line = "(b) Turbat, 23 April 2031. A bomb went off in the market. Two people died."
    assert as_headings((line,)) == (
        "    Turbat, 23 April 2031: A bomb went off in the market. Two people died.",
    )
    assert as_headings(("3. Kech district, 2 May 2031. Gunmen fired on a van.",))[0].startswith(
        "   Kech district, 2 May 2031: "
    )
    # a sentence that merely opens with a town and a date is left as it is
    assert as_headings(("Turbat, 23 April 2031, was calm.",)) == ("Turbat, 23 April 2031, was calm.",)


def test_each_item_of_a_summary_is_its_own_incident_at_its_headings_place() -> None:
    text = (
        "Quarterly summary\n\nThe quarter saw attacks across Kech, Panjgur and Kalat.\n\n"
        "(a) Turbat, 5 April 2031. Attackers opened fire on a check post on the outskirts of the town. "
        "One guard was killed.\n\n"
        "(b) Kalat district, 12 May 2031. Gunmen stopped a coach on the highway near Xyzabad and fired on "
        "passengers. Three passengers were killed.\n\n"
        "(c) Panjgur, 2 June 2031. Two pylons were destroyed with explosives. There were no casualties."
    )
    got = [(i["date"], i["city"], i["killed"]) for i in _incidents(text, date(2031, 7, 15))]
    assert got == [("2031-04-05", "Turbat", 1), ("2031-05-12", "Kalat", 3), ("2031-06-02", "Panjgur", 0)]


@pytest.mark.parametrize(
    "phrase", ["were blown up", "were destroyed with explosives", "were damaged with explosives"]
)
def test_infrastructure_blown_up_or_destroyed_with_explosives_is_an_attack(phrase: str) -> None:
    incs = _incidents(f"Towers down\n\nOn Tuesday two towers near Panjgur {phrase}. No one was hurt.")
    assert [(i["date"], i["city"]) for i in incs] == [("2031-06-17", "Panjgur")]
    assert _incidents("Towers\n\nOn Tuesday two towers near Panjgur were inspected. No one was hurt.") == []


# --- a page of stamped bulletins --------------------------------------------------------------------------


def test_each_bulletin_counts_its_relative_dates_from_its_own_stamp() -> None:
    lines = (
        "Live page",
        "@Desk · Jun 17, 2031 · 8:05 AM",
        "TURBAT: Gunmen fired on a check post late last night. One guard was killed.",
        "@Desk · Jun 18, 2031 · 11:30 AM",
        "PANJGUR: Attackers opened fire on a Levies post early this morning. One sepoy died.",
    )
    assert stamp_days(lines) == [
        None,
        date(2031, 6, 17),
        date(2031, 6, 17),
        date(2031, 6, 18),
        date(2031, 6, 18),
    ]
    got = [(i["date"], i["city"]) for i in build_incidents(lines, None)]
    assert got == [("2031-06-16", "Turbat"), ("2031-06-18", "Panjgur")]


def test_one_stamp_is_a_reports_own_time_not_a_page_of_bulletins() -> None:
    assert stamp_days(("Report", "Jun 17, 2031 · 8:05 AM", "Body.")) == [None, None, None]


# --- places that are not the site: homes, bases, the hospital where a victim died ---------------------------


@pytest.mark.parametrize(
    "home",
    [
        "Sepoy A (aged 22, resident of District Attock)",
        "Sepoy A, a resident of Mardan,",
        "Sepoy A, who hailed from Kohat,",
        "Sepoy A, a native of Swabi,",
    ],
)
def test_a_victims_home_is_not_the_site(home: str) -> None:
    text = f"Convoy hit\n\nOn Tuesday a roadside bomb hit a convoy in a remote area. {home} was killed."
    assert _incidents(text) == []
    text = f"Convoy hit\n\nOn Tuesday a roadside bomb hit a convoy in Bannu. {home} was killed in the blast."
    assert [i["city"] for i in _incidents(text)] == ["Bannu"]


def test_where_an_actor_is_based_is_not_a_site() -> None:
    text = (
        "Bomber's hosts named\n\nThe bomber who attacked a police station in Bannu on June 8 had been "
        "sheltered by two men, police said. The bomber had arrived in the area a month before the attack, "
        "which was planned by a commander based in Afghanistan's Paktika province."
    )
    assert [(i["city"], i["admin1"]) for i in _incidents(text)] == [("Bannu", "Khyber Pakhtunkhwa")]


def test_the_district_of_a_place_no_gazetteer_holds_places_the_attack() -> None:
    text = (
        "Convoy hit\n\nOn 7 June 2031, militants targeted a convoy with a roadside bomb in the general area "
        "of Xyzkot, Tank District, while it was moving towards the border."
    )
    assert [(i["date"], i["city"]) for i in _incidents(text)] == [("2031-06-07", "Tank")]


@pytest.mark.parametrize(
    "death",
    [
        "succumbed to his wounds at the Chandka Medical College Teaching Hospital in Larkana on Tuesday",
        "died of his wounds in the evening after hours of surgery in a Larkana hospital on Tuesday",
        "died of his wounds in the evening after hours of surgery at CMH Larkana on Tuesday",
    ],
)
def test_the_town_where_a_victim_died_in_hospital_is_no_second_site(death: str) -> None:
    text = (
        "Kashmore post attack: constable succumbs, toll rises to three\n\n"
        f"One more policeman injured in the attack on the post {death}, raising the toll to three. "
        "He had been shot when gunmen opened fire on the post early on Sunday."
    )
    # one record, at the post's town (the day of the death, told far from "succumbed", is a matter of dates)
    assert [i["city"] for i in _incidents(text)] == ["Kashmore"]


def test_a_hospital_the_wounded_were_taken_to_may_still_be_the_attacks_town() -> None:
    text = (
        "Bomber stopped\n\nA bomber blew himself up at a checkpost on Monday. "
        "Two constables were injured and taken to the District Hospital in Kashmore."
    )
    assert [(i["date"], i["city"]) for i in _incidents(text)] == [("2031-06-16", "Kashmore")]


@pytest.mark.parametrize(
    "line", ["Quetta-Nushki-Dalbandin transmission line", "Sukkur-Jacobabad gas pipeline"]
)
def test_the_towns_a_line_or_pipeline_joins_are_not_the_site(line: str) -> None:
    text = f"Towers down\n\nNUSHKI: Militants blew up two towers of the {line} near Xyzabad late last night."
    assert [(i["date"], i["city"]) for i in _incidents(text)] == [("2031-06-18", "Noshki")]


def test_a_courts_death_sentences_for_an_old_bombing_are_no_new_attack() -> None:
    text = (
        "Two sentenced\n\nAn anti-terrorism court in Multan on Monday handed down death sentences to two men "
        "for the bomb blast at a shrine, while a third accused was acquitted."
    )
    assert _incidents(text) == []


# --- names and negations ---------------------------------------------------------------------------------


def test_a_known_town_whose_name_opens_with_a_curated_alias_is_that_town() -> None:
    from outrider.intel.gazetteer import find_places

    assert [h.place.name for h in find_places("a guard was shot dead in Pindi Gheb")] == ["Pindi Gheb"]
    assert [h.place.name for h in find_places("a guard was shot dead in Pindi")] == ["Rawalpindi"]
    assert [h.place.name for h in find_places("a bomb went off in Dera Ismail Khan")] == ["Dera Ismail Khan"]


def test_a_state_action_that_did_not_happen_leaves_the_attack_an_incident() -> None:
    text = "Debate\n\nLast year a constable was shot dead in Quetta, and the killers have still not been {}."
    assert [i["city"] for i in _incidents(text.format("arrested"))] == ["Quetta"]
    assert (
        _incidents(
            "Debate\n\nLast year a constable was shot dead in Quetta, and police arrested the killers."
        )
        == []
    )


def test_a_small_place_told_in_a_district_stands_at_the_districts_town() -> None:
    text = "Towers down\n\nMilitants blew up two towers near Xyzabad in Kharan district on Tuesday."
    (inc,) = _incidents(text)
    assert (inc["date"], inc["city"], inc["admin1"]) == ("2031-06-17", "Xyzabad", "Balochistan")
    kharan = _incidents("Towers down\n\nMilitants blew up two towers in Kharan on Tuesday.")[0]
    assert (inc["lat"], inc["lon"]) == (kharan["lat"], kharan["lon"]) != (None, None)


def test_a_small_place_at_a_towns_coordinates_links_with_that_town() -> None:
    from outrider.intel.gazetteer import lookup
    from outrider.intel.linking import places_compatible

    kharan = lookup("Kharan")
    assert kharan is not None
    town = {"country": "PK", "admin1": "Balochistan", "city": "Kharan", "lat": kharan.lat, "lon": kharan.lon}
    told = {**town, "city": "Xyzabad"}
    assert places_compatible(town, told) and places_compatible(told, town)
    assert not places_compatible(town, {**told, "lat": 28.9})
    # two names no gazetteer holds, both standing at the district's town, are not thereby one place
    assert not places_compatible(told, {**told, "city": "Abcabad"})


def test_a_police_station_named_by_a_town_in_a_district_is_at_that_town() -> None:
    text = (
        "Station attacked\n\nA suicide bomber blew himself up at the gate of the Xyzabad police station in "
        "Dera Ismail Khan district on Tuesday night, killing four policemen."
    )
    (inc,) = _incidents(text)
    assert (inc["date"], inc["city"], inc["admin1"]) == ("2031-06-17", "Xyzabad", "Khyber Pakhtunkhwa")
    # a station named by a known town or told without the district it lies in is left as it was
    assert [i["city"] for i in _incidents(text.replace("Xyzabad", "Bannu"))] == ["Bannu"]
    assert [i["city"] for i in _incidents(text.replace(" in Dera Ismail Khan district", ""))] == []


def test_a_town_told_sentences_after_its_district_lies_in_that_district() -> None:
    text = (
        "Convoy hit\n\nA roadside bomb struck a convoy of engineers in Kharan district of Balochistan on "
        "Tuesday, killing a guard. The embassy condemned the attack. It asked for better protection. "
        "Officials thanked the guards. According to officials, the blast took place close to Xyzabad town."
    )
    (inc,) = _incidents(text)
    assert (inc["date"], inc["city"], inc["admin1"]) == ("2031-06-17", "Xyzabad", "Balochistan")
