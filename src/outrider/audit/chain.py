"""The hash chain as pure functions: canonical form, hashing, and verification against signed heads."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from outrider.audit import spans
from outrider.audit.canonical_form import canonical
from outrider.audit.signing import (
    Checkpoint,
    KeyEntry,
    KeyHistory,
    Mark,
    checkpoint_of,
    checkpoint_valid,
    key_history,
    mark,
    mark_problem,
    private_key_from_seed,
    public_key_b64,
    sign_checkpoint,
    sign_endorsement,
    sign_head,
)

__all__ = [
    "GENESIS",
    "RUN",
    "Checkpoint",
    "KeyEntry",
    "KeyHistory",
    "Mark",
    "Verdict",
    "Walk",
    "checkpoint_of",
    "checkpoint_valid",
    "judge",
    "key_history",
    "mark",
    "prepared",
    "private_key_from_seed",
    "public_key_b64",
    "sign_checkpoint",
    "sign_endorsement",
    "sign_head",
    "verify",
    "walk",
]

GENESIS = "0" * 64
RUN = spans.RUN
# A record ready to check: (seq, prev_hash, hash, canonical bytes); bytes of None are rebuilt, and empty
# bytes say the storage itself found SHA-256 over prev_hash, newline and those bytes equal to hash.
# A span of records the storage checked whole comes as one row: (first seq, its prev_hash, the last hash,
# the list of their hashes in order), each record linking to the one before and hashing to its own.
Row = tuple[int, str, str, bytes | list[str] | None]


def prepared(records: Iterable[Mapping[str, Any]]) -> Iterator[Row]:
    """Records (mappings of the chained fields plus ``prev_hash`` and ``hash``) as rows for `walk`."""
    for r in records:
        yield int(r["seq"]), str(r["prev_hash"]), str(r["hash"]), canonical(r)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The result of a verification: how far it went and the first problem, if any."""

    ok: bool
    records: int
    last_seq: int
    last_hash: str
    checkpoints: int
    first_broken_seq: int | None = None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Walk:
    """One pass over a run of records and the signed heads that name them."""

    count: int
    first_prev: str | None
    last_seq: int
    last_hash: str
    broken_seq: int | None = None
    problem: str | None = None
    marks: int = 0  # checkpoints found to match the chain
    first_link: tuple[int, int] | None = None  # (seq, prev_seq) of the run's first chained signed head
    last_link: int = 0  # seq of the run's last chained signed head
    covered: int = 0  # the highest record covered by a checkpoint that checked out
    beyond: tuple[Checkpoint, ...] = ()  # checkpoints naming records after the run's end


