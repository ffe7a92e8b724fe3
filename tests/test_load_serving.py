"""What every request carries through the serving stack: its id, echoed in `X-Request-ID` and recorded in
the audit chain with what the request did (the id middleware is plain ASGI, for the load's sake)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from movement_scenes import under_way
from outrider.audit.models import AuditRecord


def _last_record(engine: Engine) -> AuditRecord:
    with Session(engine) as session:
        rec = session.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1)).one()
        return rec


def test_a_sane_request_id_is_kept_echoed_and_recorded(
    client: TestClient, world: Any, engine: Engine
) -> None:
    mid = under_way(client, world)
    resp = client.post(
        f"/api/v1/movements/{mid}/checkins",
        json={"idempotency_key": "rid"},
        headers={**world["duty"].headers, "X-Request-ID": "field-7.abc_1"},
    )
    assert resp.status_code == 201, resp.text
    assert resp.headers["x-request-id"] == "field-7.abc_1"
    rec = _last_record(engine)
    assert rec.action == "movement.checkin" and rec.request_id == "field-7.abc_1"


def test_an_unusable_request_id_is_replaced(client: TestClient, world: Any, engine: Engine) -> None:
    under_way(client, world)
    for given in ("", "a b", "x" * 65, "a/b"):
        resp = client.get("/api/v1/movements", headers={**world["duty"].headers, "X-Request-ID": given})
        assert resp.status_code == 200
        made = resp.headers["x-request-id"]
        assert made != given and len(made) == 32 and int(made, 16) >= 0
        rec = _last_record(engine)
        assert rec.details.get("via") == "board" and rec.request_id == made
    health = client.get("/api/v1/health")  # answers that record nothing carry one too
    assert len(health.headers["x-request-id"]) == 32
    assert client.get("/api/v1/no-such-route").headers["x-request-id"]
