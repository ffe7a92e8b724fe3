"""The joint arrangement document: who must approve, escalation steps, validation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from outrider.movements.arrangement import Arrangement, escalation_level, required_parties
from outrider.movements.lifecycle import Party


def test_default_requires_host_and_the_partner_of_travelling_nationals() -> None:
    a = Arrangement()
    assert required_parties(a, nationalities=["cn", "DE"], partner_countries=["CN", "TR"]) == {
        Party("host_security"),
        Party("partner_government", "CN"),
    }
    assert required_parties(a, nationalities=["PK"], partner_countries=["CN"]) == {Party("host_security")}


def test_escalation_steps_must_rise() -> None:
    with pytest.raises(ValidationError, match="rise"):
        Arrangement.model_validate(
            {
                "escalation": [
                    {"after_minutes": 10, "level": 2, "roles": ["x"]},
                    {"after_minutes": 5, "level": 3, "roles": ["y"]},
                ]
            }
        )
    a = Arrangement()
    assert escalation_level(a, 0).level == 1
    assert escalation_level(a, 20).level == 2
    assert escalation_level(a, 300).level == 3


def test_host_security_always_assigns_escorts() -> None:
    with pytest.raises(ValidationError, match="host_security"):
        Arrangement(escort_assigners=["company"])
    with pytest.raises(ValidationError):
        Arrangement.model_validate({"approvals": [{"org_kind": "militia"}]})
