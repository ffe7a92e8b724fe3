"""The movement page shows what holds the departure and who can clear it; the host's duty officer gets
the override form (the company and the partner do not), and the override shows to both parties."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from test_gate_alerts import REASON, RULE, agree, approved_from_the_airport, dwell

from outrider.http import csrf_token
from outrider.settings import get_settings


def _headers(world: Any, who: str, *, change: bool = False) -> dict[str, str]:
    token = world[who].token
    headers = {"Cookie": f"outrider_session={token}"}
    if change:
        headers["X-CSRF-Token"] = csrf_token(get_settings().secret_key, token)
    return headers


def test_the_departure_gate_on_the_movement_page(client: TestClient, world: Any) -> None:
    agree(world)
    m = approved_from_the_airport(client, world)
    mid = m["id"]
    alert = dwell(m["site"], m["reference"], "LEC-4410")
    page = client.get(f"/movements/{mid}", headers=_headers(world, "coord"))
    assert page.status_code == 200 and f'hx-get="/movements/{mid}/departure-gate"' in page.text

    seen = client.get(f"/movements/{mid}/departure-gate", headers=_headers(world, "coord"))
    assert seen.status_code == 200 and 'id="departure-held"' in seen.text
    assert f"Alert {alert}" in seen.text and "LEC-4410 inside the outer cordon" in seen.text
    assert "Host Protection Unit" in seen.text and 'id="override-form"' not in seen.text
    assert (
        'id="override-form"'
        not in client.get(f"/movements/{mid}/departure-gate", headers=_headers(world, "liaison")).text
    )
    duty = client.get(f"/movements/{mid}/departure-gate", headers=_headers(world, "duty"))
    assert 'id="override-form"' in duty.text and f'value="{RULE}"' in duty.text
    chinese = client.get(f"/movements/{mid}/departure-gate?lang=zh-Hans", headers=_headers(world, "duty"))
    assert chinese.status_code == 200

    refused = client.post(
        f"/movements/{mid}/protocol-overrides",
        data={"rule_id": RULE, "reason": REASON},
        headers=_headers(world, "coord", change=True),
        follow_redirects=False,
    )
    assert refused.status_code == 403
    done = client.post(
        f"/movements/{mid}/protocol-overrides",
        data={"rule_id": RULE, "reason": REASON},
        headers=_headers(world, "duty", change=True),
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].startswith(f"/movements/{mid}")
    for who in ("coord", "liaison"):
        shown = client.get(f"/movements/{mid}/departure-gate", headers=_headers(world, who)).text
        assert 'id="departure-clear"' in shown and 'id="overrides"' in shown and REASON in shown
    assert (
        client.get(f"/movements/{mid}/departure-gate", headers=_headers(world, "other_coord")).status_code
        == 404
    )
