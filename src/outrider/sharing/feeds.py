"""Directory feeds for an air-gapped hand-over: one file per object, a manifest, its Ed25519 signature.

A feed is a directory: each object as canonical JSON in its own file, ``manifest.json`` (the releasing
party, when, a sequence number per party, and the ordered list of files with their SHA-256 and size)
and ``manifest.json.sig`` (the base64 Ed25519 signature of the manifest's bytes). The receiving side
verifies before it imports: a changed, missing, extra or reordered file, a truncated manifest, a path out
of the directory or a signature by a key it does not trust for that party refuses the whole feed, with
the reason. Pure but for the reading and writing of the files (`write_feed`, `_Directory`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from outrider.audit.canonical_form import canonical_json
from outrider.audit.signing import public_key_b64
from outrider.errors import InvalidInput
from outrider.signatures import ed25519_valid

FORMAT = "outrider-feed/1"
MANIFEST, SIGNATURE = "manifest.json", "manifest.json.sig"
MAX_OBJECTS = 100_000
MAX_FILE_BYTES = 256 * 1024 * 1024
# lower case only: a feed often travels on a FAT or exFAT disk, where "A.json" and "a.json" are one file
_SAFE = re.compile(r"[a-z0-9][a-z0-9._-]{0,150}")
_HEX64 = re.compile(r"[0-9a-f]{64}")


class FeedRefused(InvalidInput):
    """The feed does not verify; ``detail`` says why (the first fault found)."""


@dataclass(frozen=True, slots=True)
class VerifiedFeed:
    """A feed that verified: who released it, when, its sequence, the key (raw) and the objects in order."""

    party: str
    created: datetime
    sequence: int
    signer: bytes
    objects: list[dict[str, Any]]


def canonical(value: Any) -> bytes:
    """The audit chain's canonical JSON (sorted keys, no spaces), UTF-8: one value, one spelling."""
    return canonical_json(value).encode("utf-8")


def file_name(object_id: str) -> str:
    """The object's file: its id when that is a safe file name, else the SHA-256 of the id."""
    if _SAFE.fullmatch(object_id) and ".." not in object_id:
        return f"{object_id}.json"
    return f"{hashlib.sha256(object_id.encode('utf-8')).hexdigest()}.json"


def build(
    objects: Sequence[dict[str, Any]], *, party: str, key: Ed25519PrivateKey, created: datetime, sequence: int
) -> dict[str, bytes]:
    """Every file of a feed (name to bytes), the manifest signed; objects keep their order."""
    if created.tzinfo is None:
        raise InvalidInput("created: give a time with its zone")
    if sequence < 1 or not party.strip():
        raise InvalidInput("a feed needs a releasing party and a sequence number from 1")
    files: dict[str, bytes] = {}
    entries = []
    for obj in objects:
        object_id = obj.get("id")
        if not isinstance(object_id, str) or not object_id:
            raise InvalidInput("every object of a feed needs a text id")
        name, data = file_name(object_id), canonical(obj)
        if name in files:
            raise InvalidInput(f"object {object_id} appears twice")
        files[name] = data
        entries.append({"id": object_id, "file": name, "sha256": _sha(data), "size": len(data)})
    manifest = {
        "format": FORMAT,
        "party": party,
        "created": created.isoformat(),
        "sequence": sequence,
        "signer": public_key_b64(key),
        "count": len(entries),
        "objects": entries,
    }
    files[MANIFEST] = canonical(manifest)
    files[SIGNATURE] = base64.b64encode(key.sign(files[MANIFEST])) + b"\n"
    return files


def write_feed(
    directory: Path,
    objects: Sequence[dict[str, Any]],
    *,
    party: str,
    key: Ed25519PrivateKey,
    created: datetime,
    sequence: int = 1,
) -> dict[str, Any]:
    """Write a signed feed into an empty (or new) directory; returns its manifest."""
    files = build(objects, party=party, key=key, created=created, sequence=sequence)
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise InvalidInput(f"{directory.name}: the feed directory must be empty")
    for name, data in files.items():
        (directory / name).write_bytes(data)
    manifest: dict[str, Any] = json.loads(files[MANIFEST])
    return manifest


def verify_feed(
    directory: Path, *, trusted_keys: Mapping[str, Collection[bytes]], after_sequence: int = 0
) -> VerifiedFeed:
    """The feed's objects once every check passes; `FeedRefused` with the reason otherwise.

    ``trusted_keys`` maps each releasing party to the raw Ed25519 public keys trusted for it;
    ``after_sequence`` is the last sequence imported from that party (an older feed is a replay)."""
    return verify_files(_Directory(directory), trusted_keys=trusted_keys, after_sequence=after_sequence)


