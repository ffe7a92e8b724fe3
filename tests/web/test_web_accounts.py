"""The accounts pages (SQLite and PostgreSQL): the second factor at sign-in and its enrolment when the
organisation requires it, your password and second factor, reset codes, an administrator's users; forms
keep what was typed and show errors beside their fields, in the user's language."""

from __future__ import annotations

import re
import time
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from outrider import db
from outrider.accounts import totp
from outrider.accounts.models import Organization, User

PASSWORD = "correct horse battery staple"
NEW = "a much longer new passphrase"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def _post(client: TestClient, page: str, action: str, data: dict[str, Any], **kw: Any) -> Any:
    html = client.get(page).text
    return client.post(action, data={**data, "csrf_token": _csrf(html)}, follow_redirects=False, **kw)


def _sign_in(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    return _post(client, "/login", "/login", {"username": username, "password": password, "next": "/account"})


def _enrol_on_account_page(client: TestClient) -> tuple[bytes, str]:
    started = _post(client, "/account", "/account/totp", {"password": PASSWORD})
    assert started.status_code == 200, started.text
    secret = re.search(r'id="totp-secret" class="mono wide" readonly value="([A-Z2-7]+)"', started.text)
    assert secret and "otpauth://totp/" in started.text
    key = totp.from_base32(secret.group(1))
    confirmed = client.post(
        "/account/totp/confirm",
        data={"code": totp.totp(key, time.time() - totp.STEP_SECONDS), "csrf_token": _csrf(started.text)},
    )
    assert confirmed.status_code == 200 and 'id="recovery-codes"' in confirmed.text
    return key, confirmed.text


def test_enrolled_user_signs_in_with_a_code_after_the_password(web_client: TestClient, world: Any) -> None:
    assert _sign_in(web_client, "coord").status_code == 303
    key, page = _enrol_on_account_page(web_client)
    codes = re.findall(r"<li>([A-Z2-9]{5}-[A-Z2-9]{5})</li>", page)
    assert len(codes) == 10
    web_client.cookies.clear()
    step = _sign_in(web_client, "coord")
    assert step.status_code == 303 and step.headers["location"].startswith("/login/second-factor")
    assert web_client.get("/account", follow_redirects=False).status_code == 303  # no session yet
    wrong = _post(web_client, "/login/second-factor", "/login/second-factor", {"code": "000000"})
    if totp.totp(key, time.time()) != "000000":
        assert wrong.status_code == 401 and 'id="code-error"' in wrong.text
    ok = _post(
        web_client, "/login/second-factor", "/login/second-factor", {"code": totp.totp(key, time.time())}
    )
    assert ok.status_code == 303, ok.text
    assert web_client.get("/account").status_code == 200
    web_client.cookies.clear()
    _sign_in(web_client, "coord")
    recovered = _post(web_client, "/login/second-factor", "/login/second-factor", {"code": codes[0].lower()})
    assert recovered.status_code == 303
    web_client.cookies.clear()
    _sign_in(web_client, "coord")
    again = _post(web_client, "/login/second-factor", "/login/second-factor", {"code": codes[0]})
    assert again.status_code == 401  # a recovery code is single use


def test_a_required_second_factor_is_enrolled_at_the_next_sign_in(web_client: TestClient, world: Any) -> None:
    with db.transaction() as session:
        session.get_one(Organization, world.orgs["acme"]).require_totp = True
    resp = _sign_in(web_client, "coord")
    assert resp.headers["location"].startswith("/login/enrol")
    assert web_client.get("/movements", follow_redirects=False).status_code == 303  # nothing else first
    page = web_client.get("/login/enrol")
    secret = re.search(r'value="([A-Z2-7]{32})"', page.text)
    assert page.status_code == 200 and secret
    key = totp.from_base32(secret.group(1))
    wrong = web_client.post("/login/enrol", data={"code": "12", "csrf_token": _csrf(page.text)})
    assert wrong.status_code == 401 and secret.group(1) in wrong.text  # the same secret again, with the error
    done = web_client.post(
        "/login/enrol", data={"code": totp.totp(key, time.time()), "csrf_token": _csrf(page.text)}
    )
    assert done.status_code == 200 and 'id="recovery-codes"' in done.text
    assert web_client.get("/movements").status_code == 200


def test_change_password_keeps_errors_beside_their_fields_in_the_users_language(
    web_client: TestClient, world: Any
) -> None:
    _sign_in(web_client, "coord")
    web_client.cookies.set("outrider_lang", "zh-Hans")
    resp = _post(
        web_client,
        "/account",
        "/account/password",
        {"current_password": "wrong", "new_password": NEW, "confirm_password": NEW},
    )
    assert resp.status_code == 422
    assert 'id="current-password-error"' in resp.text and "当前密码不正确" in resp.text
    differ = _post(
        web_client,
        "/account",
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW, "confirm_password": NEW + "x"},
    )
    assert 'id="confirm-password-error"' in differ.text
    ok = _post(
        web_client,
        "/account",
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW, "confirm_password": NEW},
    )
    assert ok.status_code == 303 and "password_changed" in ok.headers["location"]
    web_client.cookies.clear()
    assert _sign_in(web_client, "coord", NEW).status_code == 303


