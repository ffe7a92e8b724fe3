"""Cooperation extraction on classes of phrasing any news writer uses, found by reading how the scorer
matches records and by probing the rules with sentences of my own (docs/cooperation-extraction.md, second
round): one test per class, in sentences written for these tests (a fictional 2031), never copied from a
report."""

from __future__ import annotations

from datetime import date

from outrider.intel.cooperation import CoopRecord, extract_cooperation

PUB = date(2031, 3, 14)  # a Friday


def _all(text: str, published: date | None = PUB) -> list[CoopRecord]:
    return extract_cooperation(text, doc_id="t", published=published)


UNDATED_VISIT = (
    "Chinese Public Security Minister Li Wen concluded two days of talks with Pakistani leaders on Tuesday. "
    "Pakistani Interior Minister Ahmed Raza told reporters after meeting his Chinese counterpart that "
    "Pakistan will not allow the East Turkestan Islamic Movement to use its soil for attacks on China."
)


def test_a_report_nobody_can_date_proposes_no_act_it_dates_by_the_day_of_writing() -> None:
    assert _all(UNDATED_VISIT, published=None) == []
    dated = {r.kind: r for r in _all(UNDATED_VISIT)}
    assert dated["visit_or_meeting"].date == "2031-03-11"
    assert dated["action_against_group"].date == "2031-03-11"  # made at the meeting


def test_an_act_told_without_a_time_keeps_its_record_undated() -> None:
    got = _all(
        "According to reports in the Chinese media, Pakistan acted on intelligence provided by China's "
        "Ministry of State Security.",
        published=None,
    )
    assert [(r.kind, r.promisor, r.beneficiary, r.date) for r in got] == [
        ("intelligence_sharing", "CN", "PK", None)
    ]


def test_intelligence_provided_by_a_state_is_shared() -> None:
    got = _all("Pakistani police arrested the suspect acting on information supplied by the Chinese side.")
    assert ("intelligence_sharing", "CN", "PK", "done") in {
        (r.kind, r.promisor, r.beneficiary, r.stage) for r in got
    }
    # money or goods "provided by" a side are not intelligence, and not made a record by these words alone
    assert _all("Construction costs 5 million yuan, all of it provided by the Chinese side.") == []
