"""The authorisation matrix: every API route has a policy entry, and each entry allows exactly its actors.

A route added without an entry in ``outrider/access/routes.py`` fails here. For every route, each actor
of the test world calls it on a fresh scene of records: the actors the entry allows must get past
authorisation (any status but 401, 403 or 404: a 409 or 422 is the business rule speaking), and
every other actor must be refused with 401, 403 or 404. The world and the scene are built once per module
and backend and their rows put back before each test (`engine` below).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from commitment_routes import ALLOWED as COMMITMENT_ALLOWED
from commitment_routes import as_matrix_requests as commitment_requests
from committee_routes import ALLOWED as COMMITTEE_ALLOWED
from committee_routes import as_matrix_requests as committee_requests
from fresh_databases import Snapshot, reset, snapshot
from outrider import db
from outrider.access.routes import ENTRIES, ROUTES
from outrider.accounts.models import ApiToken, User
from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.app import create_app
from outrider.http import caller_of
from outrider.protocols import keys, waivers
from outrider.protocols import service as protocols_service
from outrider.protocols.loader import load_default_protocol
from outrider.protocols.models import ProtocolVersion, ProtocolWaiver, SigningKey
from outrider.protocols.schemas import WaiverCreate
from route_samples import skip_unless_sampled
from world_users import World, build_world

ACTORS = ["anon", "admin", "duty", "analyst", "auditor", "liaison", "coord", "acme_admin", "other_coord"]
SIGNED_IN = set(ACTORS) - {"anon"}
HOST = {"admin", "duty", "analyst", "auditor"}
ACME = {"coord", "acme_admin"}
CREATORS = {"admin", "coord", "acme_admin", "other_coord"}
ROUTE = {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.20, 24.88], [67.35, 24.78]]}

# Who may pass each route, for the scene below (acme's CN national travelling, escorted by host security,
# departing within the release window).
ALLOWED: dict[str, set[str]] = {
    "public": set(ACTORS),
    "signed_in": SIGNED_IN,
    "accounts.admin": {"admin", "acme_admin"},
    "accounts.manage": {"admin"},  # on a host user (the analyst): the host's administrator, not on themselves
    "create:persons": CREATORS,
    "create:sites": CREATORS,
    "create:vehicles": CREATORS | {"duty"},
    "create:escort-units": {"admin", "duty"},
    "read:persons": ACME | {"liaison", "admin", "duty"},  # host guards: protectees of escorted movements
    "read:sites": ACME | HOST,
    "read:vehicles": ACME | HOST,
    "read:escort-units": HOST,
    "write:persons": ACME,
    "write:sites": ACME,
    "write:vehicles": ACME,
    "write:escort-units": {"admin", "duty"},
    "registry.members": {"admin", "duty"},
    "alerts.list": SIGNED_IN - {"analyst"},
    "alerts.read": ACME | {"admin", "duty", "auditor"},
    "alerts.ack": ACME | {"admin", "duty"},
    "alerts.resolve": ACME | {"admin", "duty"},  # an alert of acme's movement (not a cordon alert)
    "movements.plan": CREATORS,
    "movements.summary": HOST | ACME | {"liaison"},
    "movements.planner": ACME,
    "movements.decide": {"admin", "duty", "liaison"} | ACME,
    "movements.escort": {"admin", "duty"},
    "movements.progress": {"admin", "duty"} | ACME,
    "movements.itinerary": ACME | {"duty", "liaison"},
    "movements.need_to_know": ACME | {"auditor"},
    "audit.auditor": {"auditor"},
    "arrangement.write": {"admin"},
    "governance.read": {"admin", "auditor"},
    "governance.decide": {"admin"},
    "movements.clearance": {"admin", "duty"},
    "cordon.feed": {"admin", "duty"},
    "intel.review": {"admin", "analyst"},
    "protocols.admin": {"admin"},
    "protocols.sign": {"admin"},
    "protocols.keys": {"admin", "acme_admin"},
    "protocols.waive": ACME | {"admin", "duty", "liaison"},
    "protocols.waive_approve": {"admin", "duty", "liaison"},
    "protocols.override": {"admin", "duty"},
    "protocols.waive_withdraw": {"admin", "duty", "liaison"} | ACME,
    "protocols.revoke_key": {"acme_admin"},  # the holder (and the admins of the holder's organisation)
    "protocols.report": SIGNED_IN - {"analyst"},
    "notify.deliveries": {"admin", "acme_admin"},  # each for its own organisation
    "notify.delivery": ACME | {"admin", "duty", "auditor"},  # to acme's coordinator, of the scene's alert
    "field.sms_gateway": set(),  # a signed body only: no bearer token or session lets a user through
    "notify.contact": {"coord"},  # acme's coordinator's own contact point
    "notify.directory_list": {"admin", "duty", "coord", "acme_admin", "other_coord"},  # each their own
    "notify.directory": ACME,  # a roster, policy or endpoint of acme
    "notify.policies_list": SIGNED_IN - {"analyst"},
    "notify.create_roster": {"admin", "duty", "acme_admin"},  # each for their own organisation
    "notify.create_policy": {"admin", "acme_admin"},  # each for their own organisation
    "notify.keep": {"acme_admin"},  # acme's roster, policy or endpoint
    "sharing.decide": {"admin"},  # the founding host's administrator (the partner's is not in ACTORS)
    "sharing.read": {"admin", "auditor", "analyst", "liaison"},  # a policy for the embassy
    "sharing.export": {"admin", "analyst", "liaison"},  # the embassy's bundle under its agreed policy
    "sharing.ledger": {"admin", "auditor", "analyst", "liaison"},  # the liaison: the embassy's own releases
    "sharing.pull": {"acme_admin"},  # acme as a partner with an agreed policy: its administrator pulls
    "sharing.import": {"admin", "analyst"},  # the holder's analysts and host-security administrators
    "sharing.ceiling": {"admin"},  # the holder's administrator
}
ALLOWED.update({entry: who & set(ACTORS) for entry, who in COMMITMENT_ALLOWED.items()})
ALLOWED.update({entry: who & set(ACTORS) for entry, who in COMMITTEE_ALLOWED.items()})


@dataclass
class Scene:
    site: int
    person: int
    vehicle: int
    unit: int
    movement: int
    alert: int


_SCENES = iter(range(10**6))


def _make_scene(client: TestClient, world: Any) -> Scene:
    n = next(_SCENES)

    def post(path: str, body: dict[str, Any], who: str) -> dict[str, Any]:
        resp = client.post(f"/api/v1/{path}", json=body, headers=world[who].headers)
        assert resp.status_code in (200, 201), resp.text
        out: dict[str, Any] = resp.json()
        return out

    site = post("sites", {"name": f"Plant {n}", "kind": "project", "lat": 24.78, "lon": 67.35}, "coord")
    person = post("persons", {"name": "CN Engineer", "nationality": "CN"}, "coord")
    vehicle = post("vehicles", {"plate": f"ACM-{n}", "kind": "armoured", "seats": 5}, "coord")
    unit = post("escort-units", {"call_sign": f"F-{n}", "strength": 6}, "duty")
    # the duty officer serves in the escort unit: need-to-know is drawn by person and unit
    post(f"escort-units/{unit['id']}/members", {"user_id": world["duty"].user_id}, "admin")
    dep = datetime.now(UTC) + timedelta(hours=3)
    m = post(
        "movements",
        {
            "origin": {"lat": 24.9065, "lon": 67.1608, "label": "Airport"},
            "destination": {"site_id": site["id"]},
            "route": ROUTE,
            "planned_departure": dep.isoformat(),
            "planned_arrival": (dep + timedelta(hours=1)).isoformat(),
            "person_ids": [person["id"]],
            "vehicle_ids": [vehicle["id"]],
        },
        "coord",
    )
    post(f"movements/{m['id']}/submit", {}, "coord")
    post(f"movements/{m['id']}/escort", {"unit_ids": [unit["id"]]}, "duty")
    with db.transaction() as session:
        alert, _ = alerts_service.raise_alert(
            session,
            kind="test",
            severity=Severity.warning,
            subject_type="movement",
            subject_id=m["id"],
            title="t",
            organization_id=world.orgs["acme"],
            now=db.utcnow(),
        )
        alert_id = alert.id
    return Scene(site["id"], person["id"], vehicle["id"], unit["id"], m["id"], alert_id)


Request = Callable[[TestClient, Any, Scene, str], Any]


def _h(world: Any, who: str) -> dict[str, str]:
    return {} if who == "anon" else world[who].headers


def call(method: str, path: str, body: Any = None, files: Any = None, data: Any = None) -> Request:
    def run(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
        url = path.format(
            site=sc.site,
            person=sc.person,
            vehicle=sc.vehicle,
            unit=sc.unit,
            movement=sc.movement,
            alert=sc.alert,
        )
        return client.request(method, url, json=body, files=files, data=data, headers=_h(world, who))

    return run


def _own_token(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
    token_id = 1
    if who != "anon":
        token_id = client.post("/api/v1/me/tokens", json={"name": "x"}, headers=_h(world, who)).json()["id"]
    return client.delete(f"/api/v1/me/tokens/{token_id}", headers=_h(world, who))


def _grant_then_revoke(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
    until = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    g = client.post(
        f"/api/v1/movements/{sc.movement}/grants",
        json={"user_id": world["analyst"].user_id, "reason": "sweep the road", "expires_at": until},
        headers=world["coord"].headers,
    ).json()
    return client.delete(f"/api/v1/movements/{sc.movement}/grants/{g['id']}", headers=_h(world, who))


def _new_user(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
    org = world[who].organization_id if who != "anon" else 1
    body = {"username": f"u{sc.movement}-{who}", "organization_id": org, "roles": ["analyst"]}
    return client.post("/api/v1/users", json=body, headers=_h(world, who))


CSV = {
    "persons": b"name,nationality\nA B,CN\n",
    "sites": b"name,kind,lat,lon\nS{n},camp,34.8,72.9\n",
    "vehicles": b"plate,kind,seats\nP-{n},armoured,4\n",
    "escort-units": b"call_sign,strength\nU-{n},5\n",
}
BODY = {
    "persons": {"name": "New Person", "nationality": "CN"},
    "sites": {"name": "Site {n}", "kind": "camp", "lat": 34.8, "lon": 72.9},
    "vehicles": {"plate": "NEW-{n}", "kind": "soft_skin", "seats": 4},
    "escort-units": {"call_sign": "NEW-{n}", "strength": 3},
}
ID = {"persons": "{person}", "sites": "{site}", "vehicles": "{vehicle}", "escort-units": "{unit}"}
PATCH = {
    "persons": {"role": "lead"},
    "sites": {"notes": "n"},
    "vehicles": {"seats": 6},
    "escort-units": {"strength": 9},
}


def _unique(kind: str, template: Any) -> Request:
    counter = iter(range(10**6))

    def run(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
        n = next(counter)
        if isinstance(template, bytes):
            files = {"file": ("x.csv", template.replace(b"{n}", f"{n}-{id(sc)}".encode()))}
            return client.post(f"/api/v1/{kind}/import", files=files, headers=_h(world, who))
        body = json.loads(json.dumps(template).replace("{n}", f"{n}-{id(sc)}"))
        return client.post(f"/api/v1/{kind}", json=body, headers=_h(world, who))

    return run


_INTEL = iter(range(10**6))
INTEL_TOWNS = [
    "Quetta",
    "Peshawar",
    "Dasu",
    "Gwadar",
    "Turbat",
    "Mastung",
    "Bannu",
    "Kohat",
    "Zhob",
    "Mardan",
]


def _intel_report(client: TestClient, world: Any, town: str | None = None) -> dict[str, int]:
    """A fresh stored report (ingested by the analyst) and the ids of its incident and event."""
    n = next(_INTEL)
    town = town or INTEL_TOWNS[n % len(INTEL_TOWNS)]
    text = (
        f"Police post attacked in {town}\n\n{town}: Gunmen attacked a police checkpoint in {town} on Sunday "
        f"night, killing two policemen and wounding three others, officials said. Reference {n}.\n"
    )
    analyst = world["analyst"].headers
    body = {"text": text, "source": f"matrix-{n}", "published": "2024-03-05"}
    stored = client.post("/api/v1/intel/reports", json=body, headers=analyst).json()
    report_id = stored[0]["report_id"]
    incident_id = client.get(f"/api/v1/intel/reports/{report_id}", headers=analyst).json()["incident_ids"][0]
    event_id = client.get(f"/api/v1/intel/incidents/{incident_id}", headers=analyst).json()["event_id"]
    return {"report": report_id, "incident": incident_id, "event": event_id}


def intel(method: str, path: str, body: Callable[..., Any] | Any = None, two: str | None = None) -> Request:
    """A request on fresh intelligence records; ``two`` adds a second report (same town: same event)."""

    def run(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
        ids = _intel_report(client, world, "Kalat" if two == "same" else None)
        if two:
            second = _intel_report(client, world, "Kalat" if two == "same" else None)
            ids.update({f"{k}2": v for k, v in second.items()})
        data = body(ids) if callable(body) else body
        return client.request(method, path.format(**ids), json=data, headers=_h(world, who))

    return run


def _actor_edit(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
    n = next(_INTEL)
    made = client.post(
        "/api/v1/intel/actors", json={"name": f"Group {n}", "kind": "group"}, headers=world["analyst"].headers
    )
    return client.patch(
        f"/api/v1/intel/actors/{made.json()['id']}", json={"aliases": [f"G{n}X"]}, headers=_h(world, who)
    )


def _intel_upload(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
    n = next(_INTEL)
    text = f"Blast in Quetta\n\nA bomb exploded in Quetta on Monday, wounding four people. Upload {n}.\n"
    files = [("files", (f"up-{n}.txt", text.encode(), "text/plain"))]
    return client.post("/api/v1/intel/reports/upload", files=files, headers=_h(world, who))


def _intel_requests() -> dict[str, tuple[str, Request]]:
    i = "/api/v1/intel"
    post = {
        "text": "Gunmen attacked a police post in Bannu on Friday, killing one.",
        "published": "2024-03-05",
    }
    return {
        f"GET {i}/reports": ("signed_in", call("GET", f"{i}/reports")),
        f"POST {i}/reports": ("intel.review", intel("POST", f"{i}/reports", post)),
        f"POST {i}/reports/upload": ("intel.review", _intel_upload),
        f"GET {i}/reports/{{report_id}}": ("signed_in", intel("GET", f"{i}/reports/{{report}}")),
        f"GET {i}/incidents": ("signed_in", call("GET", f"{i}/incidents?country=PK")),
        f"GET {i}/incidents/{{incident_id}}": ("signed_in", intel("GET", f"{i}/incidents/{{incident}}")),
        f"PATCH {i}/incidents/{{incident_id}}": (
            "intel.review",
            intel("PATCH", f"{i}/incidents/{{incident}}", {"killed": 3}),
        ),
        f"POST {i}/incidents/{{incident_id}}/confirm": (
            "intel.review",
            intel("POST", f"{i}/incidents/{{incident}}/confirm", {}),
        ),
        f"POST {i}/incidents/{{incident_id}}/reject": (
            "intel.review",
            intel("POST", f"{i}/incidents/{{incident}}/reject", {"reason": "duplicate"}),
        ),
        f"GET {i}/review-queue": ("intel.review", call("GET", f"{i}/review-queue")),
        f"GET {i}/events": ("signed_in", call("GET", f"{i}/events")),
        f"GET {i}/events.geojson": ("signed_in", call("GET", f"{i}/events.geojson")),
        f"GET {i}/events/{{event_id}}": ("signed_in", intel("GET", f"{i}/events/{{event}}")),
        f"PATCH {i}/events/{{event_id}}": (
            "intel.review",
            intel("PATCH", f"{i}/events/{{event}}", {"killed": 5}),
        ),
        f"POST {i}/events/{{event_id}}/merge": (
            "intel.review",
            intel(
                "POST",
                f"{i}/events/{{event}}/merge",
                lambda ids: {"other_event_id": ids["event2"]},
                two="other",
            ),
        ),
        f"POST {i}/events/split": (
            "intel.review",
            intel("POST", f"{i}/events/split", lambda ids: {"incident_ids": [ids["incident2"]]}, two="same"),
        ),
        f"GET {i}/actors": ("signed_in", call("GET", f"{i}/actors")),
        f"POST {i}/actors": (
            "intel.review",
            lambda client, world, sc, who: client.post(
                f"{i}/actors", json={"name": f"Front {next(_INTEL)}", "kind": "group"}, headers=_h(world, who)
            ),
        ),
        f"PATCH {i}/actors/{{actor_id}}": ("intel.review", _actor_edit),
    }


def _sharing_policy(world: Any, *, agreed: bool, partner: str = "embassy") -> tuple[int, str]:
    """A release policy for the embassy (or another partner) proposed by the embassy's administrator,
    agreed by both parties if asked."""
    from outrider.sharing import policy_store

    terms = {"max_marking": "TLP:GREEN", "object_types": ["event"], "fields": {"event": "*"}}
    with db.transaction() as session:
        host, founder = (
            caller_of(session.get_one(User, world[n].user_id)) for n in ("admin", "embassy_admin")
        )
        now = db.utcnow()
        row = policy_store.propose(
            session, caller=founder, partner_org_id=world.orgs[partner], terms=terms, comment="", now=now
        )
        if agreed:
            for who in (founder, host):
                policy_store.approve(
                    session, caller=who, policy_id=row.id, payload_hash=row.payload_hash, now=now
                )
        return row.id, row.payload_hash


def _sharing_requests() -> dict[str, tuple[str, Request]]:
    p = "/api/v1/sharing"

    def one(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
        pid, _ = _sharing_policy(world, agreed=False)
        return client.get(f"{p}/policies/{pid}", headers=_h(world, who))

    def approve(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
        pid, digest = _sharing_policy(world, agreed=False)
        return client.post(
            f"{p}/policies/{pid}/approve", json={"payload_hash": digest}, headers=_h(world, who)
        )

    def export(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
        _sharing_policy(world, agreed=True)
        body = {"partner_org_id": world.orgs["embassy"]}
        return client.post(f"{p}/export", json=body, headers=_h(world, who))

    def ledger(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
        export(client, world, sc, "analyst")  # one release to read
        return client.get(f"{p}/ledger?format=csv", headers=_h(world, who))

    def pull(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
        _sharing_policy(world, agreed=True, partner="acme")
        return client.get(f"{p}/stream?limit=5", headers=_h(world, who))

    terms = {"max_marking": "TLP:GREEN", "object_types": ["event"], "fields": {"event": "*"}}
    mark = {"marking": "TLP:GREEN", "reason": "public in the press"}
    return {
        f"GET {p}/ledger": ("sharing.ledger", ledger),
        f"GET {p}/stream": ("sharing.pull", pull),
        f"GET {p}/policies": ("signed_in", call("GET", f"{p}/policies")),
        f"POST {p}/policies": (
            "sharing.decide",
            lambda client, world, sc, who: client.post(
                f"{p}/policies",
                json={"partner_org_id": world.orgs["embassy"], **terms},
                headers=_h(world, who),
            ),
        ),
        f"GET {p}/policies/{{policy_id}}": ("sharing.read", one),
        f"POST {p}/policies/{{policy_id}}/approve": ("sharing.decide", approve),
        f"POST {p}/export": ("sharing.export", export),
        f"PUT {p}/markings/{{kind}}/{{object_id}}": (
            "intel.review",
            intel("PUT", f"{p}/markings/event/{{event}}", mark),
        ),
        f"PUT {p}/default-marking": (
            "accounts.admin",
            call("PUT", f"{p}/default-marking", {"marking": "TLP:AMBER+STRICT"}),
        ),
        f"POST {p}/import": ("sharing.import", _import),
        f"PUT {p}/import-ceilings/{{partner_org_id}}": (
            "sharing.ceiling",
            lambda client, world, sc, who: client.put(
                f"{p}/import-ceilings/{world.orgs['embassy']}",
                json={"ceiling": "TLP:RED"},
                headers=_h(world, who),
            ),
        ),
    }


def _import(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
    """A partner's bundle of one actor, imported from the embassy."""
    actor = {
        "type": "threat-actor",
        "spec_version": "2.1",
        "id": "threat-actor--6b3e1d1e-5d55-4a43-9a8e-3c1f3bb1a001",
        "created": "2026-10-01T00:00:00.000Z",
        "modified": "2026-10-01T00:00:00.000Z",
        "name": "Front of the Matrix",
    }
    bundle = {"type": "bundle", "id": "bundle--6b3e1d1e-5d55-4a43-9a8e-3c1f3bb1a002", "objects": [actor]}
    path = f"/api/v1/sharing/import?partner_org_id={world.orgs['embassy']}"
    return client.post(path, json=bundle, headers=_h(world, who))


