"""An audit record made ready before the chain's head is read: all of it but its place in the chain.

Appending takes the head (SQLite's write turn, PostgreSQL's row lock), and every other writer waits for it,
so what does not depend on the head is done before: the record's columns, the canonical JSON of its fields
and details (written to the table as that very text), its canonical bytes on either side of the sequence
number, and the list of the objects it names. Under the head, only the sequence number is written in and
the link hashed (`link`): the same bytes and hash as `canonical_form.link_hash` of the finished record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from outrider.audit import canonical_form


class Principal(Protocol):
    """Who acted, through which channel, in which request: a `Caller` as it is, or an `Actor`."""

    @property
    def user_id(self) -> int | None: ...
    @property
    def organization_id(self) -> int | None: ...
    @property
    def channel(self) -> str: ...
    @property
    def request_id(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Entry:
    """One record for `append` or `record_many`: the arguments of `record` but the session and time."""

    actor: Principal
    action: str
    object_type: str
    object_id: str | int
    fields: Sequence[str] = ()
    details: dict[str, Any] | None = None
    # Objects the record is about besides its own (the movements one board read showed): they are named
    # in its details (``names``, hashed with the rest) and indexed, so `lookup.records_about` finds it
    names: Sequence[tuple[str, str | int]] = ()


class CanonicalText(str):
    """JSON text already in canonical form: the audit tables store it as it is, without encoding it again."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Prepared:
    """A record but its sequence number and links: its columns (fields and details as canonical text),
    its canonical bytes before and after the number, and the objects it names."""

    values: dict[str, Any]
    before_seq: bytes
    after_seq: bytes
    names: tuple[tuple[str, str], ...]
    fields: list[str]  # the record's fields and details as values, for the record returned by an append
    details: dict[str, Any]


_SEQ = b',"seq":0,"user_id":'  # the canonical form ends with these two keys (sorted), the user's id last
_NUMBER_AT = len(b',"seq":')  # where the number 0 stands in it


def prepare(entry: Entry, now: datetime) -> Prepared:
    """Everything of the record that does not depend on the chain's head."""
    names = tuple((kind, str(ident)) for kind, ident in entry.names)
    details = {**(entry.details or {}), "names": [list(n) for n in names]} if names else entry.details or {}
    fields = sorted(entry.fields)
    values = {
        "at": now,
        "user_id": entry.actor.user_id,
        "organization_id": entry.actor.organization_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": str(entry.object_id),
        "fields": CanonicalText(canonical_form.canonical_json(fields)),
        "channel": entry.actor.channel,
        "request_id": entry.actor.request_id,
        "details": CanonicalText(canonical_form.canonical_json(details)),
    }
    whole = canonical_form.canonical({**values, "seq": 0})
    # The last occurrence is the record's own: after it come only the user's id (a number or null) and "}".
    cut = whole.rfind(_SEQ)
    before, after = whole[: cut + _NUMBER_AT], whole[cut + _NUMBER_AT + 1 :]
    return Prepared(values, before, after, names, fields, details)


def link(prepared: Prepared, seq: int, prev_hash: str) -> str:
    """The record's hash at ``seq`` after ``prev_hash``: `canonical_form.link_hash` of the finished record."""
    canonical = prepared.before_seq + str(seq).encode() + prepared.after_seq
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical).hexdigest()
