"""The escort commander's phone in headless Chromium (390x844, touch, geolocation granted) on the demo (a
server of this module's own): check in with the emulated position; go offline, check in three times and hold
SOS, reload (the app shell and the movement still show), come back online: exactly three check-ins and one
SOS alert are stored, in device order. No field page, nor the board, a movement's page or the alerts page
scrolls sideways at 390 px, in English, Chinese and Urdu. Screenshots go to test-output/web/ and, for the
docs, to docs/img/field/ (the field pages, when OUTRIDER_DOC_SHOTS=1).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from test_web_browser import ARGS, CHROMIUM, ROOT, SHOTS, Server, server

pytestmark = pytest.mark.browser
__all__ = ["server"]  # the module's own demo server (module-scoped fixture)

PHONE = {"width": 390, "height": 844}
DOC_SHOTS = ROOT / "docs" / "img" / "field"
# no sideways scroll: a mobile browser zooms out to fit a page wider than the screen, which widens innerWidth
# with it, so the width is also held to the layout viewport's (the phone's 390 px)
WIDE = "document.scrollingElement.scrollWidth <= Math.min(innerWidth, document.documentElement.clientWidth)"


@pytest.fixture(scope="module")
def phone(server: Server) -> Iterator[Any]:
    """One phone (a browser context) signed in as the demo's duty officer, who serves in every escort unit."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = chromium.new_context(
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            locale="en-GB",
            geolocation={"latitude": 24.9, "longitude": 67.16},
            permissions=["geolocation"],
        )
        context.set_default_timeout(20_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        _sign_in(page, server, "/field")
        page.wait_for_selector("body[data-offline-ready='true']")
        yield context, page
        context.close()
        chromium.close()
        assert errors == [], errors


def _shot(page: Any, name: str, *, doc: bool = True) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    if doc and os.environ.get("OUTRIDER_DOC_SHOTS") == "1":
        DOC_SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOC_SHOTS / f"{name}.png"))


def _database(server: Server) -> Any:
    return create_engine(f"sqlite:///{Path(server.env['OUTRIDER_DATA_DIR']) / 'outrider.db'}")


def _on_the_road(server: Server) -> dict[str, Any]:
    mine = server.api("GET", "me/movements", "duty")
    return next(m for m in mine if m["status"] == "under_way" and m["itinerary_visible"])


def _any_of_mine(server: Server) -> int:
    return int(server.api("GET", "me/movements", "duty")[0]["id"])


def _open(page: Any, server: Server, movement: dict[str, Any]) -> None:
    page.goto(f"{server.base}/field/movements/{movement['id']}")
    page.wait_for_selector("body[data-map-ready='true']")


def _result(page: Any, wanted: str) -> None:
    page.wait_for_function(
        "w => document.getElementById('action-result').textContent === w", arg=wanted, timeout=20_000
    )


def _waiting(page: Any) -> int:
    return int(page.get_attribute("#queue-waiting", "data-count") or "0")


def test_check_in_with_the_position_of_the_phone(phone: Any, server: Server) -> None:
    context, page = phone
    movement = _on_the_road(server)
    lon, lat = movement["route"][1]
    context.set_geolocation({"latitude": lat, "longitude": lon, "accuracy": 20})
    _shot(page, "field-my-movements-390x844")
    _open(page, server, movement)
    page.wait_for_function("() => document.getElementById('position').textContent.includes('±20 m')")
    assert page.evaluate(WIDE)
    page.click("#checkin-button")
    _result(page, "Check-in recorded.")
    assert _waiting(page) == 0
    assert re.search(r"last confirmed \d\d:\d\d", page.inner_text("#queue-confirmed"))
    _shot(page, "field-movement-390x844")
    latest = server.api("GET", f"movements/{movement['id']}/checkins", "duty")[-1]
    assert (latest["lat"], latest["lon"], latest["status"]) == (pytest.approx(lat), pytest.approx(lon), "ok")
    # a movement approved but not yet departed offers SOS alone
    approved = next(m for m in server.api("GET", "me/movements", "duty") if m["status"] == "approved")
    page.goto(f"{server.base}/field/movements/{approved['id']}")
    assert page.is_visible("#not-departed") and page.is_visible("#sos-button")
    assert page.is_hidden("#checkin-form") and page.is_hidden("#delayed-form")


def _sign_in(page: Any, server: Server, then: str) -> None:
    page.goto(f"{server.base}/login?next={then}")
    page.fill("#username", "duty")
    page.fill("#password", server.passwords["duty"])
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(re.compile(f".*{then}$"))


