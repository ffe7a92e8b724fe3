"""Importing a partner's bundle through the API, on SQLite and PostgreSQL: per object answers, provenance,
the audit record, who may, a later version that keeps what analysts decided, linking into a local event,
and random mutations that never cause a server error or store a refused object."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any
from typing import Any as World  # the suite's `world` fixture (tests/conftest.py)

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from outrider import db
from outrider.accounts.models import User
from outrider.audit.models import AuditRecord
from outrider.http import caller_of
from outrider.intel.models import IntelActor, IntelEvent, IntelIncident, IntelReport
from outrider.sharing import imports, policy, stix_export, stix_import
from outrider.sharing.markings import Tlp
from partner_bundles import RECEIVER, SENDER, T0, bundle, generic_bundle, ident, releasables

S = "/api/v1/sharing"
MODELS = (IntelActor, IntelEvent, IntelIncident, IntelReport)


def _import(
    client: TestClient, world: World, body: Any, who: str = "analyst", partner: str = "embassy"
) -> Any:
    org = world.orgs[partner]
    return client.post(f"{S}/import?partner_org_id={org}", json=body, headers=world[who].headers)


def _stored(model: Any, stix_id: str) -> Any:
    with Session(db.get_engine()) as session:
        return session.scalar(select(model).where(model.stix_id == stix_id))


def test_an_import_answers_object_by_object_keeps_provenance_and_is_audited(
    client: TestClient, world: World
) -> None:
    over = bundle(second_event=Tlp.red)
    for who in ("liaison", "embassy_admin", "acme_admin", "coord", "other_coord", "auditor", "duty"):
        assert _import(client, world, over, who).status_code == 403, who
    assert _stored(IntelEvent, ident("event", 11)) is None  # nothing was written by a refused caller
    r = _import(client, world, over)
    assert r.status_code == 200, r.text
    answer = r.json()
    by_id = {o["id"]: o for o in answer["objects"]}
    assert by_id[ident("event", 12)]["status"] == "rejected"
    assert "TLP:RED, above the TLP:AMBER+STRICT" in by_id[ident("event", 12)]["reason"]
    assert by_id[ident("event", 11)]["outcome"] == "created" and answer["rejected"] >= 1
    assert _stored(IntelEvent, ident("event", 12)) is None
    event = _stored(IntelEvent, ident("event", 11))
    assert (event.source_org_id, event.bundle_id, event.marking) == (
        world.orgs["embassy"],
        over["id"],
        "TLP:GREEN",
    )
    assert (event.killed, event.city, event.status) == (2, "Karachi", "confirmed")
    report = _stored(IntelReport, ident("report", 31))
    assert (report.title, report.outlet, report.source, report.ingested_by) == (
        "Blast near airport",
        "Dawn",
        "https://news.example/a",
        world["analyst"].user_id,
    )
    incident = _stored(IntelIncident, ident("incident", 21))
    assert (incident.event_id, incident.report_id, incident.status) == (event.id, report.id, "proposed")
    with Session(db.get_engine()) as session:
        record = session.scalars(select(AuditRecord).where(AuditRecord.action == "sharing.import")).one()
    details = record.details
    assert details["bundle"] == over["id"] and details["partner"] == world.orgs["embassy"]
    sent = next(o for o in over["objects"] if o["id"] == ident("event", 11))
    assert dict(details["accepted"])[ident("event", 11)] == stix_export.object_hash(sent)
    assert by_id[ident("event", 11)]["sha256"] == stix_export.object_hash(sent)
    assert len(details["accepted"]) == answer["accepted"]  # context objects too (places, relations)
    assert [ident("event", 12), by_id[ident("event", 12)]["reason"]] in details["rejected"]
    # the holder's own organisation is no partner; a bundle that is none is refused whole
    assert _import(client, world, bundle(), partner="host").status_code == 422
    bad = _import(client, world, {"type": "bundle", "id": "bundle--nope", "objects": []})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")


def test_a_later_version_updates_only_what_no_analyst_decided(client: TestClient, world: World) -> None:
    assert _import(client, world, bundle()).status_code == 200
    event, report = _stored(IntelEvent, ident("event", 11)), _stored(IntelReport, ident("report", 31))
    analyst = world["analyst"].headers
    edit = client.patch(f"/api/v1/intel/events/{event.id}", json={"killed": 3}, headers=analyst)
    assert edit.status_code == 200, edit.text
    mark = {"marking": "TLP:AMBER", "reason": "our source says more"}
    assert client.put(f"{S}/markings/report/{report.id}", json=mark, headers=analyst).status_code == 200
    incident = _stored(IntelIncident, ident("incident", 21))
    confirm = client.post(f"/api/v1/intel/incidents/{incident.id}/confirm", json={}, headers=analyst)
    assert confirm.status_code == 200, confirm.text

    later = bundle(stamp=T0 + timedelta(days=1))
    for o in later["objects"]:
        if o["id"] == ident("event", 11):
            (ext,) = o["extensions"].values()
            ext |= {"killed": 4, "admin1": "Sindh province"}
        if o["id"] == ident("report", 31):
            o["name"] = "Blast near the airport"
        if o["id"] == ident("event", 12):
            (ext,) = o["extensions"].values()
            ext["killed"] = 7
    answer = {o["id"]: o for o in _import(client, world, later).json()["objects"]}
    assert (
        "killed" in answer[ident("event", 11)]["kept"] and answer[ident("event", 11)]["outcome"] == "updated"
    )
    assert answer[ident("report", 31)]["kept"] == ["marking"]
    event, report = _stored(IntelEvent, ident("event", 11)), _stored(IntelReport, ident("report", 31))
    assert (event.killed, event.admin1) == (3, "Sindh province")  # the analyst's override stays
    assert (report.title, report.marking) == ("Blast near the airport", "TLP:AMBER")
    # the confirmed corroboration keeps the values the analyst confirmed
    assert _stored(IntelIncident, ident("incident", 21)).killed == 2
    assert "killed" in answer[ident("incident", 21)]["kept"]
    # event 12 came without a corroboration: one stands for the partner's account, and follows its event
    account = _account_of(ident("event", 12))
    assert (account.killed, account.stix_id, account.status) == (7, None, "proposed")
    again = _import(client, world, later).json()["objects"]
    assert {o["outcome"] for o in again if o["kind"]} <= {"unchanged", "linked"}


def _account_of(event_stix_id: str) -> IntelIncident:
    with Session(db.get_engine()) as session:
        event = session.scalars(select(IntelEvent).where(IntelEvent.stix_id == event_stix_id)).one()
        return session.scalars(select(IntelIncident).where(IntelIncident.event_id == event.id)).one()


def test_a_partners_account_of_a_local_event_joins_it(client: TestClient, world: World) -> None:
    text = (
        "Police post attacked in Quetta\n\nQuetta: Gunmen attacked a police checkpoint in Quetta on Sunday "
        "night, killing two policemen and wounding three others, officials said.\n"
    )
    body = {"text": text, "source": "https://news.example/q", "published": "2024-03-05"}
    analyst = world["analyst"].headers
    report = client.post("/api/v1/intel/reports", json=body, headers=analyst).json()[0]["report_id"]
    incident = client.get(f"/api/v1/intel/reports/{report}", headers=analyst).json()["incident_ids"][0]
    local = client.get(f"/api/v1/intel/incidents/{incident}", headers=analyst).json()
    theirs = bundle()
    for o in theirs["objects"]:
        if o["id"] == ident("event", 11):
            (ext,) = o["extensions"].values()
            ext |= {k: local[k] for k in ("date", "country", "city", "attack_type", "weapon", "target_type")}
            ext |= {"killed": local["killed"], "wounded": local["wounded"], "admin1": local["admin1"]}
            ext |= {"location_text": local["location_text"], "lat": local["lat"], "lon": local["lon"]}
            ext |= {
                "perpetrator": local["perpetrator"],
                "suicide": local["suicide"],
                "claimed": local["claimed"],
            }
    answer = {o["id"]: o for o in _import(client, world, theirs).json()["objects"]}
    assert answer[ident("event", 11)]["outcome"] == "linked", answer[ident("event", 11)]
    joined = _stored(IntelIncident, ident("incident", 21))
    assert joined.event_id == local["event_id"]
    merged = _stored(IntelEvent, ident("event", 11))
    assert (merged.status, merged.merged_into) == ("merged", local["event_id"])
    ours = client.get(f"/api/v1/intel/events/{local['event_id']}", headers=analyst).json()
    assert ours["reports"] == 2  # our outlet and the partner's


_KEYS = st.sampled_from(
    [
        "id",
        "spec_version",
        "modified",
        "object_marking_refs",
        "name",
        "published",
        "object_refs",
        "sighting_of_ref",
        "aliases",
        "first_seen",
        "lang",
        "external_references",
        "extensions",
    ]
)
_VALUES = st.one_of(
    st.none(),
    st.integers(-(2**70), 2**70),
    st.text(max_size=600),
    st.lists(st.text(max_size=5), max_size=3),
    st.just({"extension-definition--00000000-0000-4000-8000-000000000000": {"killed": 10**9}}),
    st.just([{"source_name": "x" * 300, "url": "https://news.example/" + "y" * 600}]),
    st.floats(allow_nan=False, allow_infinity=False),  # JSON carries no NaN (the pure test tries them)
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_mutations_never_fail_the_server_nor_store_a_refused_object(
    data: st.DataObject, engine: Engine, world: World, client: TestClient
) -> None:
    theirs = bundle()
    for _ in range(data.draw(st.integers(1, 3))):
        obj = data.draw(st.sampled_from(theirs["objects"]))
        key, value = data.draw(_KEYS), data.draw(_VALUES)
        if key == "extensions" and obj["type"] == "incident":
            (ext,) = obj["extensions"].values()
            ext[data.draw(st.sampled_from(["killed", "city", "lat", "date", "attack_type"]))] = value
        else:
            obj[key] = value
    r = _import(client, world, theirs)
    assert r.status_code in (200, 422), r.text
    with Session(engine) as session:
        stored = {s for m in MODELS for s in session.scalars(select(m.stix_id).where(m.stix_id.is_not(None)))}
        answer = r.json()["objects"] if r.status_code == 200 else []
        assert stored <= {o["id"] for o in answer if o["status"] == stix_import.ACCEPTED}
        _forget_imports(session)


def _forget_imports(session: Session) -> None:
    """Undo an example's import, so that each starts from the same store."""
    mine = (IntelIncident, IntelReport, IntelEvent, IntelActor)
    for event in session.scalars(select(IntelEvent).where(IntelEvent.source_org_id.is_not(None))):
        event.merged_into = None
    session.flush()
    for model in mine:
        for row in session.scalars(select(model).where(model.source_org_id.is_not(None))):
            session.delete(row)
        session.flush()
    session.commit()


