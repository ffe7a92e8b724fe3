"""Bad input answers 4xx, never 5xx, on SQLite and PostgreSQL (issue 16, item 9): one test per class found."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from outrider.cli import app as cli_app

PROBLEM = "application/problem+json"
HUGE = [2**31, 2**63, 10**30]  # past PostgreSQL's INTEGER, past SQLite's, past any machine word


def _refused(resp: Any, *codes: int) -> dict[str, Any]:
    """A problem+json refusal with one of ``codes``; never a server error."""
    assert resp.status_code in codes, (resp.status_code, resp.text[:500])
    assert resp.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = resp.json()
    assert body["status"] == resp.status_code
    return body


def _locs(body: dict[str, Any]) -> set[tuple[Any, ...]]:
    return {tuple(e["loc"]) for e in body.get("errors", [])}


def _site(client: TestClient, world: Any) -> int:
    site = {"name": "Camp", "kind": "camp", "lat": 34.8, "lon": 72.9, "inner_radius_m": 100}
    resp = client.post("/api/v1/sites", json=site, headers=world["coord"].headers)
    assert resp.status_code == 201, resp.text
    return int(resp.json()["id"])


@pytest.mark.parametrize("big", HUGE)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/movements/{n}"),
        ("POST", "/api/v1/movements/{n}/arrive"),
        ("GET", "/api/v1/sites/{n}"),
        ("DELETE", "/api/v1/vehicles/{n}"),
        ("GET", "/api/v1/alerts/{n}"),
        ("GET", "/api/v1/intel/incidents/{n}"),
        ("GET", "/api/v1/risk/movements/{n}"),
        ("DELETE", "/api/v1/me/tokens/{n}"),
        ("POST", "/api/v1/protocols/escort/versions/{n}/propose"),
        ("GET", "/api/v1/movements?site_id={n}"),
        ("GET", "/api/v1/escort-units?offset={n}"),
        ("GET", "/api/v1/persons?offset={n}"),
    ],
)
def test_an_id_or_offset_past_the_columns_is_refused(
    client: TestClient, world: Any, method: str, path: str, big: int
) -> None:
    resp = client.request(method, path.format(n=big), headers=world["admin"].headers)
    _refused(resp, 404, 422)


@pytest.mark.parametrize("big", HUGE)
def test_an_id_in_a_body_past_the_columns_is_refused(client: TestClient, world: Any, big: int) -> None:
    unit = {"call_sign": "Falcon", "strength": 8, "base_site_id": big}
    body = _refused(client.post("/api/v1/escort-units", json=unit, headers=world["duty"].headers), 422)
    assert ("body", "base_site_id") in _locs(body)
    grant = {"user_id": big, "reason": "escort lead", "expires_at": "2026-12-01T00:00:00+00:00"}
    resp = client.post("/api/v1/movements/1/grants", json=grant, headers=world["admin"].headers)
    assert ("body", "user_id") in _locs(_refused(resp, 422))


def test_nul_in_a_body_is_refused_naming_the_field(client: TestClient, world: Any) -> None:
    person = {"name": "Li\u0000 Wei", "nationality": "CN"}
    body = _refused(client.post("/api/v1/persons", json=person, headers=world["coord"].headers), 422)
    assert ("body", "name") in _locs(body)
    nested = {"events": [{"plate": "ABC\u0000", "zone_id": "z"}]}
    body = _refused(client.post("/api/v1/cordon/events", json=nested, headers=world["duty"].headers), 422)
    assert ("body", "events", 0, "plate") in _locs(body)
    # nothing was stored
    listed = client.get("/api/v1/persons", headers=world["coord"].headers).json()
    assert listed["total"] == 0


def test_nul_in_a_query_or_a_form_is_refused(client: TestClient, world: Any) -> None:
    resp = client.get("/api/v1/cordon/sightings?plate=AB%00C", headers=world["duty"].headers)
    assert ("query", "plate") in _locs(_refused(resp, 422))
    resp = client.post(
        "/api/v1/auth/token", data={"username": "admin\x00", "password": "correct horse battery staple"}
    )
    assert ("body", "username") in _locs(_refused(resp, 422))


def test_a_plain_backslash_u_text_is_not_a_nul(client: TestClient, world: Any) -> None:
    # the JSON text `\\u0000` decodes to a backslash and "u0000": ordinary characters
    raw = '{"name": "C:\\\\u0000 path", "nationality": "CN"}'
    headers = {**world["coord"].headers, "Content-Type": "application/json"}
    resp = client.post("/api/v1/persons", content=raw, headers=headers)
    assert resp.status_code == 201, resp.text
    assert resp.json()["name"] == "C:\\u0000 path"


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", None), ("lat", None), ("timezone", None), ("notes", None), ("kind", None)],
)
def test_null_for_a_required_field_in_a_patch_is_refused(
    client: TestClient, world: Any, field: str, value: Any
) -> None:
    site_id = _site(client, world)
    resp = client.patch(f"/api/v1/sites/{site_id}", json={field: value}, headers=world["coord"].headers)
    assert ("body", field) in _locs(_refused(resp, 422))
    assert client.get(f"/api/v1/sites/{site_id}", headers=world["coord"].headers).json()["name"] == "Camp"


def test_null_still_clears_an_optional_field(client: TestClient, world: Any) -> None:
    site_id = _site(client, world)
    resp = client.patch(
        f"/api/v1/sites/{site_id}", json={"inner_radius_m": None}, headers=world["coord"].headers
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["inner_radius_m"] is None


def test_null_in_other_patches_is_refused(client: TestClient, world: Any) -> None:
    for path, field in [
        ("/api/v1/movements/1", "purpose"),
        ("/api/v1/vehicles/1", "plate"),
        ("/api/v1/persons/1", "name"),
        ("/api/v1/escort-units/1", "strength"),
        ("/api/v1/intel/actors/1", "name"),
        ("/api/v1/intel/incidents/1", "attack_type"),
    ]:
        resp = client.patch(path, json={field: None}, headers=world["admin"].headers)
        assert ("body", field) in _locs(_refused(resp, 422)), path


def test_the_openapi_document_offers_null_only_where_it_clears() -> None:
    from outrider.app import create_app

    schemas = create_app().openapi()["components"]["schemas"]
    name = schemas["SiteUpdate"]["properties"]["name"]
    assert "anyOf" not in name and name["type"] == "string"
    radius = schemas["SiteUpdate"]["properties"]["inner_radius_m"]
    assert {"type": "null"} in radius["anyOf"]


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_a_date_far_from_today_is_refused(client: TestClient, world: Any, year: str) -> None:
    moment = f"{year}-01-01T00:00:00+00:00"
    resp = client.get(f"/api/v1/movements?from={moment.replace('+', '%2B')}", headers=world["duty"].headers)
    assert ("query", "from") in _locs(_refused(resp, 422))
    grant = {"user_id": world["duty"].user_id, "reason": "escort lead", "expires_at": moment}
    resp = client.post("/api/v1/movements/1/grants", json=grant, headers=world["admin"].headers)
    assert ("body", "expires_at") in _locs(_refused(resp, 422))
    resp = client.get(f"/api/v1/intel/incidents?from={year}-01-01", headers=world["analyst"].headers)
    assert ("query", "from") in _locs(_refused(resp, 422))
    checkin = {"lat": 34.8, "lon": 72.9, "at": moment}
    resp = client.post("/api/v1/movements/1/checkins", json=checkin, headers=world["duty"].headers)
    assert ("body", "at") in _locs(_refused(resp, 422))
    resp = client.get(f"/api/v1/risk/sites/1?at={moment.replace('+', '%2B')}", headers=world["duty"].headers)
    assert ("query", "at") in _locs(_refused(resp, 422))
    resp = client.get(f"/api/v1/protocols?on={year}-01-01", headers=world["duty"].headers)
    assert ("query", "on") in _locs(_refused(resp, 422))
    report = f"/api/v1/protocols/report?from={year}-01-01&to={year}-12-31"
    assert ("query", "from") in _locs(_refused(client.get(report, headers=world["auditor"].headers), 422))


MALFORMED_ROUTES = [
    {"type": "FeatureCollection", "features": {"a": 1}},
    {"type": "FeatureCollection", "features": 5},
    {"type": "FeatureCollection", "features": [1, "x", None]},
    {"type": "FeatureCollection", "features": [{"geometry": "LineString"}]},
    {"type": "FeatureCollection", "features": [{"geometry": {"type": "LineString", "coordinates": 7}}]},
    {"type": "FeatureCollection", "features": [{"geometry": {"type": "LineString", "coordinates": [[1e9]]}}]},
    {"type": "Feature", "geometry": [1, 2]},
    [1, 2, 3],
    "LineString",
]


@pytest.mark.parametrize("doc", MALFORMED_ROUTES, ids=range(len(MALFORMED_ROUTES)))
def test_a_malformed_feature_collection_is_refused(client: TestClient, world: Any, doc: Any) -> None:
    content = json.dumps(doc).encode()
    resp = client.post(
        "/api/v1/routes/parse", files={"file": ("r.geojson", content)}, headers=world["coord"].headers
    )
    assert ("file",) in _locs(_refused(resp, 422))


def test_a_deeply_nested_route_file_is_refused(client: TestClient, world: Any) -> None:
    content = b"[" * 100_000 + b"]" * 100_000
    resp = client.post(
        "/api/v1/routes/parse", files={"file": ("r.geojson", content)}, headers=world["coord"].headers
    )
    _refused(resp, 413, 422)


def test_every_operation_declares_its_problems() -> None:
    from outrider.app import create_app

    document = create_app().openapi()
    assert "Problem" in document["components"]["schemas"]
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = {int(c) for c in operation["responses"]}
            if operation.get("security"):
                assert {401, 403, 404} <= codes, (method, path)
            if operation.get("parameters") or operation.get("requestBody"):
                assert 422 in codes, (method, path)
            for code, response in operation["responses"].items():
                if int(code) >= 400:
                    assert list(response["content"]) == [PROBLEM], (method, path, code)


@pytest.mark.parametrize("big", ["2147483648", "9223372036854775808", "1" * 40])
def test_the_cli_refuses_a_huge_id_in_one_line(world: Any, big: str) -> None:
    runner = CliRunner()
    for args in (
        ["movements", "show", big, "--as", "coord"],
        ["alerts", "show", big, "--as", "duty"],
        ["registry", "sites", "show", big, "--as", "coord"],
    ):
        result = runner.invoke(cli_app, args)
        assert result.exit_code == 1, (args, result.output)
        assert "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("big", HUGE)
def test_a_web_page_with_a_huge_id_is_refused(engine: Any, world: Any, big: int) -> None:
    import re

    from outrider.app import create_app

    with TestClient(create_app(), base_url="https://testserver", raise_server_exceptions=False) as web:
        page = web.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        signed = web.post(
            "/login",
            data={"username": "duty", "password": "correct horse battery staple", "csrf_token": token[1]},
            follow_redirects=False,
        )
        assert signed.status_code == 303, signed.text[:300]
        for path in (f"/movements/{big}", f"/intel/incidents/{big}", f"/intel/events/{big}"):
            resp = web.get(path, headers={"Accept": "text/html"})
            assert 400 <= resp.status_code < 500, (path, resp.status_code)
