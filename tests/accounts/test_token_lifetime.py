"""API tokens minted through a web session end with it; tokens minted with a bearer token are capped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from outrider import db
from outrider.accounts.models import ApiToken
from outrider.http import CSRF_HEADER, SESSION_COOKIE, csrf_token
from outrider.settings import get_settings

PASSWORD = "correct horse battery staple"
YEAR = 24 * 365


@pytest.fixture
def browser(engine: Engine) -> Iterator[TestClient]:
    """A browser-like client over https (the session cookie is Secure outside development)."""
    from outrider.app import create_app

    with TestClient(create_app(), base_url="https://testserver", raise_server_exceptions=False) as c:
        yield c


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def _sign_in(browser: TestClient, username: str) -> str:
    page = browser.get("/login")
    resp = browser.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": _csrf(page.text)},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    token = browser.cookies.get(SESSION_COOKIE)
    assert token
    return str(token)


def _sign_out(browser: TestClient) -> None:
    page = browser.get("/account")
    out = browser.post("/logout", data={"csrf_token": _csrf(page.text)}, follow_redirects=False)
    assert out.status_code == 303


def _works(client: TestClient, token: str) -> bool:
    resp = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code in (200, 401), resp.text
    return resp.status_code == 200


def _mint_with_cookie(browser: TestClient, session_token: str, hours: int = YEAR) -> dict[str, Any]:
    headers = {CSRF_HEADER: csrf_token(get_settings().secret_key, session_token)}
    resp = browser.post("/api/v1/me/tokens", json={"name": "script", "ttl_hours": hours}, headers=headers)
    assert resp.status_code == 201, resp.text
    out: dict[str, Any] = resp.json()
    return out


def _expiry(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_a_token_minted_through_the_web_session_ends_with_it(browser: TestClient, world: Any) -> None:
    session_token = _sign_in(browser, "coord")
    minted = _mint_with_cookie(browser, session_token)
    session_ends = db.utcnow() + timedelta(hours=get_settings().token_ttl_hours)
    assert _expiry(minted["expires_at"]) <= session_ends  # asked for a year, bound to the 12-hour session
    assert _works(browser, minted["token"])
    _sign_out(browser)
    assert not _works(browser, minted["token"])  # revoked with the session at sign-out
    listed = browser.get("/api/v1/me/tokens", headers=world["coord"].headers).json()
    [row] = [t for t in listed if t["id"] == minted["id"]]
    assert row["revoked_at"] is not None


def test_the_account_page_mints_session_bound_tokens(browser: TestClient, world: Any) -> None:
    _sign_in(browser, "coord")
    page = browser.get("/account")
    made = browser.post(
        "/account/tokens", data={"name": "laptop", "hours": str(YEAR), "csrf_token": _csrf(page.text)}
    )
    assert made.status_code == 200 and "bound to this session" in made.text
    found = re.search(r'id="new-token" class="mono wide" readonly value="([^"]+)"', made.text)
    assert found
    token = found.group(1)
    assert _works(browser, token)
    _sign_out(browser)
    assert not _works(browser, token)


def test_tokens_minted_from_session_bound_tokens_stay_bound(browser: TestClient, world: Any) -> None:
    session_token = _sign_in(browser, "coord")
    child = _mint_with_cookie(browser, session_token)
    bearer = {"Authorization": f"Bearer {child['token']}"}
    grandchild = browser.post("/api/v1/me/tokens", json={"name": "g", "ttl_hours": YEAR}, headers=bearer)
    assert grandchild.status_code == 201, grandchild.text
    # the session cookie's value presented as a bearer token is still the web session
    as_bearer = {"Authorization": f"Bearer {session_token}"}
    sideways = browser.post("/api/v1/me/tokens", json={"name": "s", "ttl_hours": YEAR}, headers=as_bearer)
    assert sideways.status_code == 201, sideways.text
    for minted in (grandchild.json(), sideways.json()):
        assert _expiry(minted["expires_at"]) <= _expiry(child["expires_at"]) + timedelta(seconds=5)
    _sign_out(browser)
    for token in (child["token"], grandchild.json()["token"], sideways.json()["token"]):
        assert not _works(browser, token)


def test_revoking_the_session_token_revokes_what_it_minted(browser: TestClient, world: Any) -> None:
    session_token = _sign_in(browser, "coord")
    minted = _mint_with_cookie(browser, session_token)
    tokens = browser.get("/api/v1/me/tokens", headers=world["coord"].headers).json()
    [session_row] = [t for t in tokens if t["name"] == "web session" and t["revoked_at"] is None]
    gone = browser.delete(f"/api/v1/me/tokens/{session_row['id']}", headers=world["coord"].headers)
    assert gone.status_code == 204
    assert not _works(browser, minted["token"])


def test_a_dead_session_kills_its_tokens_even_without_the_cascade(browser: TestClient, world: Any) -> None:
    session_token = _sign_in(browser, "coord")
    minted = _mint_with_cookie(browser, session_token)
    with db.transaction() as session:  # the session alone revoked, as an older release or a hand would
        session.execute(update(ApiToken).where(ApiToken.web_session.is_(True)).values(revoked_at=db.utcnow()))
    assert not _works(browser, minted["token"])


def test_a_bearer_token_mints_within_the_cap(client: TestClient, world: Any) -> None:
    cap = get_settings().token_max_ttl_hours
    h = world["coord"].headers
    over = client.post("/api/v1/me/tokens", json={"name": "ci", "ttl_hours": cap + 1}, headers=h)
    assert over.status_code == 422
    assert over.headers["content-type"].startswith("application/problem+json")
    ok = client.post("/api/v1/me/tokens", json={"name": "ci", "ttl_hours": cap}, headers=h)
    assert ok.status_code == 201
    lifetime = _expiry(ok.json()["expires_at"]) - db.utcnow()
    assert timedelta(hours=cap - 1) < lifetime <= timedelta(hours=cap)
    assert _works(client, ok.json()["token"])


def test_signing_out_leaves_independent_tokens_alone(browser: TestClient, world: Any) -> None:
    _sign_in(browser, "coord")
    made = browser.post(
        "/api/v1/me/tokens", json={"name": "integration", "ttl_hours": 48}, headers=world["coord"].headers
    )
    assert made.status_code == 201
    _sign_out(browser)
    assert _works(browser, made.json()["token"])
    assert _works(browser, world["coord"].token)
