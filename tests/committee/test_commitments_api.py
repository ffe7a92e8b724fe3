"""Commitments through the API: both assessments side by side, a document uploaded and kept by its hash,
refusals in the one problem+json shape, and the responses declared in the OpenAPI document."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from fastapi.testclient import TestClient

from outrider.app import create_app

API = "/api/v1/commitments"


def _post(client: TestClient, world: Any, who: str, path: str, body: Any) -> Any:
    return client.post(API + path, json=body, headers=world[who].headers)


def test_a_commitment_through_the_api(client: TestClient, world: Any) -> None:
    body = {
        "title": "$1.25 million for police capacity",
        "kind": "funding",
        "promisor": "partner",
        "beneficiary": "host",
        "amount": 1_250_000,
        "currency": "USD",
        "stage": "pledged",
        "deadline": "2027-03-31",
        "partner_owner_id": world["liaison"].user_id,
    }
    made = _post(client, world, "embassy_admin", "", body)
    assert made.status_code == 201, made.text
    cid = made.json()["id"]
    bad = _post(client, world, "admin", "", {**body, "currency": "dollars"})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["errors"]
    back = _post(
        client, world, "liaison", f"/{cid}/stage", {"stage": "announced", "date": "2026-11-02", "title": "x"}
    )
    assert back.status_code == 409 and back.json()["type"].endswith("rule-violation")
    assert "needs a reason" in back.json()["detail"]
    paid = {"stage": "funded", "date": "2026-11-20", "title": "ECC approval", "evidence_kind": "note"}
    assert _post(client, world, "liaison", f"/{cid}/stage", paid).status_code == 201  # the partner's owner

    data = b"%PDF-1.4 transfer advice"
    upload = {
        "kind": "document",
        "date": "2026-11-21",
        "title": "transfer advice",
        "file_name": "advice.pdf",
        "content_base64": base64.b64encode(data).decode(),
    }
    entry = _post(client, world, "duty", f"/{cid}/evidence", upload)
    assert entry.status_code == 201, entry.text
    assert (entry.json()["sha256"], entry.json()["size"]) == (hashlib.sha256(data).hexdigest(), len(data))
    not_b64 = _post(client, world, "duty", f"/{cid}/evidence", {**upload, "content_base64": "%%%"})
    assert not_b64.status_code == 422

    assert (
        _post(client, world, "admin", f"/{cid}/assessments", {"party": "host", "score": 1}).status_code == 201
    )
    partner = {"party": "partner", "score": 3, "note": "paid in full"}
    assert _post(client, world, "embassy_admin", f"/{cid}/assessments", partner).status_code == 201
    read = client.get(f"{API}/{cid}", headers=world["analyst"].headers).json()
    side = read["assessments"]
    assert (side["host"]["score"], side["partner"]["score"], side["disagree"]) == (1, 3, True)
    assert side["partner"]["meaning"] == "done" and read["status"] == "open"
    over = _post(client, world, "admin", f"/{cid}/assessments", {"party": "host", "score": 4})
    assert over.status_code == 422
    listed = client.get(f"{API}?kind=funding&status=open&party=partner", headers=world["liaison"].headers)
    assert [c["id"] for c in listed.json()] == [cid]
    timeline = client.get(f"{API}/{cid}/timeline", headers=world["auditor"].headers).json()
    assert [e["type"] for e in timeline["entries"]] == [
        "evidence",
        "evidence",
        "evidence",
        "assessment",
        "assessment",
    ]


def test_the_openapi_document_declares_the_refusals() -> None:
    paths = create_app().openapi()["paths"]
    stage = paths[f"{API}/{{commitment_id}}/stage"]["post"]["responses"]
    assert {"201", "401", "403", "404", "409", "422"} <= set(stage)
    assert {"200", "401", "403", "422"} <= set(paths[API]["get"]["responses"])
