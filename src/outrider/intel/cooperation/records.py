"""A cooperation record: one commitment between states as one document reports it (the schema's field names).

The vocabularies (kinds with their families, the stage ladder) come from the data file, the one place the
intelligence side keeps them; `COOPERATION-SCHEMA.md` of the shared corpus is their source and a test checks
they are equal.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from outrider.intel.cooperation.lexicon import LEXICON

KINDS: tuple[str, ...] = tuple(LEXICON.kinds)
FAMILY: dict[str, str] = dict(LEXICON.families)
STAGES: tuple[str, ...] = LEXICON.stages  # ordered, least to most advanced; `not_fulfilled` overrides
RANK = {s: i for i, s in enumerate(STAGES)}

# the schema's field order of a record, then what a system adds
SCHEMA_FIELDS = (
    "required",
    "kind",
    "parties",
    "promisor",
    "beneficiary",
    "stage",
    "date",
    "date_precision",
    "deadline",
    "amount",
    "currency",
    "object",
    "group",
    "officials",
    "place",
    "evidence",
)


@dataclass(frozen=True)
class CoopRecord:
    """One commitment in one document: the schema's fields, evidence spans, and the cross-report link."""

    doc_id: str
    kind: str
    parties: tuple[str, ...]
    promisor: str | None
    beneficiary: str | None
    stage: str
    date: str | None = None
    date_precision: str = "unknown"
    deadline: str | None = None
    amount: float | None = None
    currency: str | None = None
    object: str = ""
    group: str | None = None
    officials: tuple[str, ...] = ()
    place: str | None = None
    evidence: str = ""
    # character offsets into the text given to `extract_cooperation`, one per mention merged into the record
    spans: tuple[tuple[int, int], ...] = field(default_factory=tuple)
    required: bool = True
    commitment_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The record as a prediction line: `doc_id`, the schema's fields in order, `commitment_id`, spans."""
        data = asdict(self)
        out: dict[str, Any] = {"doc_id": self.doc_id}
        for name in SCHEMA_FIELDS:
            value = data[name]
            out[name] = list(value) if isinstance(value, tuple) else value
        amount = self.amount
        out["amount"] = int(amount) if amount is not None and amount == int(amount) else amount
        out["commitment_id"] = self.commitment_id
        out["evidence_spans"] = [list(s) for s in self.spans]
        return out


def same_family(a: str, b: str) -> bool:
    """Kinds that may name one commitment: the same family, or either is `other`."""
    fa, fb = FAMILY.get(a), FAMILY.get(b)
    return fa == "*" or fb == "*" or (fa is not None and fa == fb)


def format_date(value: date | None, precision: str) -> str | None:
    """A date as the schema writes it at its precision (YYYY, YYYY-MM or the day)."""
    if value is None:
        return None
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


# runs of spaces, tabs and no-break spaces: the language's patterns put one space between words
SPACES = re.compile(r"[ \t\u00a0]{2,}|[\t\u00a0]")


def single_spaced(text: str) -> tuple[str, list[int]]:
    """The text with every run of spaces one space, and where each of its characters (and its end) was in
    the text as written; no map when nothing changes."""
    if SPACES.search(text) is None:
        return text, []
    parts: list[str] = []
    where: list[int] = []
    last = 0
    for m in SPACES.finditer(text):
        parts += [text[last : m.start()], " "]
        where += [*range(last, m.start()), m.start()]
        last = m.end()
    parts.append(text[last:])
    where += [*range(last, len(text)), len(text)]
    return "".join(parts), where


def respaced(records: list[CoopRecord], where: list[int]) -> list[CoopRecord]:
    """Records read in the single-spaced text with their spans moved back into the text as written."""
    if not where:
        return records
    return [
        replace(r, spans=tuple((where[a], where[b - 1] + 1 if b else 0) for a, b in r.spans)) for r in records
    ]
