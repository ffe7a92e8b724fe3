"""Accounts for daily work: your own password and second factor; an administrator's resets, deactivations,
role edits and sign-outs of the other users of their organisation. Nothing here commits.

Every change is recorded through the face's `Recorder` (never a password, code or secret). Decisions go
through `access.policy.may_manage_user`: an administrator acts on the other users of their own
organisation, not on themselves and not on anyone else's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.accounts import factors, passwords, service, totp
from outrider.accounts.events import Recorder, record_user
from outrider.accounts.models import ApiToken, LoginFailure, Organization, PasswordReset, User
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound

RESET_TTL = timedelta(hours=24)
_RESET = "reset"
# Granted and withdrawn only by what both founding parties approve (docs/governance.md), never edited here.
GOVERNED_ROLES = frozenset({"auditor"})


def _field_error(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, errors=[{"loc": ["body", field], "msg": message}])


def check_new_password(password: str, *, field: str = "new_password") -> None:
    """The strength rule of every new password (the same as when a user is created)."""
    if not passwords.PASSWORD_MIN <= len(password) <= passwords.PASSWORD_MAX:
        raise _field_error(
            field, f"a password has {passwords.PASSWORD_MIN} to {passwords.PASSWORD_MAX} characters"
        )


def _revoke_all(session: Session, user_id: int, now: datetime, *, keep: int | None = None) -> int:
    stmt = update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
    if keep is not None:
        stmt = stmt.where(ApiToken.id != keep, (ApiToken.session_id != keep) | ApiToken.session_id.is_(None))
    done = session.execute(stmt.values(revoked_at=now).execution_options(synchronize_session="fetch"))
    session.flush()
    return int(getattr(done, "rowcount", 0) or 0)


# --- your own account -------------------------------------------------------------------------------


def change_password(
    session: Session,
    *,
    user: User,
    current: str,
    new: str,
    now: datetime,
    record: Recorder,
    presented: str | None = None,
) -> int:
    """Change your own password (the current one required); your other sessions and tokens end, the one
    you are using (``presented``) stays. Returns how many were ended."""
    if not passwords.verify_password(user.password_hash, current):
        raise _field_error("current_password", "the current password is not correct")
    check_new_password(new)
    if new == current:
        raise _field_error("new_password", "the new password is the current one")
    user.password_hash = passwords.hash_password(new)
    keep = _presented_session(session, user, presented)
    ended = _revoke_all(session, user.id, now, keep=keep)
    record_user(record, "password_changed", user.id, sessions_ended=ended)
    return ended


def _presented_session(session: Session, user: User, presented: str | None) -> int | None:
    if not presented:
        return None
    digest = passwords.token_digest(presented)
    record = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == digest, ApiToken.user_id == user.id)
    )
    if record is None:
        return None
    return record.session_id or record.id


def confirm_password(user: User, password: str) -> None:
    """Your password again before a change to how you sign in (InvalidInput beside it if wrong)."""
    if not passwords.verify_password(user.password_hash, password):
        raise _field_error("password", "the password is not correct")


def disable_second_factor(session: Session, *, user: User, password: str, record: Recorder) -> None:
    """Remove your own second factor (your password required); not when your organisation requires one."""
    confirm_password(user, password)
    if user.organization.require_totp:
        raise Forbidden("your organisation requires a second factor: it cannot be disabled")
    if not user.totp_enabled and not user.totp_secret:
        raise Conflict("no second factor is enrolled")
    factors.clear(session, user=user, record=record, by_admin=False)


# --- redeeming a reset code (no one is signed in) -----------------------------------------------------


def redeem_reset(
    session: Session, *, code: str, new_password: str, now: datetime, record_as: Callable[[User], Recorder]
) -> User:
    """Set a new password with a one-time reset code: valid once, before it expires. Every session and
    token of the user ends and the sign-in lockout is lifted."""
    check_new_password(new_password)
    digest = passwords.code_digest(_RESET, totp.normal_code(code))
    row = session.scalar(select(PasswordReset).where(PasswordReset.code_hash == digest))
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise _field_error(
            "code", "this reset code is unknown, used or expired: ask an administrator for another"
        )
    user = session.get_one(User, row.user_id)
    if not user.is_active:
        raise _field_error("code", "this account is deactivated")
    row.used_at = now
    user.password_hash = passwords.hash_password(new_password)
    ended = _revoke_all(session, user.id, now)
    session.execute(delete(LoginFailure).where(LoginFailure.username == user.username))
    record_user(record_as(user), "password_reset_redeemed", user.id, reset_id=row.id, sessions_ended=ended)
    return user


# --- an administrator and the other users of their organisation --------------------------------------


def managed_user(session: Session, *, caller: Caller, user_id: int) -> User:
    """A user the caller may manage; 404 for a user of another organisation (not even their existence)."""
    user = session.get(User, user_id)
    if user is None or user.organization_id != caller.organization_id:
        raise NotFound(f"user {user_id} not found")
    if not policy.may_manage_user(caller, organization_id=user.organization_id, user_id=user.id):
        if user.id == caller.user_id and policy.may_administer_accounts(caller):
            raise Forbidden("administrators do not manage their own account here: another administrator does")
        raise Forbidden(policy.needs_roles(policy.ACCOUNT_ADMINS))
    return user


def issue_reset(
    session: Session, *, caller: Caller, user_id: int, now: datetime, record: Recorder
) -> tuple[PasswordReset, str]:
    """A one-time password-reset code for a user (shown once, valid a day); earlier unused ones lapse."""
    user = managed_user(session, caller=caller, user_id=user_id)
    if not user.is_active:
        raise Conflict("the user is deactivated: reactivate them first")
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session="fetch")
    )
    code = totp.new_reset_code()
    row = PasswordReset(
        user_id=user.id,
        code_hash=passwords.code_digest(_RESET, totp.normal_code(code)),
        created_by=caller.user_id,
        created_at=now,
        expires_at=now + RESET_TTL,
    )
    session.add(row)
    session.flush()
    record_user(
        record, "password_reset_issued", user.id, reset_id=row.id, expires_at=row.expires_at.isoformat()
    )
    return row, code


def set_active(
    session: Session, *, caller: Caller, user_id: int, active: bool, now: datetime, record: Recorder
) -> User:
    """Deactivate a user (they cannot sign in; their sessions and tokens end at once) or reactivate them
    (they sign in again; ended sessions stay ended)."""
    user = managed_user(session, caller=caller, user_id=user_id)
    if user.is_active == active:
        return user
    user.is_active = active
    ended = 0 if active else _revoke_all(session, user.id, now)
    session.flush()
    if active:
        record_user(record, "user_reactivated", user.id)
    else:
        record_user(record, "user_deactivated", user.id, sessions_ended=ended)
    return user


def set_roles(session: Session, *, caller: Caller, user_id: int, roles: list[str], record: Recorder) -> User:
    """Replace another user's roles; the auditor role is left to governance proposals."""
    user = managed_user(session, caller=caller, user_id=user_id)
    new, old = set(roles), set(user.roles)
    if not new:
        raise _field_error("roles", "a user holds at least one role")
    if (new ^ old) & GOVERNED_ROLES:
        raise Forbidden(
            "the auditor role is granted only by a proposal both founding parties approve "
            "(outrider governance propose auditor USERNAME); it is not edited here"
        )
    if new == old:
        return user
    user.roles = sorted(new)
    session.flush()
    record_user(record, "roles_changed", user.id, added=sorted(new - old), removed=sorted(old - new))
    return user


