"""Alert delivery's directory over HTTP on SQLite and PostgreSQL: contact points verified by a code (wrong,
expired, too many tries), rosters and who is on duty, versioned policies, webhook endpoints with a secret
shown once; every role of every organisation refused where it must be; bad input writes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from typing import Any as World  # the suite's `world` fixture (tests/conftest.py)

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from outrider import db
from outrider.accounts.models import User
from outrider.audit.models import AuditRecord
from outrider.errors import Conflict, InvalidInput
from outrider.http import caller_of
from outrider.notify import contacts
from outrider.notify.directory_models import ContactPoint, EscalationPolicy, Roster, WebhookEndpoint
from outrider.notify.models import Notification

API = "/api/v1/notify"
STEP = {"after_minutes": 0, "channels": ["email"], "targets": [{"role": "admin"}]}


def count(model: Any) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def code_sent(point_id: int) -> str:
    with db.transaction() as session:
        rows = session.scalars(
            select(Notification).where(Notification.purpose == "verify").order_by(Notification.id.desc())
        ).all()
        point = session.get_one(ContactPoint, point_id)
        row = next(r for r in rows if r.address == point.address)
        return str(row.body["code"])


def test_a_contact_point_is_verified_by_its_code_within_its_tries(client: TestClient, world: World) -> None:
    duty = world["duty"].headers
    bad = client.post(f"{API}/contacts", json={"channel": "email", "address": "not an address"}, headers=duty)
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["address"]
    bad = client.post(f"{API}/contacts", json={"channel": "sms", "address": "0300 1234567"}, headers=duty)
    assert bad.status_code == 422 and "E.164" in bad.json()["errors"][0]["msg"]
    assert count(ContactPoint) == 0
    made = client.post(
        f"{API}/contacts", json={"channel": "email", "address": "Duty@Example.ORG"}, headers=duty
    )
    assert made.status_code == 201, made.text
    point = made.json()
    assert point["verified_at"] is None and point["address"] == "Duty@example.org"
    again = client.post(
        f"{API}/contacts", json={"channel": "email", "address": "Duty@example.org"}, headers=duty
    )
    assert again.status_code == 409
    code = code_sent(point["id"])
    # someone else cannot see, verify or disable it
    other = world["admin"].headers
    assert (
        client.post(f"{API}/contacts/{point['id']}/verify", json={"code": code}, headers=other).status_code
        == 404
    )
    assert client.get(f"{API}/contacts", headers=other).json() == []
    wrong = "000000" if code != "000000" else "111111"
    first = client.post(f"{API}/contacts/{point['id']}/verify", json={"code": wrong}, headers=duty)
    assert first.status_code == 422 and first.json()["errors"] == [
        {"loc": ["code"], "msg": "wrong code (4 tries left)"}
    ]
    second = client.post(f"{API}/contacts/{point['id']}/verify", json={"code": wrong}, headers=duty)
    assert "3 tries left" in second.json()["errors"][0]["msg"]  # the refused try was counted all the same
    ok = client.post(f"{API}/contacts/{point['id']}/verify", json={"code": code}, headers=duty)
    assert ok.status_code == 200 and ok.json()["verified_at"] is not None
    assert (
        client.post(f"{API}/contacts/{point['id']}/verify", json={"code": code}, headers=duty).status_code
        == 409
    )
    # too many tries, then a new code works
    sms = client.post(
        f"{API}/contacts", json={"channel": "sms", "address": "+92 300 1234567"}, headers=duty
    ).json()
    assert sms["address"] == "+923001234567"
    wrong = "000000" if code_sent(sms["id"]) != "000000" else "111111"
    for _ in range(5):
        client.post(f"{API}/contacts/{sms['id']}/verify", json={"code": wrong}, headers=duty)
    spent = client.post(
        f"{API}/contacts/{sms['id']}/verify", json={"code": code_sent(sms["id"])}, headers=duty
    )
    assert spent.status_code == 422 and "too many tries" in spent.json()["errors"][0]["msg"]
    assert client.post(f"{API}/contacts/{sms['id']}/resend", headers=duty).status_code == 409  # just sent
    with db.transaction() as session:  # a minute later
        session.get_one(ContactPoint, sms["id"]).code_expires_at -= timedelta(minutes=1)
    assert client.post(f"{API}/contacts/{sms['id']}/resend", headers=duty).status_code == 200
    done = client.post(
        f"{API}/contacts/{sms['id']}/verify", json={"code": code_sent(sms["id"])}, headers=duty
    )
    assert done.status_code == 200
    gone = client.post(f"{API}/contacts/{sms['id']}/disable", headers=duty)
    assert gone.status_code == 200 and gone.json()["disabled_at"] is not None
    with db.transaction() as session:
        assert dict(contacts.verified(session, [world["duty"].user_id])) == {
            world["duty"].user_id: [("email", "Duty@example.org")]
        }
        actions = session.scalars(
            select(AuditRecord.action).where(AuditRecord.object_type == "contact_point")
        )
        assert "notify.contact.verify" in set(actions)


def test_an_expired_code_is_refused(world: World, engine: Any) -> None:
    now = db.utcnow()
    with db.transaction() as session:
        caller = caller_of(session.get_one(User, world["coord"].user_id))
        point = contacts.add(session, caller=caller, channel="email", address="coord@example.org", now=now)
        point_id = point.id
    code = code_sent(point_id)
    later = now + timedelta(minutes=15)
    with pytest.raises(InvalidInput, match="expired"), db.transaction() as session:
        contacts.verify(session, caller=caller, contact_id=point_id, code=code, now=later)
    with db.transaction() as session:
        assert session.get_one(ContactPoint, point_id).verified_at is None
        for n in range(9):  # ten in all: the most a user keeps (each code is a message)
            contacts.add(session, caller=caller, channel="email", address=f"c{n}@example.org", now=later)
    with pytest.raises(Conflict, match="10 contact points"), db.transaction() as session:
        contacts.add(session, caller=caller, channel="email", address="eleven@example.org", now=later)


def test_rosters_say_who_is_on_duty_and_only_their_keepers_change_them(
    client: TestClient, world: World
) -> None:
    body = {"name": "Host duty officers", "timezone": "Asia/Karachi"}
    assert client.post(
        f"{API}/rosters", json={**body, "timezone": "Mars/Olympus"}, headers=world["admin"].headers
    ).json()["errors"][0]["loc"] == ["timezone"]
    assert count(Roster) == 0
    for who in ("analyst", "auditor", "liaison", "embassy_admin", "coord", "acme_admin", "other_coord"):
        refused = client.post(
            f"{API}/rosters", json={**body, "organization_id": world.orgs["host"]}, headers=world[who].headers
        )
        assert refused.status_code == 403, who
    made = client.post(f"{API}/rosters", json=body, headers=world["duty"].headers)
    assert made.status_code == 201, made.text
    rid = made.json()["id"]
    always = {
        "user_id": world["duty"].user_id,
        "weekdays": [1, 2, 3, 4, 5, 6, 7],
        "start_time": "00:00",
        "end_time": "00:00",
    }
    assert (
        client.post(f"{API}/rosters/{rid}/shifts", json=always, headers=world["admin"].headers).status_code
        == 201
    )
    stranger = {**always, "user_id": world["coord"].user_id}
    refused = client.post(f"{API}/rosters/{rid}/shifts", json=stranger, headers=world["admin"].headers)
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["user_id"]
    mixed = {**always, "starts_at": "2026-12-06T08:00:00+05:00", "ends_at": "2026-12-06T09:00:00+05:00"}
    assert (
        client.post(f"{API}/rosters/{rid}/shifts", json=mixed, headers=world["admin"].headers).status_code
        == 422
    )
    stand_in = {
        "user_id": world["admin"].user_id,
        "starts_at": "2026-12-06T08:00:00+05:00",
        "ends_at": "2026-12-06T09:00:00+05:00",
    }
    assert (
        client.post(f"{API}/rosters/{rid}/shifts", json=stand_in, headers=world["duty"].headers).status_code
        == 201
    )
    at = "2026-12-06T08:30:00%2B05:00"
    during = client.get(f"{API}/rosters/{rid}/on-duty?at={at}", headers=world["duty"].headers).json()
    assert [(p["username"], p["override"]) for p in during["on_duty"]] == [("admin", True)]
    after = client.get(
        f"{API}/rosters/{rid}/on-duty?at=2026-12-06T09:00:00Z", headers=world["duty"].headers
    ).json()
    assert [p["username"] for p in after["on_duty"]] == ["duty"]
    for who in ("liaison", "embassy_admin", "coord", "acme_admin", "other_coord", "analyst"):
        assert client.get(f"{API}/rosters/{rid}", headers=world[who].headers).status_code == 404, who
        assert client.get(f"{API}/rosters/{rid}/on-duty", headers=world[who].headers).status_code == 404, who
    shift_id = client.get(f"{API}/rosters/{rid}", headers=world["duty"].headers).json()["shifts"][0]["id"]
    gone = client.delete(f"{API}/rosters/{rid}/shifts/{shift_id}", headers=world["coord"].headers)
    assert gone.status_code == 404
    assert (
        client.delete(f"{API}/rosters/{rid}/shifts/{shift_id}", headers=world["admin"].headers).status_code
        == 204
    )


def test_policies_are_versioned_and_written_only_by_their_organisations_admins(
    client: TestClient, world: World
) -> None:
    acme = world.orgs["acme"]
    bad_bodies = [
        ({"name": "p", "steps": []}, ["steps"]),
        ({"name": "p", "steps": [{**STEP, "after_minutes": 10}, STEP]}, ["steps", 1, "after_minutes"]),
        (
            {"name": "p", "steps": [{**STEP, "targets": [{"roster": "nowhere"}]}]},
            ["steps", 0, "targets", 0, "roster"],
        ),
        ({"name": "p", "steps": [STEP], "repeat": 12}, ["repeat"]),
    ]
    for body, loc in bad_bodies:
        answer = client.post(f"{API}/policies", json=body, headers=world["acme_admin"].headers)
        assert answer.status_code == 422 and answer.json()["errors"][0]["loc"] == loc, answer.text
    assert count(EscalationPolicy) == 0
    body = {"name": "Site office", "kinds": ["overdue"], "min_severity": "high", "steps": [STEP], "repeat": 0}
    for who in ("admin", "duty", "analyst", "auditor", "liaison", "embassy_admin", "coord", "other_coord"):
        refused = client.post(
            f"{API}/policies", json={**body, "organization_id": acme}, headers=world[who].headers
        )
        assert refused.status_code == 403, who
    one = client.post(f"{API}/policies", json=body, headers=world["acme_admin"].headers).json()
    two = client.post(
        f"{API}/policies",
        json={**body, "steps": [STEP, {**STEP, "after_minutes": 5}]},
        headers=world["acme_admin"].headers,
    ).json()
    assert (one["version"], two["version"], one["organization_id"]) == (1, 2, acme)
    first = client.get(f"{API}/policies/{one['id']}", headers=world["coord"].headers).json()
    assert first["active"] is False and first["superseded_by"] == two["id"]
    listed = client.get(f"{API}/policies", headers=world["coord"].headers).json()
    assert [p["id"] for p in listed] == [two["id"]]
    assert len(client.get(f"{API}/policies?all_versions=true", headers=world["coord"].headers).json()) == 2
    for who in ("admin", "duty", "liaison", "other_coord", "analyst"):
        assert client.get(f"{API}/policies/{one['id']}", headers=world[who].headers).status_code == 404, who
        answer = client.get(f"{API}/policies", headers=world[who].headers)
        if who == "analyst":  # reads no alert, so no policy either
            assert answer.status_code == 403
            continue
        ids = [p["id"] for p in answer.json()]
        assert one["id"] not in ids and two["id"] not in ids
    assert (
        client.post(f"{API}/policies/{two['id']}/deactivate", headers=world["coord"].headers).status_code
        == 403
    )
    off = client.post(f"{API}/policies/{two['id']}/deactivate", headers=world["acme_admin"].headers)
    assert off.status_code == 200 and off.json()["active"] is False
    assert (
        client.post(f"{API}/policies/{two['id']}/deactivate", headers=world["acme_admin"].headers).status_code
        == 409
    )
    assert client.get(f"{API}/policies", headers=world["coord"].headers).json() == []
    with db.transaction() as session:
        logged = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "notify.policy.create")
        ).all()
        assert [r.details["version"] for r in logged] == [1, 2]


def test_webhook_endpoints_show_their_secret_once(client: TestClient, world: World) -> None:
    admin = world["acme_admin"].headers
    for url in ("ftp://hooks.example.org/x", "javascript:alert(1)", "https://user:pw@hooks.example.org/"):
        answer = client.post(f"{API}/endpoints", json={"name": "ops", "url": url}, headers=admin)
        assert answer.status_code == 422 and answer.json()["errors"][0]["loc"] == ["url"], url
    assert count(WebhookEndpoint) == 0
    for who in ("coord", "other_coord", "admin", "embassy_admin"):
        body = {"name": "ops", "url": "https://hooks.example.org/in", "organization_id": world.orgs["acme"]}
        assert client.post(f"{API}/endpoints", json=body, headers=world[who].headers).status_code == 403, who
    made = client.post(
        f"{API}/endpoints", json={"name": "ops", "url": "https://hooks.example.org/in"}, headers=admin
    )
    assert made.status_code == 201
    secret = made.json()["secret"]
    assert secret.startswith("whsec_") and len(secret) > 40
    listed = client.get(f"{API}/endpoints", headers=world["coord"].headers)
    assert listed.status_code == 200 and secret not in listed.text and "secret" not in listed.json()[0]
    eid = made.json()["id"]
    assert (
        client.post(f"{API}/endpoints/{eid}/revoke", headers=world["other_coord"].headers).status_code == 404
    )
    assert client.post(f"{API}/endpoints/{eid}/revoke", headers=world["coord"].headers).status_code == 403
    assert client.post(f"{API}/endpoints/{eid}/revoke", headers=admin).json()["active"] is False
    with db.transaction() as session:
        chain = session.scalars(
            select(AuditRecord.details).where(AuditRecord.object_type == "webhook_endpoint")
        ).all()
        assert chain and all(secret not in str(d) for d in chain)


def test_an_endpoints_url_enters_the_audit_chain_masked(client: TestClient, world: World) -> None:
    """A receiver's URL may carry its token in the path or the query: the chain, kept for years and read
    by auditors, names the host only, as it does for each delivery."""
    admin = world["acme_admin"].headers
    url = "https://hooks.example.org/services/T0AB/B0CD/tok3nS3cr3tV4lue?sig=abc123"
    made = client.post(f"{API}/endpoints", json={"name": "chat", "url": url}, headers=admin)
    assert made.status_code == 201 and made.json()["url"] == url  # its organisation reads it in full
    assert client.post(f"{API}/endpoints/{made.json()['id']}/revoke", headers=admin).status_code == 200
    with db.transaction() as session:
        chain = session.scalars(
            select(AuditRecord.details).where(AuditRecord.object_type == "webhook_endpoint")
        ).all()
    assert [d["url"] for d in chain] == ["https://hooks.example.org/…"] * 2
    assert not any("tok3n" in str(d) or "abc123" in str(d) for d in chain)
