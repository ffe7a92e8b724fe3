"""The field pages in the web policy matrix: the requests and actors that `test_web_access` checks for each
field route (it merges them into its own).

A movement's field page is for its lead (the coordinator who planned it) and the members of its escort
units (the duty officer), once it is on the road: the scene puts one on the road for it. The queue's JSON
endpoints take the same actors as the operations room's check-in (those who report progress): on the
scene's submitted movement they are refused by the lifecycle (409), everyone else by the policy.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from field_scenes import on_the_road
from outrider.http import csrf_token
from outrider.settings import get_settings

FIELD_ALLOWED: dict[str, set[str]] = {"field.mine": {"coord", "duty"}}
Request = Callable[[TestClient, Any, Any, str], Any]
_N = itertools.count()


def _headers(world: Any, who: str, *, change: bool) -> dict[str, str]:
    basis = "anon-nonce" if who == "anon" else world[who].token
    cookie = "outrider_pre=anon-nonce" if who == "anon" else f"outrider_session={basis}"
    out = {"Cookie": cookie}
    if change:
        out["X-CSRF-Token"] = csrf_token(get_settings().secret_key, basis)
    return out


def _on_the_road(client: TestClient, world: Any, scene: Any) -> int:
    if getattr(scene, "field_movement", None) is None:
        scene.field_movement = on_the_road(client, world, call_sign=f"FM-{next(_N)}", member="duty")
    return int(scene.field_movement)


def _field_page(client: TestClient, world: Any, scene: Any, who: str) -> Any:
    mid = _on_the_road(client, world, scene)
    return client.get(
        f"/field/movements/{mid}", headers=_headers(world, who, change=False), follow_redirects=False
    )


def _action(kind: str, body: dict[str, Any]) -> Request:
    def run(client: TestClient, world: Any, scene: Any, who: str) -> Any:
        payload = {**body, "idempotency_key": f"matrix-{kind}-{who}-{next(_N)}"}
        return client.post(
            f"/field/movements/{scene.movement}/{kind}",
            json=payload,
            headers=_headers(world, who, change=True),
            follow_redirects=False,
        )

    return run


def _pins(client: TestClient, world: Any, scene: Any, who: str) -> Any:
    return client.post(
        "/account/field-pins",
        data={"pin": "2468", "duress_pin": "1357"},
        headers=_headers(world, who, change=True),
        follow_redirects=False,
    )


FIELD_REQUESTS: dict[str, Request] = {
    "GET /field": lambda client, world, scene, who: client.get(
        "/field", headers=_headers(world, who, change=False), follow_redirects=False
    ),
    "GET /field/movements/{movement_id}": _field_page,
    "POST /field/movements/{movement_id}/checkins": _action("checkins", {"status": "ok"}),
    "POST /field/movements/{movement_id}/sos": _action("sos", {}),
    "POST /account/field-pins": _pins,
}
