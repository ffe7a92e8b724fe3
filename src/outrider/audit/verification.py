"""Verify the stored chain: its records read by groups and its signed heads, walked in parallel chunks."""

from __future__ import annotations

import functools
import itertools
import multiprocessing
import operator
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from outrider.audit import bulk, canonical_form, chain, heads, keys, witness
from outrider.audit.signing import utc_text
from outrider.db import make_engine

_RECORDS = (
    "SELECT seq, prev_hash, hash, at, user_id, organization_id, action, object_type, object_id, fields, "
    "channel, request_id, details FROM audit_records"
)
# The canonical bytes built by the database itself, in C: a million rows cost far less as one value each
# than as thirteen Python values (SQLite's handed over as bytes, PostgreSQL's as text: see _Rows). Where
# the database writes a string differently from Python's JSON encoder (or a time in another form), the
# walk rebuilds that record from its columns. On SQLite one format() call builds a body: about half the
# cost of joining the pieces with ||, each of which copies the string so far (on 1,000,000 records).
# format() stops a value at a NUL character, so a value holding one (a field with more behind a NUL, an
# id stored as text) would be hashed without what follows: such a record is rebuilt in Python instead.
_SQLITE_BODY = (
    "CASE WHEN length(at) = 26 AND length(CAST(at AS BLOB)) = 26 AND substr(at, 11, 1) = ' ' "
    "AND typeof(organization_id) IN ('integer', 'null') AND typeof(user_id) IN ('integer', 'null') "
    "AND instr(details, char(0)) = 0 AND instr(fields, char(0)) = 0 THEN CAST(format("
    """'{"action":%s,"at":"%sT%sZ","channel":%s,"details":%s,"fields":%s,"object_id":%s,"object_type":%s,"""
    """"organization_id":%s,"request_id":%s,"seq":%s,"user_id":%s}', """
    "json_quote(action), substr(at, 1, 10), substr(at, 12), json_quote(channel), details, fields, "
    "json_quote(object_id), json_quote(object_type), coalesce(organization_id, 'null'), "
    "json_quote(request_id), coalesce(seq, 'null'), coalesce(user_id, 'null')) AS BLOB) END"
)
_PG_AT = "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"


def _pg_body() -> str:
    q = "to_json({})::text".format
    n = "coalesce({}::text, 'null')".format
    parts = [
        f"""'{{"action":' || {q("action")}""",
        f"""',"at":"' || {_PG_AT} || '","channel":' || {q("channel")}""",
        """',"details":' || details || ',"fields":' || fields""",
        f"""',"object_id":' || {q("object_id")} || ',"object_type":' || {q("object_type")}""",
        f"""',"organization_id":' || {n("organization_id")} || ',"request_id":' || {q("request_id")}""",
        f"""',"seq":' || {n("seq")} || ',"user_id":' || {n("user_id")} || '}}'""",
    ]
    return " || ".join(parts)


def _body_sql(dialect: str) -> str | None:
    body = {"sqlite": _SQLITE_BODY, "postgresql": _pg_body()}.get(dialect)
    return None if body is None else f"SELECT seq, prev_hash, hash, {body} FROM audit_records"  # noqa: S608


# PostgreSQL hashes the canonical bytes itself, in C, with the same SHA-256 over the same bytes: a
# record whose hash it finds comes back with an empty body (the walk takes the hash as recomputed, and
# still checks the link, the order and the signed heads), any other with its bytes for the walk to hash
# and, failing that, rebuild. The client neither receives nor hashes 300 MB for a million records.
def _pg_vouched_sql(where: str) -> str:
    digest = "encode(sha256(convert_to(prev_hash || chr(10) || b, 'UTF8')), 'hex')"
    inner = f"SELECT seq, prev_hash, hash, {_pg_body()} AS b FROM audit_records {where}"  # noqa: S608
    outer = f"SELECT seq, prev_hash, hash, CASE WHEN {digest} = hash THEN '' ELSE b END"
    return f"{outer} FROM ({inner}) AS r ORDER BY seq"


