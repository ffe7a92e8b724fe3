"""The audit record's canonical form and link hash: the bytes and the SHA-256 the hash chain is made of."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from outrider.audit.signing import utc_text

CHAINED_FIELDS = (
    "seq",
    "at",
    "user_id",
    "organization_id",
    "action",
    "object_type",
    "object_id",
    "fields",
    "channel",
    "request_id",
    "details",
)
_time = utc_text


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return _time(value)
    raise TypeError(f"{type(value).__name__} cannot go into the audit log")


_quote = json.encoder.encode_basestring  # type: ignore[attr-defined]
quote_string = _quote  # JSON text of a string, as the canonical form writes it
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=_default).encode


def canonical_json(value: Any) -> str:
    """Compact, key-sorted JSON text of a value (how the audit tables store fields and details)."""
    return _encode(value)


def _s(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _encode(value)


def canonical(record: Mapping[str, Any]) -> bytes:
    """The canonical JSON of a record's chained fields: sorted keys, no spaces, UTC times, UTF-8.

    Written out by hand (the same bytes as ``json.dumps(..., sort_keys=True, ensure_ascii=False)`` of
    those fields) because verification runs it a million times. An ``at`` given as a string is taken as
    already canonical (``YYYY-MM-DDTHH:MM:SS.ffffffZ``), and so are ``fields`` and ``details`` given as
    strings (their canonical JSON text): storage layers that keep that text pass it on unparsed, and any
    change to it changes the hash all the same.
    """
    r = record
    at, fields, details = r["at"], r.get("fields") or (), r.get("details")
    fields_text = fields if isinstance(fields, str) else f"[{','.join(map(_quote, fields))}]"
    details_text = details if isinstance(details, str) else _encode(details)
    return (
        f'{{"action":{_s(r.get("action"))},"at":"{at if isinstance(at, str) else _time(at)}",'
        f'"channel":{_s(r.get("channel"))},"details":{details_text},'
        f'"fields":{fields_text},"object_id":{_s(r.get("object_id"))},'
        f'"object_type":{_s(r.get("object_type"))},"organization_id":{_s(r.get("organization_id"))},'
        f'"request_id":{_s(r.get("request_id"))},"seq":{int(r["seq"])},"user_id":{_s(r.get("user_id"))}}}'
    ).encode()


def link_hash(prev_hash: str, record: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and the record's canonical form (hex)."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(record)).hexdigest()
