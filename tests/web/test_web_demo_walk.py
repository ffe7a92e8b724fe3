"""The walk of the `make run` demo: every demo user, in every language, on every page the navigation offers.

The demo is loaded exactly as `make run` loads it (`outrider db upgrade`, `outrider demo load --if-empty`,
`outrider demo protocol --if-absent`, each its own process, on a temporary SQLite database), then served by
`outrider serve`. Plain HTTP with the session cookie walks the whole matrix (users x languages x pages: the
links of the main navigation, a movement, its departure gate, an incident, an intelligence event, the
alert views and the compliance page); headless Chromium at 1366x768 walks a smaller round (each role once,
the languages rotating) and also fails on a script error or an error in the console. Any 5xx, or a page
that shows a stack trace, fails the walk with the page, the user and the language.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
VENDOR = ROOT / "src" / "outrider" / "web" / "static" / "vendor" / "leaflet" / "leaflet.js"
IN_CI = os.environ.get("CI", "").lower() == "true"
LAPTOP = {"width": 1366, "height": 768}
LANGS = ("en", "zh-Hans", "ur")
# the steps of `make run` before `outrider serve`
MAKE_RUN = (("db", "upgrade"), ("demo", "load", "--if-empty"), ("demo", "protocol", "--if-absent"))
STACK_TRACE = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+")
NAV_LINK = re.compile(r'<header class="top">.*?</nav>', re.S)  # its label is translated
HREF = re.compile(r'href="(/[^"#?]*)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Demo:
    """The served demo: its address, its logins (user -> password, role) and the records to visit."""

    base: str
    logins: dict[str, tuple[str, str]]
    extra: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    from outrider.settings import get_settings

    data = tmp_path_factory.mktemp("demo-walk") / "data"  # `make run` on a fresh machine: no folder yet
    env = {
        **os.environ,
        "OUTRIDER_DATA_DIR": str(data),
        "OUTRIDER_ENV": "development",
        "OUTRIDER_SECRET_KEY": get_settings().secret_key,
    }
    env.pop("OUTRIDER_DATABASE_URL", None)
    # the three commands of `make run`, run by the CLI in one process (one import of Outrider, not three)
    script = "from outrider.cli import app\nfor step in %r:\n    app(list(step), standalone_mode=False)"
    done = subprocess.run(
        [sys.executable, "-c", script % (MAKE_RUN,)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, (done.stdout, done.stderr)
    saved = json.loads((data / "demo-logins.json").read_text(encoding="utf-8"))
    logins = {u["username"]: (u["password"], u["role"]) for u in saved}
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
        found = Demo(base, logins)
        found.extra = _records(found)
        yield found
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def _sign_in(demo: Demo, username: str, lang: str) -> httpx.Client:
    client = httpx.Client(base_url=demo.base, timeout=60, cookies={"outrider_lang": lang})
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf, page.text
    form = {"csrf_token": csrf.group(1), "username": username, "password": demo.logins[username][0]}
    resp = client.post("/login", data={**form, "next": "/account"})
    assert resp.status_code == 303 and resp.headers["location"] == "/account", (username, resp.text)
    return client


def _first(client: httpx.Client, path: str, pattern: str) -> str | None:
    found = re.search(pattern, client.get(path).text)
    return found.group(0) if found else None


def _records(demo: Demo) -> list[str]:
    """A movement (and its departure gate), an incident and an event of the demo, found as their readers
    find them; every user visits them (a refusal is fine, a 5xx is not)."""
    admin = _sign_in(demo, "admin", "en")
    analyst = _sign_in(demo, "analyst", "en")
    movement = _first(admin, "/movements", r"/movements/\d+(?=\")")
    event = _first(analyst, "/intel", r"/intel/events/\d+(?=\")")
    incident = _first(analyst, "/intel/review", r"/intel/incidents/\d+(?=\")") or _first(
        analyst, str(event), r"/intel/incidents/\d+(?=\")"
    )
    assert movement and incident and event, (movement, incident, event)
    admin.close()
    analyst.close()
    return [movement, f"{movement}/departure-gate", incident, event]


def _nav(html: str) -> list[str]:
    nav = NAV_LINK.search(html)
    assert nav, "no main navigation"
    return sorted(set(HREF.findall(nav.group(0))))


VIEWS = ["/compliance", "/alerts?status=all", "/alerts?status=unacknowledged", "/movements/board", "/account"]


def _broken(resp: httpx.Response) -> str | None:
    if resp.status_code >= 500:
        return f"{resp.status_code}"
    if STACK_TRACE.search(resp.text):
        return "a stack trace"
    return None


def _walk(demo: Demo, username: str, lang: str) -> tuple[list[str], int]:
    """One user's walk in one language: the problems found and the number of pages visited."""
    failures: list[str] = []
    client = _sign_in(demo, username, lang)
    try:
        home = client.get("/")
        assert home.status_code == 200, (username, lang, home.status_code)
        assert f'lang="{lang}"' in home.text, (username, lang)
        own = _first(client, "/movements", r"/movements/\d+(?=\")")
        pages = list(dict.fromkeys(_nav(home.text) + VIEWS + demo.extra + ([own] if own else [])))
        for path in pages:
            problem = _broken(client.get(path))
            if problem:
                failures.append(f"{path} as {username} in {lang}: {problem}")
    finally:
        client.close()
    return failures, len(pages)


