"""`outrider db upgrade` on a fresh machine: the SQLite file's folder is created when it does not exist yet,
for the default data directory and for a custom OUTRIDER_DATABASE_URL alike."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from typer.testing import CliRunner

from outrider import db, migrate
from outrider.cli import app
from outrider.settings import get_settings

runner = CliRunner()


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Settings read again from the environment, and no process-wide engine, during the test and after."""
    db.set_engine(None)
    get_settings.cache_clear()
    yield monkeypatch
    engine = db._engine
    if engine is not None:
        engine.dispose()
    db.set_engine(None)
    get_settings.cache_clear()


def _upgrade() -> dict[str, str]:
    get_settings.cache_clear()
    result = runner.invoke(app, ["db", "upgrade", "--json"])
    assert result.exit_code == 0, result.output
    out: dict[str, str] = json.loads(result.stdout)
    return out


def test_the_default_data_directory_is_created(fresh: pytest.MonkeyPatch, tmp_path: Path) -> None:
    data = tmp_path / "not" / "yet" / "var"
    fresh.setenv("OUTRIDER_DATA_DIR", str(data))
    fresh.delenv("OUTRIDER_DATABASE_URL", raising=False)
    at = _upgrade()["revision"]
    assert (data / "outrider.db").is_file()
    assert at == migrate.head(db.get_engine())


def test_a_custom_sqlite_url_gets_its_folder(fresh: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "deep" / "ops.db"
    fresh.setenv("OUTRIDER_DATABASE_URL", f"sqlite:///{target}")
    assert not target.parent.exists()
    _upgrade()
    assert target.is_file()
    _upgrade()  # a second upgrade of the same database changes nothing and still succeeds
    # a relative path is relative to where the command runs, as SQLite reads it
    fresh.chdir(tmp_path)
    fresh.setenv("OUTRIDER_DATABASE_URL", "sqlite:///relative/dir/rel.db")
    db.set_engine(None)
    _upgrade()
    assert (tmp_path / "relative" / "dir" / "rel.db").is_file()


def test_the_command_itself_creates_the_folder(tmp_path: Path) -> None:
    """The real command, as `make run` starts it, on a URL whose folder is missing."""
    target = tmp_path / "fresh" / "machine" / "outrider.db"
    env = {**os.environ, "OUTRIDER_DATABASE_URL": f"sqlite:///{target}"}
    done = subprocess.run(
        [sys.executable, "-m", "outrider", "db", "upgrade", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert target.is_file() and json.loads(done.stdout)["revision"]


@pytest.mark.parametrize(
    ("url", "folder"),
    [
        ("sqlite:///:memory:", None),
        ("sqlite://", None),
        ("sqlite:///file:shared?mode=memory&cache=shared&uri=true", None),
        ("postgresql+psycopg://u:p@localhost/outrider", None),
        ("sqlite:////srv/outrider/data/o.db", Path("/srv/outrider/data")),
    ],
)
def test_only_a_sqlite_file_has_a_folder_to_create(url: str, folder: Path | None) -> None:
    engine = create_engine(url)
    try:
        assert migrate.sqlite_folder(engine) == folder
    finally:
        engine.dispose()
