"""Report files for cooperation extraction: cleaned text and publication date as the incident pipeline reads
them, and the document id an annotated corpus gives a report (`<name>.coop.json` beside `<name>.txt`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from outrider.intel.cooperation.document import extract_cooperation
from outrider.intel.cooperation.records import CoopRecord
from outrider.intel.pipeline import DocumentResult, TextInput, extract_documents

GOLD_SUFFIX = ".coop.json"


def corpus_doc_id(path: Path) -> str:
    """A report's document id: the `doc_id` of the cooperation annotation beside it, else its file name
    without extension (the id `intel extract` gives it)."""
    gold = path.with_name(path.stem + GOLD_SUFFIX)
    if gold.is_file():
        try:
            doc_id = json.loads(gold.read_text(encoding="utf-8")).get("doc_id")
        except (OSError, ValueError, AttributeError):
            doc_id = None
        if isinstance(doc_id, str) and doc_id:
            return doc_id
    return path.stem


def cooperation_of(result: DocumentResult, doc_id: str | None = None) -> list[CoopRecord]:
    """The cooperation records of one read report (offsets into its cleaned text). A report without a
    publication date is read against its page date, if any: a weekday or "last month" still needs an anchor,
    and a record without a date cannot match a dated commitment."""
    anchor = result.published or result.bound
    return extract_cooperation(result.clean_text, doc_id=doc_id or result.doc_id, published=anchor)


def extract_files(items: Iterable[Path | TextInput]) -> Iterator[tuple[DocumentResult, list[CoopRecord]]]:
    """Each report read and its cooperation records, named by `corpus_doc_id` (errors have no records)."""
    listed = list(items)
    ids = {p.stem: corpus_doc_id(p) for p in listed if isinstance(p, Path)}
    for res in extract_documents(listed):
        if res.error:
            yield res, []
        else:
            yield res, cooperation_of(res, ids.get(res.doc_id, res.doc_id))
