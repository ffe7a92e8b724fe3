"""Need-to-know drawn by person and unit: the airport attack replayed through the API.

The insider is a duty officer of the protection unit with no part in the trip: before, the list was drawn per
organisation and he read the itinerary; the risk of the movement and the cordon alert gave him its departure
time unrecorded. Now he gets the summary, his refusals are in the audit chain, and the channels carry no
itinerary fact to him. Also: registry changes are audited, the host force sees the protectees it escorts,
and an airport registered once by host security is referenced by a company's movement.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import event, select

from outrider import db
from outrider.access.need_to_know import ItineraryFacts, itinerary_access
from outrider.access.policy import Caller
from outrider.audit.models import AuditRecord

ROUTE = {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.20, 24.88], [67.35, 24.78]]}


class _Token:
    def __init__(self, user_id: int, token: str) -> None:
        self.user_id = user_id
        self.headers = {"Authorization": f"Bearer {token}"}


def _user(world: Any, org: str, username: str, role: str) -> _Token:
    """A further user of the test world (the insider), with a token."""
    from outrider.accounts import service
    from outrider.accounts.schemas import TokenCreate, UserCreate

    with db.transaction() as session:
        user, _ = service.create_user(
            session,
            data=UserCreate(username=username, organization_id=world.orgs[org], roles=[role]),
            now=db.utcnow(),
        )
        _, token = service.issue_token(session, user=user, data=TokenCreate(), now=db.utcnow())
        return _Token(user.id, token)


def _ok(resp: Any, code: int = 200) -> Any:
    assert resp.status_code == code, resp.text
    return resp.json() if resp.content else None


def _post(client: TestClient, path: str, body: dict[str, Any], who: Any, code: int = 201) -> Any:
    return _ok(client.post(f"/api/v1/{path}", json=body, headers=who.headers), code)


def _get(client: TestClient, path: str, who: Any) -> Any:
    return client.get(f"/api/v1/{path}", headers=who.headers)


def _audit(action_prefix: str) -> list[AuditRecord]:
    with db.transaction() as session:
        rows = session.scalars(
            select(AuditRecord).where(AuditRecord.action.startswith(action_prefix)).order_by(AuditRecord.seq)
        )
        return list(rows)


@pytest.fixture
def trip(client: TestClient, world: Any) -> dict[str, Any]:
    """Acme's CN engineer from the airport (a shared place of host security), departing in 30 minutes,
    escorted by unit F-7 whose member is the duty officer; an insider duty officer of the same force."""
    airport = _post(
        client,
        "sites",
        {
            "name": "Jinnah Airport",
            "kind": "airport",
            "lat": 24.9065,
            "lon": 67.1608,
            "inner_radius_m": 400,
            "outer_radius_m": 1500,
        },
        world["admin"],
    )
    person = _post(client, "persons", {"name": "CN Engineer", "nationality": "CN"}, world["coord"])
    unit = _post(client, "escort-units", {"call_sign": "F-7", "strength": 6}, world["duty"])
    _post(client, f"escort-units/{unit['id']}/members", {"user_id": world["duty"].user_id}, world["admin"])
    dep = datetime.now(UTC) + timedelta(minutes=30)
    m = _post(
        client,
        "movements",
        {
            "origin": {"site_id": airport["id"]},  # referenced, not copied
            "destination": {"lat": 24.78, "lon": 67.35, "label": "Plant"},
            "route": ROUTE,
            "planned_departure": dep.isoformat(),
            "planned_arrival": (dep + timedelta(hours=1)).isoformat(),
            "person_ids": [person["id"]],
        },
        world["coord"],
    )
    _post(client, f"movements/{m['id']}/submit", {}, world["coord"], 200)
    _post(client, f"movements/{m['id']}/escort", {"unit_ids": [unit["id"]]}, world["duty"], 200)
    insider = _user(world, "host", "insider", "duty_officer")
    return {"movement": m, "dep": dep, "unit": unit, "airport": airport, "person": person, "insider": insider}


def _clock_readings(text: str) -> set[str]:
    """Every "HH:MM" that starts a time of day in a text: not the minutes and seconds inside another time
    ("23:00:07" reads 23:00, not 00:07), nor a zone offset ("+00:00")."""
    return set(re.findall(r"(?<![\d:+\-])(\d{2}:\d{2})", text))


def _tells_the_time(text: str, dep: datetime) -> bool:
    """Whether a response spells the departure time, in UTC or local, as a date-time or a clock reading."""
    utc = dep.astimezone(UTC)
    stamps = (utc.isoformat()[:16], dep.isoformat()[:16])
    return any(s in text for s in stamps) or utc.strftime("%H:%M") in _clock_readings(text)


def test_a_clock_reading_is_told_from_offsets_and_seconds() -> None:
    dep = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)
    assert not _tells_the_time('{"computed_at":"2026-12-06T23:30:00.5+00:00"}', dep)
    assert not _tells_the_time('{"at":"2026-12-06T23:00:00+00:00"}', dep)
    assert _tells_the_time('{"note":"leaves 00:00"}', dep)
    assert _tells_the_time('{"due":"2026-12-07T00:00:00+00:00"}', dep)


def test_insider_is_refused_and_the_refusal_is_audited(
    client: TestClient, world: Any, trip: dict[str, Any]
) -> None:
    mid, insider = trip["movement"]["id"], trip["insider"]
    seen = _ok(_get(client, f"movements/{mid}", insider))
    assert not seen["itinerary_visible"] and seen["route"] is None and seen["planned_departure"] is None
    assert "need-to-know" in seen["itinerary_note"]
    assert _get(client, f"movements/{mid}/timeline", insider).status_code == 403  # recorded after rollback
    escort = _ok(_get(client, f"movements/{mid}", world["duty"]))  # the unit's member, within the release
    assert escort["itinerary_visible"] and escort["route"] == ROUTE
    refused = [r for r in _audit("movement.itinerary_refused") if r.user_id == insider.user_id]
    assert len(refused) >= 2 and {r.details["via"] for r in refused} >= {"movement", "itinerary"}
    report = _ok(_get(client, f"movements/{mid}/who-knew", world["auditor"]))
    assert "insider" not in {r["username"] for r in report["readers"]}
    assert "duty" in {r["username"] for r in report["readers"]}
    assert {r["username"]: r["reads"] for r in report["refused"]}["insider"] >= 2
    could = {m["username"] for m in report["could_have"]}
    assert "duty" in could and "insider" not in could


def test_the_unit_decides_not_the_organisation(client: TestClient, world: Any, trip: dict[str, Any]) -> None:
    mid, unit = trip["movement"]["id"], trip["unit"]["id"]
    insider = trip["insider"]
    # nobody puts themselves on a list; a company cannot touch host security's units
    _post(client, f"escort-units/{unit}/members", {"user_id": world["duty"].user_id}, world["duty"], 403)
    _post(client, f"escort-units/{unit}/members", {"user_id": world["coord"].user_id}, world["admin"], 422)
    assert _get(client, f"escort-units/{unit}/members", world["coord"]).status_code == 404
    _post(client, f"escort-units/{unit}/members", {"user_id": insider.user_id}, world["duty"])
    assert _ok(_get(client, f"movements/{mid}", insider))["itinerary_visible"]
    members = {m["user_id"] for m in _ok(_get(client, f"escort-units/{unit}/members", world["admin"]))}
    assert members == {world["duty"].user_id, insider.user_id}
    gone = client.delete(
        f"/api/v1/escort-units/{unit}/members/{insider.user_id}", headers=world["admin"].headers
    )
    assert gone.status_code == 204
    assert not _ok(_get(client, f"movements/{mid}", insider))["itinerary_visible"]
    actions = [(r.action, r.details.get("user_id")) for r in _audit("registry.unit.member")]
    assert ("registry.unit.member_added", insider.user_id) in actions
    assert ("registry.unit.member_removed", insider.user_id) in actions


def test_risk_of_a_movement_carries_no_time_to_the_insider(
    client: TestClient, world: Any, trip: dict[str, Any]
) -> None:
    mid = trip["movement"]["id"]
    resp = _get(client, f"risk/movements/{mid}", trip["insider"])
    body = _ok(resp)
    assert "scored_for" not in body and "drivers" not in body and "level" in body
    assert not _tells_the_time(resp.text, trip["dep"])
    assert any(r.user_id == trip["insider"].user_id for r in _audit("movement.itinerary_refused"))
    assert "scored_for" in _ok(_get(client, f"risk/movements/{mid}", world["duty"]))


def test_a_cordon_alert_names_the_movement_not_its_time(
    client: TestClient, world: Any, trip: dict[str, Any]
) -> None:
    from outrider.movements.models import Movement

    with db.transaction() as session:
        m = session.get(Movement, trip["movement"]["id"])
        assert m is not None
        m.status = "approved"  # the approval flow is tested elsewhere; here only the schedule matters
    start = datetime.now(UTC) - timedelta(minutes=25)
    zone = f"site:{trip['airport']['id']}:outer"
    events = [
        {"plate": "PICKUP", "at": (start + timedelta(minutes=k)).isoformat(), "zone_id": zone}
        for k in range(0, 25, 5)
    ]
    r = _post(client, "cordon/events", {"events": events, "flush": True}, world["duty"], 200)
    [alert] = [a for a in r["alerts"] if a["kind"] == "dwell"]
    assert alert["severity"] == "critical" and "a protected movement is due" in alert["title"]
    stored = _get(client, f"alerts/{alert['alert_id']}", trip["insider"])
    body = _ok(stored)
    assert body["details"]["evidence"]["movement_due"] is True
    # off the need-to-know list: neither the movement's reference nor its time
    assert body["details"]["evidence"]["movements"] == [] and body["details"]["itinerary"] == []
    assert trip["movement"]["reference"] not in stored.text
    assert not _tells_the_time(stored.text, trip["dep"])
    # the escort unit's member reads both, the time in the movement's local time
    escort = _ok(_get(client, f"alerts/{alert['alert_id']}", world["duty"]))
    assert escort["details"]["evidence"]["movements"] == [trip["movement"]["reference"]]
    [entry] = escort["details"]["itinerary"]
    assert entry["reference"] == trip["movement"]["reference"]
    assert datetime.fromisoformat(entry["due"]) == trip["dep"].replace(microsecond=trip["dep"].microsecond)
    assert entry["due"].endswith("+05:00")
    # the escort's read of the time is recorded, as a board read is (who knew finds it: `via: alerts`);
    # the insider, shown no itinerary fact, read none
    alert_reads = [r for r in _audit("movement.read_itinerary") if r.details.get("via") == "alerts"]
    assert {r.user_id for r in alert_reads} == {world["duty"].user_id}
    assert str(trip["movement"]["id"]) in alert_reads[-1].details["movements"]
    report = _ok(_get(client, f"movements/{trip['movement']['id']}/who-knew", world["auditor"]))
    readers = {r["username"]: r for r in report["readers"]}
    assert "duty" in readers and "insider" not in readers
    listed = _ok(_get(client, "alerts", world["duty"]))  # the list records the same way
    assert any(a["id"] == alert["alert_id"] for a in listed["items"])
    more = [r for r in _audit("movement.read_itinerary") if r.details.get("via") == "alerts"]
    assert len(more) == len(alert_reads) + 1
    assert _get(client, "alerts/cap.atom", world["duty"]).status_code == 200  # and the signed-in CAP feed
    feed = [r for r in _audit("movement.read_itinerary") if r.details.get("via") == "alerts"]
    assert len(feed) == len(more) + 1 and {r.user_id for r in feed} == {world["duty"].user_id}


def test_registry_changes_are_audited(client: TestClient, world: Any) -> None:
    admin = world["admin"]
    site = _post(
        client,
        "sites",
        {
            "name": "Camp",
            "kind": "camp",
            "lat": 24.8,
            "lon": 67.3,
            "inner_radius_m": 100,
            "outer_radius_m": 500,
        },
        admin,
    )
    other = _post(client, "sites", {"name": "Camp 2", "kind": "camp", "lat": 24.7, "lon": 67.2}, admin)
    _ok(client.patch(f"/api/v1/sites/{site['id']}", json={"outer_radius_m": 900}, headers=admin.headers))
    unit = _post(
        client, "escort-units", {"call_sign": "B-1", "strength": 4, "base_site_id": site["id"]}, world["duty"]
    )
    _ok(
        client.patch(
            f"/api/v1/escort-units/{unit['id']}", json={"base_site_id": other["id"]}, headers=admin.headers
        )
    )
    assert client.delete(f"/api/v1/sites/{site['id']}", headers=admin.headers).status_code == 204
    person = _post(client, "persons", {"name": "Secret Name", "nationality": "CN"}, world["coord"])
    assert client.delete(f"/api/v1/persons/{person['id']}", headers=world["coord"].headers).status_code == 204
    rows = _audit("registry.")
    got = {(r.action, r.object_id) for r in rows}
    assert {
        ("registry.site.created", str(site["id"])),
        ("registry.site.changed", str(site["id"])),
        ("registry.site.deleted", str(site["id"])),
        ("registry.unit.created", str(unit["id"])),
        ("registry.unit.changed", str(unit["id"])),
        ("registry.person.created", str(person["id"])),
        ("registry.person.deleted", str(person["id"])),
    } <= got
    ring = next(r for r in rows if r.action == "registry.site.changed")
    assert ring.details["changes"]["outer_radius_m"] == [500, 900] and ring.user_id == admin.user_id
    base = next(r for r in rows if r.action == "registry.unit.changed")
    assert base.details["changes"]["base_site_id"] == [site["id"], other["id"]]
    assert not any("Secret Name" in str(r.details) for r in rows)  # a protectee's details stay out
    assert _ok(_get(client, "audit/verify", world["auditor"]))["ok"]


def test_host_sees_the_protectees_of_the_movements_it_escorts(
    client: TestClient, world: Any, trip: dict[str, Any]
) -> None:
    pid = trip["person"]["id"]
    assert _get(client, f"persons/{pid}", world["duty"]).status_code == 200  # escorted by a host unit
    listed = {p["id"] for p in _ok(_get(client, "persons", world["duty"]))["items"]}
    assert pid in listed
    lone = _post(client, "persons", {"name": "Not Travelling", "nationality": "CN"}, world["coord"])
    assert _get(client, f"persons/{lone['id']}", world["duty"]).status_code == 404  # no more than that
    assert lone["id"] not in {p["id"] for p in _ok(_get(client, "persons", world["duty"]))["items"]}


def test_a_scope_read_among_some_persons_answers_for_them_as_the_whole_scope_does(
    client: TestClient, world: Any, trip: dict[str, Any]
) -> None:
    """The board asks the registry only about the persons on its lines (`visible(..., among=...)`): the
    escorted protectees are read among them, and the answer for them is the whole scope's."""
    from outrider.access.policy import RecordKind
    from outrider.accounts.models import User
    from outrider.http import caller_of
    from outrider.registry import service as registry_service

    lone = _post(client, "persons", {"name": "Not Travelling", "nationality": "CN"}, world["coord"])
    spec = registry_service.SPECS[RecordKind.person]
    asked = {trip["person"]["id"], 10_000}  # the coordinator reads the lone person too: not asked about
    with db.transaction() as session:
        for username in ("duty", "insider", "coordinator"):
            caller = caller_of(session.get(User, _user_id(world, trip, username)))
            whole = set(
                session.scalars(
                    registry_service.visible(spec, caller, session).with_only_columns(spec.model.id)
                )
            )
            among = registry_service.visible(spec, caller, session, among=asked).with_only_columns(
                spec.model.id
            )
            assert set(session.scalars(among)) == whole & asked, username
        assert lone["id"] in whole  # the coordinator's whole scope holds more than was asked about
        duty = caller_of(session.get(User, world["duty"].user_id))
        escorted = registry_service.escorted_person_ids(session, duty.organization_id, among=asked)
        assert escorted == {trip["person"]["id"]}
        assert not registry_service.escorted_person_ids(session, duty.organization_id, among={lone["id"]})


