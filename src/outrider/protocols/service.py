"""Use cases of protocol versions: load, propose, sign with registered keys, what is in force on a day.

The caller owns the transaction. Each party of a document is bound, when the version is loaded, to the
organisation that stands for it; administrators of those organisations propose and sign. A signature is
made by the signer's own Ed25519 key (the server only keeps public keys) over the exact document hash.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from threading import Lock

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.accounts import service as accounts_service
from outrider.accounts.models import Organization, User
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.governance import service as governance_service
from outrider.protocols import agreement as pure
from outrider.protocols import keys, signing_keys, trail
from outrider.protocols import schemas as s
from outrider.protocols.engine import CompiledProtocol, compile_protocol
from outrider.protocols.facts import DEFAULT_SCHEMA, FactSchema
from outrider.protocols.loader import LoadedProtocol, load_protocol
from outrider.protocols.models import ProtocolParty, ProtocolSignature, ProtocolVersion
from outrider.shapes import read_of

# The facts protocols may read; a domain that contributes facts extends it with `with_namespace`.
FACT_SCHEMA: FactSchema = DEFAULT_SCHEMA
_COMPILED: dict[str, CompiledProtocol] = {}
_COMPILED_LOCK = Lock()


def loaded_of(row: ProtocolVersion) -> LoadedProtocol:
    """The stored text validated again; Conflict if it no longer hashes to the stored hash (tampering)."""
    loaded = load_protocol(row.text, FACT_SCHEMA)
    if loaded.hash != row.document_hash:
        raise Conflict(
            f"protocol {row.protocol_id} version {row.version}: the stored text hashes to "
            f"{loaded.hash[:12]}…, not the recorded {row.document_hash[:12]}…; it has been altered"
        )
    return loaded


def compiled_of(row: ProtocolVersion) -> CompiledProtocol:
    """The compiled version (compiled once per process and hash)."""
    with _COMPILED_LOCK:
        found = _COMPILED.get(row.document_hash)
    if found is not None and found.document.id == row.protocol_id:
        return found
    compiled = compile_protocol(loaded_of(row), FACT_SCHEMA)
    with _COMPILED_LOCK:
        _COMPILED[row.document_hash] = compiled
    return compiled


# --- parties ----------------------------------------------------------------------------------------


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _organization(session: Session, ref: str | int) -> Organization:
    try:
        return accounts_service.find_organization(session, ref=str(ref))
    except NotFound:  # a party bound to no organisation is a mistake in the input
        raise InvalidInput(f"no organisation {ref!r}") from None


def bind_parties(
    session: Session, parties: tuple[str, ...], given: Mapping[str, str | int]
) -> list[tuple[str, Organization]]:
    """The organisation standing for each party: as given, else the one whose kind the name begins with."""
    unknown = sorted(set(given) - set(parties))
    if unknown:
        raise InvalidInput(f"not parties of this document: {', '.join(unknown)}")
    orgs = list(session.scalars(select(Organization).order_by(Organization.id)))
    bound: list[tuple[str, Organization]] = []
    for party in parties:
        if party in given:
            bound.append((party, _organization(session, given[party])))
            continue
        candidates = [o for o in orgs if _normal(party).startswith(_normal(o.kind))]
        if len(candidates) != 1:
            names = ", ".join(o.name for o in candidates) or "none"
            raise InvalidInput(
                f"party {party!r}: name the organisation that stands for it "
                f"(--party {party}=ORGANISATION); organisations of a matching kind: {names}"
            )
        bound.append((party, candidates[0]))
    ids = [o.id for _, o in bound]
    if len(set(ids)) != len(ids):
        raise InvalidInput("each party must be a different organisation")
    return bound


def party_orgs(row: ProtocolVersion) -> dict[str, int]:
    """Party name -> organisation id of a version, in document order."""
    return {p.party: p.organization_id for p in row.parties}


# --- reading ----------------------------------------------------------------------------------------


def get_version(session: Session, protocol_id: str, version: int | None = None) -> ProtocolVersion:
    """A stored version (the newest when no version is given)."""
    stmt = select(ProtocolVersion).where(ProtocolVersion.protocol_id == protocol_id)
    if version is not None:
        stmt = stmt.where(ProtocolVersion.version == version)
    row = session.scalar(stmt.order_by(ProtocolVersion.version.desc()).limit(1))
    if row is None:
        what = f"protocol {protocol_id}" + (f" version {version}" if version is not None else "")
        raise NotFound(f"{what} not found")
    return row


def list_versions(session: Session, protocol_id: str | None = None) -> list[ProtocolVersion]:
    """Every stored version, by protocol and version (earlier versions are kept)."""
    stmt = select(ProtocolVersion)
    if protocol_id:
        stmt = stmt.where(ProtocolVersion.protocol_id == protocol_id)
    return list(session.scalars(stmt.order_by(ProtocolVersion.protocol_id, ProtocolVersion.version)))


def effective_versions(session: Session, day: date) -> list[ProtocolVersion]:
    """The versions in force on a day: per protocol, the newest agreed version whose dates hold it."""
    rows = session.scalars(
        select(ProtocolVersion)
        .where(ProtocolVersion.state == pure.AgreementState.AGREED.value)
        .where(ProtocolVersion.effective_from <= day)
        .where((ProtocolVersion.effective_to.is_(None)) | (ProtocolVersion.effective_to > day))
        .order_by(ProtocolVersion.protocol_id, ProtocolVersion.version.desc())
    )
    chosen: dict[str, ProtocolVersion] = {}
    for row in rows:
        chosen.setdefault(row.protocol_id, row)
    return list(chosen.values())


def agreement_of(row: ProtocolVersion) -> pure.Agreement:
    """The pure agreement of a stored version."""
    return pure.Agreement(
        protocol_id=row.protocol_id,
        version=row.version,
        document_hash=row.document_hash,
        parties=tuple(p.party for p in row.parties),
        effective_from=row.effective_from,
        effective_to=row.effective_to,
        state=pure.AgreementState(row.state),
        signatures=tuple(
            pure.Signature(
                x.party,
                str(x.user_id),
                x.document_hash,
                bytes.fromhex(x.public_key),
                bytes.fromhex(x.signature),
            )
            for x in row.signatures
        ),
    )


def status_on(session: Session, row: ProtocolVersion, day: date) -> str:
    """Where a version stands on a day (superseded when a later agreed version is in force)."""
    state = pure.state_at(agreement_of(row), day).value
    if state == pure.AgreementState.EFFECTIVE.value:
        current = [v for v in effective_versions(session, day) if v.protocol_id == row.protocol_id]
        if current and current[0].id != row.id:
            return "superseded"
    return state


def version_read(
    session: Session, row: ProtocolVersion, *, day: date, with_text: bool = False
) -> s.VersionRead:
    """The API shape of a version; every signature is verified again."""
    names = {o.id: o.name for o in session.scalars(select(Organization))}
    users = {
        u.id: u.username
        for u in session.scalars(select(User).where(User.id.in_([x.user_id for x in row.signatures])))
    }
    document = loaded_of(row).document
    signed = {x.party for x in row.signatures}
    return read_of(
        s.VersionRead,
        row,
        status=status_on(session, row, day),
        parties=[read_of(s.PartyRead, p, organization=names.get(p.organization_id, "")) for p in row.parties],
        signatures=[
            read_of(
                s.SignatureRead,
                x,
                username=users.get(x.user_id, ""),
                fingerprint=keys.fingerprint(bytes.fromhex(x.public_key)),
                verified=x.document_hash == row.document_hash
                and pure.verify_signature(
                    bytes.fromhex(x.public_key), x.document_hash, bytes.fromhex(x.signature)
                ),
            )
            for x in row.signatures
        ],
        awaiting=[p.party for p in row.parties if p.party not in signed],
        rules=[read_of(s.RuleSummary, r) for r in document.rules],
        text=row.text if with_text else None,
    )


# --- the lifecycle ----------------------------------------------------------------------------------


def _check_binding(
    session: Session,
    caller: Caller,
    protocol_id: str,
    version: int,
    document_hash: str,
    parties: dict[str, int],
) -> None:
    """Governance decides whether these parties may be bound (and a version agreed before superseded)."""
    agreed_before = session.scalar(
        select(ProtocolVersion.id)
        .where(ProtocolVersion.protocol_id == protocol_id)
        .where(ProtocolVersion.state == pure.AgreementState.AGREED.value)
        .limit(1)
    )
    governance_service.check_protocol_load(
        session,
        caller=caller,
        protocol_id=protocol_id,
        version=version,
        document_hash=document_hash,
        parties=parties,
        supersedes_agreed=agreed_before is not None,
    )


def load_version(
    session: Session, *, caller: Caller, text: str, parties: Mapping[str, str | int], now: datetime
) -> ProtocolVersion:
    """Validate a document and store it as a draft, its parties bound to organisations."""
    loaded = load_protocol(text, FACT_SCHEMA)
    doc = loaded.document
    # Parties named after the founding kinds bind to the founding parties unless named otherwise.
    defaults = governance_service.default_party_orgs(session, doc.parties)
    bound = bind_parties(session, doc.parties, {**defaults, **parties})
    if not policy.may_administer_protocol(caller, party_org_ids=frozenset(o.id for _, o in bound)):
        raise Forbidden("only an administrator of an organisation that is a party may load this protocol")
    _check_binding(session, caller, doc.id, doc.version, loaded.hash, {p: o.id for p, o in bound})
    newest = session.scalar(
        select(ProtocolVersion)
        .where(ProtocolVersion.protocol_id == doc.id)
        .order_by(ProtocolVersion.version.desc())
    )
    if newest is not None and doc.version <= newest.version:
        same = " (the same text)" if newest.document_hash == loaded.hash else ""
        raise Conflict(
            f"protocol {doc.id} already has version {newest.version}{same}; a new text needs a higher version"
        )
    row = ProtocolVersion(
        protocol_id=doc.id,
        version=doc.version,
        title=doc.title,
        text=text,
        document_hash=loaded.hash,
        effective_from=doc.effective_from,
        effective_to=doc.effective_to,
        state=pure.AgreementState.DRAFT.value,
        created_by=caller.user_id,
        created_at=now,
    )
    row.parties = [
        ProtocolParty(position=i, party=party, organization_id=org.id) for i, (party, org) in enumerate(bound)
    ]
    session.add(row)
    session.flush()
    trail.record(session, caller, "load", row, now, parties={p: o.id for p, o in bound})
    return row


def propose_version(
    session: Session, *, caller: Caller, protocol_id: str, version: int, now: datetime
) -> ProtocolVersion:
    """Freeze a draft and open it for the parties' signatures."""
    row = get_version(session, protocol_id, version)
    if not policy.may_administer_protocol(caller, party_org_ids=frozenset(party_orgs(row).values())):
        raise Forbidden("only an administrator of an organisation that is a party may propose this protocol")
    _check_binding(session, caller, row.protocol_id, row.version, row.document_hash, party_orgs(row))
    proposed = pure.propose(agreement_of(row))
    row.state = proposed.state.value
    row.proposed_by = caller.user_id
    row.proposed_at = now
    session.flush()
    trail.record(session, caller, "propose", row, now)
    return row


