"""The sharing page in headless Chromium on the demo (a server of this module's own): the host's analyst at
1366x768 reads every release and takes the ledger as CSV; the partner embassy's administrator approves
a new policy version from the page by its hash; its liaison reads only the embassy's releases on a phone,
in Urdu (right to left, the tables as cards). Screenshots go to test-output/web/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from test_web_browser import ARGS, CHROMIUM, LAPTOP, SHOTS, Server, Session, server
from test_web_registry_browser import _settled

pytestmark = pytest.mark.browser
__all__ = ["server"]  # the module's own demo server (module-scoped fixture)
PHONE = {"width": 390, "height": 844}
TERMS = {
    "max_marking": "TLP:AMBER",
    "object_types": ["event", "incident", "report", "actor"],
    "fields": {"event": "*", "incident": "*", "report": "*", "actor": "*"},
}


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    _settled(server)
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def releases(server: Server) -> dict[str, Any]:
    """A policy for the partner embassy agreed by both founding parties, an export by the host's analyst,
    a pull by the embassy's administrator, and a second version proposed and approved by the host only."""
    embassy = next(
        o["id"]
        for o in server.api("GET", "organizations", "admin")
        if o["name"].startswith("Partner Embassy")
    )
    made = server.api("POST", "sharing/policies", "admin", json={"partner_org_id": embassy, **TERMS})
    for who in ("admin", "envoy"):
        server.api(
            "POST", f"sharing/policies/{made['id']}/approve", who, json={"payload_hash": made["payload_hash"]}
        )
    bundle = server.api("POST", "sharing/export", "analyst", json={"partner_org_id": embassy})
    pulled = server.api("GET", "sharing/stream", "envoy")
    assert pulled["count"] > 0, "the demo's intelligence is AMBER by default: the policy releases it"
    second = {"partner_org_id": embassy, **TERMS, "max_marking": "TLP:GREEN"}
    v2 = server.api("POST", "sharing/policies", "admin", json=second)
    server.api(
        "POST", f"sharing/policies/{v2['id']}/approve", "admin", json={"payload_hash": v2["payload_hash"]}
    )
    return {"embassy": embassy, "v2": v2, "exported": len(bundle["objects"])}


class Reader(Session):
    """A signed-in browser with more time per step (sign-in hashes a password on a shared machine)."""

    def __init__(
        self, browser: Any, server: Server, username: str, viewport: dict[str, int], lang: str
    ) -> None:
        self.server = server
        self.context = browser.new_context(viewport=viewport, locale="en-GB")
        self.context.set_default_timeout(45_000)
        if lang != "en":
            self.context.add_cookies([{"name": "outrider_lang", "value": lang, "url": server.base}])
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("response", self._status)
        self.page.on("console", self._console)
        self.page.goto(f"{server.base}/login?next=/sharing")
        self.page.fill("#username", username)
        self.page.fill("#password", server.passwords[username])
        self.page.click("form[action='/login'] button[type=submit]")
        self.page.wait_for_url(re.compile(r".*/sharing$"))


def test_the_hosts_analyst_reads_every_release_and_takes_the_ledger(
    browser: Any, server: Server, releases: dict[str, Any]
) -> None:
    s = Reader(browser, server, "analyst", LAPTOP, "en")
    page = s.page
    assert "Sharing" in page.locator("nav[aria-label='Main'] a").all_inner_texts()
    rows = page.locator("#releases-table tbody tr").all_inner_texts()
    assert len(rows) == 2 and "partner's pull" in rows[0] and "STIX bundle" in rows[1], rows
    assert page.locator("#policies-table tbody tr").count() == 2
    assert page.locator("form[action^='/sharing/policies/']").count() == 0  # an analyst approves nothing
    page.select_option("#f-partner", str(releases["embassy"]))
    page.click("#releases-filter button[type=submit]")
    page.wait_for_url(re.compile(rf".*/sharing\?partner={releases['embassy']}&from=&to=$"))
    assert page.locator("#releases-table tbody tr").count() == 2
    s.shot("sharing-analyst-1366x768")
    # the link as the browser follows it, with its session (headless Chromium saves no file here)
    got = s.context.request.get(server.base + str(page.get_attribute("#ledger-csv", "href")))
    assert got.ok and got.headers["content-disposition"].startswith("attachment")
    text = got.text()
    assert text.startswith("seq,record_hash,at,") and text.count("Partner Embassy") > 2
    s.close()


def test_the_partners_administrator_approves_by_hash_and_its_liaison_reads_on_a_phone_in_urdu(
    browser: Any, server: Server, releases: dict[str, Any]
) -> None:
    v2 = releases["v2"]
    envoy = Reader(browser, server, "envoy", LAPTOP, "en")
    assert v2["payload_hash"][:16] in envoy.page.inner_text(f"#policy-{v2['id']}")
    envoy.page.click(f"#approve-{v2['id']}")
    envoy.page.wait_for_url(re.compile(r".*/sharing\?done=enacted$"))
    assert "Approved by both founding parties" in envoy.page.inner_text("#messages")
    envoy.close()
    phone = Reader(browser, server, "liaison", PHONE, "ur")
    page = phone.page
    assert page.locator("html[dir='rtl']").count() == 1
    assert "حالیہ اجرا" in page.inner_text("#releases-title")
    assert page.locator("#releases-table.cards").count() == 1  # rows as cards on a phone
    assert page.locator("#releases-table tbody tr").count() == 2  # the embassy's own: all there are
    box = page.locator("#releases-table").bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    phone.shot("sharing-liaison-ur-390x844")
    phone.close()
