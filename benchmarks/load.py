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
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from load_report import CYCLE, report
from load_setup import cpu_seconds, durable_commits, free_port, postgres, postmaster, prepare, settle

PEER_SECONDS = 5.0
RUN = f"{os.getpid()}-{int(time.time())}"  # in the idempotency keys: a run on a kept database sends new ones
EXCEPTION_LINE = re.compile(r"^[\w.]+(Error|Exception|Detected|Violation)\b.*")
AIRPORT = (24.9065, 67.1608)  # the demo's Jinnah International Airport: cordon sightings land there


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
            {"events": sightings(rng, n, i)},
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


def sightings(rng: random.Random, n: int, i: int) -> list[dict[str, Any]]:
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
    own0, srv0 = os.times(), cpu_seconds(server)
    db0 = cpu_seconds(database) if database else {}
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
    srv1 = cpu_seconds(server)
    db1 = cpu_seconds(database) if database else {}
    # each process's share of a core over the run (the supervising one first, then its workers)
    processes = [(srv1[p] - srv0.get(p, 0.0)) / elapsed for p in sorted(srv1, key=lambda p: (p != server, p))]
    cpu = {
        "clients": (own1.user - own0.user + own1.system - own0.system) / elapsed,
        "server": sum(processes),
        "processes": processes,
        "database": sum(t - db0.get(p, 0.0) for p, t in db1.items()) / elapsed if database else None,
    }
    return {"rec": rec, "elapsed": elapsed, "cpu": cpu}


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
    port = free_port()
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
        settle(server.pid, workers)
        signed = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/auth/token",
            data={"username": "duty", "password": logins["duty"]},
            timeout=30,
        )
        signed.raise_for_status()
        token = signed.json()["access_token"]
        load = os.getloadavg()[0]
        if probe is not None:  # the probes count from here (`probe/sitecustomize.py`)
            for pid in cpu_seconds(server.pid):
                if pid != server.pid:  # the supervisor would pass it on (uvicorn's own use of the signal)
                    os.kill(pid, signal.SIGUSR1)
        mix = drive(port, token, movements, clients, seconds, cycle, server.pid, postmaster(url))
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
