"""A commitment's evidence names a report or a meeting: one the caller may not read is answered exactly as
one that does not exist, for every role of every organisation (the two founding parties, the companies,
an organisation party to nothing), in the API, the CLI and the web, and for a stage move's entry too.

Before the fix, a report the caller's organisation may not read (marked above it) and an approved meeting
of a committee the caller does not read were accepted, where an id that does not exist was refused: the
answer told what exists. Each case below failed then."""

from __future__ import annotations

import hashlib
import itertools
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from commitment_routes import _commitment
from outrider import db
from outrider.accounts.models import User
from outrider.cli import app
from outrider.committee import committees, meetings
from outrider.committee import schemas as cs
from outrider.committee.evidence import MINUTES_APPROVED, NO_MINUTES, NO_REPORT
from outrider.committee.models import Meeting
from outrider.http import caller_of, csrf_token
from outrider.intel.models import IntelReport
from outrider.settings import get_settings
from world_users import WORLD_USERS

API = "/api/v1/commitments"
MISSING = "987654"  # no report and no meeting has this id
_N = itertools.count(1)
runner = CliRunner()


def _marked_report() -> int:
    """A report marked TLP:RED: the host, whose intelligence it is, reads it; the partner does not."""
    n = next(_N)
    text = f"Report {n}: the partner pledged radios."
    with db.transaction() as session:
        row = IntelReport(
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
            doc_id=f"red-{n}",
            source=f"https://news.example.org/red-{n}",
            title=f"Red report {n}",
            published=datetime(2026, 10, 1, tzinfo=UTC).date(),
            language="en",
            raw_text=text,
            clean_text=text,
            related=[],
            ingested_at=datetime(2026, 11, 1, tzinfo=UTC),
            marking="TLP:RED",
            ntk_groups=[],
        )
        session.add(row)
        session.flush()
        return row.id


def _closed_meeting(world: Any) -> int:
    """An approved meeting of a committee only the host administrator sits on: the founding parties'
    administrators and the auditor read it; the duty officer and the liaison do not."""
    now = db.utcnow()
    with db.transaction() as session:
        admin = caller_of(session.get_one(User, world["admin"].user_id))
        c = committees.create_committee(
            session, caller=admin, data=cs.CommitteeCreate(name=f"Closed committee {next(_N)}"), now=now
        )
        seat = cs.MemberAdd(user_id=world["admin"].user_id, role=cs.Role.chair)
        committees.add_member(session, caller=admin, committee_id=c.id, data=seat, now=now)
        data = cs.MeetingCreate(title="Closed session", starts_at=now, timezone="Asia/Karachi")
        m = meetings.create_meeting(session, caller=admin, committee_id=c.id, data=data, now=now)
        session.get_one(Meeting, m.id).status = MINUTES_APPROVED  # as both parties' signatures leave it
        return m.id


# Who may read each reference besides writing evidence (the others may not, or may not write at all).
READS = {"news": {"admin", "duty"}, "minutes": {"admin", "embassy_admin"}}
WORDS = {"news": NO_REPORT, "minutes": NO_MINUTES}


@pytest.fixture
def refs(world: Any) -> dict[str, str]:
    return {"news": str(_marked_report()), "minutes": str(_closed_meeting(world))}


def _evidence(client: TestClient, world: Any, who: str, cid: int, kind: str, ref: str) -> Any:
    body = {"kind": kind, "date": "2026-11-02", "title": "cited", "ref": ref}
    return client.post(f"{API}/{cid}/evidence", json=body, headers=world[who].headers)


def _stage(client: TestClient, world: Any, who: str, cid: int, kind: str, ref: str) -> Any:
    body = {"stage": "agreed", "date": "2026-11-02", "title": "cited", "evidence_kind": kind, "ref": ref}
    return client.post(f"{API}/{cid}/stage", json=body, headers=world[who].headers)


@pytest.mark.parametrize("kind", ["news", "minutes"])
@pytest.mark.parametrize("post", [_evidence, _stage], ids=["evidence", "stage"])
def test_the_api_answers_an_unreadable_reference_as_a_missing_one(
    client: TestClient, world: Any, refs: dict[str, str], kind: str, post: Any
) -> None:
    for who in WORLD_USERS:
        cid = _commitment(world)
        missing = post(client, world, who, cid, kind, MISSING)
        hidden = post(client, world, who, _commitment(world) if who in READS[kind] else cid, kind, refs[kind])
        if who in READS[kind]:
            assert hidden.status_code == 201, (who, hidden.text)
            assert missing.status_code == 422 and WORDS[kind] in missing.text, (who, missing.text)
            continue
        assert missing.status_code in (403, 404, 422), (who, missing.text)
        assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json()), who


