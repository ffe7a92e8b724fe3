"""`outrider serve` on uvicorn's C event loop and HTTP parser (uvloop, httptools) where they are installed,
and on its pure-Python ones where they are not: a platform without their wheels still serves."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from typer.testing import CliRunner
from uvicorn import supervisors

from outrider import cli, jobs, listeners, root_commands
from outrider.settings import get_settings

runner = CliRunner()


class _NoJobs:
    def __init__(self, interval: float) -> None:
        self.interval = interval

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass


@pytest.fixture
def configs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What uvicorn would have been started with, one process or several (nothing is started)."""
    import uvicorn

    calls: list[dict[str, Any]] = []

    class Supervisor:
        def __init__(self, config: Any, sockets: list[Any]) -> None:
            calls.append({"loop": config.loop, "http": config.http, "workers": config.workers})

        def run(self) -> None:
            pass

    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    monkeypatch.setattr(supervisors, "Multiprocess", Supervisor)
    monkeypatch.setattr(jobs, "JobRunner", _NoJobs)
    get_settings.cache_clear()
    return calls


def test_the_pinned_c_loop_and_parser_serve() -> None:
    assert root_commands.server_stack() == {"loop": "uvloop", "http": "httptools"}


def test_without_them_the_pure_python_ones_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # an import of it now fails, as where it is absent
    assert root_commands.server_stack() == {"loop": "asyncio", "http": "httptools"}
    monkeypatch.setitem(sys.modules, "httptools", None)
    assert root_commands.server_stack() == {"loop": "asyncio", "http": "h11"}


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_hands_them_to_uvicorn(configs: list[dict[str, Any]], workers: int, unused_port: int) -> None:
    result = runner.invoke(cli.app, ["serve", "--port", str(unused_port), "--workers", str(workers)])
    assert result.exit_code == 0, result.output
    (config,) = configs
    assert (config["loop"], config["http"]) == ("uvloop", "httptools")
    if workers > 1 and listeners.spreads_connections():
        assert config["workers"] == workers  # the supervisor of workers on sockets of their own


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
