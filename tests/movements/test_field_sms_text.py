"""The SMS check-in parser: every text is a command or a refusal with a reason, never an exception."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outrider.movements.sms_text import MAX_LENGTH, Rejection, SmsCommand, Verb, parse


def test_the_three_verbs() -> None:
    assert parse("CI MOV-2026-0012 OK 4821") == SmsCommand("MOV-2026-0012", Verb.ok, "4821")
    assert parse("  ci   MOV-2026-0012\nok 4821 ") == SmsCommand("MOV-2026-0012", Verb.ok, "4821")
    assert parse("CI MOV-1 DELAYED flat tyre at km 40 4821") == SmsCommand(
        "MOV-1", Verb.delayed, "4821", "flat tyre at km 40"
    )
    assert parse("CI MOV-1 sos 12345678") == SmsCommand("MOV-1", Verb.sos, "12345678")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("hello", "starts with CI"),
        ("CI MOV-1 OK", "expected: CI"),
        ("CI MOV-1 FINE 4821", "unknown verb"),
        ("CI MOV-1 OK abcd", "last word must be your code"),
        ("CI MOV-1 OK 12", "last word must be your code"),
        ("CI MOV-1 DELAYED 4821", "needs a reason"),
        ("CI MOV-1 DELAYED  4821 ", "needs a reason"),
        ("CI MOV-1 OK now 4821", "takes no words"),
        ("CI MOV-1 SOS help 4821", "takes no words"),
        ("CI M! OK 4821", "reference"),
        ("CI " + "A" * 65 + " OK 4821", "reference"),
        ("CI MOV-1 DELAYED " + "x " * 120 + "4821", "reason is longer"),
        ("CI MOV-1 OK 4821" + " " * MAX_LENGTH, "longer than"),
    ],
)
def test_refusals_say_why(text: str, reason: str) -> None:
    found = parse(text)
    assert isinstance(found, Rejection)
    assert reason in found.reason


def test_a_refusal_never_repeats_the_code() -> None:
    for text in ("CI MOV-1 FINE 4821", "CI MOV-1 4821 OK", "CI MOV-1 OK now 4821", "CI M! OK 4821"):
        found = parse(text)
        assert isinstance(found, Rejection) and "4821" not in found.reason


words = st.sampled_from(["CI", "ci", "OK", "ok", "DELAYED", "SOS", "MOV-2026-0012", "4821", "late", "x!", ""])


@settings(max_examples=400)
@given(st.one_of(st.text(max_size=600), st.lists(words, max_size=8).map(" ".join)))
def test_any_text_is_a_command_or_a_refusal(text: str) -> None:
    found = parse(text)
    assert isinstance(found, SmsCommand | Rejection)
    if isinstance(found, SmsCommand):
        parts = text.split()
        assert parts[0].upper() == "CI" and parts[1] == found.reference and parts[-1] == found.code
        assert found.code.isdigit() and 4 <= len(found.code) <= 8
        assert (found.verb is Verb.delayed) == bool(found.reason)


@settings(max_examples=100, deadline=None)
@given(
    st.from_regex(r"[A-Za-z0-9_.-]{3,64}", fullmatch=True),
    st.sampled_from(list(Verb)),
    st.from_regex(r"[0-9]{4,8}", fullmatch=True),
    st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=1, max_size=5),
)
def test_a_well_formed_text_round_trips(reference: str, verb: Verb, code: str, reason: list[str]) -> None:
    middle = " ".join(reason) if verb is Verb.delayed else ""
    text = " ".join(w for w in ("CI", reference, verb.value.lower(), middle, code) if w)
    assert parse(text) == SmsCommand(reference, verb, code, middle)
