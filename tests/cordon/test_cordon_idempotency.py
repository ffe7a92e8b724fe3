"""Cordon batches with an idempotency key: a retry is answered again, nothing is stored or alerted twice."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, func, select, update
from typer.testing import CliRunner

from outrider import db
from outrider.access.policy import Caller
from outrider.alerts.models import Alert
from outrider.cli import app
from outrider.cordon import batches
from outrider.cordon.events import event_from_mapping
from outrider.cordon.models import BatchKey, DetectorState, SightingRow
from outrider.errors import Conflict

URL = "/api/v1/cordon/events"


def _site(client: TestClient, world: Any) -> int:
    body = {"name": "Airport", "kind": "airport", "lat": 24.9065, "lon": 67.1608, "outer_radius_m": 1500}
    resp = client.post("/api/v1/sites", json=body, headers=world["admin"].headers)
    assert resp.status_code == 201, resp.text
    return int(resp.json()["id"])


def _dwell(plate: str, site: int) -> list[dict[str, Any]]:
    start = datetime.now(UTC) - timedelta(hours=2)
    return [
        {"plate": plate, "at": (start + timedelta(minutes=m)).isoformat(), "zone_id": f"site:{site}:outer"}
        for m in range(0, 45, 5)
    ]


def _counts() -> tuple[int, int]:
    with db.transaction() as session:
        sightings = session.scalar(select(func.count()).select_from(SightingRow)) or 0
        alerts = session.scalar(select(func.count()).select_from(Alert)) or 0
    return sightings, alerts


def test_a_retried_batch_is_answered_again_and_stored_once(client: TestClient, world: Any) -> None:
    site = _site(client, world)
    body = {"events": [*_dwell("LEA 1234", site), {"plate": ""}], "flush": True}
    headers = {**world["duty"].headers, "Idempotency-Key": "cam-7/2026-12-05T10:00"}
    first = client.post(URL, json=body, headers=headers)
    assert first.status_code == 200, first.text
    assert first.json()["stored"] == 9
    assert len({a["alert_id"] for a in first.json()["alerts"]}) == 1  # one alert, kept live by updates
    assert "Idempotent-Replayed" not in first.headers
    after_first = _counts()
    again = client.post(URL, json=body, headers=headers)
    assert again.status_code == 200
    assert again.json() == first.json()  # the same answer, the same alert id, the same bad item
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _counts() == after_first == (9, 1)


def test_the_key_in_the_body_counts_like_the_header(client: TestClient, world: Any) -> None:
    body = {"events": [{"plate": "ABC1", "at": datetime.now(UTC).isoformat(), "zone_id": "z"}], "key": "k-1"}
    h = world["duty"].headers
    assert client.post(URL, json=body, headers=h).json()["stored"] == 1
    assert client.post(URL, json=body, headers={**h, "Idempotency-Key": "k-1"}).json()["stored"] == 1
    assert _counts()[0] == 1


def test_the_same_key_with_other_events_is_a_conflict(client: TestClient, world: Any) -> None:
    now = datetime.now(UTC).isoformat()
    headers = {**world["duty"].headers, "Idempotency-Key": "feed-42"}
    one = {"events": [{"plate": "ABC1", "at": now, "zone_id": "z"}]}
    other = {"events": [{"plate": "XYZ9", "at": now, "zone_id": "z"}]}
    assert client.post(URL, json=one, headers=headers).status_code == 200
    resp = client.post(URL, json=other, headers=headers)
    assert resp.status_code == 409
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert resp.json()["status"] == 409 and "feed-42" in resp.json()["detail"]
    flushed = client.post(URL, json={**one, "flush": True}, headers=headers)  # flush is part of the body
    assert flushed.status_code == 409
    assert _counts()[0] == 1


def test_bad_keys_are_refused_before_anything_is_stored(client: TestClient, world: Any) -> None:
    body = {"events": [{"plate": "ABC1", "at": datetime.now(UTC).isoformat(), "zone_id": "z"}]}
    h = world["duty"].headers
    for key in ("x" * 129, "with space", "tab\tkey"):
        resp = client.post(URL, json=body, headers={**h, "Idempotency-Key": key})
        assert resp.status_code == 422, key
        assert resp.headers["content-type"].startswith("application/problem+json")
    for key in ("x" * 129, "é", "nul\u0000", ""):
        assert client.post(URL, json={**body, "key": key}, headers=h).status_code == 422, key
    disagree = client.post(URL, json={**body, "key": "a"}, headers={**h, "Idempotency-Key": "b"})
    assert disagree.status_code == 422
    assert {tuple(e["loc"]) for e in disagree.json()["errors"]} == {
        ("header", "Idempotency-Key"),
        ("body", "key"),
    }
    assert _counts()[0] == 0
    assert client.post(URL, json=body, headers={**h, "Idempotency-Key": "x" * 128}).status_code == 200


def test_keys_are_scoped_per_organisation_and_kept_for_a_time(client: TestClient, world: Any) -> None:
    body = {"events": [{"plate": "ABC1", "at": datetime.now(UTC).isoformat(), "zone_id": "z"}]}
    headers = {**world["duty"].headers, "Idempotency-Key": "shared-name"}
    assert client.post(URL, json=body, headers=headers).json()["stored"] == 1
    second_org = _second_host_org_caller()
    with db.transaction() as session:
        answer, replayed = batches.ingest_batch(
            session,
            caller=second_org,
            events=[event_from_mapping(e) for e in body["events"]],
            bad=[],
            digest=batches.fingerprint(body["events"], flush=False),
            key="shared-name",
            now=db.utcnow(),
        )
    assert answer["stored"] == 1 and not replayed  # another organisation's key of the same name is its own
    with db.transaction() as session:  # past its keeping time (a week by default) the key is free again
        session.execute(update(BatchKey).values(created_at=db.utcnow() - timedelta(days=8)))
    assert client.post(URL, json=body, headers=headers).json()["stored"] == 1
    assert _counts()[0] == 3


def _second_host_org_caller() -> Caller:
    from outrider.accounts import service as accounts_service
    from outrider.accounts.models import User
    from outrider.accounts.schemas import OrganizationCreate, OrgKind

    with db.transaction() as session:
        org = accounts_service.create_organization(
            session,
            data=OrganizationCreate(name="Provincial Police", kind=OrgKind("host_security"), country="PK"),
            now=db.utcnow(),
        )
        user = User(
            username="duty2",
            organization_id=org.id,
            roles=["duty_officer"],
            password_hash="x",
            created_at=db.utcnow(),
        )
        session.add(user)
        session.flush()
        return Caller(
            user_id=user.id,
            organization_id=org.id,
            org_kind="host_security",
            country="PK",
            roles=frozenset({"duty_officer"}),
        )


def test_two_deliveries_at_once_store_the_batch_once(engine: Engine, world: Any) -> None:
    caller = Caller(
        user_id=world["duty"].user_id,
        organization_id=world["duty"].organization_id,
        org_kind="host_security",
        country="PK",
        roles=frozenset({"duty_officer"}),
    )
    raw = [{"plate": f"P{i}", "at": datetime.now(UTC).isoformat(), "zone_id": "z"} for i in range(50)]
    barrier = threading.Barrier(2)
    outcomes: list[tuple[dict[str, Any], bool]] = []
    failures: list[BaseException] = []

    def deliver() -> None:
        try:
            barrier.wait()
            with db.transaction() as session:
                outcomes.append(
                    batches.ingest_batch(
                        session,
                        caller=caller,
                        events=[event_from_mapping(e) for e in raw],
                        bad=[],
                        digest=batches.fingerprint(raw, flush=False),
                        key="burst",
                        now=db.utcnow(),
                    )
                )
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert sorted(replayed for _, replayed in outcomes) == [False, True]
    assert outcomes[0][0] == outcomes[1][0]
    assert _counts()[0] == 50


def test_cli_ingest_with_a_key_stores_a_file_once(engine: Engine, world: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    now = datetime.now(UTC)
    data = tmp_path / "feed.jsonl"
    data.write_text(
        "".join(
            json.dumps({"plate": f"P{i}", "at": (now - timedelta(minutes=i)).isoformat(), "zone_id": "z"})
            + "\n"
            for i in range(20)
        )
    )
    args = ["cordon", "ingest", str(data), "--key", "night-file-1", "--as", "duty"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "already stored under this key" in " ".join(again.output.split())
    assert _counts()[0] == 20
    data.write_text(json.dumps({"plate": "OTHER", "at": now.isoformat(), "zone_id": "z"}) + "\n")
    changed = runner.invoke(app, args)
    assert changed.exit_code != 0 and "different batch" in " ".join(changed.output.split())
    assert _counts()[0] == 20
    bad = runner.invoke(app, ["cordon", "ingest", str(data), "--key", "has space", "--as", "duty"])
    assert bad.exit_code == 2


BATCHES = [
    [{"plate": f"B{b}P{i}", "at": datetime.now(UTC).isoformat(), "zone_id": "z"} for i in range(b + 1)]
    for b in range(3)
]


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.sampled_from([None, "k0", "k1"])), min_size=1, max_size=8))
def test_any_sequence_of_deliveries_stores_each_keyed_batch_once(
    engine: Engine, world: Any, deliveries: list[tuple[int, str | None]]
) -> None:
    with db.transaction() as session:  # each example starts from an empty cordon
        for model in (BatchKey, SightingRow, DetectorState):
            session.execute(delete(model))
    caller = Caller(
        user_id=world["duty"].user_id,
        organization_id=world["duty"].organization_id,
        org_kind="host_security",
        country="PK",
        roles=frozenset({"duty_officer"}),
    )
    first: dict[str, tuple[int, dict[str, Any]]] = {}
    expected = 0
    for index, key in deliveries:
        raw = BATCHES[index]
        try:
            with db.transaction() as session:
                answer, replayed = batches.ingest_batch(
                    session,
                    caller=caller,
                    events=[event_from_mapping(e) for e in raw],
                    bad=[],
                    digest=batches.fingerprint(raw, flush=False),
                    key=key,
                    now=db.utcnow(),
                )
        except Conflict:
            assert key in first and first[key][0] != index  # only another batch under a used key
            continue
        if key is None or key not in first:
            assert not replayed
            expected += len(raw)
            if key is not None:
                first[key] = (index, answer)
        else:
            assert replayed and first[key] == (index, answer)
    assert _counts()[0] == expected
