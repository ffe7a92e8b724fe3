"""The agreement lifecycle of a protocol version, Ed25519 signatures of its hash, waivers and the gate."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from outrider.errors import Conflict, Forbidden, InvalidInput, RuleViolation
from outrider.protocols.engine import Evaluation
from outrider.protocols.loader import LoadedProtocol
from outrider.signatures import ed25519_valid

# Domain separation: a signature over a protocol hash cannot be replayed as a signature of anything else.
SIGNING_PREFIX = b"outrider.protocol.v1:"
MIN_JUSTIFICATION = 20


class AgreementState(StrEnum):
    """Where a protocol version stands; EFFECTIVE and EXPIRED are AGREED seen at a date."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    AGREED = "agreed"
    EFFECTIVE = "effective"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Signature:
    """A party's signature, by a named signer, of one exact document hash."""

    party: str
    signer: str
    document_hash: str
    public_key: bytes
    signature: bytes


@dataclass(frozen=True, slots=True)
class Agreement:
    """One protocol version under agreement."""

    protocol_id: str
    version: int
    document_hash: str
    parties: tuple[str, ...]
    effective_from: date
    effective_to: date | None
    state: AgreementState
    signatures: tuple[Signature, ...] = ()

    @property
    def signed_parties(self) -> frozenset[str]:
        """Parties that have signed."""
        return frozenset(s.party for s in self.signatures)


def new_agreement(loaded: LoadedProtocol) -> Agreement:
    """Start the lifecycle of a loaded protocol version as a draft."""
    doc = loaded.document
    return Agreement(
        doc.id,
        doc.version,
        loaded.hash,
        doc.parties,
        doc.effective_from,
        doc.effective_to,
        AgreementState.DRAFT,
    )


def propose(agreement: Agreement) -> Agreement:
    """Move a draft to proposed: the text is frozen and open for signatures."""
    if agreement.state is not AgreementState.DRAFT:
        raise Conflict(f"only a draft can be proposed; this version is {agreement.state.value}")
    return replace(agreement, state=AgreementState.PROPOSED)


def signing_message(document_hash: str) -> bytes:
    """The bytes a party signs for a document hash."""
    return SIGNING_PREFIX + document_hash.encode("ascii")


def sign_hash(private_key: Ed25519PrivateKey, document_hash: str) -> bytes:
    """Sign a document hash with a party signer's Ed25519 private key."""
    return private_key.sign(signing_message(document_hash))


def verify_signature(public_key: bytes, document_hash: str, signature: bytes) -> bool:
    """Tell whether `signature` is a valid Ed25519 signature of the document hash under `public_key`."""
    return ed25519_valid(public_key, signing_message(document_hash), signature)


def sign(
    agreement: Agreement, signature: Signature, *, authorised: Mapping[str, frozenset[str]]
) -> Agreement:
    """Add a party's signature; the agreement becomes agreed when every party has signed.

    `authorised` maps each party to the signers allowed to sign for it (decided by the caller).
    """
    if agreement.state is not AgreementState.PROPOSED:
        raise Conflict(f"only a proposed version can be signed; this one is {agreement.state.value}")
    if signature.party not in agreement.parties:
        raise InvalidInput(f"{signature.party!r} is not a party to protocol {agreement.protocol_id}")
    if signature.signer not in authorised.get(signature.party, frozenset()):
        raise Forbidden(f"{signature.signer!r} is not authorised to sign for {signature.party!r}")
    if signature.document_hash != agreement.document_hash:
        raise RuleViolation(
            f"the signature binds document {signature.document_hash[:12]}…, "
            f"not this version {agreement.document_hash[:12]}…"
        )
    if not verify_signature(signature.public_key, signature.document_hash, signature.signature):
        raise InvalidInput("the signature does not verify against the document hash and public key")
    if signature.party in agreement.signed_parties:
        raise Conflict(f"{signature.party!r} has already signed this version")
    signatures = (*agreement.signatures, signature)
    done = {s.party for s in signatures} == set(agreement.parties)
    return replace(
        agreement, signatures=signatures, state=AgreementState.AGREED if done else AgreementState.PROPOSED
    )


