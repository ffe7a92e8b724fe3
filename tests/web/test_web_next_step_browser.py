"""The movement page's next step in a real browser (Debian's Chromium by Playwright, 1366x768, against
`outrider serve` on the demo with its protocol agreed): the movement awaiting the partner has no escort,
so the partner's approval is refused and lands back on the page that says what blocks it and who can clear
it; a role that may not approve sees no approve button; the host's duty officer follows the link to the
escort form and the block is gone. The sign-in page lists the demo's users with their party."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session as DbSession
from test_web_browser import ARGS, CHROMIUM, SHOTS, Server, Session, server

from outrider import db
from outrider.demo import protocols as demo_protocols

pytestmark = pytest.mark.browser
__all__ = ["server"]  # the module's own `outrider serve` on the demo (the fixture of the browser tests)


@pytest.fixture(scope="module")
def agreed(server: Server) -> int:
    """The demo's default protocol agreed by both parties (as `outrider demo protocol` does, without the
    reviews); returns the id of the movement that waits for the partner's approval."""
    engine = db.make_engine(f"sqlite:///{Path(server.env['OUTRIDER_DATA_DIR']) / 'outrider.db'}")
    try:
        with DbSession(engine) as session:
            demo_protocols.agree_default(
                session,
                host_admin=demo_protocols._caller(session, demo_protocols.HOST_ADMIN),
                partner_admin=demo_protocols._caller(session, demo_protocols.PARTNER_ADMIN),
                now=db.utcnow(),
            )
            session.commit()
    finally:
        engine.dispose()
    board = server.api("GET", "movements?status=submitted", "coordinator")["items"]
    (waiting,) = [m for m in board if m["destination"] == "Islamabad Liaison Office"]
    return int(waiting["id"])


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _rules(page: Any) -> list[str]:
    return [
        str(x)
        for x in page.locator("#next-step-blocks > li").evaluate_all("els => els.map(e => e.dataset.rule)")
    ]


def test_a_refused_approval_says_what_blocks_it_and_who_can_clear_it(
    browser: Any, server: Server, agreed: int
) -> None:
    login = httpx.get(f"{server.base}/login", timeout=10).text
    row = re.search(r'<tr data-user="liaison">(.*?)</tr>', login, re.S)
    assert row is not None and "Partner Embassy" in row.group(1) and "partner government" in row.group(1)

    liaison = Session(browser, server, "liaison")
    page = liaison.go(f"/movements/{agreed}")
    assert "escort-ratio" in _rules(page) and page.locator("#next-step-held").is_visible()
    escort = page.locator("#next-step-blocks li[data-rule='escort-ratio'] .remedy-escort")
    assert "host security" in escort.inner_text() and escort.locator("a").count() == 0  # not the liaison's
    page.fill("#decision-comment", "approve despite the missing escort")
    page.click("#decide-form button.primary")
    page.wait_for_url(re.compile(rf".*/movements/{agreed}\?refused=approve#next-step$"))
    assert page.locator("#approval-refused").is_visible() and "Rule violation" not in page.title()
    assert "escort-ratio" in _rules(page)
    assert page.locator("#next-step .remedy-waiver a[href='#waiver-form']").count() >= 1
    liaison.shot("movement-next-step-refused-1366x768")
    liaison.close()

    for reader in ("coordinator", "analyst"):  # may not approve for a party: no approve button
        s = Session(browser, server, reader)
        page = s.go(f"/movements/{agreed}")
        assert page.locator("#decide-form").count() == 0 and "escort-ratio" in _rules(page)
        s.close()

    duty = Session(browser, server, "duty")
    page = duty.go(f"/movements/{agreed}")
    page.click("#next-step-blocks li[data-rule='escort-ratio'] .remedy-escort a[href='#escort-form']")
    kestrel = page.locator("#escort-units option", has_text="KESTREL-2").get_attribute("value")
    page.select_option("#escort-units", value=kestrel)
    page.click("#escort-form button[type=submit]")
    page.wait_for_url(re.compile(r".*done=escort$"))
    assert "escort-ratio" not in _rules(page)
    duty.close()
