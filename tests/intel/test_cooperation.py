"""Cooperation extraction, stage by stage, on sentences written for these tests."""

from __future__ import annotations

from datetime import date

from outrider.intel.cooperation import CoopRecord, extract_cooperation, link_commitments

PUB = date(2031, 3, 14)  # a Friday


def _one(text: str, published: date | None = PUB) -> CoopRecord:
    got = extract_cooperation(text, doc_id="t", published=published)
    assert len(got) == 1, got
    return got[0]


def test_an_agreed_exercise_is_joint_and_dated_by_its_weekday() -> None:
    rec = _one("Pakistan and China agreed on Tuesday to hold a joint counter-terrorism exercise.")
    assert (rec.kind, rec.stage, rec.parties) == ("joint_exercise", "agreed", ("CN", "PK"))
    assert (rec.promisor, rec.beneficiary) == (None, None)
    assert (rec.date, rec.date_precision) == ("2031-03-11", "day")


def test_a_pledge_of_money_names_provider_recipient_amount_and_currency() -> None:
    rec = _one("The Chinese envoy said Beijing will provide $3.5 million to Pakistan for police equipment.")
    assert (rec.promisor, rec.beneficiary, rec.stage) == ("CN", "PK", "pledged")
    assert (rec.amount, rec.currency) == (3_500_000, "USD")


def test_a_demand_is_not_a_commitment() -> None:
    text = "Beijing asked Islamabad to set up a dedicated protection unit for Chinese engineers."
    assert extract_cooperation(text, doc_id="t", published=PUB) == []


def test_evidence_spans_point_into_the_text() -> None:
    text = "Headline here\nIslamabad vowed to the Chinese ambassador to bring the perpetrators to justice."
    rec = _one(text)
    a, b = rec.spans[0]
    assert text[a:b].startswith("Islamabad vowed")
    assert rec.to_json()["evidence_spans"] == [[a, b]]


def test_records_of_one_commitment_in_two_reports_share_an_id() -> None:
    one = extract_cooperation(
        "China and Pakistan began their joint police exercise in Lahore on Monday.", doc_id="a", published=PUB
    )
    two = extract_cooperation(
        "The joint police exercise of China and Pakistan concluded in Lahore on Thursday.",
        doc_id="b",
        published=PUB,
    )
    linked = link_commitments(one + two)
    assert len(linked) == 2
    assert linked[0].commitment_id == linked[1].commitment_id is not None