DEFAULT_PROTOCOL = load_default_protocol()
PROTOCOL_TEXT = files("outrider.protocols").joinpath("data/default.yaml").read_text("utf-8")


def _stored_protocol(world: Any, state: str) -> None:
    """The default protocol stored by the host administrator, as a draft, proposed, or agreed."""
    with db.transaction() as session:
        if session.scalar(select(ProtocolVersion.id).limit(1)) is not None:
            return
        admin = caller_of(session.get(User, world["admin"].user_id))
        now = db.utcnow()
        protocols_service.load_version(session, caller=admin, text=PROTOCOL_TEXT, parties={}, now=now)
        if state == "draft":
            return
        row = protocols_service.propose_version(
            session, caller=admin, protocol_id="default-protection", version=1, now=now
        )
        if state == "agreed":
            # Set up directly: the world has no partner administrator to sign (signing: tests/protocols).
            row.state, row.agreed_at = "agreed", now


def _protocol_call(state: str, method: str, path: str, body: Any = None) -> Request:
    def run(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
        _stored_protocol(world, state)
        return call(method, path, body)(client, world, sc, who)

    return run


def _sign_protocol(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
    _stored_protocol(world, "proposed")
    pem, public = keys.generate_pem()
    # Everyone tries to register a key first (only administrators may); then signs with it.
    client.post("/api/v1/protocols/signing-keys", json={"public_key": public.hex()}, headers=_h(world, who))
    digest = DEFAULT_PROTOCOL.hash
    body = {
        "document_hash": digest,
        "public_key": public.hex(),
        "signature": keys.sign_document(keys.load_private_pem(pem), digest).hex(),
    }
    url = "/api/v1/protocols/default-protection/versions/1/signatures"
    return client.post(url, json=body, headers=_h(world, who))


def _approve_waiver(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
    _stored_protocol(world, "agreed")
    with db.transaction() as session:
        waiver_id = session.scalar(select(ProtocolWaiver.id).where(ProtocolWaiver.movement_id == sc.movement))
        if waiver_id is None:
            coord = caller_of(session.get(User, world["coord"].user_id))
            data = WaiverCreate(
                rule_id="escort-ratio", justification=WAIVER["justification"], expires_at=WAIVER_UNTIL
            )
            waiver_id = waivers.request_waiver(
                session, caller=coord, movement_id=sc.movement, data=data, now=db.utcnow()
            ).id
    return client.post(f"/api/v1/protocols/waivers/{waiver_id}/approve", headers=_h(world, who))


def _withdraw_waiver(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
    _approve_waiver(client, world, sc, "anon")  # makes the scene's waiver (the anonymous call is refused)
    with db.transaction() as session:
        waiver_id = session.scalar(select(ProtocolWaiver.id).where(ProtocolWaiver.movement_id == sc.movement))
    body = {"reason": "The escort is back at full strength."}
    return client.post(f"/api/v1/protocols/waivers/{waiver_id}/withdraw", json=body, headers=_h(world, who))


def _revoke_key(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
    """acme_admin's own key: its holder may revoke it; nobody of another organisation may."""
    with db.transaction() as session:
        holder = session.get(User, world["acme_admin"].user_id)
        assert holder is not None
        public = keys.generate_pem()[1]
        row = SigningKey(
            user_id=holder.id,
            organization_id=holder.organization_id,
            public_key=public.hex(),
            fingerprint=keys.fingerprint(public),
            label="matrix",
            created_at=db.utcnow(),
        )
        session.add(row)
        session.flush()
        key_id = row.id
    return client.post(f"/api/v1/protocols/signing-keys/{key_id}/revoke", headers=_h(world, who))


WAIVER_UNTIL = datetime(2099, 1, 1, tzinfo=UTC)
OVERRIDE = {"rule_id": "no-departure-critical-cordon-alert", "reason": "Truck inspected at the gate."}
WAIVER = {
    "rule_id": "escort-ratio",
    "justification": "Escort diverted to a bomb scene; convoy held in the inner cordon.",
    "expires_at": WAIVER_UNTIL.isoformat(),
}


def _protocol_requests() -> dict[str, tuple[str, Request]]:
    p = "/api/v1/protocols"
    v = f"{p}/default-protection/versions/1"
    m = "/api/v1/movements/{movement}"
    return {
        f"GET {p}": ("signed_in", call("GET", p)),
        f"POST {p}": ("protocols.admin", call("POST", p, {"text": PROTOCOL_TEXT})),
        f"POST {p}/validate": ("signed_in", call("POST", f"{p}/validate", {"text": PROTOCOL_TEXT})),
        f"GET {p}/signing-keys": ("signed_in", call("GET", f"{p}/signing-keys")),
        f"POST {p}/signing-keys": (
            "protocols.keys",
            lambda client, world, sc, who: client.post(
                f"{p}/signing-keys", json={"public_key": keys.generate_pem()[1].hex()}, headers=_h(world, who)
            ),
        ),
        f"GET {p}/report": ("protocols.report", call("GET", f"{p}/report?from=2026-01-01&to=2026-12-31")),
        f"POST {p}/waivers/{{waiver_id}}/approve": ("protocols.waive_approve", _approve_waiver),
        f"POST {p}/waivers/{{waiver_id}}/withdraw": ("protocols.waive_withdraw", _withdraw_waiver),
        f"POST {p}/signing-keys/{{key_id}}/revoke": ("protocols.revoke_key", _revoke_key),
        f"GET {p}/{{protocol_id}}/versions/{{version}}": ("signed_in", _protocol_call("draft", "GET", v)),
        f"POST {p}/{{protocol_id}}/versions/{{version}}/propose": (
            "protocols.admin",
            _protocol_call("draft", "POST", v + "/propose"),
        ),
        f"POST {p}/{{protocol_id}}/versions/{{version}}/signatures": ("protocols.sign", _sign_protocol),
        "GET /api/v1/movements/{movement_id}/protocol-evaluations": (
            "movements.summary",
            call("GET", m + "/protocol-evaluations"),
        ),
        "POST /api/v1/movements/{movement_id}/protocol-evaluations": (
            "movements.itinerary",
            call("POST", m + "/protocol-evaluations", {}),
        ),
        "GET /api/v1/movements/{movement_id}/waivers": ("movements.summary", call("GET", m + "/waivers")),
        "GET /api/v1/movements/{movement_id}/protocol-overrides": (
            "movements.summary",
            call("GET", m + "/protocol-overrides"),
        ),
        "POST /api/v1/movements/{movement_id}/protocol-overrides": (
            "protocols.override",
            _protocol_call("agreed", "POST", m + "/protocol-overrides", OVERRIDE),
        ),
        "GET /api/v1/movements/{movement_id}/departure-check": (
            "movements.summary",
            _protocol_call("agreed", "GET", m + "/departure-check"),
        ),
        "GET /api/v1/movements/{movement_id}/next-step": (
            "movements.summary",
            _protocol_call("agreed", "GET", m + "/next-step"),
        ),
        "POST /api/v1/movements/{movement_id}/waivers": (
            "protocols.waive",
            call("POST", m + "/waivers", WAIVER),
        ),
    }


def _add_member(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
    """Put the analyst (a host user, never the caller) in the scene's unit."""
    body = {"user_id": world["analyst"].user_id}
    return client.post(f"/api/v1/escort-units/{sc.unit}/members", json=body, headers=_h(world, who))


def _remove_member(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
    """Take the duty officer (put there by the scene) out of the unit, then put him back."""
    path = f"/api/v1/escort-units/{sc.unit}/members/{world['duty'].user_id}"
    resp = client.delete(path, headers=_h(world, who))
    if resp.status_code == 204:
        body = {"user_id": world["duty"].user_id}
        client.post(f"/api/v1/escort-units/{sc.unit}/members", json=body, headers=world["admin"].headers)
    return resp


def _proposal(world: Any) -> tuple[int, str]:
    """A fresh open proposal of the host administrator (a partner government to register)."""
    from outrider.governance import service as governance_service
    from outrider.governance.rules import Kind

    with db.transaction() as session:
        host = caller_of(session.get_one(User, world["admin"].user_id))
        payload = {"name": f"Matrix Embassy {next(_SCENES)}", "country": "DE"}
        now = db.utcnow()
        row = governance_service.propose(session, caller=host, kind=Kind.partner, payload=payload, now=now)
        return row.id, row.payload_hash


def _on_proposal(action: str) -> Request:
    def run(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
        pid, digest = _proposal(world)
        path = f"/api/v1/governance/proposals/{pid}"
        if action == "get":
            return client.get(path, headers=_h(world, who))
        body = {"payload_hash": digest} if action == "approve" else {}
        return client.post(f"{path}/{action}", json=body, headers=_h(world, who))

    return run


def _own_org(method: str, path: str, body: Any) -> Request:
    def run(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
        org = world[who].organization_id if who != "anon" else 1
        return client.request(method, path.format(org=org), json=body, headers=_h(world, who))

    return run


def _on_analyst(method: str, path: str, body: Any = None) -> Request:
    """An administrator's action on the host's analyst (their token: ``{token}``)."""

    def run(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
        with db.transaction() as session:
            token = session.scalar(select(ApiToken.id).where(ApiToken.user_id == world["analyst"].user_id))
        url = path.format(user=world["analyst"].user_id, token=token)
        return client.request(method, url, json=body, headers=_h(world, who))

    return run


def _accounts_requests() -> dict[str, tuple[str, Request]]:
    me, users = "/api/v1/me", "/api/v1/users/{user_id}"
    pw = {"password": "not the password"}
    return {
        f"POST {me}/password": (
            "signed_in",
            call(
                "POST", f"{me}/password", {"current_password": "wrong", "new_password": "a long new password"}
            ),
        ),
        f"POST {me}/totp": ("signed_in", call("POST", f"{me}/totp", pw)),
        f"POST {me}/totp/confirm": ("signed_in", call("POST", f"{me}/totp/confirm", {"code": "123456"})),
        f"POST {me}/totp/disable": ("signed_in", call("POST", f"{me}/totp/disable", pw)),
        f"POST {me}/recovery-codes": ("signed_in", call("POST", f"{me}/recovery-codes", pw)),
        "POST /api/v1/password-resets/redeem": (
            "public",
            call(
                "POST",
                "/api/v1/password-resets/redeem",
                {"code": "NOPE", "new_password": "a long new password"},
            ),
        ),
        f"GET {users}/tokens": ("accounts.manage", _on_analyst("GET", "/api/v1/users/{user}/tokens")),
        f"DELETE {users}/tokens/{{token_id}}": (
            "accounts.manage",
            _on_analyst("DELETE", "/api/v1/users/{user}/tokens/{token}"),
        ),
        f"POST {users}/password-reset": (
            "accounts.manage",
            _on_analyst("POST", "/api/v1/users/{user}/password-reset"),
        ),
        f"POST {users}/deactivate": (
            "accounts.manage",
            _on_analyst("POST", "/api/v1/users/{user}/deactivate"),
        ),
        f"POST {users}/reactivate": (
            "accounts.manage",
            _on_analyst("POST", "/api/v1/users/{user}/reactivate"),
        ),
        f"PUT {users}/roles": (
            "accounts.manage",
            _on_analyst("PUT", "/api/v1/users/{user}/roles", {"roles": ["analyst", "duty_officer"]}),
        ),
        f"POST {users}/second-factor/reset": (
            "accounts.manage",
            _on_analyst("POST", "/api/v1/users/{user}/second-factor/reset"),
        ),
        "PUT /api/v1/organizations/{organization_id}/security": (
            "accounts.admin",
            _own_org("PUT", "/api/v1/organizations/{org}/security", {"require_totp": False}),
        ),
    }


def _assign_to_duty(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
    body = {"user_id": world["duty"].user_id}
    return client.post(f"/api/v1/alerts/{sc.alert}/assign", json=body, headers=_h(world, who))


def _scene_delivery(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
    """The scene's alert e-mailed to acme's coordinator, read by ``who``."""
    from outrider.notify import outbox
    from outrider.notify.models import Notification

    with db.transaction() as session:
        outbox.enqueue(
            session,
            purpose="alert",
            channel="email",
            address="coord@example.org",
            target=outbox.user_target(world["coord"].user_id),
            user_id=world["coord"].user_id,
            organization_id=world.orgs["acme"],
            alert_id=sc.alert,
            step=1,
            now=db.utcnow(),
        )
        delivery = session.scalar(select(Notification.id).where(Notification.alert_id == sc.alert))
    return client.get(f"/api/v1/notify/deliveries/{delivery}", headers=_h(world, who))


_DIRECTORY = iter(range(10**6))


def _directory(method: str, path: str, body: Callable[..., Any] | Any = None) -> Request:
    """A request on fresh directory records of acme (a roster with a shift, a policy, a webhook endpoint)
    and a fresh contact point of acme's coordinator; ``body`` may be built from their ids."""

    def run(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
        from outrider.notify.directory_models import (
            ContactPoint,
            EscalationPolicy,
            Roster,
            Shift,
            WebhookEndpoint,
        )

        n, now, acme, coord = next(_DIRECTORY), db.utcnow(), world.orgs["acme"], world["coord"].user_id
        step = {"after_minutes": 0, "channels": ["email"], "targets": [{"role": "admin"}]}
        with db.transaction() as session:
            roster = Roster(organization_id=acme, name=f"desk {n}", timezone="Asia/Karachi", created_at=now)
            policy = EscalationPolicy(
                organization_id=acme, name=f"policy {n}", kinds=[], steps=[step], created_at=now
            )
            hook = WebhookEndpoint(
                organization_id=acme,
                name="ops",
                url="https://hooks.example.org/in",
                secret="whsec_x",
                created_at=now,
            )
            point = ContactPoint(
                user_id=coord,
                channel="email",
                address=f"c{n}@example.org",
                created_at=now,
                code_expires_at=now + timedelta(minutes=15),
            )
            session.add_all([roster, policy, hook, point])
            session.flush()
            shift = Shift(
                roster_id=roster.id,
                user_id=coord,
                weekdays=[1],
                start_time=now.time(),
                end_time=now.time(),
                created_at=now,
            )
            session.add(shift)
            session.flush()
            ids = {
                "roster": roster.id,
                "policy": policy.id,
                "endpoint": hook.id,
                "contact": point.id,
                "shift": shift.id,
            }
        data = body(ids, n, world) if callable(body) else body
        return client.request(method, path.format(**ids), json=data, headers=_h(world, who))

    return run


def _directory_requests() -> dict[str, tuple[str, Request]]:
    n = "/api/v1/notify"
    step = {"after_minutes": 0, "channels": ["email"], "targets": [{"role": "admin"}]}
    weekly = {"weekdays": [1], "start_time": "08:00", "end_time": "09:00"}
    return {
        f"GET {n}/contacts": ("signed_in", call("GET", f"{n}/contacts")),
        f"POST {n}/contacts": (
            "signed_in",
            _directory(
                "POST",
                f"{n}/contacts",
                lambda ids, k, w: {"channel": "email", "address": f"m{k}@example.org"},
            ),
        ),
        f"POST {n}/contacts/{{contact_id}}/verify": (
            "notify.contact",
            _directory("POST", f"{n}/contacts/{{contact}}/verify", {"code": "000000"}),
        ),
        f"POST {n}/contacts/{{contact_id}}/resend": (
            "notify.contact",
            _directory("POST", f"{n}/contacts/{{contact}}/resend"),
        ),
        f"POST {n}/contacts/{{contact_id}}/disable": (
            "notify.contact",
            _directory("POST", f"{n}/contacts/{{contact}}/disable"),
        ),
        f"GET {n}/rosters": ("notify.directory_list", call("GET", f"{n}/rosters")),
        f"POST {n}/rosters": (
            "notify.create_roster",
            _directory(
                "POST", f"{n}/rosters", lambda ids, k, w: {"name": f"new desk {k}", "timezone": "UTC"}
            ),
        ),
        f"GET {n}/rosters/{{roster_id}}": ("notify.directory", _directory("GET", f"{n}/rosters/{{roster}}")),
        f"POST {n}/rosters/{{roster_id}}/shifts": (
            "notify.keep",
            _directory(
                "POST",
                f"{n}/rosters/{{roster}}/shifts",
                lambda ids, k, w: {"user_id": w["coord"].user_id, **weekly},
            ),
        ),
        f"DELETE {n}/rosters/{{roster_id}}/shifts/{{shift_id}}": (
            "notify.keep",
            _directory("DELETE", f"{n}/rosters/{{roster}}/shifts/{{shift}}"),
        ),
        f"GET {n}/rosters/{{roster_id}}/on-duty": (
            "notify.directory",
            _directory("GET", f"{n}/rosters/{{roster}}/on-duty"),
        ),
        f"GET {n}/policies": ("notify.policies_list", call("GET", f"{n}/policies")),
        f"POST {n}/policies": (
            "notify.create_policy",
            _directory("POST", f"{n}/policies", lambda ids, k, w: {"name": f"new {k}", "steps": [step]}),
        ),
        f"GET {n}/policies/{{policy_id}}": (
            "notify.directory",
            _directory("GET", f"{n}/policies/{{policy}}"),
        ),
        f"POST {n}/policies/{{policy_id}}/deactivate": (
            "notify.keep",
            _directory("POST", f"{n}/policies/{{policy}}/deactivate"),
        ),
        f"GET {n}/endpoints": ("notify.directory_list", call("GET", f"{n}/endpoints")),
        f"POST {n}/endpoints": (
            "notify.create_policy",
            call("POST", f"{n}/endpoints", {"name": "ops", "url": "https://hooks.example.org/in"}),
        ),
        f"POST {n}/endpoints/{{endpoint_id}}/revoke": (
            "notify.keep",
            _directory("POST", f"{n}/endpoints/{{endpoint}}/revoke"),
        ),
    }


def _requests() -> dict[str, tuple[str, Request]]:
    m = "/api/v1/movements/{movement}"
    reqs: dict[str, tuple[str, Request]] = {
        "GET /api/v1/health": ("public", call("GET", "/api/v1/health")),
        "POST /api/v1/auth/token": (
            "public",
            call(
                "POST",
                "/api/v1/auth/token",
                data={"username": "coord", "password": "correct horse battery staple"},
            ),
        ),
        "GET /api/v1/me": ("signed_in", call("GET", "/api/v1/me")),
        "GET /api/v1/me/tokens": ("signed_in", call("GET", "/api/v1/me/tokens")),
        "POST /api/v1/me/tokens": ("signed_in", call("POST", "/api/v1/me/tokens", {"name": "t"})),
        "DELETE /api/v1/me/tokens/{token_id}": ("signed_in", _own_token),
        "GET /api/v1/organizations": ("signed_in", call("GET", "/api/v1/organizations")),
        "POST /api/v1/organizations": (
            "accounts.admin",
            call("POST", "/api/v1/organizations", {"name": "Z", "kind": "other", "country": "PK"}),
        ),
        "GET /api/v1/users": ("accounts.admin", call("GET", "/api/v1/users")),
        "POST /api/v1/users": (
            "accounts.admin",
            _new_user,
        ),
        **_accounts_requests(),
        "GET /api/v1/sites.geojson": ("signed_in", call("GET", "/api/v1/sites.geojson")),
        "GET /api/v1/alerts": ("alerts.list", call("GET", "/api/v1/alerts")),
        "GET /api/v1/alerts/cap.atom": ("alerts.list", call("GET", "/api/v1/alerts/cap.atom")),
        "GET /api/v1/alerts/{alert_id}": ("alerts.read", call("GET", "/api/v1/alerts/{alert}")),
        "POST /api/v1/alerts/{alert_id}/acknowledge": (
            "alerts.ack",
            call("POST", "/api/v1/alerts/{alert}/acknowledge", {}),
        ),
        "POST /api/v1/alerts/{alert_id}/escalate": (
            "alerts.ack",
            call("POST", "/api/v1/alerts/{alert}/escalate", {"reason": "no answer from the gate"}),
        ),
        "POST /api/v1/alerts/{alert_id}/resolve": (
            "alerts.resolve",
            call("POST", "/api/v1/alerts/{alert}/resolve", {"reason": "checked by a patrol"}),
        ),
        "POST /api/v1/alerts/{alert_id}/reopen": (
            "alerts.resolve",
            call("POST", "/api/v1/alerts/{alert}/reopen", {"reason": "the vehicle came back"}),
        ),
        "POST /api/v1/alerts/{alert_id}/assign": ("alerts.ack", _assign_to_duty),
        "POST /api/v1/alerts/{alert_id}/notes": (
            "alerts.ack",
            call("POST", "/api/v1/alerts/{alert}/notes", {"text": "patrol on its way"}),
        ),
        "GET /api/v1/alerts/{alert_id}/notes": ("alerts.read", call("GET", "/api/v1/alerts/{alert}/notes")),
        "GET /api/v1/notify/alerts/{alert_id}/deliveries": (
            "alerts.read",
            call("GET", "/api/v1/notify/alerts/{alert}/deliveries"),
        ),
        "GET /api/v1/notify/deliveries": ("notify.deliveries", call("GET", "/api/v1/notify/deliveries")),
        "GET /api/v1/notify/deliveries/{delivery_id}": ("notify.delivery", _scene_delivery),
        "POST /api/v1/notify/deliveries/retry-dead": (
            "notify.deliveries",
            call("POST", "/api/v1/notify/deliveries/retry-dead", {}),
        ),
        "POST /api/v1/notify/test": ("signed_in", call("POST", "/api/v1/notify/test", {"channel": "email"})),
        **_directory_requests(),
        "GET /api/v1/movements": ("signed_in", call("GET", "/api/v1/movements")),
        "POST /api/v1/movements": (
            "movements.plan",
            call(
                "POST",
                "/api/v1/movements",
                {
                    "origin": {"lat": 24.9, "lon": 67.1},
                    "destination": {"lat": 24.8, "lon": 67.3},
                    "route": ROUTE,
                    "planned_departure": "2026-12-01T06:30:00+05:00",
                    "planned_arrival": "2026-12-01T08:00:00+05:00",
                    "person_ids": [1],
                },
            ),
        ),
        "POST /api/v1/routes/parse": (
            "signed_in",
            call("POST", "/api/v1/routes/parse", files={"file": ("r.geojson", json.dumps(ROUTE).encode())}),
        ),
        "GET /api/v1/movements/{movement_id}": ("movements.summary", call("GET", m)),
        "PATCH /api/v1/movements/{movement_id}": ("movements.planner", call("PATCH", m, {"notes": "n"})),
        "POST /api/v1/movements/{movement_id}/submit": ("movements.planner", call("POST", m + "/submit")),
        "POST /api/v1/movements/{movement_id}/approve": (
            "movements.decide",
            call("POST", m + "/approve", {}),
        ),
        "POST /api/v1/movements/{movement_id}/reject": ("movements.decide", call("POST", m + "/reject", {})),
        "POST /api/v1/movements/{movement_id}/request-changes": (
            "movements.decide",
            call("POST", m + "/request-changes", {}),
        ),
        "POST /api/v1/movements/{movement_id}/escort": (
            "movements.escort",
            call("POST", m + "/escort", {"unit_ids": [999999]}),
        ),
        "POST /api/v1/movements/{movement_id}/depart": ("movements.progress", call("POST", m + "/depart")),
        "POST /api/v1/movements/{movement_id}/checkins": (
            "movements.progress",
            call("POST", m + "/checkins", {"idempotency_key": "k"}),
        ),
        "GET /api/v1/movements/{movement_id}/checkins": ("movements.itinerary", call("GET", m + "/checkins")),
        "POST /api/v1/movements/{movement_id}/arrive": ("movements.progress", call("POST", m + "/arrive")),
        "POST /api/v1/movements/{movement_id}/incident": (
            "movements.progress",
            call("POST", m + "/incident", {}),
        ),
        "POST /api/v1/movements/{movement_id}/sos": (
            "movements.progress",
            call("POST", m + "/sos", {"idempotency_key": "sos", "lat": 24.9, "lon": 67.2}),
        ),
        "GET /api/v1/me/movements": ("signed_in", call("GET", "/api/v1/me/movements")),
        "PUT /api/v1/me/field-pins": (
            "signed_in",
            call("PUT", "/api/v1/me/field-pins", {"pin": "1234", "duress_pin": "9876"}),
        ),
        "POST /api/v1/field/sms": (
            "field.sms_gateway",
            call("POST", "/api/v1/field/sms", data={"From": "+923001234567", "Body": "CI X OK 1234"}),
        ),
        "POST /api/v1/movements/{movement_id}/cancel": ("movements.planner", call("POST", m + "/cancel", {})),
        "GET /api/v1/movements/{movement_id}/timeline": ("movements.itinerary", call("GET", m + "/timeline")),
        "GET /api/v1/movements/{movement_id}/predictability": (
            "movements.itinerary",
            call("GET", m + "/predictability"),
        ),
        "GET /api/v1/arrangement": ("signed_in", call("GET", "/api/v1/arrangement")),
        "POST /api/v1/movements/{movement_id}/clearances": (
            "movements.clearance",
            call("POST", m + "/clearances", {"escort_unit_id": 1, "cleared_at": "2026-01-01T00:00:00+00:00"}),
        ),
        "PUT /api/v1/arrangement": ("arrangement.write", call("PUT", "/api/v1/arrangement", {})),
        "GET /api/v1/governance": ("signed_in", call("GET", "/api/v1/governance")),
        "GET /api/v1/governance/proposals": ("governance.read", call("GET", "/api/v1/governance/proposals")),
        "POST /api/v1/governance/proposals": (
            "governance.decide",
            call("POST", "/api/v1/governance/proposals", {"kind": "auditor", "payload": {"user_id": 1}}),
        ),
        "GET /api/v1/governance/proposals/{proposal_id}": ("governance.read", _on_proposal("get")),
        "POST /api/v1/governance/proposals/{proposal_id}/approve": (
            "governance.decide",
            _on_proposal("approve"),
        ),
        "POST /api/v1/governance/proposals/{proposal_id}/reject": (
            "governance.decide",
            _on_proposal("reject"),
        ),
        "POST /api/v1/governance/proposals/{proposal_id}/withdraw": (
            "governance.decide",
            _on_proposal("withdraw"),
        ),
        "GET /api/v1/movements/{movement_id}/need-to-know": (
            "movements.need_to_know",
            call("GET", m + "/need-to-know"),
        ),
        "POST /api/v1/movements/{movement_id}/grants": (
            "movements.planner",
            call(
                "POST",
                m + "/grants",
                {"user_id": 1, "reason": "road sweep", "expires_at": "2099-01-01T00:00:00+00:00"},
            ),
        ),
        "DELETE /api/v1/movements/{movement_id}/grants/{grant_id}": ("movements.planner", _grant_then_revoke),
        "GET /api/v1/movements/{movement_id}/who-knew": ("audit.auditor", call("GET", m + "/who-knew")),
        "GET /api/v1/audit/verify": ("audit.auditor", call("GET", "/api/v1/audit/verify")),
        "POST /api/v1/cordon/events": ("cordon.feed", call("POST", "/api/v1/cordon/events", {"events": []})),
        "GET /api/v1/cordon/sightings": ("cordon.feed", call("GET", "/api/v1/cordon/sightings?plate=X1")),
        **_intel_requests(),
        "POST /api/v1/risk/route": ("signed_in", call("POST", "/api/v1/risk/route", {"route": ROUTE})),
        "GET /api/v1/risk/sites/{site_id}": ("read:sites", call("GET", "/api/v1/risk/sites/{site}")),
        "GET /api/v1/risk/surface": (
            "signed_in",
            call("GET", "/api/v1/risk/surface?bbox=67.0,24.7,67.4,25.0&resolution=5"),
        ),
        "GET /api/v1/risk/movements/{movement_id}": (
            "movements.summary",
            call("GET", "/api/v1/risk/movements/{movement}"),
        ),
        "GET /api/v1/risk/backtest": ("signed_in", call("GET", "/api/v1/risk/backtest")),
        "GET /api/v1/audit/checkpoints": ("audit.auditor", call("GET", "/api/v1/audit/checkpoints")),
        **_protocol_requests(),
        **_sharing_requests(),
        **commitment_requests(lambda run: lambda client, world, sc, who: run(client, world, who)),
        **committee_requests(lambda run: lambda client, world, sc, who: run(client, world, who)),
    }
    reqs["GET /api/v1/escort-units/{unit_id}/members"] = (
        "read:escort-units",
        call("GET", "/api/v1/escort-units/{unit}/members"),
    )
    reqs["POST /api/v1/escort-units/{unit_id}/members"] = ("registry.members", _add_member)
    reqs["DELETE /api/v1/escort-units/{unit_id}/members/{user_id}"] = ("registry.members", _remove_member)
    for kind in ("persons", "sites", "vehicles", "escort-units"):
        reqs[f"GET /api/v1/{kind}"] = ("signed_in", call("GET", f"/api/v1/{kind}"))
        reqs[f"POST /api/v1/{kind}"] = (f"create:{kind}", _unique(kind, BODY[kind]))
        reqs[f"POST /api/v1/{kind}/import"] = (f"create:{kind}", _unique(kind, CSV[kind]))
        one = f"/api/v1/{kind}/{ID[kind]}"
        reqs[f"GET /api/v1/{kind}/{{record_id}}"] = (f"read:{kind}", call("GET", one))
        reqs[f"PATCH /api/v1/{kind}/{{record_id}}"] = (f"write:{kind}", call("PATCH", one, PATCH[kind]))
        reqs[f"DELETE /api/v1/{kind}/{{record_id}}"] = (f"write:{kind}", call("DELETE", one))
    return reqs


REQUESTS = _requests()


def _entry_of(expectation: str) -> str:
    head = expectation.split(":")[0]
    return {
        "create": "registry.create",
        "read": "registry.read",
        "write": "registry.write",
        "alerts.list": "alerts.read",
    }.get(head, expectation)


def test_every_route_has_a_policy_entry_and_a_check() -> None:
    paths = create_app().openapi()["paths"]
    routes = {f"{method.upper()} {path}" for path, ops in paths.items() for method in ops}
    assert routes - set(ROUTES) == set(), "routes without a policy entry in access/routes.py"
    assert set(ROUTES) - routes == set(), "policy entries for routes that no longer exist"
    assert set(ROUTES.values()) <= set(ENTRIES)
    assert set(REQUESTS) == routes, "every route needs a request in this matrix"
    for route, (expectation, _) in REQUESTS.items():
        assert _entry_of(expectation) == ROUTES[route], route


@pytest.fixture(autouse=True)
def _postgresql_runs_a_sample(request: pytest.FixtureRequest, migrated_engine: Any) -> None:
    skip_unless_sampled(request, migrated_engine)


@dataclass(frozen=True)
class Built:
    world: World
    scene: Scene
    rows: Snapshot


@pytest.fixture(scope="module")
def built(migrated_engine: Engine) -> Iterator[Built]:
    """The world and a scene, built through the API once per module and backend, and their rows."""
    reset(migrated_engine)
    db.set_engine(migrated_engine)
    try:
        world = build_world()
        with TestClient(create_app(), raise_server_exceptions=False) as client:
            scene = _make_scene(client, world)
        yield Built(world, scene, snapshot(migrated_engine))
    finally:
        db.set_engine(None)


@pytest.fixture
def engine(migrated_engine: Engine, built: Built) -> Iterator[Engine]:
    """The `engine` of conftest.py holding the module's world and scene, as each test built them before: every
    row a test changes or adds goes, the built rows come back (a fresh application per test, `client`)."""
    reset(migrated_engine, built.rows)
    db.set_engine(migrated_engine)
    yield migrated_engine
    db.set_engine(None)


@pytest.mark.parametrize("route", sorted(REQUESTS))
def test_route_allows_exactly_its_actors(route: str, client: TestClient, built: Built) -> None:
    expectation, request = REQUESTS[route]
    allowed = ALLOWED[expectation]
    world, scene = built.world, built.scene
    # refused actors first (they change nothing), then the allowed ones
    for who in sorted(ACTORS, key=lambda a: a in allowed):
        if route.startswith("DELETE /api/v1/") and "{record_id}" in route and who in allowed:
            scene = _make_scene(client, world) if who != sorted(allowed)[0] else scene
        status = request(client, world, scene, who).status_code
        if who in allowed:
            assert status not in (401, 403, 404), f"{route}: {who} was refused ({status})"
        else:
            # a throttle's 429 is a refusal too (the unsigned SMS route counts refusals per claimed number)
            assert status in (401, 403, 404, 429), f"{route}: {who} got through ({status})"
