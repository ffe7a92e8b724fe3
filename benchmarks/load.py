"""Loopback load on the demo: 16 clients for 30 s reading the board and alerts, checking in, posting cordon
batches, on SQLite and on a PostgreSQL this script starts; errors, requests per second, p50/p99 per kind.

For each database: load the demo as `make run` does (`outrider db upgrade`, `outrider demo load`), add
live movements until there are 100 (through the ordinary services), agree the demo protocol
(`outrider demo protocol`), start `outrider serve` on 127.0.0.1, sign the demo users in and drive the
clients; then stop everything. The issue's aims: no error at all, the movement board at p99 under 200 ms
with 100 live movements, check-ins at 100 or more per second. Usage:
    python benchmarks/load.py [--quick] [--clients 16] [--seconds 30] [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

LIVE = 100
BOARD_P99_AIM_MS = 200.0
CHECKINS_PER_S_AIM = 100.0
# Each client repeats this cycle: a control room mostly checks in and watches the board and alerts.
CYCLE = ("checkin", "board", "checkin", "alerts", "checkin", "cordon", "checkin", "board")
EXCEPTION_LINE = re.compile(r"^[\w.]+(Error|Exception|Detected|Violation)\b.*")
AIRPORT = (24.9065, 67.1608)  # the demo's Jinnah International Airport: cordon sightings land there


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres() -> Iterator[str]:
    """The test suite's throw-away PostgreSQL on 127.0.0.1 with durable settings; yields its URL."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    with warnings.catch_warnings():  # the tests' conftest imports the test client, which warns
        warnings.simplefilter("ignore")
        from conftest import _start_postgres

    # fsync on: the figures are those of a deployment, not of the test suite
    server = _start_postgres(durable=True)
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
    import outrider.app  # noqa: F401 - the composition root registers the gates and the governance
    from outrider import db
    from outrider.accounts import service as accounts_service
    from outrider.demo.movements import ISLAMABAD_BISHAM
    from outrider.http import caller_of
    from outrider.movements import planning, tracking
    from outrider.movements.models import Movement
    from outrider.movements.schemas import MovementCreate
    from outrider.registry.models import EscortUnit, ProtectedPerson, Site

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


