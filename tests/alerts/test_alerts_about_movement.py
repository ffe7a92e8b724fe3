"""An alert about a movement names the movement as its subject and its organisation as the reader, and a
second raise about the same movement refreshes it, whichever way its id was written before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from outrider import db
from outrider.alerts import service
from outrider.alerts.schemas import Severity

T0 = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class _Movement:
    id: int
    organization_id: int


def test_an_alert_about_a_movement_is_the_alert_raise_alert_opens_for_it(engine: Engine) -> None:
    movement = _Movement(id=42, organization_id=7)
    with db.transaction() as session:
        alert, new = service.raise_about_movement(
            session,
            movement,
            kind="risk_rising",
            severity=Severity.warning,
            title="t",
            details={"a": 1},
            now=T0,
        )
        assert new
        assert (alert.subject_type, alert.subject_id, alert.organization_id) == ("movement", "42", 7)
        assert (alert.kind, alert.severity, alert.title, alert.details) == (
            "risk_rising",
            "warning",
            "t",
            {"a": 1},
        )
        # the same subject as `raise_alert` with the id as text (a withdrawn waiver wrote it so before)
        again, new_again = service.raise_alert(
            session,
            kind="risk_rising",
            severity=Severity.high,
            subject_type="movement",
            subject_id="42",
            title="t2",
            now=T0 + timedelta(minutes=1),
        )
        assert not new_again and again.id == alert.id and again.severity == "high"
        other, new_other = service.raise_about_movement(
            session,
            _Movement(43, 7),
            kind="risk_rising",
            severity=Severity.info,
            title="t",
            details={},
            now=T0,
        )
        assert new_other and other.id != alert.id
