"""HTTP routes of the field face: my movements, SOS, field PINs, and the inbound-SMS check-in webhook."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Header, Request, Response, status
from pydantic import ValidationError
from sqlalchemy.orm import Session

from outrider import idempotency
from outrider.db import utcnow
from outrider.errors import AfterRollback, InvalidInput, OutriderError, TooManyRequests, Unauthorized
from outrider.http import CallerDep, SessionDep, SettingsDep
from outrider.idempotency import IdempotencyKeyHeader
from outrider.inputs import Id
from outrider.movements import field, field_language, field_pins, sms_checkin, sms_words
from outrider.movements import field_pin_throttle as throttle
from outrider.movements import field_schemas as f
from outrider.movements.pin_lock import retry_after
from outrider.movements.sms_text import Rejection

router = APIRouter(prefix="/api/v1", tags=["field"])
SIGNATURE_HEADER = "X-Outrider-Signature"
TIMESTAMP_HEADER = "X-Outrider-Timestamp"
# How far a signed post's time may be from the server's: a captured post replays for so long at most.
SIGNATURE_TOLERANCE = timedelta(minutes=5)
UNDATED = (
    f"a post without a message id must be signed with its time ({TIMESTAMP_HEADER}): "
    "a signature of the body alone could be replayed at any later time"
)
_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
# The two envelopes a gateway posts: a form (From, Body, a message id) or JSON (from, text, id).
_SMS_BODY = {
    "required": True,
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "required": ["From", "Body"],
                "properties": {
                    "From": {"type": "string"},
                    "Body": {"type": "string"},
                    "MessageSid": {"type": "string"},
                },
            }
        },
        "application/json": {"schema": {"$ref": "#/components/schemas/SmsJson"}},
    },
}


@router.get("/me/movements", response_model=list[f.FieldMovement])
def my_movements(caller: CallerDep, session: SessionDep) -> list[f.FieldMovement]:
    """The movements you lead or escort (approved, on the road or in an incident), for the field app."""
    return field.my_movements(session, caller=caller, now=utcnow())


@router.post("/movements/{movement_id}/sos", response_model=f.SosRead, status_code=status.HTTP_201_CREATED)
def sos(
    movement_id: Id,
    body: f.SosPost,
    caller: CallerDep,
    session: SessionDep,
    response: Response,
    idempotency_key: IdempotencyKeyHeader,
) -> f.SosRead:
    """Raise an SOS: a critical alert at once, with the position; a retry with the same key answers 200
    with the first. The key comes in the `Idempotency-Key` header or the body's `idempotency_key`."""
    key = idempotency.resolve(idempotency_key, body.idempotency_key, field="idempotency_key")
    data = f.SosCreate.model_validate({**body.model_dump(), "idempotency_key": key})
    read, new = field.sos(session, caller=caller, movement_id=movement_id, data=data, now=utcnow())
    if not new:
        response.status_code = status.HTTP_200_OK
    return read


@router.put("/me/field-pins", response_model=f.PinsRead)
def set_field_pins(data: f.PinsIn, caller: CallerDep, session: SessionDep) -> f.PinsRead:
    """Set your check-in PIN and duress PIN (4 to 8 digits each, different); the duress PIN checks in
    like the other and silently raises the alarm. `language` (en, zh-Hans, ur): the replies to your SMS."""
    now = utcnow()
    row = field_pins.set_pins(session, caller, data.pin, data.duress_pin, now=now)
    if data.language is not None:
        field_language.set_language(session, caller, data.language, now=now)
    return f.PinsRead(set_at=row.set_at)


async def raw_body(request: Request) -> bytes:
    """The body as sent (the signature covers these bytes)."""
    return await request.body()


def _verify(
    secret: str | None, body: bytes, signature: str | None, stamp: str | None, now: datetime
) -> str | None:
    """Why the signature is refused, or None when it is good: of the body, or with ``stamp`` (Unix seconds
    within 5 minutes of ``now``) of ``<stamp>.<body>``."""
    if not secret:
        return "inbound SMS is not configured (OUTRIDER_SMS_INBOUND_SECRET is not set)"
    if not signature:
        return f"the {SIGNATURE_HEADER} header is missing"
    signed = body
    if stamp is not None:
        if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12:
            return f"the {TIMESTAMP_HEADER} header is not Unix seconds"
        if abs(now.timestamp() - int(stamp)) > SIGNATURE_TOLERANCE.total_seconds():
            return f"the {TIMESTAMP_HEADER} header is more than 5 minutes from the server's time"
        signed = stamp.encode() + b"." + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        return f"the {SIGNATURE_HEADER} header does not sign this body"
    return None


