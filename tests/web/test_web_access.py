"""The web pages go through the same policy as the API: every page and fragment has an entry, and each
entry lets exactly its actors through (the same actors as the API matrix, on the same kind of scene).

Sessions are the world's API tokens in the session cookie (a web sign-in issues exactly such a token);
every change carries the CSRF token bound to it, so what is tested here is the policy, not the form. The
world and the scene are built once per module and backend and their rows put back before each test.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from starlette.routing import Mount
from test_web_accounts_access import ACCOUNTS_ALLOWED, ACCOUNTS_REQUESTS
from test_web_committee_access import COMMITTEE_WEB_ALLOWED, COMMITTEE_WEB_REQUESTS
from test_web_field_access import FIELD_ALLOWED, FIELD_REQUESTS
from test_web_registry_access import REGISTRY_ALLOWED, REGISTRY_REQUESTS
from test_web_sharing_access import SHARING_ALLOWED, SHARING_REQUESTS

from fresh_databases import Snapshot, reset, snapshot
from outrider import db
from outrider.access.routes import ENTRIES
from outrider.access.web_routes import WEB_ROUTES
from outrider.accounts.models import User
from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.app import create_app
from outrider.http import caller_of, csrf_token
from outrider.protocols import service as protocols_service
from outrider.protocols import waivers
from outrider.protocols.models import ProtocolVersion, ProtocolWaiver
from outrider.protocols.schemas import WaiverCreate
from outrider.settings import get_settings
from outrider.web import pages_alerts
from route_samples import skip_unless_sampled
from world_users import World, build_world

ACTORS = ["anon", "admin", "duty", "analyst", "auditor", "liaison", "coord", "acme_admin", "other_coord"]
SIGNED_IN = set(ACTORS) - {"anon"}
HOST = {"admin", "duty", "analyst", "auditor"}
ACME = {"coord", "acme_admin"}
CREATORS = {"admin", "coord", "acme_admin", "other_coord"}
ROUTE = {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.20, 24.88], [67.35, 24.78]]}

ALLOWED: dict[str, set[str]] = {
    "signed_in": SIGNED_IN,
    "accounts.admin": {"admin", "acme_admin"},
    "alerts.read": SIGNED_IN - {"analyst"},  # the list: readers of some alert
    "alerts.ack": ACME | {"admin", "duty"},
    "alerts.resolve": ACME | {"admin", "duty"},  # an alert of acme's movement (not a cordon alert)
    "movements.plan": CREATORS,
    "movements.summary": HOST | ACME | {"liaison"},
    "movements.planner": ACME,
    "movements.decide": {"admin", "duty", "liaison"} | ACME,
    "movements.escort": {"admin", "duty"},
    "movements.progress": {"admin", "duty"} | ACME,
    "movements.itinerary": ACME | {"duty", "liaison"},
    "audit.auditor": {"auditor"},
    "arrangement.write": {"admin"},
    "governance.decide": {"admin"},
    "intel.review": {"admin", "analyst"},
    "protocols.report": SIGNED_IN - {"analyst"},
    "protocols.waive": ACME | {"admin", "duty", "liaison"},
    "protocols.override": {"admin", "duty"},
    "protocols.waive_approve": {"admin", "duty", "liaison"},
    "protocols.waive_withdraw": {"admin", "duty", "liaison"} | ACME,
}


def _web_routes(routes: list[Any]) -> Iterator[str]:
    """Every method and path the app answers outside the API, the docs and the static files."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _web_routes(list(inner.routes))
            continue
        path = getattr(route, "path", "")
        if isinstance(route, Mount) or path.startswith(("/api/", "/docs")):
            continue
        for method in sorted(getattr(route, "methods", None) or ()):
            if method != "HEAD":
                yield f"{method} {path}"


def test_every_web_route_has_a_policy_entry() -> None:
    routes = set(_web_routes(list(create_app().routes)))
    assert routes - set(WEB_ROUTES) == set(), "web routes without an entry in access/web_routes.py WEB_ROUTES"
    assert set(WEB_ROUTES) - routes == set(), "WEB_ROUTES entries for routes that no longer exist"
    assert set(WEB_ROUTES.values()) <= set(ENTRIES)
    assert set(WEB_ROUTES) - {r for r, e in WEB_ROUTES.items() if e == "public"} == set(REQUESTS)


# --- the scene ----------------------------------------------------------------------------------------


@dataclass
class Scene:
    movement: int
    alert: int
    other: int  # a movement of another company, with no national of the partner


