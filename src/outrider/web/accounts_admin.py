"""Administrators and the users of their own organisation: roles, deactivation, reset codes, second
factors, sessions and tokens, and the organisation's sign-in rule. Every decision is the services'."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import Response

from outrider.access import policy
from outrider.accounts import desk
from outrider.accounts import service as accounts_service
from outrider.accounts.schemas import Role
from outrider.errors import Forbidden, OutriderError
from outrider.inputs import Id
from outrider.web import second_factor
from outrider.web.context import Web, WebDep, WebRoute

router = APIRouter(route_class=WebRoute, include_in_schema=False)
ROLES = tuple(r.value for r in Role)


def _record(web: Web) -> Any:
    return second_factor.recorder(web.session, web.user, web.now)  # type: ignore[arg-type]


@router.get("/accounts/users")
def users_page(web: WebDep) -> Response:
    """The users of your organisation, their state and second factor, and its sign-in rule."""
    users = accounts_service.colleagues(web.session, caller=web.caller)  # administrators only
    org = accounts_service.get_organization(web.session, org_id=web.caller.organization_id)
    return web.render("accounts/users.html", users=users, org=org)


def _user_page(web: Web, user_id: int, *, status_code: int = 200, **extra: Any) -> Response:
    user = desk.managed_user(web.session, caller=web.caller, user_id=user_id)
    values: dict[str, Any] = {"errors": {}, "reset": None, "chosen": list(user.roles)}
    values.update(extra)
    tokens = desk.user_tokens(web.session, caller=web.caller, user_id=user_id)
    return web.render(
        "accounts/user.html", status_code=status_code, user=user, tokens=tokens, roles=ROLES, **values
    )


@router.get("/accounts/users/{user_id}")
def user_page(web: WebDep, user_id: Id) -> Response:
    """One user of your organisation: roles, state, second factor, sessions and tokens."""
    return _user_page(web, user_id)


@router.post("/accounts/users/{user_id}/roles")
def set_roles(web: WebDep, user_id: Id, roles: Annotated[list[str] | None, Form()] = None) -> Response:
    """Replace the user's roles (the auditor role only by a governance proposal)."""
    chosen = [r for r in roles or [] if r in ROLES]
    try:
        desk.set_roles(web.session, caller=web.caller, user_id=user_id, roles=chosen, record=_record(web))
    except OutriderError as failure:
        if isinstance(failure, Forbidden) and not policy.may_manage_user(
            web.caller, organization_id=web.caller.organization_id, user_id=user_id
        ):
            raise
        web.request.state.web_failed = True
        errors = {f"roles.{k}": v for k, v in second_factor.field_errors(web, failure).items()}
        return _user_page(web, user_id, status_code=failure.status, errors=errors, chosen=chosen)
    return web.redirect(f"/accounts/users/{user_id}", done="roles_changed")


@router.post("/accounts/users/{user_id}/deactivate")
def deactivate(web: WebDep, user_id: Id) -> Response:
    """Deactivate the user: no sign-in, and their sessions and tokens end at once."""
    desk.set_active(
        web.session, caller=web.caller, user_id=user_id, active=False, now=web.now, record=_record(web)
    )
    return web.redirect(f"/accounts/users/{user_id}", done="user_deactivated")


@router.post("/accounts/users/{user_id}/reactivate")
def reactivate(web: WebDep, user_id: Id) -> Response:
    """Let the user sign in again."""
    desk.set_active(
        web.session, caller=web.caller, user_id=user_id, active=True, now=web.now, record=_record(web)
    )
    return web.redirect(f"/accounts/users/{user_id}", done="user_reactivated")


@router.post("/accounts/users/{user_id}/password-reset")
def issue_reset(web: WebDep, user_id: Id) -> Response:
    """A one-time reset code for the user, shown once on this page."""
    row, code = desk.issue_reset(
        web.session, caller=web.caller, user_id=user_id, now=web.now, record=_record(web)
    )
    return _user_page(web, user_id, reset={"code": code, "expires_at": row.expires_at})


@router.post("/accounts/users/{user_id}/second-factor/reset")
def reset_second_factor(web: WebDep, user_id: Id) -> Response:
    """Remove the user's second factor (a lost phone)."""
    desk.reset_second_factor(web.session, caller=web.caller, user_id=user_id, record=_record(web))
    return web.redirect(f"/accounts/users/{user_id}", done="totp_reset")


@router.post("/accounts/users/{user_id}/tokens/{token_id}/revoke")
def revoke_token(web: WebDep, user_id: Id, token_id: Id) -> Response:
    """End one of the user's web sessions or API tokens at once."""
    desk.revoke_user_token(
        web.session, caller=web.caller, user_id=user_id, token_id=token_id, now=web.now, record=_record(web)
    )
    return web.redirect(f"/accounts/users/{user_id}", done="token_revoked")


@router.post("/accounts/organization/security")
def set_security(web: WebDep, require_totp: Annotated[str, Form(max_length=8)] = "") -> Response:
    """Require a second factor of your organisation's users, or not."""
    desk.set_require_totp(
        web.session,
        caller=web.caller,
        organization_id=web.caller.organization_id,
        required=require_totp == "on",
        record=_record(web),
    )
    return web.redirect("/accounts/users", done="security_set")
