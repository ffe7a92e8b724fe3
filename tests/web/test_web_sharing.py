"""The sharing page: what each reader sees (the host's analyst every partner's releases, the partner's
liaison only its own), a policy approved by each founding party's administrator from the page by its hash,
the default marking set by the host's administrator, the ledger's files, and the page in Urdu (RTL)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from test_web_sharing_access import _headers, proposed, released

from fresh_databases import migrated_database
from outrider import db
from outrider.accounts.models import User
from outrider.http import caller_of
from outrider.pdf_fonts import font_files
from outrider.sharing import ledger_pdf
from pdf_text import drawn


@pytest.fixture(scope="module")
def migrated_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """SQLite only: the page reads through the ledger's and policies' services, tested on both databases."""
    engine = migrated_database("sqlite", request, tmp_path_factory.mktemp("db"))
    yield engine
    engine.dispose()


def _releases_to_acme(world: Any) -> None:
    """Acme (a company) as a second partner: its own policy and one release, which the embassy never sees."""
    from outrider.sharing import policy_store, service

    terms = {"max_marking": "TLP:GREEN", "object_types": ["actor"], "fields": {"actor": "*"}}
    with db.transaction() as session:
        admin, partner, analyst = (
            caller_of(session.get_one(User, world[n].user_id)) for n in ("admin", "embassy_admin", "analyst")
        )
        now = db.utcnow()
        row = policy_store.propose(
            session, caller=admin, partner_org_id=world.orgs["acme"], terms=terms, comment="", now=now
        )
        for who in (admin, partner):
            policy_store.approve(
                session, caller=who, policy_id=row.id, payload_hash=row.payload_hash, now=now
            )
        service.export(session, caller=analyst, partner_org_id=world.orgs["acme"], now=now)


def _rows(html: str) -> int:
    table = html.split('id="releases-table"')[1].split("</table>")[0]
    return table.count("<tr>") - 1  # less the heading's row


def test_each_reader_sees_the_releases_it_may(client: TestClient, world: Any) -> None:
    released(world)
    _releases_to_acme(world)
    host = client.get("/sharing", headers=_headers(world, "analyst"))
    assert host.status_code == 200 and _rows(host.text) == 2
    assert "Acme Hydro" in host.text and "Partner Embassy" in host.text
    assert 'action="/sharing/default-marking"' not in host.text  # the analyst does not set the default
    liaison = client.get("/sharing", headers=_headers(world, "liaison"))
    assert liaison.status_code == 200 and _rows(liaison.text) == 1 and "Acme Hydro" not in liaison.text
    every = client.get("/sharing?partner=&from=&to=", headers=_headers(world, "analyst"))  # the form as sent
    assert every.status_code == 200 and _rows(every.text) == 2
    only_acme = client.get(f"/sharing?partner={world.orgs['acme']}", headers=_headers(world, "analyst"))
    assert _rows(only_acme.text) == 1
    assert (
        client.get(f"/sharing?partner={world.orgs['acme']}", headers=_headers(world, "liaison")).status_code
        == 403
    )
    backwards = client.get("/sharing?from=2026-12-02&to=2026-12-01", headers=_headers(world, "analyst"))
    assert backwards.status_code == 422 and "ends before it starts" in backwards.text
    files = client.get("/sharing/ledger.csv", headers=_headers(world, "liaison"))
    assert files.status_code == 200 and files.text.startswith("seq,record_hash,")
    assert "Acme Hydro" not in files.text
    pdf = client.get("/sharing/ledger.pdf?from=2020-01-01", headers=_headers(world, "auditor"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    urdu = client.get("/sharing/ledger.pdf", headers=_headers(world, "auditor") | {"Accept-Language": "ur"})
    if "arabic" in font_files():  # the reader's language: the headings in Urdu, drawn from the right
        assert drawn(urdu.content)[0][0] == ledger_pdf.WORDS["title"][2][::-1]
    assert client.get("/sharing/ledger.xls", headers=_headers(world, "auditor")).status_code in (404, 422)


def test_a_policy_is_approved_from_the_page_by_each_founding_party(client: TestClient, world: Any) -> None:
    pid, digest = proposed(world, agree=False)
    page = client.get("/sharing", headers=_headers(world, "admin"))
    assert f'id="approve-{pid}"' in page.text and digest in page.text
    assert f'id="approve-{pid}"' not in client.get("/sharing", headers=_headers(world, "auditor")).text
    wrong = client.post(
        f"/sharing/policies/{pid}/approve",
        data={"payload_hash": "0" * 64},
        headers=_headers(world, "admin", change=True),
    )
    assert wrong.status_code == 409 and "payload hash" in wrong.text
    done = client.post(
        f"/sharing/policies/{pid}/approve",
        data={"payload_hash": digest},
        headers=_headers(world, "admin", change=True),
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/sharing?done=approved"
    assert f'id="approve-{pid}"' not in client.get("/sharing", headers=_headers(world, "admin")).text
    last = client.post(
        f"/sharing/policies/{pid}/approve",
        data={"payload_hash": digest},
        headers=_headers(world, "embassy_admin", change=True),
        follow_redirects=False,
    )
    assert last.headers["location"] == "/sharing?done=enacted"
    agreed = client.get("/sharing?done=enacted", headers=_headers(world, "liaison")).text
    assert "Approved by both founding parties" in agreed
    assert re.search(rf'id="policy-{pid}">.*?agreed', agreed, re.S)


def test_the_hosts_administrator_sets_the_default_marking_and_the_page_reads_in_urdu(
    client: TestClient, world: Any
) -> None:
    released(world)
    form = client.post(
        "/sharing/default-marking",
        data={"marking": "TLP:GREEN"},
        headers=_headers(world, "admin", change=True),
        follow_redirects=False,
    )
    shown = client.get(form.headers["location"], headers=_headers(world, "admin")).text
    assert "Default marking saved." in shown
    assert '<strong id="default-marking" dir="ltr">TLP:GREEN</strong>' in shown
    bad = client.post(
        "/sharing/default-marking",
        data={"marking": "TLP:PINK"},
        headers=_headers(world, "admin", change=True),
    )
    assert bad.status_code == 422 and "unknown marking" in bad.text
    urdu = client.get("/sharing", headers=_headers(world, "analyst") | {"Accept-Language": "ur"})
    assert '<html lang="ur" dir="rtl">' in urdu.text
    assert "شراکت داروں کے ساتھ اشتراک" in urdu.text and "حالیہ اجرا" in urdu.text
    chinese = client.get("/sharing", headers=_headers(world, "analyst") | {"Accept-Language": "zh-CN"})
    assert "与合作方共享" in chinese.text and "发布政策" in chinese.text
