"""One idempotency-key rule: the body type (the header has the same pattern) and the CLI check agree."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from outrider import idempotency
from outrider.errors import InvalidInput

BODY = TypeAdapter(idempotency.IdempotencyKey)
keys = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=0, max_size=140),
    st.text(max_size=140),
)


def _reference(key: str) -> bool:
    return 1 <= len(key) <= 128 and all(0x21 <= ord(ch) <= 0x7E for ch in key)


def _body_accepts(key: str) -> bool:
    try:
        BODY.validate_python(key)
    except ValidationError:
        return False
    return True


@given(keys)
@example("x" * 128)
@example("x" * 129)
@example("nul\x00")
@example("a b")
@example("é")
@example("k\n")
def test_body_cli_and_reference_agree(key: str) -> None:
    assert _body_accepts(key) == idempotency.is_valid(key) == _reference(key)


maybe_key = st.one_of(st.none(), st.sampled_from(["a", "b", "device-7:0001"]))


@given(maybe_key, maybe_key, st.booleans())
def test_resolve_takes_either_and_refuses_disagreement(
    header: str | None, body: str | None, required: bool
) -> None:
    disagree = header is not None and body is not None and header != body
    missing = header is None and body is None and required
    if disagree or missing:
        with pytest.raises(InvalidInput):
            idempotency.resolve(header, body, field="key", required=required)
    else:
        assert idempotency.resolve(header, body, field="key", required=required) == (header or body)
