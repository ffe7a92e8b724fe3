"""The movement page offers the decision and the escort only to the force that speaks for the host party."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from test_web_access import _api, _movement, session_headers

from outrider import db
from outrider.accounts import service as accounts_service
from outrider.accounts.schemas import Role, TokenCreate, UserCreate


def test_a_rival_host_force_is_offered_neither_decision_nor_escort(
    web_client: TestClient, client: TestClient, world: Any
) -> None:
    rival = _api(
        client,
        world,
        "admin",
        "organizations",
        {"name": "Rival Force", "kind": "host_security", "country": "PK"},
    )
    with db.transaction() as session:
        user, _ = accounts_service.create_user(
            session,
            data=UserCreate(username="rival_duty", organization_id=rival["id"], roles=[Role.duty_officer]),
            now=db.utcnow(),
        )
        _, token = accounts_service.issue_token(session, user=user, data=TokenCreate(), now=db.utcnow())
    mid = _movement(client, world, "coord", "PK")
    _api(client, world, "coord", f"movements/{mid}/submit", {})
    founding = web_client.get(f"/movements/{mid}", headers=session_headers(world, "duty"))
    assert founding.status_code == 200
    assert 'id="decide-form"' in founding.text and f'action="/movements/{mid}/escort"' in founding.text
    rival_page = web_client.get(f"/movements/{mid}", headers={"Cookie": f"outrider_session={token}"})
    assert rival_page.status_code == 200, rival_page.text
    assert 'id="decide-form"' not in rival_page.text
    assert f'action="/movements/{mid}/escort"' not in rival_page.text
