"""Release policies and the export through the API, on SQLite and PostgreSQL.

A policy is in force only when both founding parties approved it; companies and uninvolved organisations
can neither propose nor approve; an export under a policy leaves out what is marked above it; the
release is in the audit chain with the SHA-256 of every object that left.
"""

from __future__ import annotations

import json
from typing import Any
from typing import Any as World  # the suite's `world` fixture (tests/conftest.py)

import stix2
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from movement_scenes import under_way
from outrider import db
from outrider.audit.models import AuditRecord
from outrider.intel.models import IntelIncident, IntelReport
from outrider.sharing import markings, policy, stix_export
from outrider.sharing.markings import Tlp
from outrider.sharing.models import SharingPolicy

S = "/api/v1/sharing"
EVERYTHING = {
    "max_marking": "TLP:GREEN",
    "object_types": ["event", "incident", "report", "actor"],
    "fields": {"event": "*", "incident": "*", "report": "*", "actor": "*"},
    "anonymise_corroborations": False,
}


def _post(client: TestClient, world: World, who: str, path: str, body: Any) -> Any:
    return client.post(S + path, json=body, headers=world[who].headers)


def _report(client: TestClient, world: World, town: str, n: int) -> dict[str, int]:
    text = (
        f"Police post attacked in {town}\n\n{town}: Gunmen attacked a police checkpoint in {town} on Sunday "
        f"night, killing two policemen and wounding three others, officials said. Reference {n}.\n"
    )
    body = {"text": text, "source": f"https://news.example/{n}", "published": "2024-03-05"}
    analyst = world["analyst"].headers
    stored = client.post("/api/v1/intel/reports", json=body, headers=analyst).json()
    report = stored[0]["report_id"]
    incident = client.get(f"/api/v1/intel/reports/{report}", headers=analyst).json()["incident_ids"][0]
    event = client.get(f"/api/v1/intel/incidents/{incident}", headers=analyst).json()["event_id"]
    return {"report": report, "incident": incident, "event": event}


def _mark(client: TestClient, world: World, kind: str, ident: int, marking: str) -> Any:
    body = {"marking": marking, "reason": "as published in the press"}
    return client.put(f"{S}/markings/{kind}/{ident}", json=body, headers=world["analyst"].headers)


def _agreed(client: TestClient, world: World, terms: dict[str, Any]) -> dict[str, Any]:
    made = _post(client, world, "admin", "/policies", {"partner_org_id": world.orgs["embassy"], **terms})
    assert made.status_code == 201, made.text
    for who in ("admin", "embassy_admin"):
        done = _post(
            client,
            world,
            who,
            f"/policies/{made.json()['id']}/approve",
            {"payload_hash": made.json()["payload_hash"]},
        )
        assert done.status_code == 200, done.text
    assert done.json()["status"] == "agreed"
    out: dict[str, Any] = done.json()
    return out


def test_a_policy_is_in_force_only_when_both_founding_parties_approved(
    client: TestClient, world: World
) -> None:
    export = {"partner_org_id": world.orgs["embassy"]}
    body = {"partner_org_id": world.orgs["embassy"], **EVERYTHING}
    # Companies, partner liaisons and analysts cannot propose; an uninvolved company cannot approve.
    for who in ("acme_admin", "coord", "liaison", "analyst", "duty"):
        assert _post(client, world, who, "/policies", body).status_code == 403, who
    made = _post(client, world, "embassy_admin", "/policies", body).json()
    assert made["status"] == "proposed" and made["awaiting"] == ["host", "partner"] and made["version"] == 1
    approve = {"payload_hash": made["payload_hash"]}
    for who in ("acme_admin", "other_coord", "coord"):
        assert _post(client, world, who, f"/policies/{made['id']}/approve", approve).status_code in (403, 404)
    assert _post(client, world, "analyst", "/export", export).status_code == 403  # nothing agreed yet
    wrong = _post(client, world, "admin", f"/policies/{made['id']}/approve", {"payload_hash": "0" * 64})
    assert wrong.status_code == 409
    half = _post(client, world, "admin", f"/policies/{made['id']}/approve", approve).json()
    assert half["status"] == "proposed" and half["awaiting"] == ["partner"]
    assert _post(client, world, "admin", f"/policies/{made['id']}/approve", approve).status_code == 409
    assert _post(client, world, "analyst", "/export", export).status_code == 403  # one party is not both
    full = _post(client, world, "embassy_admin", f"/policies/{made['id']}/approve", approve).json()
    assert full["status"] == "agreed" and full["agreed_at"] and full["awaiting"] == []
    assert _post(client, world, "analyst", "/export", export).status_code == 200
    # A later agreed version supersedes it; the company sees no policy at all.
    again = _agreed(client, world, EVERYTHING | {"max_marking": "TLP:CLEAR"})
    assert again["version"] == 2
    listed = client.get(f"{S}/policies", headers=world["liaison"].headers).json()
    assert [(p["version"], p["status"]) for p in listed] == [(1, "superseded"), (2, "agreed")]
    assert client.get(f"{S}/policies", headers=world["acme_admin"].headers).json() == []
    assert client.get(f"{S}/policies/{made['id']}", headers=world["coord"].headers).status_code == 404