def test_a_check_in_made_after_the_session_ended_waits_for_the_next_sign_in(
    phone: Any, server: Server
) -> None:
    context, page = phone
    movement = _on_the_road(server)
    _open(page, server, movement)
    count = len(server.api("GET", f"movements/{movement['id']}/checkins", "duty"))
    context.clear_cookies()  # the session is gone (expired, or revoked from another device)
    page.click("#checkin-button")
    _result(page, "Check-in queued: it is sent when the network returns.")
    assert page.is_visible("#queue-signin") and _waiting(page) == 1
    path = f"/field/movements/{movement['id']}"
    _sign_in(page, server, path)
    page.wait_for_function("() => document.getElementById('queue-waiting').dataset.count === '0'")
    assert len(server.api("GET", f"movements/{movement['id']}/checkins", "duty")) == count + 1


def test_offline_check_ins_and_an_sos_are_sent_in_device_order_when_the_network_returns(
    phone: Any, server: Server
) -> None:
    context, page = phone
    movement = _on_the_road(server)
    _open(page, server, movement)
    engine = _database(server)
    with engine.connect() as conn:
        before = conn.execute(
            text("SELECT count(*) FROM movement_checkins WHERE movement_id = :m"), {"m": movement["id"]}
        ).scalar_one()
    context.set_offline(True)
    for _ in range(3):
        page.click("#checkin-button")
        _result(page, "Check-in queued: it is sent when the network returns.")
        page.evaluate("document.getElementById('action-result').textContent = ''")
    page.click("#sos-button")  # a tap does nothing
    page.wait_for_timeout(300)
    assert _waiting(page) == 3
    box = page.locator("#sos-button").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.wait_for_timeout(2300)
    page.mouse.up()
    _result(page, "SOS queued: it is sent the moment the network returns.")
    assert _waiting(page) == 4
    page.reload()  # offline: the service worker answers with the app shell and the movement
    page.wait_for_selector("body[data-map-ready='true']")
    assert movement["reference"] in page.inner_text("h1")
    page.wait_for_function("() => document.getElementById('queue-waiting').dataset.count === '4'")
    assert not page.is_hidden("#net-state")
    _shot(page, "field-offline-390x844")
    context.set_offline(False)
    page.wait_for_function("() => document.getElementById('queue-waiting').dataset.count === '0'")
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT status, device_seq FROM movement_checkins WHERE movement_id = :m ORDER BY id"),
            {"m": movement["id"]},
        ).all()
        after = conn.execute(
            text("SELECT count(*) FROM movement_checkins WHERE movement_id = :m"), {"m": movement["id"]}
        ).scalar_one()
        alerts = conn.execute(
            text("SELECT count(*) FROM alerts WHERE kind = 'sos' AND subject_id = :m"),
            {"m": str(movement["id"])},
        ).scalar_one()
    engine.dispose()
    assert after - before == 4 and alerts == 1
    new = rows[-4:]
    assert [r.status for r in new] == ["ok", "ok", "ok", "sos"]
    seqs = [r.device_seq for r in new]
    assert seqs == sorted(seqs) and len(set(seqs)) == 4


@pytest.mark.parametrize("lang", ["en", "zh-Hans", "ur"])
def test_no_page_of_the_phone_scrolls_sideways(phone: Any, server: Server, lang: str) -> None:
    context, page = phone
    context.add_cookies([{"name": "outrider_lang", "value": lang, "url": server.base}])
    mid = _any_of_mine(server)
    for path in ("/field", f"/field/movements/{mid}", "/movements", f"/movements/{mid}", "/alerts"):
        page.goto(f"{server.base}{path}")
        page.wait_for_load_state("load")
        assert page.evaluate(WIDE), (lang, path, page.evaluate("document.scrollingElement.scrollWidth"))
        header = page.locator("header.top").bounding_box()
        assert header["height"] <= 60, (lang, path, header)  # the compact header: one line
    if lang == "ur":
        _shot(page, "alerts-ur-390x844", doc=False)
    # the check would see a page wider than the screen
    page.evaluate(
        "document.getElementById('main').insertAdjacentHTML('beforeend', '<p style=width:600px>x</p>')"
    )
    assert not page.evaluate(WIDE)
    page.goto(f"{server.base}/movements")
    page.click(".nav-toggle")
    assert page.locator("nav#main-nav").is_visible()
    context.add_cookies([{"name": "outrider_lang", "value": "en", "url": server.base}])
