"""The accounts pages: your account (password, second factor, sessions and API tokens), and for
administrators the users of their organisation (`accounts_admin`); the second factor at sign-in and the
reset codes are in `second_factor`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import Response

from outrider.accounts import desk, factors
from outrider.accounts import service as accounts_service
from outrider.accounts.schemas import TokenCreate
from outrider.errors import InvalidInput, OutriderError
from outrider.http import SESSION_COOKIE
from outrider.inputs import Id
from outrider.movements import field_pins
from outrider.notify import contacts
from outrider.web import accounts_admin, second_factor
from outrider.web.context import Web, WebDep, WebRoute

router = APIRouter(route_class=WebRoute, include_in_schema=False)
Secret = Annotated[str, Form(max_length=1000)]


def account_page(web: Web, *, status_code: int = 200, **extra: Any) -> Response:
    """The signed-in user, their sign-in security and their sessions and tokens, with what ``extra`` adds
    (a secret shown once, errors beside the form's fields)."""
    assert web.user is not None
    values: dict[str, Any] = {
        "tokens": accounts_service.list_tokens(web.session, user=web.user),
        "issued": None,
        "errors": {},
        "enrolment": None,
        "codes": None,
        "recovery_left": factors.remaining_recovery_codes(web.session, user=web.user),
        "field_pins": field_pins.has_pins(web.session, web.user.id),
        "contact_points": contacts.list_own(web.session, caller=web.caller),
    }
    values.update(extra)
    return web.render("account.html", status_code=status_code, **values)


def _record(web: Web) -> Any:
    assert web.user is not None
    return second_factor.recorder(web.session, web.user, web.now)


def _refused(web: Web, failure: OutriderError, form: str) -> Response:
    """The account page again with the refusal beside the fields of ``form`` (the change rolled back)."""
    web.request.state.web_failed = True  # nothing of the refused change is committed
    errors = {f"{form}.{k}": v for k, v in second_factor.field_errors(web, failure).items()}
    return account_page(web, status_code=failure.status, errors=errors)


@router.get("/account")
def account(web: WebDep) -> Response:
    """The signed-in user, their organisation, their second factor, and their sessions and API tokens."""
    return account_page(web)


@router.post("/account/tokens")
def create_token(
    web: WebDep,
    name: Annotated[str, Form(min_length=1, max_length=120)],
    hours: Annotated[int, Form(ge=1, le=24 * 365)] = 24,
) -> Response:
    """Issue a named API token; it is shown once, on this page. It is bound to this web session: it
    expires with it at the latest and is revoked at sign-out (docs/web.md says why)."""
    assert web.user is not None
    record, token = accounts_service.mint_token(
        web.session,
        user=web.user,
        data=TokenCreate(name=name, ttl_hours=hours),
        now=web.now,
        presented=web.request.cookies.get(SESSION_COOKIE, ""),
        max_ttl_hours=web.settings.token_max_ttl_hours,
    )
    desk.token_issued(_record(web), record)
    return account_page(web, issued={"name": record.name, "token": token})


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(web: WebDep, token_id: Id) -> Response:
    """Revoke one of your tokens (or web sessions) at once."""
    assert web.user is not None
    accounts_service.revoke_token(web.session, user=web.user, token_id=token_id, now=web.now)
    desk.own_token_revoked(_record(web), web.user, token_id)
    return web.redirect("/account", done="token_revoked")


@router.post("/account/password")
def change_password(
    web: WebDep, current_password: Secret = "", new_password: Secret = "", confirm_password: Secret = ""
) -> Response:
    """Change your password; your other sessions and tokens end."""
    assert web.user is not None
    try:
        if new_password != confirm_password:
            message = "the two passwords differ"
            raise InvalidInput(message, errors=[{"loc": ["body", "confirm_password"], "msg": message}])
        desk.change_password(
            web.session,
            user=web.user,
            current=current_password,
            new=new_password,
            now=web.now,
            record=_record(web),
            presented=web.request.cookies.get(SESSION_COOKIE),
        )
    except OutriderError as failure:
        return _refused(web, failure, "password")
    return web.redirect("/account", done="password_changed")


@router.post("/account/totp")
def start_totp(web: WebDep, password: Secret = "") -> Response:
    """Start enrolling a second factor (your password again): the secret is shown once."""
    assert web.user is not None
    try:
        desk.confirm_password(web.user, password)
        enrolment = factors.start_enrolment(web.session, user=web.user, record=_record(web))
    except OutriderError as failure:
        return _refused(web, failure, "totp")
    return account_page(web, enrolment=enrolment)


@router.post("/account/totp/confirm")
def confirm_totp(web: WebDep, code: Annotated[str, Form(max_length=32)] = "") -> Response:
    """Enable the second factor with a current code; the recovery codes are shown once."""
    assert web.user is not None
    try:
        codes = factors.confirm_enrolment(
            web.session, user=web.user, code=code, now=web.now, record=_record(web)
        )
    except OutriderError as failure:
        web.request.state.web_failed = True
        errors = {f"confirm.{k}": v for k, v in second_factor.field_errors(web, failure).items()}
        return account_page(
            web, status_code=failure.status, errors=errors, enrolment=factors.pending_enrolment(web.user)
        )
    return account_page(web, codes=codes)


@router.post("/account/totp/disable")
def disable_totp(web: WebDep, password: Secret = "") -> Response:
    """Remove your second factor (your password again), unless your organisation requires one."""
    assert web.user is not None
    try:
        desk.disable_second_factor(web.session, user=web.user, password=password, record=_record(web))
    except OutriderError as failure:
        return _refused(web, failure, "disable")
    return web.redirect("/account", done="totp_disabled")


@router.post("/account/recovery-codes")
def renew_codes(web: WebDep, password: Secret = "") -> Response:
    """Ten new recovery codes (your password again), shown once; the old ones stop working."""
    assert web.user is not None
    try:
        desk.confirm_password(web.user, password)
        codes = factors.new_recovery_codes(web.session, user=web.user, now=web.now, record=_record(web))
    except OutriderError as failure:
        return _refused(web, failure, "codes")
    return account_page(web, codes=codes)


router.include_router(second_factor.router)
router.include_router(accounts_admin.router)
