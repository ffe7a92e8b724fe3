"""What the cooperation phrasing tests share: the fictional day their sentences are published on and the
records one text gives (each `test_cooperation_phrasings_*.py` read it from its own copy before)."""

from __future__ import annotations

from datetime import date

from outrider.intel.cooperation import CoopRecord, extract_cooperation

PUB = date(2031, 3, 14)  # a Friday

Row = tuple[str, str, str | None, str | None, str | None]


def records(text: str, published: date | None = PUB) -> list[CoopRecord]:
    """The records of one text read as one report."""
    return extract_cooperation(text, doc_id="t", published=published)


def rows(text: str, published: date | None = PUB) -> list[Row]:
    """The records of one text as (kind, stage, date, promisor, beneficiary)."""
    return [(r.kind, r.stage, r.date, r.promisor, r.beneficiary) for r in records(text, published)]
