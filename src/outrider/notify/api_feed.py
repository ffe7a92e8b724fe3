"""`GET /api/v1/alerts/cap.atom`: the open alerts a reader may see, as an Atom feed of CAP 1.2 messages.

Signed in (a bearer token, or the web session) the feed is the caller's: its alerts, each redacted for
it; with ``?key=`` a feed key reads as its organisation and is shown no itinerary fact. The router is
registered before the alerts' own, whose ``/{alert_id}`` would otherwise take the path.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Query, Request, Response

from outrider.access.policy import Caller
from outrider.alerts import service as alerts_service
from outrider.alerts import views
from outrider.alerts.models import Alert
from outrider.alerts.schemas import AlertRead
from outrider.db import utcnow
from outrider.http import SessionDep, SettingsDep, current_caller, current_user, oauth2_scheme
from outrider.notify import feed_keys
from outrider.notify.atom import ATOM_MEDIA_TYPE, FeedEntry, atom_feed
from outrider.notify.cap import CapAlert, CapReference, MsgType, identifier, token
from outrider.notify.feed_keys import FEED_PATH

router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"])

FEED_LIMIT = 200  # the newest open alerts; a reader with more open alerts pages through the JSON API
POSITION_RADIUS_KM = 1.0  # the circle drawn around a reported position


def _caller(
    request: Request, session: SessionDep, settings: SettingsDep, token_: str | None, key: str | None
) -> Caller:
    if key is not None:
        return feed_keys.reader(session, key=key, now=utcnow())
    return current_caller(request, current_user(request, session, settings, token_))


def _version(moment: datetime) -> int:
    """A version number of an alert's message: the milliseconds of the change it shows."""
    return int(moment.timestamp() * 1000)


def _position(view: AlertRead, alert: Alert, known: Mapping[int, str]) -> tuple[float, float, float] | None:
    """The reported position, only as the reader may know it: a movement's for its need-to-know list."""
    lat, lon = view.details.get("lat"), view.details.get("lon")
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return None
    if views.movements_of(alert) - set(known):
        return None
    return float(lat), float(lon), POSITION_RADIUS_KM


def _description(view: AlertRead) -> str:
    state = "acknowledged" if view.acknowledged_at else "not acknowledged"
    return (
        f"Raised {view.created_at.isoformat()}; {view.occurrences} occurrence(s); "
        f"escalation level {view.escalation_level}; {state}."
    )


def cap_of(
    alert: Alert, view: AlertRead, known: Mapping[int, str], *, sender: str, deployment: str, base: str
) -> CapAlert:
    """An alert's current CAP message for one reader: Alert when never changed, else an Update that
    references the first issue (Cancel once resolved)."""
    first = CapReference(
        sender, identifier(deployment, alert.id, _version(alert.created_at)), alert.created_at
    )
    changed = alert.updated_at > alert.created_at
    msg_type = MsgType.cancel if alert.resolved_at else (MsgType.update if changed else MsgType.alert)
    circle = _position(view, alert, known)
    return CapAlert(
        alert_id=alert.id,
        version=_version(alert.updated_at),
        kind=alert.kind,
        severity=alert.severity,
        title=view.title,
        sent=alert.updated_at,
        msg_type=msg_type,
        exercise=bool(view.details.get("exercise") is True),
        description=_description(view),
        references=(first,) if msg_type is not MsgType.alert else (),
        area_desc="Reported position" if circle else "Not disclosed to this reader",
        circle=circle,
        web=f"{base}/api/v1/alerts/{alert.id}",
    )


@router.get(
    "/cap.atom",
    response_class=Response,
    responses={
        200: {
            "description": "An Atom feed whose entries carry CAP 1.2 messages (application/cap+xml)",
            "content": {ATOM_MEDIA_TYPE: {"schema": {"type": "string"}}},
        },
    },
)
def cap_feed(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    token_: Annotated[str | None, Depends(oauth2_scheme)],
    key: Annotated[
        str | None, Query(min_length=1, max_length=200, description="a feed key, instead of a bearer token")
    ] = None,
) -> Response:
    """The open alerts the caller may see (the newest 200), each as a CAP 1.2 message redacted for it."""
    caller = _caller(request, session, settings, token_, key)
    now = utcnow()
    rows, _total = alerts_service.list_alerts(session, caller=caller, status="open", limit=FEED_LIMIT)
    known: Mapping[int, str] = {} if key is not None else views.known_movements(session, caller, rows, now)
    # the deployment's public address names it (stable identifiers behind any proxy), else the request's
    base = (settings.public_url or str(request.base_url)).rstrip("/")
    deployment = token(urlsplit(base).hostname or "outrider")
    sender = f"outrider@{deployment}"
    entries = [
        FeedEntry(
            cap=cap_of(
                alert, views.view_with(alert, known), known, sender=sender, deployment=deployment, base=base
            ),
            url=f"{base}/api/v1/alerts/{alert.id}",
        )
        for alert in rows
    ]
    views.record_shown(session, caller, rows, known, now)  # what a signed-in reader was shown (a key: none)
    body = atom_feed(
        feed_id=f"{base}{FEED_PATH}?organization={caller.organization_id}",
        title="Outrider alerts (CAP 1.2)",
        self_url=f"{base}{FEED_PATH}",
        updated=now,
        entries=entries,
        sender=sender,
        deployment=deployment,
    )
    headers: dict[str, Any] = {"cache-control": "private, no-store"}
    return Response(body, media_type=ATOM_MEDIA_TYPE, headers=headers)
