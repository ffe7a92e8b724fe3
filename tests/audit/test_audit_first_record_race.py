"""Two transactions that write the very first audit record at once on PostgreSQL: both land, one chain."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fresh_databases import fresh_database
from outrider import migrate
from outrider.audit import service as audit_service
from outrider.audit.models import AuditRecord
from outrider.audit.verification import verify
from outrider.db import utcnow


@pytest.mark.postgres
def test_two_first_records_at_once_both_land(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    engine = fresh_database("postgresql", request, tmp_path)
    try:
        migrate.upgrade(engine)
        first_written, errors = threading.Event(), []

        def append(n: int) -> None:
            try:
                with Session(engine) as session:
                    if n == 1:
                        first_written.wait(10)  # the other transaction holds the head it just created
                    audit_service.record(
                        session, actor=audit_service.JOB, action="test.race", object_type="t", object_id=n,
                        now=utcnow(),
                    )  # fmt: skip
                    if n == 0:
                        first_written.set()
                        time.sleep(0.5)  # the second finds no committed head and tries to create one too
                    session.commit()
            except Exception as exc:
                errors.append(exc)

        threads = [threading.Thread(target=append, args=(n,)) for n in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert errors == []
        with Session(engine) as session:
            seqs = session.scalars(select(AuditRecord.seq).order_by(AuditRecord.seq)).all()
            assert seqs == [1, 2] and session.scalar(select(func.count()).select_from(AuditRecord)) == 2
            verdict = verify(session)
            assert verdict.ok and verdict.records == 2, verdict
    finally:
        engine.dispose()
