"""The detectors' state kept per plate: batches read only the buffered events they release and their
plates' states, write what changed, and raise exactly what one monitor fed the same batches raises."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from outrider import db
from outrider.cordon import detecting, detectors
from outrider.cordon.compiled import CompiledMonitor
from outrider.cordon.detectors import Config, CordonMonitor
from outrider.cordon.events import Inspection, Sighting, event_from_mapping
from outrider.cordon.models import DetectorState, PendingEvent, PlateState
from outrider.cordon.saved_state import join, split
from outrider.cordon.zones import ZoneIndex, site_zones

URL = "/api/v1/cordon/events"
PLACES = ((24.9065, 67.1608), (24.80, 67.05), (24.86, 67.00))  # three sites, kilometres apart


def _sites(client: TestClient, world: Any) -> list[int]:
    ids = []
    for n, (lat, lon) in enumerate(PLACES):
        body = {"name": f"Site {n}", "kind": "airport", "lat": lat, "lon": lon, "outer_radius_m": 1500}
        resp = client.post("/api/v1/sites", json=body, headers=world["admin"].headers)
        assert resp.status_code == 201, resp.text
        ids.append(int(resp.json()["id"]))
    return ids


def _seen(plate: str, at: datetime, site: int) -> dict[str, Any]:
    return {"plate": plate, "at": at.isoformat(), "zone_id": f"site:{site}:outer"}


def _batches(sites: list[int], start: datetime, n: int) -> list[list[dict[str, Any]]]:
    """Sightings of a few plates around three sites over hours: dwells, revisits, reconnaissance, events out
    of order within the lateness and some later than it."""
    rng = random.Random(16)
    out, clock = [], start
    for _ in range(n):
        clock += timedelta(seconds=rng.randrange(60, 400))
        batch = []
        for _ in range(rng.randrange(1, 8)):
            at = clock - timedelta(seconds=rng.choice((0, 0, 30, 200, 700)))
            zone = f"site:{rng.choice(sites)}:{rng.choice(('outer', 'outer', 'inner'))}"
            batch.append({"plate": f"PS{rng.randrange(6)}", "at": at.isoformat(), "zone_id": zone})
        out.append(batch)
    return out


@pytest.mark.parametrize("expire_every", [None, 25], ids=["kept", "expiring"])
def test_batches_raise_what_one_monitor_fed_the_same_batches_raises(
    client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch, expire_every: int | None
) -> None:
    if expire_every is not None:  # the state expires every few events: batches then read it whole
        monkeypatch.setattr(detectors, "_EXPIRE_EVERY", expire_every)
    sites = _sites(client, world)
    start = datetime.now(UTC) - timedelta(hours=10)
    batches = _batches(sites, start, 60)
    with db.transaction() as session:
        zones = detecting.build_zones(session, now=db.utcnow())
    one = CompiledMonitor(ZoneIndex(zones))
    kinds: set[str] = set()
    for n, batch in enumerate(batches):
        flush = n == len(batches) - 1
        late, unknown = one.late, one.unknown_zone
        expected = one.push_events([event_from_mapping(e) for e in batch], flush=flush)
        answer = client.post(URL, json={"events": batch, "flush": flush}, headers=world["duty"].headers)
        assert answer.status_code == 200, answer.text
        got = answer.json()
        assert [(a["kind"], a["plate"], a["at"]) for a in got["alerts"]] == [
            (a.kind, a.plate, a.at.isoformat()) for a in expected
        ]
        assert (got["late"], got["unknown_zone"]) == (one.late - late, one.unknown_zone - unknown)
        kinds |= {a.kind for a in expected}
    assert {"dwell", "reconnaissance"} <= kinds and one.late > 0
    with db.transaction() as session:
        head = session.scalars(select(DetectorState)).one().snapshot
        pending = session.scalar(select(func.count()).select_from(PendingEvent))
        plates = set(session.scalars(select(PlateState.plate)))
    whole = one.snapshot()
    assert head["counters"] == whole["counters"] and head["buffered"] == pending == len(whole["buffer"]) == 0
    held = {p for p, *_ in whole["episodes"]} | {p for p, _ in whole["places"]} | set(whole["recon_alerted"])
    assert plates == held


def test_a_batch_reads_only_the_events_it_releases_and_its_plates(client: TestClient, world: Any) -> None:
    sites = _sites(client, world)
    h = world["duty"].headers
    now = datetime.now(UTC)
    early = [
        {
            "plate": f"EA{n}",
            "at": (now - timedelta(minutes=30)).isoformat(),
            "zone_id": f"site:{sites[0]}:outer",
        }
        for n in range(20)
    ]
    live = [
        {"plate": f"LV{n}", "at": now.isoformat(), "zone_id": f"site:{sites[1]}:outer"} for n in range(30)
    ]
    assert client.post(URL, json={"events": early}, headers=h).status_code == 200
    assert client.post(URL, json={"events": live}, headers=h).status_code == 200  # releases the early ones
    read: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, params: Any, *_args: Any) -> None:
        if "cordon_pending_events" in statement or "cordon_plate_states" in statement:
            read.append(statement)

    engine = db.get_engine()
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        one = [_seen("NEW1", now, sites[2])]
        assert client.post(URL, json={"events": one}, headers=h).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    with db.transaction() as session:
        pending = list(session.scalars(select(PendingEvent.plate)))
        states = set(session.scalars(select(PlateState.plate)))
        head = session.scalars(select(DetectorState)).one().snapshot
    # the thirty live sightings and the new one are still buffered (within the lateness); the early ones
    # were released into their plates' states
    assert sorted(pending) == sorted([f"LV{n}" for n in range(30)] + ["NEW1"]) and head["buffered"] == 31
    assert {f"EA{n}" for n in range(20)} <= states
    # the third batch released nothing: it selected no buffered event and read one plate's state
    selects = [s for s in read if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2 and not any("DELETE" in s.upper() for s in read)


T0 = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
SITES = ZoneIndex(
    [
        zone
        for n, (lat, lon) in enumerate(PLACES)
        for zone in site_zones(site_id=str(n), lon=lon, lat=lat, inner_radius_m=300, outer_radius_m=1500)
    ]
)


def _normal(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot with its lists in one order (kept per plate, its entries come back grouped by plate)."""
    out = dict(snapshot)
    for key in ("episodes", "inspections", "loiter", "places"):
        out[key] = sorted(out[key], key=repr)
    return out


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 300), lateness=st.sampled_from([0, 120, 3600]))
def test_a_snapshot_kept_per_plate_is_the_same_snapshot(seed: int, n: int, lateness: int) -> None:
    rng = random.Random(seed)
    monitor = CordonMonitor(SITES, Config(lateness_s=lateness, recon_places=2))
    for _ in range(n):
        plate, at = f"P{rng.randrange(12)}", T0 + timedelta(minutes=rng.uniform(0, 600))
        if rng.random() < 0.1:
            monitor.push(Inspection(plate, at, "gate", str(rng.randrange(3))))
        else:
            monitor.push(Sighting(plate, at, "camera", f"site:{rng.randrange(3)}:outer"))
    whole = monitor.snapshot()
    head, buffer, plates = split(whole)
    assert head["buffered"] == len(buffer) == len(whole["buffer"])
    assert _normal(join(head, buffer, dict(plates))) == _normal(whole)
