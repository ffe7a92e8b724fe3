"""Migration 0031 hides each duress alert raised before it from whoever its details name ``silent_to`` (who
gave the silent duress signal), on SQLite and PostgreSQL (the details are JSON text on one, a JSON value on
the other); other alerts are hidden from nobody."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from fresh_databases import BACKENDS
from fresh_databases import fresh_database as _fresh_database
from outrider import migrate


def _alert(engine: Engine, kind: str, subject: str, details: dict[str, object]) -> int:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO alerts (kind, severity, subject_type, subject_id, title, details, created_at, "
                "updated_at, occurrences, escalation_level, acknowledge_note) VALUES (:kind, 'critical', "
                "'movement', :subject, 'MOV-1: duress signal from the escort', :details, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP, 1, 0, '')"
            ),
            {"kind": kind, "subject": subject, "details": json.dumps(details)},
        )
        return int(conn.execute(text("SELECT max(id) FROM alerts")).scalar_one())


@pytest.mark.parametrize("backend", BACKENDS)
def test_duress_alerts_raised_before_are_hidden_from_their_signallers(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    engine = _fresh_database(backend, request, tmp_path)
    try:
        migrate.upgrade(engine, "0030")
        duress = _alert(engine, "movement_duress", "1", {"movement_id": 1, "silent_to": [7, 5, 7, True]})
        loud = _alert(engine, "sos", "2", {"movement_id": 2})
        other = _alert(engine, "movement_duress", "3", {"movement_id": 3, "silent_to": "7"})
        migrate.upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT alert_id, user_id FROM alert_hidden_from ORDER BY 1, 2")).all()
        assert [tuple(r) for r in rows] == [(duress, 5), (duress, 7)]
        assert loud and other  # raised, hidden from nobody
    finally:
        engine.dispose()
