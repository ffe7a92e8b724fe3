"""Migration 0022 makes the arrangement in force the joint default escalation policy (the built-in one when
no arrangement was stored), on SQLite and PostgreSQL (the stored document is JSON text on one, a JSON value
on the other)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from fresh_databases import BACKENDS
from fresh_databases import fresh_database as _fresh_database
from outrider import migrate
from outrider.notify.policies import validate

STORED = {
    "escalation": [
        {"after_minutes": 0, "level": 1, "roles": ["duty_officer"]},
        {"after_minutes": 20, "level": 2, "roles": ["liaison", "admin"]},
    ]
}


def _joint(engine: Engine) -> list[tuple[int, list[dict[str, object]]]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT version, steps FROM notify_policies WHERE organization_id IS NULL AND active")
        ).all()
    return [(v, json.loads(s) if isinstance(s, str) else s) for v, s in rows]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("stored", [True, False])
def test_the_arrangement_in_force_becomes_the_joint_default(
    backend: str, stored: bool, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    engine = _fresh_database(backend, request, tmp_path)
    try:
        migrate.upgrade(engine, "0021")
        if stored:
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO arrangements (version, document, comment, created_at) "
                        "VALUES (1, :doc, 'agreed', CURRENT_TIMESTAMP)"
                    ),
                    {"doc": json.dumps(STORED)},
                )
        migrate.upgrade(engine)
        [(version, steps)] = _joint(engine)
        assert version == 1 and validate(steps, 0) == steps  # a valid policy
        minutes = [s["after_minutes"] for s in steps]
        assert minutes == ([0, 20] if stored else [0, 15, 30])
        roles = [t["role"] for t in steps[-1]["targets"]]
        assert roles == (["liaison", "admin"] if stored else ["admin"])
        assert all(s["channels"] == ["email", "sms", "webhook"] for s in steps)
    finally:
        engine.dispose()
