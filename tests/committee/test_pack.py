"""The next meeting's pack, on SQLite and PostgreSQL: open and overdue commitments, each side's last
assessment side by side, evidence since the previous meeting, restricted items kept to their readers;
the pack and the minutes as HTML and PDF with headings in English, Chinese and Urdu."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from committee_scene import NOW, add_item, hold, make_scene, sign, write
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select

from outrider import db
from outrider.audit.models import AuditRecord
from outrider.committee import assessments, commitments, evidence, meetings, pack
from outrider.committee import schemas as s
from outrider.committee import schemas_commitments as cs
from outrider.committee.models import Meeting
from outrider.committee.pack_model import HEADINGS
from outrider.pdf_fonts import font_files


def _commitment(scene: Any, title: str, deadline: date, at: Any) -> int:
    body = {
        "title": title,
        "kind": "funding",
        "promisor": "partner",
        "beneficiary": "host",
        "stage": "pledged",
        "amount": 1250000,
        "currency": "USD",
        "deadline": deadline.isoformat(),
    }
    with db.transaction() as session:
        data = cs.CommitmentCreate.model_validate(body)
        return commitments.create_commitment(session, caller=scene.as_("admin"), data=data, now=at).id


def _world_with_history(world: Any) -> tuple[Any, int]:
    """Meeting 1 a month ago; commitments and evidence before and after it; meeting 2 now."""
    scene = make_scene(world)
    first = NOW - timedelta(days=30)
    with db.transaction() as session:
        session.get_one(Meeting, scene.meeting).starts_at = first
    late = _commitment(
        scene, "Police capacity funding", (NOW - timedelta(days=5)).date(), first - timedelta(days=9)
    )
    later = _commitment(scene, "Joint exercise", (NOW + timedelta(days=60)).date(), first + timedelta(days=2))
    with db.transaction() as session:
        for who, party, score in (("admin", "host", 1), ("embassy_admin", "partner", 3)):
            assessments.assess(
                session,
                caller=scene.as_(who),
                commitment_id=late,
                data=cs.AssessmentCreate(party=party, score=score, note=f"{party} view"),
                now=NOW - timedelta(days=3),
            )
        evidence.add_evidence(
            session,
            caller=scene.as_("admin"),
            commitment_id=late,
            kind="note",
            date=(NOW - timedelta(days=4)).date(),
            title="First tranche received",
            source="finance ministry",
            now=NOW - timedelta(days=4),
        )
        second = meetings.create_meeting(
            session,
            caller=scene.as_("analyst"),
            committee_id=scene.committee,
            data=s.MeetingCreate(
                title="Second session", starts_at=NOW, timezone="Asia/Karachi", place="Beijing"
            ),
            now=NOW,
        )
        scene.meeting, ids = second.id, (late, later)
    return scene, ids[0]


def test_the_pack_follows_up_commitments_since_the_previous_meeting(world: Any) -> None:
    scene, late = _world_with_history(world)
    add_item(scene, title="Threat assessment", text="Names of informants.", restricted_to=[])
    with db.transaction() as session:
        got = pack.build_pack(session, caller=scene.as_("liaison"), meeting_id=scene.meeting)
    assert got.number == 2 and got.items[0].generated  # the follow-up opens the agenda
    assert [c.title for c in got.commitments] == ["Police capacity funding", "Joint exercise"]
    assert [c.id for c in got.overdue] == [late]
    first = got.commitments[0]
    assert [(a.party, a.score) for a in first.assessments] == [("host", 1), ("partner", 3)] and first.disagree
    # evidence since meeting 1: the second commitment's first entry and the tranche, not the first's creation
    assert [e.title for e in got.evidence] == ["recorded: Joint exercise", "First tranche received"]
    hidden = next(i for i in got.items if i.title == "Threat assessment")
    assert hidden.restricted and hidden.text is None  # the liaison is not named on it
    with db.transaction() as session:
        own = pack.build_pack(session, caller=scene.as_("analyst"), meeting_id=scene.meeting)
    assert next(i for i in own.items if i.title == "Threat assessment").text == "Names of informants."
    with (
        db.transaction() as session
    ):  # the analyst's showing of the restricted item is audited, not the liaison's
        readers = session.scalars(
            select(AuditRecord.user_id).where(AuditRecord.action == "committee.read_restricted")
        )
        assert list(readers) == [world["analyst"].user_id]


def test_pack_and_minutes_render_in_three_languages(world: Any, client: TestClient) -> None:
    scene = make_scene(world)
    item = add_item(scene)
    write(scene, "Checks every hour at the outer ring.", item)
    hold(scene)
    sign(scene, "admin")
    sign(scene, "embassy_admin")
    url = f"/api/v1/committees/meetings/{scene.meeting}/pack"
    headers = scene.world["liaison"].headers
    as_json = client.get(url, headers=headers)
    assert as_json.status_code == 200 and as_json.json()["approved"] is True
    for n, lang in enumerate(("en", "zh-Hans", "ur")):
        for document, key in (("pack", "follow_up"), ("minutes", "approvals")):
            page = client.get(
                url, params={"format": "html", "lang": lang, "document": document}, headers=headers
            )
            assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
            assert HEADINGS[key][n] in page.text and HEADINGS["agenda"][n] in page.text
            assert f'lang="{lang}"' in page.text and ('dir="rtl"' in page.text) == (lang == "ur")
    minutes_html = client.get(url, params={"format": "html", "document": "minutes"}, headers=headers).text
    assert (
        "Checks every hour at the outer ring." in minutes_html and "Approved by both parties" in minutes_html
    )
    pdf = client.get(url, params={"format": "pdf", "lang": "zh-Hans", "document": "minutes"}, headers=headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Checks every hour at the outer ring." in text
    if "cjk" in font_files():  # the Chinese font the browser tests install
        assert HEADINGS["minutes"][1] in text
    urdu = client.get(url, params={"format": "pdf", "lang": "ur"}, headers=headers)
    assert urdu.status_code == 200 and urdu.content.startswith(b"%PDF")
    assert client.get(url, params={"lang": "fr"}, headers=headers).status_code == 422
    assert client.get(url, headers=scene.world["coord"].headers).status_code == 404
