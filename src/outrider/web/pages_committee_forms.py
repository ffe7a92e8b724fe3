"""What the committee's pages share: the names of the founding parties' users, and a form's attempt (validate,
write in a savepoint, turn a refusal into messages beside the fields)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from outrider.accounts import service as accounts_service
from outrider.committee import evidence
from outrider.errors import Conflict, InvalidInput, RuleViolation
from outrider.web import registry_forms as rf
from outrider.web.context import Web
from outrider.web.i18n import N_

Errors = dict[str, list[str]]
# The committee's own refusals beside a field, in the page's language (the others as the registry's are).
_KNOWN = {
    # a report, meeting or protocol's report the caller may not read: these very words, as a missing one
    evidence.NO_REPORT: N_("No stored intelligence report has this id."),
    evidence.NO_MINUTES: N_("No meeting whose minutes both parties approved has this id."),
    evidence.NO_PROTOCOL: N_("No protocol has this id."),
}
Model = TypeVar("Model", bound=BaseModel)


def user_names(web: Web, organization_ids: Iterable[int]) -> dict[int, str]:
    """The users of these organisations by id, as the pages name them (full name, else user name)."""
    names: dict[int, str] = {}
    for org in set(organization_ids):
        for user in accounts_service.list_users(web.session, organization_id=org):
            names[user.id] = user.full_name or user.username
    return names


def blank(values: Mapping[str, Any]) -> dict[str, Any]:
    """A form's values with empty fields left out (the model's defaults apply)."""
    return {k: v for k, v in values.items() if v not in ("", None, [])}


def attempt(
    web: Web,
    model: type[Model],
    values: Mapping[str, Any],
    write: Callable[[Model], object],
    nested: Iterable[str] = (),
) -> Errors:
    """Validate ``values`` as ``model`` and run ``write`` in a savepoint; the errors beside their fields
    (``""``: the form as a whole), none when the change was made. Forbidden and NotFound go on to the
    error page, as the API answers them. ``nested`` names the fields of a body inside the model (a new
    commitment inside an outcome) that the form shows as fields of its own."""
    fields = [*nested, *model.model_fields]
    try:
        data = model.model_validate(values)
    except ValidationError as exc:
        return rf.field_errors(exc, web.gettext, fields)
    errors: Errors = {}
    savepoint = web.session.begin_nested()
    try:
        write(data)
        savepoint.commit()
    except InvalidInput as exc:
        savepoint.rollback()
        for problem in exc.errors or [{"loc": [], "msg": exc.detail}]:
            loc = [str(p) for p in problem.get("loc", [])]
            joined = ["_".join((loc[0], loc[-1]))] if len(loc) > 1 else []
            name = next((p for p in [*joined, *reversed(loc)] if p in fields), "")
            if not name:
                name = next((f for f in fields if exc.detail.startswith(f"{f}:")), "")
            msg = str(problem.get("msg", ""))
            text = web.gettext(_KNOWN[msg]) if msg in _KNOWN else rf.problem_text(web.gettext, msg)[0]
            rf.add_error(errors, name, text)
    except (Conflict, RuleViolation) as exc:
        savepoint.rollback()
        rf.add_error(errors, "", exc.detail)
    return errors
