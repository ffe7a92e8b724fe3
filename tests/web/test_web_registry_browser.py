"""The registry pages in headless Chromium at 1366x768, on the demo (a server of this module's own): a
coordinator places a site on the map with its cordons, edits, finds and deletes it, and imports a CSV with
a bad row (nothing imported, every error listed, the content kept to correct) and then the corrected one;
in English and in Urdu. Screenshots go to test-output/web/.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from test_web_browser import ARGS, CHROMIUM, LAPTOP, SHOTS, Server, Session, server

pytestmark = pytest.mark.browser
__all__ = ["server"]  # the module's own demo server (module-scoped fixture)

BAD_CSV = (
    "name,kind,lat,lon,inner_radius_m,outer_radius_m\n"
    "{p} Camp A,camp,35.1,73.2,100,400\n"
    "{p} Camp B,castle,95,73.2,,\n"
)


def _settled(server: Server) -> None:
    """Wait until the server signs in promptly: its embedded jobs' first run (risk, escalation) holds the
    SQLite database for a while after it starts on the demo."""
    deadline = time.monotonic() + 300
    while True:
        try:
            server.token("coordinator")
            return
        except httpx.TimeoutException:
            if time.monotonic() > deadline:
                raise


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    _settled(server)
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Desk(Session):
    """A signed-in browser as the suite's, with more time for each step: the sign-in's password hash and
    the demo server share two cores with the rest of the suite."""

    def __init__(self, browser: Any, server: Server, username: str) -> None:
        self.server = server
        self.context = browser.new_context(viewport=LAPTOP, locale="en-GB")
        self.context.set_default_timeout(45_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("response", self._status)
        self.page.on("console", self._console)
        self.page.goto(f"{server.base}/login?next=/registry/sites")
        self.page.fill("#username", username)
        self.page.fill("#password", server.passwords[username])
        self.page.click("form[action='/login'] button[type=submit]")
        self.page.wait_for_url(re.compile(r".*/registry/sites$"))


def _expected_refusals(s: Session) -> None:
    """A form answered with its errors (422) is what the test asked for, not a failure of the page."""
    s.errors[:] = [e for e in s.errors if not e.startswith("422 ")]


def _language(page: Any, code: str) -> None:
    page.select_option("#lang-select", code)
    page.click("form[action='/language'] button")
    page.wait_for_selector(f"html[lang='{code}']")


def _overlays(page: Any) -> int:
    """The shapes drawn over the base map (the site's point and its cordons)."""
    return int(page.locator("#map .leaflet-overlay-pane path").count())


def _site_lifecycle(s: Session, name: str, words: dict[str, str]) -> None:
    page = s.go("/registry/sites/new", map_ready=True)
    assert _overlays(page) == 0
    page.click("#map", position={"x": 250, "y": 180})
    assert page.input_value("#field-lat") != "" and page.input_value("#field-lon") != ""
    assert _overlays(page) == 1  # the point, no cordon yet
    # the form refuses what is wrong, keeps what was typed, and says why beside each field
    page.select_option("#field-kind", "project")
    page.fill("#field-lat", "35.0")
    page.fill("#field-lon", "73.1")
    page.fill("#field-inner-radius-m", "900")
    page.fill("#field-outer-radius-m", "300")
    page.click("#record-save")
    page.wait_for_selector("#form-errors")
    _expected_refusals(s)
    assert page.inner_text("#field-name-error").strip() == words["required"]
    assert page.inner_text("#field-outer-radius-m-error").strip() == words["outer_larger"]
    assert page.input_value("#field-inner-radius-m") == "900"
    page.fill("#field-name", name)
    page.fill("#field-inner-radius-m", "250")
    page.fill("#field-outer-radius-m", "900")
    page.dispatch_event("#field-outer-radius-m", "change")
    assert _overlays(page) == 3  # the point, the inner and the outer cordon
    page.click("#record-save")
    page.wait_for_url(re.compile(r".*/registry/sites/\d+\?done=created$"))
    page.wait_for_selector("body[data-map-ready='true']")
    assert _overlays(page) == 3
    s.shot(f"registry-site-{words['code']}")
    # edit: a wider outer cordon
    page.fill("#field-outer-radius-m", "1500")
    page.click("#record-save")
    page.wait_for_url(re.compile(r".*done=changed$"))
    assert page.input_value("#field-outer-radius-m") == "1500"
    # search, then delete with confirmation
    page = s.go("/registry/sites")
    page.fill("#registry-q", name)
    page.click(".registry-search button")
    page.wait_for_url(re.compile(r".*q=.*"))
    assert page.locator("#registry-table tbody tr").count() == 1
    page.click(f"#registry-table a:text-is('{name}')")
    page.click("#record-delete")
    page.click("#confirm-delete")
    page.wait_for_url(re.compile(r".*/registry/sites\?done=deleted$"))
    assert name not in page.inner_text("#registry-table")


def _import(s: Session, prefix: str, words: dict[str, str]) -> None:
    page = s.go("/registry/sites/import")
    content = BAD_CSV.format(p=prefix)
    page.set_input_files(
        "#import-file", {"name": "sites.csv", "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.click("#import-submit")
    page.wait_for_selector("#import-problems")
    _expected_refusals(s)
    assert words["nothing"] in page.inner_text("#import-errors")
    rows = page.locator("#import-problems tbody tr").all_inner_texts()
    assert len(rows) == 2 and all(r.startswith("3") for r in rows), rows
    assert page.input_value("#import-content") == content  # kept, to be corrected in place
    s.shot(f"registry-import-errors-{words['code']}")
    page.fill("#import-content", content.replace("castle,95", "camp,35.2"))
    page.click("#import-submit")
    page.wait_for_url(re.compile(r".*/registry/sites\?done=imported&count=2$"))
    assert words["imported"] in page.inner_text("#registry-done")
    page = s.go(f"/registry/sites?q={prefix}")
    assert page.locator("#registry-table tbody tr").count() == 2


ENGLISH = {
    "code": "en",
    "required": "Required.",
    "outer_larger": "The outer cordon must be larger than the inner one.",
    "nothing": "Nothing was imported.",
    "imported": "Imported 2 records.",
}
URDU = {
    "code": "ur",
    "required": "لازمی ہے۔",
    "outer_larger": "بیرونی حصار اندرونی سے بڑا ہونا چاہیے۔",
    "nothing": "کچھ درآمد نہیں ہوا۔",
    "imported": "2 ریکارڈ درآمد ہو گئے۔",
}


def test_a_coordinator_keeps_the_registry_in_english(browser: Any, server: Server) -> None:
    s = Desk(browser, server, "coordinator")
    page = s.go("/registry")
    assert page.url.endswith("/registry/sites")
    assert "Registry" in page.locator("nav[aria-label='Main'] a").all_inner_texts()
    _site_lifecycle(s, "Browser Test Camp", ENGLISH)
    _import(s, "Browser", ENGLISH)
    s.close()


def test_a_coordinator_keeps_the_registry_in_urdu(browser: Any, server: Server) -> None:
    s = Desk(browser, server, "coordinator")
    s.go("/registry/sites")
    _language(s.page, "ur")
    assert s.page.locator("html[dir='rtl']").count() == 1
    assert "رجسٹری" in s.page.inner_text("header.top nav")
    _site_lifecycle(s, "Urdu Test Camp", URDU)
    _import(s, "Nastaliq", URDU)
    _language(s.page, "en")
    s.close()


def test_a_reader_sees_a_site_without_controls(browser: Any, server: Server) -> None:
    s = Desk(browser, server, "analyst")  # host security reads every site, registers none
    page = s.go("/registry/sites")
    assert page.locator("#registry-new").count() == 0
    page.locator("#registry-table tbody a").first.click()
    page.wait_for_selector("body[data-map-ready='true']")
    assert page.locator("#read-only").count() == 1
    assert page.locator("#record-save").count() == 0 and page.locator("#record-delete").count() == 0
    lat = page.input_value("#field-lat")
    page.click("#map", position={"x": 200, "y": 150})
    assert page.input_value("#field-lat") == lat  # a reader's click moves nothing
    s.close()


def test_every_demo_role_walks_the_registry_in_every_language(server: Server) -> None:
    """Every registry page a demo user can reach answers without a server error, in every language: the
    lists, the first record of each, and the new and import forms (refused, 403, for whom may not add)."""
    from outrider.web.i18n import LANGUAGES

    _settled(server)
    roles = ("admin", "coordinator", "duty", "duty2", "liaison", "envoy", "analyst", "auditor")
    for username in roles:
        token = server.token(username)["Authorization"].removeprefix("Bearer ")
        for code in LANGUAGES:
            cookies = {"outrider_session": token, "outrider_lang": code}
            with httpx.Client(base_url=server.base, cookies=cookies, timeout=60) as web:
                for path in ("persons", "sites", "vehicles", "escort-units"):
                    listing = web.get(f"/registry/{path}")
                    assert listing.status_code == 200, (username, code, path)
                    first = re.search(rf'href="/registry/{path}/(\d+)"', listing.text)
                    pages = [f"/registry/{path}/new", f"/registry/{path}/import"]
                    if first:
                        pages += [
                            f"/registry/{path}/{first.group(1)}",
                            f"/registry/{path}/{first.group(1)}/delete",
                        ]
                    for page in pages:
                        status = web.get(page).status_code
                        assert status in (200, 403), (username, code, page, status)
