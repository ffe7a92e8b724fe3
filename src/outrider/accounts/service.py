"""Use cases of the accounts domain. Sessions are passed in; nothing here commits.

What a signed-in caller asks for (add an organisation, add or list users) takes the `Caller` and is decided
here through `access.policy`; the plain functions beside them serve the operator's command line, the demo
and the governance enactments, which hold no caller."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.accounts import factors, passwords
from outrider.accounts.events import Recorder
from outrider.accounts.models import ApiToken, LoginFailure, Organization, User
from outrider.accounts.schemas import OrganizationCreate, TokenCreate, UserCreate
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound, TooManyRequests, Unauthorized
from outrider.settings import Settings

Found = TypeVar("Found")


def create_organization(session: Session, *, data: OrganizationCreate, now: datetime) -> Organization:
    """Add an organisation; names are unique."""
    if session.scalar(select(Organization.id).where(Organization.name == data.name)) is not None:
        raise Conflict(f"an organisation named {data.name!r} already exists")
    org = Organization(name=data.name, kind=data.kind.value, country=data.country, created_at=now)
    session.add(org)
    session.flush()
    return org


def list_organizations(session: Session) -> list[Organization]:
    """Every organisation, by name."""
    return list(session.scalars(select(Organization).order_by(Organization.name)))


def _found(row: Found | None, what: str) -> Found:
    if row is None:
        raise NotFound(f"{what} not found")
    return row


def get_organization(session: Session, *, org_id: int) -> Organization:
    """One organisation by id."""
    return _found(session.get(Organization, org_id), f"organisation {org_id}")


def find_organization(session: Session, *, ref: str) -> Organization:
    """An organisation by id or exact name (for the CLI)."""
    org = session.get(Organization, int(ref)) if ref.isdigit() else None
    org = org or session.scalar(select(Organization).where(Organization.name == ref))
    return _found(org, f"organisation {ref!r}")


def create_user(session: Session, *, data: UserCreate, now: datetime) -> tuple[User, str]:
    """Add a user; returns the user and the password (generated when none was given)."""
    get_organization(session, org_id=data.organization_id)
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise Conflict(f"a user named {data.username!r} already exists")
    password = data.password or passwords.generate_password()
    user = User(
        username=data.username,
        full_name=data.full_name,
        organization_id=data.organization_id,
        roles=sorted({r.value for r in data.roles}),
        password_hash=passwords.hash_password(password),
        is_active=True,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user, password


def get_user(session: Session, *, user_id: int) -> User:
    """One user by id."""
    return _found(session.get(User, user_id), f"user {user_id}")


def find_user(session: Session, *, username: str) -> User:
    """One user by username."""
    return _found(session.scalar(select(User).where(User.username == username)), f"user {username!r}")


def list_users(session: Session, *, organization_id: int | None = None) -> list[User]:
    """Users, optionally of one organisation."""
    stmt = select(User).order_by(User.username)
    if organization_id is not None:
        stmt = stmt.where(User.organization_id == organization_id)
    return list(session.scalars(stmt))


def _require_admin(caller: Caller) -> None:
    if not policy.may_administer_accounts(caller):
        raise Forbidden(policy.needs_roles(policy.ACCOUNT_ADMINS))


def add_organization(
    session: Session, *, caller: Caller, data: OrganizationCreate, now: datetime
) -> Organization:
    """`create_organization` for a signed-in caller: administrators only."""
    _require_admin(caller)
    return create_organization(session, data=data, now=now)


def add_user(session: Session, *, caller: Caller, data: UserCreate, now: datetime) -> tuple[User, str]:
    """`create_user` for a signed-in caller: an administrator, in their own organisation."""
    _require_admin(caller)
    if not policy.may_add_user(caller, organization_id=data.organization_id):
        raise Forbidden("administrators create users of their own organisation only")
    return create_user(session, data=data, now=now)


def colleagues(session: Session, *, caller: Caller) -> list[User]:
    """The users of an administrator's own organisation."""
    _require_admin(caller)
    return list_users(session, organization_id=caller.organization_id)


def _recent_failures(session: Session, username: str, since: datetime) -> int:
    stmt = select(func.count()).where(LoginFailure.username == username, LoginFailure.at >= since)
    return int(session.scalar(stmt) or 0)


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    now: datetime,
    max_failures: int,
    lockout: timedelta,
) -> User:
    """Check a username and password, throttling repeated failures per username (forgotten only when a
    session starts: a right password alone, before its second factor, does not lift the count)."""
    refuse_when_locked(session, username=username, now=now, max_failures=max_failures, lockout=lockout)
    user = session.scalar(select(User).where(User.username == username))
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_active:
        # Kept after the refusal rolls the sign-in back, whichever face asked: throttling must survive it.
        raise Unauthorized(
            "incorrect username or password", after_rollback=factors.failure_recorder(username, now)
        )
    return user


def refuse_when_locked(
    session: Session, *, username: str, now: datetime, max_failures: int, lockout: timedelta
) -> None:
    """TooManyRequests while the account has had too many failed sign-ins (passwords or codes)."""
    if _recent_failures(session, username, now - lockout) >= max_failures:
        raise TooManyRequests(
            "too many failed sign-ins for this account; "
            f"try again in {int(lockout.total_seconds() // 60)} minutes"
        )


WEB_SESSION_TOKEN = "web session"  # noqa: S105 - the name of the token record, not a secret


def check_password(
    session: Session, *, username: str, password: str, settings: Settings, now: datetime
) -> User:
    """`authenticate` with the deployment's throttling: the first step of every sign-in."""
    return authenticate(
        session,
        username=username,
        password=password,
        now=now,
        max_failures=settings.login_max_failures,
        lockout=timedelta(minutes=settings.login_lockout_minutes),
    )


