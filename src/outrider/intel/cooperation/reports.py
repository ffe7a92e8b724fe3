"""Report files for cooperation extraction: cleaned text and publication date as the incident pipeline reads
them, and the document id an annotated corpus gives a report (`<name>.coop.json` beside `<name>.txt`)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from outrider.intel.cooperation.document import extract_cooperation
from outrider.intel.cooperation.linking import link_commitments
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


# "28.10.2021 11:05 | Dushanbe": a page's own numeric time stamp (day first), in its first lines
STAMP = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)\b")
STAMP_LINES = 6


def numeric_stamp(text: str) -> date | None:
    """A day-first numeric stamp opening one of the first lines, which the incident reader does not take."""
    for line in text.split("\n")[:STAMP_LINES]:
        if (m := STAMP.match(line)) is not None:
            try:
                return date(int(m[3]), int(m[2]), int(m[1]))
            except ValueError:
                return None
    return None


def cooperation_of(result: DocumentResult, doc_id: str | None = None) -> list[CoopRecord]:
    """The cooperation records of one read report (offsets into its cleaned text). A report without a
    publication date is read against its page date, if any: a weekday or "last month" still needs an anchor,
    and a record without a date cannot match a dated commitment."""
    anchor = result.published or result.bound or numeric_stamp(result.clean_text)
    return extract_cooperation(result.clean_text, doc_id=doc_id or result.doc_id, published=anchor)


def extract_files(
    items: Iterable[Path | TextInput], published: date | None = None
) -> Iterator[tuple[DocumentResult, list[CoopRecord]]]:
    """Each report read and its cooperation records, named by `corpus_doc_id` (errors have no records);
    ``published`` overrides every report's publication date, as `intel extract --published` does."""
    for item in items:
        doc_id = corpus_doc_id(item) if isinstance(item, Path) else None
        for res in extract_documents([item], published):
            if res.error:
                yield res, []
            else:
                # a feed's entries keep their own ids; a file takes its corpus id
                yield res, cooperation_of(res, doc_id if doc_id and "#" not in res.doc_id else None)


def summary_line(rec: CoopRecord) -> str:
    """One record as a tab-separated line for people: document, date, kind, stage, who to whom, object."""
    who = f"{rec.promisor or '-'}->{rec.beneficiary or '-'}"
    return (
        f"{rec.doc_id}\t{rec.date}\t{rec.kind}\t{rec.stage}\t{','.join(rec.parties)}\t{who}\t{rec.object}\n"
    )


def print_cooperation(items: Iterable[Path | TextInput], published: date | None, jsonl: bool) -> int:
    """`intel extract --cooperation`: every report's records, linked, on standard output (JSON Lines in the
    cooperation schema's names with `doc_id` and `commitment_id`, or a line per record); a report that cannot
    be read is a line on standard error. The exit code: 1 if any report failed."""
    records: list[CoopRecord] = []
    failed = 0
    for res, recs in extract_files(items, published):
        if res.error:
            failed += 1
            sys.stderr.write(f"error: {res.doc_id}: {res.error}\n")
        records.extend(recs)
    for rec in link_commitments(records):
        sys.stdout.write(json.dumps(rec.to_json(), ensure_ascii=False) + "\n" if jsonl else summary_line(rec))
    return 1 if failed else 0