def test_two_imports_of_one_bundle_at_once_store_it_once(engine: Engine, world: World) -> None:
    theirs, barrier, errors = bundle(), threading.Barrier(2), []
    with db.transaction() as session:  # the partner is known (its import source row exists): the lock decides
        caller = caller_of(session.get_one(User, world["analyst"].user_id))
        empty = {"type": "bundle", "id": "bundle--6b3e1d1e-5d55-4a43-9a8e-3c1f3bb1a009", "objects": []}
        imports.import_bundle(
            session, caller=caller, partner_org_id=world.orgs["embassy"], bundle=empty, now=T0
        )

    def run() -> None:
        try:
            barrier.wait(timeout=30)  # SQLite serialises whole transactions; PostgreSQL runs both at once
            with db.transaction() as session:
                caller = caller_of(session.get_one(User, world["analyst"].user_id))
                imports.import_bundle(
                    session, caller=caller, partner_org_id=world.orgs["embassy"], bundle=theirs, now=T0
                )
        except Exception as exc:  # collected: the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    with Session(engine) as session:
        stored = session.scalars(select(IntelEvent.id).where(IntelEvent.stix_id == ident("event", 11))).all()
        assert len(stored) == 1


def test_a_partners_actor_that_names_ours_is_ours(client: TestClient, world: World) -> None:
    analyst = world["analyst"].headers
    ours = {"name": "Coastal Front", "kind": "group", "aliases": ["FOC"], "notes": "ours"}
    made = client.post("/api/v1/intel/actors", json=ours, headers=analyst)
    assert made.status_code == 201, made.text
    theirs = bundle()
    for o in theirs["objects"]:
        if o["id"] == ident("actor", 7):
            o["aliases"] = ["FOC", "F", "Coast Front"]
    answer = {o["id"]: o for o in _import(client, world, theirs).json()["objects"]}
    assert answer[ident("actor", 7)]["outcome"] == "linked"
    assert answer[ident("actor", 7)]["outrider_id"] == made.json()["id"]
    with Session(db.get_engine()) as session:
        actor = session.get_one(IntelActor, made.json()["id"])
        assert (actor.name, actor.notes) == ("Coastal Front", "ours")  # never renamed nor rewritten
        # it learns the partner's spellings, but not one too short to name anything safely
        assert actor.aliases == ["Coast Front", "FOC", "Front of the Coast"]


