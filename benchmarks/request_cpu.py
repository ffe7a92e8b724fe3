"""CPU and statements per request of the load's mix, in-process and in one thread, with its profile.

`load.py` measures the mix over HTTP with 16 clients on a shared machine; this script measures what one
request costs the server alone. It prepares the load's database (the demo with 100 live movements,
`load_setup.prepare`; reused with ``--keep DIR``), then calls the ASGI application directly as the server
would (no socket, no HTTP parser), as the load's duty officer, with the thread pool's calls run inline so that
`cProfile` sees the whole request: middleware, the caller's lookup, the session, the handler, the commit, the
response. For each kind (the health route, a check-in, the board, the alert list, a cordon batch of ten
sightings) it reports the CPU (process time), the SQL statements and the pages written to SQLite's log (WAL)
per request: what a commit writes and syncs while it holds the write turn; ``--profile KIND`` prints that
kind's profile. Usage:
    python benchmarks/request_cpu.py [--keep DIR] [--n 200] [--profile checkin] [--sort tottime]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # the load's sightings
import load_setup  # the load's demo and its live movements


def _inline_threads() -> None:
    """Run what would go to the thread pool in the calling thread (cProfile follows one thread)."""
    import anyio.to_thread

    async def inline(func: Callable[..., Any], *args: Any, **_kwargs: Any) -> Any:
        return func(*args)

    anyio.to_thread.run_sync = inline  # type: ignore[assignment]


class Asgi:
    """Calls of the application as a server makes them: one scope, the body, the response collected."""

    def __init__(self, app: Any, token: str = "") -> None:
        self.app = app
        self.headers = [(b"authorization", f"Bearer {token}".encode())] if token else []

    async def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> int:
        data = b"" if body is None else json.dumps(body).encode()
        path, _, query = path.partition("?")
        extra = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        typed = [(b"content-type", b"application/json")] if body is not None else []
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1"), *self.headers, *typed, *extra],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        sent = False
        status = [0]

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": data, "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]

        await self.app(scope, receive, send)
        return status[0]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keep", help="a directory to prepare the database in once and reuse")
    parser.add_argument("--n", type=int, default=200, help="requests of each kind measured (boards: n / 5)")
    parser.add_argument("--profile", choices=("health", "checkin", "board", "alerts", "cordon"), default=None)
    parser.add_argument("--sort", default="cumulative", help="the profile's order (cumulative, tottime)")
    parser.add_argument("--lines", type=int, default=60)
    args = parser.parse_args()
    _, logins, movements = load_setup.kept_database(args.keep, "outrider-request-cpu-")
    asyncio.run(_measure(args, logins, movements))


async def _measure(args: argparse.Namespace, logins: dict[str, str], movements: list[int]) -> None:
    from sqlalchemy import event

    from outrider.app import create_app
    from outrider.db import get_engine
    from outrider.settings import get_settings

    get_settings.cache_clear()
    _inline_threads()
    app = create_app()
    if get_engine().dialect.name == "sqlite":  # the log's pages are counted per kind: no checkpoint between
        event.listen(get_engine(), "connect", lambda dbapi, _r: dbapi.execute("PRAGMA wal_autocheckpoint=0"))
        get_engine().dispose()
    statements = [0]
    event.listen(
        get_engine(), "before_cursor_execute", lambda *_a: statements.__setitem__(0, statements[0] + 1)
    )
    token = await _token(app, logins["duty"])
    client = Asgi(app, token)
    run = f"{os.getpid()}-{time.time_ns()}"
    count = [0]

    async def checkin() -> int:
        count[0] += 1
        movement = movements[count[0] % len(movements)]
        body = {"idempotency_key": f"cpu-{run}-{count[0]}", "status": "ok"}
        return await client.call("POST", f"/api/v1/movements/{movement}/checkins", body)

    rng = random.Random(1)

    async def cordon() -> int:  # a batch of ten sightings near the airport, as the load posts them
        count[0] += 1
        events = load.sightings(rng, 0, count[0])
        headers = {"Idempotency-Key": f"cpu-{run}-{count[0]}"}
        return await client.call("POST", "/api/v1/cordon/events", {"events": events}, headers)

    kinds: dict[str, tuple[Callable[[], Any], int]] = {
        "health": (lambda: client.call("GET", "/api/v1/health"), args.n),
        "checkin": (checkin, args.n),
        "board": (lambda: client.call("GET", "/api/v1/movements?limit=100"), max(5, args.n // 5)),
        "alerts": (lambda: client.call("GET", "/api/v1/alerts?limit=50"), max(5, args.n // 2)),
        "cordon": (cordon, max(5, args.n // 5)),
    }
    for call, _n in kinds.values():
        for _ in range(3):  # warm: imports, statement caches
            assert await call() < 300
    profile = cProfile.Profile() if args.profile else None
    print(f"in-process, one thread, load average {os.getloadavg()[0]:.2f} (2 cores shared with other work)")
    for kind, (call, n) in kinds.items():
        watched = profile if args.profile == kind else None
        _wal_frames(get_engine(), restart=True)
        cpu, before = [], statements[0]
        for _ in range(n):
            t0 = time.process_time()
            if watched is not None:
                watched.enable()
            status = await call()
            if watched is not None:
                watched.disable()
            cpu.append((time.process_time() - t0) * 1000)
            assert status < 300, (kind, status)
        frames = _wal_frames(get_engine(), restart=False)
        print(
            f"  {kind:8s} CPU per request: median {statistics.median(cpu):6.2f} ms, mean "
            f"{statistics.fmean(cpu):6.2f} ms over {n}; {(statements[0] - before) / n:.1f} statements, "
            f"{frames / n:.1f} log pages each"
        )
    if profile is not None:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.lines)
        print(out.getvalue())


def _wal_frames(engine: Any, *, restart: bool) -> int:
    """The pages in SQLite's log since it last restarted (``restart``: copy them back and start it again)."""
    if engine.dialect.name != "sqlite":
        return 0
    raw = engine.raw_connection()  # outside any transaction (a checkpoint cannot run in one)
    try:
        cursor = raw.cursor()
        cursor.execute(f"PRAGMA wal_checkpoint({'TRUNCATE' if restart else 'PASSIVE'})")
        busy, frames, _copied = cursor.fetchone()
    finally:
        raw.close()
    assert not busy, "another connection kept the log from restarting"
    return int(frames)


async def _token(app: Any, password: str) -> str:
    """Sign in as the duty officer through the application (form post), as the load does."""
    import httpx

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        answer = await client.post("/api/v1/auth/token", data={"username": "duty", "password": password})
        answer.raise_for_status()
        return str(answer.json()["access_token"])


if __name__ == "__main__":
    main()
