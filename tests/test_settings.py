"""The settings object: prefix, database choice, and no default secret outside development."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from outrider.settings import DEV_SECRET_KEY, Settings


def test_embedded_sqlite_lives_in_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OUTRIDER_DATABASE_URL", raising=False)
    monkeypatch.setenv("OUTRIDER_DATA_DIR", str(tmp_path))
    settings = Settings(env="development", secret_key=DEV_SECRET_KEY)
    assert settings.effective_database_url == f"sqlite:///{tmp_path.resolve() / 'outrider.db'}"


def test_database_url_selects_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTRIDER_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1:5432/outrider")
    assert Settings().effective_database_url.startswith("postgresql+psycopg://")


@pytest.mark.parametrize("env", ["test", "production"])
def test_default_secret_is_refused_outside_development(env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # the suite runs at the test cost of password hashes, which production refuses
    monkeypatch.delenv("OUTRIDER_PASSWORD_HASH_COST", raising=False)
    with pytest.raises(ValidationError, match="OUTRIDER_SECRET_KEY"):
        Settings(env=env, secret_key=DEV_SECRET_KEY)
    with pytest.raises(ValidationError, match="32 characters"):
        Settings(env=env, secret_key="short")
    assert Settings(env=env, secret_key="x" * 40).secret_key == "x" * 40


def test_development_accepts_the_default_secret() -> None:
    assert Settings(env="development", secret_key=DEV_SECRET_KEY).env == "development"


def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTRIDER_MAX_BODY_BYTES", "ten")
    with pytest.raises(ValidationError, match="max_body_bytes"):
        Settings()
