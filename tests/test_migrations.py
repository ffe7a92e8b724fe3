"""Migrations: an empty database upgraded to head matches the models exactly (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from outrider import migrate


def test_upgrade_head_leaves_no_autogenerate_diff(migrated_engine: Engine) -> None:
    with migrated_engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, migrate.target_metadata())
    assert diff == []


def test_current_is_head_after_upgrade(migrated_engine: Engine) -> None:
    assert migrate.current(migrated_engine) == migrate.head(migrated_engine)
    assert migrate.head(migrated_engine) is not None


def test_every_table_has_named_constraints(migrated_engine: Engine) -> None:
    insp = inspect(migrated_engine)
    for table in migrate.target_metadata().sorted_tables:
        for fk in insp.get_foreign_keys(table.name):
            assert (
                fk["name"] is None or fk["name"].startswith("fk_") or migrated_engine.dialect.name == "sqlite"
            )
    assert {"organizations", "users", "sites", "alerts"} <= set(insp.get_table_names())


@pytest.mark.parametrize("name", ["2026-11-23_initial_frame_schema.py"])
def test_migration_files_are_dated(name: str) -> None:
    versions = migrate.REPO_ROOT / "migrations" / "versions"
    files = sorted(p.name for p in versions.glob("*.py"))
    assert name in files
    for f in files:
        assert f[:4].isdigit() and f[4] == "-" and f[10] == "_", f
