"""The board and the movement page name the escort, the vehicles and the protected persons (ids kept),
for the itinerary's readers only, and a person only where the registry lets the reader read them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from movement_scenes import ROUTE
from outrider import db
from outrider.accounts.models import User
from outrider.http import caller_of
from outrider.movements import board_names


def _convoy(client: TestClient, world: Any) -> dict[str, int]:
    coord, duty = world["coord"].headers, world["duty"].headers

    def post(path: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        resp = client.post(f"/api/v1/{path}", json=body, headers=headers)
        assert resp.status_code in (200, 201), resp.text
        out: dict[str, Any] = resp.json()
        return out

    person = post("persons", {"name": "Engineer Wen Jing", "nationality": "DE"}, coord)
    car = post("vehicles", {"plate": "ACM-7781", "kind": "armoured", "seats": 4}, coord)
    unit = post("escort-units", {"call_sign": "FALCON-9", "strength": 4}, duty)
    dep = datetime.now(UTC) + timedelta(days=1)
    m = post(
        "movements",
        {
            "origin": {"lat": 24.9065, "lon": 67.1608, "label": "Airport"},
            "destination": {"lat": 24.78, "lon": 67.35, "label": "Plant"},
            "route": ROUTE,
            "planned_departure": dep.isoformat(),
            "planned_arrival": (dep + timedelta(hours=1)).isoformat(),
            "person_ids": [person["id"]],
            "vehicle_ids": [car["id"]],
            "checkin_interval_min": 15,
        },
        coord,
    )
    post(f"movements/{m['id']}/submit", {}, coord)
    post(f"movements/{m['id']}/escort", {"unit_ids": [unit["id"]]}, duty)
    return {"movement": m["id"], "person": person["id"], "car": car["id"], "unit": unit["id"]}


def _line(client: TestClient, world: Any, who: str, mid: int) -> dict[str, Any] | None:
    body = client.get("/api/v1/movements", headers=world[who].headers).json()
    return next((item for item in body["items"] if item["id"] == mid), None)


def test_the_board_names_what_it_showed_as_ids(client: TestClient, world: Any) -> None:
    made = _convoy(client, world)
    line = _line(client, world, "coord", made["movement"])
    assert line is not None and line["itinerary_visible"]
    assert line["escort_unit_ids"] == [made["unit"]]  # the ids stay
    assert line["escort_units"] == [{"id": made["unit"], "name": "FALCON-9"}]
    assert line["vehicles"] == [{"id": made["car"], "name": "ACM-7781"}]
    assert line["protected_persons"] == [{"id": made["person"], "name": "Engineer Wen Jing"}]
    cookie = {"Cookie": f"outrider_session={world['coord'].token}"}
    page = client.get("/movements", headers=cookie).text
    assert "FALCON-9" in page and "ACM-7781" in page and "Engineer Wen Jing" in page
    movement = client.get(f"/movements/{made['movement']}", headers=cookie).text
    assert "FALCON-9" in movement and "Engineer Wen Jing" in movement
    # Another company does not see the line at all; a reader without the itinerary gets no names.
    assert _line(client, world, "other_coord", made["movement"]) is None
    for who in ("analyst", "auditor", "duty"):  # the summary only (no release yet, no unit of theirs)
        other = _line(client, world, who, made["movement"])
        assert other is not None and not other["itinerary_visible"]
        assert other["escort_units"] is other["vehicles"] is other["protected_persons"] is None
    assert (
        "FALCON-9"
        not in client.get("/movements", headers={"Cookie": f"outrider_session={world['analyst'].token}"}).text
    )


def test_a_person_the_registry_hides_keeps_only_the_id(client: TestClient, world: Any) -> None:
    made = _convoy(client, world)
    with db.transaction() as session:
        stranger = caller_of(session.get_one(User, world["other_coord"].user_id))
        named = board_names.names_of(session, stranger, [made["movement"]])[made["movement"]]
    assert named["protected_persons"] == [{"id": made["person"], "name": None}]
    assert [r["name"] for r in named["escort_units"]] == ["FALCON-9"]  # part of the itinerary read


def test_the_persons_named_are_those_the_registry_selects(client: TestClient, world: Any) -> None:
    """The board decides which persons it names from their organisation and nationality, read with its
    links (`ReadScope.allows`): for every reader, the very persons the registry's statement selects."""
    from outrider.access.policy import RecordKind
    from outrider.movements.models import movement_persons
    from outrider.registry import service as registry_service

    made = _convoy(client, world)  # an acme person of nationality DE, escorted by a host unit
    coord = world["coord"].headers
    other = client.post("/api/v1/persons", json={"name": "Li Na", "nationality": "CN"}, headers=coord)
    assert other.status_code == 201, other.text
    mid, spec = made["movement"], registry_service.SPECS[RecordKind.person]
    with db.transaction() as session:
        session.execute(movement_persons.insert().values(movement_id=mid, person_id=other.json()["id"]))
        links = board_names.links_of(session, [mid])
        persons = set(links.ids[mid]["protected_persons"])
        assert len(persons) == 2
        for who in ("coord", "other_coord", "duty", "analyst", "liaison", "auditor", "admin"):
            caller = caller_of(session.get_one(User, world[who].user_id))
            named = board_names.names_of(session, caller, [mid], links)[mid]["protected_persons"]
            selected = registry_service.visible(spec, caller, session, among=persons)
            expected = set(session.scalars(selected.with_only_columns(spec.model.id)))
            assert {p["id"] for p in named if p["name"] is not None} == expected, who
        session.rollback()
