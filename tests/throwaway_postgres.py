"""A throw-away PostgreSQL cluster on 127.0.0.1, for the test suite and the benchmarks alike.

A plain module (no pytest, no application import), so a benchmark can start the same cluster as the tests
without importing the suite's set-up: `sys.path` gains this folder, then `from throwaway_postgres import
start_postgres`.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def _pg_bin(name: str) -> str | None:
    for candidate in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True):
        return candidate
    return shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@dataclass
class PgServer:
    """A throw-away PostgreSQL cluster on 127.0.0.1."""

    url: str
    datadir: Path
    pg_ctl: str
    prefix: list[str]

    def stop(self) -> None:
        """Stop the cluster at once and remove its files."""
        subprocess.run(
            [*self.prefix, self.pg_ctl, "-D", str(self.datadir), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def start_postgres(*, durable: bool = False) -> PgServer:
    """A cluster for the tests (fsync off); ``durable`` keeps a deployment's settings (the load benchmark)."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found; `make test` installs them")
    root = Path(tempfile.mkdtemp(prefix="outrider-pg-"))
    datadir, sockdir = root / "data", root / "sock"
    sockdir.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root: run it as an unprivileged user
        user = "postgres" if _user_exists("postgres") else "nobody"
        shutil.chown(root, user)
        shutil.chown(sockdir, user)
        prefix = ["runuser", "-u", user, "--"]
    subprocess.run(
        [*prefix, initdb, "-D", str(datadir), "-U", "outrider", "--auth=trust", "-E", "UTF8", "--no-sync"],
        capture_output=True,
        check=True,
    )
    port = _free_port()
    opts = f"-p {port} -k {sockdir} -c listen_addresses=127.0.0.1"
    opts += " -c max_connections=100" if durable else " -c fsync=off -c full_page_writes=off"
    subprocess.run(
        [*prefix, pg_ctl, "-D", str(datadir), "-o", opts, "-l", str(root / "log"), "-w", "-t", "60", "start"],
        capture_output=True,
        check=True,
    )
    return PgServer(f"postgresql+psycopg://outrider@127.0.0.1:{port}/postgres", datadir, pg_ctl, prefix)
