"""Need-to-know: who sees an itinerary, from when, grants and revocations, audited reads, who knew."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from outrider import db
from outrider.access.need_to_know import ItineraryFacts, Relationship, itinerary_access
from outrider.access.policy import Caller
from outrider.movements import need_to_know

ROUTE = {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.20, 24.88], [67.35, 24.78]]}
ITINERARY_KEYS = {
    "route",
    "planned_departure",
    "planned_arrival",
    "vehicle_ids",
    "escort_unit_ids",
    "departed_at",
}


# --- the pure decision ---------------------------------------------------------------------------------

DEP = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)  # 06:30 in Karachi
FACTS = ItineraryFacts(
    requesting_org_id=3,
    nationalities=frozenset({"CN"}),
    escort_member_ids=frozenset({11}),  # user 11 serves in the escort unit
    area_member_ids=frozenset(),
    departure=DEP,
    release_hours=24,
    granted_user_ids=frozenset({42}),
)


def who(org: int, kind: str, roles: set[str], country: str = "PK", user: int = 1) -> Caller:
    return Caller(user, org, kind, country, frozenset(roles))


def test_planners_always_the_list_from_release_time() -> None:
    planner = who(3, "company", {"coordinator"})
    escort = who(1, "host_security", {"duty_officer"}, user=11)
    release = DEP - timedelta(hours=24)
    assert itinerary_access(planner, FACTS, now=release - timedelta(days=5)).allowed
    assert not itinerary_access(escort, FACTS, now=release - timedelta(microseconds=1)).allowed
    assert itinerary_access(escort, FACTS, now=release).allowed  # exactly at the release time
    same_instant_other_zone = release.astimezone(datetime.fromisoformat("2026-01-01T00:00:00+05:00").tzinfo)
    assert itinerary_access(escort, FACTS, now=same_instant_other_zone).allowed


def test_relationships_and_denials() -> None:
    assert itinerary_access(
        who(2, "partner_government", {"liaison"}, "CN"), FACTS, now=DEP
    ).relationships == {Relationship.liaison}
    assert not itinerary_access(who(5, "partner_government", {"liaison"}, "TR"), FACTS, now=DEP).allowed
    assert not itinerary_access(
        who(1, "host_security", {"admin"}), FACTS, now=DEP
    ).allowed  # admin is not enough
    assert not itinerary_access(who(3, "company", {"analyst"}), FACTS, now=DEP).allowed
    assert itinerary_access(who(9, "other", {"analyst"}, user=42), FACTS, now=DEP).allowed  # a grant


@given(
    org=st.integers(1, 6),
    kind=st.sampled_from(["host_security", "partner_government", "company", "other"]),
    roles=st.frozensets(
        st.sampled_from(["admin", "coordinator", "duty_officer", "liaison", "analyst", "auditor"])
    ),
    minutes=st.integers(-5000, 5000),
)
def test_deny_unless_a_relationship_holds(org: int, kind: str, roles: frozenset[str], minutes: int) -> None:
    caller = Caller(7, org, kind, "TR", roles)
    decision = itinerary_access(caller, FACTS, now=DEP + timedelta(minutes=minutes))
    if decision.allowed:
        assert decision.relationships
        if Relationship.planner not in decision.relationships:
            assert DEP + timedelta(minutes=minutes) >= DEP - timedelta(hours=24)


# --- through the API ---------------------------------------------------------------------------------------


def _post(client: TestClient, path: str, body: dict[str, Any], actor: Any, code: int = 201) -> dict[str, Any]:
    resp = client.post(f"/api/v1/{path}", json=body, headers=actor.headers)
    assert resp.status_code == code, resp.text
    out: dict[str, Any] = resp.json()
    return out


@pytest.fixture
def scene(client: TestClient, world: Any) -> dict[str, Any]:
    """A CN national's movement planned by acme, departing in three days, escorted by host security."""
    cn = _post(client, "persons", {"name": "CN Engineer", "nationality": "CN"}, world["coord"])
    unit = _post(client, "escort-units", {"call_sign": "F-9", "strength": 6}, world["duty"])
    # the duty officer serves in the unit (need-to-know is drawn by person and unit, not by organisation)
    _post(client, f"escort-units/{unit['id']}/members", {"user_id": world["duty"].user_id}, world["admin"])
    dep = datetime.now(UTC) + timedelta(days=3)
    m = _post(
        client,
        "movements",
        {
            "origin": {"lat": 24.9065, "lon": 67.1608, "label": "Airport"},
            "destination": {"lat": 24.78, "lon": 67.35, "label": "Plant"},
            "route": ROUTE,
            "planned_departure": dep.isoformat(),
            "planned_arrival": (dep + timedelta(hours=1)).isoformat(),
            "person_ids": [cn["id"]],
        },
        world["coord"],
    )
    _post(client, f"movements/{m['id']}/submit", {}, world["coord"], 200)
    _post(client, f"movements/{m['id']}/escort", {"unit_ids": [unit["id"]]}, world["duty"], 200)
    return {"movement": m, "departure": dep, "unit": unit}


