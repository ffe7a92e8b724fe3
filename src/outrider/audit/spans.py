"""Signed heads met inside a span of records, matched in bulk: lists compared in C, not a step per head."""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Callable, Collection, Iterator, Sequence

from outrider.audit.signing import Mark

# A mark standing for a run of stored signed heads the database proved plain among themselves (see
# audit/heads.py): (first seq, their hashes joined by commas, the first's prev_seq, their one key, RUN,
# (how many, last seq, their seqs joined by commas), None).
RUN = "run"
Expand = Callable[[Mark], list[Mark]]  # a run's heads read one by one

# The marks as columns: sequence numbers, hashes, previous heads' sequence numbers, keys, sources.
Columns = tuple[list[int], list[str], list[int | None], list[str], list[str]]


def columns(marks: Sequence[Mark]) -> Columns:
    """The marks (sorted by seq) as columns, read out in C."""
    seqs, hashes, prevs, keys, sources = (list(map(operator.itemgetter(i), marks)) for i in range(5))
    return seqs, hashes, prevs, keys, sources


def plain_run(
    cols: Columns, i: int, span: tuple[int, list[str]], last_link: int, known: Collection[str] | None
) -> int:
    """Where a run of plain signed heads from mark ``i`` on ends, inside the span; ``i`` if there is none.

    A plain head is the kind `chain.walk` passes without a signature: stored, chained to the head just
    before it, matching the span's hash at its record, under a known key that the next mark shares (so it
    is not the last of its key, nor the last of all). The caller has a first chained head already and is
    not checking every signature. The longest run is tried first, then halves of it, so a head that is
    not plain costs a few list compares and is left to the walk.
    """
    seqs, hashes, prevs, keys, sources = cols
    first, span_hashes = span
    pick = span_hashes.__getitem__
    j = min(bisect.bisect_right(seqs, first + len(span_hashes) - 1, i), len(seqs) - 1)
    pk = keys[i] if i < len(keys) else ""
    if known is not None and pk not in known:
        return i
    while j > i:
        if (
            prevs[i] == last_link
            and prevs[i + 1 : j] == seqs[i : j - 1]
            and sources[i:j].count("stored") == j - i
            and keys[i : j + 1].count(pk) == j + 1 - i
            and hashes[i:j] == list(map(pick, map(operator.sub, seqs[i:j], itertools.repeat(first))))
        ):
            return j
        j = i + (j - i) // 2
    return i


def run_holds(
    run: Mark, span: tuple[int, list[str]], last_link: int, known: Collection[str] | None, after: Mark | None
) -> bool:
    """True when a run met inside a span is as many plain heads: it follows the last chained head, its key
    is known and shared by the mark ``after`` it, it ends inside the span, and each of its heads names
    the hash of its record there. The caller has a first chained head and is not checking every signature.
    """
    first, span_hashes = span
    if run[2] != last_link or after is None or after[3] != run[3] or run[5][1] >= first + len(span_hashes):
        return False
    if known is not None and run[3] not in known:
        return False
    at = map(operator.sub, map(int, run[5][2].split(",")), itertools.repeat(first))
    try:
        return bool(run[1] == ",".join(map(span_hashes.__getitem__, at)))
    except (ValueError, IndexError):  # a number written some other way: the heads are read one by one
        return False


def expanded(run: Mark, expand: Expand | None) -> list[Mark]:
    """The heads a run stands for, one by one."""
    if expand is None:
        raise ValueError("a run of signed heads needs `expand` to read them one by one")
    return expand(run)


def each(marks: Sequence[Mark], expand: Expand | None) -> Iterator[Mark]:
    """The marks with every run read out one by one."""
    for m in marks:
        if m[4] == RUN:
            yield from expanded(m, expand)
        else:
            yield m
