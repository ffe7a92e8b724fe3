"""Use cases of import: a partner's STIX 2.1 bundle (or verified feed) into intelligence, with provenance.

The caller owns the transaction. Only the holder's analysts and host-security administrators import.
Each accepted object is stored once per partner and STIX id (`intel.models.Imported`): the same bundle
twice changes nothing; a newer ``modified`` updates only the values that are still as last imported
(a value changed here since, such as an analyst's review, edit, merge or marking, is kept and named).
A partner's event goes through the linking of ingest: when a local event is the same real incident,
the partner's account joins it (its event is kept, merged into ours). Every import is an audit record
(``sharing.import``) naming the partner, the bundle, each accepted object with the SHA-256 of what
arrived and each refused one with the reason.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts.models import Organization
from outrider.errors import Forbidden, InvalidInput, NotFound
from outrider.intel import service as intel_service
from outrider.sharing import feeds, import_store, service, stix_export, stix_import
from outrider.sharing import schemas as s
from outrider.sharing.markings import Tlp
from outrider.sharing.models import ImportSource
from outrider.sharing.stix_import import Reading, Verdict


@dataclass(frozen=True, slots=True)
class Outcome:
    """One object of the bundle: its verdict and, when stored, what became of it in Outrider."""

    id: str
    type: str
    status: str
    reason: str = ""
    sha256: str = ""
    kind: str | None = None
    outrider_id: int | None = None
    outcome: str | None = None  # created | updated | unchanged | linked
    kept: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ImportDone:
    """What an import did, object by object."""

    partner_org_id: int
    bundle_id: str
    objects: list[Outcome]
    sequence: int | None = None

    def count(self, status: str) -> int:
        """How many objects had this verdict."""
        return sum(1 for o in self.objects if o.status == status)


def read(done: ImportDone) -> s.ImportRead:
    """An import's outcome as the API and the CLI show it."""
    return s.ImportRead(
        partner_org_id=done.partner_org_id,
        bundle_id=done.bundle_id,
        sequence=done.sequence,
        accepted=done.count(stix_import.ACCEPTED),
        rejected=done.count(stix_import.REJECTED),
        ignored=done.count(stix_import.IGNORED),
        objects=[s.ImportedObject.model_validate(o, from_attributes=True) for o in done.objects],
    )


def read_source(row: ImportSource) -> s.CeilingRead:
    """What the holder accepts from a partner, as shown."""
    return s.CeilingRead(
        partner_org_id=row.partner_org_id,
        ceiling=row.ceiling,
        last_sequence=row.last_sequence,
        last_bundle_id=row.last_bundle_id,
    )


def may_import(caller: Caller, *, holder: int) -> bool:
    """The holder's analysts and host-security administrators bring a partner's intelligence in."""
    return caller.organization_id == holder and intel_service.may_review(caller)


def _partner(session: Session, caller: Caller, partner_org_id: int) -> int:
    holder = service.holder_id(session)
    if not may_import(caller, holder=holder):
        raise Forbidden("only the host's analysts and host-security administrators import intelligence")
    if session.get(Organization, partner_org_id) is None:
        raise NotFound(f"no organisation {partner_org_id}")
    if partner_org_id == holder:
        raise InvalidInput("partner_org_id: the host's own intelligence is not imported from a partner")
    return holder


def source_of(session: Session, partner_org_id: int, now: datetime, *, lock: bool = False) -> ImportSource:
    """What the holder accepts from a partner (created with the default ceiling on first use).

    Locked (``lock``), it serialises the imports from one partner: a second import of the same bundle
    waits for the first and then finds every object stored."""
    row = session.get(ImportSource, partner_org_id, with_for_update=lock)
    if row is not None:
        return row
    row = ImportSource(
        partner_org_id=partner_org_id,
        ceiling=stix_import.DEFAULT_CEILING.label,
        last_sequence=0,
        updated_at=now,
    )
    try:
        with session.begin_nested():  # a first import from the partner may be running at this very moment
            session.add(row)
    except IntegrityError:
        return session.get_one(ImportSource, partner_org_id, with_for_update=lock)
    return row


def import_bundle(
    session: Session, *, caller: Caller, partner_org_id: int, bundle: Any, now: datetime
) -> ImportDone:
    """Validate a partner's bundle object by object and store what it may bring (see the module)."""
    _partner(session, caller, partner_org_id)
    source = source_of(session, partner_org_id, now, lock=True)
    reading = stix_import.read(bundle, ceiling=_ceiling(source))
    done = _store(session, caller, partner_org_id, reading, now, channel="bundle")
    source.last_bundle_id = reading.bundle_id
    return done


