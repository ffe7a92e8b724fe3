"""The CAP feed at /api/v1/alerts/cap.atom (token or feed key) and the feed keys' commands: every entry a
valid CAP 1.2 message, redacted for its reader; other organisations' alerts absent; every role tried."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from typer.testing import CliRunner

from movement_scenes import under_way
from outrider import db
from outrider.alerts import service as alerts_service
from outrider.alerts.models import Alert
from outrider.alerts.schemas import Severity
from outrider.audit.models import AuditRecord
from outrider.notify.cli_feed import feed_keys_app
from outrider.settings import get_settings
from world_users import WORLD_USERS

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data" / "CAP-v1.2.xsd")))
NS = {"a": "http://www.w3.org/2005/Atom", "cap": "urn:oasis:names:tc:emergency:cap:1.2"}
FEED = "/api/v1/alerts/cap.atom"
runner = CliRunner()


def _raise(world: Any, org: str, kind: str, title: str, **details: Any) -> int:
    with db.transaction() as session:
        alert, _new = alerts_service.raise_alert(
            session,
            kind=kind,
            severity=Severity.warning,
            subject_type="site",
            subject_id=f"{org}-{kind}",
            title=title,
            details=details,
            organization_id=world.orgs[org],
            now=datetime.now(UTC),
        )
        return alert.id


def _scene(client: TestClient, world: Any) -> dict[str, Any]:
    """Acme's movement under way and off its route (an alert with the check-in's position), an Acme alert
    naming that movement in its itinerary, an Acme exercise, a resolved Acme alert and another company's."""
    mid = under_way(client, world)
    reference = client.get(f"/api/v1/movements/{mid}", headers=world["coord"].headers).json()["reference"]
    resp = client.post(
        f"/api/v1/movements/{mid}/checkins",
        json={"idempotency_key": "far", "lat": 25.2, "lon": 67.2},
        headers=world["duty"].headers,
    )
    assert resp.status_code in (200, 201), resp.text
    due = {"movement_id": mid, "reference": reference, "due": datetime.now(UTC).isoformat()}
    named = _raise(world, "acme", "cordon_dwell", f"PLATE-7 waiting; {reference} due", itinerary=[due])
    drill = _raise(world, "acme", "drill_test", "Drill of the alert chain", exercise=True)
    closed = _raise(world, "acme", "risk_rising", "closed one")
    with db.transaction() as session:
        session.get_one(Alert, closed).resolved_at = datetime.now(UTC)
    other = _raise(world, "other", "risk_rising", "Other Builders' own alert")
    return {"reference": reference, "named": named, "drill": drill, "closed": closed, "other": other}


def _feed(client: TestClient, **kwargs: Any) -> dict[int, etree._Element]:
    """The feed's CAP messages by alert id, each validated against the schema."""
    resp = client.get(FEED, **kwargs)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("application/atom+xml")
    feed = etree.fromstring(resp.content)
    found: dict[int, etree._Element] = {}
    for entry in feed.findall("a:entry", NS):
        (cap,) = list(entry.find("a:content", NS))
        assert SCHEMA.validate(cap), SCHEMA.error_log
        found[int(entry.findtext("a:id", namespaces=NS).rsplit("/", 1)[1])] = cap
    return found


def _headline(cap: etree._Element) -> str:
    return str(cap.findtext("cap:info/cap:headline", namespaces=NS))


def _cli(*args: str) -> Any:
    result = runner.invoke(feed_keys_app, [*args, "--json"])
    return result.exit_code, (json.loads(result.stdout) if result.exit_code == 0 else result.output)


