"""SMS check-in, for places with coverage but no data: a gateway posts the text a registered phone sent,
and the reply is a short text the gateway sends back.

The sender must be a verified, enabled SMS contact point of exactly one active user; the code is that
user's check-in PIN (the duress PIN is taken as a silent duress and answered alike). Wrong codes count
towards the user's PIN lock as the app's wrong PINs do (`field_pins.check`); messages from a number that
is no user's are counted per number and throttled alike. Every message, accepted or refused, is audited
with the reason, never with the code nor the whole number. The answer is an English template and its
values, in the sender's language (`field_language`): the face renders it with the catalogs.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider import db
from outrider.access.policy import Caller
from outrider.accounts.models import User
from outrider.audit import service as audit_service
from outrider.errors import InvalidInput, OutriderError
from outrider.movements import checkins, field_language, field_pins, need_to_know, service
from outrider.movements import field_pin_throttle as throttle
from outrider.movements import schemas as s
from outrider.movements.models import CheckIn
from outrider.movements.sms_text import Rejection, SmsCommand, Verb, parse
from outrider.notify.channels.addresses import phone_number
from outrider.notify.directory_models import ContactPoint

__all__ = ["SMS_AUDIT", "SmsAnswer", "parse", "receive", "refuse"]

SMS_AUDIT = "movement.sms_checkin"
CHANNEL = "sms"
# What a reply says, as written (English); the catalogs translate each (a test keeps them translated).
REFUSED = "Refused: %(reason)s"
CHECKIN_RECORDED = "OK %(reference)s: check-in recorded %(time)s"
DELAY_RECORDED = "OK %(reference)s: delay recorded %(time)s"
SOS_RECEIVED = "SOS %(reference)s received %(time)s: the duty desk is alerted"
NOT_A_PHONE = "the sender is not a phone number"
UNKNOWN_NUMBER = "this number is not a verified phone of any user"
SEVERAL_USERS = "this number is verified for several users; check in from the app"
WRONG_CODE = "wrong code"
LOCKED = "too many wrong codes: try again after %(time)s"
NOT_FOUND = "the movement is not found (or not one you may see)"
NOT_ON_ROAD = "the movement is not on the road"
FORBIDDEN = "you may not report progress on this movement"
OTHER = "the check-in was refused; check in from the app"
TEMPLATES = (
    REFUSED,
    CHECKIN_RECORDED,
    DELAY_RECORDED,
    SOS_RECEIVED,
    NOT_A_PHONE,
    UNKNOWN_NUMBER,
    SEVERAL_USERS,
    WRONG_CODE,
    LOCKED,
    NOT_FOUND,
    NOT_ON_ROAD,
    FORBIDDEN,
    OTHER,
)


@dataclass(frozen=True, slots=True)
class SmsAnswer:
    """The reply to an SMS: accepted or not, what it says (an English template and its values; a refusal's
    template is the reason, said inside `REFUSED`) and the language to say it in."""

    accepted: bool
    template: str
    values: Mapping[str, object] = field(default_factory=dict)
    language: str = field_language.DEFAULT

    @property
    def text(self) -> str:
        """The reply in English."""
        said = self.template % dict(self.values) if self.values else self.template
        return said if self.accepted else REFUSED % {"reason": said}


def masked(sender: str) -> str:
    """A phone number as the audit chain keeps it: the last three digits only."""
    digits = "".join(ch for ch in sender if ch.isdigit())
    return "…" + digits[-3:] if len(digits) >= 3 else "…"


def refuse(
    session: Session,
    *,
    sender: str,
    reason: Rejection,
    now: datetime,
    caller: Caller | None = None,
    reference: str = "",
    detail: str = "",
) -> SmsAnswer:
    """Audit a refused message with its reason (``detail``: a fuller one for the chain); the reply says
    why, in the sender's language."""
    text = detail or reason.reason
    _audit(session, caller, sender, accepted=False, reason=text, reference=reference, now=now)
    language = field_language.language_of(session, caller.user_id if caller else None)
    return SmsAnswer(False, reason.template, reason.values, language)


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
    actor = caller or anonymous()
    audit_service.record(
        session,
        actor=actor,
        action=SMS_AUDIT,
        object_type="movement" if movement_id is not None else "sms",
        object_id=movement_id if movement_id is not None else "inbound",
        details={"accepted": accepted, "reason": reason, "reference": reference, "sender": masked(sender)},
        now=now,
    )


def anonymous() -> audit_service.Actor:
    """The actor of a message from no known user."""
    return audit_service.Actor(user_id=None, organization_id=None, channel=CHANNEL)


