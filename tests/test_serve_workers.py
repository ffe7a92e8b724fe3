"""`outrider serve --workers N`: N server processes, and the embedded jobs still run once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from typer.testing import CliRunner

from outrider import cli, jobs
from outrider.settings import get_settings

runner = CliRunner()


class _Runner:
    started: ClassVar[list[float]] = []

    def __init__(self, interval: float) -> None:
        self.interval = interval

    def start(self) -> None:
        _Runner.started.append(self.interval)

    def stop(self) -> None:
        pass


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """The arguments uvicorn would have been started with (it is not started), and no real job runner."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    monkeypatch.setattr(jobs, "JobRunner", _Runner)
    _Runner.started = []
    get_settings.cache_clear()
    yield calls
    get_settings.cache_clear()


def test_serve_runs_one_process_by_default(served: list[dict[str, Any]]) -> None:
    result = runner.invoke(cli.app, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert served[0]["workers"] == 1 and served[0]["factory"] is True
    assert len(_Runner.started) == 1


def test_workers_option_starts_that_many_and_the_jobs_once(served: list[dict[str, Any]]) -> None:
    result = runner.invoke(cli.app, ["serve", "--port", "8123", "--workers", "3"])
    assert result.exit_code == 0, result.output
    # the workers import the application by name (uvicorn can only spawn it so) ...
    assert served[0]["workers"] == 3 and served[0]["app"] == "outrider.app:create_app"
    # ... and the jobs run in the supervising process, once, not in each worker
    assert len(_Runner.started) == 1
    assert "with 3 workers" in result.output


def test_workers_setting(served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTRIDER_WORKERS", "2")
    get_settings.cache_clear()
    assert runner.invoke(cli.app, ["serve", "--port", "8123"]).exit_code == 0
    assert served[0]["workers"] == 2


def test_no_embedded_jobs_with_workers(served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTRIDER_JOBS_EMBEDDED", "false")
    get_settings.cache_clear()
    assert runner.invoke(cli.app, ["serve", "--port", "8123", "--workers", "2"]).exit_code == 0
    assert _Runner.started == []


def test_workers_out_of_range_is_refused(served: list[dict[str, Any]]) -> None:
    assert runner.invoke(cli.app, ["serve", "--workers", "0"]).exit_code == 2
    assert served == []
