"""The committee's and the commitments' pages in the web policy matrix: the requests and actors that
`test_web_access` checks for each of their routes (it merges them into its own), and here the same routes
tried by the partner's administrator, whom that matrix's actors leave out.

Each request runs on fresh records of its own: a committee (the host administrator and the liaison chair it,
the analyst is its secretariat, the duty officer a member) with a planned meeting and an agenda item, a
commitment recorded by the host administrator, a report with a proposal from the news. Who passes each entry
is the API matrices' (`tests/committee_routes.py`, `tests/commitment_routes.py`): the web decides the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from test_web_registry_access import headers

from commitment_routes import ALLOWED as COMMITMENT_API_ALLOWED
from commitment_routes import PARTNER, _commitment, _report
from committee_routes import ALLOWED as COMMITTEE_API_ALLOWED
from committee_routes import fresh
from outrider.access.web_routes import WEB_ROUTES

Request = Callable[[TestClient, Any, Any, str], Any]
COMMITTEE_WEB_ALLOWED: dict[str, set[str]] = {**COMMITTEE_API_ALLOWED, **COMMITMENT_API_ALLOWED}


def _get(path: str, *, on: str) -> Request:
    def run(client: TestClient, world: Any, scene: Any, who: str) -> Any:
        url = path.format(meeting=fresh(world).meeting) if on == "meeting" else path
        if on == "commitment":
            url = path.format(commitment=_commitment(world))
        return client.get(url, headers=headers(world, who), follow_redirects=False)

    return run


def _post(path: str, body: dict[str, Any] | Callable[[str], dict[str, Any]], *, on: str) -> Request:
    def run(client: TestClient, world: Any, scene: Any, who: str) -> Any:
        if on == "meeting":
            f = fresh(world)
            url = path.format(meeting=f.meeting, item=f.item, committee=f.committee)
        elif on == "commitment":
            url = path.format(commitment=_commitment(world))
        else:
            url = path.format(proposal=_report(with_proposal=True)[1])
        data = body(who) if callable(body) else body
        return client.post(url, data=data, headers=headers(world, who, change=True), follow_redirects=False)

    return run


def _own_party(who: str) -> dict[str, str]:
    return {"party": "partner" if who in PARTNER else "host", "score": "2", "note": "largely done"}


M = "/committee/meetings/{meeting}"
COMMITTEE_WEB_REQUESTS: dict[str, Request] = {
    "GET /committee": _get("/committee", on="none"),
    "GET /committee/meetings/{meeting_id}": _get(M, on="meeting"),
    "POST /committee/{committee_id}/meetings": _post(
        "/committee/{committee}/meetings",
        {"title": "Next", "starts_at": "2026-12-20T10:00", "timezone": "Asia/Karachi", "place": "Islamabad"},
        on="meeting",
    ),
    "POST /committee/meetings/{meeting_id}/held": _post(M + "/held", {}, on="meeting"),
    "POST /committee/meetings/{meeting_id}/attendance": _post(
        M + "/attendance", {"guest_name": "A. Guest", "status": "present"}, on="meeting"
    ),
    "POST /committee/meetings/{meeting_id}/agenda": _post(M + "/agenda", {"title": "Cordon"}, on="meeting"),
    "POST /committee/meetings/{meeting_id}/minutes": _post(M + "/minutes", {"text": "Noted."}, on="meeting"),
    "POST /committee/meetings/{meeting_id}/agenda/{item_id}/outcomes": _post(
        M + "/agenda/{item}/outcomes", {"kind": "information", "text": "Checks every hour."}, on="meeting"
    ),
    "POST /committee/meetings/{meeting_id}/agenda/{item_id}/comments": _post(
        M + "/agenda/{item}/comments", {"text": "Agreed."}, on="meeting"
    ),
    "GET /commitments": _get("/commitments", on="none"),
    "GET /commitments/{commitment_id}": _get("/commitments/{commitment}", on="commitment"),
    "POST /commitments/{commitment_id}/assessments": _post(
        "/commitments/{commitment}/assessments", _own_party, on="commitment"
    ),
    "POST /commitments/{commitment_id}/evidence": _post(
        "/commitments/{commitment}/evidence",
        {"kind": "note", "date": "2026-11-01", "title": "raised at the meeting"},
        on="commitment",
    ),
    "POST /commitments/{commitment_id}/stage": _post(
        "/commitments/{commitment}/stage",
        {"stage": "agreed", "date": "2026-11-01", "title": "agreed at the meeting"},
        on="commitment",
    ),
    "POST /commitments/proposals/{proposal_id}/accept": _post(
        "/commitments/proposals/{proposal}/accept", {}, on="proposal"
    ),
    "POST /commitments/proposals/{proposal_id}/reject": _post(
        "/commitments/proposals/{proposal}/reject", {"reason": "a demand, not a commitment"}, on="proposal"
    ),
}


def _refused(resp: Any) -> bool:
    if resp.status_code in (401, 403, 404):
        return True
    return resp.status_code == 303 and resp.headers.get("location", "").startswith("/login")


def test_the_matrix_knows_every_committee_page() -> None:
    ours = {r for r in WEB_ROUTES if r.split(" ", 1)[1].startswith(("/committee", "/commitments"))}
    assert ours == set(COMMITTEE_WEB_REQUESTS)
    assert {WEB_ROUTES[r] for r in ours} <= set(COMMITTEE_WEB_ALLOWED) | {"signed_in"}


def test_the_partners_administrator_passes_exactly_where_the_api_lets_them(
    client: TestClient, world: Any, engine: Any
) -> None:
    """Every route, on one world (PostgreSQL: the changes only; reads decide in Python the same)."""
    for route in sorted(COMMITTEE_WEB_REQUESTS):
        if engine.dialect.name == "postgresql" and route.startswith("GET"):
            continue
        entry = WEB_ROUTES[route]
        allowed = entry == "signed_in" or "embassy_admin" in COMMITTEE_WEB_ALLOWED[entry]
        resp = COMMITTEE_WEB_REQUESTS[route](client, world, None, "embassy_admin")
        assert _refused(resp) is not allowed, f"{route}: {resp.status_code} {resp.text[:300]}"
        assert resp.status_code < 500, route
