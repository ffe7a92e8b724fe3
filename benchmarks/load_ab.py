"""Same-run A/B of two server builds under `load.py`'s mix: each on a fresh copy of one prepared database.

The machine is shared, so a figure alone says little; two builds run back to back on copies of the same
database, alternating (A B, then B A, ...), share whatever the machine was doing. "B" is this checkout;
"A" is either another checkout's source (``--before-src``, e.g. `git archive` of the commit before) or
this one without some modules (``--before-hide uvloop,httptools``: each is made to fail its import, so
the server falls back as it would where they are not installed). Each run prints its load average, the
rates, the board's p50/p99, the server's cores and its CPU per request (the figure the machine's other
work disturbs least), and the health route's rate and CPU per request. Usage:
    python benchmarks/load_ab.py (--before-src DIR | --before-hide MODULES) [--after-src DIR]
                                 [--databases sqlite] [--seconds 15] [--rounds 2] [--clients 16] [--workers 2]
                                 [--before-workers N]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # the benchmark beside this one
import load_report
import load_setup


def _hidden(modules: list[str], where: Path) -> dict[str, str]:
    """A PYTHONPATH entry whose modules of these names fail to import (the server's fallback then serves)."""
    where.mkdir(parents=True, exist_ok=True)
    for name in modules:
        (where / f"{name}.py").write_text(f"raise ImportError('{name} hidden for an A/B run')\n")
    return {"PYTHONPATH": os.pathsep.join([str(where), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}


def _copy(url: str, n: int) -> str:
    """A fresh copy of the prepared database: a SQLite file copied with the backup API, or a PostgreSQL
    database made from it as a template."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        assert parsed.database is not None
        target = f"{parsed.database}.copy{n}"
        with sqlite3.connect(parsed.database) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        return f"sqlite:///{target}"
    engine = create_engine(parsed.set(database="template1"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "copy{n}" TEMPLATE "{parsed.database}"'))
    engine.dispose()
    return parsed.set(database=f"copy{n}").render_as_string(hide_password=False)


def _line(label: str, f: dict[str, Any]) -> dict[str, float]:
    rec, elapsed = f["rec"], f["elapsed"]
    total = sum(len(v) for v in rec.latencies.values())
    board = rec.latencies.get("board", [0.0])
    peer = f["peer"] or {"rec": load.Recorder(), "elapsed": 1.0, "cpu": {"server": 0.0}}  # none when probed
    health = len(peer["rec"].latencies.get("health", [])) / peer["elapsed"]
    row = {
        "load": f["load"],
        "req/s": total / elapsed,
        "errors": float(sum(len(v) for v in rec.errors.values())),
        "checkins/s": len(rec.latencies.get("checkin", [])) / elapsed,
        "board p50": load_report.pct(board, 0.5),
        "board p99": load_report.pct(board, 0.99),
        "checkin p99": load_report.pct(rec.latencies.get("checkin", [0.0]), 0.99),
        "cores": f["cpu"]["server"],
        "busiest worker": max(f["cpu"]["processes"][1:] or [0.0]),
        "pg cores": f["cpu"].get("database") or 0.0,  # PostgreSQL's server and backends (0: SQLite)
        "cpu ms/req": load_report.cpu_ms_per_request(f),
        "health/s": health,
        "health cpu ms": load_report.cpu_ms_per_request(peer),
    }
    print(f"  {label}: " + ", ".join(f"{k} {v:,.1f}" for k, v in row.items()), flush=True)
    if f.get("probe"):
        load_report.report_probe(f["probe"], total)
    for kind, messages in rec.errors.items():
        for message in sorted(set(messages))[:2]:
            print(f"    error ({kind}): {message}")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    before = parser.add_mutually_exclusive_group(required=True)
    before.add_argument("--before-src", type=Path, help="the source folder (with outrider/) of build A")
    before.add_argument("--before-hide", help="modules build A runs without, comma-separated")
    parser.add_argument(
        "--after-src", type=Path, help="the source folder of build B (default: this checkout)"
    )
    parser.add_argument("--databases", default="sqlite")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--before-workers", type=int, default=None, help="build A's processes (default --workers)"
    )
    parser.add_argument(
        "--keep", type=Path, help="SQLite: prepare the database in this folder once, then reuse it"
    )
    parser.add_argument(
        "--probe", type=Path, help="a folder for the server processes' counts of each run (load.py --probe)"
    )
    args = parser.parse_args()
    load.PEER_SECONDS = min(load.PEER_SECONDS, args.seconds)
    for name in args.databases.split(","):
        kept = args.keep is not None and name == "sqlite"
        with (
            contextlib.nullcontext(str(args.keep.resolve()))
            if kept
            else tempfile.TemporaryDirectory(prefix="outrider-load-ab-")
        ) as tmp:
            env = {**os.environ, "OUTRIDER_ENV": "development", "OUTRIDER_DATA_DIR": str(Path(tmp) / "var")}
            env.pop("OUTRIDER_DATABASE_URL", None)
            (Path(tmp) / "var").mkdir(parents=True, exist_ok=True)
            if args.before_src is not None:
                a_env = {"PYTHONPATH": str(args.before_src.resolve())}
            else:
                a_env = _hidden(args.before_hide.split(","), Path(tmp) / "hidden")
            b_env = {} if args.after_src is None else {"PYTHONPATH": str(args.after_src.resolve())}
            if name == "sqlite":
                _compare(name, env, f"sqlite:///{Path(tmp) / 'var' / 'outrider.db'}", (a_env, b_env), args)
            else:
                with load_setup.postgres() as url:
                    _compare(name, env, url, (a_env, b_env), args)


def _compare(
    name: str,
    env: dict[str, str],
    url: str,
    builds: tuple[dict[str, str], dict[str, str]],
    args: argparse.Namespace,
) -> None:
    a_env, b_env = builds
    kept = Path(env["OUTRIDER_DATA_DIR"]).parent / "ready.json"
    if kept.exists() and name == "sqlite":  # prepared before (--keep): the copies are made from it
        logins, movements = json.loads(kept.read_text())
        ready = (logins, movements)
    else:
        print(f"{name}: preparing the demo with {load_setup.LIVE} live movements", flush=True)
        ready = load_setup.prepare(env, url)
        kept.write_text(json.dumps(ready))
    rows: dict[str, list[dict[str, float]]] = defaultdict(list)
    n = 0
    for r in range(args.rounds):
        order = [("A", a_env), ("B", b_env)] if r % 2 == 0 else [("B", b_env), ("A", a_env)]
        for label, server_env in order:
            n += 1
            copy = _copy(url, n)
            figures = load.run_one(
                name,
                env,
                copy,
                args.clients,
                args.seconds,
                (args.before_workers or args.workers) if label == "A" else args.workers,
                ready=ready,
                server_env=server_env,
                probe=args.probe / f"{name}-{n}-{label}" if args.probe else None,
            )
            rows[label].append(_line(f"round {r + 1} {label}", figures))
    for label in ("A", "B"):
        means = {k: statistics.fmean(row[k] for row in rows[label]) for k in rows[label][0]}
        print(f"  mean {label}: " + ", ".join(f"{k} {v:,.1f}" for k, v in means.items()))


if __name__ == "__main__":
    main()
