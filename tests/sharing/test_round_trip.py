"""Round trip: export for a partner on database A, import on a second, empty database B, on SQLite and
PostgreSQL: the same events, corroborations, reports and actors, field by field, with their markings;
importing again changes nothing; B's own export carries the same STIX ids."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from typing import Any as World  # the suite's `world` fixture (tests/conftest.py)

import pytest
import stix2
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fresh_databases import migrated_database
from outrider import db
from outrider.access.policy import Caller
from outrider.accounts import service as accounts_service
from outrider.accounts.models import User
from outrider.accounts.schemas import OrganizationCreate, OrgKind
from outrider.governance import service as governance_service
from outrider.http import caller_of
from outrider.intel.models import IntelActor, IntelEvent, IntelIncident, IntelReport
from outrider.sharing import imports, policy_store, service
from outrider.sharing.stix_export import object_id
from outrider.sharing.stix_values import EVENT_KEYS

S = "/api/v1/sharing"
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
EVERYTHING = {
    "max_marking": "TLP:AMBER+STRICT",
    "object_types": ["event", "incident", "report", "actor"],
    "fields": {"event": "*", "incident": "*", "report": "*", "actor": "*"},
    "anonymise_corroborations": False,
}
MODELS: dict[str, Any] = {
    "actor": IntelActor,
    "event": IntelEvent,
    "incident": IntelIncident,
    "report": IntelReport,
}


def _ingest(client: TestClient, world: World, town: str, n: int, day: str, claim: str = "") -> dict[str, int]:
    text = (
        f"Police post attacked in {town}\n\n{town}: Gunmen attacked a police checkpoint in {town} on Sunday "
        f"night, killing two policemen and wounding three others, officials said. {claim} Reference {n}.\n"
    )
    body = {"text": text, "source": f"https://news.example/{n}", "published": day}
    analyst = world["analyst"].headers
    report = client.post("/api/v1/intel/reports", json=body, headers=analyst).json()[0]["report_id"]
    incident = client.get(f"/api/v1/intel/reports/{report}", headers=analyst).json()["incident_ids"][0]
    event = client.get(f"/api/v1/intel/incidents/{incident}", headers=analyst).json()["event_id"]
    return {"report": report, "incident": incident, "event": event}


def _mark(client: TestClient, world: World, kind: str, ident: int, marking: str) -> None:
    body = {"marking": marking, "reason": "as agreed with the partner"}
    done = client.put(f"{S}/markings/{kind}/{ident}", json=body, headers=world["analyst"].headers)
    assert done.status_code == 200, done.text


def _agree(session: Session, host: Caller, partner: Caller, partner_org_id: int) -> None:
    row = policy_store.propose(
        session, caller=host, partner_org_id=partner_org_id, terms=EVERYTHING, comment="", now=NOW
    )
    for who in (host, partner):
        policy_store.approve(session, caller=who, policy_id=row.id, payload_hash=row.payload_hash, now=NOW)


def _callers(session: Session, *names: str) -> list[Caller]:
    return [caller_of(session.scalars(select(User).where(User.username == n)).one()) for n in names]


@pytest.fixture
def second(migrated_engine: Engine, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """Database B: empty, of the same kind as A, with a host, a partner embassy and their people."""
    engine = migrated_database(migrated_engine.dialect.name, request, tmp_path)
    yield engine
    engine.dispose()


def _world_b(session: Session) -> dict[str, int]:
    orgs = {}
    for key, name, kind in (
        ("host", "Receiving Host", OrgKind.host_security),
        ("embassy", "Sending Embassy", OrgKind.partner_government),
    ):
        org = accounts_service.create_organization(
            session, data=OrganizationCreate(name=name, kind=kind, country="PK"), now=NOW
        )
        orgs[key] = org.id
    for username, org, roles in (
        ("b_analyst", "host", ["analyst"]),
        ("b_admin", "host", ["admin"]),
        ("b_embassy_admin", "embassy", ["admin"]),
    ):
        session.add(
            User(
                username=username,
                full_name=username,
                organization_id=orgs[org],
                roles=roles,
                password_hash="x",
                is_active=True,
                created_at=NOW,
            )
        )
    session.flush()
    governance_service.found(
        session, host_ref=str(orgs["host"]), partner_ref=str(orgs["embassy"]), comment="", now=NOW
    )
    return orgs


def _on(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def _rows(session: Session, kind: str) -> list[Any]:
    return list(session.scalars(select(MODELS[kind]).order_by(MODELS[kind].id)))


def _effective(row: Any) -> str:
    return str(row.marking or "TLP:AMBER")  # an unmarked object carries the holder's default (TLP:AMBER)


def _dump(session: Session) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for kind in MODELS:
        table = MODELS[kind].__table__
        out[kind] = [
            {c.name: getattr(r, c.key) for c in table.columns if c.key not in ("updated_at",)}
            for r in _rows(session, kind)
        ]
    return out


def test_export_then_import_on_an_empty_database_gives_the_same_intelligence(
    client: TestClient, world: World, second: Engine
) -> None:
    one = _ingest(client, world, "Quetta", 1, "2024-03-05", "The Balochistan Liberation Army claimed it.")
    _ingest(client, world, "Quetta", 2, "2024-03-05")  # a second outlet's account of the same attack
    other = _ingest(client, world, "Gwadar", 3, "2024-05-20")
    secret = _ingest(client, world, "Turbat", 4, "2024-07-01")
    _mark(client, world, "event", one["event"], "TLP:GREEN")
    _mark(client, world, "report", other["report"], "TLP:AMBER+STRICT")
    _mark(client, world, "event", secret["event"], "TLP:RED")  # never leaves under this policy
    with db.transaction() as session:
        host, partner = _callers(session, "admin", "embassy_admin")
        _agree(session, host, partner, world.orgs["embassy"])
        bundle = service.export(
            session, caller=_callers(session, "analyst")[0], partner_org_id=world.orgs["embassy"], now=NOW
        ).bundle
    stix2.parse(json.dumps(bundle), allow_custom=True)
    sent = {o["id"] for o in bundle["objects"]}
    seen = [o["sighting_of_ref"] for o in bundle["objects"] if o["type"] == "sighting"]
    assert len(seen) == 3 and len(set(seen)) == 2  # two outlets told the first attack
    assert any(o.get("relationship_type") == "attributed-to" for o in bundle["objects"])

    with _on(second) as b, b.begin():
        orgs = _world_b(b)
        (analyst,) = _callers(b, "b_analyst")
        done = imports.import_bundle(
            b, caller=analyst, partner_org_id=orgs["embassy"], bundle=bundle, now=NOW
        )
    assert done.count("rejected") == 0 and done.count("ignored") == 0, done.objects
    assert {o.id for o in done.objects} == sent

    with db.transaction() as a, _on(second) as b:
        _same_intelligence(a, b, sent)
        before = _dump(b)
    with _on(second) as b, b.begin():
        again = imports.import_bundle(
            b, caller=analyst, partner_org_id=orgs["embassy"], bundle=bundle, now=NOW
        )
    assert {o.outcome for o in again.objects if o.kind} <= {"unchanged", "linked"}
    with _on(second) as b:
        assert _dump(b) == before  # the same bundle twice changes nothing

    with _on(second) as b, b.begin():
        host_b, partner_b = _callers(b, "b_admin", "b_embassy_admin")
        _agree(b, host_b, partner_b, orgs["embassy"])
        again_out = service.export(b, caller=analyst, partner_org_id=orgs["embassy"], now=NOW).bundle
    kinds = ("incident", "sighting", "report", "threat-actor", "attack-pattern")
    assert {i for i in sent if i.split("--")[0] in kinds} == {
        o["id"] for o in again_out["objects"] if o["type"] in kinds
    }


def _same_intelligence(a: Session, b: Session, sent: set[str]) -> None:
    """Every object that left A is in B with the same values and marking, compared field by field."""
    for kind in MODELS:
        mine = {object_id(kind, r.id): r for r in _rows(a, kind) if object_id(kind, r.id) in sent}
        theirs = {r.stix_id: r for r in _rows(b, kind) if r.stix_id}
        assert set(mine) == set(theirs), kind
        assert mine, kind
        for ident, row in mine.items():
            copy = theirs[ident]
            assert _effective(row) == _effective(copy), (kind, ident)
            for name in _fields(kind):
                assert getattr(copy, name) == getattr(row, name), (kind, name)
            if kind == "incident":
                events_a, events_b = (s.get_one(IntelEvent, x.event_id) for s, x in ((a, row), (b, copy)))
                assert object_id("event", events_a.id) == events_b.stix_id
                reports_a, reports_b = (s.get_one(IntelReport, x.report_id) for s, x in ((a, row), (b, copy)))
                assert object_id("report", reports_a.id) == reports_b.stix_id
    assert not [e for e in _rows(b, "event") if e.marking == "TLP:RED"]


def _fields(kind: str) -> tuple[str, ...]:
    return {
        "actor": ("name", "aliases", "notes"),
        "event": EVENT_KEYS,
        "incident": (),
        "report": ("title", "outlet", "published", "language", "source"),
    }[kind]