_CHECKPOINTS = "SELECT seq, hash, prev_seq, public_key, 'stored', at, signature FROM audit_checkpoints"
_LIGHT_CHECKPOINTS = "SELECT seq, hash, prev_seq, public_key, id FROM audit_checkpoints"
_SIGNED = "SELECT at, signature FROM audit_checkpoints WHERE id ="
_BATCH = 20_000
_seq = operator.itemgetter(0)
_VOUCHED = True  # let PostgreSQL hash the records (see _pg_vouched_sql); tests turn it off to compare
_GROUPED = True  # read the records and signed heads by groups (see bulk); tests turn it off to compare
_RUNS = True  # prove plain signed heads in the database (see heads); the benchmark turns it off to compare
_quote = canonical_form.quote_string


def _at_text(at: Any) -> str:
    if isinstance(at, str) and len(at) == 26 and at[10] == " ":
        return at[:10] + "T" + at[11:] + "Z"  # SQLite keeps UTC as 'YYYY-MM-DD HH:MM:SS.ffffff'
    return utc_text(_as_utc(at))


def _as_utc(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _python_body(row: Sequence[Any]) -> bytes:
    """A record's canonical bytes from its stored columns, as canonical_form.canonical writes them."""
    _seq, _prev, _hash, at, uid, oid, action, otype, obj, fields, channel, req, details = row
    q = _quote
    return (
        f'{{"action":{q(action)},"at":"{_at_text(at)}","channel":{q(channel)},"details":{details},'
        f'"fields":{fields},"object_id":{q(obj)},"object_type":{q(otype)},'
        f'"organization_id":{"null" if oid is None else oid},"request_id":{q(req)},"seq":{_seq},'
        f'"user_id":{"null" if uid is None else uid}}}'
    ).encode()


def _rebuilder(connection: Any) -> Callable[[int], bytes]:
    def rebuild(seq: int) -> bytes:
        cursor = connection.cursor()
        try:
            cursor.execute(f"{_RECORDS} WHERE seq = {int(seq)}")
            return _python_body(cursor.fetchone())
        finally:
            cursor.close()

    return rebuild


def _bodies(connection: Any, dialect: str, where: str) -> Iterator[tuple[int, str, str, bytes]]:
    """Every record in ``where`` as a row for the walk, its canonical bytes always given."""
    rows = _rows(connection, dialect, where)
    rebuild = _rebuilder(connection)
    try:
        for seq, prev, digest, body in rows:
            yield seq, prev, digest, body if isinstance(body, bytes) else rebuild(seq)
    finally:
        rows.close()


class _Rows:
    """The records of a query as the walk reads them, straight from the driver's cursor.

    The cursor is iterated in C, row by row, with no Python frame in between: a body the database
    could not build comes as None and the walk rebuilds it.
    """

    def __init__(self, connection: Any, dialect: str, where: str, vouched: bool = False) -> None:
        sql = _body_sql(dialect)
        # On PostgreSQL a named (server-side) cursor streams; a plain one would hold every row in memory.
        named = dialect == "postgresql"
        self.cursor = connection.cursor(name="outrider_audit_walk") if named else connection.cursor()
        if named:
            self.cursor.itersize = _BATCH
        if vouched and dialect == "postgresql":
            self.cursor.execute(_pg_vouched_sql(where))
        else:
            self.cursor.execute(f"{sql or _RECORDS} {where} ORDER BY seq")
        self.python, self.text = sql is None, named

    def __iter__(self) -> Iterator[chain.Row]:
        if self.python:
            return ((r[0], r[1], r[2], _python_body(r)) for r in self.cursor)
        if self.text:  # PostgreSQL sends text faster than bytea (hex): encoding it here costs less
            return ((s, p, h, None if b is None else b.encode()) for s, p, h, b in self.cursor)
        return iter(self.cursor)

    def close(self) -> None:
        self.cursor.close()


def _rows(connection: Any, dialect: str, where: str, vouched: bool = False) -> _Rows:
    return _Rows(connection, dialect, where, vouched)


def _walk(connection: Any, dialect: str, lo: int, hi: int, *, first: bool, **options: Any) -> chain.Walk:
    """Walk records ``lo``..``hi`` (``first``: and any numbered below 1, which a single pass also reads)."""
    complete = _completer(connection)
    options["expand"] = heads.expander(lambda where: _stored_marks(connection, where, False))
    if not _GROUPED or _body_sql(dialect) is None:
        where = f"WHERE seq <= {int(hi)}" if first else f"WHERE seq BETWEEN {int(lo)} AND {int(hi)}"
        one_by_one = _rows(connection, dialect, where, vouched=_VOUCHED)
        try:
            return chain.walk(one_by_one, rebuild=_rebuilder(connection), complete=complete, **options)
        finally:
            one_by_one.close()
    slow = _slow_rows(connection, dialect)
    grouped = bulk.records(connection, dialect, _group_body(dialect), lo, hi, slow)
    rows = itertools.chain(slow(-(2**62), lo - 1), grouped) if first else grouped
    return chain.walk(rows, rebuild=_rebuilder(connection), complete=complete, **options)


def _group_body(dialect: str) -> str:
    return _SQLITE_BODY if dialect == "sqlite" else bulk.pg_plain_body(_PG_AT)


def _slow_rows(connection: Any, dialect: str) -> bulk.Slow:
    def slow(lo: int, hi: int) -> Iterator[chain.Row]:
        rows = _rows(connection, dialect, f"WHERE seq BETWEEN {int(lo)} AND {int(hi)}", vouched=_VOUCHED)
        try:
            yield from rows
        finally:
            rows.close()

    return slow


def _marks(
    connection: Any, dialect: str, lo: int, hi: int, below: int, external: list[chain.Mark], whole: bool
) -> list[chain.Mark]:
    """The stored signed heads ``below``..``hi`` with the external marks, sorted: by runs where the
    database can prove them plain (see audit/heads.py), else all of them one by one."""
    if whole or not (_GROUPED and _RUNS) or _body_sql(dialect) is None:
        stored = _stored_marks(connection, f"WHERE seq BETWEEN {int(below)} AND {int(hi)}", whole)
    else:
        light = functools.partial(_stored_marks, connection, whole=False)
        seqs = [m[0] for m in external]
        stored = heads.marks(connection, dialect, lo, hi, below=below, external=seqs, light=light)
    return sorted([*stored, *external], key=_seq)


def _stored_marks(connection: Any, where: str, whole: bool) -> list[chain.Mark]:
    # Unless every signature is to be checked (``whole``), the time and signature of a signed head are
    # read only when it decides (see chain.walk): two columns fewer cost 40 % less on 666,667 heads.
    cursor = connection.cursor()
    cursor.execute(f"{_CHECKPOINTS if whole else _LIGHT_CHECKPOINTS} {where} ORDER BY seq, id")
    try:
        if whole:
            return [tuple(row) for row in cursor.fetchall()]  # type: ignore[misc]
        return [(s, h, p, k, "stored", i, None) for s, h, p, k, i in cursor.fetchall()]
    finally:
        cursor.close()


def _completer(connection: Any) -> Callable[[chain.Mark], chain.Mark]:
    def complete(m: chain.Mark) -> chain.Mark:
        cursor = connection.cursor()
        try:
            cursor.execute(f"{_SIGNED} {int(m[5])}")
            row = cursor.fetchone()
        finally:
            cursor.close()
        # A head deleted since it was listed keeps no signature: it vouches for nothing.
        return (*m[:5], row[0], row[1]) if row is not None else (*m[:5], None, "")

    return complete


def verify(
    session: Session,
    *,
    extra_checkpoints: Sequence[chain.Checkpoint] = (),
    workers: int = 1,
    min_parallel: int = 10_000,
    all_signatures: bool = False,
) -> chain.Verdict:
    """Check every link, every signed head, the key history and the witness; name the first problem.

    Signed heads must chain to each other and cover the last record; exported checkpoints and the
    witness kept beside the signing key must name records the chain still has, with their hashes.
    With ``workers`` > 1 (and a database other processes can open) the sequence range is cut into
    chunks verified in parallel processes; the verdict is the one a single pass gives.

    A live log grows while it is verified: the witness is read first, then the head, and only the
    records and signed heads up to that head are judged (each commit writes its records, its signed
    head and the head together, so all of them are there), on a connection of its own that takes no
    write lock (on SQLite the caller's transaction would hold it for the whole walk).
    """
    engine = session.get_bind().engine  # not session.connection(): that would begin (and lock) on SQLite
    url = engine.url
    rendered = url.render_as_string(hide_password=False)
    memory = ":memory:" in rendered or rendered.endswith("sqlite://")
    seen = witness.read(witness.database_identity(url))  # before the head: it never runs ahead of it
    raw = None if memory else engine.raw_connection()
    connection = session.connection().connection if raw is None else raw
    try:
        head = _head_of(connection)
        limit = head[0] if head is not None else _max_seq(connection)
        history = chain.key_history(_keys(connection), trusted_public_key=keys.public_key())
        external = [chain.mark(replace(c, source="exported")) for c in extra_checkpoints]
        if seen is not None:
            external.append(chain.mark(seen))
        if workers <= 1 or limit < min_parallel or memory:
            dialect = url.get_backend_name()
            w = _walk(
                connection,
                dialect,
                1,
                limit,
                first=True,
                checkpoints=_marks(connection, dialect, 1, limit, -(2**62), external, all_signatures),
                keys=history,
                all_signatures=all_signatures,
            )
            return _against_head(head, chain.judge([w], keys=history))
    finally:
        if raw is not None:
            raw.close()
    step = -(-limit // workers)
    ranges = [(lo, min(limit, lo + step - 1)) for lo in range(1, limit + 1, step)]
    jobs = []
    for i, (lo, hi) in enumerate(ranges):
        low, high = (-(2**62) if i == 0 else lo), (2**62 if i == len(ranges) - 1 else hi)
        mine = [m for m in external if low <= m[0] <= high]
        jobs.append((rendered, lo, hi, low, min(high, limit), mine, history, all_signatures))
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        walks = list(pool.map(_walk_chunk, jobs))
    return _against_head(head, chain.judge(walks, keys=history))


def _head_of(connection: Any) -> tuple[int, str] | None:
    rows = bulk.fetch(connection, "SELECT seq, hash FROM audit_head WHERE id = 1")
    return (int(rows[0][0]), str(rows[0][1])) if rows else None


def _max_seq(connection: Any) -> int:
    return int(bulk.fetch(connection, "SELECT coalesce(max(seq), 0) FROM audit_records")[0][0])


def _keys(connection: Any) -> list[chain.KeyEntry]:
    rows = bulk.fetch(
        connection, "SELECT public_key, valid_from, endorsement FROM audit_keys ORDER BY valid_from, id"
    )
    return [chain.KeyEntry(pub, _as_utc(at), endorsement) for pub, at, endorsement in rows]


def _against_head(head: tuple[int, str] | None, verdict: chain.Verdict) -> chain.Verdict:
    # The head row moves with every append: a chain that ends before it lost its tail.
    if not verdict.ok or (head is None and verdict.last_seq == 0):
        return verdict
    if head is not None and head == (verdict.last_seq, verdict.last_hash):
        return verdict
    said = "is gone" if head is None else f"says {head[0]}"
    return chain.Verdict(
        False,
        verdict.records,
        verdict.last_seq,
        verdict.last_hash,
        verdict.checkpoints,
        verdict.last_seq + 1 if head is None else min(verdict.last_seq + 1, head[0]),
        f"the log ends at record {verdict.last_seq} but its head {said} (records were cut)",
    )


def _walk_chunk(args: tuple[str, int, int, int, int, list[chain.Mark], chain.KeyHistory, bool]) -> chain.Walk:
    url, lo, hi, low, high, external, history, all_signatures = args
    engine = make_engine(url)
    # A bare driver connection: a reader needs no transaction of its own (on SQLite a Session would
    # take the write lock the parent's transaction holds).
    raw = engine.raw_connection()
    try:
        dialect = engine.dialect.name
        return _walk(
            raw,
            dialect,
            lo,
            hi,
            first=lo == 1,
            start_seq=lo,
            start_prev=chain.GENESIS if lo == 1 else None,
            checkpoints=_marks(raw, dialect, lo, high, low, external, all_signatures),
            keys=history,
            all_signatures=all_signatures,
        )
    finally:
        raw.close()
        engine.dispose()