def test_the_cli_answers_an_unreadable_reference_as_a_missing_one(world: Any, refs: dict[str, str]) -> None:
    for kind, who in itertools.product(("news", "minutes"), ("liaison", "duty", "embassy_admin", "auditor")):
        cid = str(_commitment(world))

        def run(ref: str, cid: str = cid, kind: str = kind, who: str = who) -> Any:
            args = ["evidence", cid, "--kind", kind, "--date", "2026-11-02", "--title", "x", "--ref", ref]
            return runner.invoke(app, ["commitments", *args, "--as", who])

        missing, hidden = run(MISSING), run(refs[kind])
        if who in READS[kind]:
            assert hidden.exit_code == 0, (kind, who, hidden.output)
            continue
        assert missing.exit_code == 1 and len(missing.stderr.strip().splitlines()) == 1, missing.output
        assert (hidden.exit_code, hidden.stderr) == (missing.exit_code, missing.stderr), (kind, who)


def _browser(world: Any, who: str, lang: str) -> dict[str, str]:
    """A signed-in browser's cookie, its CSRF header and its language."""
    token = world[who].token
    cookie = f"outrider_session={token}; outrider_lang={lang}"
    return {"Cookie": cookie, "X-CSRF-Token": csrf_token(get_settings().secret_key, token)}


def _ref_error(text: str) -> str | None:
    found = re.search(r'<p class="errors" id="evidence-ref-error">(.*?)</p>', text, re.S)
    return found.group(1) if found else None


@pytest.mark.parametrize("lang", ["en", "zh-Hans", "ur"])
def test_the_web_answers_an_unreadable_reference_as_a_missing_one(
    client: TestClient, world: Any, refs: dict[str, str], lang: str
) -> None:
    for kind, who in itertools.product(("news", "minutes"), ("liaison", "duty", "embassy_admin")):
        cid = _commitment(world)

        def post(ref: str, cid: int = cid, kind: str = kind, who: str = who) -> Any:
            data = {"kind": kind, "date": "2026-11-02", "title": "cited", "ref": ref}
            h = _browser(world, who, lang)
            return client.post(f"/commitments/{cid}/evidence", data=data, headers=h, follow_redirects=False)

        missing, hidden = post(MISSING), post(refs[kind])
        if who in READS[kind]:
            assert hidden.status_code == 303, (kind, who, hidden.text[:300])
            continue
        assert missing.status_code == 422 and _ref_error(missing.text), (kind, who, missing.text[:300])
        shown = (hidden.status_code, _ref_error(hidden.text))
        assert shown == (missing.status_code, _ref_error(missing.text)), (kind, who)
        if lang != "en":  # the message beside the field is in the page's language
            assert WORDS[kind] not in (_ref_error(missing.text) or ""), (lang, kind)


def test_seating_a_member_tells_nothing_of_a_user_id(client: TestClient, world: Any) -> None:
    # Before, any reader of the committee learnt from the answer whether a user id existed ("user N not
    # found") and whether it was a company's user ("only users of the two founding parties ...").
    from committee_routes import fresh

    committee = fresh(world).committee
    with db.transaction() as session:  # a host user who left
        gone = User(
            username="gone",
            full_name="gone",
            organization_id=world.orgs["host"],
            roles=["duty_officer"],
            password_hash="unused",
            is_active=False,
            created_at=db.utcnow(),
        )
        session.add(gone)
        session.flush()
        inactive = gone.id
    ids = {"missing": 987654, "company": world["coord"].user_id, "inactive": inactive}
    for who in WORLD_USERS:
        answers = []
        for user_id in ids.values():
            r = client.post(
                f"/api/v1/committees/{committee}/members",
                json={"user_id": user_id, "role": "member"},
                headers=world[who].headers,
            )
            answers.append((r.status_code, r.json()))
        assert answers[0][0] in (403, 404, 422), (who, answers[0])
        assert answers == [answers[0]] * len(ids), who