def _caller_party(row: ProtocolVersion, caller: Caller, party: str | None) -> str:
    orgs = party_orgs(row)
    if party is not None:
        if party not in orgs:
            raise InvalidInput(f"{party!r} is not a party to protocol {row.protocol_id}")
        return party
    mine = [p for p, org in orgs.items() if org == caller.organization_id]
    if not mine:
        raise Forbidden("your organisation is not a party to this protocol")
    return mine[0]


def sign_version(
    session: Session,
    *,
    caller: Caller,
    protocol_id: str,
    version: int,
    document_hash: str,
    public_key: bytes,
    signature: bytes,
    party: str | None,
    now: datetime,
) -> ProtocolVersion:
    """Add a party's signature; the version becomes agreed when every party has signed."""
    row = get_version(session, protocol_id, version)
    party = _caller_party(row, caller, party)
    key = signing_keys.own_key(session, caller=caller, public_key=public_key)
    signer = str(caller.user_id)
    allowed = policy.may_sign_protocol(caller, party_org_id=party_orgs(row)[party])
    signed = pure.sign(
        agreement_of(row),
        pure.Signature(party, signer, document_hash, public_key, signature),
        authorised={party: frozenset({signer})} if allowed else {},
    )
    row.signatures.append(
        ProtocolSignature(
            party=party,
            organization_id=caller.organization_id,
            user_id=caller.user_id,
            key_id=key.id,
            document_hash=document_hash,
            public_key=public_key.hex(),
            signature=signature.hex(),
            at=now,
        )
    )
    row.state = signed.state.value
    if signed.state is pure.AgreementState.AGREED:
        row.agreed_at = now
    session.flush()
    trail.record(session, caller, "sign", row, now, party=party, fingerprint=key.fingerprint, state=row.state)
    return row
