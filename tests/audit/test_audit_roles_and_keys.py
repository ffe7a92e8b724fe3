"""Signing keys rotate without invalidating the past; on PostgreSQL only a superuser can alter the log."""

from __future__ import annotations

import json
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from test_audit_tamper_db import fill, verify_cli
from typer.testing import CliRunner

from outrider import db, migrate
from outrider.audit import keys
from outrider.audit import lookup as audit_lookup
from outrider.audit import service as audit
from outrider.audit.models import AuditKey
from outrider.cli import app
from outrider.settings import get_settings


@pytest.fixture
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data directory of the test's own: the rotated key and the witness live there."""
    monkeypatch.setenv("OUTRIDER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("OUTRIDER_AUDIT_SIGNING_KEY", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def rotate() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["audit", "rotate-key", "--json"])
    assert result.exit_code == 0, result.output
    body: dict[str, Any] = json.loads(result.stdout)
    return body


def test_rotation_keeps_what_the_old_key_signed_valid(engine: Engine, own_data_dir: Path) -> None:
    """Found: rotating the signing key made every earlier checkpoint look forged."""
    fill(3)
    first = rotate()
    fill(2, start=4)
    second = rotate()
    fill(1, start=6)
    assert first["new_public_key"] == second["old_public_key"] != first["old_public_key"]
    assert keys.public_key() == second["new_public_key"]
    key_file = own_data_dir / keys.KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    with db.transaction() as session:
        signers = {c.public_key for c in audit.checkpoints(session)}
        rotations = audit_lookup.records_about(session, object_type="audit", object_id="signing_key")
    assert signers == {first["old_public_key"], first["new_public_key"], second["new_public_key"]}
    assert [r.action for r in rotations] == ["audit.rotate_key", "audit.rotate_key"]
    body = verify_cli("--all-signatures")
    assert body["ok"] and body["records"] == 8, body
    exported = own_data_dir / "export.json"
    assert CliRunner().invoke(app, ["audit", "export-checkpoints", str(exported)]).exit_code == 0
    kept = json.loads(exported.read_text(encoding="utf-8"))["checkpoints"]
    assert [c["seq"] for c in kept] == [3, 6, 8]  # the newest head of each key
    assert verify_cli("--checkpoints", str(exported))["ok"]


def test_a_key_changed_without_rotation_is_named(engine: Engine, own_data_dir: Path) -> None:
    fill(2)
    rotate()
    fill(1, start=4)
    # someone puts another key in place of the rotated one, without the history knowing
    (own_data_dir / keys.KEY_FILE).write_text(
        "b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktISE=\n", encoding="ascii"
    )
    fill(1, start=5)
    body = verify_cli()
    assert not body["ok"] and "not endorsed" in body["problem"]


def test_a_key_slipped_into_the_history_is_refused(engine: Engine, own_data_dir: Path) -> None:
    fill(2)
    forger = audit.chain.private_key_from_seed(secrets.token_bytes(32))
    with db.transaction() as session:
        session.add(AuditKey(public_key=audit.chain.public_key_b64(forger), valid_from=db.utcnow()))
    body = verify_cli()
    assert not body["ok"] and "newest key" in body["problem"]


def test_rotation_refuses_a_key_from_the_environment(
    engine: Engine, own_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OUTRIDER_AUDIT_SIGNING_KEY", "a2V5LWtleS1rZXkta2V5LWtleS1rZXkta2V5LWtleS0=")
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["audit", "rotate-key"])
    assert result.exit_code != 0 and "OUTRIDER_AUDIT_SIGNING_KEY" in result.output


# --- PostgreSQL roles ----------------------------------------------------------------------------


def _role_database(pg_url: str, role: str, *, owner: bool) -> tuple[str, str]:
    admin = db.make_engine(pg_url, isolation_level="AUTOCOMMIT")
    name = f"audit_{role}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        if owner:
            conn.execute(text(f'CREATE DATABASE "{name}" OWNER "{role}"'))
    admin.dispose()
    return name, pg_url.replace("outrider@", f"{role}@").rsplit("/", 1)[0] + f"/{name}"


REFUSED = [
    "TRUNCATE audit_records",
    "TRUNCATE audit_checkpoints",
    "TRUNCATE audit_head",
    "TRUNCATE audit_keys",
    "UPDATE audit_records SET user_id = 1",
    "DELETE FROM audit_records",
    "DELETE FROM audit_checkpoints",
    "DELETE FROM audit_keys",
    "DELETE FROM audit_head",
    "UPDATE audit_head SET seq = 0, hash = repeat('0', 64)",
    "UPDATE audit_head SET seq = seq + 1",
]


@pytest.mark.postgres
def test_a_non_superuser_owner_cannot_truncate_update_or_delete_the_log(pg_url: str) -> None:
    """Found: on PostgreSQL the owner's TRUNCATE was not blocked and the head could be rewritten."""
    role = f"owner_{secrets.token_hex(4)}"
    _name, url = _role_database(pg_url, role, owner=True)
    engine = db.make_engine(url)
    try:
        migrate.upgrade(engine)  # migrated by the owning role, as in production
        db.set_engine(engine)
        fill(3)
        for statement in REFUSED:
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(text(statement))
        assert verify_cli()["ok"]
    finally:
        db.set_engine(None)
        engine.dispose()


@pytest.mark.postgres
def test_the_application_role_cannot_switch_the_guards_off(pg_url: str) -> None:
    """The documented grants: the application writes the log and can neither alter it nor disarm it."""
    owner = f"owner_{secrets.token_hex(4)}"
    name, owner_url = _role_database(pg_url, owner, owner=True)
    app_role = f"app_{secrets.token_hex(4)}"
    _unused, app_url = _role_database(pg_url, app_role, owner=False)
    app_url = app_url.rsplit("/", 1)[0] + f"/{name}"
    owner_engine = db.make_engine(owner_url)
    migrate.upgrade(owner_engine)
    with owner_engine.begin() as conn:
        for grant in GRANTS:
            conn.execute(text(grant.replace("outrider_app", f'"{app_role}"')))
    engine = db.make_engine(app_url)
    try:
        db.set_engine(engine)
        fill(3)
        for statement in [
            *REFUSED,
            "ALTER TABLE audit_records DISABLE TRIGGER USER",
            "ALTER TABLE audit_head DISABLE TRIGGER USER",
            "DROP TRIGGER audit_records_no_truncate ON audit_records",
        ]:
            with pytest.raises(DBAPIError), engine.begin() as conn:
                conn.execute(text(statement))
        assert verify_cli()["ok"]
    finally:
        db.set_engine(None)
        engine.dispose()
        owner_engine.dispose()


# The grants docs/need-to-know-and-audit.md gives the application role (kept in step by this test).
GRANTS = [
    "GRANT USAGE ON SCHEMA public TO outrider_app",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO outrider_app",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO outrider_app",
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_records, audit_checkpoints, audit_keys FROM outrider_app",
    "REVOKE DELETE, TRUNCATE ON audit_head FROM outrider_app",
]