def test_admin_reset_code_is_redeemed_on_the_reset_page(web_client: TestClient, world: Any) -> None:
    _sign_in(web_client, "admin")
    user_page = f"/accounts/users/{world['analyst'].user_id}"
    issued = _post(web_client, user_page, user_page + "/password-reset", {})
    code = re.search(r'id="reset-code" class="mono wide" readonly value="([A-Z2-9-]+)"', issued.text)
    assert issued.status_code == 200 and code
    web_client.cookies.clear()
    bad = _post(
        web_client,
        "/password-reset",
        "/password-reset",
        {"code": "NOT-A-CODE", "new_password": NEW, "confirm_password": NEW},
    )
    assert bad.status_code == 422 and 'id="reset-code-error"' in bad.text and 'value="NOT-A-CODE"' in bad.text
    ok = _post(
        web_client,
        "/password-reset",
        "/password-reset",
        {"code": code.group(1), "new_password": NEW, "confirm_password": NEW},
    )
    assert ok.status_code == 200 and 'id="reset-done"' in ok.text, re.findall(
        r"<(?:h1|p)[^>]*>[^<]*<", ok.text
    )
    assert _sign_in(web_client, "analyst", NEW).status_code == 303


def test_a_deactivated_users_web_session_is_refused_at_once(web_client: TestClient, world: Any) -> None:
    _sign_in(web_client, "duty")
    duty_cookie = web_client.cookies.get("outrider_session")
    web_client.cookies.clear()
    _sign_in(web_client, "admin")
    user_page = f"/accounts/users/{world['duty'].user_id}"
    resp = _post(web_client, user_page, user_page + "/deactivate", {})
    assert resp.status_code == 303
    refused = web_client.get(
        "/", headers={"Cookie": f"outrider_session={duty_cookie}"}, follow_redirects=False
    )
    assert refused.status_code == 303 and refused.headers["location"].startswith("/login")
    with db.transaction() as session:
        assert session.get_one(User, world["duty"].user_id).is_active is False


def test_admin_pages_offer_only_their_own_organisations_users(web_client: TestClient, world: Any) -> None:
    _sign_in(web_client, "acme_admin")
    listing = web_client.get("/accounts/users")
    assert listing.status_code == 200 and "coord" in listing.text and "analyst" not in listing.text
    assert web_client.get(f"/accounts/users/{world['analyst'].user_id}").status_code == 404
    own = web_client.get(f"/accounts/users/{world['acme_admin'].user_id}")
    assert own.status_code == 403
    with db.transaction() as session:
        names = session.scalars(select(User.username).where(User.is_active.is_(False))).all()
    assert names == []
