"""The planning form as typed: kept to be shown again, and checked field by field so that every problem is
told at once, beside its field, in the reader's language."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from outrider.movements import schemas as ms
from outrider.movements.routes import check_route, parse_route_file
from outrider.web.i18n import N_

REFERENCE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
LONGEST = timedelta(hours=72)
LIMITS = {"purpose": 300, "notes": 4000}
MAX_ALTERNATES = 5

# message ids of the problems (translated where they are shown)
CHOOSE_ORIGIN = N_("Choose the site the movement leaves from.")
CHOOSE_DESTINATION = N_("Choose the site the movement goes to.")
GIVE_DEPARTURE = N_("Give the date and time of departure.")
GIVE_ARRIVAL = N_("Give the date and time of arrival.")
ARRIVAL_ORDER = N_("The arrival must come after the departure.")
TOO_LONG_JOURNEY = N_("A movement lasts at most 72 hours: plan a longer journey as several movements.")
TICK_PERSON = N_("Tick at least one protected person.")
BAD_CHOICE = N_("Choose from the list.")
INTERVAL = N_("Give a whole number of minutes from 5 to 1440.")
REFERENCE = N_("Use 3 to 64 letters, digits, dots, dashes or underscores, or leave it empty.")
NO_ROUTE = N_("Draw the route on the map, paste it as GeoJSON, or upload a GeoJSON or GPX file.")
BAD_ROUTE = N_("The route cannot be read (%(reason)s).")
BAD_ALTERNATES = N_("Give at most 5 alternates as a JSON list of LineStrings (%(reason)s).")
TOO_LONG_TEXT = N_("At most %(limit)s characters.")
NOT_VALID = N_("This value is not valid.")
MESSAGES = frozenset(
    {
        CHOOSE_ORIGIN,
        CHOOSE_DESTINATION,
        GIVE_DEPARTURE,
        GIVE_ARRIVAL,
        ARRIVAL_ORDER,
        TOO_LONG_JOURNEY,
        TICK_PERSON,
        BAD_CHOICE,
        INTERVAL,
        REFERENCE,
        NO_ROUTE,
        BAD_ROUTE,
        BAD_ALTERNATES,
        TOO_LONG_TEXT,
        NOT_VALID,
    }
)

# the fields of the form that a field of the plan comes from
FIELD_OF = {
    "reference": "reference",
    "purpose": "purpose",
    "origin": "origin_site",
    "destination": "destination_site",
    "route": "route",
    "alternates": "alternates",
    "planned_departure": "departure",
    "planned_arrival": "arrival",
    "person_ids": "person_ids",
    "vehicle_ids": "vehicle_ids",
    "checkin_interval_min": "checkin_interval",
    "notes": "notes",
}


@dataclass(frozen=True)
class Problem:
    """One problem of the form: the message id and its values."""

    message: str
    values: dict[str, Any] = field(default_factory=dict)


Problems = dict[str, list[Problem]]  # form field -> its problems ("" for the form as a whole)


@dataclass
class PlanForm:
    """What the planner typed, kept to show the form again after an error."""

    reference: str = ""
    purpose: str = ""
    origin_site: int | None = None
    destination_site: int | None = None
    departure: str = ""
    arrival: str = ""
    checkin_interval: str = "30"
    person_ids: list[int] = field(default_factory=list)
    vehicle_ids: list[int] = field(default_factory=list)
    route: str = ""
    alternates: str = ""
    notes: str = ""
    submit_now: bool = False


def _add(problems: Problems, name: str, message: str, **values: Any) -> None:
    problems.setdefault(name, []).append(Problem(message, values))


def _id(text: str) -> int | None:
    text = text.strip()
    return int(text) if _whole(text) and 0 < int(text) < 2**63 else None


def _whole(text: str) -> bool:
    """Digits 0-9 only (str.isdigit also takes superscripts and other scripts' digits)."""
    return text.isascii() and text.isdigit()


def _ids(texts: Sequence[str], name: str, problems: Problems) -> list[int]:
    ids = [_id(t) for t in texts if t.strip()]
    if any(i is None for i in ids):
        _add(problems, name, BAD_CHOICE)
    return [i for i in ids if i is not None]


def read(raw: dict[str, Any]) -> tuple[PlanForm, Problems]:
    """The form from the submitted fields (all text), with the problems found in the choices."""
    problems: Problems = {}
    form = PlanForm(
        reference=raw["reference"].strip(),
        purpose=raw["purpose"],
        origin_site=_id(raw["origin_site"]),
        destination_site=_id(raw["destination_site"]),
        departure=raw["departure"].strip(),
        arrival=raw["arrival"].strip(),
        checkin_interval=raw["checkin_interval"].strip(),
        person_ids=_ids(raw["person_ids"], "person_ids", problems),
        vehicle_ids=_ids(raw["vehicle_ids"], "vehicle_ids", problems),
        route=raw["route"],
        alternates=raw["alternates"],
        notes=raw["notes"],
        submit_now=raw["submit_now"],
    )
    if form.origin_site is None:
        _add(problems, "origin_site", CHOOSE_ORIGIN)
    if form.destination_site is None:
        _add(problems, "destination_site", CHOOSE_DESTINATION)
    if not form.person_ids and "person_ids" not in problems:
        _add(problems, "person_ids", TICK_PERSON)
    interval = form.checkin_interval
    if not (_whole(interval) and 5 <= int(interval) <= 24 * 60):
        _add(problems, "checkin_interval", INTERVAL)
    ref = form.reference
    if ref and not (3 <= len(ref) <= 64 and set(ref) <= REFERENCE_CHARS):
        _add(problems, "reference", REFERENCE)
    for name, limit in LIMITS.items():
        if len(getattr(form, name)) > limit:
            _add(problems, name, TOO_LONG_TEXT, limit=limit)
    return form, problems


def _when(value: str, zone: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(zone))
    except (ValueError, ZoneInfoNotFoundError):
        return None


def _times(form: PlanForm, zone: str, problems: Problems) -> tuple[datetime | None, datetime | None]:
    departure = _when(form.departure, zone)
    arrival = _when(form.arrival, zone)
    if departure is None:
        _add(problems, "departure", GIVE_DEPARTURE)
    if arrival is None:
        _add(problems, "arrival", GIVE_ARRIVAL)
    if departure is not None and arrival is not None:
        if arrival <= departure:
            _add(problems, "arrival", ARRIVAL_ORDER)
        elif arrival - departure > LONGEST:
            _add(problems, "arrival", TOO_LONG_JOURNEY)
    return departure, arrival


def _route(form: PlanForm, uploaded: tuple[bytes, str] | None, problems: Problems) -> dict[str, Any] | None:
    try:
        if uploaded is not None:
            return parse_route_file(uploaded[0], uploaded[1])
        if not form.route.strip():
            _add(problems, "route", NO_ROUTE)
            return None
        return check_route(json.loads(form.route))
    except (ValueError, TypeError) as exc:
        _add(problems, "route", BAD_ROUTE, reason=str(exc))
        return None


def alternates(text: str) -> list[dict[str, Any]]:
    """Alternates as a JSON list of LineStrings or a FeatureCollection of them (optional), else ValueError."""
    if not text.strip():
        return []
    try:
        value = json.loads(text)
        items = value.get("features", []) if isinstance(value, dict) else value
        if not isinstance(items, list):
            raise ValueError("give a list of LineStrings or a FeatureCollection")
        if len(items) > MAX_ALTERNATES:
            raise ValueError(f"{len(items)} given")
        return [check_route(item) for item in items]
    except (TypeError, AttributeError) as exc:
        raise ValueError(str(exc)) from None


def _alternates(form: PlanForm, problems: Problems) -> list[dict[str, Any]]:
    try:
        return alternates(form.alternates)
    except ValueError as exc:
        _add(problems, "alternates", BAD_ALTERNATES, reason=str(exc))
        return []


def plan_of(
    form: PlanForm,
    problems: Problems,
    *,
    zone_of: Callable[[int], str | None],
    uploaded: tuple[bytes, str] | None,
) -> ms.MovementCreate | None:
    """The plan, when the form has no problem; else None, with every problem added to `problems`.
    `zone_of` gives a site's time zone, or None when the planner may not read the site."""
    zone = "UTC"
    for name in ("origin_site", "destination_site"):
        site = getattr(form, name)
        found = zone_of(site) if site is not None else None
        if site is not None and found is None:
            _add(problems, name, BAD_CHOICE)
        if name == "origin_site" and found is not None:
            zone = found
    departure, arrival = _times(form, zone, problems)
    route = _route(form, uploaded, problems)
    alts = _alternates(form, problems)
    if problems:
        return None
    values = {
        "reference": form.reference or None,
        "purpose": form.purpose,
        "origin": {"site_id": form.origin_site},
        "destination": {"site_id": form.destination_site},
        "route": route,
        "alternates": alts,
        "planned_departure": departure,
        "planned_arrival": arrival,
        "person_ids": form.person_ids,
        "vehicle_ids": form.vehicle_ids,
        "checkin_interval_min": int(form.checkin_interval),
        "notes": form.notes,
    }
    try:
        return ms.MovementCreate.model_validate(values)
    except ValidationError as exc:  # what the checks above do not foresee, beside its field still
        for error in exc.errors():
            loc = error.get("loc", ())
            name = FIELD_OF.get(str(loc[0]), "") if loc else ""
            _add(problems, name, NOT_VALID)
        return None
