"""Cooperation extraction on phrasings found missing when the rules met reports they were not written from
(docs/cooperation-extraction.md): one test per class, in sentences written for these tests (a fictional
2031), never copied from a report."""

from __future__ import annotations

from datetime import date

from outrider.intel.cooperation import CoopRecord, extract_cooperation

PUB = date(2031, 3, 14)  # a Friday


def _all(text: str, published: date | None = PUB) -> list[CoopRecord]:
    return extract_cooperation(text, doc_id="t", published=published)


def _by_kind(text: str, published: date | None = PUB) -> dict[str, CoopRecord]:
    got = _all(text, published)
    assert len({r.kind for r in got}) == len(got), got
    return {r.kind: r for r in got}


def test_a_performed_verb_after_will_be_or_would_be_is_a_promise() -> None:
    got = _by_kind(
        "Pakistan's interior minister told the Chinese ambassador on Thursday that new security "
        "protocols for Chinese engineers in Kohat would be issued within ten days."
    )
    rec = got["security_arrangement"]
    assert (rec.stage, rec.promisor, rec.beneficiary) == ("pledged", "PK", "CN")


def test_armoured_carriers_and_robots_are_equipment() -> None:
    rec = _by_kind(
        "China on Wednesday handed over 12 armoured personnel carriers and four bomb disposal robots to "
        "the Punjab police in Lahore."
    )["capacity_equipment"]
    assert (rec.stage, rec.promisor, rec.beneficiary, rec.date) == ("done", "CN", "PK", "2031-03-12")


def test_a_named_unit_that_receives_equipment_or_training_is_no_arrangement_of_its_own() -> None:
    got = _by_kind(
        "China on Tuesday donated 40 scanners to the Balochistan police's Special Protection Unit, and "
        "trained 30 officers of the Special Protection Unit at a Chinese academy."
    )
    assert "security_arrangement" not in got
    assert got["capacity_equipment"].stage == "done"


def test_another_battalion_promised_is_an_arrangement() -> None:
    rec = _by_kind(
        "The Sindh Police chief told the Chinese consul general on Monday that a third police battalion "
        "would be raised by October exclusively for the protection of Chinese nationals."
    )["security_arrangement"]
    assert (rec.stage, rec.promisor, rec.beneficiary) == ("pledged", "PK", "CN")
    assert rec.date == "2031-03-10"  # the promise's day, not October's


def test_the_month_a_plan_names_does_not_date_the_agreement() -> None:
    rec = _by_kind(
        "On Wednesday Pakistan and China agreed that a joint police exercise would be held in Gilgit "
        "starting in November."
    )["joint_exercise"]
    assert (rec.stage, rec.date) == ("agreed", "2031-03-12")