def _get(client: TestClient, path: str, actor: Any) -> Any:
    return client.get(f"/api/v1/{path}", headers=actor.headers)


def test_summary_for_many_itinerary_for_the_list(
    client: TestClient, world: Any, scene: dict[str, Any]
) -> None:
    mid = scene["movement"]["id"]
    mine = _get(client, f"movements/{mid}", world["coord"]).json()
    assert mine["itinerary_visible"] and mine["route"] == ROUTE
    early = _get(client, f"movements/{mid}", world["duty"]).json()  # escort, but three days before departure
    assert not early["itinerary_visible"] and "released at" in early["itinerary_note"]
    assert all(early[k] is None for k in ITINERARY_KEYS)
    assert early["day"] == scene["movement"]["day"]
    board = _get(client, "movements", world["duty"]).json()["items"][0]
    assert board["planned_departure"] is None and board["itinerary_visible"] is False
    for path in ("timeline", "checkins", "predictability"):
        assert _get(client, f"movements/{mid}/{path}", world["duty"]).status_code == 403


def test_time_filters_do_not_reveal_times(client: TestClient, world: Any, scene: dict[str, Any]) -> None:
    dep: datetime = scene["departure"]
    # a window inside the departure day but after the departure: the planner's exact filter excludes it,
    # the escort's whole-day filter keeps it (so the count reveals nothing finer than the day)
    start = (dep + timedelta(minutes=70)).isoformat()  # after the planned arrival
    end = (dep + timedelta(minutes=80)).isoformat()
    q = f"movements?from={start.replace('+', '%2B')}&to={end.replace('+', '%2B')}"
    assert _get(client, q, world["coord"]).json()["total"] == 0
    duty_total = _get(client, q, world["duty"]).json()["total"]
    window_days = {
        (dep + timedelta(minutes=m)).astimezone(UTC).date() for m in (70, 80)
    }  # the movement is in UTC
    assert duty_total == (1 if dep.astimezone(UTC).date() in window_days else 0)


def test_partner_sees_only_its_nationals(client: TestClient, world: Any, scene: dict[str, Any]) -> None:
    from outrider.accounts import service
    from outrider.accounts.schemas import OrganizationCreate, OrgKind, TokenCreate, UserCreate

    with db.transaction() as session:
        org = service.create_organization(
            session,
            data=OrganizationCreate(name="Other Embassy", kind=OrgKind.partner_government, country="TR"),
            now=db.utcnow(),
        )
        user, _ = service.create_user(
            session,
            data=UserCreate(username="tr_liaison", organization_id=org.id, roles=["liaison"]),
            now=db.utcnow(),
        )
        _, token = service.issue_token(session, user=user, data=TokenCreate(), now=db.utcnow())
    other = type("A", (), {"headers": {"Authorization": f"Bearer {token}"}})()
    mid = scene["movement"]["id"]
    assert _get(client, f"movements/{mid}", other).status_code == 404
    assert _get(client, "movements", other).json()["total"] == 0
    for guess in range(1, mid + 5):
        assert _get(client, f"movements/{guess}", other).status_code == 404
        assert _get(client, f"movements/{guess}/timeline", other).status_code == 404
    assert (
        _get(client, f"movements/{mid}", world["liaison"]).status_code == 200
    )  # the CN liaison sees the summary


