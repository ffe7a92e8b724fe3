"""The field PIN lock through the faces (SQLite: the faces decide nothing the databases differ on): the API's
and the field app's 429 problem+json with its code and `Retry-After`, the duress PIN answered as an ordinary
check-in during the lock; SMS replies in the sender's language (English for a number that is no user's),
wrong codes locking as wrong PINs do, unknown and unsigned senders throttled per number; the field app's
refusals in Chinese and Urdu; every template of the replies translated in every catalog."""

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
from sqlalchemy import Engine

from field_scenes import on_the_road
from outrider import db
from outrider.http import csrf_token
from outrider.movements import field_language, sms_checkin, sms_text
from outrider.movements.models import Movement
from outrider.notify.directory_models import ContactPoint
from outrider.settings import get_settings
from outrider.web import i18n
from outrider.web.field_refusals import APP_REFUSALS

SECRET = "a-gateway-secret-of-some-length"
PHONE = "+923001234567"


@pytest.fixture(autouse=True)
def _sqlite_only(migrated_engine: Engine) -> None:
    """The faces decide nothing the databases differ on (test_field_pin_lock counts on both): SQLite alone,
    skipped before the test world is built."""
    if migrated_engine.dialect.name == "postgresql":
        pytest.skip("decided in Python, the same on both databases")


@pytest.fixture
def secret() -> Iterator[None]:
    os.environ["OUTRIDER_SMS_INBOUND_SECRET"] = SECRET
    get_settings.cache_clear()
    yield
    os.environ.pop("OUTRIDER_SMS_INBOUND_SECRET", None)
    get_settings.cache_clear()


def _pins(client: TestClient, world: Any, language: str | None = None) -> None:
    body = {"pin": "1234", "duress_pin": "9876", **({"language": language} if language else {})}
    resp = client.put("/api/v1/me/field-pins", json=body, headers=world["duty"].headers)
    assert resp.status_code == 200, resp.text


def _api_check_in(client: TestClient, world: Any, mid: int, pin: str, key: str) -> Any:
    body = {"idempotency_key": key, "pin": pin}
    return client.post(f"/api/v1/movements/{mid}/checkins", json=body, headers=world["duty"].headers)


def test_the_api_and_the_field_app_refuse_a_locked_pin_with_429_and_in_the_users_language(
    client: TestClient, world: Any
) -> None:
    mid = on_the_road(client, world)
    _pins(client, world)
    first = _api_check_in(client, world, mid, "1234", "ok-1")
    assert first.status_code == 201, first.text
    token = world["duty"].token
    headers = {
        "Cookie": f"outrider_session={token}",
        "X-CSRF-Token": csrf_token(get_settings().secret_key, token),
    }
    # wrong PINs from the field app and the API share one count
    for k in range(5):
        if k % 2:
            wrong = _api_check_in(client, world, mid, "0000", f"w{k}")
        else:
            body = {"idempotency_key": f"w{k}", "pin": "0000", "device_id": "phone-A", "device_seq": k}
            wrong = client.post(f"/field/movements/{mid}/checkins", json=body, headers=headers)
        assert wrong.status_code == 422 and wrong.json()["code"] == "wrong_pin", wrong.text
    locked = _api_check_in(client, world, mid, "1234", "r1")
    assert locked.status_code == 429 and locked.headers["content-type"].startswith("application/problem+json")
    problem = locked.json()
    assert problem["type"] == "urn:outrider:problem:too-many-requests" and problem["code"] == "pin_locked"
    assert 800 <= int(locked.headers["Retry-After"]) <= 900
    assert "1234" not in locked.text
    duress = _api_check_in(client, world, mid, "9876", "d1")
    assert duress.status_code == 201 and duress.json()["status"] == first.json()["status"] == "ok"
    assert set(duress.json()) == set(first.json())
    # the field app's endpoint says the same, in the shape its queue reads
    body = {"idempotency_key": "phone-1", "pin": "1234", "device_id": "phone-A", "device_seq": 11}
    app = client.post(f"/field/movements/{mid}/checkins", json=body, headers=headers)
    assert (
        app.status_code == 429 and app.json()["code"] == "pin_locked" and int(app.headers["Retry-After"]) > 0
    )
    body = {**body, "idempotency_key": "phone-2", "pin": "9876", "device_seq": 12}
    taken = client.post(f"/field/movements/{mid}/checkins", json=body, headers=headers)
    assert taken.status_code == 200 and taken.json()["status"] == "ok"
    # the page hands its script the refusals' words in its language
    cookie = f"outrider_session={token}"
    for language, wrong_words, locked_words in (
        ("zh-Hans", "PIN 错误", "错误 PIN 次数过多"),
        ("ur", "غلط PIN", "بہت زیادہ غلط PIN"),
    ):
        page = client.get(
            f"/field/movements/{mid}", headers={"Cookie": f"{cookie}; outrider_lang={language}"}
        )
        assert page.status_code == 200
        texts = json.loads(page.text.split('id="field-texts">', 1)[1].split("</script>", 1)[0])
        assert set(texts["refusals"]) == set(APP_REFUSALS)
        assert texts["refusals"]["wrong_pin"] == wrong_words
        assert texts["refusals"]["pin_locked"].startswith(locked_words)
        assert "%(time)s" in texts["refusals"]["pin_locked"]


