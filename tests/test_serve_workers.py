"""`outrider serve --workers N`: N server processes, and the embedded jobs still run once."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from typer.testing import CliRunner
from uvicorn import supervisors

from outrider import cli, jobs, listeners, root_commands
from outrider.settings import get_settings

runner = CliRunner()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# the workers' supervisor binds its address for real (it is not started): a port nothing else holds
PORT = _free_port()


class _Runner:
    started: ClassVar[list[float]] = []

    def __init__(self, interval: float) -> None:
        self.interval = interval

    def start(self) -> None:
        _Runner.started.append(self.interval)

    def stop(self) -> None:
        pass


def _supervisor(calls: list[dict[str, Any]]) -> type:
    class Supervisor:
        """uvicorn's supervisor, recording what it was given instead of starting workers."""

        def __init__(self, config: Any, sockets: list[socket.socket]) -> None:
            self.config, self.sockets = config, sockets

        def run(self) -> None:
            c = self.config
            bound = [s.getsockname() for s in self.sockets]
            calls.append(
                {
                    "app": c.app,
                    "factory": c.factory,
                    "workers": c.workers,
                    "sockets": self.sockets,
                    "bound": bound,
                }
            )

    return Supervisor


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """The arguments uvicorn would have been started with (it is not started), and no real job runner."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    monkeypatch.setattr(supervisors, "Multiprocess", _supervisor(calls))  # workers on sockets of their own
    monkeypatch.setattr(jobs, "JobRunner", _Runner)
    _Runner.started = []
    get_settings.cache_clear()
    yield calls
    get_settings.cache_clear()


def test_serve_runs_one_process_by_default(served: list[dict[str, Any]]) -> None:
    result = runner.invoke(cli.app, ["serve", "--port", str(PORT)])
    assert result.exit_code == 0, result.output
    assert served[0]["workers"] == 1 and served[0]["factory"] is True
    assert len(_Runner.started) == 1


def test_workers_option_starts_that_many_and_the_jobs_once(served: list[dict[str, Any]]) -> None:
    result = runner.invoke(cli.app, ["serve", "--port", str(PORT), "--workers", "3"])
    assert result.exit_code == 0, result.output
    # the workers import the application by name (uvicorn can only spawn it so) ...
    assert served[0]["workers"] == 3 and served[0]["app"] == "outrider.app:served_app"
    # ... and the jobs run in the supervising process, once, not in each worker
    assert len(_Runner.started) == 1
    assert "with 3 workers" in result.output
    if listeners.spreads_connections():  # each worker gets a socket of its own from the supervisor's
        (listener,) = served[0]["sockets"]
        assert isinstance(listener, listeners.WorkerListener) and served[0]["bound"] == [("127.0.0.1", PORT)]
        assert listener.fileno() == -1  # closed once the supervisor returns


def test_without_reuse_port_the_workers_share_uvicorns_socket(
    served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listeners, "spreads_connections", lambda: False)
    monkeypatch.setattr("outrider.root_commands.spreads_connections", lambda: False)
    assert runner.invoke(cli.app, ["serve", "--port", str(PORT), "--workers", "2"]).exit_code == 0
    assert served == [
        {
            "app": "outrider.app:served_app",
            "factory": True,
            "workers": 2,
            "host": "127.0.0.1",
            "port": PORT,
            "log_level": "info",
            **root_commands.server_stack(),  # uvloop and httptools where installed (test_serve_stack.py)
        }
    ]


def test_a_taken_port_is_one_line_and_exit_code_1(served: list[dict[str, Any]]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(cli.app, ["serve", "--port", str(port), "--workers", "2"])
    if listeners.spreads_connections():
        assert result.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in result.output
        assert served == [] and len(_Runner.started) == 1  # the jobs started, and were stopped again


def test_workers_setting(served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTRIDER_WORKERS", "2")
    get_settings.cache_clear()
    assert runner.invoke(cli.app, ["serve", "--port", str(PORT)]).exit_code == 0
    assert served[0]["workers"] == 2


def test_no_embedded_jobs_with_workers(served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTRIDER_JOBS_EMBEDDED", "false")
    get_settings.cache_clear()
    assert runner.invoke(cli.app, ["serve", "--port", str(PORT), "--workers", "2"]).exit_code == 0
    assert _Runner.started == []


def test_workers_out_of_range_is_refused(served: list[dict[str, Any]]) -> None:
    assert runner.invoke(cli.app, ["serve", "--workers", "0"]).exit_code == 2
    assert served == []
