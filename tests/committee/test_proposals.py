"""Cooperation from the news: a stored report proposes once what the extraction reads, linked across reports,
and the secretariat accepts a proposal into a new commitment or an existing one's timeline, or rejects it."""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from outrider import db
from outrider.committee import proposals
from outrider.intel.cooperation import CoopRecord, extract_cooperation
from outrider.intel.models import IntelReport

API = "/api/v1/commitments"
WARRIOR = (
    "RAWALPINDI, December 11: Pakistan and China brought Warrior-VIII, their joint counter-terrorism "
    "exercise, to a close on Wednesday at Tarbela. The exercise began on November 25."
)
_N = itertools.count(1)


def _report(text: str, published: date) -> int:
    n = next(_N)
    with db.transaction() as session:
        row = IntelReport(
            content_hash=hashlib.sha256(f"{n}{text}".encode()).hexdigest(),
            doc_id=f"news-{n}",
            source=f"https://news.example.org/{n}",
            title=f"Report {n}",
            published=published,
            language="en",
            raw_text=text,
            clean_text=text,
            related=[],
            ingested_at=datetime(2026, 11, 1, tzinfo=UTC),
            ntk_groups=[],
        )
        session.add(row)
        session.flush()
        return row.id


def _post(client: TestClient, world: Any, who: str, path: str, body: Any) -> Any:
    return client.post(API + path, json=body, headers=world[who].headers)


def test_a_report_proposes_once_what_the_extraction_reads(client: TestClient, world: Any) -> None:
    rid = _report(WARRIOR, date(2024, 12, 11))
    expected = extract_cooperation(WARRIOR, doc_id=f"news-{rid}", published=date(2024, 12, 11))
    assert expected, "the extraction reads the exercise"
    first = _post(client, world, "analyst", "/proposals", {"report_id": rid})
    assert first.status_code == 200, first.text
    got = first.json()
    assert [(p["kind"], p["stage"]) for p in got] == [(r.kind, r.stage) for r in expected]
    for p in got:
        assert p["state"] == "proposed" and p["report_id"] == rid
        assert all(span["text"] in WARRIOR for span in p["evidence"])
        assert p["record"]["evidence"] in WARRIOR
    again = _post(client, world, "embassy_admin", "/proposals", {"report_id": rid})
    assert [p["id"] for p in again.json()] == [p["id"] for p in got]  # the same report proposes once
    listed = client.get(f"{API}/proposals?report_id={rid}", headers=world["liaison"].headers).json()
    assert sorted(p["id"] for p in listed) == sorted(p["id"] for p in got)
    assert _post(client, world, "analyst", "/proposals", {"report_id": rid + 99}).status_code == 404


def _pledge(doc_id: str, stage: str, day: str) -> CoopRecord:
    return CoopRecord(
        doc_id=doc_id,
        kind="funding",
        parties=("CN", "PK"),
        promisor="CN",
        beneficiary="PK",
        stage=stage,
        date=day,
        date_precision="day",
        amount=1_250_000,
        currency="USD",
        object="grant for police capacity building",
        evidence="China will extend $1.25 million",
        spans=((0, 31),),
    )


