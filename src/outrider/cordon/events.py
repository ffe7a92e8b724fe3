"""Sightings and inspections: the values, and their parsing from CSV and JSON Lines (bad records counted)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


def normalise_plate(plate: str) -> str:
    """Plates compared without case, spaces or dashes ("LEA 1234" == "lea-1234")."""
    return "".join(ch for ch in plate.upper() if ch.isalnum())


@dataclass(frozen=True, slots=True)
class Sighting:
    """A vehicle seen by a camera or a patrol, in a zone or at a position."""

    plate: str
    at: datetime
    source: str = "camera"
    zone_id: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Inspection:
    """A vehicle inspected at a checkpoint of a site."""

    plate: str
    at: datetime
    checkpoint: str
    site_id: str
    result: str = "cleared"


Event = Sighting | Inspection


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A record that could not be read: where and why."""

    line: int
    reason: str


# The longest text each stored column holds (`cordon/models.py`), and the times the detectors can shift by
# their horizons: what lies outside is a bad record, never a database error.
PLATE_MAX, ZONE_MAX, SOURCE_MAX, CHECKPOINT_MAX, SITE_MAX, RESULT_MAX = 32, 128, 32, 128, 64, 16
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)


def _time(value: Any) -> datetime:
    if not isinstance(value, str) or not value:
        raise ValueError("time is missing")
    at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if at.tzinfo is None:
        raise ValueError(f"time {value!r} has no zone")
    if not EARLIEST <= at < LATEST:
        raise ValueError(f"time {value!r} is outside {EARLIEST.year}-{LATEST.year - 1}")
    return at


def _text(data: dict[str, Any], *keys: str, limit: int, default: str = "") -> str:
    """The first non-empty of ``keys`` as text (a string or a number): no control characters, bounded."""
    value: Any = None
    for key in keys:
        value = data.get(key)
        if value not in (None, ""):
            break
    if value in (None, ""):
        return default
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"{keys[0]} must be text")
    text = str(value).strip()
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise ValueError(f"{keys[0]} holds control characters")
    if len(text) > limit:
        raise ValueError(f"{keys[0]} is longer than {limit} characters")
    return text


def _float(value: Any, name: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} {value!r} is not a number") from None
    if number != number:  # NaN
        raise ValueError(f"{name} is not a number")
    return number


def event_from_mapping(data: dict[str, Any]) -> Event:
    """One event from a mapping: ``kind`` sighting (default) or inspection."""
    kind = _text(data, "kind", limit=32, default="sighting").lower()
    plate = normalise_plate(_text(data, "plate", limit=4 * PLATE_MAX))
    if not plate:
        raise ValueError("plate is missing")
    if len(plate) > PLATE_MAX:
        raise ValueError(f"plate is longer than {PLATE_MAX} letters and digits")
    at = _time(data.get("at") or data.get("time"))
    if kind == "inspection":
        checkpoint = _text(data, "checkpoint", limit=CHECKPOINT_MAX)
        site = _text(data, "site_id", "site", limit=SITE_MAX)
        if not checkpoint or not site:
            raise ValueError("an inspection needs a checkpoint and a site_id")
        result = _text(data, "result", limit=RESULT_MAX, default="cleared").lower()
        if result not in ("cleared", "refused", "detained"):
            raise ValueError(f"unknown inspection result {result!r}")
        return Inspection(plate, at, checkpoint, site, result)
    if kind != "sighting":
        raise ValueError(f"unknown kind {kind!r}; use sighting or inspection")
    zone = _text(data, "zone_id", "zone", limit=ZONE_MAX) or None
    lat, lon = _float(data.get("lat"), "lat"), _float(data.get("lon"), "lon")
    if zone is None and (lat is None or lon is None):
        raise ValueError("a sighting needs a zone_id or lat and lon")
    if (lat is not None and not -90 <= lat <= 90) or (lon is not None and not -180 <= lon <= 180):
        raise ValueError("lat/lon out of range")
    source = _text(data, "source", limit=SOURCE_MAX, default="camera").lower()
    return Sighting(plate, at, source, zone, lat, lon)


def parse_lines(lines: Iterable[str], *, fmt: str) -> Iterator[tuple[int, Event | BadRecord]]:
    """Events from CSV (with a header) or JSON Lines, one by one; a bad record yields a BadRecord."""
    if fmt == "csv":
        reader = csv.DictReader(lines)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # a NUL byte or an oversized field: the reader goes on at the next line
                yield reader.line_num, BadRecord(reader.line_num, f"unreadable CSV: {exc}")
                continue
            line = reader.line_num
            try:
                if None in row:
                    raise ValueError("more fields than the header has columns")
                yield line, event_from_mapping(dict(row))
            except ValueError as exc:
                yield line, BadRecord(line, str(exc))
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("a line must hold a JSON object")
            yield number, event_from_mapping(data)
        except (ValueError, TypeError) as exc:
            yield number, BadRecord(number, str(exc))
        except RecursionError:  # absurdly nested JSON must not end the stream
            yield number, BadRecord(number, "JSON nested too deeply")


def parse_text(text: str, *, fmt: str) -> Iterator[tuple[int, Event | BadRecord]]:
    """The same over a whole text."""
    return parse_lines(io.StringIO(text, newline=""), fmt=fmt)


def event_to_json(event: Event) -> dict[str, Any]:
    """An event as a JSON object (the JSON Lines input format)."""
    if isinstance(event, Inspection):
        return {
            "kind": "inspection",
            "plate": event.plate,
            "at": event.at.isoformat(),
            "checkpoint": event.checkpoint,
            "site_id": event.site_id,
            "result": event.result,
        }
    out: dict[str, Any] = {
        "kind": "sighting",
        "plate": event.plate,
        "at": event.at.isoformat(),
        "source": event.source,
    }
    if event.zone_id is not None:
        out["zone_id"] = event.zone_id
    if event.lat is not None:
        out["lat"], out["lon"] = event.lat, event.lon
    return out
