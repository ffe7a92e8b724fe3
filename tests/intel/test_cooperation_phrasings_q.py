"""Classes of text read from development sets q and e (minutes with file numbers, business desks, interviews,
northern Pakistan's highway and hydropower news) in the ninth round (docs/cooperation-extraction.md): each
built on one set and measured on the other before that set's errors of the class were read. One test per
class, in sentences written for these tests (a fictional 2031), never copied from a report."""

from __future__ import annotations

from datetime import date

from outrider.intel.cooperation import extract_cooperation
from outrider.intel.published import find_published

PUB = date(2031, 3, 14)  # a Friday


def _records(text: str) -> list[tuple[str, str, tuple[str, ...], str | None, str | None]]:
    return [
        (r.kind, r.stage, r.parties, r.promisor, r.beneficiary)
        for r in extract_cooperation(text, doc_id="t", published=PUB)
    ]


def test_a_file_number_alone_on_its_line_is_no_date() -> None:
    head = ["MINISTRY OF WORKS", "", "No. 7/12/2031-PW", "Multan, the 9th March, 2031", "", "MINUTES"]
    assert find_published(head, {2031}) == (date(2031, 3, 9), True)
    assert find_published(["Ref: 4/11/2031/HD", "", "Notes of the meeting"], {2031})[0] is None


def test_two_things_joined_by_and_are_not_an_attribute_and_its_noun() -> None:
    text = (
        "Pakistan on Thursday approved Rs2 billion for police escorts and armoured cars for Chinese "
        "technicians at the two mills."
    )
    assert ("security_arrangement", "funded", ("CN", "PK"), "PK", "CN") in _records(text)
    # a word of the thing itself before the noun is still its attribute: the equipment is the record
    gear = "China on Thursday handed over border management equipment to Pakistan."
    assert all(kind != "security_arrangement" for kind, *_ in _records(gear))


def test_a_grant_of_a_sum_for_equipment_is_the_equipment() -> None:
    text = (
        "China on Thursday agreed to provide a grant of RMB 30 million for night-vision cameras for the "
        "police of Pakistan."
    )
    got = [(r.kind, r.amount, r.currency) for r in extract_cooperation(text, doc_id="t", published=PUB)]
    assert got == [("capacity_equipment", 30_000_000, "CNY")]
    # money for the police themselves is cash: the grant stays a grant
    cash = "China on Thursday agreed to provide Pakistan a grant of RMB 90 million for the Pakistan police."
    assert [kind for kind, *_ in _records(cash)] == ["funding"]


def test_a_new_force_and_the_existing_one_of_its_name_are_two_records() -> None:
    text = (
        "Pakistan on Tuesday approved Rs3 billion for raising a new Special Security Division for Chinese "
        "nationals at the dams. The existing Special Security Division, raised in 2019 for the corridor "
        "with China, guards the southern routes."
    )
    got = [(r.kind, r.stage, r.date) for r in extract_cooperation(text, doc_id="t", published=PUB)]
    assert ("security_arrangement", "funded", "2031-03-11") in got
    assert ("security_arrangement", "done", "2019") in got


MINUTES = (
    "MINISTRY OF WORKS\n\n"
    "Minutes of the second meeting of the Pakistan-China Joint Working Group on Road Security\n"
    "Date of meeting: 3 March 2031\n"
    "Minutes issued: 10 March 2031 (No. 4/RS/2031)\n\n"
    "1. The Chinese side informed the meeting that the letters on the grant were exchanged on 2 January "
    "2031.\n"
    "2. Training. It was agreed that the Chinese side shall train thirty Pakistani police officers in "
    "highway patrolling.\n"
)


def test_minutes_are_read_on_the_day_of_their_meeting() -> None:
    got = {(r.kind, r.stage, r.date) for r in extract_cooperation(MINUTES, doc_id="t", published=PUB)}
    # the meeting the minutes record is held on its day, and what it agreed is dated by it, not by the issue
    assert ("visit_or_meeting", "done", "2031-03-03") in got
    assert ("training", "agreed", "2031-03-03") in got
    # the issue line is a form's field, and the meeting told of a grant is no meeting of that day
    assert not any(d in ("2031-03-10", "2031-01-02") for kind, _, d in got if kind == "visit_or_meeting")


def test_a_minutes_date_label_in_other_words_dates_the_meeting() -> None:
    for label in ("Meeting date:", "Held on:", "Date & venue:"):
        text = MINUTES.replace("Date of meeting:", label)
        got = {(r.kind, r.date) for r in extract_cooperation(text, doc_id="t", published=PUB)}
        assert ("training", "2031-03-03") in got, label


def test_patrols_the_sides_agree_to_coordinate_are_an_arrangement() -> None:
    text = (
        "Uzbek and Tajik border officials on Thursday agreed to coordinate their patrols along the river, "
        "officials said."
    )
    assert ("security_arrangement", "agreed") in [(kind, stage) for kind, stage, *_ in _records(text)]


def test_an_infinitive_after_an_occasion_tells_the_act() -> None:
    # "at the ceremony" is the occasion; what both sides agreed "to establish" there is the act
    text = (
        "China and Pakistan on Thursday agreed at the ceremony to set up a joint working group on the "
        "security of Chinese workers."
    )
    assert ("visit_or_meeting", "agreed", ("CN", "PK"), None, None) in _records(text)
