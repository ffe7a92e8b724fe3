"""Public pure API: documents (paths or texts) in, per-document results out, streaming."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from outrider.intel.cleaning import (
    CleanDoc,
    ReportError,
    clean_html,
    clean_text,
    decode,
    looks_like_feed,
    looks_like_html,
    split_feed,
)
from outrider.intel.dates import parse_date_text
from outrider.intel.extract import build_incidents
from outrider.intel.language import detect_language
from outrider.intel.linking import link, reconcile
from outrider.intel.published import dateline_day, find_page_bound, find_published
from outrider.intel.redating import awaits_day, dated_by_datelines, redate


@dataclass(frozen=True)
class DocumentResult:
    """The outcome for one report: incidents, or an error message."""

    doc_id: str
    published: date | None = None
    title: str | None = None
    incidents: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    # kept only for reports without a publication date, to re-resolve dates after linking
    undated: CleanDoc | None = None
    bound: date | None = None
    # how the publication date was found: given, feed, meta (HTML metadata), text (stamp, dateline, header)
    published_how: str | None = None
    outlet: str | None = None
    language: str = "und"
    clean_text: str = ""
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextInput:
    """A report given as text rather than a path."""

    doc_id: str
    text: str


def _doc_result(doc_id: str, doc: CleanDoc, published: date | None, how: str | None = None) -> DocumentResult:
    if published is not None:
        how = how or "given"
    if published is None and doc.meta_published:
        published = parse_date_text(doc.meta_published)
        how = "meta" if published else None
    if published is None:
        body_years = {int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", "\n".join(doc.lines[3:]))}
        published, _ = find_published(list(doc.lines), body_years)
        how = "text" if published else None
    bound = find_page_bound(list(doc.lines)) if published is None else None
    # "QUETTA, March 14 (Agency) - ..." under a later page date: the dateline's day is the report's
    if (
        how in (None, "text")
        and (page := published or bound)
        and (day := dateline_day(list(doc.lines), page))
    ):
        published, bound, how = day, None, "dateline"
    commented = date.fromisoformat(doc.extra["first_comment"]) if doc.extra.get("first_comment") else None
    incidents = build_incidents(doc.lines, published, doc.related, bound=bound, commented=commented)
    for inc in incidents:
        inc["doc_id"] = doc_id
    undated = doc if published is None else None
    text = "\n".join(doc.lines)
    return DocumentResult(
        doc_id,
        published,
        doc.title,
        incidents,
        undated=undated,
        bound=bound,
        published_how=how,
        outlet=doc.extra.get("outlet"),
        language=detect_language(text),
        clean_text=text,
        related=doc.related,
    )


def process_text(doc_id: str, text: str, published: date | None = None) -> Iterator[DocumentResult]:
    """Results for one decoded report (a feed yields one result per entry)."""
    try:
        if looks_like_feed(text):
            for entry_id, body, pub in split_feed(text):
                entry_pub = published or (date.fromisoformat(pub) if pub else None)
                how = "given" if published else "feed" if pub else None
                yield _doc_result(f"{doc_id}#{entry_id}", clean_text(body), entry_pub, how)
            return
        doc = clean_html(text) if looks_like_html(text) else clean_text(text)
        yield _doc_result(doc_id, doc, published)
    except ReportError as exc:
        yield DocumentResult(doc_id, error=str(exc))


def process_bytes(doc_id: str, data: bytes, published: date | None = None) -> Iterator[DocumentResult]:
    """Results for one raw report."""
    try:
        text = decode(data)
    except ReportError as exc:
        yield DocumentResult(doc_id, error=str(exc))
        return
    yield from process_text(doc_id, text, published)


def extract_documents(
    items: Iterable[Path | TextInput], published: date | None = None
) -> Iterator[DocumentResult]:
    """Stream per-document results; memory stays bounded by one document at a time."""
    for item in items:
        if isinstance(item, TextInput):
            yield from process_text(item.doc_id, item.text, published)
            continue
        try:
            data = item.read_bytes()
        except OSError as exc:
            yield DocumentResult(item.stem, error=f"cannot read: {exc.strerror or exc}")
            continue
        yield from process_bytes(item.stem, data, published)


def link_documents(documents: Iterable[DocumentResult]) -> tuple[list[DocumentResult], list[int]]:
    """Link incidents across documents: the documents (undated ones re-resolved) and a cluster per incident.

    A report without publication date whose main event got a day from linked reports has its relative
    expressions ("in August", "Friday's attack") re-resolved on that day, then everything is linked again.
    Incidents are numbered in document order, then in each document's order."""
    results = dated_by_datelines(list(documents))
    incidents = [inc for res in results for inc in res.incidents]
    clusters = link(incidents)
    merged = reconcile(incidents, clusters)
    first = {inc["doc_id"]: i for i, inc in reversed(list(enumerate(merged)))}
    redone = False
    for n, res in enumerate(results):
        idx = first.get(res.doc_id)
        if idx is None or not awaits_day(res):
            continue
        day = [o for o, c in zip(merged, clusters, strict=True) if c == clusters[idx] and o.get("date")]
        day = [o for o in day if o.get("date_precision") == "day" and o["doc_id"] != res.doc_id]
        if not day or merged[idx].get("date") is None:
            continue
        results[n] = replace(res, incidents=redate(res, date.fromisoformat(day[0]["date"])), undated=None)
        redone = True
    if redone:
        clusters = link([inc for res in results for inc in res.incidents])
    return results, clusters


def link_events(documents: Iterable[DocumentResult]) -> list[dict[str, Any]]:
    """Link incidents across documents; returns reconciled incidents with a shared `event_id`.

    An incident still without a date in a report without a publication date that no linked report dated is
    left out: its report tells it by a relative day ("late on Sunday") that nothing anchors, so its date
    cannot be known (a dated report's undated incident, told with no time at all, stays)."""
    results, clusters = link_documents(documents)
    merged = reconcile([inc for res in results for inc in res.incidents], clusters)
    unanchored = {res.doc_id for res in results if res.undated is not None}
    out = []
    for inc, cluster in zip(merged, clusters, strict=True):
        inc["event_id"] = f"ev-{cluster:05d}"
        if inc.get("date") is None and inc["doc_id"] in unanchored:
            continue
        out.append(inc)
    return out
