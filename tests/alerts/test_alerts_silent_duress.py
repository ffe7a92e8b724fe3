"""A silent duress alert is never shown to the person who signalled it, on any face, while everyone else
entitled to it still sees it (SQLite and PostgreSQL): the captor may hold their phone, their session or their
token, and the alert on their screen would tell that the alarm was raised."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from field_scenes import on_the_road, set_pins
from outrider import db
from outrider.accounts.models import User
from outrider.alerts import service as alerts_service
from outrider.alerts import views
from outrider.alerts.models import Alert
from outrider.cli import app
from outrider.http import caller_of
from outrider.registry.models import EscortUnit

runner = CliRunner()


def _duress(client: TestClient, world: Any, who: str, mid: int, key: str) -> None:
    """``who`` checks in on ``mid`` with the duress PIN: answered as an ordinary check-in."""
    resp = client.post(
        f"/api/v1/movements/{mid}/checkins",
        json={"idempotency_key": key, "pin": "9876"},
        headers=world[who].headers,
    )
    assert resp.status_code == 201 and resp.json()["status"] == "ok", resp.text


def _duress_alert(mid: int) -> int:
    with db.transaction() as session:
        return session.scalars(
            select(Alert.id).where(Alert.kind == "movement_duress", Alert.subject_id == str(mid))
        ).one()


def _web(world: Any, who: str) -> dict[str, str]:
    return {"Cookie": f"outrider_session={world[who].token}"}


def _names(text: str, alert_id: int) -> bool:
    return re.search(rf"/alerts/{alert_id}\b", text) is not None


def _sees(client: TestClient, world: Any, who: str, alert_id: int, mid: int) -> dict[str, bool]:
    """Where ``who`` finds the alert: each face that lists or shows alerts."""
    api, web = world[who].headers, _web(world, who)
    listed = client.get("/api/v1/alerts", headers=api).json()["items"]
    unacknowledged = client.get("/api/v1/alerts?status=unacknowledged", headers=api).json()
    timeline = client.get(f"/api/v1/movements/{mid}/timeline", headers=api)
    bell = client.get("/alerts/bell?after=0", headers=web).json()
    cli_list = runner.invoke(app, ["alerts", "list", "--as", who, "--json"])
    with db.transaction() as session:
        caller = caller_of(session.get_one(User, world[who].user_id))
        since = datetime(2000, 1, 1, tzinfo=UTC)
        streamed = [a.id for a in alerts_service.changed_since(session, caller=caller, since=since)]
    return {
        "api list": alert_id in [a["id"] for a in listed],
        "api count": unacknowledged["total"] == 1,
        "api alert": client.get(f"/api/v1/alerts/{alert_id}", headers=api).status_code == 200,
        "api notes": client.get(f"/api/v1/alerts/{alert_id}/notes", headers=api).status_code == 200,
        "api deliveries": client.get(f"/api/v1/notify/alerts/{alert_id}/deliveries", headers=api).status_code
        == 200,
        "cap feed": _names(client.get("/api/v1/alerts/cap.atom", headers=api).text, alert_id),
        "timeline": timeline.status_code == 200
        and "alert_movement_duress" in [e["kind"] for e in timeline.json()],
        "web list": _names(client.get("/alerts", headers=web).text, alert_id),
        "web page": client.get(f"/alerts/{alert_id}", headers=web).status_code == 200,
        "bell count": bell["count"] == 1,
        "bell critical": alert_id in [c["id"] for c in bell["critical"]],
        "stream": alert_id in streamed,
        "cli list": alert_id in [a["id"] for a in json.loads(cli_list.stdout)["items"]],
        "cli show": runner.invoke(app, ["alerts", "show", str(alert_id), "--as", who]).exit_code == 0,
    }


def test_a_silent_duress_alert_is_hidden_from_its_signaller_on_every_face(
    client: TestClient, world: Any
) -> None:
    mid = on_the_road(client, world)  # led by coord (acme), escorted by duty (a host duty officer)
    set_pins(client, world, "duty")
    _duress(client, world, "duty", mid, "forced")
    alert_id = _duress_alert(mid)
    hidden = _sees(client, world, "duty", alert_id, mid)
    assert not any(hidden.values()), hidden
    # everyone else entitled to it sees it: the lead (on the need-to-know list) and the host's admin (not)
    for who in ("coord", "admin"):
        seen = _sees(client, world, who, alert_id, mid)
        assert [k for k, v in seen.items() if not v and (k != "timeline" or who == "coord")] == [], (
            who,
            seen,
        )
    # nor can it be given to them to work on (to them it does not exist)
    given = client.post(
        f"/api/v1/alerts/{alert_id}/assign",
        json={"user_id": world["duty"].user_id},
        headers=world["admin"].headers,
    )
    assert given.status_code == 422, given.text
    page = client.get(f"/alerts/{alert_id}", headers=_web(world, "admin")).text
    assert f'value="{world["duty"].user_id}"' not in page


def test_a_second_signaller_is_hidden_from_too_and_the_first_stays_hidden(
    client: TestClient, world: Any
) -> None:
    """The lead also signals duress on the same movement: the open alert is refreshed, and neither of the two
    sees it; the desk still does."""
    mid = on_the_road(client, world)
    set_pins(client, world, "duty")
    set_pins(client, world, "coord")
    _duress(client, world, "duty", mid, "first")
    _duress(client, world, "coord", mid, "second")
    alert_id = _duress_alert(mid)
    with db.transaction() as session:
        alert = session.get_one(Alert, alert_id)
        assert views.silent_to(alert) == {world["duty"].user_id, world["coord"].user_id}
    for who in ("duty", "coord"):
        assert client.get(f"/api/v1/alerts/{alert_id}", headers=world[who].headers).status_code == 404
        assert client.get("/api/v1/alerts", headers=world[who].headers).json()["total"] == 0
    assert client.get(f"/api/v1/alerts/{alert_id}", headers=world["admin"].headers).status_code == 200


def test_a_routine_check_in_and_other_alerts_are_untouched(client: TestClient, world: Any) -> None:
    """Only the duress alert is hidden, only from its signaller: an SOS the escort raises aloud is theirs."""
    mid = on_the_road(client, world)
    sos = client.post(
        f"/api/v1/movements/{mid}/sos",
        json={"idempotency_key": "aloud"},
        headers=world["duty"].headers,
    )
    assert sos.status_code == 201, sos.text
    kinds = [a["kind"] for a in client.get("/api/v1/alerts", headers=world["duty"].headers).json()["items"]]
    assert kinds == ["sos"]


def test_a_feed_key_of_the_signaller_reads_no_duress_alert(client: TestClient, world: Any) -> None:
    """The CAP feed is the organisation's: a key its other administrators made shows the alert; a key the
    signaller made (they hold it, as their own session) never does, made before the signal or after."""
    from outrider.notify.cli_feed import feed_keys_app

    def key_of(who: str) -> str:
        made = runner.invoke(feed_keys_app, ["create", f"{who}'s wall", "--as", who, "--json"])
        assert made.exit_code == 0, made.output
        return str(json.loads(made.stdout)["key"])

    mid = on_the_road(client, world, member=None)
    with db.transaction() as session:  # the host's administrator escorts, added by its duty officer
        unit = session.scalars(select(EscortUnit.id).where(EscortUnit.call_sign == "F-1")).one()
    added = client.post(
        f"/api/v1/escort-units/{unit}/members",
        json={"user_id": world["admin"].user_id},
        headers=world["duty"].headers,
    )
    assert added.status_code == 201, added.text
    before = key_of("admin")
    set_pins(client, world, "admin")
    _duress(client, world, "admin", mid, "forced")
    alert_id = _duress_alert(mid)
    feeds = {
        "signaller's key, made before": before,
        "signaller's key, made after": key_of("admin"),
        "the owner's key": key_of("acme_admin"),
    }
    seen = {
        name: _names(client.get("/api/v1/alerts/cap.atom", params={"key": key}).text, alert_id)
        for name, key in feeds.items()
    }
    assert seen == {
        "signaller's key, made before": False,
        "signaller's key, made after": False,
        "the owner's key": True,
    }


def test_the_bells_cursor_moves_only_over_alerts_its_reader_sees(client: TestClient, world: Any) -> None:
    """The bell's cursor (the newest alert id a page remembers) never moves for the duress alert on the
    signaller's page, so its arrival cannot be told from it; an alert they may read moves it."""
    mid = on_the_road(client, world)

    def cursor(who: str) -> int:
        return int(client.get("/alerts/bell?after=0", headers=_web(world, who)).json()["after"])

    before = cursor("duty")
    set_pins(client, world, "duty")
    _duress(client, world, "duty", mid, "forced")
    alert_id = _duress_alert(mid)
    assert cursor("duty") == before < alert_id == cursor("admin")
    sos = client.post(
        f"/api/v1/movements/{mid}/sos", json={"idempotency_key": "aloud"}, headers=world["coord"].headers
    )
    assert sos.status_code == 201, sos.text
    assert cursor("duty") == sos.json()["alert_id"] > alert_id
