"""Field PINs: a user's check-in PIN and duress PIN, agreed beforehand, kept as argon2 hashes.

A check-in (in the field app or by SMS) may carry a PIN. The check-in PIN confirms it; the duress PIN
checks in as well, and the answer looks the same, but the check-in is stored as duress and the alarm is
raised: someone forced to check in can ask for help without the one watching the screen knowing. Once a
user has set PINs, a check-in that says all is well (ok, delayed, arrived) must carry one: otherwise
whoever holds the phone or its session could report "all well" without knowing a PIN, and the duress PIN
would protect nothing. Raising the alarm (an SOS, a duress report) never needs a PIN.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts import passwords
from outrider.audit import service as audit_service
from outrider.db import utcnow
from outrider.errors import InvalidInput
from outrider.movements import field_pin_throttle as throttle
from outrider.movements.models import FieldPin
from outrider.movements.pin_lock import PinMatch, Verdict, verdict
from outrider.movements.schemas import CheckInStatus

PIN_PATTERN = r"^[0-9]{4,8}$"
PIN_RULE = "4 to 8 digits"
SET_AUDIT = "movement.field_pins_set"
PIN_REQUIRED = "pin_required"  # the refusal's code (problem+json `code`)
# the statuses that need a PIN once a user has PINs: the reports that all is well
ALL_WELL = frozenset({CheckInStatus.ok.value, CheckInStatus.delayed.value, CheckInStatus.arrived.value})
__all__ = ["PinMatch", "check", "has_pins", "match", "pins_set", "require", "set_pins"]


def _check(value: str, field: str) -> str:
    if re.fullmatch(PIN_PATTERN, value) is None:
        raise InvalidInput(
            f"a {field.replace('_', ' ')} is {PIN_RULE}", errors=[{"loc": [field], "msg": PIN_RULE}]
        )
    return value


def set_pins(
    session: Session, caller: Caller, pin: str, duress_pin: str, *, now: datetime | None = None
) -> FieldPin:
    """Set (or replace) the caller's check-in PIN and duress PIN: 4 to 8 digits each, different."""
    _check(pin, "pin")
    _check(duress_pin, "duress_pin")
    if pin == duress_pin:
        raise InvalidInput(
            "the duress PIN must differ from the check-in PIN",
            errors=[{"loc": ["duress_pin"], "msg": "the same as the check-in PIN"}],
        )
    when = now or utcnow()
    row = session.get(FieldPin, caller.user_id)
    if row is None:
        row = FieldPin(user_id=caller.user_id)
        session.add(row)
    row.pin_hash = passwords.hash_password(pin)
    row.duress_hash = passwords.hash_password(duress_pin)
    row.set_at = when
    session.flush()
    # The PINs are never in the chain, nor their hashes: the record says only that they were set.
    audit_service.record(
        session,
        actor=caller,
        action=SET_AUDIT,
        object_type="user",
        object_id=caller.user_id,
        fields=["duress_pin", "pin"],
        now=when,
    )
    return row


# Its key alone, by a statement built once (loading the row as an object cost more than the read).
_HAS_PINS = select(FieldPin.user_id).where(FieldPin.user_id == bindparam("user_id"))


def has_pins(session: Session, user_id: int) -> bool:
    """Whether the user has set field PINs."""
    return session.execute(_HAS_PINS, {"user_id": user_id}).first() is not None


def pins_set(user_id: Any) -> Any:
    """A column: whether the user ``user_id`` (a column or a bound parameter) has set field PINs, for a
    statement that reads something else (a check-in reads it with its movement)."""
    return exists().where(FieldPin.user_id == user_id).label("pins_set")


def require(session: Session, caller: Caller, shown: str, *, known: bool | None = None) -> None:
    """Refuse a check-in without a PIN that says all is well (ok, delayed, arrived) from a user who has set
    PINs (422 `pin_required`, beside `pin`). Not counted as a wrong PIN: nothing was guessed. ``known``:
    whether the user has PINs, when the caller read it already (None: read here)."""
    if shown in ALL_WELL and (has_pins(session, caller.user_id) if known is None else known):
        raise InvalidInput(
            "a PIN is required: you have set field PINs",
            errors=[{"loc": ["body", "pin"], "msg": "required once field PINs are set"}],
            code=PIN_REQUIRED,
        )


def match(session: Session, user_id: int, given: str) -> PinMatch | None:
    """What ``given`` is for this user: the check-in PIN, the duress PIN, or neither (None). Both hashes are
    always verified, so the time taken says nothing about which matched."""
    row = session.get(FieldPin, user_id)
    is_pin = passwords.verify_password(row.pin_hash if row else None, given)
    is_duress = passwords.verify_password(row.duress_hash if row else None, given)
    if is_duress:
        return PinMatch.duress
    return PinMatch.pin if is_pin else None


def check(
    session: Session,
    caller: Caller,
    given: str,
    *,
    now: datetime,
    movement_id: int | None,
    channel: str = "api",
) -> PinMatch:
    """The PIN a check-in carries, judged under the throttle: the check-in PIN or the duress PIN, else
    refused: a wrong PIN (counted, 422 `wrong_pin`), or any PIN but the duress PIN while the user is locked
    out (429 `pin_locked`, audited). The duress PIN is taken even then (docs/field.md: why)."""
    throttle.take_turn(session, caller.user_id)
    rule = throttle.throttle()
    until = throttle.lock_end(session, throttle.user_subject(caller.user_id), now, rule)
    found = match(session, caller.user_id, given)  # verified locked or not: the time taken says nothing
    outcome = verdict(found, until is not None)
    if outcome is Verdict.wrong:
        raise throttle.wrong_pin(caller, movement_id=movement_id, channel=channel, now=now)
    if outcome is Verdict.locked:
        assert until is not None
        target = ("user", str(caller.user_id))
        raise throttle.locked(
            caller, target=target, until=until, now=now, movement_id=movement_id, channel=channel
        )
    return PinMatch.duress if outcome is Verdict.duress else PinMatch.pin
