"""Classes of text read from development sets o and p (bulletins, trade news, flash updates, agency copy
from the borderlands of Afghanistan, Iran and Central Asia) in the eighth round
(docs/cooperation-extraction.md): each built on one set and measured on the other before that set's errors
of the class were read. One test per class, in sentences written for these tests (a fictional 2031), never
copied from a report."""

from __future__ import annotations

from datetime import date

from outrider.intel.cooperation import extract_cooperation
from outrider.intel.cooperation.parties import placed_pair

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
