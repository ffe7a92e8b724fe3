"""Signed heads met inside a span of records, matched in bulk: lists compared in C, not a step per head."""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Collection, Sequence

from outrider.audit.signing import Mark

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
