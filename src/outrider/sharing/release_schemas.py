"""Pydantic I/O models of what left: the release ledger and the partner's pull stream."""

from __future__ import annotations

from pydantic import BaseModel

from outrider.sharing.schemas import BundleRead


class ReleasedRead(BaseModel):
    """An object that left, with the SHA-256 of its STIX object in canonical JSON."""

    kind: str
    id: int
    sha256: str


class ReleaseRead(BaseModel):
    """One release as its audit record tells it (``seq`` and ``record_hash``: check with `audit verify`)."""

    seq: int
    record_hash: str
    at: str
    partner_org_id: int
    partner: str
    channel: str
    policy_id: int
    policy_version: int
    bundle: str
    user_id: int | None
    user: str | None
    organization_id: int | None
    organization: str | None
    released: int
    withheld: int
    objects: list[ReleasedRead]


class LedgerRead(BaseModel):
    """What was released (to one partner, or to every one the reader may see) in a period."""

    partner_org_id: int | None
    since: str | None
    until: str | None
    generated_at: str
    releases: int
    objects: int
    rows: list[ReleaseRead]


class StreamRead(BaseModel):
    """One page of the partner's stream: a STIX 2.1 bundle, the cursor to pass as ``after`` next time, and
    whether more objects wait."""

    bundle: BundleRead
    next: str
    more: bool
    count: int
    released: int