def walk(
    rows: Iterable[Row],
    *,
    start_seq: int = 1,
    start_prev: str | None = GENESIS,
    checkpoints: Sequence[Mark] = (),
    keys: KeyHistory | None = None,
    all_signatures: bool = False,
    rebuild: Callable[[int], bytes] | None = None,
    complete: Callable[[Mark], Mark] | None = None,
    expand: Callable[[Mark], list[Mark]] | None = None,
) -> Walk:
    """Check every link of a run of records starting at ``start_seq``, and the checkpoints in it.

    ``start_prev`` is the hash the first record must link to; None takes the first record's own
    ``prev_hash`` (a chunk verified in parallel: `judge` checks the junction with the chunk before).
    ``checkpoints`` (marks sorted by seq, none before ``start_seq``) are matched against the recomputed
    hashes as the walk passes them. Signatures cost far more than hashes, so unless ``all_signatures``
    only those that decide are checked: the last signed head of the run, the last one of each key,
    and every exported, witness or first-format checkpoint. The chain ties every other head to them.
    ``rebuild`` gives a record's canonical bytes again the slow, sure way when the bytes a row came
    with do not match or are missing (None: a storage layer that builds them faster may differ on an
    exotic character, or leave to Python a value it cannot write). ``complete`` reads the time and
    signature of a mark that came without them (a signature of None), when they decide. A ``RUN`` mark
    (see audit/heads.py) counts as all its heads where `spans.run_holds`; else ``expand`` reads them.
    """
    fill = complete or (lambda m: m)
    keys = keys or KeyHistory({})
    cps = list(checkpoints)
    n_cps = len(cps)
    # None: any key passes the membership test (the key history itself is broken and says so in `judge`)
    known = keys.windows if keys.problem is None else None
    sha = hashlib.sha256
    prev, expected, count, first_prev = start_prev, start_seq, 0, start_prev
    marks, covered, first_link, last_link, ci = 0, 0, None, 0, 0
    next_cp = cps[0][0] if cps else -1
    if cps and next_cp < start_seq:
        problem = f"checkpoint names record {next_cp}, which cannot exist"
        return Walk(0, first_prev, start_seq - 1, prev or "", next_cp, problem)
    if prev is None:  # a chunk of a parallel pass: it starts where its first record says
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            beyond = tuple(checkpoint_of(fill(m) if m[6] is None else m) for m in spans.each(cps, expand))
            return Walk(0, None, start_seq - 1, "", None, None, 0, None, 0, 0, beyond)
        prev = first_prev = first[1]
        rows = itertools.chain((first,), rows)

    cols: spans.Columns | None = None

    def splice(i: int) -> None:
        """Put the signed heads a run stands for in its place, one by one."""
        nonlocal n_cps, cols
        cps[i : i + 1] = spans.expanded(cps[i], expand)
        n_cps, cols = len(cps), None

    def at_marks(seq: int, computed: str) -> str | None:
        """Match the checkpoints naming record ``seq`` (hash ``computed``); the first problem, if any."""
        nonlocal ci, marks, covered, first_link, last_link, next_cp
        # handled inline while they are the common kind (a chained signed head, matching, not deciding)
        while ci < n_cps:
            m = cps[ci]
            if m[0] != seq:
                break
            if m[4] == RUN:
                splice(ci)
                continue
            ci += 1
            pk = m[3]
            chained = m[2] is not None and m[4] == "stored"
            if (
                chained
                and first_link is not None
                and m[2] == last_link
                and m[1] == computed
                and (known is None or pk in known)
                and not all_signatures
                and ci < n_cps
                and cps[ci][3] == pk
            ):
                last_link = covered = seq
                marks += 1
                continue
            decides = all_signatures or not chained or ci == n_cps or cps[ci][3] != pk
            if decides and m[6] is None:
                m = fill(m)
            trouble = mark_problem(m, computed, keys, decides)
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
                return trouble
            marks += 1
            if m[4] == "stored":  # the database must cover itself: the witness only looks on
                covered = seq
        next_cp = cps[ci][0] if ci < n_cps else -1
        return None

    prev_bytes = prev.encode()
    # The inner loop runs a million times: locals only, no calls but the hash and, at a checkpoint, at_marks.
    for seq, prev_hash, stored_hash, body in rows:
        if seq != expected:
            what = "missing" if seq > expected else "out of order or duplicated"
            if not count:  # nothing walked: the run's start is all there is to say
                first_prev, prev = start_prev, start_prev or ""
            return Walk(count, first_prev, expected - 1, prev, expected, f"record {expected} is {what}")
        if prev_hash != prev:
            problem = f"record {seq} does not link to record {seq - 1}"
            return Walk(count, first_prev, seq - 1, prev, seq, problem)
        if isinstance(body, list):  # a span: the storage checked its records' links and hashes whole
            last = seq + len(body) - 1
            while seq <= next_cp <= last:
                run = cps[ci]
                if run[4] == RUN:
                    after = cps[ci + 1] if ci + 1 < n_cps else None
                    if (
                        first_link is not None
                        and not all_signatures
                        and spans.run_holds(run, (seq, body), last_link, known, after)
                    ):  # as many passes of the plain-head branch of at_marks, proved by the storage
                        marks, last_link, ci = marks + run[5][0], run[5][1], ci + 1
                        covered, next_cp = last_link, cps[ci][0]
                    else:
                        splice(ci)
                        next_cp = cps[ci][0] if ci < n_cps else -1
                    continue
                if first_link is not None and not all_signatures:
                    cols = cols or spans.columns(cps)
                    end = spans.plain_run(cols, ci, (seq, body), last_link, known)
                    if end > ci:  # as many passes of the plain-head branch of at_marks, in bulk
                        marks, last_link, ci = marks + end - ci, cols[0][end - 1], end
                        covered, next_cp = last_link, cols[0][end]
                        continue
                at, computed = next_cp, body[next_cp - seq]
                trouble = at_marks(at, computed)
                if trouble is not None:
                    return Walk(count + at - seq + 1, first_prev, at, computed, at, trouble, marks)
            prev, expected, count = body[-1], last + 1, count + len(body)
            prev_bytes = prev.encode()
            continue
        if body:
            computed = sha(prev_bytes + b"\n" + body).hexdigest()
        elif body is None:
            computed = ""
        else:  # empty: the database computed this same SHA-256 over these same bytes and found it stored
            computed = stored_hash
        if computed != stored_hash and rebuild is not None:
            computed = sha(prev_bytes + b"\n" + rebuild(seq)).hexdigest()
        if computed != stored_hash:
            problem = f"record {seq} was altered (its hash does not match)"
            return Walk(count, first_prev, seq - 1, prev, seq, problem)
        prev, prev_bytes, expected, count = computed, computed.encode(), seq + 1, count + 1
        if seq == next_cp:
            trouble = at_marks(seq, computed)
            if trouble is not None:
                return Walk(count, first_prev, seq, computed, seq, trouble, marks)
    beyond = tuple(checkpoint_of(fill(m) if m[6] is None else m) for m in spans.each(cps[ci:], expand))
    return Walk(
        count, first_prev, expected - 1, prev or "", None, None, marks, first_link, last_link, covered, beyond
    )


