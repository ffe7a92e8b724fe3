"""Schema migrations: Alembic driven from Outrider's settings (`outrider db upgrade` / `current`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData

from outrider.db import Base

REPO_ROOT = Path(__file__).resolve().parents[2]


def target_metadata() -> MetaData:
    """The metadata of every domain's tables (importing the models registers them)."""
    import outrider.models  # noqa: F401  - the import registers every table on Base.metadata

    return Base.metadata


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to this engine's URL and the repository's migrations."""
    cfg = Config(str(REPO_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def sqlite_folder(engine: Engine) -> Path | None:
    """The folder of a SQLite database file (None for another database, an in-memory one or a URI)."""
    name = engine.url.database
    if engine.url.get_backend_name() != "sqlite" or not name or name == ":memory:":
        return None
    if name.startswith("file:") or engine.url.query.get("mode") == "memory":
        return None
    return Path(name).expanduser().parent


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema to ``revision``; a SQLite file's folder is created when it is missing
    (the first `outrider db upgrade` of a fresh machine, also for a custom OUTRIDER_DATABASE_URL)."""
    folder = sqlite_folder(engine)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current(engine: Engine) -> str | None:
    """The revision the database is at (None when it has never been migrated)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head(engine: Engine) -> str | None:
    """The newest revision the code knows."""
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
