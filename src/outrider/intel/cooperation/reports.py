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
from outrider.intel.cooperation.header_day import header_day, meeting_day
from outrider.intel.cooperation.linking import link_commitments
from outrider.intel.cooperation.records import CoopRecord
from outrider.intel.cooperation.when import written_after
from outrider.intel.dates import MONTH_NAME, month_number
from outrider.intel.pipeline import DocumentResult, TextInput, extract_documents, link_documents
from outrider.intel.redating import _weekday_years
from outrider.intel.weekdays import WEEKDAY

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


# the main incident of a report without publication date anchors it when it is told as recent news (by a
# weekday, "on Saturday") and another report of the same event dates it; a calendar date the text gives may be
# of an attack years before the report ("the August 26, 2021 bombing"), which it dates no better than "after"
ANCHORING_BASES = ("linked event",)


HEADER_LINES = 8


def report_day(result: DocumentResult) -> date | None:
    """The day a report is read against, as a reader dates it: its publication date, else its page date (the
    latest day it can have been written, most often the day it was, or a month-dated header's last day);
    without either, the day of the main event it tells as recent news when another report of the same event
    dates it to the day, moved on to the latest weekday the report names after it ("on Saturday" an attack,
    "on Monday" the visit it leads). Both dates are read by `outrider.intel.published`, as for incidents; a
    header form that reader leaves (`header_day`: an issue's label, a source note, a Solar Hijri date) comes
    before the page date."""
    if (met := meeting_day(result.clean_text)) is not None:
        return met  # minutes: the meeting's day, not the day they were issued
    if result.published is not None:
        return result.published
    if (day := header_day(result.clean_text) or result.bound) is not None:
        return day
    main = result.incidents[0] if result.incidents else None
    if main and main.get("date_precision") == "day" and main.get("date_basis") in ANCHORING_BASES:
        event = date.fromisoformat(main["date"])
        return _dateline_after(result.clean_text, event) or written_after(result.clean_text, event)
    return None


def _yearless(text: str) -> tuple[int, int] | None:
    """The month and day of a dateline that gives no year ("KARACHI, May 15 (Xinhua) --")."""
    head = next((ln for ln in text.splitlines()[:HEADER_LINES] if YEARLESS.match(ln)), None)
    m = YEARLESS.match(head) if head else None
    month = month_number(m["mon"] or m["mon_after"]) if m else None
    return (month, int(m["day"] or m["day_first"])) if m and month else None


def _dateline_after(text: str, event: date) -> date | None:
    """A yearless dateline's day in the first year that puts it on or after the event the report tells (the
    attack of 22 April told in a report datelined "May 15" of the same year)."""
    if (told := _yearless(text)) is None:
        return None
    for year in (event.year, event.year + 1):
        try:
            day = date(year, *told)
        except ValueError:
            continue
        if day >= event:
            return day
    return None


def extract_files(
    items: Iterable[Path | TextInput], published: date | None = None
) -> Iterator[tuple[DocumentResult, list[CoopRecord]]]:
    """Each report read and its cooperation records, named by `corpus_doc_id` (errors have no records);
    ``published`` overrides every report's publication date, as `intel extract --published` does. The
    reports' incidents are linked first, as `intel extract` links them, so that a report without publication
    date whose main event another report dates is read against that day (`report_day`)."""
    read: list[tuple[DocumentResult, str | None]] = []
    for item in items:
        doc_id = corpus_doc_id(item) if isinstance(item, Path) else None
        # a feed's entries keep their own ids; a file takes its corpus id
        read.extend(
            (res, doc_id if doc_id and "#" not in res.doc_id else None)
            for res in extract_documents([item], published)
        )
    linked, _ = link_documents([res for res, _ in read])
    days = _by_story(linked, _by_instance(linked, [report_day(dated) for dated in linked]))
    for (res, doc_id), dated, day in zip(read, linked, days, strict=True):
        records = extract_cooperation(dated.clean_text, doc_id=doc_id or dated.doc_id, published=day)
        yield res, [] if res.error else records


