"""Marked intelligence does not leak through risk: a reader's scores, surfaces, a movement's risk and the
rising-level alert count only the events the reader's organisation may read (docs/risk.md, "Who counts
what"), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

import partner_bundles
from outrider import db
from outrider.cli import app
from outrider.intel.models import IntelEvent
from outrider.jobs import run_jobs_once
from outrider.sharing import readers, stix_export
from outrider.sharing.markings import Tlp
from outrider.sharing.policy import Releasable
from risk_scenes import KKH, event, kkh_movement, mark, reported

# Bisham to Dasu along the Karakoram Highway
# Past Karachi airport, where the partner's event lies
AIRPORT = {"type": "LineString", "coordinates": [[67.10, 24.88], [67.20, 24.92]]}
S = "/api/v1/sharing"


def _route(client: TestClient, world: Any, who: str, route: dict[str, Any] = KKH) -> dict[str, Any]:
    r = client.post("/api/v1/risk/route", json={"route": route}, headers=world[who].headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def _drivers(result: dict[str, Any]) -> set[int]:
    return {d["event_id"] for d in result["drivers"]}


def test_a_red_event_counts_for_the_holder_only_in_routes_surfaces_and_the_cli(
    client: TestClient, world: Any, tmp_path: Path
) -> None:
    plain = event(client, world, "Bisham", "four", "b1")
    red = event(client, world, "Dasu", "nine", "d1")
    mark(client, world, red, "TLP:RED")
    holder, company = _route(client, world, "duty"), _route(client, world, "coord")
    assert _drivers(holder) == {plain, red} and holder["incident_count"] == 2
    assert _drivers(company) == {plain} and company["incident_count"] == 1
    assert company["score"] < holder["score"]
    for who in ("liaison", "other_coord"):  # the partner without a policy, an organisation party to nothing
        assert _drivers(_route(client, world, who)) == {plain}
    # the surface: the cells the RED event alone touches are empty for the company
    box = "/api/v1/risk/surface?bbox=73.2,35.2,73.4,35.4&resolution=5"
    cells = {
        who: sum(
            f["properties"]["incidents"]
            for f in client.get(box, headers=world[who].headers).json()["features"]
        )
        for who in ("duty", "coord")
    }
    assert cells["duty"] > 0 and cells["coord"] == 0
    # a site by the RED event: the company's own camp
    site = client.post(
        "/api/v1/sites",
        json={"name": "Dasu camp", "kind": "camp", "lat": 35.29, "lon": 73.29},
        headers=world["coord"].headers,
    ).json()
    sited = {
        who: client.get(f"/api/v1/risk/sites/{site['id']}", headers=world[who].headers).json()
        for who in ("duty", "coord")
    }
    assert red in _drivers(sited["duty"]) and red not in _drivers(sited["coord"])
    # the command line says the same, as JSON
    route = tmp_path / "kkh.geojson"
    route.write_text(json.dumps(KKH), encoding="utf-8")
    runner, args = CliRunner(), ["risk", "route", str(route), "--json", "--as"]
    seen = {who: json.loads(runner.invoke(app, [*args, who]).stdout) for who in ("duty", "coord")}
    assert _drivers(seen["duty"]) == {plain, red} and _drivers(seen["coord"]) == {plain}
    # marking it back down lets the company count it on its next read (no new incident revision needed)
    mark(client, world, red, "TLP:AMBER")
    assert _drivers(_route(client, world, "coord")) == {plain, red}


def _risk_alerts(client: TestClient, world: Any, who: str) -> list[dict[str, Any]]:
    r = client.get("/api/v1/alerts?kind=risk_rising&limit=50", headers=world[who].headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def test_a_rise_from_a_red_event_alerts_no_party_that_may_not_read_it(client: TestClient, world: Any) -> None:
    movement, _reference = kkh_movement(client, world)
    run_jobs_once()  # the first snapshot: nothing near
    plain = event(client, world, "Bisham", "four", "b2")
    assert run_jobs_once()["risk_alerts"] == 1
    first = _risk_alerts(client, world, "coord")
    assert len(first) == 1 and first[0]["resolved_at"] is None  # readable by the movement's own company
    assert [a["id"] for a in _risk_alerts(client, world, "liaison")] == [
        first[0]["id"]
    ]  # its nationals' party
    red = event(client, world, "Dasu", "forty", "d2", weapon="A suicide bomber")
    mark(client, world, red, "TLP:RED")
    assert run_jobs_once()["risk_alerts"] == 1
    # the host sees the new rise; the company and the partner keep only the earlier alert, closed as it was
    host = [a for a in _risk_alerts(client, world, "duty") if a["resolved_at"] is None]
    assert len(host) == 1 and host[0]["organization_id"] is None
    for who in ("coord", "liaison", "other_coord"):
        theirs = _risk_alerts(client, world, who)
        assert all(a["id"] != host[0]["id"] for a in theirs)
        assert all(a["title"] == first[0]["title"] and a["resolved_at"] for a in theirs)
    # the movement's risk: the company reads its own, without the RED event; the holder the snapshot with it
    # (its duty officer is not on the itinerary's need-to-know list: the level and score, no drivers)
    company = client.get(f"/api/v1/risk/movements/{movement}", headers=world["coord"].headers).json()
    holder = client.get(f"/api/v1/risk/movements/{movement}", headers=world["duty"].headers).json()
    assert _drivers(company) == {plain} and company["incident_count"] == 1 and company["current"]
    assert holder["incident_count"] == 2 and holder["level"] > company["level"]


def test_a_snapshot_taken_before_an_event_was_marked_red_is_not_shown_to_a_reader(
    client: TestClient, world: Any
) -> None:
    movement, _reference = kkh_movement(client, world)
    incident, event = reported(client, world, "Dasu", "nine", "d3")
    run_jobs_once()  # the snapshot counts the event, then readable by everyone
    mark(client, world, event, "TLP:RED")
    done = client.post(
        f"/api/v1/intel/incidents/{incident}/reject", json={}, headers=world["analyst"].headers
    )
    assert done.status_code == 200, done.text  # no longer counting: the stored snapshot is out of date
    company = client.get(f"/api/v1/risk/movements/{movement}", headers=world["coord"].headers).json()
    assert company["drivers"] == [] and company["incident_count"] == 0 and not company["current"]


def _strict_bundle() -> dict[str, Any]:
    """A partner's event near Karachi airport marked TLP:AMBER+STRICT."""
    stamp = partner_bundles.T0
    objects = [Releasable("event", 11, Tlp.amber_strict, partner_bundles.EVENT, stamp)]
    built = stix_export.build(objects, sender=partner_bundles.SENDER, receiver=partner_bundles.RECEIVER)
    return dict(built.bundle)