def _sms(client: TestClient, text: str, sid: str, sender: str = PHONE, *, sign: bool = True) -> Any:
    body = urlencode({"From": sender, "Body": text, "MessageSid": sid}).encode()
    headers = {"content-type": "application/x-www-form-urlencoded"}
    if sign:
        headers["X-Outrider-Signature"] = (
            "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        )
    return client.post("/api/v1/field/sms", content=body, headers=headers)


def test_sms_replies_speak_the_senders_language_and_wrong_codes_lock(
    client: TestClient, world: Any, secret: None
) -> None:
    mid = on_the_road(client, world)
    _pins(client, world, "ur")
    now = db.utcnow()
    with db.transaction() as session:
        ref = session.get_one(Movement, mid).reference
        point = ContactPoint(user_id=world["duty"].user_id, channel="sms", address=PHONE, created_at=now)
        point.verified_at = now
        session.add(point)
    assert _sms(client, f"CI {ref} OK 1234", "s0").text.startswith(f"OK {ref}: حاضری درج ہو گئی")
    assert _sms(client, "hello", "s1").text == "رد: حاضری کا پیغام CI سے شروع ہوتا ہے"
    for k in range(5):
        assert _sms(client, f"CI {ref} OK 1111", f"w{k}").text == "رد: غلط کوڈ"
    locked = _sms(client, f"CI {ref} OK 1234", "r1")
    assert locked.status_code == 200 and locked.text.startswith("رد: بہت زیادہ غلط کوڈ")
    # the duress code is taken in the lock, its reply the words of an accepted check-in
    duress = _sms(client, f"CI {ref} OK 9876", "d1")
    assert duress.text.startswith(f"OK {ref}: حاضری درج ہو گئی")
    _pins(client, world, "zh-Hans")
    assert _sms(client, f"CI {ref} OK 1234", "r2").text.startswith("已拒绝：错误代码次数过多")
    # a number that is no user's: English, counted per number, then throttled
    stranger = "+441234567890"
    for k in range(5):
        assert _sms(client, f"CI {ref} OK 1234", f"x{k}", stranger).text == sms_checkin.REFUSED % {
            "reason": sms_checkin.UNKNOWN_NUMBER
        }
    assert _sms(client, f"CI {ref} OK 1234", "x5", stranger).text.startswith("Refused: too many wrong codes")
    # unsigned posts claiming a number: 401 five times, then 429 with when to come back
    spoofed = "+441234567891"
    assert [_sms(client, "CI X", f"u{k}", spoofed, sign=False).status_code for k in range(5)] == [401] * 5
    throttled = _sms(client, "CI X", "u5", spoofed, sign=False)
    assert throttled.status_code == 429 and throttled.json()["code"] == "sms_locked"
    assert int(throttled.headers["Retry-After"]) > 0


def test_every_reply_template_is_translated_in_every_catalog() -> None:
    assert tuple(i18n.LANGUAGES) == field_language.LANGUAGES
    templates = {*sms_text.TEMPLATES, *sms_checkin.TEMPLATES, *APP_REFUSALS.values()}
    for language in i18n.LANGUAGES.values():
        if language.code == i18n.DEFAULT:
            continue
        catalog = {str(m.id): str(m.string) for m in i18n.read_catalog(language.catalog) if m.string}
        assert templates - set(catalog) == set(), language.code
