"""When and where (issue 20, thirteenth round), on texts of our own."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.dates import resolve_event_date
from outrider.intel.extract import build_incidents
from outrider.intel.published import find_published

PUB = date(2031, 6, 19)  # a Thursday


def _records(text: str) -> list[tuple[object, ...]]:
    got = build_incidents(clean_text(text).lines, PUB)
    return [(r["city"], r["date"], r["date_precision"]) for r in got]


def test_an_attack_told_after_a_colon_that_counts_earlier_attacks_is_an_attack() -> None:
    text = (
        "Engineer killed in blast near Dasu\n\n"
        "A roadside bomb killed an engineer near Dasu on Tuesday, police said. "
        "The paper recalled earlier attacks on foreign staff in the same region: on July 14, 2021, a bus "
        "carrying workers to the same project plunged into a ravine after an explosion, killing 13 people."
    )
    assert ("Dasu", "2021-07-14", "day") in _records(text)
    # without the colon's attack, the count of earlier attacks stays no attack
    assert len(_records(text.split(": on July")[0] + ".")) == 1


def test_a_background_attack_told_in_the_passive_is_an_attack_at_the_reports_place() -> None:
    text = (
        "Rockets fired at Dasu camp\n\n"
        "Militants fired rockets at a camp near Dasu on Tuesday, wounding two workers. "
        "In July 2029, a bus carrying workers to the dam site was blown up on the highway, killing 13 people."
    )
    assert ("Dasu", "2029-07-01", "month") in _records(text)


def test_an_earlier_attack_told_by_its_noun_after_several_words_is_an_attack_at_the_reports_place() -> None:
    text = (
        "Chairman killed in Lakki Marwat blast\n\n"
        "LAKKI MARWAT: A tehsil chairman was killed when a sticky bomb attached to his car exploded in Lakki "
        "Marwat on Tuesday, police said.\n\n"
        "The chief minister condemned the attack. He also announced compensation for the injured.\n\n"
        "In November 2029, a local leader of a party was killed in a similar sticky bomb blast in the "
        "district, police recalled."
    )
    assert ("Lakki Marwat", "2029-11-01", "month") in _records(text)


def test_a_date_beside_the_documents_issue_number_in_a_long_header_line_is_its_publication() -> None:
    issue = "A newsletter for Chinese residents and their Pakistani colleagues | Issue No. 37"
    lines = [
        "PAK-CHINA FRIENDS' BULLETIN",
        issue + " | 10 September 2031",
        "Published by the Chinese Enterprises Association in Pakistan (Gwadar chapter) | English edition",
        "",
        "At about 7.50 in the morning of 3 September, a bomber struck a convoy. He was killed in 2029.",
    ]
    assert find_published(lines, {2029})[0] == date(2031, 9, 10)


def test_a_month_followed_after_an_attack_told_before_is_of_the_months_after_it() -> None:
    text = (
        "This week in history\n\n"
        "11 February 2030 - Militants attacked the police checkpost at Drosh, killing two constables. "
        "It was followed in June by the deadlier raid on the Frontier Corps post at Arandu, in which three "
        "soldiers were killed."
    )
    assert ("Arandu", "2030-06-01", "month") in _records(text)


def test_the_day_written_right_after_a_place_is_its_attacks_when_the_sentence_told_another_first() -> None:
    text = (
        "Roads and convoys\n\n"
        "The road is often attacked. The two episodes most cited are the ambush at Bagan on 21 November "
        "2024, in which gunmen fired on a convoy and 42 people were killed, and the ambush near Sadda on "
        "9 October 2030, in which twelve people were killed."
    )
    assert ("Sadda", "2030-10-09", "day") in _records(text)


def test_a_weekday_beside_the_publications_month_of_last_year_is_no_day_of_this_week() -> None:
    sentence = (
        "The cell had helped the bomber who attacked the mosque inside the police lines during Friday "
        "prayers in November last year, killing nine policemen."
    )
    when = resolve_event_date(sentence, date(2031, 11, 28))  # a Friday in November
    assert (when.value, when.precision) == (date(2030, 11, 1), "month")


def test_a_newsletters_story_told_first_without_a_day_is_of_last_weekdays_attack_its_lead_tells() -> None:
    text = (
        "FRIENDS' BULLETIN\n"
        "A newsletter for residents | Issue No. 12 | 19 June 2031\n"
        "Published by the residents' association (Gwadar chapter)\n\n"
        "IN THIS ISSUE: Safety after the harbour road attack - Spring gathering moved indoors\n\n"
        "Many of you have asked for a clear account of last Thursday's attack. Here is what the committee "
        "has confirmed with the district police.\n\n"
        "A man on foot approached the second vehicle of a convoy on the harbour road. When the escort tried "
        "to stop him, he blew himself up."
    )
    assert ("Gwadar", "2031-06-12", "day") in _records(text)  # PUB, a Thursday


def test_a_town_a_cleft_sentence_names_is_the_site_of_the_attack_its_where_clause_tells() -> None:
    text = (
        "Bomb hits convoy near Chilas\n\n"
        "A roadside bomb hit a police escort near Chilas on Tuesday, police said. "
        "Two years ago this month it was Bisham, a few hours' drive down the same highway, where a suicide "
        "bomber rammed his car into a convoy and killed five engineers."
    )
    assert ("Bisham", "2029-06-01", "month") in _records(text)


def test_towns_the_gazetteer_lacked_are_told_at_their_own_places() -> None:
    from outrider.intel.gazetteer import lookup

    for name, admin1, district in (
        ("Yecheng", "Xinjiang", "Kashgar"),
        ("Kargilik", "Xinjiang", "Kashgar"),
        ("Mashkel", "Balochistan", "Washuk"),
        ("Fort Munro", "Punjab", "Dera Ghazi Khan"),
        ("Rakhi Gaaj", "Punjab", "Dera Ghazi Khan"),
        ("Windar", "Balochistan", "Lasbela"),
    ):
        place = lookup(name)
        assert place is not None and (place.admin1, place.district) == (admin1, district)


def test_a_province_told_by_its_namesake_capital_after_a_town_of_it_is_the_towns_province() -> None:
    from outrider.intel.mentions import mentions_of

    sentence = (
        "- 23 Feb, Imam Sahib district, Kunduz: a small bomb hit a police checkpoint near the river road."
    )
    got = mentions_of(sentence, 0, date(2031, 3, 9), False)
    assert [m.place.name if m.place else None for m in got] == ["Imam Sahib"]
    # a town of the province and the capital named in clauses of their own are two places
    two = "A bomb hit a bus in Khanabad, Kunduz, and gunmen attacked a post in Kunduz city."
    assert [m.place.name if m.place else None for m in mentions_of(two, 0, date(2031, 3, 9), False)] == [
        "Khanabad",
        "Kunduz",
    ]


def test_gwadars_east_bay_expressway_is_a_site_of_gwadar() -> None:
    from outrider.intel.gazetteer import lookup

    place = lookup("East Bay Expressway")
    assert place is not None and (place.name, place.site) == ("Gwadar", "East Bay Expressway")


def test_a_when_clause_that_says_where_places_the_attack_told_after_it() -> None:
    from outrider.intel.mentions import mentions_of

    sentence = (
        "When the vehicle reached near Rakhi Gaj on the Dera Ghazi Khan-Fort Munro road, an improvised "
        "explosive device planted under a culvert was detonated by remote control."
    )
    got = mentions_of(sentence, 0, date(2031, 3, 9), False)
    assert [m.place.name if m.place else None for m in got] == ["Rakhi Gaj"]