def test_a_partners_strict_import_counts_only_within_the_receiving_organisation(
    client: TestClient, world: Any
) -> None:
    sent = client.post(
        f"{S}/import?partner_org_id={world.orgs['acme']}",
        json=_strict_bundle(),
        headers=world["analyst"].headers,
    )
    assert sent.status_code == 200, sent.text
    partner_bundles.agree_red_policy(client, world)  # everything up to TLP:RED to the embassy
    counted = {
        who: _route(client, world, who, AIRPORT)["incident_count"]
        for who in ("duty", "liaison", "coord", "other_coord")
    }
    # the holder counts it; the embassy does not, though its policy reaches TLP:RED; nor does the sender past
    # its own ceiling (TLP:AMBER), nor anyone else
    assert counted == {"duty": 1, "liaison": 0, "coord": 0, "other_coord": 0}


def test_the_withheld_events_are_exactly_those_the_rule_refuses(client: TestClient, world: Any) -> None:
    ids = [
        event(client, world, town, "two", f"w{k}")
        for k, town in enumerate(("Dasu", "Bisham", "Chilas", "Besham"))
    ]
    with db.transaction() as session:
        rows = {ev.id: ev for ev in session.query(IntelEvent).filter(IntelEvent.id.in_(ids))}
        marks = [
            ("TLP:RED", [], None),
            ("TLP:GREEN", ["corridor-cell"], None),
            (None, [], world.orgs["embassy"]),
        ]
        for event_id, (marking, groups, source) in zip(ids, marks, strict=False):
            rows[event_id].marking, rows[event_id].ntk_groups, rows[event_id].source_org_id = (
                marking,
                groups,
                source,
            )
    for default in ("TLP:AMBER", "TLP:RED"):  # with a RED default every unmarked event is looked at too
        r = client.put(f"{S}/default-marking", json={"marking": default}, headers=world["admin"].headers)
        assert r.status_code == 200, r.text
        with db.transaction() as session:
            events = list(session.query(IntelEvent))
            for org in world.orgs.values():
                scope = readers.scope_for(session, org)
                refused = {ev.id for ev in events if scope.refusal(ev) is not None}
                got = readers.withheld_events(session, org)
                assert (got or frozenset()) == refused, (default, org)
                assert (got is None) == scope.who.holder