def test_an_anonymised_corroboration_comes_in_under_a_report_standing_for_it(
    client: TestClient, world: World
) -> None:
    terms = policy.terms_of(
        {
            "max_marking": "TLP:AMBER",
            "object_types": list(policy.OBJECT_TYPES),
            "fields": dict.fromkeys(policy.OBJECT_TYPES, "*"),
            "anonymise_corroborations": True,
        }
    )
    released = policy.release(releasables(), terms).released
    anonymous = stix_export.build(released, sender=SENDER, receiver=RECEIVER).bundle
    answer = _import(client, world, anonymous)
    assert answer.status_code == 200 and answer.json()["rejected"] == answer.json()["ignored"] == 0
    incident, report = (
        _stored(IntelIncident, ident("incident", 21)),
        _stored(IntelReport, ident("report", 31)),
    )
    assert incident.report_id != report.id  # the partner's report no longer names its corroboration
    with Session(db.get_engine()) as session:
        standing = session.get_one(IntelReport, incident.report_id)
        assert (standing.stix_id, standing.outlet, standing.published) == (None, None, None)
        assert standing.source_org_id == world.orgs["embassy"]


def test_an_analysts_merge_of_partner_events_stays(client: TestClient, world: World) -> None:
    assert _import(client, world, bundle()).status_code == 200
    eleven, twelve = _stored(IntelEvent, ident("event", 11)), _stored(IntelEvent, ident("event", 12))
    merge = {"other_event_id": twelve.id, "reason": "the same attack"}
    done = client.post(
        f"/api/v1/intel/events/{eleven.id}/merge", json=merge, headers=world["analyst"].headers
    )
    assert done.status_code == 200, done.text
    later = bundle(stamp=T0 + timedelta(days=2))
    for o in later["objects"]:
        if o["id"] == ident("event", 12):
            (ext,) = o["extensions"].values()
            ext |= {"killed": 7, "status": "confirmed"}
    answer = {o["id"]: o for o in _import(client, world, later).json()["objects"]}
    assert "status" in answer[ident("event", 12)]["kept"]
    twelve = _stored(IntelEvent, ident("event", 12))
    assert (twelve.status, twelve.merged_into) == ("merged", eleven.id)
    with Session(db.get_engine()) as session:
        inside = session.scalars(select(IntelIncident).where(IntelIncident.event_id == eleven.id)).all()
        assert (
            len(inside) == 2
            and not session.scalars(select(IntelIncident).where(IntelIncident.event_id == twelve.id)).all()
        )
        account = next(i for i in inside if i.stix_id is None)  # the partner's account of event 12 followed
        assert account.killed == 7


