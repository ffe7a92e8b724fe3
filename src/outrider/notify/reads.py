"""Who learnt an itinerary fact from a message: a delivered message that carried one (an e-mail's due time of
a movement its recipient is on the need-to-know list of) is a read of that movement, recorded as the board
and the alert list record theirs (`via: notify`: the recipient, the channel, when, which facts, the
delivery), so who-knew finds it.

Notify cannot import movements, so the record's builder (the need-to-know decision and its entry) is
registered by the composition root. Without it no message carries an itinerary fact (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.audit import service as audit_service

# (session, reader, {movement id: its reference}, the facts' fields, details, now) -> the record of the read,
# or None when the reader may read none of them now
ReadEntry = Callable[
    [Session, Caller, Mapping[int, str | None], Sequence[str], dict[str, Any], datetime],
    "audit_service.Entry | None",
]

_hooks: dict[str, ReadEntry] = {}


def register(read_entry: ReadEntry) -> None:
    """Attach the builder of a delivered message's read record (the composition root calls this)."""
    _hooks["entry"] = read_entry


def wired() -> bool:
    """Whether a read can be recorded: if not, messages carry no itinerary fact."""
    return "entry" in _hooks


def entry(
    session: Session,
    reader: Caller,
    shown: Mapping[int, str | None],
    fields: Sequence[str],
    details: dict[str, Any],
    now: datetime,
) -> audit_service.Entry | None:
    """The record of a message that showed ``reader`` these movements' itinerary facts (None: none shown)."""
    hook = _hooks.get("entry")
    if not shown or hook is None:
        return None
    return hook(session, reader, shown, fields, details, now)
