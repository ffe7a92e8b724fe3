"""Registry over HTTP: CRUD, filters, pagination and who sees what."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

AIRPORT = {
    "name": "Jinnah International Airport",
    "kind": "airport",
    "lat": 24.9065,
    "lon": 67.1608,
    "inner_radius_m": 400,
    "outer_radius_m": 1500,
}


def _post(client: TestClient, path: str, body: dict[str, Any], who: Any) -> dict[str, Any]:
    resp = client.post(f"/api/v1/{path}", json=body, headers=who.headers)
    assert resp.status_code == 201, resp.text
    out: dict[str, Any] = resp.json()
    return out


def test_site_crud_round_trip(client: TestClient, world: Any) -> None:
    coord = world["coord"]
    site = _post(client, "sites", AIRPORT, coord)
    assert site["organization_id"] == world.orgs["acme"] and site["timezone"] == "Asia/Karachi"
    got = client.get(f"/api/v1/sites/{site['id']}", headers=coord.headers).json()
    assert got["name"] == AIRPORT["name"]
    patched = client.patch(
        f"/api/v1/sites/{site['id']}", json={"outer_radius_m": 2000}, headers=coord.headers
    )
    assert patched.status_code == 200 and patched.json()["outer_radius_m"] == 2000
    bad = client.patch(f"/api/v1/sites/{site['id']}", json={"outer_radius_m": 100}, headers=coord.headers)
    assert bad.status_code == 422  # the outer ring would sit inside the inner one
    assert client.get(f"/api/v1/sites/{site['id']}", headers=coord.headers).json()["outer_radius_m"] == 2000
    assert client.delete(f"/api/v1/sites/{site['id']}", headers=coord.headers).status_code == 204
    assert client.get(f"/api/v1/sites/{site['id']}", headers=coord.headers).status_code == 404


def test_polygon_rings_are_validated(client: TestClient, world: Any) -> None:
    square = {
        "type": "Polygon",
        "coordinates": [[[67.15, 24.90], [67.17, 24.90], [67.17, 24.92], [67.15, 24.92], [67.15, 24.90]]],
    }
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[67.15, 24.90], [67.17, 24.92], [67.17, 24.90], [67.15, 24.92], [67.15, 24.90]]],
    }
    body = {**AIRPORT, "outer_radius_m": None, "outer_polygon": square}
    assert client.post("/api/v1/sites", json=body, headers=world["coord"].headers).status_code == 201
    resp = client.post(
        "/api/v1/sites", json={**body, "name": "B", "outer_polygon": bowtie}, headers=world["coord"].headers
    )
    assert resp.status_code == 422
    assert "not a valid polygon" in resp.text


def test_invalid_coordinates_are_rejected(client: TestClient, world: Any) -> None:
    for lat, lon in ((91, 67), (24, 181), (-90.5, 0)):
        resp = client.post(
            "/api/v1/sites", json={**AIRPORT, "lat": lat, "lon": lon}, headers=world["coord"].headers
        )
        assert resp.status_code == 422, (lat, lon)
    assert client.get("/api/v1/sites", headers=world["coord"].headers).json()["total"] == 0


def test_unknown_time_zone_is_rejected(client: TestClient, world: Any) -> None:
    resp = client.post(
        "/api/v1/sites", json={**AIRPORT, "timezone": "Mars/Olympus"}, headers=world["coord"].headers
    )
    assert resp.status_code == 422 and "time zone" in resp.text


def test_visibility_of_records_by_organisation(client: TestClient, world: Any) -> None:
    site = _post(client, "sites", AIRPORT, world["coord"])
    _post(
        client, "persons", {"name": "Engineer One", "nationality": "CN", "role": "engineer"}, world["coord"]
    )
    _post(client, "persons", {"name": "Engineer Two", "nationality": "TR"}, world["coord"])
    _post(client, "persons", {"name": "Other Person", "nationality": "CN"}, world["other_coord"])

    def names(who: str, path: str) -> set[str]:
        items = client.get(f"/api/v1/{path}", headers=world[who].headers).json()["items"]
        return {i.get("name") or i.get("plate") or i.get("call_sign") for i in items}

    assert names("coord", "persons") == {"Engineer One", "Engineer Two"}
    assert names("other_coord", "persons") == {"Other Person"}
    # the partner government sees the persons of its own nationality, of any organisation
    assert names("liaison", "persons") == {"Engineer One", "Other Person"}
    # host security sees every site; another company sees none of acme's
    assert names("duty", "sites") == {AIRPORT["name"]}
    assert names("other_coord", "sites") == set()
    assert client.get(f"/api/v1/sites/{site['id']}", headers=world["other_coord"].headers).status_code == 404


def test_writes_need_the_role_and_the_ownership(client: TestClient, world: Any) -> None:
    site = _post(client, "sites", AIRPORT, world["coord"])
    # host security may read the site but not change another organisation's record
    resp = client.patch(f"/api/v1/sites/{site['id']}", json={"notes": "x"}, headers=world["duty"].headers)
    assert resp.status_code == 403
    assert client.post("/api/v1/sites", json=AIRPORT, headers=world["analyst"].headers).status_code == 403
    assert client.post("/api/v1/sites", json=AIRPORT, headers=world["auditor"].headers).status_code == 403


def test_escort_units_belong_to_host_security(client: TestClient, world: Any) -> None:
    base = _post(client, "sites", {**AIRPORT, "name": "Base"}, world["admin"])
    v = _post(client, "vehicles", {"plate": "spu-101", "kind": "armoured", "seats": 6}, world["duty"])
    assert v["plate"] == "SPU-101"
    unit = _post(
        client,
        "escort-units",
        {"call_sign": "FALCON-1", "strength": 12, "base_site_id": base["id"], "vehicle_ids": [v["id"]]},
        world["duty"],
    )
    assert unit["vehicle_ids"] == [v["id"]]
    denied = client.post(
        "/api/v1/escort-units", json={"call_sign": "X", "strength": 3}, headers=world["coord"].headers
    )
    assert denied.status_code == 403
    unknown = client.post(
        "/api/v1/escort-units",
        json={"call_sign": "Y", "strength": 3, "vehicle_ids": [99999]},
        headers=world["duty"].headers,
    )
    assert unknown.status_code in (404, 422)
    # the base site cannot go while a unit is based there
    assert client.delete(f"/api/v1/sites/{base['id']}", headers=world["admin"].headers).status_code == 409


def test_list_filters_search_and_pagination(client: TestClient, world: Any) -> None:
    for i in range(7):
        _post(
            client, "persons", {"name": f"Person {i}", "nationality": "CN" if i % 2 else "DE"}, world["coord"]
        )
    headers = world["coord"].headers
    page = client.get("/api/v1/persons?limit=3&offset=3", headers=headers).json()
    assert page["total"] == 7 and page["limit"] == 3 and page["offset"] == 3
    assert [p["name"] for p in page["items"]] == ["Person 3", "Person 4", "Person 5"]
    cn = client.get("/api/v1/persons?nationality=cn", headers=headers).json()
    assert cn["total"] == 3
    assert client.get("/api/v1/persons?q=son 6", headers=headers).json()["total"] == 1
    assert client.get("/api/v1/persons?limit=0", headers=headers).status_code == 422


def test_sites_geojson_is_a_feature_collection(client: TestClient, world: Any) -> None:
    _post(client, "sites", AIRPORT, world["coord"])
    fc = client.get("/api/v1/sites.geojson", headers=world["coord"].headers).json()
    assert fc["type"] == "FeatureCollection"
    assert fc["features"][0]["geometry"] == {"type": "Point", "coordinates": [67.1608, 24.9065]}


def test_unknown_ids_are_404_everywhere(client: TestClient, world: Any) -> None:
    headers = world["admin"].headers
    for path in ("persons", "sites", "vehicles", "escort-units"):
        assert client.get(f"/api/v1/{path}/424242", headers=headers).status_code == 404
        assert client.patch(f"/api/v1/{path}/424242", json={}, headers=headers).status_code == 404
        assert client.delete(f"/api/v1/{path}/424242", headers=headers).status_code == 404
