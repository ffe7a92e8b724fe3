"""The agreement lifecycle with Ed25519 signatures, waivers, and the approval gate."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import given, settings
from hypothesis import strategies as st
from protocols_fixtures import default_compiled, facts

from outrider.errors import Conflict, Forbidden, InvalidInput, RuleViolation
from outrider.protocols.agreement import (
    Agreement,
    AgreementState,
    Signature,
    Waiver,
    gate,
    new_agreement,
    propose,
    sign,
    sign_hash,
    state_at,
)
from outrider.protocols.engine import Evaluation, evaluate
from outrider.protocols.loader import load_default_protocol

PARTIES = ("host-security-force", "partner-government")
AUTHORISED = {"host-security-force": frozenset({"col.rana"}), "partner-government": frozenset({"amb.li"})}
NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
_KEYS = {party: Ed25519PrivateKey.generate() for party in PARTIES}


def _signature(
    party: str, signer: str, document_hash: str, key: Ed25519PrivateKey | None = None
) -> Signature:
    key = key or Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return Signature(party, signer, document_hash, public, sign_hash(key, document_hash))


def _proposed() -> Agreement:
    return propose(new_agreement(load_default_protocol()))


def test_lifecycle_draft_proposed_agreed_effective() -> None:
    agreement = new_agreement(load_default_protocol())
    assert agreement.state is AgreementState.DRAFT
    agreement = propose(agreement)
    agreement = sign(
        agreement, _signature(PARTIES[0], "col.rana", agreement.document_hash), authorised=AUTHORISED
    )
    assert agreement.state is AgreementState.PROPOSED
    agreement = sign(
        agreement, _signature(PARTIES[1], "amb.li", agreement.document_hash), authorised=AUTHORISED
    )
    assert agreement.state is AgreementState.AGREED
    assert state_at(agreement, date(2025, 12, 31)) is AgreementState.AGREED
    assert state_at(agreement, date(2026, 1, 1)) is AgreementState.EFFECTIVE
    ended = replace(agreement, effective_to=date(2026, 6, 1))
    assert state_at(ended, date(2026, 6, 1)) is AgreementState.EXPIRED


def test_signing_errors_are_precise() -> None:
    agreement = _proposed()
    with pytest.raises(Conflict):
        propose(agreement)
    with pytest.raises(Conflict):
        sign(
            new_agreement(load_default_protocol()),
            _signature(PARTIES[0], "col.rana", "x"),
            authorised=AUTHORISED,
        )
    with pytest.raises(InvalidInput, match="not a party"):
        sign(agreement, _signature("someone", "col.rana", agreement.document_hash), authorised=AUTHORISED)
    with pytest.raises(Forbidden):
        sign(agreement, _signature(PARTIES[0], "amb.li", agreement.document_hash), authorised=AUTHORISED)
    with pytest.raises(RuleViolation, match="binds document"):
        sign(agreement, _signature(PARTIES[0], "col.rana", "0" * 64), authorised=AUTHORISED)
    forged = _signature(PARTIES[0], "col.rana", agreement.document_hash)
    forged = Signature(forged.party, forged.signer, forged.document_hash, forged.public_key, b"\x00" * 64)
    with pytest.raises(InvalidInput, match="does not verify"):
        sign(agreement, forged, authorised=AUTHORISED)
    once = sign(agreement, _signature(PARTIES[0], "col.rana", agreement.document_hash), authorised=AUTHORISED)
    with pytest.raises(Conflict, match="already signed"):
        sign(once, _signature(PARTIES[0], "col.rana", agreement.document_hash), authorised=AUTHORISED)


def _failing_evaluation() -> Evaluation:
    return evaluate(default_compiled(), facts(escort_units=0, same_hour_uses_7d=2), "plan")


def _waiver(**changes: object) -> Waiver:
    values: dict[str, object] = {
        "rule_id": "escort-ratio",
        "protocol_hash": default_compiled().hash,
        "movement_id": "mv-1",
        "justification": "Escort unit diverted to a bomb scene; convoy held inside the inner cordon.",
        "expires_at": NOW + timedelta(hours=6),
        "approved_by": {PARTIES[0]: "col.rana", PARTIES[1]: "amb.li"},
    }
    values.update(changes)
    return Waiver(**values)  # type: ignore[arg-type]


def test_gate_blocks_without_waiver_and_keeps_warnings() -> None:
    decision = gate(_failing_evaluation(), [], movement_id="mv-1", parties=PARTIES, now=NOW)
    assert not decision.allowed
    assert decision.blocking == ("escort-ratio",)
    assert decision.warnings == ("departure-time-varied",)


def test_gate_allows_with_joint_valid_waiver() -> None:
    decision = gate(_failing_evaluation(), [_waiver()], movement_id="mv-1", parties=PARTIES, now=NOW)
    assert decision.allowed and decision.waived == ("escort-ratio",)
    assert decision.warnings == ("departure-time-varied",)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"expires_at": NOW}, "expired"),
        ({"approved_by": {PARTIES[0]: "col.rana"}}, "lacks approval of partner-government"),
        ({"approved_by": {PARTIES[0]: "col.rana", PARTIES[1]: ""}}, "lacks approval"),
        ({"justification": "because"}, "justification"),
        ({"movement_id": "mv-2"}, "another rule"),
        ({"protocol_hash": "f" * 64}, "another rule"),
    ],
)
def test_gate_rejects_invalid_waivers(changes: dict[str, object], reason: str) -> None:
    decision = gate(_failing_evaluation(), [_waiver(**changes)], movement_id="mv-1", parties=PARTIES, now=NOW)
    assert not decision.allowed and decision.blocking == ("escort-ratio",)
    assert reason in decision.waiver_problems["escort-ratio"][0]


def test_gate_allows_compliant_movement() -> None:
    evaluation = evaluate(default_compiled(), facts(), "plan")
    decision = gate(evaluation, [], movement_id="mv-1", parties=PARTIES, now=NOW)
    assert decision.allowed and decision.blocking == () and decision.warnings == ()


@settings(max_examples=25, deadline=None)
@given(st.permutations(PARTIES), st.integers(min_value=0, max_value=len(PARTIES)))
def test_agreed_exactly_when_every_party_signed(order: list[str], count: int) -> None:
    signers = {"host-security-force": "col.rana", "partner-government": "amb.li"}
    agreement = _proposed()
    for party in order[:count]:
        signature = _signature(party, signers[party], agreement.document_hash, _KEYS[party])
        agreement = sign(agreement, signature, authorised=AUTHORISED)
    expected = AgreementState.AGREED if count == len(PARTIES) else AgreementState.PROPOSED
    assert agreement.state is expected
    assert agreement.signed_parties == frozenset(order[:count])
