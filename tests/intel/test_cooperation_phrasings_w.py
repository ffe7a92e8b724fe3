"""Classes of text read from development sets w and y (ministries' minutes and record notes, press releases,
notifications, wire copy along the corridor's route and in Sindh) in the thirteenth round
(docs/cooperation-extraction.md). One test per class, in sentences written for these tests (a fictional
2031), never copied from a report."""

from __future__ import annotations

from datetime import date

from coop_phrasing import PUB
from coop_phrasing import rows as _all

from outrider.intel.cooperation import extract_cooperation


def test_a_day_told_after_an_attacks_target_and_place_dates_the_attack() -> None:
    text = (
        "The Pakistani side briefed the Chinese side on the inquiry into the ambush on a Chinese-run "
        "drilling crew near Zhob on 3 February 2031, and assured that the perpetrators would be brought "
        "to justice."
    )
    assert _all(text) == [("action_against_group", "pledged", "2031-03-14", "PK", "CN")]
    # the act's own day before the attack's target still dates the act
    own = (
        "On 10 March 2031 the Pakistani side assured the Chinese side that those behind the ambush on a "
        "Chinese-run drilling crew near Zhob would be brought to justice."
    )
    assert [r[2] for r in _all(own)] == ["2031-03-10"]


def test_one_national_named_is_the_protected_state() -> None:
    text = (
        "ISLAMABAD: Pakistan's federal cabinet on Tuesday approved a grant of Rs40 million for payment of "
        "compensation to the family of the Chinese engineer who lost his life in the blast near Dasu."
    )
    assert _all(text) == [("funding", "funded", "2031-03-11", "PK", "CN")]
    # "national security" names no national
    text = (
        "Speaking beside Pakistan's national security adviser, the US envoy said on Tuesday that Pakistan "
        "would take action against all militant groups."
    )
    assert all(r[4] != "PK" or r[3] != "US" for r in _all(text) if r[0] == "action_against_group")


def test_a_border_security_exercise_is_the_exercise_not_an_arrangement() -> None:
    text = (
        "SOST: The first joint border security exercise of the Pakistani and Chinese border police began "
        "today at Sost, officials said."
    )
    assert [r[0] for r in _all(text)] == ["joint_exercise"]


def test_a_sum_for_the_raising_of_a_named_force_funds_that_force() -> None:
    text = (
        "ISLAMABAD: Pakistan's cabinet on Tuesday approved a grant of Rs9.5 billion for the Ministry of "
        "Defence for the raising of the Special Security Division (South), which will guard Chinese "
        "nationals in the province."
    )
    got = [(r.kind, r.stage, r.amount) for r in extract_cooperation(text, doc_id="t", published=PUB)]
    assert got == [("security_arrangement", "funded", 9_500_000_000.0)]


def test_the_period_and_place_of_an_attack_named_beside_a_meeting_are_the_attacks() -> None:
    text = (
        "BEIJING, March 13, 2031 (Wire) - The ninth meeting of the two countries' working group on "
        "security, co-chaired by Pakistan's interior secretary and China's vice minister, reviewed the "
        "protection of Chinese nationals after a bombing in Quetta this month."
    )
    # held in Beijing on the report's day: Pakistan visits, China hosts
    assert _all(text, date(2031, 3, 13)) == [("visit_or_meeting", "done", "2031-03-13", "PK", "CN")]


RECORD_NOTE = (
    "GOVERNMENT OF PAKISTAN - MINISTRY OF INTERIOR\n"
    "RECORD NOTE OF THE THIRD MEETING OF THE PAKISTAN-CHINA WORKING GROUP ON PROJECT SECURITY\n"
    "Held at Islamabad on 12 March 2031\n\n"
    "Co-chairs: Pakistan's additional interior secretary; China's deputy director general.\n\n"
    "1. Both sides agreed to set up a joint cell in Islamabad to exchange information on threats to "
    "Chinese nationals.\n\n"
    "2. The working group shall meet every three months.\n\n"
    "3. The meeting ended with a vote of thanks.\n"
)


def test_the_meeting_a_record_note_or_minutes_record_is_the_pairs() -> None:
    got = _all(RECORD_NOTE, date(2031, 3, 12))
    assert ("visit_or_meeting", "done", "2031-03-12", None, None) in got
    # the body's schedule is no meeting of its own
    assert [r for r in got if r[0] == "visit_or_meeting" and r[1] != "done"] == []
    # a report that is no record of a meeting: "the meeting" names nobody's
    story = RECORD_NOTE.replace("RECORD NOTE OF THE THIRD MEETING OF", "NEWS FROM")
    assert [r for r in _all(story, date(2031, 3, 12)) if r[0] == "visit_or_meeting" and r[1] == "done"] == []


