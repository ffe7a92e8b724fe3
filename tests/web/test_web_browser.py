"""The dashboard in a real browser: Debian's Chromium driven by Playwright against `outrider serve`.

One server per module, on a temporary SQLite database with the demo loaded: sign in as each role, load
the overview map, plan and submit a movement, approve it as the other parties, acknowledge a live alert,
open an incident's evidence, and check that a liaison's pages never carry another partner's itinerary.
Screenshots of the main pages go to test-output/web/. The header's bell of unacknowledged alerts rings for
the live critical alert, which is then assigned and noted on its own page.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "web"
VENDOR = ROOT / "src" / "outrider" / "web" / "static" / "vendor" / "leaflet" / "leaflet.js"
IN_CI = os.environ.get("CI", "").lower() == "true"
LAPTOP = {"width": 1366, "height": 768}
WALL = {"width": 2560, "height": 1440}


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass
class Server:
    """A running `outrider serve` and what the tests need to know about it."""

    base: str
    env: dict[str, str]
    passwords: dict[str, str]

    def token(self, username: str) -> dict[str, str]:
        resp = httpx.post(
            f"{self.base}/api/v1/auth/token",
            data={"username": username, "password": self.passwords[username]},
            timeout=10,
        )
        assert resp.status_code == 200, resp.text
        return {"Authorization": f"Bearer {resp.json()['access_token']}"}

    def api(self, method: str, path: str, who: str, **kwargs: Any) -> Any:
        resp = httpx.request(
            method, f"{self.base}/api/v1/{path}", headers=self.token(who), timeout=30, **kwargs
        )
        assert resp.status_code in (200, 201), resp.text
        return resp.json()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(data: Path) -> dict[str, str]:
    """The demo, and a second partner (a German embassy) with the power company's coordinator, loaded
    through the services in this process (one import of Outrider instead of a CLI process per step)."""
    from sqlalchemy.orm import Session as DbSession

    from outrider import db, migrate
    from outrider.accounts import service as accounts_service
    from outrider.accounts.schemas import OrganizationCreate, OrgKind, Role, UserCreate
    from outrider.demo.service import load_demo

    engine = db.make_engine(f"sqlite:///{data / 'outrider.db'}")
    migrate.upgrade(engine)
    now = db.utcnow()
    with DbSession(engine) as session:
        passwords = {x.username: x.password for x in load_demo(session, now=now)}
        german = accounts_service.create_organization(
            session,
            data=OrganizationCreate(name="German Embassy", kind=OrgKind.partner_government, country="DE"),
            now=now,
        )
        power = accounts_service.find_organization(session, ref="Qasim Coastal Power Ltd.")
        for username, org_id, role in (
            ("liaison_de", german.id, Role.liaison),
            ("power_coord", power.id, Role.coordinator),
        ):
            data = UserCreate(username=username, organization_id=org_id, roles=[role])
            _, passwords[username] = accounts_service.create_user(session, data=data, now=now)
        session.commit()
    engine.dispose()
    return passwords


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not Path(CHROMIUM).is_file():
        _missing("Debian's chromium is not installed: `make browser` installs it")
    if not VENDOR.is_file():
        _missing("the web assets are not built: `make web-assets`")
    from outrider.settings import get_settings

    data = tmp_path_factory.mktemp("web-browser")
    passwords = _prepare(data)
    # development: the cookie is not Secure on http://127.0.0.1; the same key signs the audit checkpoints
    env = {
        **os.environ,
        "OUTRIDER_DATA_DIR": str(data),
        "OUTRIDER_ENV": "development",
        "OUTRIDER_SECRET_KEY": get_settings().secret_key,
    }
    env.pop("OUTRIDER_DATABASE_URL", None)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "outrider", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                httpx.get(f"{base}/api/v1/health", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not answer")
        yield Server(base, env, passwords)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Session:
    """One signed-in browser context; page errors are collected and must stay empty."""

    def __init__(
        self, browser: Any, server: Server, username: str, viewport: dict[str, int] = LAPTOP
    ) -> None:
        self.server = server
        self.context = browser.new_context(viewport=viewport, locale="en-GB")
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("response", self._status)
        self.page.on("console", self._console)
        self.page.goto(f"{server.base}/login?next=/account")
        self.page.fill("#username", username)
        self.page.fill("#password", server.passwords[username])
        self.page.click("form[action='/login'] button[type=submit]")
        self.page.wait_for_url(re.compile(r".*/account$"))

    def _console(self, message: Any) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def _status(self, response: Any) -> None:
        if response.status >= 400:
            self.errors.append(f"{response.status} {response.url}")

    def go(self, path: str, *, map_ready: bool = False) -> Any:
        self.page.goto(f"{self.server.base}{path}")
        if map_ready:  # the layers drawn, and the offline boundaries
            self.page.wait_for_selector("body[data-map-ready='true'][data-base-ready='true']")
        return self.page

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(SHOTS / f"{name}.png"))

    def close(self) -> None:
        self.context.close()
        assert self.errors == [], self.errors


NAV = {
    "admin": [
        "Overview",
        "Movements",
        "Plan a movement",
        "Alerts",
        "Review queue",
        "Compliance",
        "Administration",
    ],
    "coordinator": ["Overview", "Movements", "Plan a movement", "Alerts", "Compliance"],
    "duty": ["Overview", "Movements", "Alerts", "Compliance"],
    "liaison": ["Overview", "Movements", "Alerts", "Compliance"],
    "analyst": ["Overview", "Movements", "Incidents", "Review queue"],
    "auditor": ["Overview", "Movements", "Alerts", "Compliance", "Who knew"],
}


def test_each_role_signs_in_and_sees_the_overview_map(browser: Any, server: Server) -> None:
    for username, wanted in NAV.items():
        s = Session(browser, server, username)
        page = s.go("/", map_ready=True)
        nav = page.locator("nav[aria-label='Main'] a").all_inner_texts()
        assert set(wanted) <= set(nav), (username, nav)
        if username not in ("admin",):
            assert "Administration" not in nav
        # the offline base map: country and province outlines drawn from the packaged boundaries
        assert page.locator("#map .leaflet-pane path").count() > 50
        labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
        assert len(labels) == 5, labels  # the towns, and the four layers of the overview
        if username == "duty":
            assert (
                page.locator(".checkin-label").count() >= 1
            )  # the movements on the road, with their check-ins
            s.shot("overview-duty-1366x768")
        if username == "analyst":
            assert page.locator(".checkin-label").count() == 0  # analysts read no itinerary
        s.close()
    wall = Session(browser, server, "duty", viewport=WALL)
    wall.go("/", map_ready=True)
    wall.shot("overview-duty-2560x1440")
    wall.close()


def _local_tomorrow(hour: int) -> str:
    day = datetime.now(ZoneInfo("Asia/Karachi")).date() + timedelta(days=2)
    return f"{day.isoformat()}T{hour:02d}:00"


def test_plan_submit_and_approve_as_the_other_parties(browser: Any, server: Server) -> None:
    s = Session(browser, server, "coordinator")
    page = s.go("/movements/new", map_ready=True)
    page.select_option("#origin-site", label="Bisham Staff Camp")
    page.select_option("#destination-site", label="Dasu Hydropower Project")
    page.fill("#departure", _local_tomorrow(8))
    page.fill("#arrival", _local_tomorrow(10))
    page.fill("#purpose", "browser test shift")
    for box in page.locator("input[name=person_ids]").all()[:3]:
        box.check()
    page.locator("input[name=vehicle_ids]").first.check()
    page.click("#straight-line")
    assert "LineString" in page.input_value("#route-geojson")
    page.click("#check-risk")
    page.wait_for_selector("#risk-result")
    s.shot("plan-coordinator")
    page.check("input[name=submit_now]")
    page.click("#save-plan")
    page.wait_for_url(re.compile(r".*/movements/\d+\?done=submitted"))
    movement_url = page.url.split("?")[0]
    reference = page.locator("h1").inner_text().split()[1]
    assert "submitted" in page.locator("h1").inner_text()
    s.close()

    for approver in ("duty", "liaison"):
        a = Session(browser, server, approver)
        page = a.go(movement_url.removeprefix(server.base))
        page.fill("#decision-comment", f"approved by {approver} in the browser test")
        page.click("#decide-form button.primary")
        page.wait_for_url(re.compile(r".*done=approve"))
        assert "You approved the movement for your party." in page.inner_text("#messages")
        if approver == "liaison":
            assert "approved" in page.locator("h1").inner_text()
            a.shot("movement-approved-liaison")
        a.close()
    board = Session(browser, server, "duty")
    page = board.go("/movements")
    assert reference in page.inner_text("#board")
    assert page.locator("tr.overdue").count() >= 1  # the demo's overdue shuttle is highlighted
    board.shot("board-duty")
    board.close()


# The browser's Notification API, recorded (headless Chromium shows no notification to look at).
RECORD_NOTIFICATIONS = """
window.__shown = [];
window.Notification = function (title, options) { window.__shown.push([title, options.body]); };
window.Notification.permission = "granted";
window.Notification.requestPermission = function () { return Promise.resolve("granted"); };
"""


def _until(check: Any, seconds: float = 10) -> None:
    """Wait for a condition the page's policy keeps `wait_for_function` from evaluating (no eval)."""
    end = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < end, "the page never got there"
        time.sleep(0.1)


