"""The accounts pages in the web policy matrix: the requests and actors that `test_web_access` checks for
each accounts route (it merges them into its own).

An administrator's pages act on the host's analyst: the host administrator may (404 for Acme's, whose
organisation the analyst is not in; 403 for everyone else). Your own account's pages are for anyone
signed in; the refused wrong password or code is the business rule speaking (422, 401 or 409).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from outrider import db
from outrider.accounts.models import ApiToken, User
from outrider.http import caller_of, csrf_token
from outrider.notify import contacts
from outrider.settings import get_settings

SIGNED_IN = {"admin", "duty", "analyst", "auditor", "liaison", "coord", "acme_admin", "other_coord"}
ACCOUNTS_ALLOWED: dict[str, set[str]] = {"accounts.manage": {"admin"}}

Request = Callable[[TestClient, Any, Any, str], Any]


def _headers(world: Any, who: str, *, change: bool) -> dict[str, str]:
    basis = "anon-nonce" if who == "anon" else world[who].token
    cookie = "outrider_pre=anon-nonce" if who == "anon" else f"outrider_session={basis}"
    out = {"Cookie": cookie}
    if change:
        out["X-CSRF-Token"] = csrf_token(get_settings().secret_key, basis)
    return out


def _page(method: str, path: str, form: dict[str, Any] | None = None) -> Request:
    def run(client: TestClient, world: Any, scene: Any, who: str) -> Any:
        with db.transaction() as session:
            token = session.scalar(select(ApiToken.id).where(ApiToken.user_id == world["analyst"].user_id))
        url = path.format(user=world["analyst"].user_id, token=token)
        change = method != "GET"
        return client.request(
            method, url, data=form, headers=_headers(world, who, change=change), follow_redirects=False
        )

    return run


_N = itertools.count(1)


def _contact(action: str) -> Request:
    """An action on a contact point of the caller's own (a fresh one; anon names the host duty officer's)."""

    def run(client: TestClient, world: Any, scene: Any, who: str) -> Any:
        owner = "duty" if who == "anon" else who
        with db.transaction() as session:
            caller = caller_of(session.get_one(User, world[owner].user_id))
            address = f"matrix-{next(_N)}@example.org"
            point = contacts.add(session, caller=caller, channel="email", address=address, now=db.utcnow()).id
        form = {"code": "000000"} if action == "verify" else {}
        url = f"/account/contacts/{point}/{action}"
        return client.post(url, data=form, headers=_headers(world, who, change=True), follow_redirects=False)

    return run


U = "/accounts/users/{user}"
ACCOUNTS_REQUESTS: dict[str, Request] = {
    "POST /account/password": _page(
        "POST",
        "/account/password",
        {
            "current_password": "wrong",
            "new_password": "a long new password",
            "confirm_password": "a long new password",
        },
    ),
    "POST /account/totp": _page("POST", "/account/totp", {"password": "wrong"}),
    "POST /account/totp/confirm": _page("POST", "/account/totp/confirm", {"code": "123456"}),
    "POST /account/totp/disable": _page("POST", "/account/totp/disable", {"password": "wrong"}),
    "POST /account/recovery-codes": _page("POST", "/account/recovery-codes", {"password": "wrong"}),
    "POST /account/contacts": lambda client, world, scene, who: client.post(
        "/account/contacts",
        data={"channel": "email", "address": f"matrix-{next(_N)}@example.org"},
        headers=_headers(world, who, change=True),
        follow_redirects=False,
    ),
    "POST /account/contacts/{contact_id}/verify": _contact("verify"),
    "POST /account/contacts/{contact_id}/resend": _contact("resend"),
    "POST /account/contacts/{contact_id}/disable": _contact("disable"),
    "GET /accounts/users": _page("GET", "/accounts/users"),
    "POST /accounts/organization/security": _page("POST", "/accounts/organization/security", {}),
    "GET /accounts/users/{user_id}": _page("GET", U),
    "POST /accounts/users/{user_id}/roles": _page(
        "POST", U + "/roles", {"roles": ["analyst", "duty_officer"]}
    ),
    "POST /accounts/users/{user_id}/deactivate": _page("POST", U + "/deactivate"),
    "POST /accounts/users/{user_id}/reactivate": _page("POST", U + "/reactivate"),
    "POST /accounts/users/{user_id}/password-reset": _page("POST", U + "/password-reset"),
    "POST /accounts/users/{user_id}/second-factor/reset": _page("POST", U + "/second-factor/reset"),
    "POST /accounts/users/{user_id}/tokens/{token_id}/revoke": _page("POST", U + "/tokens/{token}/revoke"),
}