def judge(walks: Sequence[Walk], *, keys: KeyHistory) -> Verdict:
    """Join consecutive walks and decide: links, signed heads chained and covering the last record, keys."""
    count, last_seq, last_hash, marks, covered, last_link = 0, 0, GENESIS, 0, 0, 0

    def broken(seq: int | None, problem: str) -> Verdict:
        return Verdict(False, count, last_seq, last_hash, marks, seq, problem)

    for w in walks:
        if w.count and w.first_prev != last_hash:
            return broken(last_seq + 1, f"record {last_seq + 1} does not link to record {last_seq}")
        count, marks = count + w.count, marks + w.marks
        if w.problem is not None:
            return Verdict(False, count, w.last_seq, w.last_hash, marks, w.broken_seq, w.problem)
        if w.count:
            last_seq, last_hash = w.last_seq, w.last_hash
        if w.first_link is not None:
            seq, prev_seq = w.first_link
            if prev_seq != last_link:
                # a single pass stops at this head, having walked records 1..seq: say the same
                return Verdict(
                    False,
                    seq,
                    seq,
                    "",
                    marks,
                    seq,
                    f"the signed head at record {seq} follows one at record {prev_seq}, but the one before "
                    f"it is at record {last_link} (signed heads were deleted)",
                )
            last_link = w.last_link
        covered = max(covered, w.covered)
    beyond = sorted((cp for w in walks for cp in w.beyond), key=lambda c: c.seq)
    if beyond:
        cp = beyond[0]
        if cp.source == "witness":
            return broken(
                last_seq + 1,
                f"the log ends at record {last_seq} but the witness kept beside the signing key saw record "
                f"{cp.seq} (records were cut or the log was emptied)",
            )
        return broken(
            min(cp.seq, last_seq + 1),
            f"checkpoint at {cp.seq} names a record the chain no longer has (the tail was cut)",
        )
    if keys.problem is not None:
        return broken(None, keys.problem)
    if last_seq and covered != last_seq:
        return broken(
            covered + 1,
            f"records {covered + 1} to {last_seq} are covered by no signed head (signed heads were deleted, "
            "or records were written without the signing key)",
        )
    return Verdict(True, count, last_seq, last_hash, marks)


def verify(
    records: Iterable[Mapping[str, Any]],
    checkpoints: Iterable[Checkpoint],
    *,
    trusted_public_key: str,
    keys: Iterable[KeyEntry] = (),
    all_signatures: bool = False,
) -> Verdict:
    """Walk the chain in ``seq`` order: every link, every checkpoint, and signed heads covering it all."""
    history = key_history(keys, trusted_public_key=trusted_public_key)
    cps = sorted((mark(c) for c in checkpoints), key=lambda m: m[0])
    w = walk(prepared(records), checkpoints=cps, keys=history, all_signatures=all_signatures)
    return judge([w], keys=history)
