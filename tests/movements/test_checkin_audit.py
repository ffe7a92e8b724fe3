"""Every check-in is in the audit chain, duress included, without its position or reported time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from movement_scenes import under_way
from outrider.audit.models import AuditRecord


def _checkin_records(engine: Engine, mid: int) -> list[AuditRecord]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(AuditRecord)
                .where(AuditRecord.action == "movement.checkin", AuditRecord.object_id == str(mid))
                .order_by(AuditRecord.seq)
            )
        )


@pytest.mark.parametrize("status", ["ok", "duress", "arrived"])
def test_every_checkin_is_audited_without_its_position(
    client: TestClient, world: Any, engine: Engine, status: str
) -> None:
    mid = under_way(client, world)
    lat, lon = 24.871234, 67.251234
    resp = client.post(
        f"/api/v1/movements/{mid}/checkins",
        json={"idempotency_key": "k-1", "status": status, "lat": lat, "lon": lon, "note": "bridge"},
        headers=world["duty"].headers,
    )
    assert resp.status_code == 201, resp.text
    at = resp.json()["at"]
    records = _checkin_records(engine, mid)
    assert len(records) == 1
    rec = records[0]
    assert rec.user_id == world["duty"].user_id
    assert rec.details["checkin_status"] == status
    assert rec.details["checkin_id"] == resp.json()["id"]
    assert sorted(rec.fields) == ["at", "lat", "lon", "note", "status"]
    if status == "duress":
        assert rec.details["status"] == "incident"  # the duress turned the movement into an incident
    # the audit chain is read off the need-to-know list: no position, no reported time, no note
    stored = json.dumps(rec.details) + json.dumps(rec.fields)
    for secret in (str(lat), str(lon), "24.87", "67.25", at, at[:16], "bridge"):
        assert secret not in stored


def test_a_retried_checkin_is_audited_once(client: TestClient, world: Any, engine: Engine) -> None:
    mid = under_way(client, world)
    for expected in (201, 200):
        resp = client.post(
            f"/api/v1/movements/{mid}/checkins",
            json={"idempotency_key": "same"},
            headers=world["duty"].headers,
        )
        assert resp.status_code == expected, resp.text
    assert len(_checkin_records(engine, mid)) == 1


def test_a_refused_checkin_leaves_no_audit_record(client: TestClient, world: Any, engine: Engine) -> None:
    mid = under_way(client, world)
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    resp = client.post(
        f"/api/v1/movements/{mid}/checkins",
        json={"idempotency_key": "f", "at": future},
        headers=world["duty"].headers,
    )
    assert resp.status_code == 422
    assert _checkin_records(engine, mid) == []
