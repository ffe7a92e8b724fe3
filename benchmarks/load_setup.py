"""The load benchmark's setting up (`load.py`): the throw-away PostgreSQL, the demo loaded as `make run` does
with ``LIVE`` movements on the road, the server's and the database's processes and their CPU, and the named
peer for writes (bare durable commits on the same database)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

LIVE = 100


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres() -> Iterator[str]:
    """The test suite's throw-away PostgreSQL on 127.0.0.1 with durable settings; yields its URL."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from throwaway_postgres import start_postgres  # the tests' throw-away cluster

    # fsync on: the figures are those of a deployment, not of the test suite
    server = start_postgres(durable=True)
    try:
        yield server.url
    finally:
        server.stop()


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "outrider", *args], env=env, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError(f"outrider {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def add_live_movements(url: str, target: int) -> list[int]:
    """Plan, approve, escort and start movements (as the demo does) until ``target`` are on the road."""
    from outrider import db
    from outrider.accounts import service as accounts_service
    from outrider.compose import compose
    from outrider.demo.movements import ISLAMABAD_BISHAM
    from outrider.http import caller_of
    from outrider.movements import planning, tracking
    from outrider.movements.models import Movement
    from outrider.movements.schemas import MovementCreate
    from outrider.registry.models import EscortUnit, ProtectedPerson, Site

    compose()  # the protocol gate and the party authority, as every face attaches them
    engine = db.make_engine(url)
    db.set_engine(engine)
    live = ("under_way", "overdue")
    try:
        with db.transaction() as session:
            callers = {
                name: caller_of(accounts_service.find_user(session, username=name))
                for name in ("coordinator", "duty", "liaison")
            }
            office = session.scalar(select(Site.id).where(Site.name == "Islamabad Liaison Office"))
            camp = session.scalar(select(Site.id).where(Site.name == "Bisham Staff Camp"))
            unit = session.scalar(select(EscortUnit.id).where(EscortUnit.call_sign == "KESTREL-2"))
            people = list(
                session.scalars(
                    select(ProtectedPerson.id)
                    .where(ProtectedPerson.organization_id == callers["coordinator"].organization_id)
                    .order_by(ProtectedPerson.id)
                )
            )
            have = session.scalar(select(func.count()).select_from(Movement).where(Movement.status.in_(live)))
        now = datetime.now(UTC)
        for n in range(target - (have or 0)):
            dep = now - timedelta(minutes=10 + n % 40)
            with db.transaction() as session:
                data = MovementCreate.model_validate(
                    {
                        "purpose": f"load run {n}",
                        "origin": {"site_id": office},
                        "destination": {"site_id": camp},
                        "route": {"type": "LineString", "coordinates": ISLAMABAD_BISHAM},
                        "planned_departure": dep,
                        "planned_arrival": dep + timedelta(hours=8),
                        "person_ids": people[:8],  # the demo shuttle's group: both parties approve
                        "checkin_interval_min": 60,
                    }
                )
                c, d, p = callers["coordinator"], callers["duty"], callers["liaison"]
                mid = planning.plan_movement(session, caller=c, data=data, now=dep - timedelta(days=1)).id
                at = dep - timedelta(hours=12)
                planning.submit(session, caller=c, movement_id=mid, now=at)
                planning.decide(session, caller=d, movement_id=mid, decision="approve", comment="", now=at)
                planning.decide(session, caller=p, movement_id=mid, decision="approve", comment="", now=at)
                planning.assign_escort(session, caller=d, movement_id=mid, unit_ids=[unit], now=at)
                tracking.depart(session, caller=d, movement_id=mid, at=dep, now=dep)
        with db.transaction() as session:
            return list(session.scalars(select(Movement.id).where(Movement.status.in_(live))))
    finally:
        db.set_engine(None)
        engine.dispose()


def cpu_seconds(pid: int) -> dict[int, float]:
    """CPU time of a process and of each of its children (the server's workers), by pid, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    found: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            child = int(fields[1]) == pid  # fields[1]: the parent's pid
            # multiprocessing's resource tracker is a child too, but no worker
            if child and b"resource_tracker" in (stat.parent / "cmdline").read_bytes():
                continue
        except OSError:
            continue
        if int(stat.parent.name) == pid or child:
            found[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return found


def postmaster(url: str) -> int | None:
    """The pid of the PostgreSQL server listening on ``url``'s port on this machine (its backends are its
    children), or None (SQLite, or a server elsewhere)."""
    port = make_url(url).port
    if not url.startswith("postgresql") or port is None:
        return None
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            argv = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if argv[0].endswith(b"/postgres") and b"-p" in argv and str(port).encode() in argv:
            return int(cmdline.parent.name)
    return None


def settle(pid: int, workers: int, limit: float = 600.0) -> None:
    """Wait until every worker has started and the server is idle (its imports done): clients that connect
    while one worker is still starting all land on the others, and keep-alive keeps them there."""
    deadline = time.monotonic() + limit
    before = cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu_seconds(pid)
        started = len(now) - 1 >= workers if workers > 1 else True
        if started and sum(now.values()) - sum(before.values()) < 0.05:
            return
        before = now
    raise RuntimeError("the server's workers did not settle")


def durable_commits(url: str, seconds: float, clients: int) -> float:
    """The named peer for writes: bare one-row INSERT + COMMIT transactions on the same database with the
    same durability (SQLite WAL, the log synced before the commit returns; PostgreSQL fsync on) from
    ``clients`` threads; commits/s"""
    from sqlalchemy import text

    from outrider import db

    engine = db.make_engine(url, pool_size=clients, max_overflow=0)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS load_peer (n INTEGER)"))
    done = [0] * clients
    until = time.monotonic() + seconds

    def commit(n: int) -> None:
        while time.monotonic() < until:
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO load_peer (n) VALUES (:n)"), {"n": n})
            done[n] += 1

    threads = [threading.Thread(target=commit, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE load_peer"))
    engine.dispose()
    return sum(done) / elapsed


def prepare(env: dict[str, str], url: str) -> tuple[dict[str, str], list[int]]:
    """Load the demo as `make run` does, with ``LIVE`` movements on the road; the logins and those ids."""
    env = {**env, "OUTRIDER_DATABASE_URL": url}
    os.environ.update(env)  # the movements added in this process sign their audit records as the server does
    from outrider.settings import get_settings

    get_settings.cache_clear()
    _cli(env, "db", "upgrade")
    logins = {u["username"]: u["password"] for u in json.loads(_cli(env, "demo", "load", "--json"))["users"]}
    movements = add_live_movements(url, LIVE)
    _cli(env, "demo", "protocol")
    return logins, movements


def kept_database(keep: str | None, prefix: str) -> tuple[str, dict[str, str], list[int]]:
    """The load's demo database for in-process measures, prepared once when ``keep`` names a directory (a
    new temporary one otherwise), made this process's database: its URL, the logins, the live movements."""
    base = Path(keep) if keep else Path(tempfile.mkdtemp(prefix=prefix))
    var = base / "var"
    env = {**os.environ, "OUTRIDER_ENV": "development", "OUTRIDER_DATA_DIR": str(var)}
    env.pop("OUTRIDER_DATABASE_URL", None)
    url = f"sqlite:///{var / 'outrider.db'}"
    ready = base / "ready.json"
    if not ready.exists():
        var.mkdir(parents=True, exist_ok=True)
        logins, movements = prepare(env, url)
        ready.write_text(json.dumps({"logins": logins, "movements": movements}))
    os.environ.update({**env, "OUTRIDER_DATABASE_URL": url})
    kept = json.loads(ready.read_text())
    return url, kept["logins"], kept["movements"]
