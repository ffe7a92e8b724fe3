"""SMS check-in, for places with coverage but no data: a gateway posts the text a registered phone sent,
and the reply is a short text the gateway sends back.

The sender must be a verified, enabled SMS contact point of exactly one active user; the code is that
user's check-in PIN (the duress PIN is taken as a silent duress and answered alike). Every message,
accepted or refused, is audited with the reason, never with the code nor the whole number.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider import db
from outrider.access.policy import Caller
from outrider.accounts.models import User
from outrider.audit import service as audit_service
from outrider.errors import InvalidInput, OutriderError
from outrider.movements import checkins, field_pins, need_to_know, service
from outrider.movements import schemas as s
from outrider.movements.field_schemas import SmsReply
from outrider.movements.models import CheckIn
from outrider.movements.sms_text import Rejection, SmsCommand, Verb, parse
from outrider.notify.channels.addresses import phone_number
from outrider.notify.directory_models import ContactPoint

__all__ = ["SMS_AUDIT", "parse", "receive", "refuse"]

SMS_AUDIT = "movement.sms_checkin"
CHANNEL = "sms"


def masked(sender: str) -> str:
    """A phone number as the audit chain keeps it: the last three digits only."""
    digits = "".join(ch for ch in sender if ch.isdigit())
    return "…" + digits[-3:] if len(digits) >= 3 else "…"


def refuse(
    session: Session,
    *,
    sender: str,
    reason: str,
    now: datetime,
    caller: Caller | None = None,
    reference: str = "",
) -> SmsReply:
    """Audit a refused message with its reason; the reply says why."""
    _audit(session, caller, sender, accepted=False, reason=reason, reference=reference, now=now)
    return SmsReply(accepted=False, reply=f"Refused: {reason}")


def _audit(
    session: Session,
    caller: Caller | None,
    sender: str,
    *,
    accepted: bool,
    reason: str,
    reference: str,
    now: datetime,
    movement_id: int | None = None,
) -> None:
    actor = caller or audit_service.Actor(user_id=None, organization_id=None, channel=CHANNEL)
    audit_service.record(
        session,
        actor=actor,
        action=SMS_AUDIT,
        object_type="movement" if movement_id is not None else "sms",
        object_id=movement_id if movement_id is not None else "inbound",
        details={"accepted": accepted, "reason": reason, "reference": reference, "sender": masked(sender)},
        now=now,
    )


def _sender(session: Session, sender: str) -> Caller | str:
    """The one active user whose verified SMS contact point the sender is, or why there is none."""
    try:
        number = phone_number(sender)
    except InvalidInput:
        return "the sender is not a phone number"
    user_ids = set(
        session.scalars(
            select(ContactPoint.user_id)
            .join(User, User.id == ContactPoint.user_id)
            .where(
                ContactPoint.channel == "sms",
                ContactPoint.address == number,
                ContactPoint.verified_at.is_not(None),
                ContactPoint.disabled_at.is_(None),
                User.is_active.is_(True),
            )
        )
    )
    if not user_ids:
        return "this number is not a verified phone of any user"
    if len(user_ids) > 1:
        return "this number is verified for several users; check in from the app"
    user = session.get(User, user_ids.pop())
    assert user is not None
    return dataclasses.replace(need_to_know.principals([user])[0], channel=CHANNEL)


def _key(sender: str, text: str, message_id: str | None, now: datetime) -> str:
    """The idempotency key of a message: the gateway's message id, else the text within its minute (a
    gateway retrying a delivery sends the same)."""
    basis = message_id or f"{text}|{now:%Y-%m-%dT%H:%M}"
    return "sms-" + hashlib.sha256(f"{sender}|{basis}".encode()).hexdigest()[:40]


def receive(session: Session, *, sender: str, text: str, message_id: str | None, now: datetime) -> SmsReply:
    """Take an SMS check-in, or refuse it with the reason; either way audited. The caller commits."""
    db.write_turn(session)
    command = parse(text)
    if isinstance(command, Rejection):
        return refuse(session, sender=sender, reason=command.reason, now=now)
    caller = _sender(session, sender)
    if isinstance(caller, str):
        return refuse(session, sender=sender, reason=caller, now=now, reference=command.reference)
    try:
        movement_id = service.movement_id_of(session, caller, command.reference)
        record = _record(session, caller, movement_id, command, _key(sender, text, message_id, now), now)
    except OutriderError as error:  # refused before anything was written: nothing to undo
        reason = "wrong code" if _is_wrong_pin(error) else error.detail
        return refuse(
            session, sender=sender, reason=reason, now=now, caller=caller, reference=command.reference
        )
    _audit(
        session,
        caller,
        sender,
        accepted=True,
        reason=command.verb.value,
        reference=command.reference,
        now=now,
        movement_id=movement_id,
    )
    return SmsReply(accepted=True, reply=_reply(command, record.at))


def _is_wrong_pin(error: OutriderError) -> bool:
    return any(e.get("loc") == ["body", "pin"] for e in (error.errors or []))


def _record(
    session: Session, caller: Caller, movement_id: int, command: SmsCommand, key: str, now: datetime
) -> CheckIn:
    if command.verb is Verb.sos:
        if field_pins.match(session, caller.user_id, command.code) is None:
            raise InvalidInput("wrong code", errors=[{"loc": ["body", "pin"], "msg": "wrong PIN"}])
        data = s.CheckInCreate(idempotency_key=key, note="SOS by SMS")
        record, _ = checkins.report(
            session, caller=caller, movement_id=movement_id, data=data, shown=s.SOS, now=now
        )
        return record
    status = s.CheckInStatus.delayed if command.verb is Verb.delayed else s.CheckInStatus.ok
    data = s.CheckInCreate(idempotency_key=key, status=status, note=command.reason, pin=command.code)
    record, _ = checkins.check_in(session, caller=caller, movement_id=movement_id, data=data, now=now)
    return record


def _reply(command: SmsCommand, at: datetime) -> str:
    when = f"{at:%H:%M}Z"
    if command.verb is Verb.sos:
        return f"SOS {command.reference} received {when}: the duty desk is alerted"
    what = "delay" if command.verb is Verb.delayed else "check-in"
    return f"OK {command.reference}: {what} recorded {when}"