def _user_id(world: Any, trip: dict[str, Any], name: str) -> int:
    return {"duty": world["duty"], "insider": trip["insider"], "coordinator": world["coord"]}[name].user_id


def test_a_shared_airport_is_referenced_by_a_company_and_edited_by_its_owner(
    client: TestClient, world: Any, trip: dict[str, Any]
) -> None:
    airport = trip["airport"]["id"]
    assert trip["movement"]["origin"]["site_id"] == airport
    for who in ("coord", "other_coord", "liaison"):
        assert _get(client, f"sites/{airport}", world[who]).status_code == 200
    assert client.patch(
        f"/api/v1/sites/{airport}", json={"outer_radius_m": 10}, headers=world["coord"].headers
    ).status_code in (403, 404)
    _ok(
        client.patch(
            f"/api/v1/sites/{airport}", json={"outer_radius_m": 1600}, headers=world["admin"].headers
        )
    )
    # a host site of a private kind, and a company's own airport, are not shared
    base = _post(
        client, "sites", {"name": "SPU Base", "kind": "camp", "lat": 24.8, "lon": 67.0}, world["admin"]
    )
    strip = _post(
        client, "sites", {"name": "Acme Strip", "kind": "airport", "lat": 24.5, "lon": 67.0}, world["coord"]
    )
    assert _get(client, f"sites/{base['id']}", world["coord"]).status_code == 404
    assert _get(client, f"sites/{strip['id']}", world["other_coord"]).status_code == 404


