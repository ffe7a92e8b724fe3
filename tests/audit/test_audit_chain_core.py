"""The pure chain: canonical form, links, signed heads, key history, and every kind of tampering."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outrider.audit import canonical_form, chain

KEY = chain.private_key_from_seed(b"k" * 32)
PUB = chain.public_key_b64(KEY)
NEW_KEY = chain.private_key_from_seed(b"n" * 32)
NEW_PUB = chain.public_key_b64(NEW_KEY)
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
ROTATED_AT = T0 + timedelta(hours=1)
HISTORY = [
    chain.KeyEntry(PUB, T0 - timedelta(days=1)),
    chain.sign_endorsement(
        NEW_KEY, previous=chain.KeyEntry(PUB, T0 - timedelta(days=1)), valid_from=ROTATED_AT
    ),
]


def build(
    sizes: list[int], *, rotate_after: int | None = None
) -> tuple[list[dict[str, Any]], list[chain.Checkpoint]]:
    """Records written by transactions of the given sizes, each commit signing the head.

    Heads of transactions after ``rotate_after`` transactions are signed by the new key."""
    prev, records, heads, last = chain.GENESIS, [], [], 0
    for t, size in enumerate(sizes):
        for _ in range(size):
            i = len(records) + 1
            rec: dict[str, Any] = {
                "seq": i,
                "at": T0 + timedelta(seconds=i),
                "user_id": i % 3,
                "organization_id": 1,
                "action": "movement.read_itinerary",
                "object_type": "movement",
                "object_id": str(i % 5),
                "fields": ["route"],
                "channel": "api",
                "request_id": f"r{i}",
                "details": {"n": i},
            }
            rec["prev_hash"] = prev
            rec["hash"] = prev = canonical_form.link_hash(prev, rec)
            records.append(rec)
        rotated = rotate_after is not None and t >= rotate_after
        key, at = (
            (NEW_KEY, ROTATED_AT + timedelta(seconds=t)) if rotated else (KEY, T0 + timedelta(seconds=t))
        )
        heads.append(chain.sign_head(key, seq=len(records), hash_=prev, prev_seq=last, at=at))
        last = len(records)
    return records, heads


def witness_of(heads: list[chain.Checkpoint]) -> chain.Checkpoint:
    return replace(heads[-1], source="witness")


def check(records: list[dict[str, Any]], heads: list[chain.Checkpoint], **kwargs: Any) -> chain.Verdict:
    kwargs.setdefault("trusted_public_key", PUB)
    return chain.verify(records, heads, all_signatures=True, **kwargs)


sizes = st.lists(st.integers(1, 4), min_size=2, max_size=8)


def test_an_intact_chain_verifies() -> None:
    recs, heads = build([3, 1, 2, 5])
    v = check(recs, [*heads, witness_of(heads)])
    assert v.ok and v.records == 11 and v.checkpoints == 5 and v.last_hash == recs[-1]["hash"]
    assert chain.verify(recs, heads, trusted_public_key=PUB).ok  # the fast way agrees


def test_canonical_form_is_stable_and_zone_independent() -> None:
    a = {"seq": 1, "at": datetime(2026, 1, 1, 10, 0, tzinfo=UTC), "details": {"b": 1, "a": 2}}
    b = {"details": {"a": 2, "b": 1}, "seq": 1, "at": datetime.fromisoformat("2026-01-01T15:00:00+05:00")}
    assert canonical_form.canonical(a) == canonical_form.canonical(b)
    with pytest.raises(ValueError, match="zone"):
        canonical_form.canonical({"at": datetime(2026, 1, 1)})


def test_records_after_the_last_signed_head_are_not_trusted() -> None:
    """Found: records after the last checkpoint (up to 999) could be edited or deleted unnoticed."""
    recs, heads = build([2, 3])
    v = check(recs, heads[:1])
    assert not v.ok and v.first_broken_seq == 3 and "covered by no signed head" in (v.problem or "")


def test_the_last_record_edited_and_rehashed_is_found() -> None:
    recs, heads = build([2, 1])
    recs[-1]["details"] = {"n": "forged"}
    recs[-1]["hash"] = canonical_form.link_hash(recs[-1]["prev_hash"], recs[-1])
    v = check(recs, heads)
    assert not v.ok and v.first_broken_seq == 3 and "re-chained" in (v.problem or "")


def test_deleting_a_signed_head_is_found() -> None:
    """Found: deleting the stored checkpoints was not detected."""
    recs, heads = build([1, 2, 1, 3])
    middle = check(recs, [h for i, h in enumerate(heads) if i != 1])
    assert not middle.ok and "signed heads were deleted" in (middle.problem or "")
    last = check(recs, heads[:-1])
    assert not last.ok and "covered by no signed head" in (last.problem or "")
    assert not check(recs, []).ok


def test_an_emptied_log_fails_against_its_witness() -> None:
    """Found: an emptied log verified "ok, 0 records" unless the exported checkpoint file was given."""
    _recs, heads = build([2, 2])
    assert check([], []).ok  # a new log
    v = check([], [witness_of(heads)])
    assert not v.ok and "witness" in (v.problem or "") and "emptied" in (v.problem or "")


def test_a_cut_and_rechained_tail_fails_against_the_witness() -> None:
    recs, heads = build([10, 10, 10])
    # the attacker drops records 21..30, rewrites them with other content and recomputes every hash
    forged = recs[:20]
    prev = forged[-1]["hash"]
    for i in range(21, 31):
        rec = {**recs[i - 1], "user_id": 0, "details": {"forged": True}}
        rec["prev_hash"] = prev
        rec["hash"] = prev = canonical_form.link_hash(prev, rec)
        forged.append(rec)
    assert not check(forged, heads).ok  # the stored head at 30 no longer matches
    v = check(forged, [*heads[:2], witness_of(heads)])  # ...and deleting it leaves the witness
    assert not v.ok and v.first_broken_seq == 30 and "re-chained" in (v.problem or "")


def test_rotation_keeps_what_the_old_key_signed_valid() -> None:
    """Found: rotating the signing key made every earlier checkpoint look forged."""
    recs, heads = build([2, 1, 3, 1], rotate_after=2)
    assert {h.public_key for h in heads} == {PUB, NEW_PUB}
    v = check(recs, heads, trusted_public_key=NEW_PUB, keys=HISTORY)
    assert v.ok and v.checkpoints == 4
    # the fast way checks the signature where the key changes and at the end
    assert chain.verify(recs, heads, trusted_public_key=NEW_PUB, keys=HISTORY).ok


def test_a_key_history_must_hang_from_the_trusted_key() -> None:
    recs, heads = build([2, 1, 3], rotate_after=1)
    stale = check(recs, heads, trusted_public_key=PUB, keys=HISTORY)
    assert not stale.ok and "newest key" in (stale.problem or "")
    assert not check(recs, heads, trusted_public_key=NEW_PUB, keys=HISTORY[1:]).ok  # old key unknown
    forger = chain.private_key_from_seed(b"f" * 32)
    slipped = chain.KeyEntry(chain.public_key_b64(forger), T0 - timedelta(days=2))
    unendorsed = [slipped, *HISTORY]
    v = check(recs, heads, trusted_public_key=NEW_PUB, keys=unendorsed)
    assert not v.ok and "not endorsed" in (v.problem or "")


def test_a_head_signed_outside_its_keys_validity_fails() -> None:
    recs, heads = build([2, 1], rotate_after=1)
    late = chain.sign_head(
        KEY, seq=3, hash_=recs[2]["hash"], prev_seq=2, at=ROTATED_AT + timedelta(minutes=1)
    )
    v = check(recs, [heads[0], late], trusted_public_key=NEW_PUB, keys=HISTORY)
    assert not v.ok and "key history does not hold" in (v.problem or "")
    other = chain.private_key_from_seed(b"x" * 32)
    stranger = chain.sign_head(other, seq=3, hash_=recs[2]["hash"], prev_seq=2, at=T0)
    assert not check(recs, [heads[0], stranger]).ok


def test_a_forged_signature_is_refused() -> None:
    recs, heads = build([1, 1])
    bad = replace(heads[-1], at=heads[-1].at + timedelta(seconds=1))
    v = check(recs, [heads[0], bad])
    assert not v.ok and "not validly signed" in (v.problem or "")
    assert not chain.verify(recs, [heads[0], bad], trusted_public_key=PUB).ok  # the last head always decides


def test_first_format_checkpoints_still_verify() -> None:
    recs, heads = build([3, 2])
    legacy = chain.sign_checkpoint(KEY, seq=3, hash_=recs[2]["hash"], at=T0)
    assert chain.checkpoint_valid(legacy, trusted_public_key=PUB)
    assert check(recs, [legacy, *heads]).ok


@settings(max_examples=60, deadline=None)
@given(
    sizes=sizes,
    data=st.data(),
    field=st.sampled_from(
        ["at", "user_id", "action", "object_id", "fields", "channel", "request_id", "details", "prev_hash"]
    ),
)
def test_any_single_change_is_detected(sizes: list[int], data: st.DataObject, field: str) -> None:
    recs, heads = build(sizes)
    index = data.draw(st.integers(0, len(recs) - 1))
    changed: dict[str, Any] = {
        "at": T0 - timedelta(days=1),
        "user_id": 12345,
        "action": "x",
        "object_id": "zz",
        "fields": [],
        "channel": "web",
        "request_id": "other",
        "details": {"n": -1},
        "prev_hash": "f" * 64,
    }
    recs[index][field] = changed[field]
    rehash = data.draw(st.booleans())  # an attacker may recompute the hashes without the key
    if rehash:
        prev = recs[index]["prev_hash"]
        for rec in recs[index:]:
            rec["prev_hash"] = prev
            rec["hash"] = prev = canonical_form.link_hash(prev, rec)
    v = chain.verify(recs, [*heads, witness_of(heads)], trusted_public_key=PUB)
    assert not v.ok and v.first_broken_seq is not None and v.first_broken_seq <= max(h.seq for h in heads)


@settings(max_examples=60, deadline=None)
@given(sizes=sizes, data=st.data())
def test_any_deletion_reordering_or_truncation_is_detected(sizes: list[int], data: st.DataObject) -> None:
    recs, heads = build(sizes)
    n = len(recs)
    kind = data.draw(st.sampled_from(["delete", "swap", "truncate", "drop_head", "truncate_all"]))
    stored = list(heads)
    if kind == "delete":
        del recs[data.draw(st.integers(0, n - 1))]
    elif kind == "swap":
        i, j = data.draw(st.integers(0, n - 2)), 0
        j = data.draw(st.integers(i + 1, n - 1))
        recs[i], recs[j] = recs[j], recs[i]
    elif kind == "truncate":  # the records and the signed heads after a cut, both gone
        cut = data.draw(st.integers(0, n - 1))
        recs = recs[:cut]
        stored = [h for h in heads if h.seq <= cut]
    elif kind == "drop_head":
        del stored[data.draw(st.integers(0, len(stored) - 1))]
    else:
        recs, stored = [], []
    v = chain.verify(recs, [*stored, witness_of(heads)], trusted_public_key=PUB)
    assert not v.ok, kind


@settings(max_examples=30, deadline=None)
@given(sizes=sizes, data=st.data())
def test_rotation_at_any_point_keeps_the_chain_valid(sizes: list[int], data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(sizes)))
    recs, heads = build(sizes, rotate_after=at)
    trusted = NEW_PUB if at < len(sizes) else PUB
    keys = HISTORY if at < len(sizes) else HISTORY[:1]
    assert check(recs, [*heads, witness_of(heads)], trusted_public_key=trusted, keys=keys).ok
