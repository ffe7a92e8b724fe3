"""The values of a partner's STIX objects as Outrider holds them, as a pure core: checked, or `Malformed`.

Each value goes into a column of intelligence (`outrider.intel.models`), so each is checked for its kind,
range and length here: a value the database could not hold is a malformed object, refused with the
field's name, never an error of the server. Dates are kept as ISO text (``2026-10-02``), as incidents'
extracted values are.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from outrider.intel.schemas import AttackType, DatePrecision, TargetType, Weapon
from outrider.sharing.policy import FIELDS

MAX_COUNT = 1_000_000
# what Outrider's export names a source whose outlet it does not know (STIX requires a source_name)
UNNAMED_OUTLET = "news report"
_COUNTRY = re.compile(r"[A-Z]{2}")
_EVENT_STATUS = ("proposed", "confirmed")
# an event's values: what Outrider's export may release of an event, each in its incident extension
EVENT_KEYS = tuple(sorted(FIELDS["event"]))
_TEXT = {"admin1": 100, "city": 100, "location_text": 300, "perpetrator": 200}
_CODES: dict[str, Any] = {
    "attack_type": AttackType,
    "weapon": Weapon,
    "target_type": TargetType,
    "date_precision": DatePrecision,
}


class Malformed(ValueError):
    """A value Outrider cannot hold; the message names the field."""


def text(value: Any, field: str, limit: int, *, required: bool = False) -> str | None:
    """A text of at most ``limit`` characters (None when absent and not required)."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise Malformed(f"{field} is not a text")
    if len(value) > limit or "\x00" in value:
        raise Malformed(f"{field} is longer than {limit} characters or holds a NUL")
    return value


def whole(value: Any, field: str, high: int = MAX_COUNT) -> int | None:
    """A whole number from 0 to ``high``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise Malformed(f"{field} is not a whole number from 0 to {high}")
    return value


def number(value: Any, field: str, low: float, high: float) -> float | None:
    """A finite number within [low, high]."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Malformed(f"{field} is not a number")
    out = float(value)
    if not math.isfinite(out) or not low <= out <= high:
        raise Malformed(f"{field} is not within {low} and {high}")
    return out


def flag(value: Any, field: str) -> bool | None:
    """True, false or absent."""
    if value is not None and not isinstance(value, bool):
        raise Malformed(f"{field} is not true or false")
    return value


def day(value: Any, field: str) -> str | None:
    """A day as ISO text, from an ISO date or a STIX timestamp (its day in UTC)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise Malformed(f"{field} is not a date")
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Malformed(f"{field} is not an ISO 8601 date") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    return parsed.date().isoformat()


def stamp(value: Any) -> datetime | None:
    """A STIX timestamp (``modified``) as an aware datetime, or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def code(value: Any, field: str) -> str | None:
    """One of Outrider's codes for this field (``docs/intel.md``)."""
    if value is None:
        return None
    allowed = {c.value for c in _CODES[field]}
    if not isinstance(value, str) or value not in allowed:
        raise Malformed(f"{field} is not one of {', '.join(sorted(allowed))}")
    return str(value)


def country(value: Any) -> str | None:
    """An ISO 3166-1 alpha-2 code, upper case."""
    if value is None:
        return None
    if not isinstance(value, str) or not _COUNTRY.fullmatch(value.upper()):
        raise Malformed("country is not a two-letter ISO 3166 code")
    return value.upper()


def event_from_extension(ext: dict[str, Any]) -> dict[str, Any]:
    """An event's values from Outrider's incident extension (properties absent stay None)."""
    out: dict[str, Any] = {
        "date": day(ext.get("date"), "date"),
        "country": country(ext.get("country")),
        "lat": number(ext.get("lat"), "lat", -90, 90),
        "lon": number(ext.get("lon"), "lon", -180, 180),
        "killed": whole(ext.get("killed"), "killed"),
        "wounded": whole(ext.get("wounded"), "wounded"),
        "suicide": flag(ext.get("suicide"), "suicide"),
        "claimed": flag(ext.get("claimed"), "claimed"),
        "confidence": number(ext.get("confidence"), "confidence", 0, 1),
        "reports": whole(ext.get("reports"), "reports"),
    }
    out |= {k: text(ext.get(k), k, limit) for k, limit in _TEXT.items()}
    out |= {k: code(ext.get(k), k) for k in _CODES}
    status = ext.get("status")
    if status is not None and status not in _EVENT_STATUS:
        raise Malformed(f"status is not one of {', '.join(_EVENT_STATUS)}")
    out["status"] = status
    return {k: out[k] for k in EVENT_KEYS}