def test_the_board_batches_its_queries(client: TestClient, world: Any, trip: dict[str, Any]) -> None:
    """No query per movement on the board (the cost was about 5 ms per movement on PostgreSQL)."""

    def board_selects() -> int:
        count = 0

        def on_execute(*args: Any) -> None:
            nonlocal count
            count += 1

        engine = db.get_engine()
        event.listen(engine, "before_cursor_execute", on_execute)
        try:
            _ok(_get(client, "movements", trip["insider"]))
        finally:
            event.remove(engine, "before_cursor_execute", on_execute)
        return count

    board_selects()  # the first request of a token does one-off work
    board_selects()  # a token's first use is written once (then kept to the minute): count a steady read
    few = board_selects()
    mid = trip["movement"]["id"]
    body = _ok(_get(client, f"movements/{mid}", world["coord"]))
    for k in range(6):
        dep = datetime.now(UTC) + timedelta(days=k + 2)
        _post(
            client,
            "movements",
            {
                "origin": {"site_id": trip["airport"]["id"]},
                "destination": {"lat": 24.78, "lon": 67.35},
                "route": ROUTE,
                "planned_departure": dep.isoformat(),
                "planned_arrival": (dep + timedelta(hours=1)).isoformat(),
                "person_ids": body["person_ids"],
            },
            world["coord"],
        )
    assert _ok(_get(client, "movements", trip["insider"]))["total"] == 7
    assert board_selects() <= few  # seven times the movements, no more queries (per row, it was 7+ each)


