"""When and where of incidents in reports of kinds the extractor had not met (issue 20, twelfth round), on
texts of our own: a header's date field, and a dated report's main story told with no time at all."""

from datetime import date

import pytest

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.gazetteer import find_places
from outrider.intel.mentions import site_hits
from outrider.intel.published import find_published

PUB = date(2031, 6, 21)  # a Saturday


def _records(text: str, published: date | None = PUB) -> list[tuple[object, object]]:
    return [(r["date"], r["city"]) for r in build_incidents(clean_text(text).lines, published)]


@pytest.mark.parametrize(
    "header",
    [
        "Venue: Police Lines, Kohat. Date: Monday, 16.06.2031. Time: 1130 hrs.",
        "Date: 16 June 2031 | From: Risk Practice | To: Policyholders",
        "Channel: Evening News   Date: Monday 16 June 2031   Shift: Night desk",
        "Monthly edition - May 2031 (issued 16 June 2031)",
        "Incident: Blast on the railway line near Sibi Report time: 07:00 PKT, Monday 16 June 2031",
    ],
)
def test_a_headers_date_field_is_the_publication(header: str) -> None:
    lines = ["SITUATION REPORT", header, "The attack was carried out in 2029, the police said."]
    assert find_published(lines, {2029}) == (date(2031, 6, 16), True)


def test_a_date_written_inside_a_sentence_is_no_date_field() -> None:
    lines = ["REPORT", "The officer said the date: 16 June 2031 was chosen for the hearing."]
    assert find_published(lines, set()) == (None, False)


def test_a_dated_reports_main_story_told_without_time_is_the_days_news() -> None:
    text = (
        "TICKER LOG\n\n"
        "21:52  BREAKING: Loud explosion heard near Sibi on the railway line\n"
        "22:11  Sibi blast: two people killed, 11 injured, says hospital source"
    )
    assert _records(text) == [("2031-06-21", "Sibi")]
    assert _records(text, None) == [(None, "Sibi")]  # no day to give it


def test_a_logs_lines_timed_by_four_figures_are_items_of_the_reports_day() -> None:
    text = (
        "DAILY SECURITY BRIEF\n\nINCIDENT LOG (one line per incident; times PKT)\n"
        "- BALOCHISTAN / Quetta / Jinnah Road - 1915 - Grenade hurled at a shop from a passing motorcycle. "
        "0 KIA, 2 WIA.\n"
        "- AFGHANISTAN / Kabul / Karte Parwan - 1630 local - Sticky bomb attached to a private car exploded "
        "while parked. No casualties reported.\n"
    )
    assert sorted(_records(text)) == [("2031-06-21", "Kabul"), ("2031-06-21", "Quetta")]


@pytest.mark.parametrize(
    ("sentence", "town", "district"),
    [
        ("Gunmen fired at the gate of a wind farm in Jhimpir.", "Jhimpir", "Thatta"),
        ("Militants attacked the police checkpost at Drosh.", "Drosh", "Lower Chitral"),
        ("A bomb struck a police vehicle near Ayun.", "Ayun", "Lower Chitral"),
        ("An IED hit a Levies patrol near Wadh on the N-25.", "Wadh", "Khuzdar"),
        ("A magnetic bomb went off in Komila bazaar.", "Komila", "Upper Kohistan"),
        ("Gunmen blocked the highway near Manguchar.", "Mangochar", "Kalat"),
        ("A mobile tower was torched in Tump.", "Tump", "Kech"),
    ],
)
def test_towns_of_the_corridor_the_gazetteer_now_holds(sentence: str, town: str, district: str) -> None:
    (hit,) = [h for h in find_places(sentence) if not h.is_region]
    assert (hit.place.name, hit.place.district, hit.place.lat is not None) == (town, district, True)


def test_mihtarlam_is_mehtar_lam() -> None:
    (hit,) = find_places("A magnetic bomb exploded in Mihtarlam.")
    assert (hit.place.name, hit.place.admin1) == ("Mehtar Lam", "Laghman")


