"""Classes of text read from development sets m and n (narrative reports, handouts, monitoring excerpts)
in the seventh round (docs/cooperation-extraction.md): each built on one set and measured on the other
before that set's errors of the class were read. One test per class, in sentences written for these tests
(a fictional 2031), never copied from a report."""

from __future__ import annotations

from datetime import date

from outrider.intel.cooperation import extract_cooperation
from outrider.intel.cooperation.money import find_money

PUB = date(2031, 3, 14)  # a Friday


def _records(text: str) -> list[tuple[str, str, str | None, str | None, float | None]]:
    return [
        (r.kind, r.stage, r.promisor, r.beneficiary, r.amount)
        for r in extract_cooperation(text, doc_id="t", published=PUB)
    ]


def test_ranges_hyphenated_sums_plural_scales_and_afs_are_read() -> None:
    said = {
        "a $5-7 million grant": [(5_000_000, "USD")],
        "Rs 5 to 7 crore for the posts": [(50_000_000, "PKR")],
        "the 40-million-yuan grant": [(40_000_000, "CNY")],
        "Rs 95 crores": [(950_000_000, "PKR")],
        "Afs 50 million for the clinic": [(50_000_000, "AFN")],
        # a range of heads is no sum; a year's span before a sum leaves it whole
        "40-50 officers and $3 million": [(3_000_000, "USD")],
        "in 2030-31 the 5 million dollars": [(5_000_000, "USD")],
    }
    for text, sums in said.items():
        assert [(m.amount, m.currency) for m in find_money(text)] == sums, text


def _dated(text: str) -> list[tuple[str, str | None]]:
    return [(r.kind, r.date) for r in extract_cooperation(text, doc_id="t", published=PUB)]


def test_a_month_naming_an_attack_does_not_date_the_call() -> None:
    text = (
        "The Punjab chief minister on Thursday assured the Chinese consul general that the province would "
        "raise a dedicated force for Chinese engineers. The consul general called on the chief minister at "
        "his office in Lahore, where the two discussed the security of Chinese engineers after the January "
        "bombing of a convoy near Multan."
    )
    assert ("visit_or_meeting", "2031-03-13") in _dated(text)


def test_insurance_premiums_and_security_cost_reimbursements_are_money_for_the_partner() -> None:
    text = (
        "The Punjab government on Thursday assured the Consul General of China in Lahore that the province "
        "would pay the premium of life insurance for all Chinese engineers at the Multan plant, about Rs2 "
        "crore a year."
    )
    assert _records(text) == [("funding", "pledged", "PK", "CN", 20_000_000)]


def test_a_security_word_naming_the_equipment_or_course_after_it_is_no_arrangement() -> None:
    text = (
        "China on Thursday pledged to provide border management equipment worth 20 million yuan to "
        "Afghanistan and offered a border security course for 30 Afghan officers."
    )
    kinds = sorted(k for k, *_ in _records(text))
    assert "security_arrangement" not in kinds
    assert "capacity_equipment" in kinds


def test_coordination_cells_are_arrangements_and_an_intelligence_one_shares_intelligence() -> None:
    cells = (
        "Afghanistan and Pakistan on Thursday agreed to set up joint border coordination cells at Torkham "
        "and Chaman, and a Joint Intelligence Coordination Cell in Islamabad."
    )
    assert {k for k, *_ in _records(cells)} >= {"security_arrangement", "intelligence_sharing"}


def test_a_body_meeting_under_its_own_chair_is_no_meeting_with_the_partner() -> None:
    text = (
        "The Punjab Cabinet, which met with the Chief Minister in the chair on Thursday, approved Rs2 "
        "billion for the expansion of the Special Protection Unit of Punjab Police, which is responsible for "
        "the security of Chinese nationals."
    )
    assert [k for k, *_ in _records(text)] == ["security_arrangement"]


def test_goods_handed_over_as_aid_are_the_equipment_not_money() -> None:
    text = (
        "At a ceremony on Thursday the Chinese side handed over to the Kyrgyz Border Service 15 off-road "
        "vehicles and 10 night-vision cameras as free military-technical aid."
    )
    assert [k for k, *_ in _records(text)] == ["capacity_equipment"]


def test_the_body_a_grant_is_for_does_not_give_it() -> None:
    text = (
        "China has cancelled the last tranche of its $9 million grant for the modernisation of the Punjab "
        "Police, and the second tranche has still not been released, officials said on Thursday."
    )
    assert {(k, p, b) for k, _, p, b, _ in _records(text)} == {("funding", "CN", "PK")}


def test_a_grant_for_the_installation_of_equipment_is_that_equipment_with_its_sum() -> None:
    text = (
        "Pakistan and China on Thursday signed an agreement under which China will provide 40 million yuan "
        "in grant assistance for the installation of a surveillance system on the Babusar road."
    )
    assert ("capacity_equipment", "agreed", "CN", "PK", 40_000_000) in _records(text)
    assert "funding" not in {k for k, *_ in _records(text)}
