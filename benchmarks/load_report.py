"""The load benchmark's report (`load.py`): errors, rates and p50/p99 per kind of request, the issue's aims
each with its ratio, the named peers, and the probe's counts."""

from __future__ import annotations

import os
import statistics
from collections import defaultdict
from typing import Any

BOARD_P99_AIM_MS = 200.0
CHECKINS_PER_S_AIM = 100.0
# Each client repeats this cycle: a control room mostly checks in and watches the board and alerts.
CYCLE = ("checkin", "board", "checkin", "alerts", "checkin", "cordon", "checkin", "board")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def cpu_ms_per_request(figures: dict[str, Any]) -> float:
    """The server's CPU time (all its processes) per request answered in a run: what the load shares least."""
    total = sum(len(v) for v in figures["rec"].latencies.values())
    return float(figures["cpu"]["server"] * figures["elapsed"] * 1000 / max(1, total))


def report(figures: dict[str, Any]) -> None:
    """Print errors, requests per second and p50/p99 per kind, each aim with its ratio, and the peers."""
    rec = figures["rec"]
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
            f"  {kind:8s} {len(lat):6,d} req {len(lat) / elapsed:7.1f}/s  p50 {pct(lat, 0.5):7.1f} ms  "
            f"p99 {pct(lat, 0.99):7.1f} ms  mean {statistics.fmean(lat) * 1000:7.1f} ms  "
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
        p99 = pct(board, 0.99)
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
        f"{pct(health, 0.99):.1f} ms, {cpu_ms_per_request(peer):.2f} ms of server CPU each, errors "
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