def test_an_officials_district_is_no_site() -> None:
    sentence = (
        "According to the Senior Superintendent of Police Thatta, gunmen opened fire at the gate of a wind "
        "power project near Jhimpir, and Deputy Commissioner Thatta visited the injured."
    )
    assert [h.place.name for h in site_hits(sentence, {})] == ["Jhimpir"]


def test_a_log_heads_town_within_the_district_it_names_by_its_seat_is_the_site() -> None:
    text = (
        "DAILY SECURITY BRIEF\n\nINCIDENT LOG\n"
        "- BALOCHISTAN / Khuzdar / near Wadh - 2230 - IED detonated against a Levies patrol vehicle on the "
        "N-25. 1 KIA.\n"
        "- BALOCHISTAN / Quetta / Jinnah Road - 1915 - Grenade hurled at a shop. 0 KIA, 2 WIA.\n"
    )
    assert sorted(_records(text)) == [("2031-06-21", "Quetta"), ("2031-06-21", "Wadh")]


def test_a_town_set_beside_the_sites_name_at_the_sentences_end_is_the_attacks_place() -> None:
    text = (
        "DAILY EMERGENCY REPORT\n\n"
        "Call received 22:51 from the police: terrorist attack at Police Post Bangla Ichha, kacha area, "
        "Tehsil Rojhan."
    )
    assert _records(text) == [("2031-06-21", "Rojhan")]


def test_a_clause_opening_with_a_full_day_of_its_own_tells_another_attack() -> None:
    text = (
        "CONVOY ATTACKED\n\n"
        "Earlier attacks hit the region: on July 14, 2021, a bus carrying workers to the Dasu hydropower "
        "project plunged into a ravine after an explosion, killing 13; and on March 26, 2024, a suicide "
        "bomber rammed a car into a convoy near Bisham, killing six."
    )
    assert _records(text) == [("2024-03-26", "Bisham")]  # the bus's clause names no town: no record


def test_a_time_told_of_the_attacks_noun_is_its_time_over_a_later_day_the_sentence_writes() -> None:
    text = (
        "PRODUCTION RESUMES\n\n"
        "After a suspension of nearly three weeks following last month's attack on our staff convoy near "
        "Dalbandin, the smelter returned to full capacity on 3 June."
    )
    assert _records(text) == [("2031-05-01", "Dalbandin")]


def test_a_town_that_has_seen_attacks_places_the_dated_one_told_next() -> None:
    text = (
        "GUESTHOUSE ATTACK\n\n"
        "Gunmen attacked a guesthouse in Peshawar on Friday, killing two.\n\n"
        "Kabul has seen sporadic bombings despite a broad decline in violence. In May, a sticky bomb "
        "attached to a minibus on the airport road killed two people."
    )
    assert ("2031-05-01", "Kabul") in _records(text)


def test_an_items_written_day_dates_a_weekday_counted_from_another_day() -> None:
    text = (
        "THIS WEEK IN HISTORY\n\n"
        "13 February 2017 — A suicide bomber blew himself up among protesters in Lahore, killing 13.\n\n"
        "16 February 2017 — Three days after the Lahore bombing, a suicide bomber struck the shrine in "
        "Sehwan during the Thursday dhamaal, killing more than 80 devotees.\n"
    )
    assert {day for day, _ in _records(text)} == {"2017-02-13", "2017-02-16"}  # not a Thursday of 2031


def test_a_clause_placing_the_attack_by_a_direction_from_a_town_says_where() -> None:
    text = (
        "TRAINS SUSPENDED\n\n"
        "This section was also targeted on 21 August 2030, south of Sibi, when an explosion damaged the "
        "track."
    )
    assert _records(text) == [("2030-08-21", "Sibi")]


def test_the_entrance_to_a_town_is_where_not_a_destination() -> None:
    hits = find_places("Militants attacked the police checkpost at the entrance to Drosh after midnight.")
    assert [h.place.name for h in hits] == ["Drosh"]
    assert find_places("The convoy was travelling to Drosh when it was stopped.") == []
