"""The second factor: TOTP enrolment, recovery codes, and the check at sign-in. Nothing here commits.

What the user holds (the secret, the codes) is shown once and stored sealed or as keyed digests; a code is
accepted once; failures count towards the sign-in lockout like wrong passwords.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from outrider.accounts import passwords, totp
from outrider.accounts.events import Recorder, record_user
from outrider.accounts.models import LoginFailure, RecoveryCode, User
from outrider.errors import Conflict, Unauthorized

ISSUER = "Outrider"
_RECOVERY = "recovery"


class Step(StrEnum):
    """What a user who gave the right password still owes before a session."""

    none = "none"  # nothing: the session starts
    verify = "verify"  # a TOTP or recovery code
    enrol = "enrol"  # their organisation requires a second factor they have not enrolled yet


def step_after_password(user: User) -> Step:
    """The second-factor step a correct password leads to."""
    if user.totp_enabled:
        return Step.verify
    return Step.enrol if user.organization.require_totp else Step.none


@dataclass(frozen=True)
class Enrolment:
    """A new TOTP secret, shown once: as an otpauth:// URI and in base32 to type in."""

    secret: str
    uri: str


def start_enrolment(session: Session, *, user: User, record: Recorder) -> Enrolment:
    """A fresh secret for the user, pending until a code from it is confirmed (a new start replaces it)."""
    if user.totp_enabled:
        raise Conflict("a second factor is already enrolled; disable it first to enrol another")
    key = totp.new_secret()
    user.totp_secret = passwords.seal(key)
    user.totp_last_step = None
    session.flush()
    record_user(record, "totp_enrolment_started", user.id)
    return Enrolment(totp.to_base32(key), totp.otpauth_uri(key, account=user.username, issuer=ISSUER))


def pending_enrolment(user: User) -> Enrolment | None:
    """The secret being enrolled, shown again after a mistyped code (None when none is pending)."""
    key = _key(user)
    if key is None or user.totp_enabled:
        return None
    return Enrolment(totp.to_base32(key), totp.otpauth_uri(key, account=user.username, issuer=ISSUER))


def _key(user: User) -> bytes | None:
    return passwords.unseal(user.totp_secret) if user.totp_secret else None


def _take_step(session: Session, user: User, code: str, now: datetime) -> bool:
    """Accept a TOTP code once: the step is recorded only if no one recorded it (or a later one) first."""
    key = _key(user)
    step = totp.accepted_step(key, code, now.timestamp(), last_step=user.totp_last_step) if key else None
    if step is None:
        return False
    taken = session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    session.refresh(user)
    return bool(getattr(taken, "rowcount", 0) == 1)


def confirm_enrolment(
    session: Session, *, user: User, code: str, now: datetime, record: Recorder
) -> list[str]:
    """Enable the pending secret with a code from it; returns the recovery codes (shown once)."""
    if user.totp_enabled or not user.totp_secret:
        raise Conflict("no enrolment is pending: start one first")
    if not _take_step(session, user, code, now):
        raise Unauthorized("the code does not match: check the time of the device and type the current code")
    user.totp_enabled = True
    codes = _new_codes(session, user, now)
    record_user(record, "totp_enrolled", user.id, recovery_codes=len(codes))
    return codes


def _new_codes(session: Session, user: User, now: datetime) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    for code in codes:
        digest = passwords.code_digest(_RECOVERY, totp.normal_code(code))
        session.add(RecoveryCode(user_id=user.id, code_hash=digest, created_at=now))
    session.flush()
    return codes


def new_recovery_codes(session: Session, *, user: User, now: datetime, record: Recorder) -> list[str]:
    """Replace the user's recovery codes with ten new ones (shown once)."""
    if not user.totp_enabled:
        raise Conflict("recovery codes come with a second factor: enrol one first")
    codes = _new_codes(session, user, now)
    record_user(record, "recovery_codes_renewed", user.id, recovery_codes=len(codes))
    return codes


def remaining_recovery_codes(session: Session, *, user: User) -> int:
    """How many of the user's recovery codes are still unused."""
    rows = session.scalars(
        select(RecoveryCode.id).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
    return len(list(rows))


def _use_recovery_code(session: Session, user: User, code: str, now: datetime) -> bool:
    digest = passwords.code_digest(_RECOVERY, totp.normal_code(code))
    used = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == digest, RecoveryCode.used_at.is_(None)
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(used, "rowcount", 0) == 1)


def verify(session: Session, *, user: User, code: str, now: datetime, record: Recorder) -> str:
    """Check a second-factor code at sign-in: a TOTP code, or else a recovery code; which one passed.

    A refusal is Unauthorized and, like a wrong password, counts towards the account's lockout."""
    if user.totp_enabled and _take_step(session, user, code, now):
        return "totp"
    if (
        user.totp_enabled
        and len(totp.normal_code(code)) == 10
        and _use_recovery_code(session, user, code, now)
    ):
        record_user(record, "recovery_code_used", user.id, left=remaining_recovery_codes(session, user=user))
        return "recovery_code"
    raise Unauthorized("incorrect second-factor code", after_rollback=failure_recorder(user.username, now))


def failure_recorder(username: str, now: datetime) -> Callable[[Session], None]:
    """Keep a failed sign-in (password or second factor) after the refusal's rollback: throttling."""

    def keep(session: Session) -> None:
        session.add(LoginFailure(username=username[:120], at=now))

    return keep


def clear(session: Session, *, user: User, record: Recorder, by_admin: bool) -> None:
    """Remove the user's second factor and recovery codes (they may enrol again)."""
    user.totp_secret, user.totp_enabled, user.totp_last_step = None, False, None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.flush()
    record_user(record, "totp_reset" if by_admin else "totp_disabled", user.id)
