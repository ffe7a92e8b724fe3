"""Who hears of an alert's life: the domains above alerts (delivery) register a listener through the
composition root, and the alerts service tells every listener, in the transaction that changed the alert,
what happened to it. Nothing registers itself on import; without a listener an alert reaches nobody but the
alerts page.

Events: ``raised`` (a new alert), ``refreshed`` (the same condition again: never re-notifies),
``escalated``, ``acknowledged``, ``assigned``, ``ack_expired``, ``resolved``, ``reopened``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from outrider.alerts.models import Alert

Listener = Callable[[Session, Alert, str, datetime], None]

_listeners: dict[str, Listener] = {}


def register(name: str, listener: Listener) -> None:
    """Attach a listener under a name (registering the same name again replaces it: idempotent)."""
    _listeners[name] = listener


def unregister(name: str) -> None:
    """Detach a listener (tests)."""
    _listeners.pop(name, None)


def tell(session: Session, alert: Alert, event: str, now: datetime) -> None:
    """Tell every listener what happened to the alert (in the caller's transaction)."""
    for listener in list(_listeners.values()):
        listener(session, alert, event, now)
