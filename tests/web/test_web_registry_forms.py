"""Properties of the registry's forms (no database): whatever is typed, a form is either a valid record or
a list of errors each beside a field of the form (or of the form as a whole), never an exception; what
was typed is what the form shows again; and a valid record read back into its form validates to itself.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from outrider.access.policy import RecordKind
from outrider.web import registry_forms as rf
from outrider.web.i18n import translations


def _gettext(lang: str) -> Any:
    catalog = translations(lang)

    def gettext(message: str, **values: Any) -> str:
        text = catalog.gettext(message)
        return text % values if values else text

    return gettext


numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-(10**7), 10**7).map(str),
    st.sampled_from(["", " ", "abc", "1e309", "-0", "٣٤", "35,5"]),
)
texts = st.text(max_size=40)
SITE_FORMS = st.fixed_dictionaries(
    {
        "name": texts,
        "kind": st.one_of(st.sampled_from(sorted(rf.SITE_KINDS)), texts),
        "lat": numbers,
        "lon": numbers,
        "timezone": st.sampled_from(["Asia/Karachi", "", "UTC", "Mars/Olympus", "asia/karachi"]),
        "inner_radius_m": numbers,
        "outer_radius_m": numbers,
        "notes": texts,
    }
)


class _Form(dict[str, Any]):
    def getlist(self, name: str) -> list[Any]:
        value = self.get(name, [])
        return value if isinstance(value, list) else [value]


def _outcome(kind: RecordKind, form: dict[str, Any], lang: str) -> tuple[Any, rf.Errors, rf.Values]:
    values = rf.values_of_form(kind, _Form(form), _Form(form).getlist)
    errors: rf.Errors = {}
    data = None
    try:
        data = rf.CREATE[kind].model_validate(rf.data_of(kind, values))
    except ValidationError as exc:
        rf.field_errors(exc, _gettext(lang), [f.name for f in rf.FIELDS[kind]], into=errors)
        if kind is RecordKind.site:
            rf.ring_errors(values, {}, _gettext(lang), errors)
    return data, errors, values


@settings(max_examples=300, deadline=None)
@given(form=SITE_FORMS, lang=st.sampled_from(["en", "zh-Hans", "ur"]))
def test_a_site_form_is_a_record_or_errors_beside_its_fields(form: dict[str, Any], lang: str) -> None:
    data, errors, values = _outcome(RecordKind.site, form, lang)
    names = {f.name for f in rf.FIELDS[RecordKind.site]} | {""}
    assert (data is None) == bool(errors)
    assert set(errors) <= names
    assert all(messages and all(isinstance(m, str) and m for m in messages) for messages in errors.values())
    # what was typed comes back as typed (stripped), for the form to show again
    assert values == {k: v.strip() for k, v in form.items()}
    if data is not None:  # a valid record read back into its form is the same record
        again = rf.CREATE[RecordKind.site].model_validate(rf.data_of(RecordKind.site, _as_form(data)))
        assert again == data
        update = rf.update_of(RecordKind.site, data)
        assert update.model_dump(exclude_unset=True)["name"] == data.name  # type: ignore[attr-defined]


def _as_form(data: Any) -> dict[str, str]:
    return {
        k: ("" if v is None else str(getattr(v, "value", v)))
        for k, v in data.model_dump(exclude={"organization_id"}).items()
    }


@settings(max_examples=200, deadline=None)
@given(
    form=st.fixed_dictionaries(
        {
            "call_sign": texts,
            "strength": numbers,
            "base_site_id": st.one_of(st.integers(-5, 2**40).map(str), texts),
            "vehicle_ids": st.lists(st.one_of(st.integers(-5, 2**40).map(str), texts), max_size=5),
        }
    )
)
def test_a_unit_form_is_a_record_or_errors_beside_its_fields(form: dict[str, Any]) -> None:
    data, errors, _ = _outcome(RecordKind.unit, form, "ur")
    assert (data is None) == bool(errors)
    assert set(errors) <= {f.name for f in rf.FIELDS[RecordKind.unit]} | {""}


@given(message=st.text(max_size=200))
def test_any_message_is_shown_in_some_words(message: str) -> None:
    for lang in ("en", "zh-Hans", "ur"):
        text, target = rf.problem_text(_gettext(lang), message)
        assert isinstance(text, str)
        assert target is None or target in {f.name for f in rf.FIELDS[RecordKind.site]}


@pytest.mark.parametrize(
    ("message", "lang", "shown", "field"),
    [
        ("Field required", "ur", "لازمی ہے۔", None),
        ("Input should be less than or equal to 90", "zh-Hans", "最多为 90。", None),
        (
            "Value error, the outer cordon radius must be larger than the inner one",
            "en",
            "The outer cordon must be larger than the inner one.",
            "outer_radius_m",
        ),
        ("duplicate of line 4", "ur", "سطر 4 جیسا۔", None),
        ("something the pages do not know", "zh-Hans", "something the pages do not know", None),
    ],
)
def test_known_messages_are_translated(message: str, lang: str, shown: str, field: str | None) -> None:
    assert rf.problem_text(_gettext(lang), message) == (shown, field)