def _bell(page: Any) -> int:
    return int(page.get_attribute("#alert-bell", "data-count") or 0)


def test_a_live_alert_rings_the_bell_and_is_acknowledged_assigned_and_noted(
    browser: Any, server: Server
) -> None:
    s = Session(browser, server, "duty")
    s.context.add_init_script(RECORD_NOTIFICATIONS)
    page = s.go("/alerts")
    page.wait_for_selector("#alert-bell:not([hidden])")  # the header counts the demo's overdue shuttle
    before = _bell(page)
    assert page.get_attribute("#alert-bell", "href") == "/alerts?status=unacknowledged"
    page.wait_for_selector("body[data-alerts-live='true']")
    board = server.api("GET", "movements?status=under_way", "duty")
    on_the_road = board["items"][0]["id"]
    server.api(
        "POST",
        f"movements/{on_the_road}/checkins",
        "admin",
        json={"idempotency_key": "browser-duress", "status": "duress", "lat": 33.9, "lon": 73.15},
    )
    row = page.locator("tr.alert-row", has_text="duress")
    row.wait_for(timeout=20_000)  # pushed by the server-sent event stream, no reload
    assert "New alert" in page.inner_text("#alert-announce")
    # a critical alert arriving: the bell counts it and rings, the title flashes, the browser notifies
    page.wait_for_selector("#alert-bell.ringing")
    _until(lambda: page.title().startswith("\u26a0") and _bell(page) > before)
    shown = page.evaluate("window.__shown")
    assert len(shown) == 1 and shown[0][0] == "Critical alert" and "duress" in shown[0][1].lower()
    ringing = _bell(page)
    row.locator("input[name=note]").fill("team on the phone with the escort")
    row.locator("button", has_text="Acknowledge").click()
    page.locator("tr.alert-row.acked", has_text="duress").wait_for()
    assert "team on the phone with the escort" in page.locator("tr.alert-row", has_text="duress").inner_text()
    page.wait_for_selector(f"#alert-bell[data-count='{ringing - 1}']")  # after the act, not the next poll
    s.shot("alerts-duty")
    # its own page: assign it to a colleague, post progress
    page.locator("tr.alert-row", has_text="duress").locator("strong a").click()
    page.wait_for_url(re.compile(r".*/alerts/\d+$"))
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
    page.fill("[id^=escalate-reason-]", "no answer from the escort's radio")  # an act on the row: the log
    page.locator("#alert-row-table button", has_text="Escalate").click()  # shows it once the page reloads
    page.locator("#alert-notes", has_text="no answer from the escort's radio").wait_for()
    s.shot("alert-duty")
    s.close()


