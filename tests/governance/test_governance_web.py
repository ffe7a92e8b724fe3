"""The administration page: the arrangement form proposes; founding administrators approve or reject."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from outrider.http import csrf_token
from outrider.settings import get_settings


@pytest.fixture
def browser(engine: Engine) -> Iterator[TestClient]:
    from outrider.app import create_app

    with TestClient(create_app(), base_url="https://testserver", raise_server_exceptions=False) as c:
        yield c


def _h(world: Any, who: str, change: bool = False) -> dict[str, str]:
    token = world[who].token
    headers = {"Cookie": f"outrider_session={token}"}
    if change:
        headers["X-CSRF-Token"] = csrf_token(get_settings().secret_key, token)
    return headers


def test_the_arrangement_form_proposes_and_both_founders_enact_it(browser: TestClient, world: Any) -> None:
    api = {"Authorization": f"Bearer {world['coord'].token}"}
    doc = browser.get("/api/v1/arrangement", headers=api).json()["document"]
    doc["overdue_grace_minutes"] = 3
    r = browser.post(
        "/admin/arrangement",
        data={"document": json.dumps(doc), "comment": "shorter grace"},
        headers=_h(world, "admin", change=True),
        follow_redirects=False,
    )
    assert r.status_code == 303 and "proposed" in r.headers["location"]
    assert browser.get("/api/v1/arrangement", headers=api).json()["version"] == 0
    # A company administrator sees no proposals and no form to propose with.
    page = browser.get("/admin", headers=_h(world, "acme_admin")).text
    assert "/admin/proposals/" not in page and 'action="/admin/arrangement"' not in page
    for who in ("admin", "embassy_admin"):
        page = browser.get("/admin", headers=_h(world, who)).text
        assert "Open proposals" in page
        found = re.search(r'/admin/proposals/(\d+)/approve".*?value="([0-9a-f]{64})"', page, re.S)
        assert found is not None
        pid, digest = found.groups()
        done = browser.post(
            f"/admin/proposals/{pid}/approve",
            data={"payload_hash": digest},
            headers=_h(world, who, change=True),
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
    assert "enacted" in done.headers["location"]
    stored = browser.get("/api/v1/arrangement", headers=api).json()
    assert stored["version"] == 1 and stored["document"]["overdue_grace_minutes"] == 3


def test_the_forms_refuse_a_partner_government_and_an_auditor(browser: TestClient, world: Any) -> None:
    org = browser.post(
        "/admin/organizations",
        data={"name": "Rogue Embassy", "kind": "partner_government", "country": "DE"},
        headers=_h(world, "acme_admin", change=True),
        follow_redirects=False,
    )
    assert org.status_code == 403
    user = browser.post(
        "/admin/users",
        data={"username": "acme-auditor", "roles": "auditor"},
        headers=_h(world, "acme_admin", change=True),
        follow_redirects=False,
    )
    assert user.status_code == 403
