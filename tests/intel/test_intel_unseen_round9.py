"""Reports of kinds the extractor had not met (issue 20, ninth round), on texts of our own."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents

PUB = date(2031, 6, 19)  # a Thursday


def _records(text: str) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, PUB)


def test_a_separate_event_at_the_same_town_and_day_is_not_the_attack_told_before() -> None:
    text = (
        "Post attacked\n\n"
        "KHARAN: Gunmen fired on a police post in Kharan on Tuesday, killing three policemen.\n\n"
        "Separately, a roadside bomb wounded two shepherds in Kharan on Tuesday, police said."
    )
    records = [(r["date"], r["city"], r["attack_type"], r["killed"], r["wounded"]) for r in _records(text)]
    assert records == [
        ("2031-06-17", "Kharan", "armed_assault", 3, None),
        ("2031-06-17", "Kharan", "bombing", None, 2),
    ]


def test_the_pages_own_date_under_its_masthead_heads_no_listing() -> None:
    text = (
        "VALLEY VOICES | Interviews\n"
        "Thursday, June 19, 2031\n"
        '"We heard the buzzing, then the roof came down": a guard remembers the night the post was hit\n'
        "On the night of Monday, June 16, a quadcopter dropped explosives on the police post in Kharan. "
        "Two policemen were killed and three were wounded.\n"
        "Related on Valley Voices\n"
        "- Kharan: traders hold a peace march in the bazaar\n"
        "- Quetta: students debate roads and trade"
    )
    records = [(r["date"], r["city"], r["killed"], r["wounded"]) for r in _records(text)]
    assert records == [("2031-06-16", "Kharan", 2, 3)]


def test_the_killing_mourned_days_later_is_the_attack_told_before() -> None:
    text = (
        "Councillor shot dead\n\n"
        "KHARAN: A councillor was shot dead on Monday when gunmen opened fire on his car in Kharan.\n\n"
        "The killing was condemned by the members of the Kharan district council, who observed a day of "
        "mourning on Wednesday, June 11."
    )
    assert [(r["date"], r["city"]) for r in _records(text)] == [("2031-06-16", "Kharan")]


def test_an_attack_told_by_its_day_is_not_of_the_years_statistic_before_it() -> None:
    text = (
        "Security review 2030\n\n"
        "Balochistan recorded 94 militant attacks in 2030, according to the Centre's database. "
        "These attacks killed 168 people and injured 301.\n\n"
        "On 24 July 2030 a suicide bomber blew himself up near a check post in Kharan, killing five soldiers."
    )
    records = [(r["date"], r["city"], r["killed"], r["wounded"]) for r in _records(text)]
    assert records == [("2030-07-24", "Kharan", 5, None)]


def test_the_towns_of_the_hospitals_are_no_second_attack() -> None:
    text = (
        "Toll climbs\n\n"
        "KHARAN: The toll from Monday's bomb explosion in Kharan's main bazaar climbed to nine on Wednesday "
        "after two more injured died in hospitals in Kharan and Quetta, officials said. "
        "Of the injured, ten remain at DHQ Kharan, four at CMH Quetta, he said, putting the number of "
        "wounded at 14."
    )
    assert [(r["date"], r["city"]) for r in _records(text)] == [("2031-06-16", "Kharan")]


def test_an_earlier_attack_at_a_town_is_not_the_days_attack_told_of_a_province() -> None:
    text = (
        "Pipeline blown up\n\n"
        "Unidentified militants blew up a gas pipeline in Balochistan province late on Monday night, "
        "officials said. No casualties were reported.\n\n"
        "Earlier this month, a series of blasts in Kharan and Panjgur districts killed at least 28 people."
    )
    records = [(r["date"], r["attack_type"], r["killed"]) for r in _records(text)]
    assert records[0] == ("2031-06-16", "facility_attack", 0)


def test_the_time_of_one_saying_is_not_the_time_of_the_attack_another_tells() -> None:
    text = (
        "School torched\n\n"
        "KHARAN: Unknown men torched a girls' school in Kharan on Monday night, police said.\n\n"
        "Speakers at a protest said the elders had been assured of peace in the valley last year and that "
        "the torching of the school was an attack on the future of the valley."
    )
    assert [(r["date"], r["city"]) for r in _records(text)] == [("2031-06-16", "Kharan")]


def test_killed_and_wounded_in_action_abbreviated_are_the_toll() -> None:
    text = (
        "Convoy hit\n\n"
        "A roadside bomb struck an escort vehicle near Kharan on Monday, officials said.\n"
        "- Casualties: 2 escort personnel KIA; 3 WIA (1 driver, 2 guards)."
    )
    assert [(r["killed"], r["wounded"]) for r in _records(text)] == [(2, 3)]
