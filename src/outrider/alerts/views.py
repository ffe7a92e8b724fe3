"""What a reader sees of an alert: its movements' itinerary facts only for their need-to-know list.

Alerts import no other domain, so what they need of movements comes through functions that the composition
root registers: a movement alert's audience (the parties of the movement), which of some movements'
itineraries a caller may read now (with each one's time zone), and the record of the itinerary facts a reader
was shown (as a board read is recorded: who-knew finds it). Without them an alert is seen by its owner only
and shows no itinerary fact to anyone (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.alerts.models import Alert
from outrider.alerts.schemas import AlertRead

# (session, movement id) -> the organisations that are parties of that movement
MovementAudience = Callable[[Session, int], Iterable[int]]
# (session, caller, movement ids, now) -> {movement id: its time zone} for those whose itinerary it may read
ItineraryReader = Callable[[Session, Caller, Collection[int], datetime], Mapping[int, str]]
# (session, caller, {movement id: its reference, if the alert names it}, now) -> records that the caller was
# shown these movements' itinerary facts (their times, positions or places)
ItineraryRecorder = Callable[[Session, Caller, Mapping[int, str | None], datetime], None]

_hooks: dict[str, Any] = {}
# Keys of a movement alert's details that are the movement's times (itinerary facts).
MOVEMENT_TIME_KEYS = ("due_at", "planned_departure", "planned_arrival")
# Keys of a movement alert's details that place it (positions, what was said from the road): removed for a
# reader off its need-to-know list, as is any other time (``*_at``) of it.
MOVEMENT_PLACE_KEYS = (
    "lat",
    "lon",
    "position",
    "positions",
    "route",
    "origin",
    "destination",
    "off_route_m",
    "note",
)
HIDDEN_MOVEMENT = "a protected movement"
# The key of an alert's details listing users never to be called about it nor shown it: who gave a silent
# duress signal (a message to their phone, or the alert on their screen, would tell whoever forced the
# check-in that the alarm was raised).
SILENT_TO = "silent_to"


def silent_to(alert: Alert) -> frozenset[int]:
    """The users an alert must never be sent nor shown to (its details' ``silent_to``)."""
    return silent_in(alert.details)


def silent_in(details: Any) -> frozenset[int]:
    """The users that alert details name ``silent_to``."""
    said = details.get(SILENT_TO) if isinstance(details, dict) else None
    if not isinstance(said, list):
        return frozenset()
    return frozenset(u for u in said if isinstance(u, int) and not isinstance(u, bool))


def register(
    *,
    movement_audience: MovementAudience,
    itinerary_reader: ItineraryReader,
    itinerary_recorder: ItineraryRecorder,
) -> None:
    """Attach what alerts need of movements (the composition root calls this; idempotent)."""
    _hooks["audience"] = movement_audience
    _hooks["reader"] = itinerary_reader
    _hooks["recorder"] = itinerary_recorder


def movement_audience(session: Session, movement_id: int) -> frozenset[int]:
    """The organisations that see an alert about this movement beside its owner (none when unwired)."""
    hook: MovementAudience | None = _hooks.get("audience")
    return frozenset(hook(session, movement_id)) if hook is not None else frozenset()


def movements_of(alert: Alert) -> set[int]:
    """The movements whose itinerary facts an alert carries: its subject, or those its details list."""
    found: set[int] = set()
    if alert.subject_type == "movement" and alert.subject_id.isdigit():
        found.add(int(alert.subject_id))
    for entry in _itinerary(alert.details):
        found.add(int(entry["movement_id"]))
    return found


def _itinerary(details: Any) -> list[dict[str, Any]]:
    entries = details.get("itinerary") if isinstance(details, dict) else None
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("movement_id"), int)]


def _local(value: Any, zone: str) -> Any:
    try:
        return datetime.fromisoformat(str(value)).astimezone(ZoneInfo(zone)).isoformat()
    except (ValueError, KeyError):
        return value