def test_a_new_body_that_will_meet_on_a_schedule_is_still_a_mechanism() -> None:
    text = (
        "ISLAMABAD: Pakistan and China on Tuesday agreed that a joint steering committee on the security "
        "of Chinese nationals will meet every six months."
    )
    assert [r[0] for r in _all(text)] == ["visit_or_meeting"]


def test_some_of_the_things_delivered_is_a_delivery_under_way_dated_by_the_report() -> None:
    text = (
        "KARACHI: Pakistan's interior secretary told the committee on Tuesday that 40 of the 90 bullet-proof "
        "vehicles bought for the police unit guarding Chinese nationals had been delivered and the rest "
        "would arrive by May."
    )
    assert _all(text) == [("security_arrangement", "under_way", "2031-03-11", "PK", "CN")]
    # the month the rest is due by (one the report's day has passed) dates nothing done
    late = text.replace(" on Tuesday", "").replace("would arrive by May", "would arrive by February")
    assert _all(late) == [("security_arrangement", "under_way", "2031-03-14", "PK", "CN")]


MINUTES = """MINUTES OF THE SECOND MEETING OF THE PAKISTAN-CHINA WORKING GROUP ON SECURITY OF PROJECTS
Date: 12 March 2031

1. The meeting reviewed the security of the mines.

DECISIONS (agreed by both sides)

| No. | Decision | Lead | By |
|---|---|---|---|
| 1 | A Balochistan Special Protection Unit company to be deployed for Chinese staff | IGP | April |
| 2 | Chinese side to supply 12 walk-through scanners to the Balochistan police | MPS | 31 May 2031 |
"""


def test_a_tables_rows_take_the_stage_its_heading_tells() -> None:
    got = _all(MINUTES, date(2031, 3, 12))
    assert ("security_arrangement", "agreed", "2031-03-12", "PK", "CN") in got
    assert ("capacity_equipment", "agreed", "2031-03-12", "CN", "PK") in got
    # a table under a heading that tells no stage: its rows' tasks are no commitments
    plain = MINUTES.replace("DECISIONS (agreed by both sides)", "PROPOSALS")
    assert [r for r in _all(plain, date(2031, 3, 12)) if r[0] != "visit_or_meeting"] == []


def test_another_meeting_of_the_series_the_minutes_tell_by_number_is_not_theirs() -> None:
    text = RECORD_NOTE.replace(
        "1. Both sides",
        "1. The Pakistani co-chair welcomed the Chinese delegation and recalled the decisions of the "
        "second meeting held in Beijing in January 2031."
        "\n\n2. Both sides",
    )
    meetings = [r for r in _all(text, date(2031, 3, 12)) if r[0] == "visit_or_meeting"]
    # the meeting recorded, dated by the minutes; the second meeting is an earlier one of the series
    assert meetings == [("visit_or_meeting", "done", "2031-03-12", None, None)]
    # the third meeting told by its number is the one recorded
    same = text.replace("second meeting held in Beijing in January 2031", "third meeting held today")
    assert [r[1] for r in _all(same, date(2031, 3, 12)) if r[0] == "visit_or_meeting"] == ["done"]


def test_a_threat_assessment_shared_is_intelligence_sharing() -> None:
    text = (
        "ISLAMABAD: Pakistan's counter-terrorism authority agreed on Tuesday to share a weekly threat "
        "assessment for Chinese project sites with the Chinese embassy."
    )
    assert [r[0] for r in _all(text)] == ["intelligence_sharing"]


def test_a_short_aside_between_the_modal_and_its_verb_keeps_the_promise() -> None:
    plain = "The Chinese side shall build a police training centre in Gwadar for the Pakistani side."
    assert _all(plain) == [("capacity_equipment", "agreed", "2031-03-14", "CN", "PK")]
    aside = plain.replace("shall build", "shall, free of charge, build")
    assert _all(aside) == _all(plain)


def test_a_force_named_for_a_place_is_another_than_the_same_name_told_alone() -> None:
    text = (
        "ISLAMABAD: Pakistan and China agreed on Tuesday that clearance teams of the Special Security "
        "Division would sweep the Karakoram Highway ahead of Chinese convoys. Pakistan also assured China "
        "that a dedicated Special Security Division for Balochistan would be raised by December."
    )
    got = [r for r in _all(text) if r[0] == "security_arrangement"]
    assert len(got) == 2
    # the name told alone after it points back at the force for the place
    back = text + " The Special Security Division for Balochistan will have 9,000 men."
    assert len([r for r in _all(back) if r[0] == "security_arrangement"]) == 2
