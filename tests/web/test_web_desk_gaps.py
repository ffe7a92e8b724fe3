"""The desk's small gaps: the enrolment's QR code (drawn on the server from the otpauth link) and the
demo's users on a development server's sign-in page with their organisation and party."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
import segno
from fastapi.testclient import TestClient
from test_web_registry_access import headers

from outrider.settings import get_settings
from outrider.web import qr

PASSWORD = "correct horse battery staple"  # the world's users share it


def test_the_enrolment_shows_a_qr_code_of_the_otpauth_link(
    client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    given: list[str] = []
    original = segno.make

    def make(content: str, **options: Any) -> Any:
        given.append(content)
        return original(content, **options)

    monkeypatch.setattr(qr.segno, "make", make)
    page = client.post(
        "/account/totp", data={"password": PASSWORD}, headers=headers(world, "duty", change=True)
    )
    assert page.status_code == 200, page.text
    link = re.search(r'<a href="([^"]+)" id="otpauth-uri"', page.text)
    assert link is not None and html.unescape(link.group(1)).startswith("otpauth://totp/")
    assert given == [html.unescape(link.group(1))]  # segno drew exactly the link the page offers
    figure = page.text[page.text.index('id="otpauth-qr"') :]
    assert figure.index("<svg") < figure.index("</figure>") and '<path class="qrline"' in figure
    assert "<script" not in figure[: figure.index("</figure>")]


def test_demo_logins_on_a_development_sign_in_page_name_organisation_and_party(
    client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert 'id="demo-logins"' not in client.get("/login").text  # outside development: nothing listed
    monkeypatch.setattr(get_settings(), "env", "development")
    page = client.get("/login").text
    rows = dict(re.findall(r'<tr data-user="([^"]+)">(.*?)</tr>', page, re.S))
    # The world's users that the demo also has: admin, duty, liaison, analyst, auditor (not "coord").
    assert list(rows) == ["admin", "duty", "liaison", "analyst", "auditor"]
    assert (
        "duty officer" in rows["duty"]
        and "Host Protection Unit" in rows["duty"]
        and "host security" in rows["duty"]
    )
    assert "Partner Embassy" in rows["liaison"] and "partner government" in rows["liaison"]
    assert PASSWORD not in page
    zh = client.get("/login", headers={"Cookie": "outrider_lang=zh-Hans"}).text
    assert 'id="demo-logins"' in zh and "演示账户" in zh
