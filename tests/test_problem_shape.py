"""One error shape: RFC 9457 problem+json for domain errors, validation errors and the unexpected."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def _problem(resp: Any, status: int) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = resp.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["type"].startswith("urn:outrider:problem:")
    assert "Traceback" not in resp.text
    return body


def test_404_for_an_unknown_id(client: TestClient, world: Any) -> None:
    body = _problem(client.get("/api/v1/sites/999999", headers=world["coord"].headers), 404)
    assert body["detail"] == "site 999999 not found"
    assert body["instance"] == "/api/v1/sites/999999"


def test_404_for_an_unknown_route(client: TestClient) -> None:
    _problem(client.get("/api/v1/no-such-thing"), 404)


def test_a_browser_on_an_unknown_page_gets_a_page(client: TestClient) -> None:
    page = client.get("/no-such-page", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Not found" in page.text and "<html" in page.text
    api = client.get("/api/v1/no-such-route", headers={"Accept": "text/html"})
    assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"


def test_401_without_credentials(client: TestClient, world: Any) -> None:
    resp = client.get("/api/v1/me")
    _problem(resp, 401)
    assert resp.headers.get("www-authenticate", "").lower().startswith("bearer")


def test_403_for_a_missing_role(client: TestClient, world: Any) -> None:
    body = _problem(client.get("/api/v1/users", headers=world["coord"].headers), 403)
    assert "admin" in body["detail"]


def test_409_for_a_duplicate(client: TestClient, world: Any) -> None:
    vehicle = {"plate": "ABC-123", "kind": "armoured", "seats": 4}
    assert client.post("/api/v1/vehicles", json=vehicle, headers=world["coord"].headers).status_code == 201
    body = _problem(client.post("/api/v1/vehicles", json=vehicle, headers=world["coord"].headers), 409)
    assert "ABC-123" in body["detail"]


def test_422_from_a_domain_rule(client: TestClient, world: Any) -> None:
    site = {
        "name": "Camp",
        "kind": "camp",
        "lat": 34.8,
        "lon": 72.9,
        "inner_radius_m": 900,
        "outer_radius_m": 100,
    }
    body = _problem(client.post("/api/v1/sites", json=site, headers=world["coord"].headers), 422)
    assert body["errors"]


def test_422_from_fastapi_validation_names_the_field(client: TestClient, world: Any) -> None:
    bad = {"name": "X", "kind": "castle", "lat": "north", "lon": 72.9}
    body = _problem(client.post("/api/v1/sites", json=bad, headers=world["coord"].headers), 422)
    locs = {tuple(e["loc"]) for e in body["errors"]}
    assert ("body", "kind") in locs and ("body", "lat") in locs
    assert all("msg" in e for e in body["errors"])


def test_422_for_malformed_json(client: TestClient, world: Any) -> None:
    headers = {**world["coord"].headers, "content-type": "application/json"}
    _problem(client.post("/api/v1/sites", content=b"{not json", headers=headers), 422)


def test_413_for_an_oversized_body(client: TestClient, world: Any) -> None:
    from outrider.settings import get_settings

    big = b"x" * (get_settings().max_body_bytes + 1)
    headers = {**world["coord"].headers, "content-type": "application/json"}
    body = _problem(client.post("/api/v1/sites", content=big, headers=headers), 413)
    assert "bytes" in body["detail"]


def test_unexpected_errors_hide_the_trace(client: TestClient, world: Any, monkeypatch: Any) -> None:
    from outrider.registry import service

    def boom(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(service, "list_records", boom)
    resp = client.get("/api/v1/sites", headers=world["coord"].headers)
    body = _problem(resp, 500)
    assert "secret internal detail" not in resp.text
    assert body["title"] == "Internal error"
    assert "reference" in body["detail"]


def test_health_needs_no_login(client: TestClient) -> None:
    resp = client.get("/api/v1/health")
    assert resp.status_code == 200
    assert resp.json()["status"] == "ok"
