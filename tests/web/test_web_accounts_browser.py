"""The accounts pages in a real browser (Debian's Chromium by Playwright, 1366x768, against `outrider
serve` on the demo): change your password, enrol a second factor and sign in with it (the code computed
here), and an administrator's reset code redeemed on the reset page."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from test_web_browser import ARGS, CHROMIUM, LAPTOP, SHOTS, Server, Session, server

from outrider.accounts import totp

pytestmark = pytest.mark.browser
__all__ = ["server"]  # the module's own `outrider serve` on the demo (the fixture of the browser tests)
NEW = "a brand new passphrase for the desk"


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _context(browser: Any) -> Any:
    context = browser.new_context(viewport=LAPTOP, locale="en-GB")
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_change_your_password(browser: Any, server: Server) -> None:
    s = Session(browser, server, "coordinator")
    page = s.page
    page.fill("#current-password", server.passwords["coordinator"])
    page.fill("#new-password", NEW)
    page.fill("#confirm-password", NEW)
    page.click("form[action='/account/password'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/account\?done=password_changed$"))
    assert "Password changed" in page.inner_text("body")
    s.shot("account-password-changed-1366x768")
    s.close()
    server.passwords["coordinator"] = NEW
    again = Session(browser, server, "coordinator")  # signs in with the new password
    again.close()


def test_enrol_a_second_factor_and_sign_in_with_it(browser: Any, server: Server) -> None:
    s = Session(browser, server, "analyst")
    page = s.page
    page.fill("#totp-password", server.passwords["analyst"])
    page.click("form[action='/account/totp'] button[type=submit]")
    secret = page.input_value("#totp-secret")
    assert page.get_attribute("#otpauth-uri", "href").startswith("otpauth://totp/")
    key = totp.from_base32(secret)
    page.fill("#totp-code", totp.totp(key, time.time() - totp.STEP_SECONDS))
    page.click("form[action='/account/totp/confirm'] button[type=submit]")
    page.wait_for_selector("#recovery-codes")
    assert len(page.locator("#recovery-codes li").all_inner_texts()) == 10
    s.shot("account-second-factor-enrolled-1366x768")
    s.close()

    context, page = _context(browser)
    page.goto(f"{server.base}/login?next=/account")
    page.fill("#username", "analyst")
    page.fill("#password", server.passwords["analyst"])
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/login/second-factor"))
    page.fill("#code", totp.totp(key, time.time()))
    page.click("form[action='/login/second-factor'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/account$"))
    assert "Enabled" in page.inner_text("#totp-state")
    context.close()


def test_an_administrator_resets_a_password(browser: Any, server: Server) -> None:
    s = Session(browser, server, "admin")
    page = s.go("/accounts/users")
    page.click("a:text-is('duty')")
    page.click("form[action$='/password-reset'] button[type=submit]")
    code = page.input_value("#reset-code")
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){4}", code)
    s.shot("accounts-user-reset-code-1366x768")
    s.close()

    context, page = _context(browser)
    page.goto(f"{server.base}/login")
    page.click("a[href='/password-reset']")
    page.fill("#reset-code", code)
    page.fill("#reset-new", NEW)
    page.fill("#reset-confirm", NEW + " typo")
    page.click("form[action='/password-reset'] button[type=submit]")
    assert page.input_value("#reset-code") == code  # kept, with the error beside its field
    assert page.locator("#reset-confirm-error").is_visible()
    page.fill("#reset-new", NEW)
    page.fill("#reset-confirm", NEW)
    page.click("form[action='/password-reset'] button[type=submit]")
    page.wait_for_selector("#reset-done")
    context.close()
    server.passwords["duty"] = NEW
    Session(browser, server, "duty").close()
