"""CPU per request of the control room's reads and cordon batches, in-process, on the load's demo database.

`benchmarks/load.py` measures the mix over HTTP with 16 clients on a shared machine, where waits and other
work blur what one request costs. This script prepares the same database (the demo with 100 live movements,
`load_setup.prepare`) or reuses one kept with ``--keep DIR``, then drives the application in-process with one
client as the load's duty officer and reports the CPU (process time, every thread) per request: the movement
board of 100 lines, the alerts list of 50, and cordon batches of 10 random plates at the demo airport (the
load's sightings), the latter after ``--batches`` batches so that the detectors' state has grown. ``--profile
KIND`` prints the cProfile of that kind's requests. Usage:
    python benchmarks/control_room.py [--keep DIR] [--reads 30] [--batches 300] [--profile board]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # the load's sightings
import load_setup  # the load's demo and its live movements


def _cpu_ms(call: Callable[[], Any], n: int) -> list[float]:
    """CPU (ms, the whole process) of each of ``n`` calls."""
    out: list[float] = []
    for _ in range(n):
        t0 = time.process_time()
        call()
        out.append((time.process_time() - t0) * 1000)
    return out


class Threads:
    """cProfile in every thread started while on (the application serves in its own threads)."""

    def __init__(self) -> None:
        self.profiles: list[cProfile.Profile] = []
        self.on = False

    def start(self) -> None:
        def hook(*_: Any) -> None:
            sys.setprofile(None)
            if self.on:
                profile = cProfile.Profile()
                self.profiles.append(profile)
                profile.enable()

        self.on = True
        threading.setprofile(hook)

    def stop(self) -> str:
        self.on = False
        threading.setprofile(None)  # type: ignore[arg-type]
        out = io.StringIO()
        for profile in self.profiles:
            profile.disable()  # (in its own thread it stops at the next call; the stats are what they are)
        stats = pstats.Stats(*self.profiles, stream=out) if self.profiles else None
        if stats is not None:
            stats.sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
                int(os.environ.get("LINES", "60"))
            )
        return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keep", help="a directory to prepare the database in once and reuse")
    parser.add_argument("--reads", type=int, default=30, help="board and alerts reads measured")
    parser.add_argument("--batches", type=int, default=300, help="cordon batches before those measured")
    parser.add_argument("--profile", choices=("board", "alerts", "cordon"), default=None)
    args = parser.parse_args()
    _, logins, _ = load_setup.kept_database(args.keep, "outrider-control-room-")
    from fastapi.testclient import TestClient

    from outrider.app import create_app
    from outrider.settings import get_settings

    get_settings.cache_clear()
    rng = random.Random(7)
    app = create_app()
    threads = Threads()
    figures: dict[str, list[float]] = {}
    for phase in ("grow", "measure"):
        if phase == "measure" and args.profile:
            threads.start()  # a new client: its event loop and worker threads start now, profiled
        with TestClient(app) as client:
            _drive(client, logins, rng, args, phase, figures)
    load_avg = os.getloadavg()[0]
    profiled = threads.stop() if args.profile else ""
    print(f"in-process, one client, load average {load_avg:.2f} (2 cores shared with other work)")
    for kind, values in figures.items():
        after = f" after {args.batches} batches of 10 random plates" if kind == "cordon" else ""
        print(
            f"  {kind:7s} CPU per request: median {statistics.median(values):6.1f} ms, "
            f"mean {statistics.fmean(values):6.1f} ms over {len(values)}{after}"
        )
    print(profiled)


def _drive(
    client: Any, logins: dict[str, str], rng: random.Random, args: Any, phase: str, figures: Any
) -> None:
    """As the load's duty officer: ``grow`` warms and posts the batches, ``measure`` times each kind."""
    token = client.post("/api/v1/auth/token", data={"username": "duty", "password": logins["duty"]})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}

    def get(path: str) -> Callable[[], Any]:
        def call() -> None:
            answer = client.get(path, headers=headers)
            assert answer.status_code == 200, answer.text

        return call

    def batch() -> None:
        n = rng.randrange(16)
        events = load.sightings(rng, n, 0)
        key = {"Idempotency-Key": f"control-room-{os.getpid()}-{time.time_ns()}"}
        answer = client.post("/api/v1/cordon/events", json={"events": events}, headers={**headers, **key})
        assert answer.status_code < 300, answer.text

    kinds = {
        "health": get("/api/v1/health"),
        "board": get("/api/v1/movements?limit=100"),
        "alerts": get("/api/v1/alerts?limit=50"),
        "cordon": batch,
    }
    if phase == "grow":
        for call in kinds.values():
            call()  # warm: imports, statement caches
        _cpu_ms(batch, args.batches)
        return
    for kind, call in kinds.items():
        if args.profile in (None, kind) or kind == "health":
            figures[kind] = _cpu_ms(call, args.reads)


if __name__ == "__main__":
    main()
