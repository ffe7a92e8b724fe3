"""Public pure API: documents (paths or texts) in, per-document results out, streaming."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
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
from outrider.intel.dates import find_published, parse_date_text
from outrider.intel.extract import build_incidents
from outrider.intel.linking import link, reconcile


@dataclass(frozen=True)
class DocumentResult:
    """The outcome for one report: incidents, or an error message."""

    doc_id: str
    published: date | None = None
    title: str | None = None
    incidents: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None


@dataclass(frozen=True)
class TextInput:
    """A report given as text rather than a path."""

    doc_id: str
    text: str


def _doc_result(doc_id: str, doc: CleanDoc, published: date | None) -> DocumentResult:
    if published is None and doc.meta_published:
        published = parse_date_text(doc.meta_published)
    if published is None:
        body_years = {int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", "\n".join(doc.lines[3:]))}
        published, _ = find_published(list(doc.lines), body_years)
    incidents = build_incidents(doc.lines, published, doc.related)
    for inc in incidents:
        inc["doc_id"] = doc_id
    return DocumentResult(doc_id, published, doc.title, incidents)


def process_text(doc_id: str, text: str, published: date | None = None) -> Iterator[DocumentResult]:
    """Results for one decoded report (a feed yields one result per entry)."""
    try:
        if looks_like_feed(text):
            for entry_id, body, pub in split_feed(text):
                entry_pub = published or (date.fromisoformat(pub) if pub else None)
                yield _doc_result(f"{doc_id}#{entry_id}", clean_text(body), entry_pub)
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


def link_events(results: Iterable[DocumentResult]) -> list[dict[str, Any]]:
    """Link incidents across documents; returns reconciled incidents with a shared `event_id`."""
    incidents = [inc for res in results for inc in res.incidents]
    clusters = link(incidents)
    merged = reconcile(incidents, clusters)
    for inc, cluster in zip(merged, clusters, strict=True):
        inc["event_id"] = f"ev-{cluster:05d}"
    return merged
