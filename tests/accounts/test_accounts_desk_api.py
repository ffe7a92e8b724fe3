"""Accounts for daily work over HTTP (SQLite and PostgreSQL): passwords, resets, deactivation, roles,
the TOTP second factor with recovery codes, an organisation's rule, sessions and tokens; all audited."""

from __future__ import annotations

import time
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from outrider import db
from outrider.accounts import totp
from outrider.accounts.models import ApiToken, PasswordReset, RecoveryCode, User
from outrider.audit.models import AuditRecord

PASSWORD = "correct horse battery staple"
NEW = "a much longer new passphrase"


def _sign_in(client: TestClient, username: str, password: str, otp: str | None = None) -> Any:
    data = {"username": username, "password": password} | ({"otp": otp} if otp else {})
    return client.post("/api/v1/auth/token", data=data)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _audit(action: str) -> list[AuditRecord]:
    with db.transaction() as session:
        return list(session.scalars(select(AuditRecord).where(AuditRecord.action == f"accounts.{action}")))


def _audit_text() -> str:
    with db.transaction() as session:
        rows = session.scalars(select(AuditRecord).where(AuditRecord.action.like("accounts.%")))
        return " ".join(f"{r.action} {r.details}" for r in rows)


def test_change_password_needs_the_current_one_and_ends_other_sessions(
    client: TestClient, world: Any
) -> None:
    h = world["coord"].headers
    other = _sign_in(client, "coord", PASSWORD).json()["access_token"]
    wrong = client.post(
        "/api/v1/me/password", json={"current_password": "nope", "new_password": NEW}, headers=h
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["loc"] == ["body", "current_password"]
    short = client.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "short"}, headers=h
    )
    assert short.status_code == 422
    ok = client.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": NEW}, headers=h
    )
    assert ok.status_code == 204, ok.text
    assert client.get("/api/v1/me", headers=h).status_code == 200  # the token used stays
    assert client.get("/api/v1/me", headers=_bearer(other)).status_code == 401  # the other session ended
    assert _sign_in(client, "coord", PASSWORD).status_code == 401
    assert _sign_in(client, "coord", NEW).status_code == 200
    assert len(_audit("password_changed")) == 1
    assert PASSWORD not in _audit_text() and NEW not in _audit_text()


def test_admin_reset_code_is_shown_once_single_use_and_ends_sessions(client: TestClient, world: Any) -> None:
    analyst = world["analyst"]
    issued = client.post(f"/api/v1/users/{analyst.user_id}/password-reset", headers=world["admin"].headers)
    assert issued.status_code == 201, issued.text
    code = issued.json()["code"]
    with db.transaction() as session:
        stored = session.scalars(select(PasswordReset.code_hash)).all()
    assert code not in stored and totp.normal_code(code) not in stored  # only a keyed digest
    bad = client.post("/api/v1/password-resets/redeem", json={"code": "WRONG-CODE", "new_password": NEW})
    assert bad.status_code == 422
    ok = client.post("/api/v1/password-resets/redeem", json={"code": code.lower(), "new_password": NEW})
    assert ok.status_code == 204, ok.text
    assert client.get("/api/v1/me", headers=analyst.headers).status_code == 401  # every session ended
    again = client.post("/api/v1/password-resets/redeem", json={"code": code, "new_password": NEW + "x"})
    assert again.status_code == 422  # single use
    assert _sign_in(client, "analyst", NEW).status_code == 200
    assert code not in _audit_text() and NEW not in _audit_text()
    assert [r.user_id for r in _audit("password_reset_redeemed")] == [analyst.user_id]


def test_a_newer_reset_code_voids_the_older_one(client: TestClient, world: Any) -> None:
    path = f"/api/v1/users/{world['analyst'].user_id}/password-reset"
    first = client.post(path, headers=world["admin"].headers).json()["code"]
    client.post(path, headers=world["admin"].headers)
    resp = client.post("/api/v1/password-resets/redeem", json={"code": first, "new_password": NEW})
    assert resp.status_code == 422


