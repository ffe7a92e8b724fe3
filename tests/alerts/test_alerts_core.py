"""The alerts core: de-duplication, acknowledgement, escalation and who sees what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.exc import StatementError

from outrider import db
from outrider.access.policy import Caller
from outrider.accounts.models import User
from outrider.alerts import service
from outrider.alerts.schemas import Severity
from outrider.errors import Conflict
from outrider.http import caller_of

T0 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
# host security sees every alert
DUTY = Caller(
    user_id=1, organization_id=1, org_kind="host_security", country="PK", roles=frozenset({"duty_officer"})
)


def _raise(session: Any, **kw: Any) -> Any:
    args: dict[str, Any] = {
        "kind": "dwell",
        "severity": Severity.warning,
        "subject_type": "vehicle",
        "subject_id": "LEA-1234",
        "title": "vehicle waiting in the outer cordon",
        "now": T0,
    }
    args.update(kw)
    return service.raise_alert(session, **args)


def test_an_open_alert_is_deduplicated_and_never_downgraded(engine: Engine) -> None:
    with db.transaction() as session:
        first, new1 = _raise(session, details={"minutes": 20})
        again, new2 = _raise(
            session, severity=Severity.high, now=T0 + timedelta(minutes=5), details={"minutes": 25}
        )
        third, new3 = _raise(session, severity=Severity.info, now=T0 + timedelta(minutes=6))
        assert (new1, new2, new3) == (True, False, False)
        assert first.id == again.id == third.id
        assert third.occurrences == 3
        assert third.severity == "high"
        assert third.details == {"minutes": 25}
        other, new_other = _raise(session, subject_id="LEB-9")
        assert new_other and other.id != first.id


def _caller(world: Any, who: str) -> Caller:
    with db.transaction() as session:
        return caller_of(session.get_one(User, world[who].user_id))


def test_a_resolved_alert_opens_a_new_one(engine: Engine) -> None:
    with db.transaction() as session:
        first, _ = _raise(session)
        assert (
            service.resolve(session, kind="dwell", subject_type="vehicle", subject_id="LEA-1234", now=T0) == 1
        )
        second, new = _raise(session, now=T0 + timedelta(hours=1))
        assert new and second.id != first.id


def test_acknowledge_once_and_escalate_upwards(engine: Engine, world: Any) -> None:
    duty = _caller(world, "duty")
    with db.transaction() as session:
        alert, _ = _raise(session)
        service.acknowledge(session, caller=duty, alert_id=alert.id, note="patrol sent", now=T0)
        with pytest.raises(Conflict):
            service.acknowledge(session, caller=duty, alert_id=alert.id, note="", now=T0)
        assert service.escalate(session, alert=alert, level=1, now=T0)
        assert not service.escalate(session, alert=alert, level=1, now=T0)


def test_times_are_stored_with_their_zone(engine: Engine) -> None:
    with db.transaction() as session:
        alert, _ = _raise(session)
        alert_id = alert.id
    with db.transaction() as session:
        loaded = service.get_alert(session, caller=DUTY, alert_id=alert_id)
        assert loaded.created_at == T0
        assert loaded.created_at.tzinfo is not None
    with pytest.raises(StatementError, match="naive datetime refused"), db.transaction() as session:
        _raise(session, subject_id="X", now=datetime(2026, 1, 1, 0, 0))


def test_api_lists_filters_and_acknowledges(client: TestClient, world: Any) -> None:
    with db.transaction() as session:
        mine, _ = _raise(session, organization_id=world.orgs["acme"])
        _raise(session, subject_id="B-2", severity=Severity.critical, organization_id=world.orgs["other"])
        _raise(session, kind="overdue", subject_type="movement", subject_id=7, organization_id=None)
    duty = client.get("/api/v1/alerts", headers=world["duty"].headers).json()
    assert duty["total"] == 3  # host security sees every alert
    coord = client.get("/api/v1/alerts", headers=world["coord"].headers).json()
    assert [a["id"] for a in coord["items"]] == [mine.id]
    crit = client.get("/api/v1/alerts?severity=critical", headers=world["duty"].headers).json()
    assert crit["total"] == 1
    assert client.get("/api/v1/alerts", headers=world["analyst"].headers).status_code == 403
    other_id = crit["items"][0]["id"]
    assert client.get(f"/api/v1/alerts/{other_id}", headers=world["coord"].headers).status_code == 404
    ack = client.post(
        f"/api/v1/alerts/{mine.id}/acknowledge", json={"note": "on it"}, headers=world["coord"].headers
    )
    assert ack.status_code == 200 and ack.json()["acknowledged_by"] == world["coord"].user_id
    again = client.post(f"/api/v1/alerts/{mine.id}/acknowledge", json={}, headers=world["coord"].headers)
    assert again.status_code == 409
    unack = client.get("/api/v1/alerts?status=unacknowledged", headers=world["duty"].headers).json()
    assert mine.id not in [a["id"] for a in unack["items"]]
    assert (
        client.post(
            f"/api/v1/alerts/{mine.id}/acknowledge", json={}, headers=world["auditor"].headers
        ).status_code
        == 403
    )
    assert client.get("/api/v1/alerts?status=bogus", headers=world["duty"].headers).status_code == 422
