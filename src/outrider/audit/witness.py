"""The witness: the newest signed head, kept by the server in its data directory, outside the database.

Whoever can rewrite the database alone can empty the log, its signed heads and its key history, and
leave a database that looks new. The witness file beside the signing key remembers how far the log
went; verification finds a log that ends before it. One file per database, written after each commit
that signed a head, and only ever moved forward.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import os
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL

from outrider.audit import chain
from outrider.settings import get_settings

WITNESS_DIR = "audit-witness"
_PAGE = 1024


@functools.lru_cache(maxsize=32)  # asked at every commit that signs a head: the path resolved once
def database_identity(url: URL) -> str | None:
    """Which database a witness speaks for (not the role or password); None for in-memory SQLite."""
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:" or url.database.startswith("file::memory"):
            return None
        return f"sqlite:///{Path(url.database).resolve()}"
    return f"{url.get_backend_name()}://{url.host or ''}:{url.port or ''}/{url.database or ''}"


def _path(identity: str) -> Path:
    name = hashlib.sha256(identity.encode()).hexdigest()[:32]
    return get_settings().data_dir / WITNESS_DIR / f"{name}.json"


def _parse(text: str) -> chain.Checkpoint:
    data = json.loads(text)
    return chain.Checkpoint(
        seq=int(data["seq"]),
        hash=str(data["hash"]),
        at=datetime.fromisoformat(str(data["at"])),
        signature=str(data["signature"]),
        public_key=str(data["public_key"]),
        prev_seq=int(data["prev_seq"]),
        source="witness",
    )


# An unreadable witness must not pass for "no witness": it stands for a head no chain can have.
_UNREADABLE = chain.Checkpoint(
    2**62, "", datetime.fromisoformat("1970-01-01T00:00:00+00:00"), "", "", 0, "witness"
)


def read(identity: str | None) -> chain.Checkpoint | None:
    """The witness of a database, or None when there is none (a new database, or witness-less run)."""
    if identity is None:
        return None
    try:
        return _parse(_path(identity).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return _UNREADABLE


def write(identity: str | None, cp: chain.Checkpoint) -> None:
    """Move the database's witness forward to ``cp`` (never back: processes race, the highest wins).

    Overwritten in place under a lock, padded to one page, rather than renamed into place: a rename
    costs a directory update on every commit, a one-page write does not, and is not torn in practice.
    """
    if identity is None:
        return
    path = _path(identity)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "database": identity,
        "seq": cp.seq,
        "hash": cp.hash,
        "at": cp.at.isoformat(),
        "signature": cp.signature,
        "public_key": cp.public_key,
        "prev_seq": cp.prev_seq,
    }
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        old = os.pread(fd, 1 << 16, 0)
        if old.strip():
            try:
                if _parse(old.decode("utf-8")).seq >= cp.seq:
                    return
            except (ValueError, KeyError, TypeError):
                pass  # unreadable: overwrite it with a good one
        data = json.dumps(body).encode("utf-8")
        os.pwrite(fd, data.ljust(max(_PAGE, len(old))), 0)
    finally:
        os.close(fd)


def forget(identity: str | None) -> None:
    """Drop a database's witness (a database deliberately recreated, e.g. between tests)."""
    if identity is not None:
        with contextlib.suppress(FileNotFoundError):
            _path(identity).unlink()


def forget_all() -> None:
    """Drop every witness of this data directory."""
    folder = get_settings().data_dir / WITNESS_DIR
    if folder.is_dir():
        for path in folder.glob("*.json"):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
