"""Signing in with a second factor, enrolling one the organisation requires, and redeeming a reset code.

After a right password, an account with a second factor (or one that must enrol it) gets no session yet:
a short-lived pending cookie, bound by the server's key to the user and their current password hash, carries
it to the code's page. Wrong codes count towards the account's lockout like wrong passwords.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from outrider.accounts import desk, factors
from outrider.accounts import service as accounts_service
from outrider.accounts.events import Recorder
from outrider.accounts.models import User
from outrider.audit import service as audit_service
from outrider.db import transaction
from outrider.errors import InvalidInput, OutriderError, TooManyRequests, Unauthorized
from outrider.http import SESSION_COOKIE, caller_of
from outrider.settings import Settings
from outrider.web.context import PublicDep, Web, WebRoute, cookie_flags, safe_next
from outrider.web.i18n import N_

router = APIRouter(route_class=WebRoute, include_in_schema=False)
PENDING_COOKIE = "outrider_2fa"
PENDING_SECONDS = 300
NextQuery = Annotated[str, Query(alias="next", max_length=2000)]
NextForm = Annotated[str, Form(alias="next", max_length=2000)]


def recorder(session: Session, user: User, now: datetime) -> Recorder:
    """The audit recorder of a change a signed-in (or signing-in) user makes on the web."""
    return partial(audit_service.record, session, actor=caller_of(user, channel="web"), now=now)


def _mac(settings: Settings, user_id: int, expires: int, password_hash: str) -> str:
    basis = f"2fa\0{user_id}\0{expires}\0{password_hash}".encode()
    return hmac.new(settings.secret_key.encode(), basis, hashlib.sha256).hexdigest()


def pending_value(settings: Settings, user: User, now: datetime) -> str:
    """The pending cookie of a user who gave the right password and owes a second factor."""
    expires = int(now.timestamp()) + PENDING_SECONDS
    return f"{user.id}.{expires}.{_mac(settings, user.id, expires, user.password_hash)}"


def pending_user(web: Web, session: Session) -> User | None:
    """The user of a valid, unexpired pending cookie (active, password unchanged since), if any."""
    parts = (web.request.cookies.get(PENDING_COOKIE) or "").split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    user = session.get(User, int(parts[0]))
    if user is None or not user.is_active or int(parts[1]) < web.now.timestamp():
        return None
    expected = _mac(web.settings, user.id, int(parts[1]), user.password_hash)
    return user if hmac.compare_digest(expected, parts[2]) else None


def set_session_cookie(web: Web, response: Response, token: str) -> None:
    """The session cookie on a response, the pending second-factor cookie gone."""
    flags = cookie_flags(web.settings)
    response.set_cookie(SESSION_COOKIE, token, max_age=web.settings.token_ttl_hours * 3600, **flags)
    response.delete_cookie(PENDING_COOKIE, path="/", secure=flags["secure"], httponly=True, samesite="strict")


def signed_in(web: Web, token: str, next_url: str) -> Response:
    """Go on with a new session's cookie."""
    response = RedirectResponse(safe_next(next_url), status_code=303)
    set_session_cookie(web, response, token)
    web.finish(response)
    return response


def _back_to_sign_in(web: Web) -> Response:
    response = RedirectResponse("/login", status_code=303)
    web.finish(response)
    return response


def _refuse_when_locked(web: Web, session: Session, user: User) -> None:
    accounts_service.refuse_when_locked(
        session,
        username=user.username,
        now=web.now,
        max_failures=web.settings.login_max_failures,
        lockout=timedelta(minutes=web.settings.login_lockout_minutes),
    )


@router.get("/login/second-factor")
def second_factor_page(web: PublicDep, next_url: NextQuery = "/") -> Response:
    """The code of the authenticator app (or a recovery code), after the right password."""
    with transaction() as session:
        if pending_user(web, session) is None:
            return _back_to_sign_in(web)
    return web.render("accounts/second_factor.html", next_url=safe_next(next_url), error=None)


@router.post("/login/second-factor")
def second_factor_check(
    web: PublicDep, code: Annotated[str, Form(max_length=32)], next_url: NextForm = "/"
) -> Response:
    """Check the code; a right one starts the session."""
    try:
        with transaction() as session:  # a wrong code is kept after the rollback (throttling)
            user = pending_user(web, session)
            if user is None:
                return _back_to_sign_in(web)
            _refuse_when_locked(web, session, user)
            factors.verify(
                session, user=user, code=code, now=web.now, record=recorder(session, user, web.now)
            )
            token = accounts_service.start_session(
                session, user=user, settings=web.settings, now=web.now, web=True
            )
    except (Unauthorized, TooManyRequests) as failure:
        message = (
            web.gettext("Too many failed sign-ins: try again later.")
            if isinstance(failure, TooManyRequests)
            else web.gettext("The code is not correct, or was used already.")
        )
        return web.render(
            "accounts/second_factor.html",
            status_code=failure.status,
            next_url=safe_next(next_url),
            error=message,
        )
    return signed_in(web, token, next_url)


