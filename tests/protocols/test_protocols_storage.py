"""Stored protocol versions: load, propose, sign with registered keys, agreed, in force, versions kept."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from protocols_world import DEFAULT_TEXT, NOW, Signer, add_user, agree, caller, signers, with_version
from sqlalchemy import text, update

from outrider import db
from outrider.accounts import service as accounts_service
from outrider.accounts.schemas import OrganizationCreate, OrgKind
from outrider.errors import Conflict, Forbidden, InvalidInput, RuleViolation
from outrider.protocols import keys, service, signing_keys
from outrider.protocols.loader import load_protocol
from outrider.protocols.models import ProtocolVersion

HASH = load_protocol(DEFAULT_TEXT).hash


def _status(protocol_id: str, version: int, day: date) -> str:
    with db.transaction() as session:
        return service.status_on(session, service.get_version(session, protocol_id, version), day)


def test_draft_proposed_agreed_effective_persisted(world: Any) -> None:
    host, embassy = signers(world)
    with db.transaction() as session:
        row = service.load_version(session, caller=host.caller, text=DEFAULT_TEXT, parties={}, now=NOW)
        assert row.state == "draft" and row.document_hash == HASH
        assert {p.party: p.organization_id for p in row.parties} == {
            "host-security-force": world.orgs["host"],
            "partner-government": world.orgs["embassy"],
        }
    with pytest.raises(Conflict, match="only a proposed version"):
        host.sign("default-protection", 1, HASH)
    with db.transaction() as session:
        service.propose_version(
            session, caller=host.caller, protocol_id="default-protection", version=1, now=NOW
        )
    assert host.sign("default-protection", 1, HASH) == "proposed"
    with db.transaction() as session:
        read = service.version_read(
            session, service.get_version(session, "default-protection"), day=NOW.date()
        )
        assert read.awaiting == ["partner-government"] and read.status == "proposed"
        assert service.effective_versions(session, NOW.date()) == []
    assert embassy.sign("default-protection", 1, HASH) == "agreed"
    with db.transaction() as session:
        read = service.version_read(
            session, service.get_version(session, "default-protection"), day=NOW.date()
        )
        assert read.state == "agreed" and read.awaiting == [] and read.agreed_at is not None
        assert [x.party for x in read.signatures] == ["host-security-force", "partner-government"]
        assert all(x.verified and x.document_hash == HASH for x in read.signatures)
        assert [v.version for v in service.effective_versions(session, NOW.date())] == [1]
    assert _status("default-protection", 1, date(2025, 12, 31)) == "agreed"
    assert _status("default-protection", 1, date(2026, 1, 1)) == "effective"


def test_signatures_are_refused_precisely(world: Any) -> None:
    host, embassy = signers(world)
    with db.transaction() as session:
        service.load_version(session, caller=host.caller, text=DEFAULT_TEXT, parties={}, now=NOW)
        service.propose_version(
            session, caller=host.caller, protocol_id="default-protection", version=1, now=NOW
        )
    other_hash = load_protocol(with_version(DEFAULT_TEXT, 2)).hash
    with pytest.raises(RuleViolation, match="binds document"):
        host.sign("default-protection", 1, other_hash)
    with db.transaction() as session, pytest.raises(InvalidInput, match="does not verify"):
        service.sign_version(
            session,
            caller=host.caller,
            protocol_id="default-protection",
            version=1,
            document_hash=HASH,
            public_key=host.public,
            signature=keys.sign_document(host.key, other_hash),
            party=None,
            now=NOW,
        )
    _pem, stranger_public = keys.generate_pem()
    with db.transaction() as session, pytest.raises(Forbidden, match="not a registered signing key"):
        service.sign_version(
            session,
            caller=host.caller,
            protocol_id="default-protection",
            version=1,
            document_hash=HASH,
            public_key=stranger_public,
            signature=b"\x00" * 64,
            party=None,
            now=NOW,
        )
    with pytest.raises(Forbidden, match="administrators register"):
        Signer(caller("duty"))
    # An administrator of a company is not a party; the host administrator cannot sign for the partner.
    with pytest.raises(Forbidden, match="not a party"):
        Signer(caller("acme_admin")).sign("default-protection", 1, HASH)
    with db.transaction() as session, pytest.raises(Forbidden, match="not authorised"):
        service.sign_version(
            session,
            caller=host.caller,
            protocol_id="default-protection",
            version=1,
            document_hash=HASH,
            public_key=host.public,
            signature=keys.sign_document(host.key, HASH),
            party="partner-government",
            now=NOW,
        )
    host.sign("default-protection", 1, HASH)
    with pytest.raises(Conflict, match="already signed"):
        host.sign("default-protection", 1, HASH)
    assert embassy.sign("default-protection", 1, HASH) == "agreed"
    with pytest.raises(Conflict, match="already registered"), db.transaction() as session:
        signing_keys.register_key(session, caller=host.caller, public_key=host.public, label="again", now=NOW)


def test_earlier_versions_kept_and_a_later_one_supersedes(world: Any) -> None:
    pair = signers(world)
    agree(world, pair=pair)
    second = with_version(DEFAULT_TEXT, 2, effective_from="2026-06-01")
    agree(world, second, pair=pair)
    with db.transaction() as session:
        versions = service.list_versions(session, "default-protection")
        assert [(v.version, v.state) for v in versions] == [(1, "agreed"), (2, "agreed")]
        assert versions[0].document_hash != versions[1].document_hash
        assert [v.version for v in service.effective_versions(session, date(2026, 3, 1))] == [1]
        assert [v.version for v in service.effective_versions(session, date(2026, 7, 1))] == [2]
    assert _status("default-protection", 1, date(2026, 7, 1)) == "superseded"
    assert _status("default-protection", 2, date(2026, 3, 1)) == "agreed"
    with pytest.raises(Conflict, match="needs a higher version"), db.transaction() as session:
        service.load_version(session, caller=pair[0].caller, text=DEFAULT_TEXT, parties={}, now=NOW)


def test_loading_checks_the_document_the_loader_and_the_parties(world: Any) -> None:
    admin = caller("admin")
    with pytest.raises(InvalidInput) as bad, db.transaction() as session:
        service.load_version(
            session, caller=admin, text=DEFAULT_TEXT.replace("vehicles\n", "vehicle\n"), parties={}, now=NOW
        )
    assert bad.value.errors and bad.value.errors[0]["rule"]
    with pytest.raises(Forbidden, match="party"), db.transaction() as session:
        service.load_version(session, caller=caller("acme_admin"), text=DEFAULT_TEXT, parties={}, now=NOW)
    with pytest.raises(Forbidden), db.transaction() as session:
        service.load_version(session, caller=caller("duty"), text=DEFAULT_TEXT, parties={}, now=NOW)
    with pytest.raises(InvalidInput, match="not parties"), db.transaction() as session:
        service.load_version(session, caller=admin, text=DEFAULT_TEXT, parties={"someone": 1}, now=NOW)
    with db.transaction() as session:
        accounts_service.create_organization(
            session,
            data=OrganizationCreate(name="Second Embassy", kind=OrgKind("partner_government"), country="TR"),
            now=NOW,
        )
    # A party named after a founding kind binds to the founding party, however many partners exist; a
    # binding to another organisation needs a proposal both founding parties approved.
    with pytest.raises(Forbidden, match="founding parties"), db.transaction() as session:
        service.load_version(
            session,
            caller=admin,
            text=DEFAULT_TEXT,
            parties={"partner-government": "Second Embassy"},
            now=NOW,
        )
    with db.transaction() as session:
        row = service.load_version(session, caller=admin, text=DEFAULT_TEXT, parties={}, now=NOW)
        assert service.party_orgs(row)["partner-government"] == world.orgs["embassy"]


def test_a_stored_text_altered_behind_the_server_is_detected(world: Any, engine: Any) -> None:
    row_id = agree(world)
    with engine.begin() as conn:
        conn.execute(
            update(ProtocolVersion)
            .where(ProtocolVersion.id == row_id)
            .values(text=DEFAULT_TEXT.replace("same_route_uses_7d <= 1", "same_route_uses_7d <= 9"))
        )
    service._COMPILED.clear()
    with db.transaction() as session, pytest.raises(Conflict, match="altered"):
        service.compiled_of(session.get(ProtocolVersion, row_id))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM protocol_signatures")).scalar() == 2


def test_only_party_administrators_propose(world: Any) -> None:
    with db.transaction() as session:
        service.load_version(session, caller=caller("admin"), text=DEFAULT_TEXT, parties={}, now=NOW)
    liaison = caller("liaison")
    with pytest.raises(Forbidden), db.transaction() as session:
        service.propose_version(session, caller=liaison, protocol_id="default-protection", version=1, now=NOW)
    embassy_admin = add_user(world, "emb_admin2", "embassy", ["admin"])
    with db.transaction() as session:
        row = service.propose_version(
            session, caller=embassy_admin, protocol_id="default-protection", version=1, now=NOW
        )
        assert row.state == "proposed" and row.proposed_by == embassy_admin.user_id
    with pytest.raises(Conflict, match="only a draft"), db.transaction() as session:
        service.propose_version(
            session, caller=embassy_admin, protocol_id="default-protection", version=1, now=NOW
        )
