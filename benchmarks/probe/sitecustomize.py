"""A benchmark-only probe of the server's processes under `load.py --probe DIR` (not on a deployment's path).

`load.py` puts this folder first on the server's PYTHONPATH with ``OUTRIDER_PROBE_DIR`` set, so every process
it starts (the supervisor, each worker) runs this at start-up. Each process counts its database connections
opened and checked out, its SQL statements and its thread-pool hand-offs, and when it exits writes them with
its CPU (user and system) and its context switches (voluntary: it waited; involuntary: it was preempted) to
``DIR/<pid>.json``, counted from the SIGUSR1 that `load.py` sends as its clients start. With
``OUTRIDER_PROBE_PROFILE=1`` it also runs `cProfile` in every thread (a profiler each) and writes their sum
to ``DIR/<pid>.prof`` (the profile slows the process: read its shares, not its times). Without
``OUTRIDER_PROBE_DIR`` this file does nothing.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import sys
import threading
from typing import Any

_DIR = os.environ.get("OUTRIDER_PROBE_DIR")


def _install(directory: str) -> None:
    import cProfile
    import json
    import resource

    counts = {"connects": 0, "checkouts": 0, "statements": 0, "to_thread": 0}
    counts.update({f"gc{g}": 0 for g in range(3)} | {f"gc{g}_s": 0.0 for g in range(3)})
    profilers: list[cProfile.Profile] = []
    lock = threading.Lock()

    def count(name: str) -> Any:
        def bump(*_args: Any, **_kwargs: Any) -> None:
            counts[name] += 1

        return bump

    def hook_sqlalchemy() -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine
        from sqlalchemy.pool import Pool

        event.listen(Pool, "connect", count("connects"))
        event.listen(Pool, "checkout", count("checkouts"))
        event.listen(Engine, "before_cursor_execute", count("statements"))

    def hook_threads() -> None:
        import anyio.to_thread

        run_sync = anyio.to_thread.run_sync

        async def counted(*args: Any, **kwargs: Any) -> Any:
            counts["to_thread"] += 1
            return await run_sync(*args, **kwargs)

        anyio.to_thread.run_sync = counted  # type: ignore[assignment]  # starlette and FastAPI call it so

    def profile_thread(*_args: Any) -> None:  # the first event of each thread: give it a profiler
        sys.setprofile(None)
        prof = cProfile.Profile()
        with lock:
            profilers.append(prof)
        prof.enable()

    def hook_gc() -> None:  # the collector's runs and their CPU, per generation
        import gc
        import time

        began = [0.0]

        def collected(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                began[0] = time.thread_time()
            else:
                g = info["generation"]
                counts[f"gc{g}"] += 1
                counts[f"gc{g}_s"] += time.thread_time() - began[0]

        gc.callbacks.append(collected)

    hook_sqlalchemy()
    hook_threads()
    hook_gc()
    turns = _hook_turns()
    if os.environ.get("OUTRIDER_PROBE_GC_THRESHOLD"):  # a trial: the collector's thresholds, "a,b,c"
        import gc

        gc.set_threshold(*map(int, os.environ["OUTRIDER_PROBE_GC_THRESHOLD"].split(",")))
    if os.environ.get("OUTRIDER_PROBE_PROFILE") == "1":
        threading.setprofile(profile_thread)
        profile_thread()

    def now() -> dict[str, float]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        status: dict[str, float] = {"utime": usage.ru_utime, "stime": usage.ru_stime}
        with open("/proc/self/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"):
                    status[key] = int(value)
        return status

    start = now()

    def reset(*_args: Any) -> None:  # SIGUSR1 from load.py as its clients start: count from there
        nonlocal start
        start = now()
        for name in counts:
            counts[name] = 0
        turns.clear()
        if os.environ.get("OUTRIDER_PROBE_GC_FREEZE") == "1":  # a trial: the start-up's objects frozen
            import gc

            gc.freeze()
        with lock:
            for prof in profilers:
                prof.clear()

    signal.signal(signal.SIGUSR1, reset)

    def dump() -> None:
        end = now()
        figures: dict[str, Any] = {**counts, **{k: v - start[k] for k, v in end.items()}}
        figures["turns"] = turns
        with open(os.path.join(directory, f"{os.getpid()}.json"), "w") as f:
            json.dump(figures, f)
        if profilers:
            import pstats

            with lock:
                for prof in profilers:
                    prof.disable()
                stats = pstats.Stats(profilers[0])
                for prof in profilers[1:]:
                    stats.add(prof)
            stats.dump_stats(os.path.join(directory, f"{os.getpid()}.prof"))

    atexit.register(dump)
    # uvicorn raises the SIGTERM it stopped on again once it has shut down, with the handler it found at
    # start: this one, so the process exits through `atexit` instead of dying at the signal
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))


def _hook_turns() -> dict[str, dict[str, float]]:
    """SQLite's write turn between processes, per request kind (the handler that took it; for the jobs, which
    job): how many turns, the wait for each, how long each was held (and the longest), and of that the
    thread's CPU, the statements' time (with their count) and the commit's. The turn's time less the CPU is
    waiting: the disk, the interpreter lock."""
    import time

    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.engine.default import DefaultDialect

    from outrider import db

    turns: dict[str, dict[str, float]] = {}
    local = threading.local()
    take, release, commit = db._ProcessTurn.take, db._ProcessTurn.release, DefaultDialect.do_commit

    def kind() -> str:
        frame, inner = sys._getframe(2), None
        while frame is not None:
            name = frame.f_code.co_filename
            if "outrider" in name and name.endswith(("api.py", "worker.py", "jobs.py")):
                found = f"{name.rsplit('outrider', 1)[1].lstrip('/')[:-3]}.{frame.f_code.co_name}"
                if frame.f_code.co_name in ("run_jobs_once", "<lambda>") and inner is not None:  # which job
                    found += f"/{inner.f_globals.get('__name__', '?')}.{inner.f_code.co_name}"
                return found
            frame, inner = frame.f_back, frame  # type: ignore[assignment]
        return "other"

    def timed_take(self: Any, deadline: float) -> bool:
        began = time.perf_counter()
        got = take(self, deadline)
        if got:
            local.held = {
                "kind": kind(),
                "wait": time.perf_counter() - began,
                "at": time.perf_counter(),
                "cpu": time.thread_time(),
                "stmts": 0,
                "stmt_s": 0.0,
                "commit_s": 0.0,
            }
        return got

    def timed_release(self: Any) -> None:
        held = getattr(local, "held", None)
        release(self)
        if held is None:
            return
        local.held = None
        row = turns.setdefault(
            held["kind"],
            dict.fromkeys(("n", "wait", "hold", "longest", "cpu", "stmts", "stmt_s", "commit_s"), 0.0),
        )
        hold = time.perf_counter() - held["at"]
        row["n"] += 1
        row["wait"] += held["wait"]
        row["hold"] += hold
        row["longest"] = max(row["longest"], hold)
        row["cpu"] += time.thread_time() - held["cpu"]
        for key in ("stmts", "stmt_s", "commit_s"):
            row[key] += held[key]

    def before(*_args: Any) -> None:
        local.stmt_at = time.perf_counter()

    def after(*_args: Any) -> None:
        held = getattr(local, "held", None)
        if held is not None:
            held["stmts"] += 1
            held["stmt_s"] += time.perf_counter() - local.stmt_at

    def timed_commit(self: Any, dbapi_connection: Any) -> None:
        began = time.perf_counter()
        commit(self, dbapi_connection)  # type: ignore[no-untyped-call]  # the dialect is untyped
        held = getattr(local, "held", None)
        if held is not None:
            held["commit_s"] += time.perf_counter() - began

    db._ProcessTurn.take = timed_take  # type: ignore[method-assign]
    db._ProcessTurn.release = timed_release  # type: ignore[method-assign]
    DefaultDialect.do_commit = timed_commit  # type: ignore[method-assign]
    event.listen(Engine, "before_cursor_execute", before)
    event.listen(Engine, "after_cursor_execute", after)
    return turns


if _DIR:
    with contextlib.suppress(ImportError):  # a process without the server's packages
        _install(_DIR)