def test_an_export_leaves_out_what_is_marked_above_the_policy_and_is_audited(
    client: TestClient, world: World
) -> None:
    green, amber = _report(client, world, "Quetta", 1), _report(client, world, "Gwadar", 2)
    assert green["event"] != amber["event"]
    for kind in ("event", "incident", "report"):
        assert _mark(client, world, kind, green[kind], "TLP:GREEN").status_code == 200
    refused = client.put(
        f"{S}/markings/event/{amber['event']}",
        json={"marking": "TLP:CLEAR", "reason": "x"},
        headers=world["liaison"].headers,
    )
    assert refused.status_code == 403
    _agreed(client, world, EVERYTHING)
    r = _post(client, world, "analyst", "/export", {"partner_org_id": world.orgs["embassy"]})
    assert r.status_code == 200, r.text
    bundle = r.json()
    stix2.parse(json.dumps(bundle), allow_custom=True)
    ids = {o["id"] for o in bundle["objects"]}
    assert stix_export.stix_id("incident", f"event:{green['event']}") in ids
    assert stix_export.stix_id("sighting", f"incident:{green['incident']}") in ids
    assert stix_export.stix_id("report", f"report:{green['report']}") in ids
    assert stix_export.stix_id("incident", f"event:{amber['event']}") not in ids  # AMBER by default
    allowed = {markings.definition_id(t) for t in Tlp if t <= Tlp.green}
    for obj in bundle["objects"]:
        for ref in stix_export.references(obj):
            assert ref in ids
        assert obj["type"] == "marking-definition" or obj["object_marking_refs"][0] in allowed
        # STIX's own external_references name an outlet (source_name) and a web address, nothing more
        assert all(set(ref) <= {"source_name", "url"} for ref in obj.get("external_references", []))
        outrider_keys = policy.keys_at_any_depth({k: v for k, v in obj.items() if k != "external_references"})
        assert not [k for k in outrider_keys if policy.is_redacted(k)]
    # The partner's own liaison reads the same release; it cannot read another organisation's.
    mine = _post(client, world, "liaison", "/export", {"partner_org_id": world.orgs["embassy"]})
    assert mine.status_code == 200 and {o["id"] for o in mine.json()["objects"]} == ids
    assert (
        _post(client, world, "liaison", "/export", {"partner_org_id": world.orgs["acme"]}).status_code == 403
    )
    assert (
        _post(client, world, "coord", "/export", {"partner_org_id": world.orgs["embassy"]}).status_code == 403
    )
    with db.transaction() as session:
        records = list(session.scalars(select(AuditRecord).where(AuditRecord.action == "sharing.release")))
        marks = session.scalars(select(AuditRecord).where(AuditRecord.action == "sharing.mark")).all()
    assert len(records) == 2 and len(marks) == 3
    assert marks[0].details["reason"] == "as published in the press"
    first = records[0].details
    assert first["version"] == 1 and first["partner"] == world.orgs["embassy"]
    by_id = {o["id"]: o for o in bundle["objects"]}
    stix_type = {"event": "incident", "incident": "sighting", "report": "report", "actor": "threat-actor"}
    for kind, ident, digest in first["objects"]:
        assert (
            stix_export.object_hash(by_id[stix_export.stix_id(stix_type[kind], f"{kind}:{ident}")]) == digest
        )
    assert ["event", green["event"]] in [o[:2] for o in first["objects"]]
    assert ["event", amber["event"]] not in [o[:2] for o in first["objects"]]