def event_from_standard(
    obj: dict[str, Any],
    places: Sequence[dict[str, Any]],
    methods: Sequence[dict[str, Any]],
    actors: Sequence[dict[str, Any]],
    seen: Sequence[Any],
) -> dict[str, Any]:
    """A partner's own incident, without Outrider's extension: what its standard properties tell.

    Where: its first ``located-at`` location; how: a ``uses`` attack pattern named with one of
    Outrider's attack types; by whom: its first ``attributed-to`` threat actor; when: its ``first_seen``
    (a custom property some producers set), else the earliest ``first_seen`` of its sightings."""
    out: dict[str, Any] = dict.fromkeys(EVENT_KEYS)
    place = places[0] if places else {}
    out["country"] = country(place.get("country"))
    out["lat"] = number(place.get("latitude"), "latitude", -90, 90)
    out["lon"] = number(place.get("longitude"), "longitude", -180, 180)
    out["city"] = text(place.get("city"), "city", 100)
    out["admin1"] = text(place.get("administrative_area"), "administrative_area", 100)
    out["location_text"] = text(place.get("name") or obj.get("name"), "name", 300)
    kinds = {c.value for c in AttackType}
    out["attack_type"] = next(
        (m["name"] for m in methods if isinstance(m.get("name"), str) and m["name"] in kinds), None
    )
    out["perpetrator"] = text(actors[0].get("name"), "perpetrator", 200) if actors else None
    days = sorted(d for d in (day(v, "first_seen") for v in [obj.get("first_seen"), *seen]) if d)
    out["date"] = days[0] if days else None
    out["date_precision"] = "day" if days else "unknown"
    return out


def _source(obj: dict[str, Any]) -> tuple[str | None, str | None]:
    """The outlet and web address of an object's first external reference with a web address."""
    for ref in obj.get("external_references") or []:
        url = ref.get("url") if isinstance(ref, dict) else None
        if isinstance(url, str) and url.startswith(("https://", "http://")):
            outlet = text(ref.get("source_name"), "source_name", 200)
            return (None if outlet == UNNAMED_OUTLET else outlet), text(url, "url", 500)
    return None, None


def sighting(obj: dict[str, Any]) -> dict[str, Any]:
    """A corroboration: the day its report was published and its source, when the partner gave them."""
    outlet, url = _source(obj)
    return {"published": day(obj.get("first_seen"), "first_seen"), "outlet": outlet, "url": url}


def report(obj: dict[str, Any]) -> dict[str, Any]:
    """A report: title, publication day, language, source, and its description as its text."""
    outlet, url = _source(obj)
    return {
        "title": text(obj.get("name"), "name", 500),
        "published": day(obj.get("published"), "published"),
        "language": text(obj.get("lang"), "lang", 8),
        "outlet": outlet,
        "url": url,
        "text": text(obj.get("description"), "description", 200_000) or "",
    }


def actor(obj: dict[str, Any]) -> dict[str, Any]:
    """An actor: name, aliases, kind (an agency when the partner calls it a nation state), notes."""
    aliases = obj.get("aliases") or []
    if not isinstance(aliases, list) or len(aliases) > 100:
        raise Malformed("aliases is not a list of at most 100 names")
    clean = sorted({a.strip() for a in (text(a, "aliases", 200) for a in aliases) if a and a.strip()})
    types = obj.get("threat_actor_types") or []
    return {
        "name": (text(obj.get("name"), "name", 200, required=True) or "").strip(),
        "aliases": clean,
        "kind": "agency" if isinstance(types, list) and "nation-state" in types else "group",
        "notes": text(obj.get("description"), "description", 20_000) or "",
    }
