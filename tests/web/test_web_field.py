"""The field face without a browser: my movements, the queue's JSON endpoints (the web session and its CSRF
token; refusals as problem+json with the reason, nothing written), the field PINs form, the manifest and the
service worker (SQLite and PostgreSQL).
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from field_scenes import on_the_road, set_pins
from outrider import db
from outrider.alerts.models import Alert
from outrider.http import csrf_token
from outrider.movements.models import CheckIn
from outrider.settings import get_settings

_N = itertools.count()


def _session(world: Any, who: str, *, csrf: bool = True) -> dict[str, str]:
    token = world[who].token
    headers = {"Cookie": f"outrider_session={token}"}
    if csrf:
        headers["X-CSRF-Token"] = csrf_token(get_settings().secret_key, token)
    return headers


def _body(**extra: Any) -> dict[str, Any]:
    n = next(_N)
    return {"idempotency_key": f"phone-{n}", "device_id": "phone-A", "device_seq": n, **extra}


def _checkins(mid: int) -> list[CheckIn]:
    with db.transaction() as session:
        rows = session.scalars(select(CheckIn).where(CheckIn.movement_id == mid).order_by(CheckIn.id))
        return list(rows)


def _post(
    client: TestClient, world: Any, who: str, mid: int, body: dict[str, Any], kind: str = "checkins"
) -> Any:
    return client.post(f"/field/movements/{mid}/{kind}", json=body, headers=_session(world, who))


def test_my_movements_and_the_movement_page_for_the_lead_and_the_escort_only(
    client: TestClient, world: Any
) -> None:
    mid = on_the_road(client, world)
    for who, role in (("duty", "you escort it"), ("coord", "you lead it")):
        page = client.get("/field", headers=_session(world, who, csrf=False))
        assert page.status_code == 200 and f'href="/field/movements/{mid}"' in page.text and role in page.text
        one = client.get(f"/field/movements/{mid}", headers=_session(world, who, csrf=False))
        assert one.status_code == 200 and 'id="sos-button"' in one.text and 'id="pin"' not in one.text
    # the liaison reads the movement elsewhere but neither leads nor escorts it
    assert f"/field/movements/{mid}" not in client.get("/field", headers=_session(world, "liaison")).text
    other = client.get(f"/field/movements/{mid}", headers=_session(world, "liaison", csrf=False))
    assert other.status_code == 404


def test_the_queue_endpoints_refuse_without_the_session_or_its_token(client: TestClient, world: Any) -> None:
    mid = on_the_road(client, world)
    no_token = client.post(
        f"/field/movements/{mid}/checkins", json=_body(), headers=_session(world, "duty", csrf=False)
    )
    assert no_token.status_code == 403
    assert no_token.headers["content-type"].startswith("application/problem+json")
    assert no_token.json()["type"] == "urn:outrider:problem:csrf"
    other_token = {**_session(world, "duty"), "X-CSRF-Token": csrf_token(get_settings().secret_key, "x")}
    assert client.post(f"/field/movements/{mid}/sos", json=_body(), headers=other_token).status_code == 403
    signed_out = client.post(f"/field/movements/{mid}/checkins", json=_body())
    assert signed_out.status_code == 401 and "sign in again" in signed_out.json()["detail"]
    # the token in the payload serves as well as the header
    token = csrf_token(get_settings().secret_key, world["duty"].token)
    in_body = client.post(
        f"/field/movements/{mid}/checkins",
        json=_body(csrf_token=token, lat=24.9, lon=67.16),
        headers=_session(world, "duty", csrf=False),
    )
    assert in_body.status_code == 200, in_body.text
    assert len(_checkins(mid)) == 1


def test_a_check_in_is_stored_with_its_position_and_a_replay_answers_the_stored_result(
    client: TestClient, world: Any
) -> None:
    mid = on_the_road(client, world)
    body = _body(lat=24.9001, lon=67.1602)
    first = _post(client, world, "duty", mid, body)
    assert first.status_code == 200, first.text
    answer = first.json()
    assert answer["new"] is True and answer["status"] == "ok" and answer["kind"] == "checkin"
    again = _post(client, world, "duty", mid, body)
    assert again.status_code == 200 and again.json() == {**answer, "new": False}
    [stored] = _checkins(mid)
    assert (stored.lat, stored.lon, stored.device_id) == (24.9001, 67.1602, "phone-A")


def test_bad_replays_are_refused_with_their_reason_and_nothing_is_written(
    client: TestClient, world: Any
) -> None:
    mid = on_the_road(client, world)
    other = on_the_road(client, world, call_sign="F-2")
    body = _body()
    assert _post(client, world, "duty", mid, body).status_code == 200
    elsewhere = _post(client, world, "duty", other, body)
    assert (
        elsewhere.status_code == 409 and elsewhere.json()["detail"] == f"this key was used for movement {mid}"
    )
    backwards = _post(client, world, "duty", mid, {**_body(), "device_seq": body["device_seq"]})
    assert backwards.status_code == 409
    assert backwards.json()["detail"].startswith("device sequence went backwards")
    no_reason = _post(client, world, "duty", mid, _body(status="delayed"))
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["detail"]
    arrived = _post(client, world, "duty", mid, _body(status="arrived"))
    assert arrived.status_code == 422
    assert len(_checkins(mid)) == 1 and _checkins(other) == []


def test_a_duress_pin_is_answered_and_shown_as_an_ordinary_check_in(client: TestClient, world: Any) -> None:
    mid = on_the_road(client, world)
    set_pins(client, world, "duty")
    ok = _post(client, world, "duty", mid, _body(pin="1234")).json()
    duress = _post(client, world, "duty", mid, _body(pin="9876")).json()
    assert set(ok) == set(duress)
    assert {k: v for k, v in duress.items() if k not in ("id", "at", "received_at")} == {
        k: v for k, v in ok.items() if k not in ("id", "at", "received_at")
    }
    wrong = _post(client, world, "duty", mid, _body(pin="5555"))
    assert wrong.status_code == 422 and "PIN" in wrong.json()["detail"]
    assert [c.status for c in _checkins(mid)] == ["ok", "duress"]
    page = client.get(f"/field/movements/{mid}", headers=_session(world, "duty", csrf=False)).text
    # the phone shows the movement under way and its last check-in ok; the desk sees the incident
    assert 'id="pin"' in page and "status-under_way" in page and "status-incident" not in page
    # nor does it ring: the desk's alert bell (which would count the duress alert) is off on the phone
    assert 'id="alert-bell"' not in page and "alert_bell.js" not in page
    config = json.loads(page.split('id="map-config">', 1)[1].split("</script>", 1)[0])
    assert config["field"]["status"] == "under_way" and config["field"]["last_checkin"]["status"] == "ok"
    # the desk's page shows it ordinary to its signaller too (they may be forced to open it), the incident to
    # the rest of the desk
    desk = client.get(f"/movements/{mid}", headers=_session(world, "duty", csrf=False)).text
    assert "status-under_way" in desk and "status-incident" not in desk and 'id="alert-bell"' in desk
    lead = client.get(f"/movements/{mid}", headers=_session(world, "coord", csrf=False)).text
    assert "status-incident" in lead


def test_an_sos_raises_one_critical_alert(client: TestClient, world: Any) -> None:
    mid = on_the_road(client, world)
    body = _body(lat=24.95, lon=67.2)
    first = _post(client, world, "coord", mid, body, kind="sos")
    assert first.status_code == 200 and first.json()["kind"] == "sos" and first.json()["new"] is True
    assert _post(client, world, "coord", mid, body, kind="sos").json()["new"] is False
    with db.transaction() as session:
        alerts = session.scalar(
            select(func.count()).select_from(Alert).where(Alert.kind == "sos", Alert.subject_id == str(mid))
        )
    assert alerts == 1


def test_the_account_page_sets_the_field_pins(client: TestClient, world: Any) -> None:
    headers = _session(world, "duty")
    page = client.get("/account", headers=headers)
    assert 'action="/account/field-pins"' in page.text and "No PINs set" in page.text
    same = client.post("/account/field-pins", data={"pin": "1234", "duress_pin": "1234"}, headers=headers)
    assert same.status_code == 422 and 'id="field-duress-pin-error"' in same.text
    short = client.post("/account/field-pins", data={"pin": "12", "duress_pin": "9876"}, headers=headers)
    assert short.status_code == 422 and 'id="field-pin-error"' in short.text
    saved = client.post(
        "/account/field-pins",
        data={"pin": "1234", "duress_pin": "9876"},
        headers=headers,
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/account?done=field_pins_set"
    assert "Your PINs are set" in client.get("/account", headers=headers).text


def test_the_app_is_installable(client: TestClient) -> None:
    manifest = client.get("/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["start_url"] == "/field" and body["display"] == "standalone"
    assert {i["sizes"] for i in body["icons"]} == {"192x192", "512x512"}
    for icon in body["icons"]:
        png = client.get(icon["src"])
        assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.headers["service-worker-allowed"] == "/"
    assert worker.headers["content-type"].startswith("text/javascript")
    assert "importScripts" in worker.text
