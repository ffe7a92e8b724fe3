"""Loopback load on the demo: 16 clients for 30 s reading the board and alerts, checking in, posting cordon
batches, on SQLite and on a PostgreSQL this script starts; errors, requests per second, p50/p99 per kind.

For each database: load the demo as `make run` does (`outrider db upgrade`, `outrider demo load`), add
live movements until there are 100 (through the ordinary services), agree the demo protocol
(`outrider demo protocol`), start `outrider serve` on 127.0.0.1, wait until every worker has started and
the server is idle, sign the demo users in and drive the clients (plain http.client keep-alive
connections: the clients share the cores with the server, and the report says how much CPU each side
used, and each server worker); then stop everything. The issue's aims: no error at all, the
movement board at p99 under 200 ms with 100 live movements, check-ins at 100 or more per second.

Two named peers run in the same run on the same data: the same server answering its health route (one
SELECT 1 through the whole HTTP stack: the framework's own ceiling on this machine), and bare durable
INSERT+COMMIT transactions on the same database (the disk's ceiling for the mix, which commits once per
check-in, board read and cordon batch). Usage:
    python benchmarks/load.py [--quick] [--clients 16] [--seconds 30] [--databases sqlite,postgresql]
                              [--workers N]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

LIVE = 100
BOARD_P99_AIM_MS = 200.0
CHECKINS_PER_S_AIM = 100.0
PEER_SECONDS = 5.0
RUN = f"{os.getpid()}-{int(time.time())}"  # in the idempotency keys: a run on a kept database sends new ones
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


class Http:
    """One keep-alive connection (http.client: a tenth of httpx's client-side CPU, which shares the cores)."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> str | None:
        """Send one request; None when it answered 2xx, else what went wrong."""
        data = None if body is None else json.dumps(body).encode()
        try:
            self.conn.request(method, path, body=data, headers={**self.headers, **(headers or {})})
            resp = self.conn.getresponse()
            text = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            return f"{type(exc).__name__}: {exc}"
        return None if resp.status < 300 else f"{resp.status} {text[:200].decode(errors='replace')}"


def client_loop(
    n: int, port: int, token: str, movements: list[int], until: float, rec: Recorder, cycle: tuple[str, ...]
) -> None:
    """One client: the cycle of requests until the deadline (each request bounded by a timeout)."""
    rng = random.Random(n)
    conn = Http(port, token)
    requests: dict[str, Callable[[int], str | None]] = {
        "board": lambda _i: conn.call("GET", "/api/v1/movements?limit=100"),
        "alerts": lambda _i: conn.call("GET", "/api/v1/alerts?limit=50"),
        "checkin": lambda i: conn.call(
            "POST",
            f"/api/v1/movements/{rng.choice(movements)}/checkins",
            {"idempotency_key": f"load-{RUN}-{n}-{i}", "status": "ok"},
        ),
        "cordon": lambda i: conn.call(
            "POST",
            "/api/v1/cordon/events",
            {"events": _sightings(rng, n, i)},
            {"Idempotency-Key": f"load-{RUN}-{n}-{i}"},
        ),
        "health": lambda _i: conn.call("GET", "/api/v1/health"),
    }
    i = 0
    while time.monotonic() < until:
        kind = cycle[i % len(cycle)]
        t0 = time.perf_counter()
        error = requests[kind](i)
        rec.add(kind, time.perf_counter() - t0, error)
        i += 1
    conn.conn.close()


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


def _cpu_seconds(pid: int) -> dict[int, float]:
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


def _postmaster(url: str) -> int | None:
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


def _settle(pid: int, workers: int, limit: float = 600.0) -> None:
    """Wait until every worker has started and the server is idle (its imports done): clients that connect
    while one worker is still starting all land on the others, and keep-alive keeps them there."""
    deadline = time.monotonic() + limit
    before = _cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = _cpu_seconds(pid)
        started = len(now) - 1 >= workers if workers > 1 else True
        if started and sum(now.values()) - sum(before.values()) < 0.05:
            return
        before = now
    raise RuntimeError("the server's workers did not settle")


def drive(
    port: int,
    token: str,
    movements: list[int],
    clients: int,
    seconds: float,
    cycle: tuple[str, ...],
    server: int,
    database: int | None = None,
) -> dict[str, Any]:
    """Run the clients for ``seconds``; the records and the CPU the clients, the server and the database's
    server (``database``: PostgreSQL's pid, its backends counted with it) used."""
    rec = Recorder()
    own0, srv0 = os.times(), _cpu_seconds(server)
    db0 = _cpu_seconds(database) if database else {}
    started = time.monotonic()
    until = started + seconds
    threads = [
        threading.Thread(target=client_loop, args=(n, port, token, movements, until, rec, cycle))
        for n in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    elapsed = time.monotonic() - started
    own1 = os.times()
    srv1 = _cpu_seconds(server)
    db1 = _cpu_seconds(database) if database else {}
    # each process's share of a core over the run (the supervising one first, then its workers)
    processes = [(srv1[p] - srv0.get(p, 0.0)) / elapsed for p in sorted(srv1, key=lambda p: (p != server, p))]
    cpu = {
        "clients": (own1.user - own0.user + own1.system - own0.system) / elapsed,
        "server": sum(processes),
        "processes": processes,
        "database": sum(t - db0.get(p, 0.0) for p, t in db1.items()) / elapsed if database else None,
    }
    return {"rec": rec, "elapsed": elapsed, "cpu": cpu}


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


def run_one(
    name: str,
    env: dict[str, str],
    url: str,
    clients: int,
    seconds: float,
    workers: int,
    ready: tuple[dict[str, str], list[int]] | None = None,
    server_env: dict[str, str] | None = None,
    cycle: tuple[str, ...] = CYCLE,
    probe: Path | None = None,
) -> dict[str, Any]:
    """Serve the demo at ``url`` (loading it unless ``ready``), drive the clients; returns the figures.
    ``server_env``: more of the server's environment (an A/B run's build, `load_ab.py`); ``cycle``: the
    clients' requests (the mix, or one kind alone to measure its server CPU per request over HTTP);
    ``probe``: a folder for the server's processes' own counts (`probe/sitecustomize.py`; no peer then)."""
    logins, movements = ready or prepare(env, url)
    env = {**env, "OUTRIDER_DATABASE_URL": url, **(server_env or {})}
    if probe is not None:
        probe.mkdir(parents=True, exist_ok=True)
        path = [str(Path(__file__).resolve().parent / "probe"), env.get("PYTHONPATH", "")]
        env = {**env, "OUTRIDER_PROBE_DIR": str(probe), "PYTHONPATH": os.pathsep.join(filter(None, path))}
    port = _free_port()
    log_path = Path(env["OUTRIDER_DATA_DIR"]) / "server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "outrider",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env={**env, "OUTRIDER_LOG_LEVEL": "WARNING"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(3000):  # workers each import the application: minutes on a busy machine
            try:
                if Http(port, "").call("GET", "/api/v1/health") is None:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        _settle(server.pid, workers)
        signed = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/auth/token",
            data={"username": "duty", "password": logins["duty"]},
            timeout=30,
        )
        signed.raise_for_status()
        token = signed.json()["access_token"]
        load = os.getloadavg()[0]
        if probe is not None:  # the probes count from here (`probe/sitecustomize.py`)
            for pid in _cpu_seconds(server.pid):
                if pid != server.pid:  # the supervisor would pass it on (uvicorn's own use of the signal)
                    os.kill(pid, signal.SIGUSR1)
        mix = drive(port, token, movements, clients, seconds, cycle, server.pid, _postmaster(url))
        # the named peers, in the same run: the same server and clients on its health route (one SELECT 1
        # through the whole stack), and the database's own durable commit rate
        peer = (
            None if probe else drive(port, token, movements, clients, PEER_SECONDS, ("health",), server.pid)
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
        log.close()
    commits = durable_commits(url, PEER_SECONDS, clients)
    # the server's own account of its errors: the exception lines of its tracebacks
    found = (EXCEPTION_LINE.match(line) for line in log_path.read_text(errors="replace").splitlines())
    causes = sorted({m.group(0)[:300] for m in found if m})
    return {
        "database": name,
        "live": len(movements),
        "workers": workers,
        "load": load,
        **mix,
        "peer": peer,
        "commits": commits,
        "causes": causes,
        "probe": _probed(probe, server.pid) if probe else None,
    }


def _probed(folder: Path, supervisor: int) -> list[dict[str, Any]]:
    """What each worker's probe counted; of the supervisor's file (its embedded jobs) only its write turns."""
    found = {f.stem: json.loads(f.read_text()) for f in sorted(folder.glob("*.json"))}
    jobs = found.pop(str(supervisor), {})
    return [*found.values(), {"turns": jobs.get("turns", {})}]


def cpu_ms_per_request(figures: dict[str, Any]) -> float:
    """The server's CPU time (all its processes) per request answered in a run: what the load shares least."""
    total = sum(len(v) for v in figures["rec"].latencies.values())
    return float(figures["cpu"]["server"] * figures["elapsed"] * 1000 / max(1, total))


def report(figures: dict[str, Any]) -> None:
    """Print errors, requests per second and p50/p99 per kind, each aim with its ratio, and the peers."""
    rec: Recorder = figures["rec"]
    elapsed = figures["elapsed"]
    total = sum(len(v) for v in rec.latencies.values())
    errors = sum(len(v) for v in rec.errors.values())
    print(
        f"\n{figures['database']}: {figures['live']} live movements, {figures['workers']} server worker(s), "
        f"{total:,} requests in {elapsed:.1f} s = {total / elapsed:,.0f} req/s, errors {errors}"
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
    cpu = figures["cpu"]
    parent, *workers = cpu["processes"]
    print(
        f"  CPU: server {cpu['server']:.2f} cores (supervisor {parent:.2f}, workers "
        f"{' + '.join(f'{w:.2f}' for w in workers) or 'none'}), these clients {cpu['clients']:.2f} cores, "
        + ("" if cpu.get("database") is None else f"PostgreSQL's server {cpu['database']:.2f} cores, ")
        + "of "
        f"{os.cpu_count()} (load average {figures['load']:.1f} when the run began: other work shares them); "
        f"{cpu_ms_per_request(figures):.1f} ms of server CPU per request"
    )
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
    if figures.get("probe"):
        report_probe(figures["probe"], total)
    peer = figures["peer"]
    if peer is None:
        return
    health = peer["rec"].latencies.get("health", [])
    peer_rate = len(health) / peer["elapsed"]
    print(
        f"  peer: the same server's health route (one SELECT 1): {peer_rate:,.0f} req/s, p99 "
        f"{_pct(health, 0.99):.1f} ms, {cpu_ms_per_request(peer):.2f} ms of server CPU each, errors "
        f"{sum(len(v) for v in peer['rec'].errors.values())}; the mix ran at "
        f"{total / elapsed / peer_rate:.2f}x that rate"
    )
    # Each cycle commits once per check-in, board read (its itinerary reads are recorded) and cordon batch.
    writes = sum(1 for k in CYCLE if k in ("checkin", "board", "cordon"))
    per_cycle = CYCLE.count("checkin")
    ceiling = figures["commits"] * per_cycle / writes
    print(
        f"  peer: bare durable INSERT+COMMIT on the same database from as many threads: "
        f"{figures['commits']:,.0f} commits/s; the mix commits {writes} times per {per_cycle} check-ins, "
        f"so the database alone caps check-ins at {ceiling:,.0f}/s "
        f"(measured/ceiling {checkins / ceiling:.2f}x)"
    )


def report_probe(workers: list[dict[str, Any]], total: int) -> None:
    """The probe's counts summed over the workers, per request answered."""
    report_turns(workers)
    keys = ("utime", "stime", "voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")
    keys += ("connects", "checkouts", "statements", "to_thread")
    sums = {k: sum(w.get(k, 0.0) for w in workers) for k in keys}
    n = max(1, total)
    print(
        f"  probe (the workers, from the clients' start): CPU user {sums['utime'] * 1000 / n:.2f} + "
        f"system {sums['stime'] * 1000 / n:.2f} ms per request; per request: context switches "
        f"{sums['voluntary_ctxt_switches'] / n:.1f} voluntary, {sums['nonvoluntary_ctxt_switches'] / n:.1f} "
        f"preempted; database connections opened {sums['connects'] / n:.3f}, checked out "
        f"{sums['checkouts'] / n:.2f}; statements {sums['statements'] / n:.1f}; thread-pool hand-offs "
        f"{sums['to_thread'] / n:.2f}"
    )
    print(
        "  probe: the garbage collector per request: "
        + ", ".join(
            f"generation {g} {sum(w.get(f'gc{g}', 0) for w in workers) / n:.3f} runs, "
            f"{sum(w.get(f'gc{g}_s', 0.0) for w in workers) * 1000 / n:.2f} ms"
            for g in range(3)
        )
    )


def report_turns(workers: list[dict[str, Any]]) -> None:
    """SQLite's write turn per request kind, summed over the workers (`probe/sitecustomize.py`)."""
    kinds: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for worker in workers:
        for kind, row in worker.get("turns", {}).items():
            for key, value in row.items():
                if key == "longest":
                    kinds[kind][key] = max(kinds[kind][key], value)
                else:
                    kinds[kind][key] += value
    held = sum(row["hold"] for row in kinds.values())
    if kinds:
        print(
            f"  turn: held {held:.2f} s in all by the server's processes "
            "(against the run's seconds: the turn's busy share)"
        )
    for kind, row in sorted(kinds.items(), key=lambda item: -item[1]["hold"]):
        n = max(1.0, row["n"])
        print(
            f"  turn {kind}: {row['n']:,.0f} turns ({row['hold'] / max(held, 1e-9):.0%} of the time held), "
            f"each: waited {row['wait'] * 1000 / n:.2f} ms, held {row['hold'] * 1000 / n:.2f} ms "
            f"(the longest {row['longest'] * 1000:.1f} ms), of it CPU "
            f"{row['cpu'] * 1000 / n:.2f}, {row['stmts'] / n:.1f} statements "
            f"{row['stmt_s'] * 1000 / n:.2f} ms, "
            f"commit {row['commit_s'] * 1000 / n:.2f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="5 s per database instead of 30")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="server processes (outrider serve --workers); default 2, one per core (on SQLite their writers "
        "take turns through the database's turn file)",
    )
    parser.add_argument(
        "--only",
        choices=sorted(set(CYCLE)),
        help="one kind of request alone instead of the mix: its server CPU per request over HTTP (the "
        "issue's figures are the mix's)",
    )
    parser.add_argument(
        "--probe",
        type=Path,
        help="a folder for each server process's counts (CPU, context switches, connections, hand-offs; "
        "OUTRIDER_PROBE_PROFILE=1 adds a cProfile of every thread): benchmarks/probe; no peers then",
    )
    args = parser.parse_args()
    seconds = args.seconds or (5.0 if args.quick else 30.0)
    cycle = (args.only,) if args.only else CYCLE
    print(f"loopback load: {args.clients} clients, {seconds:.0f} s per database, cycle {'/'.join(cycle)}")
    global PEER_SECONDS
    PEER_SECONDS = min(PEER_SECONDS, seconds)
    for name in args.databases.split(","):
        probe = args.probe / name if args.probe else None
        with tempfile.TemporaryDirectory(prefix="outrider-load-") as tmp:
            env = {
                **os.environ,
                "OUTRIDER_ENV": "development",
                "OUTRIDER_DATA_DIR": str(Path(tmp) / "var"),
            }
            env.pop("OUTRIDER_DATABASE_URL", None)
            if name == "sqlite":
                (Path(tmp) / "var").mkdir()
                url = f"sqlite:///{Path(tmp) / 'var' / 'outrider.db'}"
                report(
                    run_one(
                        name, env, url, args.clients, seconds, args.workers or 2, cycle=cycle, probe=probe
                    )
                )
            elif name == "postgresql":
                with postgres() as url:
                    report(
                        run_one(
                            name, env, url, args.clients, seconds, args.workers or 2, cycle=cycle, probe=probe
                        )
                    )
            else:
                raise SystemExit(f"unknown database {name!r}: use sqlite or postgresql")


if __name__ == "__main__":
    main()
