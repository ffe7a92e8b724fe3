"""Signed directory feeds: an untouched feed verifies; every kind of tampering is refused with its reason."""

from __future__ import annotations

import base64
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import given, settings
from hypothesis import strategies as st

from outrider.sharing import feeds
from outrider.sharing.feeds import FeedRefused

T0 = datetime(2026, 10, 3, 9, 30, tzinfo=UTC)
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
OBJECTS = [
    {"id": "incident--0b9c", "type": "incident", "name": "Bombing near the airport", "note": "تجربہ 试验"},
    {"id": "sighting--77aa", "type": "sighting", "count": 2},
    {"id": "report/with:odd id", "type": "report", "nested": {"b": [1, 2], "a": None}},
]


def raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


TRUST = {"Host Protection Unit": [raw(KEY)]}


def make(tmp: Path, objects: list[dict[str, object]] = OBJECTS, *, key: Ed25519PrivateKey = KEY) -> Path:
    feeds.write_feed(tmp / "feed", objects, party="Host Protection Unit", key=key, created=T0, sequence=4)
    return tmp / "feed"


def refused(directory: Path, match: str, **kwargs: int) -> None:
    with pytest.raises(FeedRefused, match=match):
        feeds.verify_feed(directory, trusted_keys=TRUST, **kwargs)


def manifest(directory: Path) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((directory / feeds.MANIFEST).read_bytes())
    return loaded


def resign(directory: Path, data: dict[str, object], key: Ed25519PrivateKey = KEY) -> None:
    body = feeds.canonical(data)
    (directory / feeds.MANIFEST).write_bytes(body)
    (directory / feeds.SIGNATURE).write_bytes(base64.b64encode(key.sign(body)))


def test_an_untouched_feed_verifies_with_its_objects_in_order(tmp_path: Path) -> None:
    d = make(tmp_path)
    done = feeds.verify_feed(d, trusted_keys=TRUST)
    assert done.objects == OBJECTS
    assert (done.party, done.created, done.sequence) == ("Host Protection Unit", T0, 4)
    m = manifest(d)
    assert m["count"] == 3 and m["created"] == "2026-10-03T09:30:00+00:00"
    files = [e["file"] for e in m["objects"]]  # type: ignore[attr-defined]
    assert files[:2] == ["incident--0b9c.json", "sighting--77aa.json"]
    assert files[2].endswith(".json") and "/" not in files[2]
    assert sorted(os.listdir(d)) == sorted([*files, feeds.MANIFEST, feeds.SIGNATURE])
    assert (d / files[1]).read_bytes() == b'{"count":2,"id":"sighting--77aa","type":"sighting"}'


def test_a_changed_object_is_refused(tmp_path: Path) -> None:
    d = make(tmp_path)
    (d / "sighting--77aa.json").write_bytes(b'{"count":3,"id":"sighting--77aa","type":"sighting"}')
    refused(d, r"file 'sighting--77aa.json': its SHA-256 differs")


def test_a_removed_object_is_refused(tmp_path: Path) -> None:
    d = make(tmp_path)
    (d / "incident--0b9c.json").unlink()
    refused(d, r"missing file 'incident--0b9c.json'")


def test_an_added_file_is_refused(tmp_path: Path) -> None:
    d = make(tmp_path)
    (d / "extra.json").write_bytes(b"{}")
    refused(d, r"extra file 'extra.json'")


def test_a_reordered_manifest_is_refused(tmp_path: Path) -> None:
    d = make(tmp_path)
    m = manifest(d)
    m["objects"] = list(reversed(m["objects"]))  # type: ignore[call-overload]
    (d / feeds.MANIFEST).write_bytes(feeds.canonical(m))
    refused(d, "signature is not valid")


def test_swapped_files_are_refused(tmp_path: Path) -> None:
    d = make(tmp_path)
    a, b = d / "incident--0b9c.json", d / "sighting--77aa.json"
    first, second = a.read_bytes(), b.read_bytes()
    a.write_bytes(second)
    b.write_bytes(first)
    refused(d, r"file 'incident--0b9c.json': its SHA-256 differs")


def test_a_truncated_manifest_is_refused_even_when_signed(tmp_path: Path) -> None:
    d = make(tmp_path)
    m = manifest(d)
    m["objects"] = m["objects"][:2]  # type: ignore[index]
    (d / feeds.MANIFEST).write_bytes(feeds.canonical(m))
    refused(d, "signature is not valid")
    resign(d, m)  # the releasing party's own key, a count that no longer agrees
    refused(d, "truncated manifest: it counts 3 objects but lists 2")