def reset_second_factor(session: Session, *, caller: Caller, user_id: int, record: Recorder) -> User:
    """Remove another user's second factor (a lost phone); they enrol again at their next sign-in if
    their organisation requires it."""
    user = managed_user(session, caller=caller, user_id=user_id)
    if not user.totp_enabled and not user.totp_secret:
        raise Conflict("the user has no second factor")
    factors.clear(session, user=user, record=record, by_admin=True)
    return user


def user_tokens(session: Session, *, caller: Caller, user_id: int) -> list[ApiToken]:
    """Another user's web sessions and API tokens (metadata only)."""
    user = managed_user(session, caller=caller, user_id=user_id)
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def revoke_user_token(
    session: Session, *, caller: Caller, user_id: int, token_id: int, now: datetime, record: Recorder
) -> None:
    """End another user's web session or API token at once (with the tokens minted through it)."""
    user = managed_user(session, caller=caller, user_id=user_id)
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(f"token {token_id} not found")
    service.revoke_token(session, user=user, token_id=token.id, now=now)
    record_user(record, "token_revoked", user.id, token_id=token.id, web_session=token.web_session)


def set_require_totp(
    session: Session, *, caller: Caller, organization_id: int, required: bool, record: Recorder
) -> Organization:
    """Make a second factor mandatory (or optional again) for the users of the caller's organisation."""
    if not policy.may_add_user(caller, organization_id=organization_id):
        raise Forbidden("administrators set the sign-in rules of their own organisation only")
    org = session.get_one(Organization, organization_id)
    if org.require_totp != required:
        org.require_totp = required
        session.flush()
        record(
            action="accounts.require_totp_set",
            object_type="organization",
            object_id=org.id,
            fields=["required"],
            details={"required": required},
        )
    return org


def token_issued(record: Recorder, token: ApiToken) -> None:
    """Record that an API token was issued (its name, expiry and session; never the token)."""
    record_user(
        record,
        "token_issued",
        token.user_id,
        token_id=token.id,
        name=token.name,
        expires_at=token.expires_at.isoformat(),
        session_id=token.session_id,
    )


def own_token_revoked(record: Recorder, user: User, token_id: int) -> None:
    """Record that a user ended one of their own sessions or tokens."""
    record_user(record, "token_revoked", user.id, token_id=token_id, own=True)
