"""Public incident data sets (GTD, ACLED) read from CSV into gold-schema incident records.

Pure: lines in, records out; no database, no clock. Each data row gives a `DatasetRecord`, a `RowError`
(line number and reason) or a `RowDropped` (kept out on purpose: not an attack, another country). A
bad row never stops the file; a header that is neither format is refused with `DatasetFormatError`.
This module tells the format and reads the file; each family's rows are read in `gtd` and `acled`,
with what they share in `dataset_rows`.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable, Iterator

from outrider.intel.acled import parse_acled
from outrider.intel.actors import ActorRegistry
from outrider.intel.dataset_rows import BadRow, Row, RowError
from outrider.intel.gtd import parse_gtd

FORMATS = ("gtd", "acled")
# columns a file must have to be read as the format (detection needs the first group)
_DETECT = {
    "gtd": {"eventid", "iyear", "imonth", "iday"},
    "acled": {"event_id_cnty", "event_date", "event_type"},
}
_REQUIRED = {
    "gtd": _DETECT["gtd"] | {"country_txt", "latitude", "longitude", "attacktype1_txt"},
    "acled": _DETECT["acled"] | {"country", "latitude", "longitude"},
}


class DatasetFormatError(ValueError):
    """The file is not a GTD or ACLED export (or lacks columns its format needs)."""


# ---------------------------------------------------------------- reading


def _decoded(lines: Iterable[bytes | str]) -> Iterator[str]:
    """UTF-8 lines; from the first line that is not UTF-8 on, Windows-1252 (GTD's usual encoding)."""
    legacy = False
    first = True
    for raw in lines:
        text = raw if isinstance(raw, str) else _decode_line(raw, legacy)
        if not isinstance(raw, str) and not legacy:
            legacy = text is None
            text = text if text is not None else _decode_line(raw, True)
        assert text is not None
        if first:
            text, first = text.removeprefix("\ufeff"), False
        yield text


def _decode_line(raw: bytes, legacy: bool) -> str | None:
    if not legacy:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return raw.decode("latin-1")


class DatasetFile:
    """A GTD or ACLED CSV export: the header is read (and the format told) at once, the rows on demand."""

    def __init__(self, lines: Iterable[bytes | str], fmt: str | None = None) -> None:
        self._reader = csv.reader(_decoded(lines))
        try:
            header = next(self._reader)
        except StopIteration:
            raise DatasetFormatError("empty file: no header line") from None
        except csv.Error as exc:
            raise DatasetFormatError(f"unreadable header: {exc}") from None
        self.header = [h.strip().lower() for h in header]
        names = set(self.header)
        found = [f for f in FORMATS if _DETECT[f] <= names]
        if fmt is None:
            if not found:
                raise DatasetFormatError(
                    "not a GTD or ACLED export: the header has neither GTD's eventid, iyear, imonth, iday "
                    "nor ACLED's event_id_cnty, event_date, event_type"
                )
            fmt = found[0]
        if fmt not in FORMATS:
            raise DatasetFormatError(f"unknown format {fmt!r}: gtd or acled")
        missing = sorted(_REQUIRED[fmt] - names)
        if missing:
            raise DatasetFormatError(f"not a {fmt.upper()} export: the header lacks {', '.join(missing)}")
        self.format = fmt

    def rows(self, *, actors: ActorRegistry | None = None, countries: Collection[str] = ()) -> Iterator[Row]:
        """Every data row as a record, an error or a drop; `countries` (ISO2) keeps only those.

        Group names resolve through `actors` (default: the registry in force, `actors.current()`)."""
        wanted = {c.upper() for c in countries}
        parse = parse_gtd if self.format == "gtd" else parse_acled
        width = len(self.header)
        while True:
            line = self._reader.line_num + 1
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RowError(line, f"unreadable CSV row: {exc}")
                continue
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue  # blank line
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                yield RowError(line, f"{len(cells)} fields where the header has {width}")
                continue
            row = dict(zip(self.header, (c.strip() for c in cells), strict=False))
            try:
                yield parse(row, line, actors, wanted)
            except BadRow as exc:
                yield RowError(line, str(exc))
