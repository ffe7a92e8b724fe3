"""Classes of text read from development sets o and p (bulletins, trade news, flash updates, agency copy
from the borderlands of Afghanistan, Iran and Central Asia) in the eighth round
(docs/cooperation-extraction.md): each built on one set and measured on the other before that set's errors
of the class were read. One test per class, in sentences written for these tests (a fictional 2031), never
copied from a report."""

from __future__ import annotations

from datetime import date

from outrider.intel.cooperation import extract_cooperation
from outrider.intel.cooperation.parties import find_parties, placed_pair
from outrider.intel.published import find_published

PUB = date(2031, 3, 14)  # a Friday


def _records(text: str) -> list[tuple[str, str, tuple[str, ...], str | None, str | None]]:
    return [
        (r.kind, r.stage, r.parties, r.promisor, r.beneficiary)
        for r in extract_cooperation(text, doc_id="t", published=PUB)
    ]


def test_a_report_naming_one_state_is_set_in_the_partners_towns() -> None:
    text = (
        "MULTAN: The police on Thursday received six armoured vans donated by China for the Multan "
        "division. The vans will patrol Multan, Lodhran and Khanewal, officials in Bahawalpur said."
    )
    assert ("capacity_equipment", "done", ("CN", "PK"), "CN", "PK") in _records(text)
    # a report set in the named state's own towns, or naming its places too seldom, keeps its one state
    assert placed_pair(("CN",), "Officers in Kashgar and Urumqi met in Hotan.") == ("CN",)
    assert placed_pair(("CN",), "Officers in Multan received vans from China.") == ("CN",)
    assert placed_pair(("CN", "PK"), "Multan, Lodhran and Khanewal") == ("CN", "PK")


def _dated(text: str) -> list[tuple[str, str | None]]:
    return [(r.kind, r.date) for r in extract_cooperation(text, doc_id="t", published=PUB)]


def test_acts_without_a_day_take_the_day_the_report_leads_with() -> None:
    # the lead's signing names no act of its own; what the memorandum holds was agreed that day
    signed = (
        "The Ministry of Energy of Tajikistan and the Chinese embassy signed a memorandum on the security "
        "of the dam project on 11 March.\n\nUnder the memorandum, the Tajik Ministry of Interior will "
        "station a protection battalion of 200 police at the dam site and set up a joint security office "
        "there with the Chinese contractor's guards."
    )
    assert ("security_arrangement", "2031-03-11") in _dated(signed)
    # "the commitment was made ... on Wednesday": the promise of the sentence before
    made = (
        "Uzbek officials have promised to provide armed escorts for Afghan trucks on the road to Termez. "
        "The commitment was made at a meeting in Termez on Wednesday."
    )
    assert ("security_arrangement", "2031-03-12") in _dated(made)
    # a promise's own due day is no day of the report's occasion
    due = "Uzbek officials have promised to provide armed escorts for Afghan trucks from 20 March."
    assert ("security_arrangement", "2031-03-12") not in _dated(due)


def test_a_platoon_or_company_raised_for_the_partners_people_is_an_arrangement() -> None:
    forces = ("a dedicated platoon of the Levies", "a platoon of 30 police", "a dedicated police company")
    for force in forces:
        text = f"The Sindh government on Tuesday notified {force} to guard the Chinese engineers of the dam."
        assert ("security_arrangement", "done", ("CN", "PK"), "PK", "CN") in _records(text), force
    # a business and an exercise's contingent are not
    business = "A dedicated company of Chinese engineers on Tuesday opened a new office in Sukkur."
    assert not [r for r in _records(business) if r[0] == "security_arrangement"]


def test_an_act_joined_by_while_keeps_its_own_sum_and_field() -> None:
    text = (
        "The Pak-China school in Thatta on Monday opened a science wing built with a grant of 30 million "
        "yuan from the Chinese government, while the Sindh government notified a dedicated platoon of "
        "police to guard the Chinese teachers."
    )
    got = extract_cooperation(text, doc_id="t", published=PUB)
    assert [(r.kind, r.amount) for r in got] == [("security_arrangement", None)]


def test_a_posting_stamp_is_read_before_the_archive_date_beside_it() -> None:
    lines = [
        "PROVINCIAL POLICE - PUBLIC RELATIONS",
        "Thread, posted 3 Mar 2031 (archived copy; archive 2031-06-01)",
    ]
    assert find_published(lines, set()) == (date(2031, 3, 3), True)


def test_a_demonym_before_border_names_a_place_not_a_party() -> None:
    hits = find_parties(
        "cameras on the roads to the Uzbek and Tajik borders; "
        "Afghan border guards and Tajik border commissioners"
    )
    assert [(h.code, h.locative) for h in hits] == [("UZ", True), ("TJ", True), ("AF", False), ("TJ", False)]


def test_a_meeting_something_was_done_at_is_held() -> None:
    text = (
        "ISLAMABAD: China has pledged to provide two X-ray scanners worth 10 million yuan for the Frontier "
        "Corps at the Gwadar port, officials said on Friday.\n\nThe pledge was conveyed by Chinese "
        "Ambassador Wu Tao during a meeting with the Federal Minister for Maritime Affairs, Mr. Ali Khan, "
        "at the ministry on Friday."
    )
    assert ("visit_or_meeting", "done", ("CN", "PK"), "CN", "PK") in _records(text)


def test_the_fields_of_a_cooperation_are_no_commitments() -> None:
    text = (
        "The two sides also agreed to enhance cooperation in counter-terrorism, intelligence sharing and "
        "border management, the Chinese and Pakistani ministries said."
    )
    assert _records(text) == []


def test_a_promise_told_to_the_visiting_minister_is_made_to_the_partner() -> None:
    text = (
        "LAHORE: China's Vice Minister of Public Security ended a visit to Pakistan on Thursday.\n\nThe "
        "Chief Minister told the visiting minister that the provincial cabinet had approved Rs 900 million "
        "on Wednesday for the expansion of the Special Protection Unit, which guards Chinese nationals, by "
        "500 personnel."
    )
    assert ("security_arrangement", "funded") in [r[:2] for r in _records(text)]


def test_a_joint_protocol_for_the_partners_people_is_an_arrangement() -> None:
    text = (
        "The Pakistan-China working group agreed on Monday on a joint protocol for the movement of Chinese "
        "engineers on the coastal highway."
    )
    assert [r[:2] for r in _records(text)] == [("security_arrangement", "agreed")]


def test_an_act_under_the_agreement_is_agreed_when_the_agreement_was() -> None:
    text = (
        "The surveillance project in Quetta, worth $4 million, was agreed between Pakistan and China in 2029 "
        "as a grant.\n\nUnder the agreement, Chinese engineers will also train 40 police personnel to run "
        "the centre."
    )
    assert ("training", "2029") in _dated(text)