def test_deactivation_stops_sessions_and_tokens_at_once(client: TestClient, world: Any) -> None:
    duty = world["duty"]
    session_token = _sign_in(client, "duty", PASSWORD).json()["access_token"]
    resp = client.post(f"/api/v1/users/{duty.user_id}/deactivate", headers=world["admin"].headers)
    assert resp.status_code == 200 and resp.json()["is_active"] is False
    assert client.get("/api/v1/me", headers=duty.headers).status_code == 401
    assert client.get("/api/v1/me", headers=_bearer(session_token)).status_code == 401
    assert _sign_in(client, "duty", PASSWORD).status_code == 401
    back = client.post(f"/api/v1/users/{duty.user_id}/reactivate", headers=world["admin"].headers)
    assert back.json()["is_active"] is True
    assert client.get("/api/v1/me", headers=duty.headers).status_code == 401  # ended sessions stay ended
    assert _sign_in(client, "duty", PASSWORD).status_code == 200
    assert len(_audit("user_deactivated")) == len(_audit("user_reactivated")) == 1


def test_admins_manage_only_the_other_users_of_their_own_organisation(client: TestClient, world: Any) -> None:
    admin, acme_admin = world["admin"], world["acme_admin"]
    own = client.post(f"/api/v1/users/{admin.user_id}/deactivate", headers=admin.headers)
    assert own.status_code == 403  # never themselves
    foreign = client.post(f"/api/v1/users/{world['coord'].user_id}/deactivate", headers=admin.headers)
    assert foreign.status_code == 404  # another organisation's user: not even their existence
    roles = client.put(
        f"/api/v1/users/{admin.user_id}/roles",
        json={"roles": ["admin", "duty_officer"]},
        headers=admin.headers,
    )
    assert roles.status_code == 403  # no self-escalation
    assert (
        client.post(f"/api/v1/users/{admin.user_id}/deactivate", headers=acme_admin.headers).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/users/{world['coord'].user_id}/deactivate", headers=world["coord"].headers
        ).status_code
        == 403
    )


def test_roles_are_edited_but_the_auditor_role_stays_with_governance(client: TestClient, world: Any) -> None:
    h, analyst = world["admin"].headers, world["analyst"].user_id
    resp = client.put(
        f"/api/v1/users/{analyst}/roles", json={"roles": ["analyst", "duty_officer"]}, headers=h
    )
    assert resp.status_code == 200 and resp.json()["roles"] == ["analyst", "duty_officer"]
    grant = client.put(f"/api/v1/users/{analyst}/roles", json={"roles": ["analyst", "auditor"]}, headers=h)
    assert grant.status_code == 403 and "proposal" in grant.json()["detail"]
    auditor = world["auditor"].user_id
    strip = client.put(f"/api/v1/users/{auditor}/roles", json={"roles": ["analyst"]}, headers=h)
    assert strip.status_code == 403
    (entry,) = _audit("roles_changed")
    assert entry.details == {"added": ["duty_officer"], "removed": []}


def _enrol(client: TestClient, headers: dict[str, str]) -> tuple[bytes, list[str]]:
    """Enrol with the previous step's code (inside the window), so that the current one is still unused."""
    started = client.post("/api/v1/me/totp", json={"password": PASSWORD}, headers=headers)
    assert started.status_code == 201, started.text
    body = started.json()
    assert body["otpauth_uri"].startswith("otpauth://totp/") and body["secret"] in body["otpauth_uri"]
    key = totp.from_base32(body["secret"])
    code = totp.totp(key, time.time() - totp.STEP_SECONDS)
    confirmed = client.post("/api/v1/me/totp/confirm", json={"code": code}, headers=headers)
    assert confirmed.status_code == 200, confirmed.text
    return key, confirmed.json()["recovery_codes"]


