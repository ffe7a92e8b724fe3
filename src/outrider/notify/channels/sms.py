"""SMS through an HTTP gateway: ``POST {"to", "from", "text"}`` with ``Authorization: Bearer <key>``.

The common shape of providers' JSON APIs; a gateway with another shape sits behind a small relay. 2xx is
delivered to the gateway; 408, 429 and 5xx are worth another try; any other answer is final.
"""

from __future__ import annotations

import json

from outrider.errors import InvalidInput
from outrider.notify.channels.addresses import phone_number
from outrider.notify.channels.http_post import post
from outrider.notify.channels.message import NOT_CONFIGURED, ChannelConfig, Message, Outcome, failed

# Two concatenated GSM-7 segments: long enough for a subject and a sentence, short enough to arrive whole.
SMS_MAX_CHARS = 306
ELLIPSIS = "..."


def sms_text(subject: str, text: str, *, limit: int = SMS_MAX_CHARS) -> str:
    """The text of one SMS: the subject first (unless the text already starts with it), then the text, on
    one line each, cut to ``limit`` characters with an ellipsis."""
    subject, text = " ".join(subject.split()), " ".join(text.split())
    whole = text if not subject or text.startswith(subject) else f"{subject}\n{text}".strip()
    if len(whole) <= limit:
        return whole
    return whole[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


class SmsChannel:
    """Sends a message's text to a phone number through the configured gateway."""

    name = "sms"

    def __init__(self, config: ChannelConfig) -> None:
        self.config = config

    def send(self, message: Message) -> Outcome:
        """One attempt through the gateway; "not configured" (final) without a gateway URL and key."""
        if not self.config.sms_gateway_url or not self.config.sms_api_key:
            return failed(NOT_CONFIGURED, retryable=False)
        try:
            to = phone_number(message.to)
        except InvalidInput as error:
            return failed(f"malformed phone number: {error.errors[0]['msg']}", retryable=False)
        body = {"to": to, "from": self.config.sms_sender_id, "text": sms_text(message.subject, message.text)}
        headers = {
            "authorization": f"Bearer {self.config.sms_api_key}",
            "content-type": "application/json",
            "idempotency-key": message.delivery_id,
        }
        content = json.dumps(body, ensure_ascii=False).encode()
        return post(
            self.config.sms_gateway_url,
            content=content,
            headers=headers,
            timeout=self.config.sms_timeout_seconds,
        )
