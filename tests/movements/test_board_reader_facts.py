"""The board decides need-to-know from the reader's relations read as columns of its own query: the same
decisions as from the movements' whole facts, fresh at every read, and the API's JSON is the model's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from movement_scenes import under_way
from outrider import db
from outrider.access.need_to_know import Relationship, itinerary_access
from outrider.accounts.models import User
from outrider.http import caller_of
from outrider.movements import board, service
from outrider.movements import schemas as s
from outrider.movements.itinerary_facts import facts_many, reader_facts
from outrider.pages import Page


def _grant(client: TestClient, world: Any, mid: int, who: str) -> int:
    until = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    resp = client.post(
        f"/api/v1/movements/{mid}/grants",
        json={"user_id": world[who].user_id, "reason": "route sweep", "expires_at": until},
        headers=world["coord"].headers,
    )
    assert resp.status_code in (200, 201), resp.text
    return int(resp.json()["id"])


def _visible(client: TestClient, world: Any, who: str, mid: int) -> bool:
    resp = client.get("/api/v1/movements?limit=500", headers=world[who].headers)
    assert resp.status_code == 200, resp.text
    return bool(next(line for line in resp.json()["items"] if line["id"] == mid)["itinerary_visible"])


def test_every_readers_decisions_are_those_of_the_whole_facts(client: TestClient, world: Any) -> None:
    mid = under_way(client, world)
    _grant(client, world, mid, "analyst")
    revoked = _grant(client, world, mid, "auditor")
    client.delete(f"/api/v1/movements/{mid}/grants/{revoked}", headers=world["coord"].headers)
    now = db.utcnow() + timedelta(seconds=1)
    with db.transaction() as session:
        readers = [caller_of(u) for u in session.query(User).order_by(User.id)]
        _, arrangement = service.current_arrangement(session)
        kinds: set[frozenset[Relationship]] = set()
        for reader in readers:
            lines = board.candidate_lines(session, caller=reader, filters=service.EVERYTHING, now=now)
            whole = facts_many(session, lines, when=now)
            for line in lines:
                mine = reader_facts(reader, line, release_hours=arrangement.itinerary_release_hours)
                expected = itinerary_access(reader, whole[line.id], now=now)
                got = itinerary_access(reader, mine, now=now)
                assert (got.allowed, got.relationships) == (expected.allowed, expected.relationships)
                kinds.add(got.relationships)
    # the readers met planners, escorts, approvers, grantees and nobody at all
    assert {Relationship.planner, Relationship.grant} <= {r for k in kinds for r in k}
    assert frozenset() in kinds


def test_a_revoked_grant_hides_the_itinerary_at_the_next_board_read(client: TestClient, world: Any) -> None:
    mid = under_way(client, world)
    assert not _visible(client, world, "analyst", mid)
    grant = _grant(client, world, mid, "analyst")
    assert _visible(client, world, "analyst", mid)
    client.delete(f"/api/v1/movements/{mid}/grants/{grant}", headers=world["coord"].headers)
    assert not _visible(client, world, "analyst", mid)


def test_the_boards_json_is_the_models(client: TestClient, world: Any) -> None:
    under_way(client, world)
    for who in ("coord", "duty", "analyst", "liaison", "other_coord"):
        resp = client.get("/api/v1/movements", headers=world[who].headers)
        assert resp.status_code == 200 and resp.headers["content-type"] == "application/json"
        model = Page[s.BoardItem].model_validate_json(resp.content)
        assert (
            model.model_dump_json().encode() == resp.content
        )  # every field, in order, as the model writes it