def state_at(agreement: Agreement, today: date) -> AgreementState:
    """The state of the agreement on a date: an agreed version is effective inside its dates."""
    if agreement.state is not AgreementState.AGREED:
        return agreement.state
    if today < agreement.effective_from:
        return AgreementState.AGREED
    if agreement.effective_to is not None and today >= agreement.effective_to:
        return AgreementState.EXPIRED
    return AgreementState.EFFECTIVE


@dataclass(frozen=True, slots=True)
class Waiver:
    """A joint exemption of one movement from one blocking rule of one protocol version."""

    rule_id: str
    protocol_hash: str
    movement_id: str
    justification: str
    expires_at: datetime
    approved_by: Mapping[str, str]  # party -> user who approved for it
    withdrawn_at: datetime | None = None  # one party withdrew it: it never counts again


def waiver_problem(
    waiver: Waiver,
    *,
    rule_id: str,
    protocol_hash: str,
    movement_id: str,
    parties: Iterable[str],
    now: datetime,
) -> str | None:
    """Return why the waiver does not cover this rule now, or None when it is valid."""
    if (waiver.rule_id, waiver.protocol_hash, waiver.movement_id) != (rule_id, protocol_hash, movement_id):
        return "waiver is for another rule, protocol version or movement"
    if waiver.withdrawn_at is not None and waiver.withdrawn_at <= now:
        return f"waiver withdrawn at {waiver.withdrawn_at.isoformat()}"
    missing = sorted(set(parties) - {p for p, user in waiver.approved_by.items() if user})
    if missing:
        return f"waiver lacks approval of {', '.join(missing)}"
    if len(waiver.justification.strip()) < MIN_JUSTIFICATION:
        return f"waiver justification shorter than {MIN_JUSTIFICATION} characters"
    if now >= waiver.expires_at:
        return f"waiver expired at {waiver.expires_at.isoformat()}"
    return None


@dataclass(frozen=True, slots=True)
class GateDecision:
    """Whether a movement may be approved, and why not."""

    allowed: bool
    blocking: tuple[str, ...]
    waived: tuple[str, ...]
    warnings: tuple[str, ...]
    waiver_problems: Mapping[str, tuple[str, ...]]
    overridden: tuple[str, ...] = ()


def with_overrides(decision: GateDecision, overridden: Iterable[str]) -> GateDecision:
    """The decision once the given failed rules are let through by an override the rule allows."""
    let = tuple(r for r in decision.blocking if r in set(overridden))
    if not let:
        return decision
    blocking = tuple(r for r in decision.blocking if r not in let)
    problems = {k: v for k, v in decision.waiver_problems.items() if k not in let}
    return replace(
        decision, allowed=not blocking, blocking=blocking, waiver_problems=problems, overridden=let
    )


def gate(
    evaluation: Evaluation,
    waivers: Iterable[Waiver],
    *,
    movement_id: str,
    parties: Iterable[str],
    now: datetime,
) -> GateDecision:
    """Allow approval when every failed blocking rule has a valid joint waiver; warnings are passed on."""
    party_list = tuple(parties)
    waiver_list = tuple(waivers)
    blocking: list[str] = []
    waived: list[str] = []
    problems: dict[str, tuple[str, ...]] = {}
    for rule_id in evaluation.blocking_failures:
        found = [
            waiver_problem(
                w,
                rule_id=rule_id,
                protocol_hash=evaluation.protocol_hash,
                movement_id=movement_id,
                parties=party_list,
                now=now,
            )
            for w in waiver_list
            if w.rule_id == rule_id
        ]
        if any(p is None for p in found):
            waived.append(rule_id)
        else:
            blocking.append(rule_id)
            if found:
                problems[rule_id] = tuple(p for p in found if p is not None)
    return GateDecision(not blocking, tuple(blocking), tuple(waived), evaluation.warnings, problems)
