"""The commitments' API routes as the route matrices call them: one request per route, made on fresh records
of its own (a commitment, a stored report and a proposal), and who may pass each policy entry.

Shared by `tests/access/test_authorization_matrix.py` (its actors) and `tests/committee/
test_commitments_matrix.py` (every role of the host, the partner, two companies and an outsider).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from outrider import db
from outrider.accounts.models import User
from outrider.committee import commitments
from outrider.committee import schemas_commitments as s
from outrider.committee.commitment_models import CoopProposal
from outrider.http import caller_of
from outrider.intel.models import IntelReport

HOST = {"admin", "duty", "analyst", "auditor"}
PARTNER = {"liaison", "embassy_admin"}
# Who passes each entry, among every user of the test world (anon never does).
ALLOWED: dict[str, set[str]] = {
    "commitments.read": HOST | PARTNER,
    "commitments.write": {"admin", "duty"} | PARTNER,
    "commitments.assess": {"admin", "duty"} | PARTNER,  # each for its own party
    "commitments.news": {"admin", "analyst", "embassy_admin"},
    "commitments.secretariat": {"admin", "embassy_admin"},
}
_N = itertools.count(1)
Run = Callable[[TestClient, Any, str], Any]


def _headers(world: Any, who: str) -> dict[str, str]:
    return {} if who == "anon" else world[who].headers


def _commitment(world: Any) -> int:
    with db.transaction() as session:
        host = caller_of(session.get_one(User, world["admin"].user_id))
        data = s.CommitmentCreate(
            title=f"Matrix commitment {next(_N)}", kind="training", deadline="2027-06-30"
        )
        return commitments.create_commitment(session, caller=host, data=data, now=db.utcnow()).id


def _report(with_proposal: bool) -> tuple[int, int | None]:
    n = next(_N)
    text = f"Report {n}: China pledged to train Pakistani police officers."
    now = db.utcnow()
    with db.transaction() as session:
        report = IntelReport(
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
            doc_id=f"matrix-{n}",
            source=f"https://news.example.org/{n}",
            title=f"Report {n}",
            published=now.date(),
            language="en",
            raw_text=text,
            clean_text=text,
            related=[],
            ingested_at=now,
            ntk_groups=[],
        )
        session.add(report)
        session.flush()
        if not with_proposal:
            return report.id, None
        record = {
            "doc_id": report.doc_id,
            "kind": "training",
            "parties": ["CN", "PK"],
            "promisor": "CN",
            "beneficiary": "PK",
            "stage": "pledged",
            "date": now.date().isoformat(),
            "amount": None,
            "currency": None,
            "object": "training of police officers",
            "group": None,
        }
        proposal = CoopProposal(
            report_id=report.id,
            seq=0,
            kind="training",
            stage="pledged",
            link_key=f"m-{n}",
            record=record,
            evidence=[{"text": text}],
            state="proposed",
            reason="",
            created_at=now,
        )
        session.add(proposal)
        session.flush()
        return report.id, proposal.id


def _on_commitment(method: str, tail: str, body: Callable[[Any, str], Any] | Any = None) -> Run:
    def run(client: TestClient, world: Any, who: str) -> Any:
        cid = _commitment(world)
        payload = body(world, who) if callable(body) else body
        return client.request(
            method, f"/api/v1/commitments/{cid}{tail}", json=payload, headers=_headers(world, who)
        )

    return run


def _on_proposal(method: str, tail: str, body: Any = None) -> Run:
    def run(client: TestClient, world: Any, who: str) -> Any:
        _, pid = _report(with_proposal=True)
        return client.request(
            method, f"/api/v1/commitments/proposals/{pid}{tail}", json=body, headers=_headers(world, who)
        )

    return run


def _plain(method: str, path: str, body: Any = None) -> Run:
    def run(client: TestClient, world: Any, who: str) -> Any:
        return client.request(method, path, json=body, headers=_headers(world, who))

    return run


def _propose(client: TestClient, world: Any, who: str) -> Any:
    report_id, _ = _report(with_proposal=False)
    return client.post(
        "/api/v1/commitments/proposals", json={"report_id": report_id}, headers=_headers(world, who)
    )


def _own_party(world: Any, who: str) -> dict[str, Any]:
    party = "partner" if who in PARTNER else "host"
    return {"party": party, "score": 1, "note": "begun"}


STAGE = {"stage": "agreed", "date": "2026-11-01", "title": "agreed at the JWG"}
EVIDENCE = {"kind": "note", "date": "2026-11-01", "title": "raised at the meeting"}
CREATE = {"title": "Joint exercise", "kind": "joint_exercise"}

# route -> (policy entry, request)
REQUESTS: dict[str, tuple[str, Run]] = {
    "GET /api/v1/commitments": ("commitments.read", _plain("GET", "/api/v1/commitments")),
    "POST /api/v1/commitments": ("commitments.write", _plain("POST", "/api/v1/commitments", CREATE)),
    "GET /api/v1/commitments/proposals": ("commitments.read", _plain("GET", "/api/v1/commitments/proposals")),
    "POST /api/v1/commitments/proposals": ("commitments.news", _propose),
    "GET /api/v1/commitments/proposals/{proposal_id}": ("commitments.read", _on_proposal("GET", "")),
    "POST /api/v1/commitments/proposals/{proposal_id}/accept": (
        "commitments.secretariat",
        _on_proposal("POST", "/accept", {}),
    ),
    "POST /api/v1/commitments/proposals/{proposal_id}/reject": (
        "commitments.secretariat",
        _on_proposal("POST", "/reject", {"reason": "not a commitment: a demand"}),
    ),
    "GET /api/v1/commitments/{commitment_id}": ("commitments.read", _on_commitment("GET", "")),
    "PATCH /api/v1/commitments/{commitment_id}": (
        "commitments.write",
        _on_commitment("PATCH", "", {"deadline": "2027-09-30", "reason": "moved at the JWG"}),
    ),
    "POST /api/v1/commitments/{commitment_id}/stage": (
        "commitments.write",
        _on_commitment("POST", "/stage", STAGE),
    ),
    "POST /api/v1/commitments/{commitment_id}/assessments": (
        "commitments.assess",
        _on_commitment("POST", "/assessments", _own_party),
    ),
    "POST /api/v1/commitments/{commitment_id}/evidence": (
        "commitments.write",
        _on_commitment("POST", "/evidence", EVIDENCE),
    ),
    "GET /api/v1/commitments/{commitment_id}/timeline": (
        "commitments.read",
        _on_commitment("GET", "/timeline"),
    ),
}


def as_matrix_requests(request_type: Callable[[Run], Any]) -> dict[str, tuple[str, Any]]:
    """The requests in another matrix's shape (``request_type`` adapts a run to its signature)."""
    return {route: (entry, request_type(run)) for route, (entry, run) in REQUESTS.items()}
