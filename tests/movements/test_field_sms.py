"""SMS check-in through the signed gateway webhook, on SQLite and PostgreSQL: a good text from a verified
phone is stored; every other is refused with the reason, nothing written but its audit record."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from field_scenes import on_the_road, set_pins
from outrider import db
from outrider.audit.models import AuditRecord
from outrider.movements.models import CheckIn, Movement
from outrider.notify.directory_models import ContactPoint
from outrider.settings import get_settings

SECRET = "a-gateway-secret-of-some-length"
PHONE = "+923001234567"


@pytest.fixture
def secret() -> Iterator[None]:
    os.environ["OUTRIDER_SMS_INBOUND_SECRET"] = SECRET
    get_settings.cache_clear()
    yield
    os.environ.pop("OUTRIDER_SMS_INBOUND_SECRET", None)
    get_settings.cache_clear()


def _phone(user_id: int, *, verified: bool = True) -> None:
    now = db.utcnow()
    with db.transaction() as session:
        session.add(
            ContactPoint(
                user_id=user_id,
                channel="sms",
                address=PHONE,
                verified_at=now if verified else None,
                created_at=now,
            )
        )


def _send(client: TestClient, body: bytes, content_type: str, *, key: str = SECRET, sign: bool = True) -> Any:
    headers = {"content-type": content_type}
    if sign:
        headers["X-Outrider-Signature"] = "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
    return client.post("/api/v1/field/sms", content=body, headers=headers)


def _form(client: TestClient, text: str, sender: str = PHONE, sid: str = "SM1", **kw: Any) -> Any:
    body = urlencode({"From": sender, "Body": text, "MessageSid": sid}).encode()
    return _send(client, body, "application/x-www-form-urlencoded", **kw)


def _checkins(mid: int) -> list[CheckIn]:
    with db.transaction() as session:
        return list(session.scalars(select(CheckIn).where(CheckIn.movement_id == mid).order_by(CheckIn.id)))


def _sms_audits() -> list[AuditRecord]:
    with db.transaction() as session:
        rows = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "movement.sms_checkin").order_by(AuditRecord.seq)
        )
        return list(rows)


def test_a_good_text_from_a_verified_phone_is_a_checkin(client: TestClient, world: Any, secret: None) -> None:
    mid = on_the_road(client, world)
    with db.transaction() as session:
        ref = session.get_one(Movement, mid).reference
    set_pins(client, world, "duty")
    _phone(world["duty"].user_id)
    ok = _form(client, f"CI {ref} OK 1234")
    assert ok.status_code == 200 and ok.headers["content-type"].startswith("text/plain")
    assert ok.text.startswith(f"OK {ref}: check-in recorded")
    assert _form(client, f"CI {ref} OK 1234").text == ok.text  # the gateway retried: counted once
    late = _send(
        client,
        json.dumps({"from": PHONE, "text": f"ci {ref} delayed bridge closed 1234", "id": "m2"}).encode(),
        "application/json",
    )
    assert late.status_code == 200 and late.json()["accepted"] is True
    duress = _form(client, f"CI {ref} OK 9876", sid="SM3")
    assert duress.text.replace(duress.text[-6:], "") == ok.text.replace(ok.text[-6:], "")  # same words
    rows = _checkins(mid)
    assert [(c.status, c.note) for c in rows] == [("ok", ""), ("delayed", "bridge closed"), ("duress", "")]
    assert all(c.user_id == world["duty"].user_id for c in rows)
    audits = _sms_audits()
    assert [a.details["accepted"] for a in audits] == [True, True, True, True]
    assert not any("1234" in json.dumps(a.details) or "9876" in json.dumps(a.details) for a in audits)
    assert all(a.details["sender"] == "…567" for a in audits)


def test_other_texts_are_refused_with_the_reason_and_only_audited(
    client: TestClient, world: Any, secret: None
) -> None:
    mid = on_the_road(client, world)
    with db.transaction() as session:
        ref = session.get_one(Movement, mid).reference
    set_pins(client, world, "duty")
    _phone(world["duty"].user_id)
    _phone(world["analyst"].user_id, verified=False)
    cases = [
        (f"CI {ref} OK 1234", "+441234567890", "not a verified phone"),  # unregistered number
        (f"CI {ref} OK 1111", PHONE, "wrong code"),
        ("hello there", PHONE, "starts with CI"),  # malformed
        ("CI MOV-NOPE OK 1234", PHONE, "not found"),
        (f"CI {ref} OK 1234", "not-a-number", "not a phone number"),
    ]
    for k, (text, sender, reason) in enumerate(cases):
        resp = _form(client, text, sender=sender, sid=f"R{k}")
        assert resp.status_code == 200 and resp.text.startswith("Refused: ") and reason in resp.text, (
            resp.text
        )
    assert _checkins(mid) == []
    audits = _sms_audits()
    assert [a.details["accepted"] for a in audits] == [False] * len(cases)
    assert [a.details["reason"] for a in audits][1] == "wrong code"
    # a bad signature, a missing one, a wrong content type: refused before anything is read
    assert _form(client, f"CI {ref} OK 1234", key="another-secret-entirely").status_code == 401
    assert _form(client, f"CI {ref} OK 1234", sign=False).status_code == 401
    assert _send(client, b"From=x", "text/plain").status_code == 422
    assert _checkins(mid) == []
    refused = [a.details["reason"] for a in _sms_audits()][len(cases) :]
    assert refused == [
        "the X-Outrider-Signature header does not sign this body",
        "the X-Outrider-Signature header is missing",
    ]


def test_without_a_secret_no_text_is_taken(client: TestClient, world: Any) -> None:
    resp = _send(client, b"From=%2B923001234567&Body=CI+X+OK+1234", "application/x-www-form-urlencoded")
    assert resp.status_code == 401 and "not configured" in resp.json()["detail"]
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(CheckIn)) == 0


def test_a_captured_post_without_a_message_id_cannot_be_replayed_later(
    client: TestClient, world: Any, secret: None
) -> None:
    """Its key is its text within the minute: a body signed alone would be a new check-in on every replay
    (an "all well" kept coming from a captured convoy). It must be signed with its time, within 5 minutes."""
    mid = on_the_road(client, world)
    with db.transaction() as session:
        ref = session.get_one(Movement, mid).reference
    set_pins(client, world, "duty")
    _phone(world["duty"].user_id)
    body = json.dumps({"from": PHONE, "text": f"CI {ref} OK 1234"}).encode()
    undated = _send(client, body, "application/json")
    assert undated.status_code == 401 and "message id" in undated.json()["detail"]

    def dated(at: int, signed: bytes = body) -> Any:
        mac = hmac.new(SECRET.encode(), str(at).encode() + b"." + signed, hashlib.sha256).hexdigest()
        headers = {
            "content-type": "application/json",
            "X-Outrider-Signature": f"sha256={mac}",
            "X-Outrider-Timestamp": str(at),
        }
        return client.post("/api/v1/field/sms", content=body, headers=headers)

    now = int(db.utcnow().timestamp())
    assert dated(now).json()["accepted"] is True
    stale = dated(now - 3600)  # the same post, an hour after it was signed
    assert stale.status_code == 401 and "5 minutes" in stale.json()["detail"]
    assert dated(now, signed=body + b" ").status_code == 401  # a signature of another body
    assert len(_checkins(mid)) == 1
    # with a message id, the body's signature alone still does: a replay answers the first check-in
    sid = json.dumps({"from": PHONE, "text": f"CI {ref} DELAYED rain 1234", "id": "m9"}).encode()
    assert _send(client, sid, "application/json").json()["accepted"] is True
    assert _send(client, sid, "application/json").json()["accepted"] is True
    assert [c.status for c in _checkins(mid)] == ["ok", "delayed"]