def _sender(session: Session, sender: str) -> Caller | Rejection:
    """The one active user whose verified SMS contact point the sender is, or why there is none."""
    try:
        number = phone_number(sender)
    except InvalidInput:
        return Rejection(NOT_A_PHONE)
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
        return Rejection(UNKNOWN_NUMBER)
    if len(user_ids) > 1:
        return Rejection(SEVERAL_USERS)
    user = session.get(User, user_ids.pop())
    assert user is not None
    return dataclasses.replace(need_to_know.principals([user])[0], channel=CHANNEL)


def _key(sender: str, text: str, message_id: str | None, now: datetime) -> str:
    """The idempotency key of a message: the gateway's message id, else the text within its minute (a
    gateway retrying a delivery sends the same)."""
    basis = message_id or f"{text}|{now:%Y-%m-%dT%H:%M}"
    return "sms-" + hashlib.sha256(f"{sender}|{basis}".encode()).hexdigest()[:40]


def receive(session: Session, *, sender: str, text: str, message_id: str | None, now: datetime) -> SmsAnswer:
    """Take an SMS check-in, or refuse it with the reason; either way audited. The caller commits."""
    db.write_turn(session)
    command = parse(text)
    caller = _sender(session, sender)
    known = caller if not isinstance(caller, Rejection) else None
    if isinstance(command, Rejection):
        return refuse(session, sender=sender, reason=command, now=now, caller=known)
    if isinstance(caller, Rejection):
        return _unknown(session, sender, caller, command.reference, now)
    try:
        movement_id = service.movement_id_of(session, caller, command.reference)
        record = _record(session, caller, movement_id, command, _key(sender, text, message_id, now), now)
    except OutriderError as error:  # refused before anything was written: nothing to undo
        if error.after_rollback is not None:
            error.after_rollback(session)  # the wrong code counted, the refusal of a lock audited
        return refuse(
            session,
            sender=sender,
            reason=_reason(error, now),
            now=now,
            caller=caller,
            reference=command.reference,
            detail=WRONG_CODE if error.code == throttle.WRONG_PIN else error.detail,
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
    return _accepted(command, record.at, field_language.language_of(session, caller.user_id))


def _unknown(session: Session, sender: str, why: Rejection, reference: str, now: datetime) -> SmsAnswer:
    """A message from a number that is no user's: counted per number, refused (throttled once locked)."""
    subject, rule = throttle.sender_subject(sender), throttle.throttle()
    until = throttle.lock_end(session, subject, now, rule)
    if until is not None:
        locked = Rejection(LOCKED, {"time": f"{until:%H:%M}Z"})
        return refuse(session, sender=sender, reason=locked, now=now, reference=reference)
    throttle.count_failure(session, subject=subject, actor=anonymous(), now=now, rule=rule, channel=CHANNEL)
    return refuse(session, sender=sender, reason=why, now=now, reference=reference)


def _reason(error: OutriderError, now: datetime) -> Rejection:
    """Why a well-formed check-in from a known user was refused, as its reply says it."""
    if error.code == throttle.WRONG_PIN:
        return Rejection(WRONG_CODE)
    if error.code == throttle.PIN_LOCKED:
        return Rejection(LOCKED, {"time": f"{now + timedelta(seconds=error.retry_after or 0):%H:%M}Z"})
    if error.code == "not_on_road":
        return Rejection(NOT_ON_ROAD)
    by_type = {"not-found": NOT_FOUND, "forbidden": FORBIDDEN}
    return Rejection(by_type.get(error.type_slug, OTHER))


def _record(
    session: Session, caller: Caller, movement_id: int, command: SmsCommand, key: str, now: datetime
) -> CheckIn:
    if command.verb is Verb.sos:
        field_pins.check(session, caller, command.code, now=now, movement_id=movement_id, channel=CHANNEL)
        data = s.CheckInCreate(idempotency_key=key, note="SOS by SMS")
        record, _ = checkins.report(
            session, caller=caller, movement_id=movement_id, data=data, shown=s.SOS, now=now
        )
        return record
    status = s.CheckInStatus.delayed if command.verb is Verb.delayed else s.CheckInStatus.ok
    data = s.CheckInCreate(idempotency_key=key, status=status, note=command.reason, pin=command.code)
    record, _ = checkins.check_in(session, caller=caller, movement_id=movement_id, data=data, now=now)
    return record


def _accepted(command: SmsCommand, at: datetime, language: str) -> SmsAnswer:
    values = {"reference": command.reference, "time": f"{at:%H:%M}Z"}
    if command.verb is Verb.sos:
        return SmsAnswer(True, SOS_RECEIVED, values, language)
    template = DELAY_RECORDED if command.verb is Verb.delayed else CHECKIN_RECORDED
    return SmsAnswer(True, template, values, language)