def import_feed(
    session: Session,
    *,
    caller: Caller,
    partner_org_id: int,
    directory: Path,
    trusted_keys: Mapping[str, Collection[bytes]],
    now: datetime,
) -> ImportDone:
    """Verify a signed feed (after the last sequence imported from the partner) and import its objects.

    The feed's releasing party must be the partner's name as this database knows it; a feed that does
    not verify, or whose sequence is not after the last one imported, is refused whole."""
    _partner(session, caller, partner_org_id)
    source = source_of(session, partner_org_id, now, lock=True)
    feed = feeds.verify_feed(directory, trusted_keys=trusted_keys, after_sequence=source.last_sequence)
    partner = session.get_one(Organization, partner_org_id)
    if feed.party != partner.name:
        raise InvalidInput(f"the feed was released by {feed.party!r}, not by {partner.name!r}")
    bundle_id = stix_export.stix_id("bundle", f"feed:{feed.party}:{feed.sequence}:{feed.signer.hex()}")
    bundle = {"type": "bundle", "id": bundle_id, "objects": feed.objects}
    reading = stix_import.read(bundle, ceiling=_ceiling(source))
    done = _store(session, caller, partner_org_id, reading, now, channel="feed", sequence=feed.sequence)
    source.last_sequence, source.last_bundle_id = feed.sequence, bundle_id
    return done


def _ceiling(source: ImportSource) -> Tlp:
    return next(t for t in Tlp if t.label == source.ceiling)


def set_ceiling(
    session: Session, *, caller: Caller, partner_org_id: int, ceiling: Tlp, now: datetime
) -> ImportSource:
    """The holder's administrators set the most restricted marking accepted from a partner."""
    holder = service.holder_id(session)
    if "admin" not in caller.roles or caller.organization_id != holder:
        raise Forbidden("only the host's administrators set what is accepted from a partner")
    _partner(session, caller, partner_org_id)
    row = source_of(session, partner_org_id, now, lock=True)
    before = row.ceiling
    row.ceiling, row.updated_by, row.updated_at = ceiling.label, caller.user_id, now
    session.flush()
    intel_service.audit(
        session,
        caller,
        "sharing.ceiling",
        "organization",
        partner_org_id,
        now,
        fields=["ceiling"],
        details={"from": before, "to": ceiling.label},
    )
    return row


def _store(
    session: Session,
    caller: Caller,
    partner_org_id: int,
    reading: Reading,
    now: datetime,
    *,
    channel: str,
    sequence: int | None = None,
) -> ImportDone:
    intel_service.ensure_actors(session, now)
    store = import_store.Store(session, caller, partner_org_id, reading.bundle_id, now)
    stored = {r.stix_id: (r, store.put(r)) for r in reading.records}
    store.finish()
    objects = [_outcome(v, stored.get(v.id)) for v in reading.verdicts]
    if any(o.outcome not in (None, "unchanged") for o in objects):
        intel_service.bump(session, now)
    details: dict[str, Any] = {
        "partner": partner_org_id,
        "bundle": reading.bundle_id,
        "channel": channel,
        "accepted": [[v.id, v.sha256] for v in reading.verdicts if v.status == stix_import.ACCEPTED],
        "rejected": [[v.id, v.reason] for v in reading.verdicts if v.status == stix_import.REJECTED],
        "ignored": [[v.id, v.reason] for v in reading.verdicts if v.status == stix_import.IGNORED],
    }
    if sequence is not None:
        details["sequence"] = sequence
    intel_service.audit(
        session,
        caller,
        "sharing.import",
        "organization",
        partner_org_id,
        now,
        fields=sorted(details),
        details=details,
    )
    return ImportDone(partner_org_id, reading.bundle_id, objects, sequence)


def _outcome(verdict: Verdict, stored: tuple[stix_import.Record, import_store.Put] | None) -> Outcome:
    v = verdict
    if stored is None:
        return Outcome(v.id, v.type, v.status, v.reason, v.sha256)
    record, put = stored
    return Outcome(v.id, v.type, v.status, v.reason, v.sha256, record.kind, put.id, put.outcome, put.kept)
