"""CSV text that a spreadsheet opens without running anything: every CSV file the project writes goes
through here (the intelligence exports, the release ledger, the protocol compliance report).

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula
by Excel, LibreOffice and Google Sheets (CSV injection: ``=HYPERLINK(...)`` in a name taken from a news
report or typed as a movement's reference). Such a cell is written with a leading ``'``, which the
spreadsheet shows as text. Numbers are left alone: ``-33.9`` stays a number. Lines end in CRLF (RFC
4180), so a cell holding a carriage return is quoted like one holding a line feed: a bare ``\r`` inside a
cell would end the row early for every reader, and what followed it would start a row of its own, its
first cell free to be a formula. Pure: values in, text out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: str) -> str:
    """The text as a spreadsheet shows it without running it: a leading ``'`` before a formula's start."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def table(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """The header, then one line per row in ``columns`` (a missing value is empty, None too); every text
    value goes through `inert`, other values are written as ``str`` writes them."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: inert(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows)
    return buffer.getvalue()