def test_accepted_into_a_new_commitment_and_a_linked_report_into_its_timeline(
    client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "China will extend $1.25 million to Pakistan for police capacity building."
    stages = iter([("pledged", "2026-11-07"), ("funded", "2026-12-02")])

    def read(text: str, *, doc_id: str, published: date | None) -> list[CoopRecord]:
        stage, day = next(stages)
        return [_pledge(doc_id, stage, day)]

    monkeypatch.setattr(proposals, "extract_cooperation", read)
    first = _post(
        client, world, "admin", "/proposals", {"report_id": _report(text, date(2026, 11, 7))}
    ).json()[0]
    accepted = _post(client, world, "embassy_admin", f"/proposals/{first['id']}/accept", {})
    assert accepted.status_code == 200, accepted.text
    cid = accepted.json()["commitment_id"]
    c = client.get(f"{API}/{cid}", headers=world["duty"].headers).json()
    assert (c["kind"], c["stage"], c["amount"], c["currency"]) == ("funding", "pledged", 1_250_000, "USD")
    assert (c["promisor"], c["beneficiary"], c["countries"]) == ("partner", "host", ["CN", "PK"])
    assert c["link_key"] == first["link_key"]

    report2 = _report(text.replace("will extend", "paid"), date(2026, 12, 2))
    second = _post(client, world, "analyst", "/proposals", {"report_id": report2}).json()[0]
    assert second["link_key"] == first["link_key"]  # the same commitment across reports
    assert second["suggested_commitment_id"] == cid
    body = {"commitment_id": cid}
    assert _post(client, world, "admin", f"/proposals/{second['id']}/accept", body).status_code == 200
    t = client.get(f"{API}/{cid}/timeline", headers=world["liaison"].headers).json()
    assert t["commitment"]["stage"] == "funded"
    news = [e["evidence"] for e in t["entries"] if e["evidence"] and e["evidence"]["kind"] == "news"]
    assert [(n["ref"], n["stage_from"], n["stage_to"]) for n in news] == [
        (str(first["report_id"]), None, None),
        (str(report2), "pledged", "funded"),
    ]


def test_the_secretariat_alone_decides_and_a_rejection_needs_a_reason(
    client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        proposals,
        "extract_cooperation",
        lambda text, *, doc_id, published: [_pledge(doc_id, "agreed", "2026-11-07")],
    )
    made = _post(client, world, "analyst", "/proposals", {"report_id": _report("x", date(2026, 11, 7))})
    pid = made.json()[0]["id"]
    for who in ("analyst", "duty", "liaison", "auditor"):
        assert _post(client, world, who, f"/proposals/{pid}/reject", {"reason": "no"}).status_code == 403
    for who in ("coord", "other_coord"):
        assert _post(client, world, who, f"/proposals/{pid}/reject", {"reason": "no"}).status_code == 404
    refused = _post(client, world, "admin", f"/proposals/{pid}/reject", {"reason": ""})
    assert refused.status_code == 422 and refused.headers["content-type"].startswith(
        "application/problem+json"
    )
    done = _post(client, world, "admin", f"/proposals/{pid}/reject", {"reason": "a demand, not a commitment"})
    assert (done.json()["state"], done.json()["reason"]) == ("rejected", "a demand, not a commitment")
    assert _post(client, world, "embassy_admin", f"/proposals/{pid}/accept", {}).status_code == 409


def test_a_user_the_committee_seats_as_its_secretariat_decides_too(
    client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from outrider.accounts.models import User
    from outrider.committee import committees
    from outrider.committee import schemas as cs
    from outrider.http import caller_of

    monkeypatch.setattr(
        proposals,
        "extract_cooperation",
        lambda text, *, doc_id, published: [_pledge(doc_id, "agreed", "2026-11-07")],
    )
    made = _post(client, world, "admin", "/proposals", {"report_id": _report("x", date(2026, 11, 7))})
    pid = made.json()[0]["id"]
    assert _post(client, world, "duty", f"/proposals/{pid}/reject", {"reason": "no"}).status_code == 403
    with db.transaction() as session:
        host = caller_of(session.get_one(User, world["admin"].user_id))
        committee = committees.create_committee(
            session, caller=host, data=cs.CommitteeCreate(name="Joint Security Committee"), now=db.utcnow()
        )
        seat = cs.MemberAdd(user_id=world["duty"].user_id, role=cs.Role.secretariat)
        committees.add_member(session, caller=host, committee_id=committee.id, data=seat, now=db.utcnow())
    done = _post(client, world, "duty", f"/proposals/{pid}/reject", {"reason": "a demand, not a commitment"})
    assert done.status_code == 200, done.text