# "KASHGAR, April 24 (Xinhua) --": a dateline without its year; "Frontier Shield-I": a named instance
# (or "KASHGAR, 24 April (Xinhua) --", the day first)
YEARLESS = re.compile(
    rf"^[A-Z][A-Za-z .'-]{{2,30}},\s+(?:(?P<mon>{MONTH_NAME})\.?\s+(?P<day>\d{{1,2}})"
    rf"|(?P<day_first>\d{{1,2}})\s+(?P<mon_after>{MONTH_NAME})\.?)\s*[(\-–—:]",
    re.I,
)
INSTANCE = re.compile(r"\b[A-Z][A-Za-z]+(?:[ -][A-Z][A-Za-z]+)?-(?:[IVX]+|\d+)\b")


def _by_instance(results: list[DocumentResult], days: list[date | None]) -> list[date | None]:
    """A report whose dateline gives a day without its year takes the year of another report of the batch
    that names the same instance of a series ("Frontier Shield-I" announced in February, held in April)."""
    named = [set(INSTANCE.findall(r.clean_text)) for r in results]
    out = list(days)
    for i, (res, day) in enumerate(zip(results, days, strict=True)):
        told = _yearless(res.clean_text)
        if day is not None or told is None or not named[i]:
            continue
        years = [d.year for j, d in enumerate(days) if d is not None and j != i and named[i] & named[j]]
        if years:
            try:
                out[i] = date(max(years), *told)
            except ValueError:
                continue
    return out


# a name that tells a story apart ("Korangi", "Uthal"): capitalised, and in few of the batch's reports
NAME = re.compile(r"\b[A-Z][a-z]{3,}\b")


def _by_story(results: list[DocumentResult], days: list[date | None]) -> list[date | None]:
    """A report still undated whose dateline gives a day without its year ("KARACHI, Nov 15:") takes a year
    of the batch's dated reports: the one in which the weekday its dateline's sentence names falls on that
    day or the eve (`_weekday_years`), else, of those years, the one that puts it nearest the dated report
    that shares the most of its rare names (the same story told before or after it)."""
    texts = [r.clean_text for r in results]
    names = [set(NAME.findall(t)) for t in texts]
    rare = _rare(names)
    out = list(days)
    for _ in range(2):  # a report dated this way dates the next one of its story
        for i, text in enumerate(texts):
            told = _yearless(text)
            years = {d.year for d in out if d is not None}
            if out[i] is not None or told is None or not years:
                continue
            lines = text.splitlines()
            fit = _weekday_years(lines, told, years) if WEEKDAY.search(_dateline(lines)) else years
            shared = [(len(names[i] & names[j] & rare), d) for j, d in enumerate(out) if d and j != i]
            out[i] = _nearest(fit, told, shared)
    return out


def _rare(names: list[set[str]]) -> set[str]:
    """The names found in at most a quarter of the reports (and in two at least)."""
    counts: dict[str, int] = {}
    for found in names:
        for name in found:
            counts[name] = counts.get(name, 0) + 1
    most = max(2, len(names) // 4)
    return {name for name, n in counts.items() if 2 <= n <= most}


def _nearest(years: set[int], told: tuple[int, int], shared: list[tuple[int, date]]) -> date | None:
    """The day of ``told`` in the one year of ``years``, or in the year nearest the day of the report that
    shares the most rare names with it; None when no report shares one."""
    days = []
    for year in sorted(years):
        try:
            days.append(date(year, *told))
        except ValueError:
            continue
    if len(days) <= 1:
        return days[0] if days else None
    most = max((n for n, _ in shared), default=0)
    if most == 0:
        return None
    near = [d for n, d in shared if n == most]
    return min(days, key=lambda day: min(abs((day - d).days) for d in near))


def _dateline(lines: list[str]) -> str:
    """The report's first line that opens on a yearless dateline."""
    return next((s for ln in lines[:HEADER_LINES] if YEARLESS.match(s := ln.strip())), "")


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
