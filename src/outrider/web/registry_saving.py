"""A registry form's checks against the stored data and its save: the unique name already taken, the
values validated with every error beside its field, and the change run in a savepoint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from outrider.access.policy import RecordKind
from outrider.errors import Conflict, InvalidInput
from outrider.registry import service as registry_service
from outrider.web import registry_forms as rf
from outrider.web.context import Web
from outrider.web.i18n import N_

IN_USE = N_("Movements or other records refer to this record: it is kept for their history.")


def _taken(web: Web, kind: RecordKind, values: rf.Values, errors: rf.Errors, exclude: int | None) -> None:
    """The unique name (plate, call sign) already used, found with the other errors of the form."""
    name = rf.UNIQUE.get(kind)
    value = values.get(name or "", "")
    if name is None or not value:
        return
    if kind is RecordKind.vehicle:
        value = " ".join(value.upper().split())
    model = registry_service.SPECS[kind].model
    stmt = select(model.id).where(getattr(model, name) == value)
    if exclude is not None:
        stmt = stmt.where(model.id != exclude)
    if web.session.scalar(stmt) is not None:
        rf.add_error(errors, name, web.gettext(rf.TAKEN[kind]))


def validated(
    web: Web, kind: RecordKind, values: rf.Values, *, exclude: int | None, extra: rf.Values | None = None
) -> tuple[BaseModel | None, rf.Errors]:
    """The form's data as the record's schema takes it, or every error beside its field."""
    errors: rf.Errors = {}
    data = None
    try:
        data = rf.CREATE[kind].model_validate(rf.data_of(kind, values, extra=extra))
    except ValidationError as exc:
        rf.field_errors(exc, web.gettext, [f.name for f in rf.FIELDS[kind]], into=errors)
        if kind is RecordKind.site:
            rf.ring_errors(values, extra or {}, web.gettext, errors)
    _taken(web, kind, values, errors, exclude)
    return (None if errors else data), errors


def save(web: Web, kind: RecordKind, errors: rf.Errors, write: Callable[[], Any]) -> Any | None:
    """Run a change in a savepoint: a refusal leaves nothing behind and becomes errors of the form."""
    savepoint = web.session.begin_nested()
    try:
        record = write()
        savepoint.commit()
        return record
    except Conflict:
        savepoint.rollback()
        rf.add_error(errors, rf.UNIQUE.get(kind, ""), web.gettext(rf.TAKEN.get(kind, IN_USE)))
    except InvalidInput as exc:
        savepoint.rollback()
        for problem in exc.errors or [{"loc": [], "msg": exc.detail}]:
            loc = [str(p) for p in problem.get("loc", [])]
            text, target = rf.problem_text(web.gettext, str(problem.get("msg", "")))
            names = {f.name for f in rf.FIELDS[kind]}
            name = loc[-1] if loc and loc[-1] in names else (target or "")
            rf.add_error(errors, name, text)
    return None
