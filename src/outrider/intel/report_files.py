"""Finding report files: the paths named, the report files inside folders named, `-` for standard input."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from outrider.intel.cleaning import MAX_BYTES
from outrider.intel.ingest import IngestItem
from outrider.intel.pipeline import TextInput

REPORT_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xml", ".rss", ".atom"}
STDIN = "-"


def collect(paths: list[str]) -> list[Path | str]:
    """Files named, and report files inside folders named (sorted); `-` is standard input."""
    found: list[Path | str] = []
    for p in paths:
        if p == STDIN:
            found.append(STDIN)
            continue
        path = Path(p)
        if path.is_dir():
            found.extend(
                sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES)
            )
        else:
            found.append(path)
    return found


def extract_inputs(paths: list[str]) -> Iterator[Path | TextInput]:
    """The reports to extract: paths as they are, standard input read as text."""
    for entry in collect(paths):
        yield TextInput("stdin", sys.stdin.read()) if isinstance(entry, str) else entry


def ingest_item(entry: Path | str) -> IngestItem | str:
    """The input as an ingest item, or a one-line error (too large, unreadable)."""
    if isinstance(entry, str):
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        return IngestItem(source="stdin", doc_id="stdin", data=data)
    try:
        size = entry.stat().st_size
        if size > MAX_BYTES:
            return f"file too large ({size} bytes, limit {MAX_BYTES})"
        return IngestItem(source=str(entry), doc_id=entry.stem, data=entry.read_bytes())
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
