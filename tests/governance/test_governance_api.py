"""Issue 16 items 1-4 replayed through the API: no single party rewrites what the two governments agreed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib.resources import files
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from outrider import db
from outrider.accounts import service as accounts_service
from outrider.accounts.schemas import Role, TokenCreate, UserCreate
from outrider.audit.models import AuditRecord
from outrider.protocols import keys
from outrider.protocols.loader import load_protocol

DEFAULT_TEXT = files("outrider.protocols").joinpath("data/default.yaml").read_text("utf-8")
API = "/api/v1"


def _post(client: TestClient, world: Any, who: str, path: str, body: Any) -> Any:
    return client.post(API + path, json=body, headers=world[who].headers)


def _key(client: TestClient, world: Any, who: str) -> tuple[Any, str]:
    pem, public = keys.generate_pem()
    r = _post(client, world, who, "/protocols/signing-keys", {"public_key": public.hex(), "label": who})
    assert r.status_code == 201, r.text
    return keys.load_private_pem(pem), public.hex()


def _sign(client: TestClient, world: Any, who: str, key: tuple[Any, str], pid: str, v: int, h: str) -> Any:
    signature = keys.sign_document(key[0], h).hex()
    body = {"document_hash": h, "public_key": key[1], "signature": signature}
    return _post(client, world, who, f"/protocols/{pid}/versions/{v}/signatures", body)


def _agree_default(client: TestClient, world: Any) -> None:
    loaded = load_protocol(DEFAULT_TEXT)
    r = _post(client, world, "admin", "/protocols", {"text": DEFAULT_TEXT})
    assert r.status_code == 201, r.text
    parties = {p["party"]: p["organization_id"] for p in r.json()["parties"]}
    assert set(parties.values()) == {world.orgs["host"], world.orgs["embassy"]}  # bound to the founders
    assert (
        _post(client, world, "admin", f"/protocols/{loaded.document.id}/versions/1/propose", {}).status_code
        == 200
    )
    for who in ("admin", "embassy_admin"):
        assert (
            _sign(
                client, world, who, _key(client, world, who), loaded.document.id, 1, loaded.hash
            ).status_code
            == 200
        )


def _approve(client: TestClient, world: Any, who: str, proposal: dict[str, Any]) -> Any:
    body = {"payload_hash": proposal["payload_hash"]}
    return _post(client, world, who, f"/governance/proposals/{proposal['id']}/approve", body)


def test_item1_two_companies_cannot_replace_the_agreed_protocol(client: TestClient, world: Any) -> None:
    _agree_default(client, world)
    # The attack: a version without the escort rule, its two parties bound to two companies.
    without_escort = DEFAULT_TEXT.replace("version: 1\n", "version: 2\n", 1)
    assert "escort-ratio" in without_escort
    bound = {"host-security-force": world.orgs["acme"], "partner-government": world.orgs["other"]}
    r = _post(client, world, "acme_admin", "/protocols", {"text": without_escort, "parties": bound})
    assert r.status_code == 403, r.text
    assert "founding" in r.json()["detail"]
    # Even bound to the founding parties, a company admin cannot load a version superseding the agreed one.
    r = _post(client, world, "acme_admin", "/protocols", {"text": without_escort})
    assert r.status_code == 403
    versions = client.get(API + "/protocols", headers=world["admin"].headers).json()
    assert [v["version"] for v in versions] == [1] and versions[0]["status"] in ("effective", "agreed")


def test_item1_a_binding_to_other_organisations_needs_an_enacted_proposal(
    client: TestClient, world: Any
) -> None:
    text = DEFAULT_TEXT.replace("id: default-protection", "id: company-pact", 1)
    loaded = load_protocol(text)
    bound = {"host-security-force": world.orgs["host"], "partner-government": world.orgs["acme"]}
    assert _post(client, world, "admin", "/protocols", {"text": text, "parties": bound}).status_code == 403
    payload = {"protocol_id": "company-pact", "version": 1, "document_hash": loaded.hash, "parties": bound}
    proposal = _post(
        client, world, "admin", "/governance/proposals", {"kind": "protocol_binding", "payload": payload}
    )
    assert proposal.status_code == 201, proposal.text
    assert _approve(client, world, "admin", proposal.json()).json()["state"] == "open"
    assert _post(client, world, "admin", "/protocols", {"text": text, "parties": bound}).status_code == 403
    assert _approve(client, world, "embassy_admin", proposal.json()).json()["state"] == "enacted"
    assert _post(client, world, "admin", "/protocols", {"text": text, "parties": bound}).status_code == 201


def test_item2_an_uninvolved_partner_cannot_rewrite_the_arrangement(
    client: TestClient, world: Any, enact: Any
) -> None:
    # A second partner government, registered the only way there is: both founding parties approve it.
    enact("partner", {"name": "Second Embassy", "country": "TR"})
    with db.transaction() as session:
        org = accounts_service.find_organization(session, ref="Second Embassy")
        user, _ = accounts_service.create_user(
            session,
            data=UserCreate(username="tr_admin", organization_id=org.id, roles=[Role.admin]),
            now=db.utcnow(),
        )
        _, token = accounts_service.issue_token(session, user=user, data=TokenCreate(), now=db.utcnow())
    headers = {"Authorization": f"Bearer {token}"}
    before = client.get(API + "/arrangement", headers=headers).json()
    doc = {
        **before["document"],
        "approvals": [{"org_kind": "partner_government", "scope": "always"}],
        "escort_required": False,
        "itinerary_release_hours": 720,
    }
    r = client.put(API + "/arrangement", json=doc, headers=headers)
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
    r = client.post(
        API + "/governance/proposals",
        json={"kind": "arrangement", "payload": {"document": doc}},
        headers=headers,
    )
    assert r.status_code == 403
    assert client.get(API + "/arrangement", headers=headers).json() == before
    # A founding party alone cannot either: its proposal waits for the other party.
    proposed = client.put(API + "/arrangement", json=doc, headers=world["embassy_admin"].headers)
    assert proposed.status_code == 202
    assert _approve(client, world, "embassy_admin", proposed.json()).json()["awaiting"] == ["host"]
    assert client.get(API + "/arrangement", headers=headers).json() == before
    assert _approve(client, world, "acme_admin", proposed.json()).status_code == 404
    rejected = _post(client, world, "admin", f"/governance/proposals/{proposed.json()['id']}/reject", {})
    assert rejected.json()["state"] == "rejected"
    assert client.get(API + "/arrangement", headers=headers).json() == before
    # Every step is in the audit chain.
    with db.transaction() as session:
        actions = set(session.scalars(select(AuditRecord.action)))
    assert {"governance.found", "governance.propose", "governance.approve", "governance.reject"} <= actions
    assert "governance.enact" in actions  # the partner registration


def test_item3_no_organisation_appoints_its_own_auditor(client: TestClient, world: Any, enact: Any) -> None:
    body = {"username": "acme_auditor", "organization_id": world.orgs["acme"], "roles": ["auditor"]}
    r = client.post(API + "/users", json=body, headers=world["acme_admin"].headers)
    assert r.status_code == 403 and "propos" in r.json()["detail"]
    host_body = {**body, "username": "host_auditor", "organization_id": world.orgs["host"]}
    assert client.post(API + "/users", json=host_body, headers=world["admin"].headers).status_code == 403
    r = _post(
        client, world, "acme_admin", "/governance/proposals", {"kind": "auditor", "payload": {"user_id": 1}}
    )
    assert r.status_code == 403
    # Through a proposal both founding parties approved, a user becomes auditor.
    plain = {**host_body, "roles": ["analyst"]}
    created = client.post(API + "/users", json=plain, headers=world["admin"].headers)
    assert created.status_code == 201
    result = enact("auditor", {"user_id": created.json()["id"]})
    assert "auditor" in result["roles"]


def test_item4_no_admin_registers_a_partner_government(client: TestClient, world: Any, enact: Any) -> None:
    body = {"name": "Rogue Embassy", "kind": "partner_government", "country": "DE"}
    for who in ("admin", "acme_admin", "embassy_admin"):
        r = client.post(API + "/organizations", json=body, headers=world[who].headers)
        assert r.status_code == 403 and "propos" in r.json()["detail"], who
    names = {o["name"] for o in client.get(API + "/organizations", headers=world["admin"].headers).json()}
    assert "Rogue Embassy" not in names
    org_id = enact("partner", {"name": "German Embassy", "country": "DE"})["organization_id"]
    founding = client.get(API + "/governance", headers=world["coord"].headers).json()
    assert founding["host_org_id"] == world.orgs["host"] and org_id in founding["recognised_partner_ids"]


def test_proposals_are_hidden_from_outsiders_and_expire(client: TestClient, world: Any) -> None:
    assert client.get(API + "/governance/proposals", headers=world["acme_admin"].headers).status_code == 403
    body = {"kind": "partner", "payload": {"name": "Late Embassy", "country": "FR"}, "expires_in_days": 1}
    p = _post(client, world, "admin", "/governance/proposals", body).json()
    assert (
        client.get(f"{API}/governance/proposals/{p['id']}", headers=world["coord"].headers).status_code == 404
    )
    assert (
        client.get(f"{API}/governance/proposals/{p['id']}", headers=world["auditor"].headers).status_code
        == 200
    )
    assert (
        _post(client, world, "embassy_admin", f"/governance/proposals/{p['id']}/withdraw", {}).status_code
        == 403
    )
    wrong = _approve(client, world, "embassy_admin", {**p, "payload_hash": "0" * 64})
    assert wrong.status_code == 409
    expires = datetime.fromisoformat(p["expires_at"])
    assert timedelta(hours=23) < expires - datetime.now(UTC) <= timedelta(days=1)
    assert (
        _post(client, world, "admin", f"/governance/proposals/{p['id']}/withdraw", {}).json()["state"]
        == "withdrawn"
    )
    assert _approve(client, world, "embassy_admin", p).status_code == 409


def test_bad_input_is_a_422_on_both_databases(client: TestClient, world: Any) -> None:
    huge = {"protocol_id": "x", "version": 1, "document_hash": "a" * 64, "parties": {"p": 2**70}}
    r = _post(client, world, "admin", "/governance/proposals", {"kind": "protocol_binding", "payload": huge})
    assert r.status_code == 422, r.text
    r = _post(
        client, world, "admin", "/governance/proposals", {"kind": "auditor", "payload": {"user_id": 2**40}}
    )
    assert r.status_code == 422
    assert (
        client.get(f"{API}/governance/proposals/{2**63}", headers=world["admin"].headers).status_code == 422
    )
    r = _post(
        client, world, "admin", "/governance/proposals", {"kind": "arrangement", "payload": {"document": []}}
    )
    assert r.status_code == 422


def test_an_approval_may_be_signed_with_the_approvers_protocol_key(client: TestClient, world: Any) -> None:
    from outrider.governance import rules

    body = {"kind": "partner", "payload": {"name": "Signed Embassy", "country": "FR"}}
    p = _post(client, world, "admin", "/governance/proposals", body).json()
    private, public = _key(client, world, "admin")
    other_private, _ = _key(client, world, "embassy_admin")
    path = f"/governance/proposals/{p['id']}/approve"
    forged = other_private.sign(rules.approval_message(p["payload_hash"])).hex()
    bad = _post(
        client,
        world,
        "admin",
        path,
        {"payload_hash": p["payload_hash"], "public_key": public, "signature": forged},
    )
    assert bad.status_code == 422
    _, stranger = _key(client, world, "acme_admin")
    not_mine = _post(
        client,
        world,
        "admin",
        path,
        {"payload_hash": p["payload_hash"], "public_key": stranger, "signature": forged},
    )
    assert not_mine.status_code == 403
    # A protocol signature of the same hash is not an approval: the messages differ.
    protocol_sig = keys.sign_document(private, p["payload_hash"]).hex()
    body2 = {"payload_hash": p["payload_hash"], "public_key": public, "signature": protocol_sig}
    assert _post(client, world, "admin", path, body2).status_code == 422
    good = private.sign(rules.approval_message(p["payload_hash"])).hex()
    ok = _post(
        client,
        world,
        "admin",
        path,
        {"payload_hash": p["payload_hash"], "public_key": public, "signature": good},
    )
    assert ok.status_code == 200, ok.text
    decision = ok.json()["decisions"][0]
    assert decision["public_key"] == public and decision["signature_verified"] is True


def test_a_payload_altered_in_the_database_voids_the_approvals_given(
    client: TestClient, world: Any, engine: Any
) -> None:
    from sqlalchemy import update

    from outrider.governance.models import Proposal

    body = {"kind": "partner", "payload": {"name": "Honest Embassy", "country": "FR"}}
    p = _post(client, world, "admin", "/governance/proposals", body).json()
    assert _approve(client, world, "admin", p).status_code == 200
    with engine.begin() as conn:
        conn.execute(
            update(Proposal)
            .where(Proposal.id == p["id"])
            .values(payload={"name": "Rogue Embassy", "country": "FR"})
        )
    # The partner approves what it read: refused, the stored payload is another; the host's approval is void.
    assert _approve(client, world, "embassy_admin", p).status_code == 409
    now = client.get(f"{API}/governance/proposals/{p['id']}", headers=world["admin"].headers).json()
    assert now["awaiting"] == ["host", "partner"] and now["decisions"][0]["valid"] is False
    assert _approve(client, world, "embassy_admin", now).json()["state"] == "open"
    assert _approve(client, world, "admin", now).json()["state"] == "enacted"
