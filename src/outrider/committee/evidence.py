"""Evidence of a commitment: dated, sourced entries of its timeline (minutes, documents, compliance reports,
news, notes), append-only.

An uploaded document is kept as its SHA-256, its name and its size; its text is kept beside them when it
is UTF-8 text of at most 64 KiB. Outrider has no file store: anyone holding a larger or binary document
proves it is the one recorded by its hash. A document held elsewhere may be recorded by its hash alone.

A reference is checked against what the caller may read: a `news` entry names a stored report the
caller's organisation may read by its marking, a `minutes` entry a meeting of a committee the caller reads
whose minutes both parties approved, a `compliance_report` entry a stored protocol whose compliance report
it is (the report is made from the stored evaluations, for a caller who may read compliance reports: the
entry's date and title say which period it covered). A reference the caller may not read is answered
exactly as one that does not exist (the same 422 and the same words), so the answer tells nobody what
exists beyond their reach; the same check holds for the entry a stage move writes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.committee import commitment_store as store
from outrider.committee import meetings
from outrider.committee import schemas_commitments as s
from outrider.committee.commitment_models import Evidence
from outrider.errors import InvalidInput, NotFound
from outrider.intel.models import IntelReport
from outrider.protocols.models import ProtocolVersion
from outrider.sharing import readers

MINUTES_APPROVED = "minutes_approved"
# The entries whose ``ref`` names what they rest on.
NEEDS_REF = {
    s.EvidenceKind.minutes: "the meeting whose minutes record it",
    s.EvidenceKind.compliance_report: "the protocol whose compliance report it is",
    s.EvidenceKind.news: "the intelligence report",
}
NO_REPORT = "no stored intelligence report has this id"
NO_MINUTES = "no meeting whose minutes both parties approved has this id"
NO_PROTOCOL = "no protocol has this id"


@dataclass(frozen=True, slots=True)
class Document:
    """An uploaded document: its name and bytes."""

    file_name: str
    data: bytes

    @property
    def sha256(self) -> str:
        """The SHA-256 of the bytes, hex."""
        return hashlib.sha256(self.data).hexdigest()

    def kept_text(self) -> str | None:
        """The text kept in the timeline: small UTF-8 text only (no NUL, which PostgreSQL refuses)."""
        if len(self.data) > s.KEEP_TEXT_BYTES:
            return None
        try:
            text = self.data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return None if "\x00" in text else text


def decode_upload(file_name: str | None, content_base64: str | None) -> Document | None:
    """The document of an API upload (base64), or None when none was sent."""
    if content_base64 is None:
        return None
    try:
        data = base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(
            "content_base64 is not base64", errors=[{"loc": ["content_base64"], "msg": "not base64"}]
        ) from None
    return Document(file_name or "document", data)


def _bad(field: str, msg: str) -> InvalidInput:
    return InvalidInput(f"{field}: {msg}", errors=[{"loc": [field], "msg": msg}])


def _id(ref: str) -> int | None:
    return int(ref) if ref.isascii() and ref.isdigit() and len(ref) <= 9 else None


def _report_readable(session: Session, caller: Caller, ref: str) -> bool:
    """A stored report the caller's organisation may read by its marking (as intelligence answers it)."""
    report_id = _id(ref)
    report = session.get(IntelReport, report_id) if report_id is not None else None
    return report is not None and readers.scope_of(session, caller).refusal(report) is None


def _minutes_approved(session: Session, caller: Caller, ref: str) -> bool:
    """Minutes are evidence once both parties approved them: a meeting's own entry, never a claim, and
    only of a meeting the caller may read."""
    meeting_id = _id(ref)
    if meeting_id is None:
        return False
    try:
        meeting = meetings.get_meeting(session, caller=caller, meeting_id=meeting_id)
    except NotFound:
        return False
    return meeting.status == MINUTES_APPROVED


def _protocol_reported(session: Session, caller: Caller, ref: str) -> bool:
    """A stored protocol (any version) whose compliance report the caller may read."""
    if not policy.may_read_compliance(caller):
        return False
    found = select(ProtocolVersion.id).where(ProtocolVersion.protocol_id == ref).limit(1)
    return session.scalar(found) is not None


# Each kind's check of what its reference names, and the words of a refusal (missing and unreadable alike).
_REFS: dict[s.EvidenceKind, tuple[Callable[[Session, Caller, str], bool], str]] = {
    s.EvidenceKind.news: (_report_readable, NO_REPORT),
    s.EvidenceKind.minutes: (_minutes_approved, NO_MINUTES),
    s.EvidenceKind.compliance_report: (_protocol_reported, NO_PROTOCOL),
}


def check_ref(session: Session, caller: Caller, kind: s.EvidenceKind, ref: str | None) -> None:
    """InvalidInput unless a news, minutes or compliance report entry's reference is one the caller may
    read; one they may not read gets the very answer of one that does not exist."""
    checked = _REFS.get(kind)
    if checked is not None and ref is not None and not checked[0](session, caller, ref):
        raise _bad("ref", checked[1])


def _check(
    session: Session,
    caller: Caller,
    kind: s.EvidenceKind,
    ref: str | None,
    sha256: str | None,
    doc: Document | None,
) -> None:
    if kind in NEEDS_REF and not ref:
        raise _bad("ref", f"a {kind.value} entry names {NEEDS_REF[kind]}")
    check_ref(session, caller, kind, ref)
    if kind is s.EvidenceKind.document and doc is None and sha256 is None:
        raise _bad("sha256", "a document entry carries the document or its SHA-256")
    if doc is not None and kind is not s.EvidenceKind.document:
        raise _bad("content_base64", "only a document entry carries a file")
    if doc is not None and sha256 is not None and sha256 != doc.sha256:
        raise _bad("sha256", "the SHA-256 given is not the uploaded document's")


def add_evidence(
    session: Session,
    *,
    caller: Caller,
    commitment_id: int,
    kind: s.EvidenceKind | str,
    date: date,
    title: str,
    source: str = "",
    ref: str | None = None,
    sha256: str | None = None,
    now: datetime,
    document: Document | None = None,
) -> Evidence:
    """Add a dated, sourced entry to a commitment's timeline (it moves no stage: see ``move_stage``)."""
    row, found = store.load(session, caller=caller, commitment_id=commitment_id)
    store.require_writer(caller, found, row)
    kind = s.EvidenceKind(kind)
    _check(session, caller, kind, ref, sha256, document)
    entry = store.append_entry(
        session,
        row,
        caller=caller,
        kind=kind.value,
        day=date,
        title=title,
        source=source,
        ref=ref,
        sha256=document.sha256 if document else sha256,
        file_name=document.file_name if document else None,
        size=len(document.data) if document else None,
        content=document.kept_text() if document else None,
        now=now,
    )
    store.audit(
        session, caller, "evidence", row.id, now, kind=kind.value, evidence_id=entry.id, sha256=entry.sha256
    )
    return entry