@given(
    user=st.integers(1, 50),
    org=st.integers(1, 4),
    kind=st.sampled_from(["host_security", "partner_government", "company", "other"]),
    roles=st.frozensets(
        st.sampled_from(["admin", "coordinator", "duty_officer", "liaison", "analyst", "auditor"])
    ),
    members=st.frozensets(st.integers(1, 50)),
    granted=st.frozensets(st.integers(1, 50)),
    minutes=st.integers(-3000, 3000),
)
def test_no_role_alone_opens_an_itinerary_outside_the_requesting_organisation(
    user: int,
    org: int,
    kind: str,
    roles: frozenset[str],
    members: frozenset[int],
    granted: frozenset[int],
    minutes: int,
) -> None:
    dep = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)
    facts = ItineraryFacts(
        requesting_org_id=3,
        nationalities=frozenset({"CN"}),
        escort_member_ids=members,
        area_member_ids=frozenset(),
        departure=dep,
        release_hours=24,
        granted_user_ids=granted,
        planner_user_ids=frozenset({99}),
    )
    caller = Caller(user, org, kind, "PK", roles)  # PK: no partner of the travellers' nationality
    decision = itinerary_access(caller, facts, now=dep + timedelta(minutes=minutes))
    on_list_as_person = user in members or user in granted
    if decision.allowed and org != 3:
        assert on_list_as_person and dep + timedelta(minutes=minutes) >= dep - timedelta(hours=24)


