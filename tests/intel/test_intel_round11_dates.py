"""Dates of reports of kinds the extractor had not met (issue 20, eleventh round), on texts of our own: a
day told after an attack's noun in a sentence that opens with what followed it."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.dated_clauses import day_after_noun
from outrider.intel.dates import resolve_event_date
from outrider.intel.extract import build_incidents
from outrider.intel.published import without_dateline

PUB = date(2031, 6, 21)  # a Saturday


def _dates(text: str) -> list[tuple[object, object]]:
    return [(r["date"], r["city"]) for r in build_incidents(clean_text(text).lines, PUB)]


def test_a_day_written_after_the_attacks_noun_is_the_attacks() -> None:
    text = (
        "Strike in Quetta\n\nA shutter-down strike was observed in Mastung on Saturday against the killing "
        "of four labourers in an attack on a camp near Mastung on Thursday night, traders said."
    )
    assert _dates(text) == [("2031-06-19", "Mastung")]


def test_a_later_day_after_the_noun_is_what_followed() -> None:
    sentence = "Gunmen attacked a post on Thursday; the attack on the post was condemned on Saturday."
    when = resolve_event_date(sentence, PUB)
    assert when.value == date(2031, 6, 19)
    assert day_after_noun(sentence, when, lambda s: resolve_event_date(s, PUB)) is None


def test_a_day_far_after_the_noun_is_not_the_attacks() -> None:
    sentence = (
        "On Saturday the elders spoke against the attack, which they said had been planned for months by men "
        "who came from the hills on Thursday."
    )
    when = resolve_event_date(sentence, PUB)
    assert day_after_noun(sentence, when, lambda s: resolve_event_date(s, PUB)) is None


def test_a_messages_subject_field_is_no_dateline_town() -> None:
    text = (
        "CLIENT BULLETIN PV/AF-2031/07\n\n"
        "SUBJECT: ATTACK ON MINING CAMP, TAKHAR PROVINCE - NOTIFICATION\n\n"
        "On the night of Thursday 19 June gunmen attacked the camp of a gold mine in Takhar province, "
        "killing three guards."
    )
    assert all(city != "Subject" for _, city in _dates(text))


def test_a_weekdays_part_of_day_before_the_attack_names_the_attacks_day() -> None:
    sentence = (
        "The death toll from Thursday morning's suicide attack on a convoy near Port Qasim rose to four on "
        "Saturday after a soldier died of his wounds."
    )
    assert resolve_event_date(sentence, PUB).value == date(2031, 6, 19)
    night = "The toll from Friday night's bombing of the market rose to nine on Saturday."
    assert resolve_event_date(night, PUB).value == date(2031, 6, 20)


def test_a_desks_day_without_its_year_dates_no_event() -> None:
    text = (
        "Citizen killed in drone attack on camp\n\n"
        "DUSHANBE, 21 June (Agency). — One worker was killed in a drone attack on a camp in the Shahritus "
        "district, the press centre said.\n\n"
        "On the night of 19 June a quadcopter dropped its charge on the camp of a road company in Shahritus."
    )
    assert [d for d, _ in _dates(text)] == ["2031-06-19"]
    assert without_dateline("QUETTA, March 14 (APP): Gunmen") == " " * 24 + "Gunmen"
    told = "Gunmen attacked the post on Tuesday, March 14: police said"
    assert without_dateline(told) == told  # no desk's town in capitals: a sentence


def test_an_issue_cited_by_its_page_dates_no_event() -> None:
    sentence = (
        'Our report "Fourth soldier dies after Jandola post attack" (June 19, page 1) wrongly stated that '
        "the post was attacked on the night of June 17."
    )
    assert resolve_event_date(sentence, PUB).value == date(2031, 6, 17)


def test_a_journeys_ends_are_no_site_where_the_sentence_names_another() -> None:
    text = (
        "Convoy attacked\n\nYesterday the convoy that left Parachinar for Thall at eleven in the morning was "
        "fired upon near Sadda, killing eleven passengers."
    )
    assert _dates(text) == [("2031-06-20", "Sadda")]
    alone = "Convoy attacked\n\nYesterday gunmen fired on a convoy that had left Parachinar, killing eleven."
    assert [city for _, city in _dates(alone)] == ["Parachinar"]  # no other town: the journey's start stays
