"""Same-run A/B of two builds' CPU per request in-process: the kinds of `request_cpu.py`, in small alternating
bursts.

`request_cpu.py` run once per build meets whatever the shared machine was doing then: two runs of the same
build differ by a fifth. Here one process per build (each on its own copy of one prepared database, each
serving the application in-process as `request_cpu.py` does) runs the same kinds in bursts of a few requests,
the builds alternating burst by burst (A B, then B A), so that both meet the same machine; each request's CPU
(process time) is kept and the medians compared, with the load's cycle (four check-ins, two boards, the
alert list, a cordon batch) weighed from them. "A" is another source folder (e.g. `git archive` of the
commit before), "B" this checkout or ``--after-src``. Usage:
    python benchmarks/request_cpu_ab.py --before-src DIR [--after-src DIR] [--keep DIR] [--rounds 10]
                                        [--burst 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CYCLE = {"checkin": 4, "board": 2, "alerts": 1, "cordon": 1}  # the load's cycle, per kind


def _serve(keep: str) -> None:
    """One build's side: prepare the application as `request_cpu.py` does, then answer bursts read from
    stdin ("KIND N") with the CPU of each request, as a JSON list on stdout."""
    sys.path.insert(0, str(HERE))
    import load
    import load_setup
    import request_cpu

    _, logins, movements = load_setup.kept_database(keep, "outrider-request-cpu-ab-")

    async def main() -> None:
        from outrider.app import create_app
        from outrider.settings import get_settings

        get_settings.cache_clear()
        request_cpu._inline_threads()
        app = create_app()
        client = request_cpu.Asgi(app, await request_cpu._token(app, logins["duty"]))
        run, count, rng = f"{os.getpid()}-{time.time_ns()}", [0], random.Random(1)

        async def checkin() -> int:
            count[0] += 1
            body = {"idempotency_key": f"ab-{run}-{count[0]}", "status": "ok"}
            movement = movements[count[0] % len(movements)]
            return await client.call("POST", f"/api/v1/movements/{movement}/checkins", body)

        async def cordon() -> int:
            count[0] += 1
            body = {"events": load.sightings(rng, 0, count[0])}
            return await client.call(
                "POST", "/api/v1/cordon/events", body, {"Idempotency-Key": f"ab-{run}-{count[0]}"}
            )

        kinds: dict[str, Any] = {
            "checkin": checkin,
            "board": lambda: client.call("GET", "/api/v1/movements?limit=100"),
            "alerts": lambda: client.call("GET", "/api/v1/alerts?limit=50"),
            "cordon": cordon,
        }
        for call in kinds.values():
            for _ in range(3):  # warm: imports, statement caches, the detectors' kernels
                assert await call() < 300
        print("ready", flush=True)
        for line in sys.stdin:
            kind, n = line.split()
            cpu = []
            for _ in range(int(n)):
                t0 = time.process_time()
                status = await kinds[kind]()
                cpu.append((time.process_time() - t0) * 1000)
                assert status < 300, (kind, status)
            print(json.dumps(cpu), flush=True)

    asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before-src", type=Path, help="the source folder of build A (required)")
    parser.add_argument(
        "--after-src", type=Path, help="the source folder of build B (default: this checkout)"
    )
    parser.add_argument("--keep", help="a directory to prepare the database in once and reuse")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--burst", type=int, default=5, help="requests a burst (check-ins 4x, alert lists 2x)"
    )
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve(args.serve)
        return
    if args.before_src is None:
        parser.error("--before-src is required")
    sys.path.insert(0, str(HERE))
    import load_setup

    load_setup.kept_database(args.keep, "outrider-request-cpu-ab-")  # prepared once: each build gets a copy
    base = Path(os.environ["OUTRIDER_DATA_DIR"]).parent
    after = args.after_src or HERE.parent / "src"
    sides = []
    for label, src in (("A", args.before_src), ("B", after)):
        copy = Path(tempfile.mkdtemp(prefix=f"outrider-request-cpu-ab-{label}-"))
        shutil.copytree(base, copy, dirs_exist_ok=True)
        env = {**os.environ, "PYTHONPATH": str(Path(src).resolve())}
        side = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(copy)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert side.stdin is not None and side.stdout is not None
        assert side.stdout.readline().strip() == "ready", f"build {label} did not start"
        sides.append((side, copy))
    cpu: dict[str, tuple[list[float], list[float]]] = {kind: ([], []) for kind in CYCLE}
    began = os.getloadavg()[0]
    try:
        for r in range(args.rounds):
            for kind in CYCLE:
                n = args.burst * {"checkin": 4, "alerts": 2}.get(kind, 1)
                for i in (0, 1) if r % 2 == 0 else (1, 0):
                    side = sides[i][0]
                    assert side.stdin is not None and side.stdout is not None
                    side.stdin.write(f"{kind} {n}\n")
                    side.stdin.flush()
                    cpu[kind][i].extend(json.loads(side.stdout.readline()))
    finally:
        for side, copy in sides:
            if side.stdin is not None:
                side.stdin.close()
            side.wait()
            shutil.rmtree(copy, ignore_errors=True)
    print(
        f"in-process, {args.rounds} alternating rounds, load average {began:.2f} -> {os.getloadavg()[0]:.2f}"
    )
    medians = {kind: (statistics.median(a), statistics.median(b)) for kind, (a, b) in cpu.items()}
    for kind, (a, b) in medians.items():
        print(
            f"  {kind:8s} CPU per request, median: A {a:6.2f} ms, B {b:6.2f} ms "
            f"({(b - a) / a:+.0%}, {len(cpu[kind][0])} each)"
        )
    cycle_a = sum(medians[k][0] * w for k, w in CYCLE.items())
    cycle_b = sum(medians[k][1] * w for k, w in CYCLE.items())
    n = sum(CYCLE.values())
    print(
        f"  the cycle: A {cycle_a:.1f} ms, B {cycle_b:.1f} ms ({(cycle_b - cycle_a) / cycle_a:+.0%}); "
        f"per request {cycle_a / n:.2f} -> {cycle_b / n:.2f} ms"
    )


if __name__ == "__main__":
    main()