class _Directory(Mapping[str, bytes | None]):
    """The feed directory's entries by name, each file read only when asked for (an extra or oversized
    file is refused without being read); a link, directory or other non-regular entry reads as None."""

    def __init__(self, directory: Path) -> None:
        if directory.is_symlink() or not directory.is_dir():
            raise FeedRefused(f"{directory.name}: not a feed directory")
        self._paths = {p.name: p for p in directory.iterdir()}

    def __getitem__(self, name: str) -> bytes | None:
        path = self._paths[name]
        if path.is_symlink() or not path.is_file():
            return None
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FeedRefused(f"{name!r} is larger than {MAX_FILE_BYTES} bytes")
        return path.read_bytes()

    def __contains__(self, name: object) -> bool:
        return name in self._paths  # without reading the file

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def verify_files(
    files: Mapping[str, bytes | None],
    *,
    trusted_keys: Mapping[str, Collection[bytes]],
    after_sequence: int = 0,
) -> VerifiedFeed:
    """Verify a feed given as its directory's entries (name to bytes; None for a link or directory)."""
    manifest_bytes, signature = _required(files, MANIFEST), _required(files, SIGNATURE)
    manifest = _parse_manifest(manifest_bytes)
    party, signer = manifest["party"], _decode_key(manifest["signer"])
    if signer not in set(trusted_keys.get(party, ())):
        raise FeedRefused(
            f"the manifest is signed by a key not trusted for {party!r} (public key {manifest['signer']})"
        )
    if not ed25519_valid(signer, manifest_bytes, _decode_signature(signature)):
        raise FeedRefused("the manifest's signature is not valid: the manifest was changed after signing")
    entries = _entries(manifest)
    if manifest["sequence"] <= after_sequence:
        raise FeedRefused(
            f"replayed feed: sequence {manifest['sequence']} of {party!r} is not after {after_sequence}"
        )
    expected = {MANIFEST, SIGNATURE} | {e["file"] for e in entries}
    extra = sorted(set(files) - expected)
    if extra:
        raise FeedRefused(f"extra file {extra[0]!r}: it is not in the manifest")
    objects = [_object(files, i, e) for i, e in enumerate(entries, start=1)]
    created = datetime.fromisoformat(manifest["created"])
    return VerifiedFeed(party, created, manifest["sequence"], signer, objects)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _required(files: Mapping[str, bytes | None], name: str) -> bytes:
    data = files.get(name)
    if data is None:
        raise FeedRefused(f"{name} is missing (or is not a regular file)")
    return data


def _parse_manifest(data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise FeedRefused("manifest.json is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise FeedRefused(f"manifest.json is not a manifest of format {FORMAT}")
    kinds = {"party": str, "created": str, "sequence": int, "signer": str, "count": int, "objects": list}
    for field, kind in kinds.items():
        if not isinstance(manifest.get(field), kind) or isinstance(manifest.get(field), bool):
            raise FeedRefused(f"manifest.json: {field} is missing or of the wrong kind")
    try:
        created = datetime.fromisoformat(manifest["created"])
    except ValueError:
        raise FeedRefused("manifest.json: created is not an ISO 8601 time") from None
    if created.tzinfo is None:
        raise FeedRefused("manifest.json: created has no zone")
    return manifest


def _decode_key(text: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise FeedRefused("manifest.json: signer is not a base64 public key") from None
    if len(raw) != 32:
        raise FeedRefused("manifest.json: signer is not an Ed25519 public key")
    return raw


def _decode_signature(data: bytes) -> bytes:
    try:
        signature = base64.b64decode(data.removesuffix(b"\n"), validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    if base64.b64encode(signature) != data.removesuffix(b"\n") or len(signature) != 64:
        raise FeedRefused("manifest.json.sig is not a base64 Ed25519 signature")  # one spelling only
    return signature


def _entries(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    entries: list[Any] = manifest["objects"]
    if manifest["count"] != len(entries):
        raise FeedRefused(
            f"truncated manifest: it counts {manifest['count']} objects but lists {len(entries)}"
        )
    if len(entries) > MAX_OBJECTS:
        raise FeedRefused(f"a feed holds at most {MAX_OBJECTS} objects")
    seen: set[str] = set()
    for i, e in enumerate(entries, start=1):
        if not isinstance(e, dict) or not all(isinstance(e.get(k), str) for k in ("id", "file", "sha256")):
            raise FeedRefused(f"manifest entry {i} lacks its id, file or sha256")
        name = e["file"]
        if "/" in name or "\\" in name or name in (".", "..") or not _SAFE.fullmatch(name):
            raise FeedRefused(f"manifest entry {i}: the path {name!r} escapes the feed directory")
        if name in seen or name in (MANIFEST, SIGNATURE):
            raise FeedRefused(f"manifest entry {i}: the file {name!r} is named twice")
        if not _HEX64.fullmatch(e["sha256"]) or not isinstance(e.get("size"), int):
            raise FeedRefused(f"manifest entry {i}: sha256 or size is malformed")
        seen.add(name)
    return entries


def _object(files: Mapping[str, bytes | None], position: int, entry: dict[str, Any]) -> dict[str, Any]:
    name = entry["file"]
    if name not in files:
        raise FeedRefused(f"missing file {name!r} (object {position} of the manifest)")
    data = files[name]
    if data is None:
        raise FeedRefused(f"{name!r} is not a regular file (a link or directory is refused)")
    if len(data) != entry["size"] or _sha(data) != entry["sha256"]:
        raise FeedRefused(f"file {name!r}: its SHA-256 differs from the manifest's (changed after signing)")
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise FeedRefused(f"file {name!r} is not a JSON object") from None
    if not isinstance(obj, dict) or obj.get("id") != entry["id"]:
        raise FeedRefused(f"file {name!r} does not hold object {entry['id']!r} (position {position})")
    return obj
