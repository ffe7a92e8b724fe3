"""The stored arrangement: validated, stored when governance enacts it, read as the API shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.errors import InvalidInput
from outrider.movements import schemas as s
from outrider.movements.arrangement import Arrangement
from outrider.movements.models import Arrangement as ArrangementRow
from outrider.movements.service import current_arrangement
from outrider.notify import policy_service


def validated_arrangement(document: dict[str, Any]) -> dict[str, Any]:
    """The arrangement document validated and normalised; InvalidInput when it is not one."""
    try:
        return Arrangement.model_validate(document).model_dump(mode="json")
    except ValueError as exc:
        raise InvalidInput(f"the arrangement is invalid: {exc}") from None


def store_arrangement(
    session: Session, *, document: dict[str, Any], comment: str, created_by: int | None, now: datetime
) -> ArrangementRow:
    """Store a new version of the arrangement: only governance calls this, when both founding parties
    approved the proposal (no caller of any organisation changes the arrangement alone). Its escalation
    becomes the joint default escalation policy."""
    version, _ = current_arrangement(session)
    row = ArrangementRow(
        version=version + 1,
        document=validated_arrangement(document),
        comment=comment,
        created_by=created_by,
        created_at=now,
    )
    session.add(row)
    session.flush()
    # The arrangement's escalation is the joint default policy of alert delivery: a new version of it when
    # the escalation changed (alerts in flight keep the plan they froze).
    escalation = [(s.after_minutes, s.roles) for s in Arrangement.model_validate(row.document).escalation]
    policy_service.install_joint_default(session, escalation=escalation, now=now)
    return row


def arrangement_read(session: Session) -> s.ArrangementRead:
    """The arrangement in force, as the API shows it."""
    row = session.scalar(select(ArrangementRow).order_by(ArrangementRow.version.desc()).limit(1))
    if row is None:
        return s.ArrangementRead(
            version=0,
            document=Arrangement().model_dump(mode="json"),
            comment="built-in default",
            created_at=None,
        )
    return s.ArrangementRead(
        version=row.version, document=row.document, comment=row.comment, created_at=row.created_at
    )
