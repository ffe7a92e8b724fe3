"""Signed heads proved plain by the database, a group at a time, instead of 666,667 rows handed to Python.

Of the signed heads that name the records of a group, the walk needs each one only when it decides (the
last of its key, the newest of all) or when something is wrong; the rest it passes as plain: stored,
chained to the head before it, matching the hash of the record it names, under a key of the history
that the next head shares. One aggregate per group says whether all of its heads are so among
themselves: their number, their sequence numbers and the ones each names as the head before it (as two
strings: each head must name the one before it, which one string compare checks, and name a lower one,
so they rise), their hashes (one string) and their keys. Such a group comes to the walk as one
`chain.RUN` mark; what the group alone cannot know (that each head matches the hash of the record it
names, which the walk compares with the span's hashes in one string compare; that its first head
follows the last one before it; that the mark after it shares the key; that the key is in the history;
that the records around it checked out) the walk checks when it meets the run, and reads the heads one
by one in its place otherwise. Any other group,
and any group holding an exported checkpoint or the witness, is read one by one from the start.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import Any

from outrider.audit import bulk, chain

# No join with the records: the walk matches the heads' hashes against the span's own (a join cost the
# server more than handing over the hashes as one string).
_SQLITE_GROUP = (
    "SELECT count(*), group_concat(seq), group_concat(prev_seq), count(prev_seq), sum(prev_seq < seq), "
    "group_concat(hash), min(public_key), max(public_key) FROM audit_checkpoints "
    "WHERE seq BETWEEN {lo} AND {hi}"
)
_PG_GROUP = (
    "SELECT count(*), string_agg(seq::text, ','), string_agg(prev_seq::text, ','), count(prev_seq), "
    "count(*) FILTER (WHERE prev_seq < seq), string_agg(hash, ','), min(public_key), max(public_key) "
    "FROM audit_checkpoints WHERE seq BETWEEN {lo} AND {hi}"
)
Light = Callable[[str], list[chain.Mark]]  # the stored heads of a WHERE clause, one by one, in order


def run_of(row: Sequence[Any]) -> chain.Mark | None:
    """A group's heads as one run mark when the database found them plain among themselves; else None."""
    n, seqs, prevs, chained, rising, hashes, low_key, high_key = row
    if not n or not isinstance(seqs, str) or not isinstance(prevs, str) or not isinstance(hashes, str):
        return None
    if chained != n or rising != n or low_key != high_key:
        return None
    first_prev, _, rest = prevs.partition(",")
    cut = seqs.rfind(",")
    if n > 1 and rest != seqs[:cut]:  # each head names the one before it (and a lower one: they rise)
        return None
    try:
        first, last, after = int(seqs.partition(",")[0]), int(seqs[cut + 1 :]), int(first_prev)
    except ValueError:
        return None  # a value written some other way: the walk reads these heads one by one
    if str(first) != seqs.partition(",")[0] or str(after) != first_prev or str(last) != seqs[cut + 1 :]:
        return None
    return (first, hashes, after, str(low_key), chain.RUN, (int(n), last, seqs), None)


def marks(
    connection: Any, dialect: str, lo: int, hi: int, *, below: int, external: Sequence[int], light: Light
) -> list[chain.Mark]:
    """The stored signed heads numbered ``below``..``hi``, as marks: runs over the groups of records of
    ``lo``..``hi`` where the database proves them plain, one by one elsewhere (sorted by seq, then id)."""
    template = _SQLITE_GROUP if dialect == "sqlite" else _PG_GROUP
    out = light(f"WHERE seq BETWEEN {int(below)} AND {int(lo) - 1}") if below < lo else []
    outside = sorted(external)
    for a, b in bulk.groups(lo, hi):
        run = None
        if bisect.bisect_left(outside, a) == bisect.bisect_right(outside, b):
            row = bulk.fetch(connection, template.format(lo=a, hi=b))[0]
            if not row[0]:
                continue
            run = run_of(row)
        out.extend(light(f"WHERE seq BETWEEN {a} AND {b}") if run is None else (run,))
    return out


def expander(light: Light) -> Callable[[chain.Mark], list[chain.Mark]]:
    """What the walk calls to read a run's heads one by one."""

    def expand(run: chain.Mark) -> list[chain.Mark]:
        return light(f"WHERE seq BETWEEN {int(run[0])} AND {int(run[5][1])}")

    return expand