def test_read_scopes_for_shared_places_and_escorted_protectees() -> None:
    from outrider.access.policy import RecordKind, is_shared_place, read_scope

    company = Caller(1, 3, "company", "CN", frozenset({"coordinator"}))
    sites = read_scope(company, RecordKind.site)
    assert sites.allows(organization_id=1, shared=True) and not sites.allows(organization_id=1)
    assert is_shared_place(site_kind="airport", owner_org_kind="host_security")
    assert not is_shared_place(site_kind="airport", owner_org_kind="company")
    assert not is_shared_place(site_kind="camp", owner_org_kind="host_security")
    escorted = frozenset({5})
    duty = Caller(2, 1, "host_security", "PK", frozenset({"duty_officer"}))
    analyst = Caller(3, 1, "host_security", "PK", frozenset({"analyst"}))
    assert read_scope(duty, RecordKind.person, escorted_person_ids=escorted).allows(
        organization_id=3, record_id=5
    )
    assert not read_scope(duty, RecordKind.person, escorted_person_ids=escorted).allows(
        organization_id=3, record_id=6
    )
    assert not read_scope(analyst, RecordKind.person, escorted_person_ids=escorted).allows(
        organization_id=3, record_id=5
    )
    assert not read_scope(company, RecordKind.person, escorted_person_ids=escorted).allows(
        organization_id=9, record_id=5
    )


