"""The alert desk in a real browser (headless Chromium at 1366x768, on the demo): the header's count of
unacknowledged alerts, a critical alert arriving while a page is open (the bell rings, the title flashes,
the browser's notification is shown when allowed), an alert page's assign and progress forms, and the count
going down when the alert is acknowledged. Few page loads: the alerts page, one alert's page, two forms."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from test_web_browser import Server, Session, browser, server  # noqa: F401  (the module's fixtures)

pytestmark = pytest.mark.browser

# The browser's Notification API, recorded (headless Chromium shows no notification to look at).
RECORD_NOTIFICATIONS = """
window.__shown = [];
window.Notification = function (title, options) { window.__shown.push([title, options.body]); };
window.Notification.permission = "granted";
window.Notification.requestPermission = function () { return Promise.resolve("granted"); };
"""


def _count(page: Any) -> int:
    return int(page.get_attribute("#alert-bell", "data-count") or 0)


def _until(check: Callable[[], bool], seconds: float = 10) -> None:
    """Wait for a condition the page's policy keeps `wait_for_function` from evaluating (no eval)."""
    end = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < end, "the page never got there"
        time.sleep(0.1)


def test_the_bell_rings_and_an_alert_is_assigned_noted_and_acknowledged(browser: Any, server: Server) -> None:  # noqa: F811
    s = Session(browser, server, "duty")
    s.context.add_init_script(RECORD_NOTIFICATIONS)
    page = s.go("/alerts")
    page.wait_for_selector("#alert-bell:not([hidden])")  # the demo's overdue shuttle nobody has taken
    before = _count(page)
    assert before >= 1 and page.get_attribute("#alert-bell", "href") == "/alerts?status=unacknowledged"
    page.wait_for_selector("body[data-alerts-live='true']")
    board = server.api("GET", "movements?status=under_way", "duty")
    on_the_road = board["items"][0]["id"]
    server.api(
        "POST",
        f"movements/{on_the_road}/checkins",
        "duty",
        json={"idempotency_key": "desk-duress", "status": "duress", "lat": 33.9, "lon": 73.15},
    )
    # the live stream brings the rows and tells the bell: it counts more, rings and flashes the title
    page.wait_for_selector("#alert-bell.ringing")
    _until(lambda: page.title().startswith("\u26a0"))
    shown = page.evaluate("window.__shown")
    assert len(shown) == 1 and shown[0][0] == "Critical alert" and "duress" in shown[0][1].lower()
    critical = page.get_attribute("#alert-bell", "data-critical")
    _until(lambda: _count(page) > before)
    ringing = _count(page)
    page.locator(f"#alert-{critical} strong a").click()
    page.wait_for_url(re.compile(rf".*/alerts/{critical}$"))
    assert "nobody" in page.inner_text("#alert-assignee")
    page.select_option("#assign-user", label="Duty Officer, Special Protection Unit (duty)")
    page.click("#assign-form button[type=submit]")
    page.wait_for_url(re.compile(r".*done=alert_assigned"))
    assert "Alert assigned." in page.inner_text("#messages")
    assert "Duty Officer" in page.inner_text("#alert-assignee")
    page.fill("#note-text", "escort commander called, team safe")
    page.click("#note-form button[type=submit]")
    page.wait_for_url(re.compile(r".*done=alert_noted"))
    assert "escort commander called, team safe" in page.inner_text("#alert-notes")
    page.wait_for_selector(f"#alert-bell[data-count='{ringing}']")
    page.locator(f"#alert-{critical} button", has_text="Acknowledge").click()
    page.locator(f"tr#alert-{critical}.acked").wait_for()
    page.wait_for_selector(f"#alert-bell[data-count='{ringing - 1}']")  # after the act, not the next poll
    s.shot("alert-desk-duty")
    s.close()
