"""The cost of password hashes: standard argon2id by default, a cheap test cost the suite runs under, and a
hash of either cost verified under both (a hash carries its own parameters)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from argon2 import Type, extract_parameters
from pydantic import ValidationError

from outrider.accounts import passwords
from outrider.settings import Settings, get_settings

SECRET = "x" * 40


@contextmanager
def _cost(name: str) -> Iterator[None]:
    before = os.environ.get("OUTRIDER_PASSWORD_HASH_COST")
    os.environ["OUTRIDER_PASSWORD_HASH_COST"] = name
    get_settings.cache_clear()
    try:
        yield
    finally:
        os.environ.pop("OUTRIDER_PASSWORD_HASH_COST")
        if before is not None:
            os.environ["OUTRIDER_PASSWORD_HASH_COST"] = before
        get_settings.cache_clear()


def test_production_hashes_at_the_standard_cost_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OUTRIDER_PASSWORD_HASH_COST")
    assert Settings(env="production", secret_key=SECRET).password_hash_cost == "standard"
    standard = passwords.HASH_COSTS["standard"]
    assert (standard.type, standard.memory_cost, standard.time_cost, standard.parallelism) == (
        Type.ID,
        64 * 1024,
        3,
        4,
    )


@pytest.mark.parametrize("env", ["development", "test"])
def test_production_alone_refuses_the_test_cost(env: str) -> None:
    with pytest.raises(ValidationError, match="OUTRIDER_PASSWORD_HASH_COST=test"):
        Settings(env="production", secret_key=SECRET, password_hash_cost="test")
    assert Settings(env=env, secret_key=SECRET, password_hash_cost="test").password_hash_cost == "test"


def test_a_hash_of_either_cost_verifies_under_the_other() -> None:
    with _cost("standard"):
        strong = passwords.hash_password("correct horse battery staple")
    with _cost("test"):
        cheap = passwords.hash_password("correct horse battery staple")
    assert extract_parameters(strong) == passwords.HASH_COSTS["standard"]
    assert extract_parameters(cheap) == passwords.HASH_COSTS["test"]
    assert extract_parameters(cheap).memory_cost == 8 * 1024
    with _cost("test"):
        assert passwords.verify_password(strong, "correct horse battery staple")
        assert not passwords.verify_password(strong, "correct horse battery stable")
        assert not passwords.verify_password(None, "correct horse battery staple")
    with _cost("standard"):
        assert passwords.verify_password(cheap, "correct horse battery staple")
        assert not passwords.verify_password(cheap, "correct horse battery stable")