def test_every_demo_user_in_every_language_walks_every_page_without_a_server_error(demo: Demo) -> None:
    walks = [(username, lang) for username in demo.logins for lang in LANGS]
    with ThreadPoolExecutor(max_workers=4) as pool:  # the server answers several readers at once
        done = list(pool.map(lambda walk: _walk(demo, *walk), walks))
    failures = [f for found, _ in done for f in found]
    assert failures == [], failures
    assert sum(n for _, n in done) >= len(walks) * 12


class Walker:
    """One signed-in browser context in one language; errors in the page or its console are collected."""

    def __init__(self, browser: Any, demo: Demo, username: str, lang: str) -> None:
        self.demo = demo
        self.context = browser.new_context(viewport=LAPTOP, locale="en-GB")
        self.context.add_cookies([{"name": "outrider_lang", "value": lang, "url": demo.base}])
        self.context.set_default_timeout(20_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(f"{self.page.url}: {exc}"))
        self.page.on("console", self._console)
        self.page.on("response", self._status)
        self.page.goto(f"{demo.base}/login?next=/account")
        self.page.fill("#username", username)
        self.page.fill("#password", demo.logins[username][0])
        self.page.click("form[action='/login'] button[type=submit]")
        self.page.wait_for_url(re.compile(r".*/account$"))

    def _console(self, message: Any) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"{self.page.url}: {message.text}")

    def _status(self, response: Any) -> None:
        if response.status >= 500:
            self.errors.append(f"{response.status} {response.url}")

    def visit(self, path: str) -> None:
        self.page.goto(f"{self.demo.base}{path}", wait_until="load")
        if self.page.locator("#map").count() and self.page.locator("script[src$='map.js']").count():
            self.page.wait_for_selector("body[data-map-ready='true']")
        if STACK_TRACE.search(self.page.content()):
            self.errors.append(f"{path}: a stack trace")


def test_each_role_walks_the_demo_in_a_real_browser_without_errors(demo: Demo) -> None:
    if not Path(CHROMIUM).is_file():
        pytest.fail("Debian's chromium is not installed") if IN_CI else pytest.skip("no chromium")
    if not VENDOR.is_file():
        pytest.fail("the web assets are not built") if IN_CI else pytest.skip("no web assets")
    from playwright.sync_api import sync_playwright

    one_per_role: dict[str, str] = {}
    for username, (_, role) in demo.logins.items():
        one_per_role.setdefault(role, username)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        problems: list[str] = []
        for k, username in enumerate(one_per_role.values()):
            lang = LANGS[k % len(LANGS)]
            walker = Walker(browser, demo, username, lang)
            walker.visit("/")
            nav = walker.page.locator("header.top nav a").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            )
            walker.visit("/movements")
            own = re.search(r"/movements/\d+(?=\")", walker.page.content())
            rest = [*nav, "/compliance", *([own.group(0)] if own else [])]
            for path in dict.fromkeys(p for p in rest if p not in ("/", "/movements")):
                walker.visit(path)
            problems += [f"{username} in {lang}: {e}" for e in walker.errors]
            walker.context.close()
        browser.close()
    assert problems == [], problems


PERSONS_ERROR = {
    "en": "Tick at least one protected person.",
    "ur": "کم از کم ایک محفوظ شخص پر نشان لگائیں۔",
}


def test_a_plan_without_a_protected_person_keeps_its_input_in_english_and_urdu(demo: Demo) -> None:
    """The issue's case: the coordinator fills in the plan but ticks no protected person, and saves."""
    if not Path(CHROMIUM).is_file() or not VENDOR.is_file():
        pytest.fail("no chromium or web assets") if IN_CI else pytest.skip("no chromium or web assets")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for lang, message in PERSONS_ERROR.items():
            walker = Walker(browser, demo, "coordinator", lang)
            walker.visit("/movements/new")
            page = walker.page
            page.select_option("#origin-site", index=1)
            page.select_option("#destination-site", index=2)
            page.fill("#departure", "2027-01-10T06:30")
            page.fill("#arrival", "2027-01-10T08:15")
            page.fill("#purpose", "Visit to the intake works")
            page.fill("#notes", "Bring the spare radio")
            page.click("#straight-line")  # the route drawn from the chosen sites
            route = page.input_value("#route-geojson")
            assert "LineString" in route
            for box in page.locator("input[name=person_ids]").all():
                box.uncheck()
            page.click("#save-plan")
            page.wait_for_selector("#persons-error")
            assert page.locator("#persons-error").inner_text().strip() == message
            assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ur" else "ltr")
            assert page.locator("#persons").get_attribute("aria-describedby") == "persons-error"
            # everything typed is still there
            assert page.input_value("#purpose") == "Visit to the intake works"
            assert page.input_value("#notes") == "Bring the spare radio"
            assert page.input_value("#departure") == "2027-01-10T06:30"
            assert page.input_value("#arrival") == "2027-01-10T08:15"
            assert json.loads(page.input_value("#route-geojson")) == json.loads(route)
            assert page.locator("#origin-site option:checked").get_attribute("value")
            assert "Field required" not in page.content()
            assert walker.errors == [], walker.errors
            walker.context.close()
        browser.close()
