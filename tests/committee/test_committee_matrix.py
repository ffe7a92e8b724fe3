"""Every committee route tried by every role of the host, the partner, two companies and an organisation
party to nothing (and by nobody signed in): the allowed get past authorisation, the others are refused."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from committee_routes import ALLOWED, REQUESTS
from outrider.access.routes import ROUTES
from world_users import WORLD_USERS

EVERYONE = ["anon", *WORLD_USERS]


def test_the_matrix_knows_every_committee_route() -> None:
    ours = {r for r in ROUTES if r.split(" ", 1)[1].startswith("/api/v1/committees")}
    assert ours == set(REQUESTS)
    assert {ROUTES[r] for r in ours} - {"signed_in"} == set(ALLOWED)
    for route, (entry, _) in REQUESTS.items():
        assert ROUTES[route] == entry, route


@pytest.fixture(autouse=True)
def _sqlite_only(migrated_engine: Any) -> None:
    """Who may call a route is decided in Python, the same on both databases (the service tests and a third
    of the authorisation matrix run on PostgreSQL): skipped before the test world is built."""
    if migrated_engine.dialect.name == "postgresql":
        pytest.skip("decided in Python, the same on both databases")


@pytest.mark.parametrize("route", sorted(REQUESTS))
def test_route_allows_exactly_its_users(route: str, client: TestClient, world: Any) -> None:
    entry, run = REQUESTS[route]
    allowed = ALLOWED.get(entry, set(WORLD_USERS))
    for who in sorted(EVERYONE, key=lambda a: a in allowed):  # refused first: they change nothing
        response = run(client, world, who)
        if who in allowed:
            assert response.status_code < 300, f"{route}: {who}: {response.status_code} {response.text}"
        else:
            assert response.status_code in (401, 403, 404), (
                f"{route}: {who} got through ({response.status_code})"
            )
            if response.status_code != 401:
                assert response.headers["content-type"].startswith("application/problem+json")