_N = itertools.count()


def _api(client: TestClient, world: Any, who: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    resp = client.post(f"/api/v1/{path}", json=body, headers=world[who].headers)
    assert resp.status_code in (200, 201), resp.text
    out: dict[str, Any] = resp.json()
    return out


def _movement(client: TestClient, world: Any, who: str, nationality: str) -> int:
    n = next(_N)
    site = _api(
        client,
        world,
        who,
        "sites",
        {"name": f"Plant {who} {n}", "kind": "project", "lat": 24.78, "lon": 67.35},
    )
    person = _api(client, world, who, "persons", {"name": f"Engineer {n}", "nationality": nationality})
    dep = datetime.now(UTC) + timedelta(hours=3)
    m = _api(
        client,
        world,
        who,
        "movements",
        {
            "origin": {"lat": 24.9065, "lon": 67.1608, "label": "Airport"},
            "destination": {"site_id": site["id"]},
            "route": ROUTE,
            "planned_departure": dep.isoformat(),
            "planned_arrival": (dep + timedelta(hours=1)).isoformat(),
            "person_ids": [person["id"]],
        },
    )
    return int(m["id"])


def make_scene(client: TestClient, world: Any) -> Scene:
    """Acme's CN national travelling in three hours, submitted, escorted by host security; Acme's alert."""
    mid = _movement(client, world, "coord", "CN")
    _api(client, world, "coord", f"movements/{mid}/submit", {})
    unit = _api(client, world, "duty", "escort-units", {"call_sign": f"W-{next(_N)}", "strength": 6})
    # the duty officer serves in the escort unit: need-to-know is drawn by person and unit
    _api(client, world, "admin", f"escort-units/{unit['id']}/members", {"user_id": world["duty"].user_id})
    _api(client, world, "duty", f"movements/{mid}/escort", {"unit_ids": [unit["id"]]})
    with db.transaction() as session:
        alert, _ = alerts_service.raise_alert(
            session,
            kind="test",
            severity=Severity.warning,
            subject_type="movement",
            subject_id=mid,
            title="web matrix",
            organization_id=world.orgs["acme"],
            now=db.utcnow(),
        )
        alert_id = alert.id
    return Scene(mid, alert_id, _movement(client, world, "other_coord", "TR"))


def intel_ids(client: TestClient, world: Any) -> dict[str, int]:
    """A stored report (ingested by the analyst through the API) and its incident and event."""
    n = next(_N)
    text = (
        "Police post attacked in Bannu\n\nBannu: Gunmen attacked a police checkpoint in Bannu on "
        "Sunday night, "
        f"killing two policemen and wounding three others, officials said. Reference {n}.\n"
    )
    body = {"text": text, "source": f"web-matrix-{n}", "published": "2024-03-05"}
    headers = world["analyst"].headers
    stored = client.post("/api/v1/intel/reports", json=body, headers=headers).json()
    report = client.get(f"/api/v1/intel/reports/{stored[0]['report_id']}", headers=headers).json()
    incident = report["incident_ids"][0]
    event = client.get(f"/api/v1/intel/incidents/{incident}", headers=headers).json()["event_id"]
    return {"incident": incident, "event": event}


# --- requests as each actor ----------------------------------------------------------------------------


def session_headers(world: Any, who: str, *, change: bool = False) -> dict[str, str]:
    """The cookie of a signed-in browser (a pre-sign-in nonce for anon), and the CSRF header for a change."""
    basis = "anon-nonce" if who == "anon" else world[who].token
    cookie = "outrider_pre=anon-nonce" if who == "anon" else f"outrider_session={basis}"
    headers = {"Cookie": cookie}
    if change:
        headers["X-CSRF-Token"] = csrf_token(get_settings().secret_key, basis)
    return headers


Request = Callable[[TestClient, Any, Scene, str], Any]


def get(path: str) -> Request:
    def run(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
        url = path.format(movement=sc.movement, alert=sc.alert, **getattr(sc, "intel", {}))
        return client.get(url, headers=session_headers(world, who), follow_redirects=False)

    return run


def post(path: str, data: dict[str, Any] | Callable[[str], dict[str, Any]] | None = None) -> Request:
    def run(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
        url = path.format(movement=sc.movement, alert=sc.alert, **getattr(sc, "intel", {}))
        body = data(who) if callable(data) else (data or {})
        return client.post(
            url, data=body, headers=session_headers(world, who, change=True), follow_redirects=False
        )

    return run


def _scene_waiver(world: Any, sc: Scene) -> int:
    """The default protocol in force (set up directly: signing is tested in tests/protocols) and a waiver
    of one of its rules for the scene's movement, asked for by its coordinator."""
    with db.transaction() as session:
        admin = caller_of(session.get(User, world["admin"].user_id))
        now = db.utcnow()
        if session.scalar(select(ProtocolVersion.id).limit(1)) is None:
            text = files("outrider.protocols").joinpath("data/default.yaml").read_text("utf-8")
            protocols_service.load_version(session, caller=admin, text=text, parties={}, now=now)
            row = protocols_service.propose_version(
                session, caller=admin, protocol_id="default-protection", version=1, now=now
            )
            row.state, row.agreed_at = "agreed", now
        waiver_id = session.scalar(select(ProtocolWaiver.id).where(ProtocolWaiver.movement_id == sc.movement))
        if waiver_id is None:
            coord = caller_of(session.get(User, world["coord"].user_id))
            data = WaiverCreate(
                rule_id="escort-ratio",
                justification="Escort diverted to a bomb scene; the convoy waits in the inner cordon.",
                expires_at=now + timedelta(days=2),
            )
            waiver_id = waivers.request_waiver(
                session, caller=coord, movement_id=sc.movement, data=data, now=now
            ).id
        return int(waiver_id)


def _waiver_action(action: str, data: dict[str, Any] | None = None) -> Request:
    def run(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
        url = f"/movements/{sc.movement}/waivers/{_scene_waiver(world, sc)}/{action}"
        return client.post(
            url, data=data or {}, headers=session_headers(world, who, change=True), follow_redirects=False
        )

    return run


def _proposal_action(action: str) -> Request:
    """Approve or reject a fresh proposal of the host administrator from the administration page."""

    def run(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
        from outrider.governance import service as governance_service
        from outrider.governance.rules import Kind

        with db.transaction() as session:
            host = caller_of(session.get_one(User, world["admin"].user_id))
            payload = {"name": f"Web Embassy {next(_N)}", "country": "DE"}
            row = governance_service.propose(
                session, caller=host, kind=Kind.partner, payload=payload, now=db.utcnow()
            )
            pid, digest = row.id, row.payload_hash
        data = {"payload_hash": digest} if action == "approve" else {}
        return client.post(
            f"/admin/proposals/{pid}/{action}",
            data=data,
            headers=session_headers(world, who, change=True),
            follow_redirects=False,
        )

    return run


def _revoke_own_token(client: TestClient, world: Any, sc: Scene, who: str) -> Any:
    token_id = 1
    if who != "anon":
        token_id = client.post("/api/v1/me/tokens", json={"name": "w"}, headers=world[who].headers).json()[
            "id"
        ]
    return client.post(
        f"/account/tokens/{token_id}/revoke",
        headers=session_headers(world, who, change=True),
        follow_redirects=False,
    )


def _plan_form(who: str) -> dict[str, Any]:
    return {
        "origin_site": "1",
        "destination_site": "1",
        "departure": "2026-12-01T06:30",
        "arrival": "2026-12-01T08:00",
        "person_ids": "1",
        "route": json.dumps(ROUTE),
    }


def _arrangement(who: str) -> dict[str, Any]:
    return {"document": json.dumps({}), "comment": f"web matrix {who}"}


M = "/movements/{movement}"
REQUESTS: dict[str, Request] = {
    "GET /account": get("/account"),
    "POST /account/tokens": post("/account/tokens", {"name": "from the page", "hours": "2"}),
    "POST /account/tokens/{token_id}/revoke": _revoke_own_token,
    "GET /": get("/"),
    "GET /map/sites.geojson": get("/map/sites.geojson"),
    "GET /map/events.geojson": get("/map/events.geojson"),
    "GET /map/movements.geojson": get("/map/movements.geojson"),
    "GET /map/surface.geojson": get("/map/surface.geojson?bbox=67.0,24.7,67.4,25.0&resolution=5"),
    "GET /movements": get("/movements"),
    "GET /movements/board": get("/movements/board"),
    "GET /movements/new": get("/movements/new"),
    "POST /movements/new": post("/movements/new", _plan_form),
    "POST /movements/new/risk": post("/movements/new/risk", {"route": json.dumps(ROUTE)}),
    "GET /movements/{movement_id}": get(M),
    "POST /movements/{movement_id}/submit": post(M + "/submit"),
    "POST /movements/{movement_id}/approve": post(M + "/approve", {"comment": "ok"}),
    "POST /movements/{movement_id}/reject": post(M + "/reject"),
    "POST /movements/{movement_id}/request-changes": post(M + "/request-changes"),
    "POST /movements/{movement_id}/escort": post(M + "/escort", {"unit_ids": "999999"}),
    "POST /movements/{movement_id}/depart": post(M + "/depart"),
    "POST /movements/{movement_id}/checkins": post(M + "/checkins", {"status": "ok"}),
    "POST /movements/{movement_id}/arrive": post(M + "/arrive"),
    "POST /movements/{movement_id}/incident": post(M + "/incident", {"comment": "test"}),
    "POST /movements/{movement_id}/cancel": post(M + "/cancel", {"comment": "test"}),
    "POST /movements/{movement_id}/protocol-check": post(M + "/protocol-check"),
    "GET /movements/{movement_id}/departure-gate": get(M + "/departure-gate"),
    "POST /movements/{movement_id}/protocol-overrides": post(
        M + "/protocol-overrides",
        {"rule_id": "no-departure-critical-cordon-alert", "reason": "Truck inspected at the gate."},
    ),
    "POST /movements/{movement_id}/waivers": post(
        M + "/waivers",
        {
            "rule_id": "escort-ratio",
            "justification": "Escort diverted to a bomb scene nearby.",
            "hours": "24",
        },
    ),
    "POST /movements/{movement_id}/waivers/{waiver_id}/approve": _waiver_action("approve"),
    "POST /movements/{movement_id}/waivers/{waiver_id}/withdraw": _waiver_action(
        "withdraw", {"reason": "The escort is back at full strength."}
    ),
    "GET /compliance": get("/compliance"),
    "GET /alerts": get("/alerts"),
    "GET /alerts/stream": get("/alerts/stream"),
    "POST /alerts/{alert_id}/acknowledge": post("/alerts/{alert}/acknowledge", {"note": "on it"}),
    "POST /alerts/{alert_id}/escalate": post("/alerts/{alert}/escalate", {"reason": "no answer"}),
    "POST /alerts/{alert_id}/resolve": post("/alerts/{alert}/resolve", {"reason": "patrol checked"}),
    "GET /alerts/bell": get("/alerts/bell?after=0"),
    "GET /alerts/{alert_id}": get("/alerts/{alert}"),
    "POST /alerts/{alert_id}/assign": lambda client, world, sc, who: post(
        "/alerts/{alert}/assign", {"user_id": world["duty"].user_id}
    )(client, world, sc, who),
    "POST /alerts/{alert_id}/notes": post("/alerts/{alert}/notes", {"text": "patrol on its way"}),
    "POST /alerts/{alert_id}/reopen": post("/alerts/{alert}/reopen", {"reason": "it came back"}),
    "GET /intel": get("/intel"),
    "GET /intel/events/{event_id}": get("/intel/events/{event}"),
    "GET /intel/incidents/{incident_id}": get("/intel/incidents/{incident}"),
    "GET /intel/review": get("/intel/review"),
    "POST /intel/reports": post(
        "/intel/reports", lambda who: {"text": f"A bomb exploded in Quetta on Monday, wounding four. {who}."}
    ),
    "POST /intel/incidents/{incident_id}/confirm": post("/intel/incidents/{incident}/confirm"),
    "POST /intel/incidents/{incident_id}/reject": post(
        "/intel/incidents/{incident}/reject", {"reason": "dup"}
    ),
    "GET /audit": get("/audit"),
    "GET /audit/verify": get("/audit/verify"),
    "GET /audit/who-knew": get("/audit/who-knew?movement={movement}"),
    "GET /admin": get("/admin"),
    "POST /admin/organizations": post(
        "/admin/organizations",
        lambda who: {"name": f"Org {who} {next(_N)}", "kind": "other", "country": "PK"},
    ),
    "POST /admin/users": post(
        "/admin/users", lambda who: {"username": f"web-{who}-{next(_N)}", "roles": "analyst"}
    ),
    "POST /admin/arrangement": post("/admin/arrangement", _arrangement),
    "POST /admin/proposals/{proposal_id}/approve": _proposal_action("approve"),
    "POST /admin/proposals/{proposal_id}/reject": _proposal_action("reject"),
    **REGISTRY_REQUESTS,  # the registry pages: their requests and actors live beside their other tests
}
ALLOWED.update(REGISTRY_ALLOWED)
REQUESTS.update(ACCOUNTS_REQUESTS)  # the accounts pages: their requests and actors live beside their tests
ALLOWED.update(ACCOUNTS_ALLOWED)
REQUESTS.update(COMMITTEE_WEB_REQUESTS)  # the committee's pages: requests and actors beside their tests
ALLOWED.update({entry: who & set(ACTORS) for entry, who in COMMITTEE_WEB_ALLOWED.items()})
REQUESTS.update(FIELD_REQUESTS)  # the field pages: their requests and actors live beside their tests
ALLOWED.update(FIELD_ALLOWED)
REQUESTS.update(SHARING_REQUESTS)  # the sharing page: its requests and actors live beside its tests
ALLOWED.update(SHARING_ALLOWED)


def _refused(resp: Any) -> bool:
    if resp.status_code in (401, 403, 404):
        return True
    return resp.status_code == 303 and resp.headers.get("location", "").startswith("/login")


# Routes whose actors differ from their entry's on this scene: one alert of Acme's is read by its readers.
ROUTE_ALLOWED = {"GET /alerts/{alert_id}": ACME | {"admin", "duty", "auditor"}}


def _check(route: str, client: TestClient, world: Any, scene: Scene) -> None:
    allowed = ROUTE_ALLOWED.get(route) or ALLOWED[WEB_ROUTES[route]]
    for who in sorted(ACTORS, key=lambda a: a in allowed):  # refused actors first: they change nothing
        resp = REQUESTS[route](client, world, scene, who)
        if who in allowed:
            assert not _refused(resp), f"{route}: {who} was refused ({resp.status_code})"
            assert resp.status_code < 500, f"{route}: {who}: {resp.status_code} {resp.text[:300]}"
        else:
            assert _refused(resp), f"{route}: {who} got through ({resp.status_code})"


@dataclass(frozen=True)
class Built:
    """The world and a scene built once per module and backend; the rows without and with the analyst's
    stored report (the intel routes' scene), for `engine` to put back before each test."""

    world: World
    scene: Scene
    intel: dict[str, int]
    rows: Snapshot
    rows_with_intel: Snapshot


@pytest.fixture(scope="module")
def built(migrated_engine: Engine) -> Iterator[Built]:
    reset(migrated_engine)
    db.set_engine(migrated_engine)
    try:
        world = build_world()
        with TestClient(create_app(), raise_server_exceptions=False) as client:
            scene = make_scene(client, world)
            rows = snapshot(migrated_engine)
            intel = intel_ids(client, world)
        yield Built(world, scene, intel, rows, snapshot(migrated_engine))
    finally:
        db.set_engine(None)


def _with_intel(request: pytest.FixtureRequest) -> bool:
    callspec = getattr(request.node, "callspec", None)
    return callspec is None or "route" not in callspec.params or "/intel/" in str(callspec.params["route"])


@pytest.fixture
def engine(request: pytest.FixtureRequest, migrated_engine: Engine, built: Built) -> Iterator[Engine]:
    """The `engine` of conftest.py holding the module's world and scene, as each test built them before
    (the reads and the intel changes with the stored report): what a test changes or adds goes."""
    reset(migrated_engine, built.rows_with_intel if _with_intel(request) else built.rows)
    db.set_engine(migrated_engine)
    yield migrated_engine
    db.set_engine(None)


def _scene(built: Built, *, intel: bool) -> Scene:
    scene = replace(built.scene)
    if intel:
        scene.intel = dict(built.intel)  # type: ignore[attr-defined]
    return scene


def test_every_page_and_fragment_allows_exactly_its_actors(
    client: TestClient, built: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reads, on one scene (they change nothing the next read depends on)."""
    monkeypatch.setattr(pages_alerts, "STREAM_SECONDS", 0.3)
    monkeypatch.setattr(pages_alerts, "POLL_SECONDS", 0.1)
    scene = _scene(built, intel=True)
    for route in sorted(r for r in REQUESTS if r.startswith("GET ")):
        _check(route, client, built.world, scene)


@pytest.fixture(autouse=True)
def _postgresql_runs_a_sample(request: pytest.FixtureRequest, migrated_engine: Any) -> None:
    skip_unless_sampled(request, migrated_engine)


@pytest.mark.parametrize("route", sorted(r for r in REQUESTS if not r.startswith("GET ")))
def test_every_change_allows_exactly_its_actors(route: str, client: TestClient, built: Built) -> None:
    """Each change on a fresh scene (the built one, its rows put back)."""
    _check(route, client, built.world, _scene(built, intel="/intel/" in route))
