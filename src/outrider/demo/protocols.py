"""The demo's agreed protocol: the default protocol signed by both parties, the demo movements checked.

`outrider demo protocol` runs this after `outrider demo load` (`make run` does both). It is not part of
`demo load` itself: the demo's movements were approved without a protocol in force, which keeps the
demo, and the tests built on it, independent of the protocol rules. Once agreed, every new submission,
approval and arrival goes through the gate: the movement still waiting for the partner has no escort, so
its approval is refused until an escort is assigned or both parties waive the rule.

The demo signs with keys made for the occasion: each party administrator's public key is registered and
the private key is dropped once it has signed (real signers keep theirs: `outrider protocols keygen`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts import service as accounts_service
from outrider.demo import committee as demo_committee
from outrider.http import caller_of
from outrider.movements.models import Movement
from outrider.protocols import compliance, keys, signing_keys
from outrider.protocols import service as protocols_service
from outrider.protocols.counting import REVIEW
from outrider.protocols.engine import EvalPhase
from outrider.protocols.models import ProtocolVersion

HOST_ADMIN, PARTNER_ADMIN = "admin", "envoy"


@dataclass(frozen=True)
class DemoAgreement:
    """What `demo protocol` did."""

    protocol_id: str
    version: int
    document_hash: str
    evaluations: int
    failed: int


def _caller(session: Session, username: str) -> Caller:
    return caller_of(accounts_service.find_user(session, username=username), channel="cli")


def agree_default(
    session: Session, *, host_admin: Caller, partner_admin: Caller, now: datetime
) -> ProtocolVersion:
    """Load the shipped default protocol and have both parties' administrators sign it."""
    text = files("outrider.protocols").joinpath("data/default.yaml").read_text("utf-8")
    row = protocols_service.load_version(session, caller=host_admin, text=text, parties={}, now=now)
    protocols_service.propose_version(
        session, caller=host_admin, protocol_id=row.protocol_id, version=row.version, now=now
    )
    for admin in (host_admin, partner_admin):
        pem, public = keys.generate_pem()
        signing_keys.register_key(session, caller=admin, public_key=public, label="demo", now=now)
        protocols_service.sign_version(
            session,
            caller=admin,
            protocol_id=row.protocol_id,
            version=row.version,
            document_hash=row.document_hash,
            public_key=public,
            signature=keys.sign_document(keys.load_private_pem(pem), row.document_hash),
            party=None,
            now=now,
        )
    return row


def agree_and_check(session: Session, *, now: datetime) -> DemoAgreement:
    """Agree the default protocol as the demo's party administrators, then review every demo movement
    (the plan of each, the departure and execution of those that departed) so the compliance report has
    data: the movements moved before the protocol was agreed, so these reviews stand as their record. The
    committee's security arrangement then gets its entry resting on that compliance report."""
    row = agree_default(
        session,
        host_admin=_caller(session, HOST_ADMIN),
        partner_admin=_caller(session, PARTNER_ADMIN),
        now=now,
    )
    evaluations = failed = 0
    for movement in session.scalars(select(Movement).order_by(Movement.planned_departure, Movement.id)):
        phases: tuple[EvalPhase, ...] = (
            ("plan", "departure", "execution") if movement.departed_at is not None else ("plan",)
        )
        for phase in phases:
            rows, _decisions, _note = compliance.check(
                session, movement, phase=phase, trigger=REVIEW, caller=None, now=now
            )
            evaluations += len(rows)
            failed += sum(1 for r in rows if not r.passed)
    demo_committee.record_compliance_report(
        session, caller=_caller(session, "duty"), protocol_id=row.protocol_id, now=now
    )
    return DemoAgreement(row.protocol_id, row.version, row.document_hash, evaluations, failed)


def has_protocol(session: Session) -> bool:
    """True when any protocol version is stored."""
    return session.scalar(select(ProtocolVersion.id).limit(1)) is not None