@router.get("/login/enrol")
def enrol_page(web: PublicDep, next_url: NextQuery = "/") -> Response:
    """Enrol the second factor the organisation requires: a new secret for the authenticator app."""
    with transaction() as session:
        user = pending_user(web, session)
        if user is None or factors.step_after_password(user) is not factors.Step.enrol:
            return _back_to_sign_in(web)
        enrolment = factors.start_enrolment(session, user=user, record=recorder(session, user, web.now))
    return web.render("accounts/enrol.html", next_url=safe_next(next_url), enrolment=enrolment, error=None)


@router.post("/login/enrol")
def enrol_confirm(
    web: PublicDep, code: Annotated[str, Form(max_length=32)], next_url: NextForm = "/"
) -> Response:
    """Confirm the new secret with a code: the recovery codes are shown once, and the session starts."""
    try:
        with transaction() as session:
            user = pending_user(web, session)
            if user is None or factors.step_after_password(user) is not factors.Step.enrol:
                return _back_to_sign_in(web)
            _refuse_when_locked(web, session, user)
            codes = factors.confirm_enrolment(
                session, user=user, code=code, now=web.now, record=recorder(session, user, web.now)
            )
            token = accounts_service.start_session(
                session, user=user, settings=web.settings, now=web.now, web=True
            )
    except (Unauthorized, TooManyRequests):
        return _enrol_again(web, next_url)
    response = web.render("accounts/recovery_codes.html", codes=codes, next_url=safe_next(next_url))
    set_session_cookie(web, response, token)
    return response


def _enrol_again(web: Web, next_url: str) -> Response:
    """The same secret again with the error (the pending secret is kept until a code matches)."""
    with transaction() as session:
        user = pending_user(web, session)
        if user is None or not user.totp_secret:
            return _back_to_sign_in(web)
        enrolment = factors.pending_enrolment(user)
    error = web.gettext("The code is not correct, or was used already.")
    return web.render(
        "accounts/enrol.html", status_code=401, next_url=safe_next(next_url), enrolment=enrolment, error=error
    )


# --- redeeming a reset code ---------------------------------------------------------------------------


@router.get("/password-reset")
def reset_page(web: PublicDep) -> Response:
    """Set a new password with the one-time code an administrator gave you."""
    return web.render("accounts/reset.html", errors={}, code="", reset_done=False)


@router.post("/password-reset")
def reset_redeem(
    web: PublicDep,
    code: Annotated[str, Form(max_length=100)] = "",
    new_password: Annotated[str, Form(max_length=1000)] = "",
    confirm_password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Check the code and the new password; every session of the account ends."""
    errors: dict[str, str] = {}
    if new_password != confirm_password:
        errors["confirm_password"] = web.gettext("The two passwords differ.")
    try:
        with transaction() as session:
            if errors:
                raise InvalidInput("the two passwords differ")
            desk.redeem_reset(
                session,
                code=code,
                new_password=new_password,
                now=web.now,
                record_as=lambda user: recorder(session, user, web.now),
            )
    except OutriderError as failure:
        errors.update(field_errors(web, failure))
        return web.render("accounts/reset.html", status_code=422, errors=errors, code=code, reset_done=False)
    return web.render("accounts/reset.html", errors={}, code="", reset_done=True)


# The refusals of the accounts use cases, as the services word them: shown in the user's language.
DOMAIN_MESSAGES = (
    N_("a password has 12 to 200 characters"),
    N_("the two passwords differ"),
    N_("the current password is not correct"),
    N_("the password is not correct"),
    N_("the new password is the current one"),
    N_("this reset code is unknown, used or expired: ask an administrator for another"),
    N_("this account is deactivated"),
    N_("the code does not match: check the time of the device and type the current code"),
    N_("a second factor is already enrolled; disable it first to enrol another"),
    N_("no enrolment is pending: start one first"),
    N_("recovery codes come with a second factor: enrol one first"),
    N_("your organisation requires a second factor: it cannot be disabled"),
    N_("no second factor is enrolled"),
    N_("the user has no second factor"),
    N_("the user is deactivated: reactivate them first"),
    N_("a user holds at least one role"),
    N_(
        "the auditor role is granted only by a proposal both founding parties approve "
        "(outrider governance propose auditor USERNAME); it is not edited here"
    ),
    N_("administrators do not manage their own account here: another administrator does"),
)


def field_errors(web: Web, failure: OutriderError) -> dict[str, str]:
    """A domain error as messages beside the fields it names (``detail`` when it names none)."""
    found: dict[str, str] = {}
    for item in failure.errors or []:
        loc = item.get("loc") or []
        field = str(loc[-1]) if loc else "form"
        found[field] = web.gettext(
            failure.detail if str(item.get("msg")) == failure.detail else str(item.get("msg"))
        )
    if not found:
        found["form"] = web.gettext(failure.detail)
    return found
