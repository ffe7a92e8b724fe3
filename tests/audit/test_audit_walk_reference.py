"""The faster walk of the audit chain gives exactly the answers of the walk it replaced.

The previous walk is kept here verbatim as the reference; hypothesis draws chains of records and
signed heads under two keys, tampers with them in every way the walk judges (records altered,
re-chained, dropped, swapped; signed heads altered, dropped, forged, re-keyed, unchained, read lazily;
exported checkpoints; a broken key history), cuts them into chunks as the parallel verification does,
and both walks and their verdicts must agree field for field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outrider.audit import canonical_form, chain
from outrider.audit.chain import KeyHistory, Walk, checkpoint_of
from outrider.audit.signing import signature_valid

T0 = datetime(2026, 11, 23, tzinfo=UTC)
K1 = chain.private_key_from_seed(b"q-walk-one")
K2 = chain.private_key_from_seed(b"q-walk-two")
ROTATE = 12  # records after this one are signed by the second key


def _old_mark_problem(m: chain.Mark, computed: str, keys: KeyHistory, decides: bool) -> str | None:
    what = {"stored": "signed head", "exported": "exported checkpoint", "witness": "witness"}[m[4]]
    if m[1] != computed:
        return f"the chain at record {m[0]} differs from its {what} (re-chained)"
    unknown = f"the {what} at record {m[0]} is signed by a key the key history does not hold at that time"
    if keys.problem is None and m[3] not in keys.windows:
        return unknown
    if decides:
        cp = checkpoint_of(m)
        if keys.problem is None and not keys.valid_at(cp.public_key, cp.at):
            return unknown
        if not signature_valid(cp):
            return f"the {what} at record {m[0]} is not validly signed"
    return None


def _old_walk(
    rows: Iterable[chain.Row],
    *,
    start_seq: int = 1,
    start_prev: str | None = chain.GENESIS,
    checkpoints: Sequence[chain.Mark] = (),
    keys: KeyHistory | None = None,
    all_signatures: bool = False,
    rebuild: Callable[[int], bytes] | None = None,
) -> Walk:
    """The walk as it was before it was made faster, kept verbatim as the reference."""
    keys = keys or KeyHistory({})
    cps = checkpoints
    sha = hashlib.sha256
    prev, expected, count, first_prev = start_prev, start_seq, 0, start_prev
    marks, covered, first_link, last_link, ci = 0, 0, None, 0, 0
    next_cp = cps[0][0] if cps else -1
    if cps and next_cp < start_seq:
        problem = f"checkpoint names record {next_cp}, which cannot exist"
        return Walk(0, first_prev, start_seq - 1, prev or "", next_cp, problem)
    for seq, prev_hash, stored_hash, body in rows:
        if seq != expected:
            what = "missing" if seq > expected else "out of order or duplicated"
            return Walk(count, first_prev, expected - 1, prev or "", expected, f"record {expected} is {what}")
        if prev is None:
            prev = first_prev = prev_hash
        if prev_hash != prev:
            problem = f"record {seq} does not link to record {seq - 1}"
            return Walk(count, first_prev, seq - 1, prev, seq, problem)
        computed = sha(prev.encode() + b"\n" + body).hexdigest()
        if computed != stored_hash and rebuild is not None:
            computed = sha(prev.encode() + b"\n" + rebuild(seq)).hexdigest()
        if computed != stored_hash:
            problem = f"record {seq} was altered (its hash does not match)"
            return Walk(count, first_prev, seq - 1, prev, seq, problem)
        prev, expected, count = computed, seq + 1, count + 1
        if seq != next_cp:
            continue
        while ci < len(cps) and cps[ci][0] == seq:
            m = cps[ci]
            ci += 1
            chained = m[2] is not None and m[4] == "stored"
            decides = all_signatures or not chained or ci == len(cps) or cps[ci][3] != m[3]
            trouble = _old_mark_problem(m, computed, keys, decides)
            if trouble is None and chained:
                if first_link is None:
                    first_link = (seq, int(m[2] or 0))
                elif m[2] != last_link:
                    trouble = (
                        f"the signed head at record {seq} follows one at record {m[2]}, but the one "
                        f"before it is at record {last_link} (signed heads were deleted)"
                    )
                last_link = seq
            if trouble is not None:
                return Walk(count, first_prev, seq, computed, seq, trouble, marks)
            marks += 1
            if m[4] == "stored":  # the database must cover itself: the witness only looks on
                covered = seq
        next_cp = cps[ci][0] if ci < len(cps) else -1
    beyond = tuple(checkpoint_of(m) for m in cps[ci:])
    return Walk(
        count, first_prev, expected - 1, prev or "", None, None, marks, first_link, last_link, covered, beyond
    )


@lru_cache(maxsize=64)
def _history(broken: bool) -> KeyHistory:
    first = chain.KeyEntry(chain.public_key_b64(K1), T0 - timedelta(days=1), None)
    second = chain.sign_endorsement(
        K2, previous=first, valid_from=T0 + timedelta(seconds=ROTATE, milliseconds=500)
    )
    entries = [first] if broken else [first, second]
    return chain.key_history(entries, trusted_public_key=chain.public_key_b64(K2))


@lru_cache(maxsize=64)
def _chain(n: int, per: int) -> tuple[tuple[chain.Row, ...], tuple[chain.Mark, ...]]:
    rows, marks, prev, last = [], [], chain.GENESIS, 0
    for seq in range(1, n + 1):
        at = T0 + timedelta(seconds=seq)
        rec = {
            "seq": seq,
            "at": at,
            "user_id": seq % 3 or None,
            "organization_id": 1,
            "action": "movement.read",
            "object_type": "movement",
            "object_id": str(seq),
            "fields": ["route"],
            "channel": "api",
            "request_id": f"r{seq}",
            "details": {"n": seq},
        }
        body = canonical_form.canonical(rec)
        digest = canonical_form.link_hash(prev, rec)
        rows.append((seq, prev, digest, body))
        prev = digest
        if seq % per == 0 or seq == n:
            key = K1 if seq <= ROTATE else K2
            marks.append(chain.mark(chain.sign_head(key, seq=seq, hash_=digest, prev_seq=last, at=at)))
            last = seq
    return tuple(rows), tuple(marks)


def _rechain(rows: list[Any], i: int) -> None:
    prev = rows[i - 1][2] if i else chain.GENESIS
    for k in range(i, len(rows)):
        seq, _p, _h, body = rows[k]
        digest = hashlib.sha256(prev.encode() + b"\n" + body).hexdigest()
        rows[k] = (seq, prev, digest, body)
        prev = digest


_TAMPER = st.sampled_from(
    [
        "alter",
        "rehash",
        "drop",
        "swap",
        "cp_drop",
        "cp_hash",
        "cp_sig",
        "cp_key",
        "cp_prev",
        "cp_old",
        "cp_dup",
        "exported",
        "lazy",
        "lazy",
        "lazy",
    ]
)


def _grouped(rows: list[Any], sizes: list[int]) -> list[Any]:
    """The rows as the grouped read hands them over (see audit/bulk.py): spans where a group checks out."""
    out: list[Any] = []
    i, k = 0, 0
    while i < len(rows):
        size = sizes[k % len(sizes)] if sizes else len(rows)
        group, i, k = rows[i : i + size], i + size, k + 1
        first = group[0][0]
        hashed = all(
            s == first + j and hashlib.sha256(p.encode() + b"\n" + b).hexdigest() == h
            for j, (s, p, h, b) in enumerate(group)
        )
        linked = all(group[j][1] == group[j - 1][2] for j in range(1, len(group)))
        if hashed and linked:
            out.append((first, group[0][1], group[-1][2], [h for _s, _p, h, _b in group]))
        elif hashed:
            out.extend((s, p, h, b"") for s, p, h, _b in group)
        else:
            out.extend(group)
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(0, 24),
    per=st.integers(1, 4),
    tampers=st.lists(st.tuples(_TAMPER, st.integers(0, 30)), max_size=4),
    cut=st.integers(0, 26),
    all_signatures=st.booleans(),
    broken_history=st.booleans(),
    sizes=st.lists(st.integers(1, 7), max_size=4),
)
def test_the_fast_walk_agrees_with_the_reference(
    n: int,
    per: int,
    tampers: list[tuple[str, int]],
    cut: int,
    all_signatures: bool,
    broken_history: bool,
    sizes: list[int],
) -> None:
    """Row by row, in chunks, or as the grouped read hands the rows over (spans): the reference's verdict."""
    base_rows, base_marks = _chain(n, per)
    rows: list[Any] = list(base_rows)
    marks: list[Any] = list(base_marks)
    lazy: dict[int, chain.Mark] = {}
    for what, at in tampers:
        if what in ("alter", "rehash", "drop", "swap") and rows:
            i = at % len(rows)
            if what == "alter":
                rows[i] = (*rows[i][:3], rows[i][3].replace(b'"api"', b'"web"'))
            elif what == "rehash":
                rows[i] = (*rows[i][:3], rows[i][3].replace(b'"api"', b'"web"'))
                _rechain(rows, i)
            elif what == "drop":
                del rows[i]
            elif i + 1 < len(rows):
                rows[i], rows[i + 1] = rows[i + 1], rows[i]
        elif what == "exported":
            seq = at % (n + 3) + 1
            digest = base_rows[seq - 1][2] if seq <= n else "e" * 64
            marks.append(
                chain.mark(chain.sign_checkpoint(K2, seq=seq, hash_=digest, at=T0 + timedelta(seconds=99)))
            )
            marks[-1] = (*marks[-1][:4], "exported", *marks[-1][5:])
        elif marks:
            j = at % len(marks)
            m = marks[j]
            if what == "cp_drop":
                del marks[j]
            elif what == "cp_hash":
                marks[j] = (m[0], "f" * 64, *m[2:])
            elif what == "cp_sig":
                marks[j] = (*m[:6], "AAAA")
            elif what == "cp_key":
                marks[j] = (*m[:3], chain.public_key_b64(chain.private_key_from_seed(b"stranger")), *m[4:])
            elif what == "cp_prev":
                marks[j] = (*m[:2], (m[2] or 0) + 1, *m[3:])
            elif what == "cp_old":
                marks[j] = (*m[:2], None, *m[3:])
            elif what == "cp_dup":
                marks.insert(j, m)
            elif m[4] == "stored" and m[6] is not None:
                lazy[j + 1000 * len(lazy)] = m
    marks.sort(key=lambda m: m[0])
    full = list(marks)
    # the fast walk gets the lazy heads without time and signature, and reads them back when they decide
    ids = {id(m): k for k, m in lazy.items()}
    fast = [(*m[:5], ids[id(m)], None) if id(m) in ids else m for m in marks]

    def complete(m: chain.Mark) -> chain.Mark:
        return lazy[m[5]]

    keys = _history(broken_history)
    bound = cut if cut < n else n  # records 1..bound in the first chunk, the rest in the second
    old_walks, new_walks = [], []
    for lo, hi, start_prev in ((1, bound, chain.GENESIS), (bound + 1, 10**9, None)):
        low = -(2**62) if lo == 1 else lo
        part = [r for r in rows if lo <= r[0] <= hi]
        options: dict[str, Any] = {
            "start_seq": lo,
            "start_prev": start_prev,
            "keys": keys,
            "all_signatures": all_signatures,
        }
        old_walks.append(_old_walk(part, checkpoints=[m for m in full if low <= m[0] <= hi], **options))
        new_walks.append(
            chain.walk(
                iter(part), checkpoints=[m for m in fast if low <= m[0] <= hi], complete=complete, **options
            )
        )
    assert new_walks == old_walks
    assert chain.judge(new_walks, keys=keys) == chain.judge(old_walks, keys=keys)
    for k, (lo, hi, start_prev) in enumerate(((1, bound, chain.GENESIS), (bound + 1, 10**9, None))):
        low = -(2**62) if lo == 1 else lo
        part = [r for r in rows if lo <= r[0] <= hi]
        in_groups = chain.walk(
            iter(_grouped(part, sizes)),
            checkpoints=[m for m in fast if low <= m[0] <= hi],
            complete=complete,
            start_seq=lo,
            start_prev=start_prev,
            keys=keys,
            all_signatures=all_signatures,
        )
        assert in_groups == old_walks[k]
    whole_old = _old_walk(rows, checkpoints=full, keys=keys, all_signatures=all_signatures)
    whole_new = chain.walk(
        rows, checkpoints=fast, keys=keys, all_signatures=all_signatures, complete=complete
    )
    assert whole_new == whole_old
    assert chain.judge([whole_new], keys=keys) == chain.judge([whole_old], keys=keys)
    spanned = chain.walk(
        _grouped(rows, sizes), checkpoints=fast, keys=keys, all_signatures=all_signatures, complete=complete
    )
    assert spanned == whole_old
