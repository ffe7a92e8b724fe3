"""Accounts over HTTP: sign-in, tokens, throttling, organisations and users."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from outrider import db
from outrider.accounts import service
from outrider.accounts.models import ApiToken

PASSWORD = "correct horse battery staple"


def _sign_in(client: TestClient, username: str, password: str) -> Any:
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


def test_password_flow_returns_a_bearer_token_that_works(client: TestClient, world: Any) -> None:
    resp = _sign_in(client, "coord", PASSWORD)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["username"] == "coord"
    assert me.json()["organization"]["kind"] == "company"
    assert "password_hash" not in me.text


def test_wrong_password_is_401_and_does_not_say_which_part(client: TestClient, world: Any) -> None:
    wrong_pw = _sign_in(client, "coord", "not the password")
    no_user = _sign_in(client, "nobody-here", "not the password")
    assert wrong_pw.status_code == no_user.status_code == 401
    assert wrong_pw.json()["detail"] == no_user.json()["detail"]


def test_repeated_failures_lock_the_account_for_a_while(client: TestClient, world: Any) -> None:
    from outrider.settings import get_settings

    for _ in range(get_settings().login_max_failures):
        assert _sign_in(client, "coord", "guess").status_code == 401
    locked = _sign_in(client, "coord", PASSWORD)
    assert locked.status_code == 429
    assert locked.headers["content-type"].startswith("application/problem+json")
    assert _sign_in(client, "duty", PASSWORD).status_code == 200  # other accounts are not affected


def test_tokens_are_shown_once_stored_hashed_and_revocable(client: TestClient, world: Any) -> None:
    headers = world["coord"].headers
    created = client.post("/api/v1/me/tokens", json={"name": "laptop", "ttl_hours": 2}, headers=headers)
    assert created.status_code == 201
    token = created.json()["token"]
    with db.transaction() as session:
        stored = session.get(ApiToken, created.json()["id"])
        assert stored is not None and token not in (stored.token_hash, stored.prefix)
    listed = client.get("/api/v1/me/tokens", headers=headers)
    assert token not in listed.text and "laptop" in listed.text
    mine = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=mine).status_code == 200
    assert client.delete(f"/api/v1/me/tokens/{created.json()['id']}", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=mine).status_code == 401


def test_expired_tokens_are_refused(client: TestClient, world: Any) -> None:
    with db.transaction() as session:
        user = service.find_user(session, username="duty")
        for record in service.list_tokens(session, user=user):
            record.expires_at = db.utcnow() - timedelta(minutes=1)
    assert client.get("/api/v1/me", headers=world["duty"].headers).status_code == 401


def test_a_garbage_token_is_401(client: TestClient, world: Any) -> None:
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer otr_nonsense"}).status_code == 401


def test_admin_creates_organisations_and_users(client: TestClient, world: Any) -> None:
    headers = world["admin"].headers
    org = client.post(
        "/api/v1/organizations", json={"name": "New Co", "kind": "company", "country": "pk"}, headers=headers
    )
    assert org.status_code == 201 and org.json()["country"] == "PK"
    dup = client.post(
        "/api/v1/organizations", json={"name": "New Co", "kind": "company", "country": "PK"}, headers=headers
    )
    assert dup.status_code == 409
    user = client.post(
        "/api/v1/users",
        json={"username": "newbie", "organization_id": world.orgs["host"], "roles": ["analyst"]},
        headers=headers,
    )
    assert user.status_code == 201, user.text
    password = user.json()["password"]
    assert len(password) >= 16
    assert _sign_in(client, "newbie", password).status_code == 200


def test_bad_organisation_input_is_422_and_writes_nothing(client: TestClient, world: Any) -> None:
    headers = world["admin"].headers
    before = client.get("/api/v1/organizations", headers=headers).json()
    bad = client.post(
        "/api/v1/organizations", json={"name": "X", "kind": "militia", "country": "Pakistan"}, headers=headers
    )
    assert bad.status_code == 422
    assert {tuple(e["loc"]) for e in bad.json()["errors"]} >= {("body", "kind"), ("body", "country")}
    assert client.get("/api/v1/organizations", headers=headers).json() == before


def test_non_admins_cannot_manage_accounts(client: TestClient, world: Any) -> None:
    for who in ("coord", "duty", "liaison", "auditor"):
        resp = client.post(
            "/api/v1/organizations",
            json={"name": "Z", "kind": "other", "country": "PK"},
            headers=world[who].headers,
        )
        assert resp.status_code == 403, who