def redact(
    *, title: str, details: dict[str, Any], subject_type: str, subject_id: str, known: Mapping[int, str]
) -> tuple[str, dict[str, Any]]:
    """The title and details a reader sees, given the movements whose itinerary it may read (``known``:
    id -> time zone): the others' references and times are removed; known times are in local time."""
    shown = {k: v for k, v in details.items() if k != "itinerary"}
    entries = _itinerary(details)
    kept = [e for e in entries if e["movement_id"] in known]
    if "itinerary" in details:
        shown["itinerary"] = [{**e, "due": _local(e.get("due"), known[e["movement_id"]])} for e in kept]
    kept_refs = {str(e.get("reference")) for e in kept}
    hidden_refs = {str(e.get("reference")) for e in entries if e not in kept and e.get("reference")}
    evidence = shown.get("evidence")
    if isinstance(evidence, dict) and isinstance(evidence.get("movements"), list):
        # a reference the itinerary does not vouch for is shown to nobody (fail closed)
        shown["evidence"] = {**evidence, "movements": [r for r in evidence["movements"] if r in kept_refs]}
        hidden_refs |= {str(r) for r in evidence["movements"] if r not in kept_refs}
    if subject_type == "movement" and subject_id.isdigit():
        zone = known.get(int(subject_id))
        for key in MOVEMENT_TIME_KEYS:
            if key in shown:
                if zone is None:
                    shown.pop(key)
                else:
                    shown[key] = _local(shown[key], zone)
        if zone is None:  # where and when the movement was: itinerary facts too
            for key in [k for k in shown if _itinerary_key(k)]:
                shown.pop(key)
    for ref in sorted(hidden_refs, key=len, reverse=True):
        title = title.replace(ref, HIDDEN_MOVEMENT)
    return title, shown


def known_movements(
    session: Session, caller: Caller, alerts: Sequence[Alert], now: datetime
) -> dict[int, str]:
    """The movements of these alerts whose itinerary the caller may read now, with their time zones."""
    ids: set[int] = set()
    for alert in alerts:
        ids |= movements_of(alert)
    hook: ItineraryReader | None = _hooks.get("reader")
    if not ids or hook is None:
        return {}
    return dict(hook(session, caller, sorted(ids), now))


def views(
    session: Session, *, caller: Caller, alerts: Sequence[Alert], now: datetime, record: bool = True
) -> list[AlertRead]:
    """The alerts as this caller may see them (never changes the stored alerts), and, unless ``record`` is
    False (a caller that shows titles alone), one record of the itinerary facts their details show it."""
    known = known_movements(session, caller, alerts, now)
    shown = [view_with(alert, known) for alert in alerts]
    if record:
        record_shown(session, caller, alerts, known, now)
    return shown


def record_shown(
    session: Session, caller: Caller, alerts: Sequence[Alert], known: Mapping[int, str], now: datetime
) -> None:
    """Record the itinerary facts these alerts, redacted for ``known`` (`view_with`), show the caller: one
    read naming their movements (none when they show none)."""
    facts = shown_itineraries(alerts, known)
    hook: ItineraryRecorder | None = _hooks.get("recorder")
    if facts and hook is not None:  # (without a recorder no reader either: nothing is known, nothing shown)
        hook(session, caller, facts, now)


def shown_itineraries(alerts: Sequence[Alert], known: Mapping[int, str]) -> dict[int, str | None]:
    """The movements whose itinerary facts these alerts' details show a reader who may read ``known``'s
    (an itinerary's due times; a movement alert's times, positions or places), with their references."""
    found: dict[int, str | None] = {}
    for alert in alerts:
        details = alert.details if isinstance(alert.details, dict) else {}
        for entry in _itinerary(details):
            if entry["movement_id"] in known:
                ref = entry.get("reference")
                found[entry["movement_id"]] = ref if isinstance(ref, str) else None
        of_movement = alert.subject_type == "movement" and alert.subject_id.isdigit()
        subject = int(alert.subject_id) if of_movement else -1
        if subject in known and any(_itinerary_key(key) for key in details):
            said = details.get("reference")
            found.setdefault(subject, said if isinstance(said, str) else None)
    return found


def _itinerary_key(key: str) -> bool:
    return key in MOVEMENT_TIME_KEYS or key in MOVEMENT_PLACE_KEYS or key.endswith("_at")


_READ_FIELDS = tuple(AlertRead.model_fields)


def view_with(alert: Alert, known: Mapping[int, str]) -> AlertRead:
    """One alert as a reader who may read the itineraries of ``known`` sees it (its values redacted first,
    then validated once: a model built, then copied with the redaction, cost twice as much)."""
    values: dict[str, Any] = {name: getattr(alert, name) for name in _READ_FIELDS}
    values["title"], values["details"] = redact(
        title=alert.title,
        details=dict(alert.details or {}),
        subject_type=alert.subject_type,
        subject_id=alert.subject_id,
        known=known,
    )
    if any(m not in known for m in movements_of(alert)):
        # what people wrote about a movement they escort may place it: only for its need-to-know list
        values.update(acknowledge_note="", resolution_reason="", escalation_reason="")
    return AlertRead.model_validate(values)


def view(session: Session, *, caller: Caller, alert: Alert, now: datetime) -> AlertRead:
    """One alert as this caller may see it (the itinerary facts it shows recorded, as `views` does)."""
    return views(session, caller=caller, alerts=[alert], now=now)[0]
