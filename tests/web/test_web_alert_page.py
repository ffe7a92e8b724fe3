"""One alert's page and the header's bell without a browser: the forms say what is missing beside the field
and keep the input, a refused act is refused as in the API, and the bell counts only what the reader may
read and announces only critical alerts raised after the page's cursor."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from test_web_access import session_headers

from outrider import db
from outrider.alerts import service
from outrider.alerts.schemas import Severity


def _raise(world: Any, subject: str, severity: Severity = Severity.high) -> int:
    with db.transaction() as session:
        alert, _ = service.raise_alert(
            session,
            kind="risk_rising",
            severity=severity,
            subject_type="site",
            subject_id=subject,
            title=f"risk rising at {subject}",
            organization_id=world.orgs["acme"],
            now=db.utcnow(),
        )
        return alert.id


def test_the_bell_counts_what_the_reader_may_read_and_announces_new_critical_alerts(
    web_client: TestClient, world: Any
) -> None:
    first = _raise(world, "dam")

    def bell(who: str, after: int | None = None) -> Any:
        url = "/alerts/bell" + ("" if after is None else f"?after={after}")
        resp = web_client.get(url, headers=session_headers(world, who))
        assert resp.status_code == 200 and resp.headers["cache-control"] == "no-store"
        return resp.json()

    assert bell("analyst") == {"count": 0, "after": 0, "critical": []}  # reads no alert: learns nothing
    assert bell("other_coord")["count"] == 0
    opened = bell("coord")
    assert opened == {"count": 1, "after": first, "critical": []}  # what was there before is no news
    critical = _raise(world, "camp", Severity.critical)
    _raise(world, "road", Severity.warning)
    later = bell("duty", after=opened["after"])
    assert later["count"] == 3 and [c["id"] for c in later["critical"]] == [critical]
    assert later["critical"][0]["title"] == "risk rising at camp"
    assert bell("duty", after=later["after"])["critical"] == []
    assert web_client.get("/alerts/bell", follow_redirects=False).status_code in (303, 401)


def test_the_alert_page_forms_keep_the_input_and_say_what_is_missing(
    web_client: TestClient, world: Any
) -> None:
    alert_id = _raise(world, "dam")
    url = f"/alerts/{alert_id}"
    coord = session_headers(world, "coord", change=True)
    web_client.follow_redirects = False
    page = web_client.get(url, headers=coord)
    assert page.status_code == 200 and 'id="assign-user"' in page.text
    assert f'value="{world["acme_admin"].user_id}"' in page.text  # a colleague who may take charge
    assert f'value="{world["duty"].user_id}"' not in page.text  # the page offers the reader's colleagues
    blank = web_client.post(f"{url}/assign", data={"user_id": ""}, headers=coord)
    assert blank.status_code == 422 and "Choose who works on it." in blank.text
    stranger = web_client.post(f"{url}/assign", data={"user_id": world["other_coord"].user_id}, headers=coord)
    assert stranger.status_code == 422 and "may not read this alert" in stranger.text
    done = web_client.post(f"{url}/assign", data={"user_id": world["acme_admin"].user_id}, headers=coord)
    assert done.status_code == 303 and done.headers["location"] == f"{url}?done=alert_assigned"
    empty = web_client.post(f"{url}/notes", data={"text": "   "}, headers=coord)
    assert (
        empty.status_code == 422
        and "Say what is being done." in empty.text
        and 'aria-invalid="true"' in empty.text
    )
    noted = web_client.post(f"{url}/notes", data={"text": "patrol at the gate"}, headers=coord)
    assert noted.status_code == 303
    assert web_client.post(f"{url}/reopen", data={"reason": "x"}, headers=coord).status_code == 409  # open
    web_client.post(f"{url}/resolve", data={"reason": "checked"}, headers=coord)
    page = web_client.get(url, headers=coord)
    assert "patrol at the gate" in page.text and 'id="reopen-form"' in page.text
    assert 'id="note-form"' not in page.text  # resolved: no progress on it
    kept = web_client.post(f"{url}/reopen", data={"reason": " "}, headers=coord)
    assert kept.status_code == 422 and "Say why (a reason is required)." in kept.text
    assert web_client.post(f"{url}/reopen", data={"reason": "back again"}, headers=coord).status_code == 303
    assert web_client.get(url, headers=session_headers(world, "other_coord")).status_code == 404
