"""A live alert stays live: a repeat updates it; people escalate and resolve it with a reason on every face
(API, command line, web), audited; a resolved alert takes no more acts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from outrider import db
from outrider.accounts.models import User
from outrider.alerts import service
from outrider.alerts.schemas import Severity
from outrider.audit.models import AuditRecord
from outrider.cli import app
from outrider.cordon import alert_desk
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.http import caller_of, csrf_token
from outrider.settings import get_settings

T0 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
runner = CliRunner()


def _raise(session: Any, **kw: Any) -> Any:
    args: dict[str, Any] = {
        "kind": "cordon_dwell",
        "severity": Severity.high,
        "subject_type": "vehicle",
        "subject_id": "PICKUP@site:1:outer",
        "title": "PICKUP inside the outer cordon for 20 min without inspection",
        "details": {"place": "site:1", "zone_id": "site:1:outer", "evidence": {"duration_min": 20}},
        "now": T0,
    }
    args.update(kw)
    return service.raise_alert(session, **args)


def _caller(world: Any, who: str) -> Any:
    with db.transaction() as session:
        return caller_of(session.get_one(User, world[who].user_id))


def test_a_repeat_updates_title_details_and_time_and_never_lowers_the_severity(engine: Engine) -> None:
    with db.transaction() as session:
        first, _ = _raise(session)
        later = T0 + timedelta(minutes=24)
        again, new = _raise(
            session,
            severity=Severity.critical,
            title="PICKUP inside the outer cordon for 44 min without inspection; a protected movement is due",
            details={"evidence": {"duration_min": 44, "last_seen": later.isoformat()}, "sightings": 22},
            now=later,
        )
        assert not new and again.id == first.id and again.occurrences == 2
        assert again.title.startswith("PICKUP inside the outer cordon for 44 min")
        assert again.severity == "critical" and again.updated_at == later
        # merged: the keys the protocol facts read stay, the new evidence replaces the old
        assert again.details["place"] == "site:1" and again.details["zone_id"] == "site:1:outer"
        assert again.details["evidence"]["duration_min"] == 44 and again.details["sightings"] == 22
        lower, _ = _raise(
            session, severity=Severity.warning, title="for 46 min", now=later + timedelta(minutes=2)
        )
        assert lower.severity == "critical" and lower.title == "for 46 min" and lower.occurrences == 3
        # a late repeat (an older batch) never moves the live stream's cursor back
        late, _ = _raise(session, now=T0)
        assert late.updated_at == later + timedelta(minutes=2)


def test_escalate_and_resolve_by_hand_record_who_when_and_why(engine: Engine, world: Any) -> None:
    duty, coord, other = (_caller(world, w) for w in ("duty", "coord", "other_coord"))
    liaison, auditor = _caller(world, "liaison"), _caller(world, "auditor")
    with db.transaction() as session:
        alert, _ = _raise(session, organization_id=world.orgs["acme"])
        with pytest.raises(InvalidInput):
            alert_desk.escalate(session, caller=duty, alert_id=alert.id, reason="  ", now=T0)
        with pytest.raises(NotFound):  # a company not concerned does not learn that the alert exists
            alert_desk.escalate(session, caller=other, alert_id=alert.id, reason="x", now=T0)
        for reader in (liaison, auditor):  # readers' roles, not acting ones
            with pytest.raises(Forbidden):
                alert_desk.escalate(session, caller=reader, alert_id=alert.id, reason="x", now=T0)
        up = alert_desk.escalate(session, caller=coord, alert_id=alert.id, reason="no patrol nearby", now=T0)
        assert (up.escalation_level, up.escalated_by, up.escalation_reason) == (
            1,
            world["coord"].user_id,
            "no patrol nearby",
        )
        # a cordon alert is closed by host security's duty officers and administrators only
        with pytest.raises(Forbidden):
            alert_desk.resolve(session, caller=coord, alert_id=alert.id, reason="gone", now=T0)
        done = alert_desk.resolve(
            session, caller=duty, alert_id=alert.id, reason="inspected at gate 2: a bakery van", now=T0
        )
        assert done.resolved_by == world["duty"].user_id and done.resolved_at == T0
        assert done.resolution_reason == "inspected at gate 2: a bakery van"
        for act in (alert_desk.escalate, alert_desk.resolve):
            with pytest.raises(Conflict):
                act(session, caller=duty, alert_id=alert.id, reason="again", now=T0)
        with pytest.raises(Conflict):
            alert_desk.acknowledge(session, caller=duty, alert_id=alert.id, note="", now=T0)
        actions = session.scalars(
            select(AuditRecord.action).where(AuditRecord.object_type == "alert").order_by(AuditRecord.seq)
        ).all()
        assert list(actions) == ["alert.escalate", "alert.resolve"]


def test_the_owner_resolves_its_own_alerts_other_than_cordon_ones(engine: Engine, world: Any) -> None:
    coord, other = _caller(world, "coord"), _caller(world, "other_coord")
    with db.transaction() as session:
        alert, _ = _raise(
            session,
            kind="risk_rising",
            subject_type="movement",
            subject_id=7,
            organization_id=world.orgs["acme"],
        )
        with pytest.raises(NotFound):
            alert_desk.resolve(session, caller=other, alert_id=alert.id, reason="x", now=T0)
        assert alert_desk.resolve(
            session, caller=coord, alert_id=alert.id, reason="re-planned", now=T0
        ).resolved_at


def test_api_escalates_and_resolves_with_problems(client: TestClient, world: Any) -> None:
    with db.transaction() as session:
        alert, _ = _raise(session, organization_id=world.orgs["acme"])
        alert_id = alert.id
    url = f"/api/v1/alerts/{alert_id}"
    duty, coord = world["duty"].headers, world["coord"].headers
    blank = client.post(f"{url}/escalate", json={"reason": " "}, headers=duty)
    assert blank.status_code == 422 and blank.headers["content-type"].startswith("application/problem+json")
    assert client.post(f"{url}/escalate", json={}, headers=duty).status_code == 422
    assert (
        client.post(f"{url}/escalate", json={"reason": "x"}, headers=world["other_coord"].headers).status_code
        == 404
    )
    up = client.post(f"{url}/escalate", json={"reason": "nobody answers"}, headers=coord)
    assert up.status_code == 200 and up.json()["escalation_level"] == 1
    assert up.json()["escalation_reason"] == "nobody answers"
    refused = client.post(f"{url}/resolve", json={"reason": "gone"}, headers=coord)
    assert refused.status_code == 403 and refused.json()["status"] == 403
    done = client.post(f"{url}/resolve", json={"reason": "patrol checked it"}, headers=duty)
    assert done.status_code == 200 and done.json()["resolved_by"] == world["duty"].user_id
    again = client.post(f"{url}/escalate", json={"reason": "x"}, headers=duty)
    assert again.status_code == 409 and again.json()["type"].endswith("conflict")
    assert client.post(f"{url}/acknowledge", json={}, headers=duty).status_code == 409


def test_cli_escalates_and_resolves_with_json(engine: Engine, world: Any) -> None:
    with db.transaction() as session:
        alert, _ = _raise(session, organization_id=world.orgs["acme"])
        alert_id = str(alert.id)
    no_reason = runner.invoke(app, ["alerts", "escalate", alert_id, "--reason", " ", "--as", "duty"])
    assert no_reason.exit_code == 2 and "--reason" in no_reason.stderr
    up = runner.invoke(
        app, ["alerts", "escalate", alert_id, "--reason", "no answer", "--as", "duty", "--json"]
    )
    assert up.exit_code == 0, up.output
    assert json.loads(up.stdout)["escalation_level"] == 1
    refused = runner.invoke(app, ["alerts", "resolve", alert_id, "--reason", "gone", "--as", "coord"])
    assert refused.exit_code != 0 and len(refused.stderr.strip().splitlines()) == 1
    done = runner.invoke(
        app, ["alerts", "resolve", alert_id, "--reason", "patrol checked", "--as", "duty", "--json"]
    )
    assert done.exit_code == 0, done.output
    body = json.loads(done.stdout)
    assert body["resolution_reason"] == "patrol checked" and body["resolved_at"]
    again = runner.invoke(app, ["alerts", "resolve", alert_id, "--reason", "again", "--as", "duty"])
    assert again.exit_code != 0 and "already resolved" in again.stderr


def _web(world: Any, who: str) -> dict[str, str]:
    token = world[who].token
    return {
        "Cookie": f"outrider_session={token}",
        "X-CSRF-Token": csrf_token(get_settings().secret_key, token),
    }


def test_web_escalates_and_resolves_with_the_message_beside_the_reason(
    client: TestClient, world: Any
) -> None:
    with db.transaction() as session:
        alert, _ = _raise(session, organization_id=world.orgs["acme"])
        alert_id = alert.id
    duty = _web(world, "duty")
    page = client.get("/alerts", headers=duty)
    assert page.status_code == 200 and f'action="/alerts/{alert_id}/resolve"' in page.text
    coord_page = client.get("/alerts", headers=_web(world, "coord")).text
    assert f'action="/alerts/{alert_id}/escalate"' in coord_page
    assert f'action="/alerts/{alert_id}/resolve"' not in coord_page  # a cordon alert: host security's
    blank = client.post(
        f"/alerts/{alert_id}/escalate", data={"reason": ""}, headers={**duty, "HX-Request": "true"}
    )
    assert blank.status_code == 422 and f'id="escalate-error-{alert_id}"' in blank.text
    assert 'aria-invalid="true"' in blank.text
    whole = client.post(f"/alerts/{alert_id}/resolve", data={"reason": " "}, headers=duty)
    assert whole.status_code == 422 and f'id="resolve-error-{alert_id}"' in whole.text
    up = client.post(
        f"/alerts/{alert_id}/escalate", data={"reason": "no answer"}, headers=duty, follow_redirects=False
    )
    assert up.status_code == 303
    row = client.post(
        f"/alerts/{alert_id}/resolve",
        data={"reason": "patrol checked"},
        headers={**duty, "HX-Request": "true"},
    )
    assert row.status_code == 200 and "patrol checked" in row.text
    assert f'action="/alerts/{alert_id}/escalate"' not in row.text
    outsider = client.post(
        f"/alerts/{alert_id}/escalate", data={"reason": "x"}, headers=_web(world, "other_coord")
    )
    assert outsider.status_code == 404
