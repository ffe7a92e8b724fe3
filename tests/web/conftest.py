"""Fixtures of the web tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine


@pytest.fixture
def web_client(engine: Engine) -> Iterator[TestClient]:
    """A browser-like client over https (the session cookie is Secure outside development)."""
    from outrider.app import create_app

    with TestClient(create_app(), base_url="https://testserver", raise_server_exceptions=False) as c:
        yield c
