"""The committee's pages in headless Chromium on the `make run` demo (a server of this module's own): a host
duty officer at a desk, in English, and the partner's liaison on a phone (390x844), in Urdu, each walk from
the committee to a past meeting, from one of its outcomes to the commitment and its timeline, and on to the
board. The
liaison never sees the restricted item's contents; no page scrolls sideways on the phone; no page has a
script error. Screenshots go to test-output/web/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from test_web_browser import ARGS, CHROMIUM, LAPTOP, SHOTS, Server, server

pytestmark = pytest.mark.browser
__all__ = ["server"]  # the module's own demo server (module-scoped fixture)

PHONE = {"width": 390, "height": 844}
# no sideways scroll (the layout viewport's width holds, as in test_web_field_browser.py)
WIDE = "document.scrollingElement.scrollWidth <= Math.min(innerWidth, document.documentElement.clientWidth)"


@pytest.fixture(scope="module")
def chromium(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def _walk(
    chromium: Any, server: Server, username: str, lang: str, viewport: dict[str, int]
) -> dict[str, str]:
    """Sign in, open the committee, its first meeting and a commitment of that meeting; the pages' texts."""
    phone = viewport == PHONE
    context = chromium.new_context(viewport=viewport, is_mobile=phone, has_touch=phone, locale="en-GB")
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "outrider_lang", "value": lang, "url": server.base}])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{server.base}/login?next=/committee")
    page.fill("#username", username)
    page.fill("#password", server.passwords[username])
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/committee$"))
    texts: dict[str, str] = {}
    size = f"{viewport['width']}x{viewport['height']}"

    def seen(name: str) -> None:
        page.wait_for_load_state("load")
        texts[name] = page.locator("main").inner_text()
        if phone:
            assert page.evaluate(WIDE), (name, page.evaluate("document.scrollingElement.scrollWidth"))
        page.screenshot(path=str(SHOTS / f"committee-{name}-{username}-{lang}-{size}.png"), full_page=True)

    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ur" else "ltr")
    seen("committee")
    page.locator("ul.meetings[id^='past-'] a").last.click()  # the first meeting (the list is newest first)
    page.wait_for_url(re.compile(r".*/committee/meetings/\d+$"))
    seen("meeting")
    page.locator("ul.outcomes a[href^='/commitments/']").first.click()
    page.wait_for_url(re.compile(r".*/commitments/\d+$"))
    seen("commitment")
    page.locator("main > p > a[href='/commitments']").first.click()
    page.wait_for_url(re.compile(r".*/commitments$"))
    seen("board")
    context.close()
    assert errors == [], errors
    return texts


def test_a_host_officer_at_a_desk_walks_committee_meeting_commitment(chromium: Any, server: Server) -> None:
    texts = _walk(chromium, server, "duty", "en", LAPTOP)
    assert "Joint Security Committee" in texts["committee"] and "Past meetings" in texts["committee"]
    assert "Recent roadside bombs near Dasu" in texts["meeting"]  # named on the restricted item
    assert "Approved by both parties" in texts["meeting"]
    assert "Evidence timeline" in texts["commitment"] and "Each party's assessment" in texts["commitment"]
    assert "The two sides disagree" in texts["board"] and "overdue" in texts["board"]


def test_the_partners_liaison_on_a_phone_in_urdu(chromium: Any, server: Server) -> None:
    texts = _walk(chromium, server, "liaison", "ur", PHONE)
    assert "مشترکہ کمیٹی" in texts["committee"]  # "Joint committee"
    assert "Recent roadside bombs near Dasu" not in texts["meeting"]  # not named on the restricted item
    assert "محدود: اس کا مواد صرف نامزد اراکین پڑھ سکتے ہیں۔" in texts["meeting"]
    assert "ثبوت کی ٹائم لائن" in texts["commitment"]  # "Evidence timeline"
    assert "دونوں فریقوں کی رائے مختلف ہے" in texts["board"]  # "The two sides disagree"
