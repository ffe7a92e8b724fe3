"""The sharing page in the web policy matrix: the requests and actors that `test_web_access` checks for each
sharing route (it merges them into its own).

The scene: a release policy for the partner embassy, agreed by both founding parties, and one release to
it, so that the embassy's liaison reads its own organisation's releases; a company's users read none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from outrider import db
from outrider.accounts.models import User
from outrider.http import caller_of, csrf_token
from outrider.settings import get_settings

SHARING_ALLOWED: dict[str, set[str]] = {
    "sharing.ledger": {"admin", "auditor", "analyst", "liaison"},  # the liaison: the embassy's own releases
    "sharing.decide": {"admin"},  # the founding host's administrator (the partner's is not an actor here)
}
TERMS = {"max_marking": "TLP:GREEN", "object_types": ["event"], "fields": {"event": "*"}}


def _headers(world: Any, who: str, *, change: bool = False) -> dict[str, str]:
    basis = "anon-nonce" if who == "anon" else world[who].token
    out = {"Cookie": "outrider_pre=anon-nonce" if who == "anon" else f"outrider_session={basis}"}
    if change:
        out["X-CSRF-Token"] = csrf_token(get_settings().secret_key, basis)
    return out


def proposed(world: Any, *, agree: bool) -> tuple[int, str]:
    """A new version of the embassy's policy proposed by its administrator (agreed by both if asked)."""
    from outrider.sharing import policy_store

    with db.transaction() as session:
        host, partner = (
            caller_of(session.get_one(User, world[n].user_id)) for n in ("admin", "embassy_admin")
        )
        now = db.utcnow()
        row = policy_store.propose(
            session, caller=partner, partner_org_id=world.orgs["embassy"], terms=TERMS, comment="", now=now
        )
        for who in (partner, host) if agree else ():
            policy_store.approve(
                session, caller=who, policy_id=row.id, payload_hash=row.payload_hash, now=now
            )
        return row.id, row.payload_hash


def released(world: Any) -> None:
    """The agreed policy and one export to the embassy, once per scene's database."""
    from outrider.sharing import service
    from outrider.sharing.models import SharingPolicy

    with db.transaction() as session:
        if session.scalar(select(SharingPolicy.id).limit(1)) is not None:
            return
    proposed(world, agree=True)
    with db.transaction() as session:
        analyst = caller_of(session.get_one(User, world["analyst"].user_id))
        service.export(session, caller=analyst, partner_org_id=world.orgs["embassy"], now=db.utcnow())


Request = Callable[[TestClient, Any, Any, str], Any]


def _get(path: str) -> Request:
    def run(client: TestClient, world: Any, scene: Any, who: str) -> Any:
        released(world)
        return client.get(path, headers=_headers(world, who), follow_redirects=False)

    return run


def _approve(client: TestClient, world: Any, scene: Any, who: str) -> Any:
    pid, digest = proposed(world, agree=False)
    return client.post(
        f"/sharing/policies/{pid}/approve",
        data={"payload_hash": digest},
        headers=_headers(world, who, change=True),
        follow_redirects=False,
    )


def _default(client: TestClient, world: Any, scene: Any, who: str) -> Any:
    return client.post(
        "/sharing/default-marking",
        data={"marking": "TLP:GREEN"},
        headers=_headers(world, who, change=True),
        follow_redirects=False,
    )


SHARING_REQUESTS: dict[str, Request] = {
    "GET /sharing": _get("/sharing"),
    "GET /sharing/ledger.{fmt}": _get("/sharing/ledger.csv"),
    "POST /sharing/policies/{policy_id}/approve": _approve,
    "POST /sharing/default-marking": _default,
}