def test_the_feed_by_token_and_by_key(client: TestClient, world: Any) -> None:
    scene = _scene(client, world)
    by_token = _feed(client, headers=world["coord"].headers)
    assert scene["other"] not in by_token and scene["closed"] not in by_token
    named = by_token[scene["named"]]
    assert scene["reference"] in _headline(named)
    drill = by_token[scene["drill"]]
    assert drill.findtext("cap:status", namespaces=NS) == "Exercise"
    off_route = next(c for c in by_token.values() if "off the planned route" in _headline(c))
    assert off_route.find(".//cap:circle", NS) is not None  # the coordinator may know where it was

    code, created = _cli("create", "operations centre wall", "--as", "acme_admin")
    assert (
        code == 0 and created["key"].startswith("ofk_") and created["organization_id"] == world.orgs["acme"]
    )
    by_key = _feed(client, params={"key": created["key"]})
    assert set(by_key) == set(by_token)
    text = b"".join(etree.tostring(c) for c in by_key.values()).decode()
    assert scene["reference"] not in _headline(by_key[scene["named"]])
    assert "a protected movement" in _headline(by_key[scene["named"]])
    assert "<cap:circle" not in text  # a key is shown no position
    assert created["key"] not in client.get(FEED, params={"key": created["key"]}).text  # not echoed

    code, listed = _cli("list", "--as", "acme_admin")
    assert code == 0 and [k["id"] for k in listed] == [created["id"]] and listed[0]["last_used_at"]
    assert "key" not in listed[0]
    code, revoked = _cli("revoke", str(created["id"]), "--as", "acme_admin")
    assert code == 0 and revoked["revoked_at"]
    refused = client.get(FEED, params={"key": created["key"]})
    assert refused.status_code == 401 and refused.headers["content-type"].startswith(
        "application/problem+json"
    )
    with db.transaction() as session:
        actions = [r.action for r in session.query(AuditRecord).filter(AuditRecord.object_type == "feed_key")]
    assert actions == ["notify.feed_key.create", "notify.feed_key.revoke"]


def test_a_host_reader_sees_every_organisations_alerts_without_the_itinerary(
    client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    scene = _scene(client, world)
    monkeypatch.setattr(get_settings(), "public_url", "https://ops.example.org/")
    admin = _feed(client, headers=world["admin"].headers)
    cap = admin[scene["named"]]
    assert cap.findtext("cap:identifier", namespaces=NS).startswith("outrider:ops.example.org:alert:")
    assert (
        cap.findtext("cap:info/cap:web", namespaces=NS)
        == f"https://ops.example.org/api/v1/alerts/{scene['named']}"
    )
    assert {scene["named"], scene["other"]} <= set(admin)
    assert scene["reference"] not in _headline(admin[scene["named"]])
    other = _feed(client, headers=world["other_coord"].headers)
    assert set(other) == {scene["other"]}


READS = {"analyst": 403} | {who: 200 for who in WORLD_USERS if who != "analyst"}


def test_who_reads_the_feed(client: TestClient, world: Any) -> None:
    for who, status in [*READS.items(), (None, 401)]:
        resp = client.get(FEED, headers=world[who].headers if who else {})
        assert resp.status_code == status, (who, resp.text)
        if status != 200:
            assert resp.headers["content-type"].startswith("application/problem+json")
    for key in ("ofk_unknown", "not-a-key", "x" * 200):
        resp = client.get(FEED, params={"key": key})
        assert resp.status_code == 401 and resp.json()["detail"] == "invalid or revoked feed key"
    assert client.get(FEED, params={"key": "x" * 201}).status_code == 422


ADMINS = {"admin": "host", "embassy_admin": "embassy", "acme_admin": "acme"}
USERS = tuple(WORLD_USERS)  # every role of every organisation of the test world


def test_only_an_organisations_administrators_manage_its_keys(world: Any) -> None:
    keys: dict[str, int] = {}
    for who in USERS:
        code, out = _cli("create", f"wall of {who}", "--as", who)
        assert (code == 0) is (who in ADMINS), (who, out)
        if code == 0:
            keys[who] = out["id"]
            assert out["organization_id"] == world.orgs[ADMINS[who]]
        else:
            assert code == 1 and "administrators" in out
        code, out = _cli("list", "--as", who)
        assert (code == 0) is (who in ADMINS), (who, out)
    # another organisation's: not even its existence is told; for another organisation: refused
    code, out = _cli("revoke", str(keys["acme_admin"]), "--as", "embassy_admin")
    assert code == 1 and "not found" in out
    code, out = _cli("create", "sneaky", "--org", str(world.orgs["acme"]), "--as", "embassy_admin")
    assert code == 1 and "administrators" in out
    code, out = _cli("list", "--org", str(world.orgs["acme"]), "--as", "admin")
    assert code == 1
    code, out = _cli("revoke", str(keys["acme_admin"]), "--as", "coord")
    assert code == 1 and "administrators" in out
    assert _cli("revoke", str(keys["acme_admin"]), "--as", "acme_admin")[0] == 0
    code, out = _cli("revoke", str(keys["acme_admin"]), "--as", "acme_admin")
    assert code == 1 and "already revoked" in out
    code, out = _cli("create", "   ", "--as", "acme_admin")
    assert code == 1 and "name" in out
