"""The protocols API: the agreement through HTTP, evaluations with need-to-know evidence, waivers, reports."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from protocols_world import DEFAULT_TEXT, add_user, scene, with_version
from pypdf import PdfReader

from outrider.pdf_fonts import font_files
from outrider.protocols import keys
from outrider.protocols.engine import facts_hash
from outrider.protocols.loader import load_protocol
from pdf_text import page_text

P = "/api/v1/protocols"
V = f"{P}/default-protection/versions/1"
JUSTIFICATION = "Escort unit diverted to a bomb scene; the convoy waits inside the inner cordon."


def _token(client: TestClient, username: str) -> dict[str, str]:
    resp = client.post(
        "/api/v1/auth/token", data={"username": username, "password": "correct horse battery staple"}
    )
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


def _sign(client: TestClient, headers: dict[str, str], document_hash: str) -> Any:
    pem, public = keys.generate_pem()
    made = client.post(
        f"{P}/signing-keys", json={"public_key": public.hex(), "label": "laptop"}, headers=headers
    )
    assert made.status_code == 201, made.text
    signature = keys.sign_document(keys.load_private_pem(pem), document_hash)
    body = {"document_hash": document_hash, "public_key": public.hex(), "signature": signature.hex()}
    return client.post(f"{V}/signatures", json=body, headers=headers)


def _agree_over_http(client: TestClient, world: Any) -> dict[str, str]:
    add_user(world, "emb_admin", "embassy", ["admin"])
    embassy = _token(client, "emb_admin")
    admin = world["admin"].headers
    loaded = client.post(P, json={"text": DEFAULT_TEXT}, headers=admin)
    assert loaded.status_code == 201, loaded.text
    assert loaded.json()["state"] == "draft" and loaded.json()["awaiting"] == [
        "host-security-force",
        "partner-government",
    ]
    digest = loaded.json()["document_hash"]
    assert client.post(f"{V}/propose", headers=admin).json()["state"] == "proposed"
    other = load_protocol(with_version(DEFAULT_TEXT, 2)).hash
    refused = _sign(client, admin, other)
    assert refused.status_code == 409 and refused.json()["type"] == "urn:outrider:problem:rule-violation"
    assert _sign(client, admin, digest).json()["awaiting"] == ["partner-government"]
    agreed = _sign(client, embassy, digest).json()
    assert agreed["state"] == "agreed" and agreed["status"] == "effective"
    assert all(x["verified"] for x in agreed["signatures"])
    return embassy


def test_the_agreement_over_http(client: TestClient, world: Any) -> None:
    _agree_over_http(client, world)
    listed = client.get(P, headers=world["analyst"].headers).json()
    assert [(v["protocol_id"], v["version"], v["status"]) for v in listed] == [
        ("default-protection", 1, "effective")
    ]
    shown = client.get(f"{V}?text=true&on=2025-06-01", headers=world["coord"].headers).json()
    assert shown["status"] == "agreed" and shown["text"] == DEFAULT_TEXT and len(shown["rules"]) == 18
    keys_listed = client.get(f"{P}/signing-keys", headers=world["admin"].headers).json()
    assert [k["label"] for k in keys_listed] == ["laptop", "laptop"]  # the refused signature used one
    bad = client.post(f"{P}/validate", json={"text": "id: x\nrules: [\n"}, headers=world["coord"].headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["kind"] == "yaml"
    good = client.post(f"{P}/validate", json={"text": DEFAULT_TEXT}, headers=world["coord"].headers).json()
    assert good["valid"] and good["hash"] == shown["document_hash"]
    assert client.get(f"{P}/nothing/versions/1", headers=world["coord"].headers).status_code == 404


def test_evaluations_show_evidence_only_to_the_need_to_know_list(client: TestClient, world: Any) -> None:
    _agree_over_http(client, world)
    mid = scene(client, world)["movement"]
    check = client.post(
        f"/api/v1/movements/{mid}/protocol-evaluations", json={}, headers=world["coord"].headers
    )
    assert check.status_code == 200, check.text
    body = check.json()
    assert not body["allowed"] and body["blocking"] == ["escort-ratio"] and body["phase"] == "plan"
    assert (
        client.post(
            f"/api/v1/movements/{mid}/protocol-evaluations", json={}, headers=world["analyst"].headers
        ).status_code
        == 403
    )
    for who, visible in (("coord", True), ("auditor", True), ("analyst", False), ("admin", False)):
        rows = client.get(f"/api/v1/movements/{mid}/protocol-evaluations", headers=world[who].headers).json()
        assert [r["trigger"] for r in rows] == ["manual", "submit"], who
        assert all(r["evidence_visible"] is visible for r in rows), who
        first = rows[0]
        if visible:
            assert facts_hash(first["facts"]) == first["facts_hash"]
            assert first["results"][0]["facts_read"] is not None
        else:
            assert first["facts"] is None and all(r["facts_read"] is None for r in first["results"])
    assert (
        client.get(
            f"/api/v1/movements/{mid}/protocol-evaluations", headers=world["other_coord"].headers
        ).status_code
        == 404
    )


def test_waivers_over_http(client: TestClient, world: Any) -> None:
    _agree_over_http(client, world)
    mid = scene(client, world)["movement"]
    until = (datetime.now(UTC) + timedelta(hours=6)).isoformat()
    body = {"rule_id": "escort-ratio", "justification": JUSTIFICATION, "expires_at": until}
    short = client.post(
        f"/api/v1/movements/{mid}/waivers",
        json={**body, "justification": "short"},
        headers=world["coord"].headers,
    )
    assert short.status_code == 422
    made = client.post(f"/api/v1/movements/{mid}/waivers", json=body, headers=world["coord"].headers)
    assert made.status_code == 201, made.text
    waiver = made.json()
    assert waiver["state"] == "pending" and waiver["awaiting"] == [
        "host-security-force",
        "partner-government",
    ]
    assert (
        client.post(f"/api/v1/movements/{mid}/approve", json={}, headers=world["duty"].headers).status_code
        == 409
    )
    for who in ("duty", "liaison"):
        approved = client.post(f"{P}/waivers/{waiver['id']}/approve", headers=world[who].headers)
        assert approved.status_code == 200, approved.text
    assert approved.json()["valid_now"] and approved.json()["state"] == "approved"
    assert (
        client.post(f"{P}/waivers/{waiver['id']}/approve", headers=world["coord"].headers).status_code == 403
    )
    for who in ("duty", "liaison"):
        assert (
            client.post(f"/api/v1/movements/{mid}/approve", json={}, headers=world[who].headers).status_code
            == 200
        )
    listed = client.get(f"/api/v1/movements/{mid}/waivers", headers=world["auditor"].headers).json()
    assert [(w["rule_id"], w["state"]) for w in listed] == [("escort-ratio", "approved")]


def test_report_numbers_over_stored_evaluations(client: TestClient, world: Any) -> None:
    """Hand count: movement A (no escort) is checked at submit (fail), then, waived, at two approvals
    (fail, waived); movement B (escorted) passes at submit, two approvals and departure and fails the
    head count at arrival. 8 checks stored; counted, the evaluations of record: A's last approval, B's
    last approval, departure and arrival: 4 evaluations of 2 movements, 2 passed; escort-ratio applied
    twice, passed once, failed once (waived); 2 violations."""
    _agree_over_http(client, world)
    a = scene(client, world, tag="a")["movement"]
    until = (datetime.now(UTC) + timedelta(hours=6)).isoformat()
    w = client.post(
        f"/api/v1/movements/{a}/waivers",
        json={"rule_id": "escort-ratio", "justification": JUSTIFICATION, "expires_at": until},
        headers=world["duty"].headers,
    ).json()
    assert (
        client.post(f"{P}/waivers/{w['id']}/approve", headers=world["liaison"].headers).json()["state"]
        == "approved"
    )
    b = scene(client, world, tag="b", escort=True)["movement"]
    for mid, steps in (
        (a, [("approve", "duty", {}), ("approve", "liaison", {})]),
        (
            b,
            [
                ("approve", "duty", {}),
                ("approve", "liaison", {}),
                ("depart", "duty", {}),
                ("arrive", "duty", {"persons_counted": 0}),
            ],
        ),
    ):
        for path, who, payload in steps:
            assert (
                client.post(
                    f"/api/v1/movements/{mid}/{path}", json=payload, headers=world[who].headers
                ).status_code
                == 200
            )
    today = datetime.now(UTC).date()
    q = f"{P}/report?from={(today - timedelta(days=40)).isoformat()}&to={today.isoformat()}"
    report = client.get(q, headers=world["auditor"].headers)
    assert report.status_code == 200, report.text
    r = report.json()
    # Counted: each movement as approved (the last approval), departed and arrived; the checks at
    # submission and the first party's approvals are superseded, stored but not counted.
    assert (r["evaluations"], r["movements"], r["passed"], r["failed"]) == (4, 2, 2, 2)
    assert r["by_trigger"] == {"approve": 2, "arrive": 1, "depart": 1}
    assert (r["checks_stored"], r["superseded"], r["previews"], r["refusals"]) == (8, 4, 0, [])
    rules = {x["rule_id"]: x for x in r["rules"]}
    escort = rules["escort-ratio"]
    assert (
        escort["evaluated"],
        escort["passed"],
        escort["failed"],
        escort["waived"],
        escort["pass_rate"],
    ) == (2, 1, 1, 1, 0.5)
    counted = rules["persons-counted-at-arrival"]
    assert (counted["evaluated"], counted["failed"], counted["pass_rate"]) == (1, 1, 0.0)
    assert rules["route-variation"]["pass_rate"] == 1.0
    assert rules["no-departure-critical-cordon-alert"]["pass_rate"] == 1.0
    assert [(v["movement_id"], v["rule_id"], v["waived"]) for v in r["violations"]] == [
        (a, "escort-ratio", True),
        (b, "persons-counted-at-arrival", False),
    ]
    assert all(facts_hash(v["facts"]) == v["facts_hash"] for v in r["violations"])
    month = today.strftime("%Y-%m")
    assert [(m["month"], m["evaluations"], m["violations"]) for m in r["months"]][-1] == (month, 4, 2)
    assert sum(m["evaluations"] for m in r["months"]) == 4
    # Filters: another organisation's movements, another protocol.
    other = client.get(q + f"&org={world.orgs['other']}", headers=world["auditor"].headers).json()
    assert other["evaluations"] == 0
    assert client.get(q + "&protocol=nothing", headers=world["auditor"].headers).json()["evaluations"] == 0
    # The company sees its own movements and their evidence; another company sees none of them.
    assert client.get(q, headers=world["coord"].headers).json()["evaluations"] == 4
    assert client.get(q, headers=world["other_coord"].headers).json()["evaluations"] == 0
    assert client.get(q, headers=world["analyst"].headers).status_code == 403
    # The other forms.
    pdf = client.get(q + "&format=pdf", headers=world["auditor"].headers)
    assert (
        pdf.headers["content-type"] == "application/pdf"
        and "attachment" in pdf.headers["content-disposition"]
    )
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "escort-ratio" in text and "50.0 %" in text and "Evaluations 4" in text
    chinese = client.get(q + "&format=pdf&lang=zh-Hans", headers=world["auditor"].headers)
    assert chinese.status_code == 200 and "escort-ratio" in page_text(chinese.content)
    if "cjk" in font_files():
        assert "协议遵守情况报告" in page_text(chinese.content) and "评估次数 4" in page_text(chinese.content)
    assert client.get(q + "&format=pdf&lang=fr", headers=world["auditor"].headers).status_code == 422
    html = client.get(q + "&format=html", headers=world["auditor"].headers)
    assert html.headers["content-type"].startswith("text/html") and "persons-counted-at-arrival" in html.text
    rows = list(
        csv.DictReader(io.StringIO(client.get(q + "&format=csv", headers=world["auditor"].headers).text))
    )
    assert len([x for x in rows if x["section"] == "violation"]) == 2
    bad = client.get(
        f"{P}/report?from={today.isoformat()}&to={(today - timedelta(days=1)).isoformat()}",
        headers=world["auditor"].headers,
    )
    assert bad.status_code == 422


def test_a_revoked_key_signs_nothing_and_its_signatures_stay_verifiable(
    client: TestClient, world: Any
) -> None:
    _agree_over_http(client, world)
    admin = world["admin"].headers
    signed = client.get(f"{V}", headers=admin).json()["signatures"]
    pem, public = keys.generate_pem()
    made = client.post(f"{P}/signing-keys", json={"public_key": public.hex(), "label": "lost"}, headers=admin)
    key_id = made.json()["id"]
    # Another organisation's administrator cannot even see that the key exists.
    add_user(world, "emb2_admin", "embassy", ["admin"])
    assert (
        client.post(f"{P}/signing-keys/{key_id}/revoke", headers=_token(client, "emb2_admin")).status_code
        == 404
    )
    revoked = client.post(f"{P}/signing-keys/{key_id}/revoke", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    again = client.post(f"{P}/signing-keys/{key_id}/revoke", headers=admin)
    assert again.status_code == 409 and "already revoked" in again.json()["detail"]
    assert client.post(f"{P}/signing-keys/999999/revoke", headers=admin).status_code == 404
    # A new version cannot be signed with it.
    loaded = client.post(P, json={"text": with_version(DEFAULT_TEXT, 2)}, headers=admin).json()
    client.post(f"{P}/default-protection/versions/2/propose", headers=admin)
    signature = keys.sign_document(keys.load_private_pem(pem), loaded["document_hash"])
    body = {
        "document_hash": loaded["document_hash"],
        "public_key": public.hex(),
        "signature": signature.hex(),
    }
    refused = client.post(f"{P}/default-protection/versions/2/signatures", json=body, headers=admin)
    assert refused.status_code == 403
    # The agreement signed before stays verified.
    still = client.get(f"{V}", headers=admin).json()["signatures"]
    assert still == signed and all(x["verified"] for x in still)
