"""Classes of text read from development sets ae and af (Balochistan's interior, railway and mines;
Afghanistan, Tajikistan and Kyrgyzstan) in the sixteenth round (docs/cooperation-extraction.md). One test per
class, in sentences written for these tests (a fictional 2031), never copied from a report."""

from __future__ import annotations

from coop_phrasing import rows


def test_the_state_of_the_instructors_teaches_whoever_its_trainees_belong_to() -> None:
    text = (
        "QUETTA: A team of Chinese police instructors will train 150 personnel of the Sindh Rangers in "
        "convoy protection, officials said on Tuesday."
    )
    assert rows(text) == [("training", "pledged", "2031-03-11", "CN", "PK")]
    text = (
        "LAHORE: A course for 80 personnel of the Punjab Elite Police Force, taught by Chinese instructors, "
        "began in Lahore on Tuesday."
    )
    assert rows(text) == [("training", "under_way", "2031-03-11", "CN", "PK")]


def test_a_day_an_act_is_due_by_dates_no_act() -> None:
    text = (
        "LAHORE: The Punjab police will set up a special cell for the security of Chinese nationals by "
        "30 April, officials said on Tuesday."
    )
    assert rows(text) == [("security_arrangement", "pledged", "2031-03-11", "PK", "CN")]


def test_a_states_mission_gives_where_its_nationals_are_given_to() -> None:
    text = (
        "QUETTA: The Chinese consulate on Tuesday handed over cheques totalling 900,000 yuan to the families "
        "of three Frontier Corps soldiers killed near Dalbandin."
    )
    assert rows(text) == [("funding", "done", "2031-03-11", "CN", "PK")]


def test_money_for_the_families_of_soldiers_is_in_the_security_field() -> None:
    text = (
        "QUETTA: China would give 900,000 yuan in compensation to the families of the three FC soldiers "
        "killed near Dalbandin, officials said on Tuesday."
    )
    assert [(r[0], r[3], r[4]) for r in rows(text)] == [("funding", "CN", "PK")]


def test_the_unit_of_the_people_trained_is_no_force_of_its_own() -> None:
    text = (
        "KARACHI: Pakistani officials said on Tuesday that 40 officers of the new division had completed an "
        "eight-week course in convoy protection at a police academy in China."
    )
    assert rows(text) == [("training", "done", "2031-03-11", "CN", "PK")]


def test_the_first_units_of_a_force_raised_in_parts_are_under_way() -> None:
    text = (
        "MULTAN: The first two companies of a new battalion of the Punjab police, raised for the protection "
        "of Chinese nationals, passed out at a parade on Tuesday."
    )
    assert rows(text) == [("security_arrangement", "under_way", "2031-03-11", "PK", "CN")]
    text = (
        "MULTAN: A new battalion of the Punjab police, raised for the protection of Chinese nationals, "
        "passed out at a parade on Tuesday."
    )
    assert rows(text) == [("security_arrangement", "done", "2031-03-11", "PK", "CN")]


def test_rules_told_enforced_or_in_force_since_a_day_are_done() -> None:
    text = (
        "PESHAWAR: The Khyber Pakhtunkhwa police chief told the Chinese consul general on Tuesday that the "
        "revised escort SOP for Chinese nationals had been enforced across the province since 1 March."
    )
    assert rows(text) == [("security_arrangement", "done", "2031-03-01", "PK", "CN")]
    text = (
        "PESHAWAR: The Khyber Pakhtunkhwa police chief told the Chinese consul general on Tuesday that the "
        "new SOPs for the movement of Chinese nationals, in force since January, were being followed."
    )
    assert [r[:2] for r in rows(text)] == [("security_arrangement", "done")]


def test_what_a_side_shall_do_is_the_language_of_what_both_signed() -> None:
    text = "The Chinese side shall hand over six vehicle scanners to the Punjab Police."
    assert [r[:2] for r in rows(text)] == [("capacity_equipment", "agreed")]
    text = "The Chinese side will hand over six vehicle scanners to the Punjab Police, the envoy said."
    assert [r[:2] for r in rows(text)] == [("capacity_equipment", "pledged")]