class Recorder:
    """Latencies and failures per kind of request, from every client thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        """Record one request."""
        with self.lock:
            self.latencies[kind].append(seconds)
            if error is not None:
                self.errors[kind].append(error)


def client_loop(
    n: int, base: str, tokens: dict[str, str], movements: list[int], until: float, rec: Recorder
) -> None:
    """One client: the cycle of requests until the deadline (each request bounded by a timeout)."""
    rng = random.Random(n)
    duty = {"Authorization": f"Bearer {tokens['duty']}"}
    requests: dict[str, Callable[[httpx.Client, int], httpx.Response]] = {
        "board": lambda c, _i: c.get("/api/v1/movements", params={"limit": 100}, headers=duty),
        "alerts": lambda c, _i: c.get("/api/v1/alerts", params={"limit": 50}, headers=duty),
        "checkin": lambda c, i: c.post(
            f"/api/v1/movements/{rng.choice(movements)}/checkins",
            json={"idempotency_key": f"load-{n}-{i}", "status": "ok"},
            headers=duty,
        ),
        "cordon": lambda c, i: c.post(
            "/api/v1/cordon/events",
            json={"events": _sightings(rng, n, i)},
            headers={**duty, "Idempotency-Key": f"load-{n}-{i}"},
        ),
    }
    with httpx.Client(base_url=base, timeout=30) as client:
        i = 0
        while time.monotonic() < until:
            kind = CYCLE[i % len(CYCLE)]
            t0 = time.perf_counter()
            error = None
            try:
                resp = requests[kind](client, i)
                if resp.status_code >= 300:
                    error = f"{resp.status_code} {resp.text[:200]}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
            rec.add(kind, time.perf_counter() - t0, error)
            i += 1


def _sightings(rng: random.Random, n: int, i: int) -> list[dict[str, Any]]:
    at = datetime.now(UTC).isoformat()
    lat, lon = AIRPORT
    return [
        {
            "plate": f"LD{n:02d}{rng.randrange(1000):03d}",
            "at": at,
            "lat": lat + rng.uniform(-0.01, 0.01),
            "lon": lon + rng.uniform(-0.01, 0.01),
        }
        for _ in range(10)
    ]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def run_one(name: str, env: dict[str, str], url: str, clients: int, seconds: float) -> dict[str, Any]:
    """Load the demo into the database at ``url``, serve it, drive the clients; returns the figures."""
    env = {**env, "OUTRIDER_DATABASE_URL": url}
    os.environ.update(env)  # the movements added in this process sign their audit records as the server does
    from outrider.settings import get_settings

    get_settings.cache_clear()
    _cli(env, "db", "upgrade")
    logins = {u["username"]: u["password"] for u in json.loads(_cli(env, "demo", "load", "--json"))["users"]}
    movements = add_live_movements(url, LIVE)
    _cli(env, "demo", "protocol")
    port = _free_port()
    log_path = Path(env["OUTRIDER_DATA_DIR"]) / "server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "outrider", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**env, "OUTRIDER_LOG_LEVEL": "WARNING"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        tokens = {}
        for user in ("duty",):
            signed = httpx.post(
                f"{base}/api/v1/auth/token", data={"username": user, "password": logins[user]}, timeout=30
            )
            signed.raise_for_status()
            tokens[user] = signed.json()["access_token"]
        rec = Recorder()
        until = time.monotonic() + seconds
        started = time.monotonic()
        threads = [
            threading.Thread(target=client_loop, args=(n, base, tokens, movements, until, rec))
            for n in range(clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=seconds + 120)
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
        log.close()
    # the server's own account of its errors: the exception lines of its tracebacks
    found = (EXCEPTION_LINE.match(line) for line in log_path.read_text(errors="replace").splitlines())
    causes = sorted({m.group(0)[:300] for m in found if m})
    return {"database": name, "elapsed": elapsed, "live": len(movements), "rec": rec, "causes": causes}


def report(figures: dict[str, Any]) -> None:
    """Print errors, requests per second and p50/p99 per kind, and each aim with its ratio."""
    rec: Recorder = figures["rec"]
    elapsed = figures["elapsed"]
    total = sum(len(v) for v in rec.latencies.values())
    errors = sum(len(v) for v in rec.errors.values())
    print(
        f"\n{figures['database']}: {figures['live']} live movements, {total:,} requests in {elapsed:.1f} s "
        f"= {total / elapsed:,.0f} req/s, errors {errors}"
    )
    for kind in ("board", "checkin", "cordon", "alerts"):
        lat = rec.latencies.get(kind, [])
        if not lat:
            continue
        print(
            f"  {kind:8s} {len(lat):6,d} req {len(lat) / elapsed:7.1f}/s  p50 {_pct(lat, 0.5):7.1f} ms  "
            f"p99 {_pct(lat, 0.99):7.1f} ms  mean {statistics.fmean(lat) * 1000:7.1f} ms  "
            f"errors {len(rec.errors.get(kind, []))}"
        )
    for kind, messages in rec.errors.items():
        for message in sorted(set(messages))[:3]:
            print(f"  error ({kind}): {message}")
    for cause in figures.get("causes", [])[:5]:
        print(f"  server log: {cause}")
    board = rec.latencies.get("board", [])
    checkins = len(rec.latencies.get("checkin", [])) / elapsed
    if board:
        p99 = _pct(board, 0.99)
        print(
            f"  aim: board p99 < {BOARD_P99_AIM_MS:.0f} ms: measured {p99:.0f} ms "
            f"(aim/measured {BOARD_P99_AIM_MS / p99:.2f}x)"
        )
    print(
        f"  aim: check-ins >= {CHECKINS_PER_S_AIM:.0f}/s: measured {checkins:.1f}/s "
        f"(measured/aim {checkins / CHECKINS_PER_S_AIM:.2f}x)"
    )
    print(f"  aim: zero errors: measured {errors}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="5 s per database instead of 30")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    seconds = args.seconds or (5.0 if args.quick else 30.0)
    print(f"loopback load: {args.clients} clients, {seconds:.0f} s per database, cycle {'/'.join(CYCLE)}")
    for name in args.databases.split(","):
        with tempfile.TemporaryDirectory(prefix="outrider-load-") as tmp:
            env = {
                **os.environ,
                "OUTRIDER_ENV": "development",
                "OUTRIDER_DATA_DIR": str(Path(tmp) / "var"),
            }
            env.pop("OUTRIDER_DATABASE_URL", None)
            if name == "sqlite":
                (Path(tmp) / "var").mkdir()
                report(
                    run_one(
                        name, env, f"sqlite:///{Path(tmp) / 'var' / 'outrider.db'}", args.clients, seconds
                    )
                )
            elif name == "postgresql":
                with postgres() as url:
                    report(run_one(name, env, url, args.clients, seconds))
            else:
                raise SystemExit(f"unknown database {name!r}: use sqlite or postgresql")


if __name__ == "__main__":
    main()
