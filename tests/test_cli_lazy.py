"""The root command loads a domain only when it is used: `outrider --help` imports none of the heavy ones."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from outrider import cli

runner = CliRunner()
ROOT_HELP = """
import sys
from outrider.cli import main
sys.argv = ["outrider", "--help"]
try:
    main()
except SystemExit as done:
    assert not done.code, done.code
heavy = {"numba", "fpdf", "alembic", "sqlalchemy"}
print("LOADED", *sorted(m for m in sys.modules if m.split(".")[0] in heavy or m.startswith("outrider.risk")))
"""


def test_root_help_in_a_fresh_process_imports_no_heavy_module_and_lists_every_command() -> None:
    done = subprocess.run(
        [sys.executable, "-c", ROOT_HELP], capture_output=True, text=True, check=True, timeout=120
    )
    listed, _, loaded = done.stdout.rpartition("LOADED")
    assert loaded.split() == [], loaded
    for name in cli.ORDER:
        assert f" {name} " in listed
    assert "Print the version." in listed and "Risk: routes, sites, the surface" in listed


@pytest.mark.parametrize("name", list(cli.LAZY))
def test_the_roots_table_gives_each_command_its_own_help(name: str) -> None:
    command = cli.load(name)
    assert command.name == name
    assert (command.short_help or command.help or "").strip() == cli.LAZY[name].help


def test_help_of_a_group_does_not_compose_and_a_command_does(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import outrider.compose

    calls: list[None] = []
    monkeypatch.setattr(outrider.compose, "compose", lambda: calls.append(None))
    for args in (
        ["--help"],
        ["risk", "--help"],
        ["registry", "sites", "--help"],
        ["db", "current", "--help"],
    ):
        assert runner.invoke(cli.app, args).exit_code == 0
    assert calls == []
    assert runner.invoke(cli.app, ["db", "current", "--json"]).exit_code == 0
    assert calls == [None]


def test_a_mistyped_command_is_told_the_nearest_one_it_was_not_yet_loaded() -> None:
    result = runner.invoke(cli.app, ["rsik"])
    assert result.exit_code == 2
    assert "Did you mean 'risk'?" in result.output


def test_the_domains_command_modules_leave_kernels_pdf_and_migrations_to_the_commands_that_use_them() -> None:
    modules = sorted({lazy.target.partition(":")[0] for lazy in cli.LAZY.values()})
    code = (
        f"import sys, importlib\nfor m in {modules!r}:\n    importlib.import_module(m)\n"
        "print(*sorted(m for m in sys.modules if m.split('.')[0] in {'numba', 'fpdf', 'alembic'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split() == []
