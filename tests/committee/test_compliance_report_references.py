"""A commitment's `compliance_report` evidence names the protocol whose compliance report it rests on, and
the name is checked as the committee's other references are: a protocol with no stored version is refused
(422 beside `ref` in the API, for an entry and for a stage move's entry; one line on the command line; the
message beside the reference on the web, in English, Chinese and Urdu), and one the writer may not read
would get the very same answer. Before the fix the reference was free text: any words were accepted as
"the compliance report" (every refusal below failed then)."""

from __future__ import annotations

import dataclasses
import re
from importlib.resources import files
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from commitment_routes import _commitment
from outrider import db
from outrider.accounts.models import User
from outrider.cli import app
from outrider.committee import evidence
from outrider.committee.evidence import NO_PROTOCOL
from outrider.errors import InvalidInput
from outrider.http import caller_of, csrf_token
from outrider.protocols import service as protocols
from outrider.settings import get_settings

API = "/api/v1/commitments"
STORED = "default-protection"
MISSING = "no-such-protocol"
WRITERS = ("admin", "duty", "liaison", "embassy_admin")


@pytest.fixture
def stored(world: Any) -> str:
    text = files("outrider.protocols").joinpath("data/default.yaml").read_text("utf-8")
    with db.transaction() as session:
        admin = caller_of(session.get_one(User, world["admin"].user_id))
        protocols.load_version(session, caller=admin, text=text, parties={}, now=db.utcnow())
    return STORED


def _post(client: TestClient, world: Any, who: str, ref: str, stage: bool) -> Any:
    cid = _commitment(world)
    body: dict[str, Any] = {"date": "2026-11-02", "title": "the month's report", "ref": ref}
    if stage:
        body |= {"stage": "agreed", "evidence_kind": "compliance_report"}
        return client.post(f"{API}/{cid}/stage", json=body, headers=world[who].headers)
    return client.post(
        f"{API}/{cid}/evidence", json=body | {"kind": "compliance_report"}, headers=world[who].headers
    )


@pytest.mark.parametrize("stage", [False, True], ids=["evidence", "stage"])
def test_the_api_refuses_a_report_of_no_stored_protocol(
    client: TestClient, world: Any, stored: str, stage: bool
) -> None:
    for who in WRITERS:
        assert _post(client, world, who, stored, stage).status_code == 201, who
        refused = _post(client, world, who, MISSING, stage)
        assert refused.status_code == 422 and refused.headers["content-type"].startswith(
            "application/problem+json"
        ), (who, refused.text)
        assert refused.json()["errors"] == [{"loc": ["ref"], "msg": NO_PROTOCOL}], who


def test_a_reader_of_no_compliance_report_is_answered_as_for_a_missing_protocol(
    world: Any, stored: str
) -> None:
    # Every writer of commitments reads compliance reports today; one who did not (a role without them)
    # would learn nothing from the answer: a stored protocol is refused in the very words of a missing one.
    with db.transaction() as session:
        duty = caller_of(session.get_one(User, world["duty"].user_id))
    unread = dataclasses.replace(duty, roles=frozenset({"analyst"}))  # an analyst may own a commitment
    answers = []
    for ref in (stored, MISSING):
        with pytest.raises(InvalidInput) as refused, db.transaction() as session:
            evidence.check_ref(session, unread, evidence.s.EvidenceKind.compliance_report, ref)
        answers.append((refused.value.detail, refused.value.errors))
    assert answers[0] == answers[1] and answers[0][1] == [{"loc": ["ref"], "msg": NO_PROTOCOL}]


def test_the_cli_refuses_it_in_one_line(world: Any, stored: str) -> None:
    cid = str(_commitment(world))

    def run(ref: str) -> Any:
        args = ["evidence", cid, "--kind", "compliance_report", "--date", "2026-11-02", "--title", "x"]
        return CliRunner().invoke(app, ["commitments", *args, "--ref", ref, "--as", "duty"])

    assert run(stored).exit_code == 0
    refused = run(MISSING)
    assert refused.exit_code == 1 and len(refused.stderr.strip().splitlines()) == 1, refused.output
    assert NO_PROTOCOL in refused.stderr


def _browser(world: Any, who: str, lang: str) -> dict[str, str]:
    token = world[who].token
    cookie = f"outrider_session={token}; outrider_lang={lang}"
    return {"Cookie": cookie, "X-CSRF-Token": csrf_token(get_settings().secret_key, token)}


@pytest.mark.parametrize("lang", ["en", "zh-Hans", "ur"])
def test_the_web_says_it_beside_the_reference(client: TestClient, world: Any, stored: str, lang: str) -> None:
    cid = _commitment(world)

    def post(ref: str) -> Any:
        data = {"kind": "compliance_report", "date": "2026-11-02", "title": "the month's report", "ref": ref}
        headers = _browser(world, "liaison", lang)
        return client.post(f"/commitments/{cid}/evidence", data=data, headers=headers, follow_redirects=False)

    refused = post(MISSING)
    found = re.search(r'<p class="errors" id="evidence-ref-error">(.*?)</p>', refused.text, re.S)
    assert refused.status_code == 422 and found, refused.text[:300]
    assert ("No protocol has this id" in found.group(1)) is (lang == "en"), found.group(1)
    assert post(stored).status_code == 303
    page = client.get(f"/commitments/{cid}", headers=_browser(world, "liaison", lang))
    assert f'href="/compliance?protocol={STORED}' in page.text  # the entry opens the report it names