REPORT = (
    "Convoy attacked near Dasu\n\n"
    "Dasu: A suicide bomber rammed an explosives-laden car into a bus carrying engineers near Dasu on "
    "Tuesday, "
    "killing six people, police said. The attack happened on the Karakoram Highway. No group claimed it.\n"
)


def test_an_incident_opens_with_its_evidence_highlighted(browser: Any, server: Server) -> None:
    s = Session(browser, server, "analyst")
    page = s.go("/intel")
    page.fill("#report-text", REPORT)
    page.fill("#report-published", datetime.now().date().isoformat())
    page.click("form[action='/intel/reports'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/intel/incidents/\d+"))
    marks = page.locator("#report-text mark")
    assert marks.count() >= 1
    assert "bomber" in " ".join(marks.all_inner_texts())
    page.click("#jump-evidence")
    assert page.evaluate("document.activeElement.id") == "evidence-1" or page.url.endswith("#evidence-1")
    s.shot("incident-evidence-analyst")
    page.click("form[action$='/confirm'] button.primary")
    page.wait_for_url(re.compile(r".*done=confirmed"))
    page = s.go("/intel")
    page.wait_for_selector("body[data-chart-ready='true']")
    s.shot("incidents-analyst")
    s.close()


def test_a_liaison_never_sees_another_partners_itinerary(browser: Any, server: Server) -> None:
    # Another partner (a German embassy, loaded with the demo) and a movement of German nationals.
    persons = server.api("GET", "persons?nationality=DE", "power_coord")["items"]
    assert persons, "the demo has German staff at the power plant"
    route = {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.2468, 24.8531], [67.35, 24.78]]}
    start = datetime.now(ZoneInfo("Asia/Karachi")) + timedelta(hours=2)
    secret = server.api(
        "POST",
        "movements",
        "power_coord",
        json={
            "origin": {"lat": 24.9065, "lon": 67.1608, "label": "Jinnah International Airport"},
            "destination": {"lat": 24.78, "lon": 67.35, "label": "Port Qasim Coal Power Plant"},
            "route": route,
            "planned_departure": start.isoformat(),
            "planned_arrival": (start + timedelta(hours=1)).isoformat(),
            "person_ids": [persons[0]["id"]],
            "purpose": "German engineers to the plant",
        },
    )
    server.api("POST", f"movements/{secret['id']}/submit", "power_coord", json={})
    leaks = [secret["reference"], "67.2468", "24.8531", "German engineers"]

    s = Session(browser, server, "liaison")
    bodies: list[str] = []

    def keep(response: Any) -> None:
        if response.url.startswith(server.base) and "/static/" not in response.url:
            try:
                bodies.append(response.text())
            except Exception:  # a streamed or aborted response has no body to keep
                return

    s.page.on("response", keep)
    for path in ("/", "/movements", "/alerts", "/intel", "/compliance", "/account"):
        page = s.go(path, map_ready=path == "/")
        bodies.append(page.content())
        if path == "/":
            s.shot("overview-liaison")
    bodies.append(s.go("/map/movements.geojson").content())
    missing = s.go(f"/movements/{secret['id']}")
    assert "Not found" in missing.content()
    assert s.errors == [f"404 {server.base}/movements/{secret['id']}"]
    s.errors.clear()
    for body in bodies:
        for leak in leaks:
            assert leak not in body, f"the CN liaison saw {leak!r}"
    s.close()

    # the German liaison sees the summary of the movement of its nationals (the itinerary later)
    de = Session(browser, server, "liaison_de")
    page = de.go(f"/movements/{secret['id']}")
    assert secret["reference"] in page.content()
    assert "Itinerary not shown" in page.content() or "67.2468" in page.content()
    de.close()


