"""The committee's and the commitments' pages on the `make run` demo: the committee with its members by
party and meetings past and next; a meeting's agenda with the restricted item's contents only for the members
it names, its attendance, minutes and both parties' signed approvals; the board with each party's assessment
side by side and the disagreement and the overdue commitment marked; a commitment's timeline. The forms keep
what was typed and answer bad input beside the field; a party assesses only for itself; the words are in
Chinese and Urdu. (Who may open each page is `test_web_committee_access.py`; a browser walks them in
`test_web_committee_browser.py`.)"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from outrider.committee.ladder import Kind, Party, Stage
from outrider.committee.schemas import MeetingStatus, OutcomeKind, Presence
from outrider.committee.schemas_commitments import EvidenceKind, ProposalState
from outrider.web import i18n
from outrider.web.vocabulary import VOCABULARIES

Demo = tuple[TestClient, dict[str, str], dict[str, Any]]


def _visible(page: str) -> str:
    page = re.sub(r"<script\b.*?</script>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    from outrider import db, migrate
    from outrider.app import create_app
    from outrider.demo.service import load_demo

    engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('committee') / 'demo.db'}")
    migrate.upgrade(engine)
    db.set_engine(engine)
    try:
        with db.transaction() as session:
            logins = {x.username: x.password for x in load_demo(session, now=db.utcnow())}
        with TestClient(create_app(), base_url="https://testserver", raise_server_exceptions=False) as client:
            ids = _ids(client, logins)
            yield client, logins, ids
    finally:
        db.set_engine(None)
        engine.dispose()


def _ids(client: TestClient, logins: dict[str, str]) -> dict[str, Any]:
    token = client.post("/api/v1/auth/token", data={"username": "admin", "password": logins["admin"]})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    (committee,) = client.get("/api/v1/committees", headers=headers).json()
    meetings = client.get(f"/api/v1/committees/{committee['id']}/meetings", headers=headers).json()
    rows = client.get("/api/v1/commitments", headers=headers).json()
    return {
        "meetings": [m["id"] for m in meetings],
        "commitments": {c["kind"]: c["id"] for c in rows},
    }


def _sign_in(client: TestClient, logins: dict[str, str], username: str, lang: str = "en") -> None:
    client.cookies.clear()
    client.cookies.set("outrider_lang", lang)
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    data = {"username": username, "password": logins[username], "csrf_token": token.group(1), "next": "/"}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_the_committee_page_shows_members_by_party_and_meetings(demo: Demo) -> None:
    client, logins, ids = demo
    _sign_in(client, logins, "liaison")
    page = client.get("/committee")
    assert page.status_code == 200
    text = _visible(page.text)
    host = _visible(page.text.split('id="members-host"')[1].split("</ul>")[0])
    partner = _visible(page.text.split('id="members-partner"')[1].split("</ul>")[0])
    assert "chair System Administrator" in host and "secretariat Intelligence Analyst" in host
    assert "chair Counsellor, Partner Embassy" in partner and "Liaison Officer" in partner
    assert "Meeting 3" in _visible(page.text.split('id="upcoming-')[1].split("</ul>")[0])
    past = page.text.split('id="past-')[1].split("</ul>")[0]
    assert past.count("minutes approved by both parties") == 2
    assert 'href="/commitments"' in page.text and "Your seat: member" in text
    # the navigation leads here and to the board; a company's coordinator has no committee to read
    assert 'href="/committee"' in page.text and 'href="/commitments"' in page.text
    _sign_in(client, logins, "coordinator")
    page = client.get("/committee")
    assert page.status_code == 200 and 'id="no-committee"' in page.text
    assert 'href="/commitments"' not in page.text.split("</nav>")[0]
    assert client.get("/commitments").status_code == 403
    assert client.get(f"/committee/meetings/{ids['meetings'][0]}").status_code == 404


def test_a_meeting_hides_the_restricted_item_from_members_it_does_not_name(demo: Demo) -> None:
    client, logins, ids = demo
    first = f"/committee/meetings/{ids['meetings'][0]}"
    _sign_in(client, logins, "liaison")
    page = client.get(first)
    assert page.status_code == 200
    text = _visible(page.text)
    assert "Threat assessment: the Dasu corridor" in text  # its title stays on the agenda
    assert "roadside bombs near Dasu" not in text and "vary their departure times" not in text
    assert text.count("Restricted: its contents are read only by the members it names.") == 2  # item, minutes
    assert "Approved by both parties" in text and text.count("verified") >= 2
    digest = re.search(r'id="minutes-hash">([0-9a-f]{64})<', page.text)
    assert digest and page.text.count(digest.group(1)) == 3  # the hash now, and as each party signed it
    assert "Project security manager" in text and "present" in text
    assert "/pack?format=pdf" in page.text and "document=minutes" in page.text
    assert 'id="agenda-form"' not in page.text  # a member, not the secretariat: no record-keeping forms
    _sign_in(client, logins, "duty")
    text = _visible(client.get(first).text)
    assert "Recent roadside bombs near Dasu" in text and "vary their departure times" in text


def test_the_board_shows_both_assessments_side_by_side_never_averaged(demo: Demo) -> None:
    client, logins, ids = demo
    _sign_in(client, logins, "duty")
    page = client.get("/commitments")
    assert page.status_code == 200
    rows = {
        k: page.text.split(f'id="commitment-{v}"')[1].split("</tr>")[0] for k, v in ids["commitments"].items()
    }
    training = _visible(rows["training"])
    assert "1/3 · begun" in training and "2/3 · largely done" in training
    assert "The two sides disagree" in training and "1.5" not in training
    assert rows["funding"].lstrip().startswith('class="overdue')
    assert not rows["training"].lstrip().startswith('class="overdue')
    assert "overdue" in _visible(rows["funding"]) and "overdue" not in _visible(rows["training"])
    assert "partner → host" in training
    assert sum("disagree-mark" in r for r in rows.values()) == 1
    assert "From the news, waiting for the secretariat" in _visible(page.text)
    assert "/accept" not in page.text  # the secretariat decides: the founding parties' administrators
    only = client.get("/commitments?kind=funding&overdue=true")
    assert only.status_code == 200 and only.text.count('id="commitment-') == 1
    assert client.get("/commitments?kind=nonsense").status_code == 422


def test_a_commitments_page_has_its_timeline_and_both_histories(demo: Demo) -> None:
    client, logins, ids = demo
    _sign_in(client, logins, "liaison")
    page = client.get(f"/commitments/{ids['commitments']['training']}")
    assert page.status_code == 200
    text = _visible(page.text)
    timeline = _visible(page.text.split('id="evidence-timeline"')[1].split("</ol>")[0])
    assert timeline.count("minutes approved by both parties") == 2 and "course-schedule.txt" in timeline
    assert "pledged → under way" in _visible(page.text.split('id="stage-changes"')[1].split("</ol>")[0])
    assert "Assess for your party (partner)" in text and 'name="party" value="partner"' in page.text
    assert "meeting 1: minutes approved by both parties" in timeline


def test_forms_answer_bad_input_beside_the_field_and_keep_what_was_typed(demo: Demo) -> None:
    client, logins, ids = demo
    training = ids["commitments"]["training"]
    _sign_in(client, logins, "liaison")
    page = client.get(f"/commitments/{training}")
    token = _csrf(page.text)
    bad = client.post(
        f"/commitments/{training}/assessments",
        data={"csrf_token": token, "party": "partner", "score": "7", "note": "kept as typed"},
    )
    assert bad.status_code == 422
    assert 'id="assess-score-error"' in bad.text and "kept as typed" in bad.text
    # a party assesses only for itself: the partner's liaison may not assess for the host
    forged = client.post(
        f"/commitments/{training}/assessments", data={"csrf_token": token, "party": "host", "score": "3"}
    )
    assert forged.status_code == 403
    evidence = client.post(
        f"/commitments/{training}/evidence",
        data={
            "csrf_token": token,
            "kind": "news",
            "date": "2026-11-30",
            "title": "A report",
            "ref": "999999",
        },
    )
    assert evidence.status_code == 422 and 'id="evidence-ref-error"' in evidence.text
    good = client.post(
        f"/commitments/{training}/assessments",
        data={"csrf_token": token, "party": "partner", "score": "3", "note": "All two hundred trained."},
        follow_redirects=False,
    )
    assert good.status_code == 303 and good.headers["location"].endswith("done=assessed")
    board = _visible(client.get("/commitments").text)
    assert "3/3 · done All two hundred trained." in board


def test_the_secretariat_keeps_the_next_meetings_agenda_and_decides_the_news(demo: Demo) -> None:
    client, logins, ids = demo
    upcoming = f"/committee/meetings/{ids['meetings'][2]}"
    _sign_in(client, logins, "analyst")  # the committee's secretariat
    page = client.get(upcoming)
    assert 'id="agenda-form"' in page.text and 'id="minutes-form"' not in page.text  # not held yet
    follow_up = page.text.split('id="follow-up"')[1].split("</table>")[0]  # the pack's follow-up, inline
    assert follow_up.count("<tr") == 6 and follow_up.count('class="overdue"') == 1
    assert "USD 1.25 million for police capacity" in follow_up.split('class="overdue"')[1].split("</tr>")[0]
    token = _csrf(page.text)
    bad = client.post(upcoming + "/agenda", data={"csrf_token": token, "title": "", "text": "kept"})
    assert bad.status_code == 422 and 'id="agenda-title-error"' in bad.text and ">kept</textarea>" in bad.text
    done = client.post(upcoming + "/agenda", data={"csrf_token": token, "title": "Escort of the exercise"})
    assert done.status_code == 200 and "Escort of the exercise" in _visible(done.text)
    _sign_in(client, logins, "envoy")  # a founding party's administrator: the secretariat of the news
    board = client.get("/commitments")
    proposal = re.search(r'action="/commitments/proposals/(\d+)/reject"', board.text)
    assert proposal and f'id="accept-into-{proposal.group(1)}"' in board.text  # a new or an open commitment
    token = _csrf(board.text)
    refused = client.post(f"/commitments/proposals/{proposal.group(1)}/reject", data={"csrf_token": token})
    assert refused.status_code == 422 and "Say why the proposal is rejected." in refused.text
    accepted = client.post(
        f"/commitments/proposals/{proposal.group(1)}/accept",
        data={"csrf_token": token, "commitment_id": str(ids["commitments"]["training"])},
        follow_redirects=False,
    )
    assert accepted.status_code == 303 and "done=proposal_accepted" in accepted.headers["location"]
    assert accepted.headers["location"].startswith(f"/commitments/{ids['commitments']['training']}?")
    page = client.get(accepted.headers["location"]).text
    timeline = _visible(page.split('id="evidence-timeline"')[1].split("</ol>")[0])
    assert "news report" in timeline and "Proposal accepted" in _visible(page)


@pytest.mark.parametrize("lang", ["zh-Hans", "ur"])
def test_the_pages_speak_the_readers_language(demo: Demo, lang: str) -> None:
    client, logins, ids = demo
    _sign_in(client, logins, "envoy", lang)
    texts = [
        _visible(client.get(p).text)
        for p in ("/committee", f"/committee/meetings/{ids['meetings'][0]}", "/commitments")
    ]
    text = " ".join(texts)
    catalog = i18n.translations(lang)
    for english in (
        "largely done",
        "minutes approved by both parties",
        "action against a group",
        "The two sides disagree",
    ):
        assert english not in text and catalog.gettext(english) in text, (lang, english)
    if lang == "ur":
        assert 'dir="rtl"' in client.get("/commitments").text


DOMAIN = {
    "commitment_kind": tuple(Kind),
    "commitment_stage": tuple(Stage),
    "committee_party": tuple(Party),
    "evidence_kind": tuple(EvidenceKind),
    "meeting_status": tuple(MeetingStatus),
    "presence": tuple(Presence),
    "outcome_kind": tuple(OutcomeKind),
    "assessment_score": ("0", "1", "2", "3"),
    "proposal_state": tuple(ProposalState),
}


@pytest.mark.parametrize("name", sorted(DOMAIN))
def test_every_committee_word_has_a_label_both_catalogs_translate(name: str) -> None:
    vocabulary = VOCABULARIES[name]
    for member in DOMAIN[name]:
        label = vocabulary.label(member)
        assert label, (name, member)
        for code in ("zh-Hans", "ur"):
            assert i18n.translations(code).gettext(label) != label, (code, label)


def test_a_chair_records_a_commitment_from_an_agenda_item_and_uploads_its_evidence(demo: Demo) -> None:
    client, logins, ids = demo
    upcoming = f"/committee/meetings/{ids['meetings'][2]}"
    _sign_in(client, logins, "admin")  # the host's chair, who also decides for the host
    page = client.get(upcoming)
    item = re.search(r'action="/committee/meetings/\d+/agenda/(\d+)/outcomes"', page.text)
    assert item
    token = _csrf(page.text)
    url = f"{upcoming}/agenda/{item.group(1)}/outcomes"
    form = {"csrf_token": token, "kind": "commitment", "text": "Radios for the escort", "title": "Radios"}
    bad = client.post(url, data=form)  # no kind of commitment
    assert bad.status_code == 422 and 'id="outcome-' in bad.text and "-commitment-kind-error" in bad.text
    done = client.post(url, data={**form, "commitment_kind": "capacity_equipment", "promisor": "partner"})
    assert done.status_code == 200 and "Outcome recorded." in done.text
    new = re.search(r'href="/commitments/(\d+)">commitment', done.text)
    assert new
    upload = client.post(
        f"/commitments/{new.group(1)}/evidence",
        data={"csrf_token": token, "kind": "document", "date": "2026-11-30", "title": "Delivery note"},
        files={"file": ("delivery.txt", b"40 radios delivered\n", "text/plain")},
        follow_redirects=False,
    )
    assert upload.status_code == 303, upload.text[:500]
    timeline = client.get(f"/commitments/{new.group(1)}").text
    assert hashlib.sha256(b"40 radios delivered\n").hexdigest() in timeline and "delivery.txt" in timeline


def test_the_secretariat_schedules_and_records_attendance_and_a_party_moves_a_commitment(demo: Demo) -> None:
    client, logins, ids = demo
    _sign_in(client, logins, "analyst")
    page = client.get("/committee")
    form = re.search(r'action="/committee/(\d+)/meetings"', page.text)
    assert form and 'value="Asia/Karachi"' in page.text  # the zone of the latest meeting, offered
    token, url = _csrf(page.text), f"/committee/{form.group(1)}/meetings"
    body = {
        "csrf_token": token,
        "title": "Fourth session",
        "starts_at": "2027-03-01T10:00",
        "place": "Gwadar",
    }
    bad = client.post(url, data={**body, "timezone": "Mars/Olympus"})
    assert (
        bad.status_code == 422 and 'id="schedule-timezone-error"' in bad.text and "Fourth session" in bad.text
    )
    done = client.post(url, data={**body, "timezone": "Asia/Karachi"})
    assert done.status_code == 200 and "Meeting scheduled" in done.text
    upcoming = _visible(done.text.split('id="upcoming-')[1].split("</ul>")[0])
    assert "Fourth session · 2027-03-01 10:00 PKT · Gwadar" in upcoming
    meeting = f"/committee/meetings/{ids['meetings'][2]}"
    guest = {"csrf_token": token, "guest_name": "Port security officer", "status": "present"}
    assert "Port security officer" in _visible(client.post(meeting + "/attendance", data=guest).text)
    both = client.post(meeting + "/attendance", data={**guest, "member_id": "1"})
    assert both.status_code == 422 and "either a member" in _visible(both.text)
    _sign_in(client, logins, "duty")
    exercise = f"/commitments/{ids['commitments']['joint_exercise']}"
    token = _csrf(client.get(exercise).text)
    back = {"csrf_token": token, "stage": "agreed", "date": "2026-12-01", "title": "Postponed"}
    refused = client.post(exercise + "/stage", data=back)
    assert refused.status_code == 422 and 'id="stage-reason-error"' in refused.text
    assert "A move back, to not fulfilled or out of it needs a reason." in refused.text
    moved = client.post(exercise + "/stage", data={**back, "reason": "No date agreed for the exercise."})
    assert moved.status_code == 200 and "under way → agreed" in _visible(moved.text)
