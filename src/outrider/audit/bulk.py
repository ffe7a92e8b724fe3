"""Read the chain a group of records at a time: one row per group, its hashes checked in bulk.

A million records read one row each cost the driver a million tuples and the walk a million hashes in
Python; read as one row per group of records (their sequence numbers, links, hashes and, on SQLite,
their canonical bytes, each aggregated into one value), the hashing runs over the whole group in C.
A group whose every record hashes to its stored hash and links to the one before is handed to the walk
as one span (see chain.Row): the walk checks its first link and every signed head naming its records,
without a step per record. A group whose hashes hold but a link does not comes as rows vouched one by
one, so the walk names the broken link. Any other group (a record altered, missing, out of order, a
value the aggregate cannot carry) is read again row by row, the slow sure way, and the walk finds and
names the problem exactly as it would have without groups.
"""

from __future__ import annotations

import hashlib
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from outrider.audit import chain

GROUP = 4096  # records per group: large enough to make a row cheap, small enough to re-read on a fault
_hex = operator.methodcaller("hexdigest")
_sha = hashlib.sha256
_SQLITE_GROUP = (
    "SELECT group_concat(seq), group_concat(prev_hash), group_concat(hash), "
    "CAST(group_concat(prev_hash || char(10) || coalesce({body}, ''), char(0)) AS BLOB) "
    "FROM audit_records WHERE seq BETWEEN {lo} AND {hi}"
)
# PostgreSQL hashes the group itself (its sha256, over the bytes the walk would hash) and says whether
# every record's hash matched: the client receives three strings and a flag per group. It writes the five
# strings between plain quotes, a third cheaper than to_json: that is their JSON exactly when none holds a
# quote, a backslash or a control character, which one search over the group's strings makes sure of
# (if one does, the group is read row by row, with to_json). Rows come in the table's order, which for an
# append-only log is the order of seq; if it is not, the check of the sequence numbers sends the group
# to the slow read.
_PG_PLAIN = (
    """format('{{"action":"%s","at":"%s","channel":"%s","details":%s,"fields":%s,"object_id":"%s","""
    """"object_type":"%s","organization_id":%s,"request_id":"%s","seq":%s,"user_id":%s}}', action, {at}, """
    "channel, details, fields, object_id, object_type, coalesce(organization_id::text, 'null'), "
    "request_id, seq, coalesce(user_id::text, 'null'))"
)


def pg_plain_body(at: str) -> str:
    """PostgreSQL's canonical bytes of a record with plain quotes (see above); ``at`` writes the time."""
    return _PG_PLAIN.format(at=at)


_PG_GROUP = (
    "SELECT string_agg(seq::text, ','), string_agg(prev_hash, ','), string_agg(hash, ','), "
    "bool_and(coalesce(encode(sha256(convert_to(prev_hash || chr(10) || {body}, 'UTF8')), 'hex') = hash, "
    "false)) AND string_agg(coalesce(action || channel || object_id || object_type || request_id, '\"'), '') "
    "!~ '[\\x01-\\x1f\"\\\\]' "
    "FROM audit_records WHERE seq BETWEEN {lo} AND {hi}"
)
Slow = Callable[[int, int], Iterable[chain.Row]]  # the rows of records lo..hi, read one by one


def groups(lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """The groups of sequence numbers ``lo``..``hi``, as (first, last)."""
    return ((a, min(hi, a + GROUP - 1)) for a in range(lo, hi + 1, GROUP))


def fetch(connection: Any, sql: str) -> list[Any]:
    """All rows of a query on a bare driver connection."""
    cursor = connection.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _contiguous(seqs: str | None, first: int) -> int:
    """How many sequence numbers ``seqs`` lists, if they run from ``first`` without a gap; else -1."""
    if not seqs:
        return -1
    n = seqs.count(",") + 1
    return n if seqs == ",".join(map(str, range(first, first + n))) else -1


def _vouched(dialect: str, row: Any, first: int) -> Iterator[chain.Row] | None:
    """The group's records as vouched rows when every one hashes to its stored hash; else None."""
    if row is None:
        return None
    seqs, prevs, hashes, proof = row
    n = _contiguous(seqs, first)
    if n < 0 or prevs is None or hashes is None:
        return None
    prev_list, hash_list = prevs.split(","), hashes.split(",")
    if len(prev_list) != n or len(hash_list) != n:
        return None  # a value holding the separator: only the slow read can say which record it is
    if dialect == "sqlite":
        pieces = proof.split(b"\0") if isinstance(proof, bytes) else []
        # one string compare: each record's SHA-256, in order, against each stored hash, in order
        if len(pieces) != n or ",".join(map(_hex, map(_sha, pieces))) != hashes:
            return None
    elif proof is not True:
        return None
    if prev_list[1:] == hash_list[:-1]:  # linked inside: one row, a span, for the walk (see chain.Row)
        return iter(((first, prev_list[0], hash_list[-1], hash_list),))
    return zip(range(first, first + n), prev_list, hash_list, itertools.repeat(b""))


def records(connection: Any, dialect: str, body: str, lo: int, hi: int, slow: Slow) -> Iterator[chain.Row]:
    """Records ``lo``..``hi`` for the walk, in order: vouched by groups, read again slowly where not."""
    template = _SQLITE_GROUP if dialect == "sqlite" else _PG_GROUP

    def each() -> Iterator[Iterable[chain.Row]]:
        for a, b in groups(lo, hi):
            rows = _vouched(dialect, fetch(connection, template.format(body=body, lo=a, hi=b))[0], a)
            yield slow(a, b) if rows is None else rows

    # chained in C: a row passes from the group to the walk without a Python frame in between
    return itertools.chain.from_iterable(each())
