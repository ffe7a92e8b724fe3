"""The root's own commands (`db`, `serve`, `worker`), apart so `outrider --help` need not load them."""

from __future__ import annotations

import importlib
import time
from typing import Annotated, Any

import typer

from outrider import __version__
from outrider.console import JsonOpt, emit, friendly, out
from outrider.db import get_engine
from outrider.listeners import spreads_connections, worker_listener
from outrider.settings import get_settings

APP = "outrider.app:served_app"  # the application factory, by name: each worker process imports it
app = typer.Typer(no_args_is_help=True)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)


@db_app.command("upgrade")
@friendly
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="target revision")] = "head", as_json: bool = JsonOpt
) -> None:
    """Create or migrate the database schema."""
    from outrider import migrate  # alembic: only for the db commands

    engine = get_engine()
    migrate.upgrade(engine, revision)
    now_at = migrate.current(engine)
    emit({"revision": now_at}, as_json, f"database at revision {now_at}")


@db_app.command("current")
@friendly
def db_current(as_json: bool = JsonOpt) -> None:
    """Show the database's revision and the newest the code knows."""
    from outrider import migrate

    engine = get_engine()
    at, head = migrate.current(engine), migrate.head(engine)
    state = {"revision": at, "head": head, "up_to_date": at == head}
    emit(state, as_json, f"database at {at or 'nothing (never migrated)'}; code head {head}")


@app.command("serve")
@friendly
def serve(
    host: Annotated[str | None, typer.Option(help="address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="port to listen on", min=1, max=65535)] = None,
    workers: Annotated[
        int | None, typer.Option(help="server processes (default OUTRIDER_WORKERS, 1)", min=1, max=64)
    ] = None,
) -> None:
    """Serve the API (and the web pages) with uvicorn."""
    import uvicorn  # the server is needed only by this command

    from outrider.jobs import JobRunner  # the jobs import every domain that runs one

    settings = get_settings()
    bind_host, bind_port = host or settings.host, port or settings.port
    processes = workers or settings.workers
    stack = server_stack()
    out.print(
        f"Outrider {__version__} serving on http://{bind_host}:{bind_port}  "
        "(dashboard: /, API: /api/v1, docs: /docs)" + (f" with {processes} workers" if processes > 1 else "")
    )
    # This process starts the workers and supervises them; it runs the embedded jobs itself, so they run
    # once however many workers serve.
    runner = JobRunner(settings.jobs_interval_seconds) if settings.jobs_embedded else None
    if runner is not None:
        runner.start()  # embedded mode: the overdue scan runs inside the server process
    try:
        if processes > 1 and spreads_connections():
            _serve_workers(bind_host, bind_port, processes, settings.log_level.lower(), stack)
        else:  # one process, or a system that cannot balance: the workers share uvicorn's one socket
            uvicorn.run(
                APP,
                factory=True,
                host=bind_host,
                port=bind_port,
                workers=processes,
                log_level=settings.log_level.lower(),
                **stack,
            )
    finally:
        if runner is not None:
            runner.stop()


def server_stack() -> dict[str, Any]:
    """uvicorn's C event loop (uvloop) and HTTP parser (httptools) where they are installed (the project pins
    them), its pure-Python ones (asyncio's loop, h11) otherwise: the same server, at a third less CPU a
    request for the stack's own part (docs/architecture.md, "Storage")."""
    return {
        "loop": "uvloop" if _importable("uvloop") else "asyncio",
        "http": "httptools" if _importable("httptools") else "h11",
    }


def _importable(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:  # not installed here (a platform without wheels): the fallback serves
        return False
    return True


def _serve_workers(host: str, port: int, processes: int, log_level: str, stack: dict[str, Any]) -> None:
    """uvicorn's supervisor of ``processes`` workers, each listening on a socket of its own (`listeners`)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    try:
        listener = worker_listener(host, port)
    except OSError as exc:
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    # the workers import the application by name, as uvicorn.run(..., workers=N) has them do
    config = uvicorn.Config(
        APP, factory=True, host=host, port=port, workers=processes, log_level=log_level, **stack
    )
    try:
        Multiprocess(config, sockets=[listener]).run()
    except KeyboardInterrupt:  # a second Ctrl-C while the workers stop
        pass
    finally:
        listener.close()


@app.command("worker")
@friendly
def worker(
    once: Annotated[bool, typer.Option("--once", help="run one tick and exit")] = False,
    interval: Annotated[float | None, typer.Option(help="seconds between ticks", min=1)] = None,
    as_json: bool = JsonOpt,
) -> None:
    """Run the periodic jobs (overdue scan) for deployments with separate API and worker processes."""
    from outrider.jobs import JobRunner

    runner = JobRunner(interval or get_settings().jobs_interval_seconds)
    if once:
        done = runner.run_once()
        emit(done, as_json, ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in done.items()))
        return
    out.print(f"worker running the overdue scan every {runner.interval:.0f} s (Ctrl-C to stop)")
    runner.start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        runner.stop()