def test_grant_gives_access_and_revocation_stops_it_at_once(
    client: TestClient, world: Any, scene: dict[str, Any]
) -> None:
    mid = scene["movement"]["id"]
    analyst = world["analyst"]
    seen = _get(client, f"movements/{mid}", analyst).json()  # host security sees every summary
    assert not seen["itinerary_visible"] and seen["route"] is None
    until = (datetime.now(UTC) + timedelta(days=5)).isoformat()
    g = _post(
        client,
        f"movements/{mid}/grants",
        {"user_id": world["duty"].user_id, "reason": "route sweep", "expires_at": until},
        world["coord"],
    )
    # a grant counts before the release time too? no: the release time holds for everyone but planners
    assert not _get(client, f"movements/{mid}", world["duty"]).json()["itinerary_visible"]
    ntk = _get(client, f"movements/{mid}/need-to-know", world["coord"]).json()
    assert any("grant" in m["relationships"] for m in ntk["members"])
    assert _get(client, f"movements/{mid}/need-to-know", world["duty"]).status_code == 403
    assert _get(client, f"movements/{mid}/need-to-know", world["auditor"]).status_code == 200
    _post(
        client,
        f"movements/{mid}/grants",
        {"user_id": world["duty"].user_id, "reason": "not mine", "expires_at": until},
        world["duty"],
        403,
    )
    revoked = client.delete(f"/api/v1/movements/{mid}/grants/{g['id']}", headers=world["coord"].headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None


def test_release_and_revocation_through_time(
    engine: Any, client: TestClient, world: Any, scene: dict[str, Any]
) -> None:
    from outrider.movements import service as mservice

    mid = scene["movement"]["id"]
    dep: datetime = scene["departure"]
    duty = Caller(
        world["duty"].user_id,
        world["duty"].organization_id,
        "host_security",
        "PK",
        frozenset({"duty_officer"}),
    )
    with db.transaction() as session:
        m = mservice.get_movement(session, caller=duty, movement_id=mid)
        assert not need_to_know.decide(session, duty, m, now=dep - timedelta(hours=25)).allowed
        assert need_to_know.decide(session, duty, m, now=dep - timedelta(hours=23)).allowed
    # an analyst with a grant loses access the moment it is revoked
    until = (dep + timedelta(days=1)).isoformat()
    g = _post(
        client,
        f"movements/{mid}/grants",
        {"user_id": world["analyst"].user_id, "reason": "threat review", "expires_at": until},
        world["coord"],
    )
    analyst = Caller(
        world["analyst"].user_id,
        world["analyst"].organization_id,
        "host_security",
        "PK",
        frozenset({"analyst"}),
    )
    with db.transaction() as session:
        m = mservice.get_movement(session, caller=duty, movement_id=mid)
        assert need_to_know.decide(session, analyst, m, now=dep - timedelta(hours=1)).allowed
    client.delete(f"/api/v1/movements/{mid}/grants/{g['id']}", headers=world["coord"].headers)
    with db.transaction() as session:
        m = mservice.get_movement(session, caller=duty, movement_id=mid)
        assert not need_to_know.decide(session, analyst, m, now=db.utcnow() + timedelta(seconds=1)).allowed


def test_reads_are_audited_and_who_knew_answers(
    client: TestClient, world: Any, scene: dict[str, Any]
) -> None:
    mid = scene["movement"]["id"]
    for _ in range(3):
        _get(client, f"movements/{mid}", world["coord"])
    _get(client, f"movements/{mid}", world["duty"])  # not released yet: no itinerary read
    report = _get(client, f"movements/{mid}/who-knew", world["auditor"]).json()
    readers = {r["username"]: r for r in report["readers"]}
    assert readers["coord"]["reads"] >= 3 and readers["coord"]["channels"] == ["api"]
    assert "duty" not in readers
    could = {m["username"] for m in report["could_have"]}
    assert "coord" in could and "duty" not in could
    assert report["first_release_at"] is None  # only planners have read it
    assert _get(client, f"movements/{mid}/who-knew", world["coord"]).status_code == 403
    verify = _get(client, "audit/verify", world["auditor"]).json()
    assert verify["ok"] and verify["records"] > 5