def test_markings_and_defaults_are_checked_and_audited(client: TestClient, world: World) -> None:
    ids = _report(client, world, "Turbat", 3)
    assert _mark(client, world, "event", ids["event"], "TLP:PINK").status_code == 422
    assert _mark(client, world, "event", 999999, "TLP:RED").status_code == 404
    no_reason = client.put(
        f"{S}/markings/event/{ids['event']}",
        json={"marking": "TLP:RED", "reason": " "},
        headers=world["analyst"].headers,
    )
    assert no_reason.status_code == 422
    put = client.put(f"{S}/default-marking", json={"marking": "TLP:CLEAR"}, headers=world["admin"].headers)
    assert put.json() == {"organization_id": world.orgs["host"], "marking": "TLP:CLEAR"}
    _agreed(client, world, EVERYTHING)  # the host's default is now CLEAR: the unmarked event leaves
    bundle = _post(client, world, "analyst", "/export", {"partner_org_id": world.orgs["embassy"]}).json()
    assert stix_export.stix_id("incident", f"event:{ids['event']}") in {o["id"] for o in bundle["objects"]}
    assert _mark(client, world, "event", ids["event"], "TLP:RED").json()["marking"] == "TLP:RED"
    bundle = _post(client, world, "analyst", "/export", {"partner_org_id": world.orgs["embassy"]}).json()
    assert stix_export.stix_id("incident", f"event:{ids['event']}") not in {
        o["id"] for o in bundle["objects"]
    }


def test_an_altered_policy_releases_nothing_and_the_host_is_no_partner(
    client: TestClient, world: World
) -> None:
    agreed = _agreed(client, world, EVERYTHING)
    export = {"partner_org_id": world.orgs["embassy"]}
    assert _post(client, world, "analyst", "/export", export).status_code == 200
    with db.transaction() as session:  # someone with database access raises the ceiling behind the parties
        session.execute(
            update(SharingPolicy).where(SharingPolicy.id == agreed["id"]).values(max_marking="TLP:RED")
        )
    assert _post(client, world, "analyst", "/export", export).status_code == 403
    host = _post(client, world, "admin", "/policies", {"partner_org_id": world.orgs["host"], **EVERYTHING})
    assert host.status_code == 422 and "partner" in host.json()["detail"]


def test_an_older_proposal_cannot_overturn_a_later_agreed_version(client: TestClient, world: World) -> None:
    body = {"partner_org_id": world.orgs["embassy"], **EVERYTHING, "max_marking": "TLP:RED"}
    older = _post(client, world, "admin", "/policies", body).json()
    newer = _agreed(client, world, EVERYTHING)
    assert (older["version"], newer["version"]) == (1, 2)
    for who in ("admin", "embassy_admin"):
        late = _post(
            client, world, who, f"/policies/{older['id']}/approve", {"payload_hash": older["payload_hash"]}
        )
        assert late.status_code == 409 and "in force" in late.json()["detail"]
    assert (
        client.get(f"{S}/policies/{newer['id']}", headers=world["admin"].headers).json()["status"] == "agreed"
    )


def test_what_a_movement_reported_never_leaves(client: TestClient, world: World) -> None:
    mid = under_way(client, world)
    body = {"lat": 24.85, "lon": 67.25, "attack_type": "bombing"}
    assert (
        client.post(f"/api/v1/movements/{mid}/incident", json=body, headers=world["duty"].headers).status_code
        == 200
    )
    with db.transaction() as session:
        road = session.scalars(
            select(IntelIncident).join(IntelReport).where(IntelReport.movement_id == mid)
        ).one()
        road_ids = {"incident": road.id, "event": road.event_id, "report": road.report_id}
    for kind, ident in road_ids.items():  # even marked CLEAR by an analyst
        assert _mark(client, world, kind, ident, "TLP:CLEAR").status_code == 200
    _agreed(client, world, EVERYTHING | {"max_marking": "TLP:RED"})
    bundle = _post(client, world, "analyst", "/export", {"partner_org_id": world.orgs["embassy"]}).json()
    ids = {o["id"] for o in bundle["objects"]}
    assert stix_export.stix_id("incident", f"event:{road_ids['event']}") not in ids
    assert stix_export.stix_id("sighting", f"incident:{road_ids['incident']}") not in ids
    assert stix_export.stix_id("report", f"report:{road_ids['report']}") not in ids