def test_languages_keyboard_and_labels(browser: Any, server: Server) -> None:
    s = Session(browser, server, "coordinator")
    page = s.go("/movements")
    page.select_option("#lang-select", "ur")
    page.click("form[action='/language'] button")
    page.wait_for_selector("html[dir='rtl'][lang='ur']")
    assert "منتقلیاں" in page.inner_text("nav")
    s.go("/", map_ready=True)
    s.shot("overview-coordinator-urdu")
    s.go("/movements/new", map_ready=True)
    s.shot("plan-coordinator-urdu")
    page.select_option("#lang-select", "zh-Hans")
    page.click("form[action='/language'] button")
    page.wait_for_selector("html[dir='ltr'][lang='zh-Hans']")
    assert "行程" in page.inner_text("nav")
    s.go("/movements")
    s.shot("board-coordinator-chinese")
    page.select_option("#lang-select", "en")
    page.click("form[action='/language'] button")
    page.wait_for_selector("html[lang='en']")
    # the keyboard: the first Tab reaches the skip link, which moves the focus to the content
    page = s.go("/movements")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # every visible control has a label
    unlabelled_js = """() => [...document.querySelectorAll('input, select, textarea, button')]
        .filter(e => e.type !== 'hidden' && e.offsetParent !== null)
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                     && !e.getAttribute('aria-labelledby') && !(e.tagName === 'BUTTON' && e.innerText.trim()))
        .map(e => e.outerHTML.slice(0, 120))"""
    for path in ("/", "/movements", "/movements/new", "/alerts", "/intel", "/compliance", "/account"):
        page = s.go(path, map_ready=path in ("/", "/movements/new"))
        assert page.evaluate(unlabelled_js) == [], path
    s.close()