def start_session(
    session: Session, *, user: User, settings: Settings, now: datetime, web: bool = False
) -> str:
    """The token of a new sign-in session (``web``: the browser's cookie), shown once; the account's failed
    sign-ins are forgotten."""
    session.execute(delete(LoginFailure).where(LoginFailure.username == user.username))
    data = TokenCreate(name=WEB_SESSION_TOKEN if web else "session", ttl_hours=settings.token_ttl_hours)
    return issue_token(session, user=user, data=data, now=now, web_session=web)[1]


def sign_in(
    session: Session,
    *,
    username: str,
    password: str,
    settings: Settings,
    now: datetime,
    record_as: Callable[[User], Recorder],
    otp: str | None = None,
) -> str:
    """A session for a password and, when the account has a second factor, its code (``otp``) in one go.

    A refusal is kept after the rollback, whichever face asked, and repeated ones lock the account for a
    while. A user whose organisation requires a second factor they have not enrolled is sent to the web
    sign-in, which enrols it first."""
    user = check_password(session, username=username, password=password, settings=settings, now=now)
    step = factors.step_after_password(user)
    if step is factors.Step.enrol:
        raise Forbidden("your organisation requires a second factor: sign in on the web once to enrol it")
    if step is factors.Step.verify:
        if not otp:
            raise Unauthorized("this account has a second factor: send its current code as `otp`")
        factors.verify(session, user=user, code=otp, now=now, record=record_as(user))
    return start_session(session, user=user, settings=settings, now=now)


def issue_token(
    session: Session, *, user: User, data: TokenCreate, now: datetime, web_session: bool = False
) -> tuple[ApiToken, str]:
    """Create a bearer token for a user (``web_session``: the cookie of a sign-in); returns the record and
    the token (shown once)."""
    token = passwords.new_token()
    record = ApiToken(
        user_id=user.id,
        name=data.name,
        token_hash=passwords.token_digest(token),
        prefix=token[:10],
        created_at=now,
        expires_at=now + timedelta(hours=data.ttl_hours),
        web_session=web_session,
    )
    session.add(record)
    session.flush()
    return record, token


def _by_value(session: Session, token: str) -> ApiToken | None:
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == passwords.token_digest(token)))


def mint_token(
    session: Session, *, user: User, data: TokenCreate, now: datetime, presented: str, max_ttl_hours: int
) -> tuple[ApiToken, str]:
    """A token a signed-in user asks for with the credential ``presented``.

    Asked through a web session (or through a token minted by one), it is bound to that session: it expires
    no later than the session and is revoked with it at sign-out, so a borrowed browser cannot leave a
    lasting credential behind. Asked with any other bearer token, its lifetime is capped (``max_ttl_hours``).
    """
    parent = _by_value(session, presented)
    root: ApiToken | None = None
    if parent is not None and parent.user_id == user.id:
        root = parent if parent.web_session else _session_of(session, parent)
    if root is None and data.ttl_hours > max_ttl_hours:
        raise InvalidInput(
            f"an API token lives at most {max_ttl_hours} hours",
            errors=[{"loc": ["body", "ttl_hours"], "msg": f"more than {max_ttl_hours}"}],
        )
    record, token = issue_token(session, user=user, data=data, now=now)
    if root is not None:
        record.session_id = root.id
        record.expires_at = min(record.expires_at, root.expires_at)
        session.flush()
    return record, token


def _session_of(session: Session, record: ApiToken) -> ApiToken | None:
    return session.get(ApiToken, record.session_id) if record.session_id is not None else None


def list_tokens(session: Session, *, user: User) -> list[ApiToken]:
    """A user's tokens (metadata only)."""
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def _revoke(session: Session, record: ApiToken, now: datetime) -> None:
    if record.revoked_at is None:
        record.revoked_at = now
    # The tokens minted through a web session end with it.
    session.execute(
        update(ApiToken)
        .where(ApiToken.session_id == record.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    )
    session.flush()


def revoke_token(
    session: Session, *, user: User, token_id: int, now: datetime, any_user: bool = False
) -> None:
    """Revoke one of the user's tokens (an admin may revoke anyone's with ``any_user``), and the tokens
    minted through it when it is a web session."""
    record = session.get(ApiToken, token_id)
    if record is None or (record.user_id != user.id and not any_user):
        raise NotFound(f"token {token_id} not found")
    _revoke(session, record, now)


def revoke_token_value(session: Session, *, token: str, now: datetime) -> None:
    """Revoke the token with this value (signing out of a web session: with the tokens minted through it);
    an unknown one is ignored."""
    record = _by_value(session, token)
    if record is not None:
        _revoke(session, record, now)


def _live(record: ApiToken | None, now: datetime, *, empty: bool = False) -> bool:
    if record is None:
        return empty
    return record.revoked_at is None and record.expires_at > now


TOKEN_USE_PRECISION = timedelta(minutes=1)  # how fresh a token's last_used_at is kept


def user_for_token(session: Session, *, token: str, now: datetime) -> User:
    """The active user a bearer token belongs to, or Unauthorized."""
    record = _by_value(session, token)
    if record is None or not _live(record, now) or not _live(_session_of(session, record), now, empty=True):
        raise Unauthorized("invalid, expired or revoked token")
    user = session.get(User, record.user_id)
    if user is None or not user.is_active:
        raise Unauthorized("invalid, expired or revoked token")
    # To the minute: a read must not become a write (on SQLite, a wait for the write turn) on every request.
    if record.last_used_at is None or now - record.last_used_at >= TOKEN_USE_PRECISION:
        record.last_used_at = now
    return user