def test_totp_enrolment_then_sign_in_with_a_code_once(client: TestClient, world: Any) -> None:
    key, codes = _enrol(client, world["coord"].headers)
    assert len(codes) == 10
    with db.transaction() as session:
        user = session.scalar(select(User).where(User.username == "coord"))
        assert user is not None and user.totp_enabled
        assert totp.to_base32(key) not in (user.totp_secret or "")  # sealed, not stored as typed
    assert _sign_in(client, "coord", PASSWORD).status_code == 401  # the code is needed
    assert (
        _sign_in(
            client, "coord", PASSWORD, "000000" if totp.totp(key, time.time()) != "000000" else "111111"
        ).status_code
        == 401
    )
    current = totp.totp(key, time.time())
    first = _sign_in(client, "coord", PASSWORD, current)
    assert first.status_code == 200, first.text
    assert _sign_in(client, "coord", PASSWORD, current).status_code == 401  # never twice
    text = _audit_text()
    assert totp.to_base32(key) not in text and current not in text and all(c not in text for c in codes)


def test_recovery_codes_are_single_use(client: TestClient, world: Any) -> None:
    _key, codes = _enrol(client, world["coord"].headers)
    assert _sign_in(client, "coord", PASSWORD, codes[0]).status_code == 200
    assert _sign_in(client, "coord", PASSWORD, codes[0]).status_code == 401
    assert _sign_in(client, "coord", PASSWORD, codes[1].lower().replace("-", "")).status_code == 200
    with db.transaction() as session:
        left = session.scalars(select(RecoveryCode).where(RecoveryCode.used_at.is_(None))).all()
    assert len(left) == 8
    assert all(c not in _audit_text() for c in codes)


def test_an_organisation_can_require_a_second_factor(client: TestClient, world: Any) -> None:
    acme = world.orgs["acme"]
    refused = client.put(
        f"/api/v1/organizations/{acme}/security", json={"require_totp": True}, headers=world["admin"].headers
    )
    assert refused.status_code == 403
    resp = client.put(
        f"/api/v1/organizations/{acme}/security",
        json={"require_totp": True},
        headers=world["acme_admin"].headers,
    )
    assert resp.status_code == 200 and resp.json()["require_totp"] is True
    blocked = _sign_in(client, "coord", PASSWORD)
    assert blocked.status_code == 403 and "enrol" in blocked.json()["detail"]
    _enrol(client, world["coord"].headers)
    disable = client.post(
        "/api/v1/me/totp/disable", json={"password": PASSWORD}, headers=world["coord"].headers
    )
    assert disable.status_code == 403


def test_admin_lists_and_revokes_a_users_sessions(client: TestClient, world: Any) -> None:
    analyst = world["analyst"]
    tokens = client.get(f"/api/v1/users/{analyst.user_id}/tokens", headers=world["admin"].headers)
    assert tokens.status_code == 200 and len(tokens.json()) == 1 and "token_hash" not in tokens.text
    token_id = tokens.json()[0]["id"]
    resp = client.delete(f"/api/v1/users/{analyst.user_id}/tokens/{token_id}", headers=world["admin"].headers)
    assert resp.status_code == 204
    assert client.get("/api/v1/me", headers=analyst.headers).status_code == 401
    other = client.delete(
        f"/api/v1/users/{world['duty'].user_id}/tokens/{token_id}", headers=world["admin"].headers
    )
    assert other.status_code == 404  # a token of another user


def test_admin_removes_a_lost_second_factor(client: TestClient, world: Any) -> None:
    _enrol(client, world["analyst"].headers)
    resp = client.post(
        f"/api/v1/users/{world['analyst'].user_id}/second-factor/reset", headers=world["admin"].headers
    )
    assert resp.status_code == 200 and resp.json()["totp_enabled"] is False
    assert _sign_in(client, "analyst", PASSWORD).status_code == 200
    with db.transaction() as session:
        assert session.scalars(select(RecoveryCode)).all() == []
        assert session.scalars(select(ApiToken).where(ApiToken.user_id == world["analyst"].user_id)).all()


def test_tokens_issued_and_revoked_are_audited_without_the_token(client: TestClient, world: Any) -> None:
    made = client.post("/api/v1/me/tokens", json={"name": "script"}, headers=world["coord"].headers).json()
    client.delete(f"/api/v1/me/tokens/{made['id']}", headers=world["coord"].headers)
    (issued,) = _audit("token_issued")
    (revoked,) = _audit("token_revoked")
    assert issued.details["token_id"] == revoked.details["token_id"] == made["id"]
    assert made["token"] not in _audit_text()