def test_demo_duty_officer_reads_escorted_itineraries_the_second_one_does_not(engine: Any) -> None:
    import json

    from typer.testing import CliRunner

    from outrider.cli import app

    runner = CliRunner()

    def js(*args: str) -> Any:
        result = runner.invoke(app, [*args, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    assert runner.invoke(app, ["demo", "load"]).exit_code == 0
    escorted = [i for i in js("movements", "board", "--as", "duty")["items"] if i["itinerary_visible"]]
    assert escorted  # the walk-through's duty officer serves in the demo's escort units
    assert not any(i["itinerary_visible"] for i in js("movements", "board", "--as", "duty2")["items"])
    shown = js("movements", "show", str(escorted[0]["id"]), "--as", "duty2")
    assert shown["route"] is None and shown["itinerary_visible"] is False
    unit = js("registry", "units", "list", "--as", "admin")["items"][0]["id"]
    from outrider.accounts.models import User

    with db.transaction() as session:
        duty2 = {"id": session.scalars(select(User.id).where(User.username == "duty2")).one()}
    assert (
        runner.invoke(
            app, ["registry", "members", "add", str(unit), str(duty2["id"]), "--as", "duty2"]
        ).exit_code
        != 0
    )
    js("registry", "members", "add", str(unit), str(duty2["id"]), "--as", "admin")
    listed = {m["user_id"] for m in js("registry", "members", "list", str(unit), "--as", "duty")}
    assert duty2["id"] in listed
    js("registry", "members", "remove", str(unit), str(duty2["id"]), "--as", "duty")


def test_a_deleted_unit_takes_its_members_with_it(client: TestClient, world: Any) -> None:
    """A new unit never inherits the members (and so the itineraries) of a deleted one."""
    from outrider.registry.models import UnitMember

    unit = _post(client, "escort-units", {"call_sign": "GONE-1", "strength": 3}, world["duty"])
    _post(client, f"escort-units/{unit['id']}/members", {"user_id": world["duty"].user_id}, world["admin"])
    assert (
        client.delete(f"/api/v1/escort-units/{unit['id']}", headers=world["admin"].headers).status_code == 204
    )
    with db.transaction() as session:
        assert session.scalars(select(UnitMember).where(UnitMember.unit_id == unit["id"])).all() == []
    fresh = _post(client, "escort-units", {"call_sign": "NEW-1", "strength": 3}, world["duty"])
    assert _ok(_get(client, f"escort-units/{fresh['id']}/members", world["admin"])) == []
    deleted = [r for r in _audit("registry.unit.deleted") if r.object_id == str(unit["id"])]
    assert deleted and deleted[0].details["before"]["call_sign"] == "GONE-1"
