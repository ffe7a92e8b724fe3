"""Classes of text read from development sets ac and ad (Sindh and Punjab press releases, state media, a
consular notice, Senate minutes) in the fifteenth round (docs/cooperation-extraction.md). One test per class,
in sentences written for these tests (a fictional 2031), never copied from a report."""

from __future__ import annotations

from coop_phrasing import rows


def test_training_promised_by_its_verb_names_its_trainees_whatever_their_trade() -> None:
    text = (
        "ISLAMABAD: China will also train 20 Pakistani forensic experts to run the new laboratory, the "
        "interior ministry said on Tuesday."
    )
    assert rows(text) == [("training", "pledged", "2031-03-11", "CN", "PK")]
    text = (
        "ISLAMABAD: The Chinese side would train 30 technicians of the Islamabad police to operate the "
        "scanners, officials said on Tuesday."
    )
    assert rows(text) == [("training", "pledged", "2031-03-11", "CN", "PK")]
    # the verb without trainees of a state's force is no training given
    assert rows("ISLAMABAD: The company said on Tuesday it would train its new drivers.") == []


def test_what_an_agreement_provides_for_is_agreed() -> None:
    text = (
        "BEIJING: The MoU also provides for training of 50 Pakistani police officers in China, officials "
        "said on Tuesday."
    )
    assert rows(text) == [("training", "agreed", "2031-03-11", "CN", "PK")]


def test_units_or_things_that_arrive_make_no_visit() -> None:
    vessels = (
        "KARACHI: Three Chinese naval vessels arrived at Karachi on Tuesday for the joint exercise with the "
        "Pakistan Navy."
    )
    assert [r[0] for r in rows(vessels)] == ["joint_exercise"]
    companies = (
        "QUETTA: The first two companies of the new battalion for the security of Chinese engineers arrived "
        "in Uthal on Tuesday."
    )
    assert all(r[0] != "visit_or_meeting" for r in rows(companies))
    # a delegation that arrives is a visit under way
    text = (
        "ISLAMABAD: A Chinese delegation led by the vice minister of public security arrived in Islamabad on "
        "Tuesday for talks on the security of Chinese nationals."
    )
    assert rows(text) == [("visit_or_meeting", "under_way", "2031-03-11", "CN", "PK")]
