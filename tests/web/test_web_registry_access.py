"""The registry pages in the web policy matrix: the requests and actors that `test_web_access` checks for
each registry route (it merges them into its own), and the refusals that must leave nothing written.

The scene's record is a project site of Acme (a company), made fresh for each request through the API by
its coordinator: host security reads every site but writes none of a company's; Acme's coordinator and
administrator write it; the other company and the partner embassy do not see it (404).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from outrider.http import csrf_token
from outrider.settings import get_settings

ANON = "anon"
HOST = {"admin", "duty", "analyst", "auditor"}
ACME = {"coord", "acme_admin"}
CREATORS = {"admin", "coord", "acme_admin", "other_coord"}  # of sites: coordinators and administrators

REGISTRY_ALLOWED: dict[str, set[str]] = {
    "registry.create": CREATORS,
    "registry.read": HOST | ACME,
    "registry.write": ACME,
    "registry.members": {"admin", "duty"},  # of a host unit: its force's administrators and duty officers
}

_N = itertools.count(1)


def headers(world: Any, who: str, *, change: bool = False, lang: str | None = None) -> dict[str, str]:
    """A browser's cookie (a pre-sign-in nonce for anon), the CSRF header for a change, a language."""
    basis = "anon-nonce" if who == ANON else world[who].token
    cookie = "outrider_pre=anon-nonce" if who == ANON else f"outrider_session={basis}"
    if lang:
        cookie += f"; outrider_lang={lang}"
    out = {"Cookie": cookie}
    if change:
        out["X-CSRF-Token"] = csrf_token(get_settings().secret_key, basis)
    return out


def acme_site(client: TestClient, world: Any, **extra: Any) -> int:
    """A fresh project site of Acme, made by its coordinator through the API."""
    body = {"name": f"Acme site {next(_N)}", "kind": "project", "lat": 24.78, "lon": 67.35, **extra}
    resp = client.post("/api/v1/sites", json=body, headers=world["coord"].headers)
    assert resp.status_code == 201, resp.text
    return int(resp.json()["id"])


def site_form(name: str, **extra: str) -> dict[str, str]:
    """A complete, valid site form."""
    form = {
        "name": name,
        "kind": "project",
        "lat": "24.78",
        "lon": "67.35",
        "timezone": "Asia/Karachi",
        "inner_radius_m": "200",
        "outer_radius_m": "800",
        "notes": "",
    }
    return {**form, **extra}


Request = Callable[[TestClient, Any, Any, str], Any]


def _get(path: str, *, site: bool = False) -> Request:
    def run(client: TestClient, world: Any, scene: Any, who: str) -> Any:
        url = path.format(site=acme_site(client, world)) if site else path
        return client.get(url, headers=headers(world, who), follow_redirects=False)

    return run


def _post(path: str, data: Callable[[str], dict[str, str]], *, site: bool = False) -> Request:
    def run(client: TestClient, world: Any, scene: Any, who: str) -> Any:
        url = path.format(site=acme_site(client, world)) if site else path
        return client.post(
            url, data=data(who), headers=headers(world, who, change=True), follow_redirects=False
        )

    return run


def _csv(who: str) -> dict[str, str]:
    n = next(_N)
    return {"content": f"name,kind,lat,lon\nImported {who} {n},camp,34.0,72.9\n", "format": "csv"}


def host_unit(client: TestClient, world: Any, *, member: str | None = None) -> int:
    """A fresh escort unit of host security (made by its duty officer), with a member when asked."""
    resp = client.post(
        "/api/v1/escort-units",
        json={"call_sign": f"MEMBERS-{next(_N)}", "strength": 4},
        headers=world["duty"].headers,
    )
    assert resp.status_code == 201, resp.text
    unit = int(resp.json()["id"])
    if member:
        added = client.post(
            f"/api/v1/escort-units/{unit}/members",
            json={"user_id": world[member].user_id},
            headers=world["admin"].headers,
        )
        assert added.status_code == 201, added.text
    return unit


def _member_change(remove: bool) -> Request:
    def run(client: TestClient, world: Any, scene: Any, who: str) -> Any:
        unit = host_unit(client, world, member="analyst" if remove else None)
        base = f"/registry/escort-units/{unit}/members"
        url = f"{base}/{world['analyst'].user_id}/remove" if remove else base
        data = {} if remove else {"user_id": str(world["analyst"].user_id)}
        return client.post(url, data=data, headers=headers(world, who, change=True), follow_redirects=False)

    return run


REGISTRY_REQUESTS: dict[str, Request] = {
    "GET /registry": _get("/registry"),
    "GET /registry/{kind}": _get("/registry/sites?q=acme"),
    "GET /registry/{kind}/new": _get("/registry/sites/new"),
    "POST /registry/{kind}/new": _post("/registry/sites/new", lambda who: site_form(f"New {who} {next(_N)}")),
    "GET /registry/{kind}/import": _get("/registry/sites/import"),
    "POST /registry/{kind}/import": _post("/registry/sites/import", _csv),
    "GET /registry/{kind}/{record_id}": _get("/registry/sites/{site}", site=True),
    "POST /registry/{kind}/{record_id}": _post(
        "/registry/sites/{site}", lambda who: site_form(f"Edited {who} {next(_N)}"), site=True
    ),
    "GET /registry/{kind}/{record_id}/delete": _get("/registry/sites/{site}/delete", site=True),
    "POST /registry/{kind}/{record_id}/delete": _post(
        "/registry/sites/{site}/delete", lambda who: {}, site=True
    ),
    "POST /registry/escort-units/{unit_id}/members": _member_change(remove=False),
    "POST /registry/escort-units/{unit_id}/members/{user_id}/remove": _member_change(remove=True),
}
