"""The partner's pull stream as a pure core: the opaque cursor, and the page of released objects after it.

Objects come in the order they changed (their own time, or their last change of marking when later),
then kind and id, so that a cursor is a place in a total order. A cursor names the terms it was given
under (the policy, its hash and the holder's default marking): when they change, what they release may
have changed for objects long past, and the stream starts again from the beginning.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from outrider.errors import InvalidInput
from outrider.sharing.policy import OBJECT_TYPES, Releasable

FORMAT = 1
MAX_CURSOR = 200  # characters: longer is not a cursor this stream gave
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Position = tuple[datetime, str, int]
START: Position = (EPOCH, "", 0)
_ALPHABET = re.compile(r"[A-Za-z0-9_-]+")  # base64url without padding, nothing else


@dataclass(frozen=True, slots=True)
class Cursor:
    """A place in a partner's stream under one set of terms."""

    basis: str
    at: datetime
    kind: str
    id: int

    @property
    def position(self) -> Position:
        """Where the stream stands: the last object given."""
        return (self.at, self.kind, self.id)


@dataclass(frozen=True, slots=True)
class Page:
    """The objects changed after the cursor (at most the limit), the objects they refer to, the next
    cursor, and whether more wait."""

    fresh: list[Releasable]
    objects: list[Releasable]
    next: Cursor
    more: bool


def basis(policy_id: int, policy_hash: str, default_marking: str) -> str:
    """What a cursor depends on: the policy in force, its terms' hash, the holder's default marking."""
    text = f"{policy_id}:{policy_hash}:{default_marking}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def encode(cursor: Cursor) -> str:
    """The opaque cursor text (base64url of a small JSON list, no padding)."""
    raw = [FORMAT, cursor.basis, cursor.at.astimezone(UTC).isoformat(), cursor.kind, cursor.id]
    text = json.dumps(raw, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def decode(text: str) -> Cursor:
    """A cursor this stream gave, or InvalidInput (422) naming ``after``."""
    refusal = InvalidInput("after: not a cursor of this stream; start without one")
    if not text or len(text) > MAX_CURSOR or not _ALPHABET.fullmatch(text):
        raise refusal
    try:
        raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8"))
        version, basis_, at, kind, ident = raw
        when = datetime.fromisoformat(at).astimezone(UTC)
    except (ValueError, TypeError, OverflowError, binascii.Error, UnicodeDecodeError):
        raise refusal from None
    valid_kind = kind in OBJECT_TYPES or (kind == "" and ident == 0)
    naive = datetime.fromisoformat(at).tzinfo is None  # astimezone took a naive time as local: refused
    if version != FORMAT or not isinstance(basis_, str) or not valid_kind or naive:
        raise refusal
    if not isinstance(ident, int) or isinstance(ident, bool) or not 0 <= ident < 2**31:
        raise refusal
    return Cursor(basis_, when, kind, ident)


def changed(obj: Releasable, marked_at: Mapping[tuple[str, int], datetime]) -> datetime:
    """When the object last changed for the stream: its own time, or its last marking when that is later."""
    marked = marked_at.get((obj.kind, obj.id))
    return obj.stamp if marked is None or marked <= obj.stamp else marked


def page(
    released: Sequence[Releasable],
    *,
    after: Cursor | None,
    basis: str,
    limit: int,
    marked_at: Mapping[tuple[str, int], datetime],
) -> Page:
    """The next page of what the policy released: the objects after the cursor (from the start when the
    cursor was given under other terms) and, so that the bundle holds together, the released objects they
    refer to."""
    start = after.position if after is not None and after.basis == basis else START
    keyed = sorted(((changed(o, marked_at), o.kind, o.id), o) for o in released)
    later = [(pos, o) for pos, o in keyed if pos > start]
    chosen = later[:limit]
    last = chosen[-1][0] if chosen else start
    fresh = [o for _, o in chosen]
    return Page(fresh, _with_references(fresh, released), Cursor(basis, *last), len(later) > limit)


def _with_references(fresh: list[Releasable], released: Sequence[Releasable]) -> list[Releasable]:
    by_key = {(o.kind, o.id): o for o in released}
    taken = {(o.kind, o.id) for o in fresh}
    out, todo = list(fresh), list(fresh)
    while todo:
        for link in todo.pop().links:
            if link in by_key and link not in taken:
                taken.add(link)
                out.append(by_key[link])
                todo.append(by_key[link])
    return out
