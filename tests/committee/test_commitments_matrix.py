"""Every commitments route tried by every role of the host, the partner, two companies and an organisation
party to nothing (and by nobody signed in): the allowed get past authorisation, the others are refused."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from commitment_routes import ALLOWED, REQUESTS
from outrider.access.routes import ROUTES
from route_samples import skip_unless_sampled
from world_users import WORLD_USERS

EVERYONE = ["anon", *WORLD_USERS]


def test_the_matrix_knows_every_commitments_route() -> None:
    ours = {r for r in ROUTES if r.split(" ", 1)[1].startswith("/api/v1/commitments")}
    assert ours == set(REQUESTS)
    assert {ROUTES[r] for r in ours} == set(ALLOWED)
    for route, (entry, _) in REQUESTS.items():
        assert ROUTES[route] == entry, route


@pytest.fixture
def _postgresql_runs_a_sample(request: pytest.FixtureRequest, migrated_engine: Any) -> None:
    skip_unless_sampled(request, migrated_engine)


@pytest.mark.usefixtures("_postgresql_runs_a_sample")
@pytest.mark.parametrize("route", sorted(REQUESTS))
def test_route_allows_exactly_its_users(route: str, client: TestClient, world: Any) -> None:
    entry, run = REQUESTS[route]
    allowed = ALLOWED[entry]
    for who in sorted(EVERYONE, key=lambda a: a in allowed):  # refused first: they change nothing
        response = run(client, world, who)
        if who in allowed:
            assert response.status_code not in (401, 403, 404), f"{route}: {who} refused: {response.text}"
            assert response.status_code < 300, f"{route}: {who}: {response.status_code} {response.text}"
        else:
            assert response.status_code in (401, 403, 404), (
                f"{route}: {who} got through ({response.status_code})"
            )
            if response.status_code != 401:
                assert response.headers["content-type"].startswith("application/problem+json")


def test_a_company_gets_404_for_one_commitment_and_403_for_the_list(client: TestClient, world: Any) -> None:
    created = client.post(
        "/api/v1/commitments",
        json={"title": "Escort SOP", "kind": "security_arrangement"},
        headers=world["admin"].headers,
    )
    assert created.status_code == 201, created.text
    cid = created.json()["id"]
    for who in ("coord", "acme_admin", "other_coord"):
        assert client.get(f"/api/v1/commitments/{cid}", headers=world[who].headers).status_code == 404
        assert client.get(f"/api/v1/commitments/{cid + 1000}", headers=world[who].headers).status_code == 404
        assert client.get("/api/v1/commitments", headers=world[who].headers).status_code == 403