def _envelope(content_type: str, body: bytes) -> tuple[str, str, str | None]:
    """Sender, text and message id from a form or a JSON post."""
    if content_type.startswith("application/json"):
        try:
            m = f.SmsJson.model_validate(json.loads(body))
        except (ValueError, ValidationError):
            raise InvalidInput(
                "expected JSON with from and text", errors=[{"loc": ["body"], "msg": "from, text"}]
            ) from None
        return m.from_, m.text, m.id
    if content_type.startswith("application/x-www-form-urlencoded"):
        form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        sender, texts = form.get("From", [""])[0], form.get("Body")
        if not sender or not texts:
            raise InvalidInput(
                "expected a form with From and Body", errors=[{"loc": ["body"], "msg": "From, Body"}]
            )
        ids = form.get("MessageSid") or form.get("SmsSid") or []
        return sender, texts[0], ids[0] if ids else None
    raise InvalidInput(
        "send the SMS as application/x-www-form-urlencoded or application/json",
        errors=[{"loc": ["header", "content-type"], "msg": "form or JSON"}],
    )


@router.post(
    "/field/sms",
    response_model=f.SmsReply,
    responses={
        200: {
            "description": "The reply to send back to the sender (accepted or refused, with the reason)",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        },
        401: {
            "description": "No valid signature of the body (and of its time, for a post without an id)",
            "content": _PROBLEM,
        },
        422: {"description": "Invalid input: `errors` locate each problem", "content": _PROBLEM},
        429: {
            "description": "Too many unsigned posts claiming this sender number; see `Retry-After`",
            "content": _PROBLEM,
        },
    },
    openapi_extra={"requestBody": _SMS_BODY},
)
def inbound_sms(
    session: SessionDep,
    settings: SettingsDep,
    body: Annotated[bytes, Depends(raw_body)],
    content_type: Annotated[str, Header()] = "",
    signature: Annotated[str | None, Header(alias=SIGNATURE_HEADER)] = None,
    stamp: Annotated[str | None, Header(alias=TIMESTAMP_HEADER)] = None,
) -> Any:
    """An SMS check-in from a gateway: `CI <reference> OK|DELAYED <reason>|SOS <code>` from a verified
    phone; the body signed with HMAC-SHA-256 under the shared secret (`X-Outrider-Signature: sha256=<hex>`).
    A form post is answered in plain text, a JSON post in JSON, in the sender's language; every message is
    audited. Unsigned posts are counted per the sender number they claim, and refused 429 once too many.
    A post without a message id must also be signed with its time (`X-Outrider-Timestamp`, Unix seconds,
    the signature then of `<timestamp>.<body>`), within 5 minutes: else a captured post could be replayed."""
    now = utcnow()
    refused = _verify(settings.sms_inbound_secret, body, signature, stamp, now)
    if refused is not None:
        raise _unsigned(session, refused, _claimed_sender(content_type.lower(), body), now)
    sender, text, message_id = _envelope(content_type.lower(), body)
    if stamp is None and not message_id:  # its key would be its minute: a replay later is a new check-in
        raise _unsigned(session, UNDATED, sender, now)
    answer = sms_checkin.receive(session, sender=sender, text=text, message_id=message_id, now=now)
    reply = sms_words.reply(answer)
    if content_type.lower().startswith("application/json"):
        return reply
    return Response(reply.reply, media_type="text/plain")


def _claimed_sender(content_type: str, body: bytes) -> str:
    """The sender an unsigned post claims ("" when it names none)."""
    try:
        return _envelope(content_type, body)[0]
    except InvalidInput:
        return ""


def _unsigned(session: Session, reason: str, sender: str, now: datetime) -> OutriderError:
    """The refusal of an unsigned post (401), or 429 once its claimed number has had too many refused."""
    rule = throttle.throttle()
    subject = throttle.sender_subject(sender) if sender else ""
    until = throttle.lock_end(session, subject, now, rule) if subject else None
    if until is None:
        return Unauthorized(reason, after_rollback=_audit_unsigned(reason, sender, now, count=bool(subject)))
    locked = (
        f"too many refused posts claim this sender: try again after {until.isoformat(timespec='seconds')}"
    )
    return TooManyRequests(
        locked,
        code="sms_locked",
        retry_after=retry_after(until, now),
        after_rollback=_audit_unsigned(locked, sender, now, count=False),
    )


def _audit_unsigned(reason: str, sender: str, now: datetime, *, count: bool) -> AfterRollback:
    """The refusal of an unsigned post, recorded (and counted against the number it claims) once its
    transaction has rolled back."""

    def record(session: Session) -> None:
        sms_checkin.refuse(session, sender=sender, reason=Rejection(reason), now=now)
        if count:
            throttle.count_failure(
                session,
                subject=throttle.sender_subject(sender),
                actor=sms_checkin.anonymous(),
                now=now,
                rule=throttle.throttle(),
                channel=sms_checkin.CHANNEL,
            )

    return record