def test_a_manifest_resigned_with_another_key_is_refused(tmp_path: Path) -> None:
    d = make(tmp_path)
    m = manifest(d)
    m["signer"] = base64.b64encode(raw(OTHER)).decode()
    resign(d, m, OTHER)
    refused(
        d, rf"signed by a key not trusted for 'Host Protection Unit' \(public key {re.escape(m['signer'])}\)"
    )
    resign(d, manifest(make(tmp_path / "b")), OTHER)  # naming the trusted key, signed by another
    refused(d, "signature is not valid")


def test_a_feed_of_an_untrusted_party_is_refused(tmp_path: Path) -> None:
    feeds.write_feed(tmp_path / "f", OBJECTS, party="Somebody Else", key=KEY, created=T0)
    refused(tmp_path / "f", "not trusted for 'Somebody Else'")


def test_a_path_that_escapes_the_directory_is_refused(tmp_path: Path) -> None:
    d = make(tmp_path)
    m = manifest(d)
    m["objects"][0]["file"] = "../outside.json"  # type: ignore[index]
    resign(d, m)
    refused(d, r"manifest entry 1: the path '../outside.json' escapes the feed directory")


def test_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    d = make(tmp_path)
    target = tmp_path / "elsewhere.json"
    target.write_bytes((d / "sighting--77aa.json").read_bytes())
    (d / "sighting--77aa.json").unlink()
    (d / "sighting--77aa.json").symlink_to(target)
    refused(d, r"'sighting--77aa.json' is not a regular file")
    (tmp_path / "link").symlink_to(d)
    refused(tmp_path / "link", "link: not a feed directory")
    (d / "sighting--77aa.json").unlink()
    (d / "sighting--77aa.json").mkdir()
    refused(d, r"'sighting--77aa.json' is not a regular file")
    (d / feeds.MANIFEST).unlink()
    (d / feeds.MANIFEST).symlink_to(target)
    refused(d, "manifest.json is missing")


def test_a_replayed_older_feed_is_refused(tmp_path: Path) -> None:
    d = make(tmp_path)
    assert feeds.verify_feed(d, trusted_keys=TRUST, after_sequence=3).sequence == 4
    refused(d, r"replayed feed: sequence 4 of 'Host Protection Unit' is not after 4", after_sequence=4)


def test_writing_refuses_a_duplicate_object_and_a_full_directory(tmp_path: Path) -> None:
    with pytest.raises(feeds.InvalidInput, match="appears twice"):
        make(tmp_path, [OBJECTS[0], OBJECTS[0]])
    make(tmp_path)
    with pytest.raises(feeds.InvalidInput, match="must be empty"):
        make(tmp_path)


# ---------------------------------------------------------------- property: any one change is refused

BASE = feeds.build(OBJECTS, party="Host Protection Unit", key=KEY, created=T0, sequence=4)
NAMES = sorted(BASE)


def _verify(files: dict[str, bytes | None]) -> None:
    feeds.verify_files(files, trusted_keys=TRUST)


def test_the_built_feed_verifies() -> None:
    assert feeds.verify_files(dict(BASE), trusted_keys=TRUST).objects == OBJECTS


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(NAMES), st.integers(min_value=0), st.integers(min_value=1, max_value=255))
def test_any_single_byte_change_is_refused(name: str, where: int, delta: int) -> None:
    data = bytearray(BASE[name])
    i = where % len(data)
    data[i] = (data[i] + delta) % 256
    changed = dict[str, bytes | None](BASE) | {name: bytes(data)}
    with pytest.raises(FeedRefused):
        _verify(changed)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(NAMES))
def test_any_removal_is_refused(name: str) -> None:
    with pytest.raises(FeedRefused):
        _verify({k: v for k, v in BASE.items() if k != name})


@settings(max_examples=60, deadline=None)
@given(st.permutations(range(len(OBJECTS))).filter(lambda p: list(p) != sorted(p)))
def test_any_reordering_of_the_objects_is_refused(order: list[int]) -> None:
    m = json.loads(BASE[feeds.MANIFEST])
    m["objects"] = [m["objects"][i] for i in order]
    with pytest.raises(FeedRefused, match="signature is not valid"):
        _verify(dict[str, bytes | None](BASE) | {feeds.MANIFEST: feeds.canonical(m)})


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=8), JSON, max_size=4), max_size=5), st.text(max_size=40))
def test_any_json_objects_with_any_ids_come_back_as_written(
    bodies: list[dict[str, object]], prefix: str
) -> None:
    objects = [b | {"id": f"{prefix}{i}"} for i, b in enumerate(bodies)]
    files = feeds.build(objects, party="Host Protection Unit", key=KEY, created=T0, sequence=1)
    assert all("/" not in name and name not in (".", "..") and name == name.lower() for name in files)
    assert feeds.verify_files(dict(files), trusted_keys=TRUST).objects == objects