def test_a_generic_partners_bundle_is_stored(client: TestClient, world: World) -> None:
    generic, ids = generic_bundle()
    answer = {o["id"]: o for o in _import(client, world, generic).json()["objects"]}
    assert answer[ids["indicator"]]["status"] == "ignored"
    event = _stored(IntelEvent, ids["incident"])
    assert (event.city, event.perpetrator, event.attack_type, event.marking) == (
        "Gwadar",
        "Coast Front",
        "armed_assault",
        "TLP:AMBER",
    )
    actor = _stored(IntelActor, ids["threat-actor"])
    assert (actor.name, actor.aliases) == ("Coast Front", [])  # "CF" is too short to join the list
    seen = _stored(IntelIncident, ids["sighting"])
    with Session(db.get_engine()) as session:
        standing = session.get_one(IntelReport, seen.report_id)
        assert (seen.event_id, standing.published.isoformat(), seen.weapon) == (
            event.id,
            "2026-09-30",
            "unknown",
        )


def test_a_later_version_of_a_partners_actor_never_rewrites_ours(client: TestClient, world: World) -> None:
    """Linked to ours by a name, the partner's actor stays the partner's account of it: a later version of
    it (same STIX id, newer `modified`) neither renames ours, nor replaces its notes, nor drops its spellings
    (which extraction recognises), nor makes ours the partner's."""
    analyst = world["analyst"].headers
    ours = {"name": "Coastal Front", "kind": "group", "aliases": ["FOC"], "notes": "ours"}
    made = client.post("/api/v1/intel/actors", json=ours, headers=analyst)
    assert made.status_code == 201, made.text
    first = bundle()
    actor = next(o for o in first["objects"] if o["id"] == ident("actor", 7))
    actor["aliases"] = ["FOC"]
    assert _import(client, world, first).status_code == 200
    later = bundle()
    actor = next(o for o in later["objects"] if o["id"] == ident("actor", 7))
    modified = (T0 + timedelta(days=2)).isoformat().replace("+00:00", "Z")
    actor.update(
        name="Coastal Friends Society", aliases=[], description="a cultural society", modified=modified
    )
    answer = {o["id"]: o for o in _import(client, world, later).json()["objects"]}
    assert answer[ident("actor", 7)]["outrider_id"] == made.json()["id"]
    with Session(db.get_engine()) as session:
        row = session.get_one(IntelActor, made.json()["id"])
        assert (row.name, row.notes) == ("Coastal Front", "ours")
        assert "FOC" in row.aliases and row.source_org_id is None  # still ours, read as ours
