"""The words of a delivery, rendered at send time for ONE recipient, through the alerts' need-to-know view.

A user's message is what that user may read of the alert now: its title as the alerts page shows it to them
(a movement they are not on the need-to-know list of is named "a protected movement"), its severity and kind,
and a link. A recipient off the list of the movement an alert is about gets one sentence, "movement MOV-… is
overdue, open Outrider", and never a time, a route or a position; one who may not read the alert at all gets
only "an alert needs you". A webhook gets a thin payload of ids and a link, never a title. Nothing here
writes: rendering reads, the dispatcher records (a message that carried an itinerary fact to its recipient
is recorded as a read of the movement once it is sent: `reads`).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts.models import User
from outrider.alerts import service as alerts_service
from outrider.alerts import views
from outrider.alerts.models import Alert
from outrider.http import caller_of
from outrider.notify import reads
from outrider.notify.models import Notification
from outrider.settings import get_settings

# What a movement alert's kind says of the movement, to a recipient off its need-to-know list.
MOVEMENT_KIND_WORDS = {"movement_overdue": "is overdue"}


@dataclass(frozen=True, slots=True)
class Rendered:
    """A message's words: subject, text, HTML, and the webhook payload; and the itinerary facts the words
    carry (movement id -> reference, and the facts' fields), for the record of the read once it is sent."""

    subject: str
    text: str
    html: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    itinerary: dict[int, str | None] = field(default_factory=dict)
    itinerary_fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Words:
    """An alert's subject and lines for one reader, and the itinerary facts among them."""

    subject: str
    lines: list[str]
    itinerary: dict[int, str | None] = field(default_factory=dict)
    fields: tuple[str, ...] = ()


def page_url(path: str) -> str:
    """A page of Outrider: under OUTRIDER_PUBLIC_URL when set, else the path on the recipient's Outrider."""
    return (get_settings().public_url or "").rstrip("/") + path


def alert_url(alert_id: int) -> str:
    """The alert's page."""
    return page_url(f"/alerts/{alert_id}")


def event_of(row: Notification) -> str:
    """The webhook event of a notification: ``alert.raised`` for the first call, ``alert.escalated`` after."""
    if row.purpose != "alert":
        return f"alert.{row.purpose}"
    return "alert.raised" if (row.round, row.step) <= (0, 1) else "alert.escalated"


def _html(lines: Sequence[str], url: str) -> str:
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    link = html.escape(url, quote=True)
    return f'<!doctype html><html><body>{body}<p><a href="{link}">Open Outrider</a></p></body></html>'


def _caller(session: Session, user_id: int | None) -> Caller | None:
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.is_active:
        return None
    return caller_of(user, channel="job")


def _off_list_sentence(alert: Alert) -> str:
    reference = alert.details.get("reference") if isinstance(alert.details, dict) else None
    movement = f"movement {reference}" if isinstance(reference, str) and reference else views.HIDDEN_MOVEMENT
    words = MOVEMENT_KIND_WORDS.get(alert.kind, f"has a {alert.severity} alert ({alert.kind})")
    return f"{movement} {words}, open Outrider"


def alert_lines(
    session: Session, *, caller: Caller | None, alert: Alert, now: datetime
) -> tuple[str, list[str]]:
    """The subject and lines of an alert for one reader (None: nobody who may read it)."""
    words = alert_words(session, caller=caller, alert=alert, now=now)
    return words.subject, words.lines


def alert_words(session: Session, *, caller: Caller | None, alert: Alert, now: datetime) -> Words:
    """`alert_lines` with the itinerary facts they carry: a movement alert's due time, only to a reader on
    the movement's need-to-know list (and none at all when such a read cannot be recorded: `reads`)."""
    severity = alert.severity.upper()
    if caller is None or not alerts_service.may_read(session, caller, alert):
        return Words(
            f"[{severity}] Outrider: an alert needs you",
            [f"An alert ({alert.severity}) needs you, open Outrider"],
        )
    movements = views.movements_of(alert)
    known = views.known_movements(session, caller, [alert], now) if movements and reads.wired() else {}
    if alert.subject_type == "movement" and not movements <= known.keys():
        sentence = _off_list_sentence(alert)
        return Words(f"[{severity}] {sentence}", [sentence])
    shown = views.view_with(alert, known)
    lines = [shown.title, f"Severity: {alert.severity} · kind: {alert.kind}"]
    due = shown.details.get("due_at")
    if isinstance(due, str) and alert.subject_type == "movement":
        lines.append(f"Due: {due}")  # in the movement's local time: only for its need-to-know list
        reference = alert.details.get("reference") if isinstance(alert.details, dict) else None
        carried = {int(alert.subject_id): reference if isinstance(reference, str) else None}
        return Words(f"[{severity}] {shown.title}", lines, carried, ("due_at",))
    return Words(f"[{severity}] {shown.title}", lines)


def render(session: Session, row: Notification, *, now: datetime) -> Rendered:
    """The words of one notification for its target, as the target may read them now."""
    if row.purpose == "digest":
        return _digest(session, row, now=now)
    alert = session.get(Alert, row.alert_id) if row.alert_id is not None else None
    if alert is None:
        return _from_body(row)
    url = alert_url(alert.id)
    payload = {
        "type": event_of(row),
        "alert_id": alert.id,
        "kind": alert.kind,
        "severity": alert.severity,
        "organization_id": alert.organization_id,
        "url": url,
    }
    if row.user_id is None:  # a webhook: ids and a link, never words an off-list reader could see
        return Rendered(subject=f"[{alert.severity.upper()}] alert {alert.id}", text=url, payload=payload)
    words = alert_words(session, caller=_caller(session, row.user_id), alert=alert, now=now)
    subject, lines = words.subject, words.lines
    if row.purpose == "assigned":
        lines = ["You were given this alert to work on.", *lines]
    if row.channel == "sms":  # short: the one line that matters and the link (no itinerary fact in it)
        return Rendered(subject="", text=f"{subject} {url}", payload=payload)
    text = "\n".join([*lines, url])
    return Rendered(
        subject=subject,
        text=text,
        html=_html(lines, url),
        payload=payload,
        itinerary=words.itinerary,
        itinerary_fields=words.fields,
    )


def _from_body(row: Notification) -> Rendered:
    """A message that is no alert's (a contact point's code, a test): the words written with it."""
    body = row.body or {}
    subject = str(body.get("subject") or "Outrider")
    text = str(body.get("text") or subject)
    lines = text.splitlines() or [text]
    html_part = _html(lines, str(body["url"])) if body.get("url") else None
    # a webhook of such a message says what it is and nothing of its words (a code is for its owner)
    payload = {"type": f"notify.{row.purpose}", "subject": subject}
    return Rendered(subject=subject, text=text, html=html_part, payload=payload)


def _digest(session: Session, row: Notification, *, now: datetime) -> Rendered:
    """One message with the info alerts of a day, each as this recipient may read it."""
    ids = [int(i) for i in (row.body or {}).get("alert_ids", []) if isinstance(i, int)]
    day = str((row.body or {}).get("day", ""))
    caller = _caller(session, row.user_id)
    alerts = session.scalars(
        select(Alert).where(Alert.id.in_(ids)).order_by(Alert.created_at, Alert.id)
    ).all()
    lines = [f"{len(alerts)} information alert(s) of {day} (UTC):"]
    for alert in alerts:
        _, said = alert_lines(session, caller=caller, alert=alert, now=now)
        lines.append(f"- {said[0]} ({alert_url(alert.id)})")
    subject = f"Outrider: {len(alerts)} information alert(s) of {day}"
    payload = {"type": "alert.digest", "day": day, "alert_ids": [a.id for a in alerts]}
    return Rendered(
        subject=subject, text="\n".join(lines), html=_html(lines, page_url("/alerts")), payload=payload
    )
