"""The language the field speaks to a user where no page negotiates it (the replies to their SMS): the
language of the page they last set their field PINs on, or the one the API was told; English otherwise."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.audit import service as audit_service
from outrider.errors import InvalidInput
from outrider.languages import LANGUAGES  # the pages' languages (a test keeps `web.i18n` equal)
from outrider.movements.field_pin_models import FieldProfile

DEFAULT = "en"
SET_AUDIT = "movement.field_language_set"


def set_language(session: Session, caller: Caller, language: str, *, now: datetime) -> None:
    """Speak ``language`` to the caller in the field's replies (audited when it changes)."""
    if language not in LANGUAGES:
        raise InvalidInput(
            f"the language is one of {', '.join(LANGUAGES)}",
            errors=[{"loc": ["body", "language"], "msg": "unknown language"}],
        )
    row = session.get(FieldProfile, caller.user_id)
    if row is not None and row.language == language:
        return
    if row is None:
        row = FieldProfile(user_id=caller.user_id, language=language, updated_at=now)
        session.add(row)
    row.language, row.updated_at = language, now
    session.flush()
    audit_service.record(
        session,
        actor=caller,
        action=SET_AUDIT,
        object_type="user",
        object_id=caller.user_id,
        details={"language": language},
        now=now,
    )


def language_of(session: Session, user_id: int | None) -> str:
    """The language to reply to this user in (English when the user is unknown or has chosen none)."""
    row = session.get(FieldProfile, user_id) if user_id is not None else None
    return row.language if row is not None else DEFAULT
