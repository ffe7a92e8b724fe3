"""Webhooks and the SMS gateway against real HTTP servers on 127.0.0.1.

The webhook receiver checks each request's Standard Webhooks signature with its own code (hmac and base64,
as the specification describes it), not with the channel's; the SMS gateway checks the bearer key and the
JSON it is sent."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from outrider.notify.channels import http_post
from outrider.notify.channels.base import ChannelConfig, Message, channel_for
from outrider.notify.channels.sms import SMS_MAX_CHARS, SmsChannel, sms_text
from outrider.notify.channels.webhooks import WebhookChannel, new_secret

SECRET = new_secret()
API_KEY = "gw-key-5d1e0c"
TOLERANCE_S = 300


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool


@dataclass
class Receiver:
    """What the server received and the answers it will give (status, seconds to wait), first first."""

    url: str
    requests: list[Received] = field(default_factory=list)
    answers: list[tuple[int, float]] = field(default_factory=list)
    secret: str = SECRET
    kind: str = "webhook"

    def reset(self, *answers: int | tuple[int, float]) -> None:
        self.requests.clear()
        self.answers[:] = [a if isinstance(a, tuple) else (a, 0.0) for a in answers]


def _verifies(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The specification's check, written here independently of the channel."""
    try:
        msg_id, stamp = headers["webhook-id"], headers["webhook-timestamp"]
        signatures = headers["webhook-signature"].split(" ")
    except KeyError:
        return False
    if abs(time.time() - int(stamp)) > TOLERANCE_S:
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, msg_id.encode() + b"." + stamp.encode() + b"." + body, hashlib.sha256).digest()
    expected = base64.b64encode(mac).decode()
    return any(s.split(",", 1) == ["v1", expected] for s in signatures)


def _gateway_accepts(headers: dict[str, str], body: bytes) -> bool:
    if headers.get("authorization") != f"Bearer {API_KEY}":
        return False
    if headers.get("content-type") != "application/json":
        return False
    data = json.loads(body)
    return set(data) == {"to", "from", "text"} and all(isinstance(v, str) for v in data.values())


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            check = _verifies(receiver.secret, headers, body) if receiver.kind == "webhook" else None
            ok = check if check is not None else _gateway_accepts(headers, body)
            receiver.requests.append(Received(headers, body, ok))
            status, wait = receiver.answers.pop(0) if receiver.answers else (200, 0.0)
            time.sleep(wait)
            self.send_response(status if ok else 401)
            self.send_header("content-length", "2")
            if 300 <= status < 400:
                self.send_header("location", "http://127.0.0.1:9/elsewhere")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, format: str, *args: Any) -> None:  # keep the test output quiet
            return

    return Handler


def _serve(kind: str) -> Iterator[Receiver]:
    receiver = Receiver(url="", kind=kind)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/outrider"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def hooks() -> Iterator[Receiver]:
    yield from _serve("webhook")


@pytest.fixture(scope="module")
def gateway() -> Iterator[Receiver]:
    yield from _serve("sms")


def _webhook(url: str, *, secret: str | None = SECRET, delivery_id: str = "msg_2f8c1d") -> Message:
    return Message(
        delivery_id=delivery_id,
        channel="webhook",
        to=url,
        subject="alert 12 escalated",
        text="",
        html=None,
        payload={"type": "alert.escalated", "alert_id": 12, "kind": "movement_overdue", "severity": "high"},
        created_at=datetime(2026, 11, 2, 6, 30, tzinfo=UTC),
        secret=secret,
    )


CONFIG = ChannelConfig(webhook_timeout_seconds=2, sms_timeout_seconds=2)


def test_a_retry_has_the_same_id_and_a_valid_signature_each_time(hooks: Receiver) -> None:
    hooks.reset(500, 200)
    channel = channel_for("webhook", CONFIG)
    first, second = channel.send(_webhook(hooks.url)), channel.send(_webhook(hooks.url))
    assert (first.ok, first.retryable) == (False, True) and first.detail.startswith("500")
    assert (second.ok, second.detail) == (True, "200 OK")
    assert [r.verified for r in hooks.requests] == [True, True]
    assert {r.headers["webhook-id"] for r in hooks.requests} == {"msg_2f8c1d"}
    assert all(r.headers["content-type"] == "application/json" for r in hooks.requests)
    assert json.loads(hooks.requests[0].body)["alert_id"] == 12


def test_each_attempt_is_signed_with_its_own_timestamp(hooks: Receiver) -> None:
    clock = iter([datetime.now(UTC) - timedelta(seconds=60), datetime.now(UTC)])
    hooks.reset(200, 200)
    channel = WebhookChannel(CONFIG, clock=lambda: next(clock))
    assert channel.send(_webhook(hooks.url)).ok and channel.send(_webhook(hooks.url)).ok
    stamps = [int(r.headers["webhook-timestamp"]) for r in hooks.requests]
    assert stamps[1] - stamps[0] >= 59
    signatures = {r.headers["webhook-signature"] for r in hooks.requests}
    assert len(signatures) == 2 and all(r.verified for r in hooks.requests)


def test_a_wrong_secret_is_rejected_by_the_receiver(hooks: Receiver) -> None:
    hooks.reset(200)
    outcome = WebhookChannel(CONFIG).send(_webhook(hooks.url, secret=new_secret()))
    assert (outcome.ok, outcome.retryable) == (False, False) and outcome.detail.startswith("401")
    assert hooks.requests[0].verified is False


def test_a_stale_timestamp_is_rejected_by_the_receiver(hooks: Receiver) -> None:
    hooks.reset(200)
    stale = WebhookChannel(CONFIG, clock=lambda: datetime.now(UTC) - timedelta(seconds=TOLERANCE_S + 60))
    outcome = stale.send(_webhook(hooks.url))
    assert not outcome.ok and outcome.detail.startswith("401")


@pytest.mark.parametrize(
    ("status", "retryable"), [(429, True), (503, True), (408, True), (404, False), (410, False), (302, False)]
)
def test_what_an_answer_means(hooks: Receiver, status: int, retryable: bool) -> None:
    hooks.reset(status)
    outcome = WebhookChannel(CONFIG).send(_webhook(hooks.url))
    assert (outcome.ok, outcome.retryable) == (False, retryable)
    assert outcome.detail.startswith(str(status))
    assert len(hooks.requests) == 1  # a redirect is not followed


def test_a_slow_receiver_times_out_and_is_retryable(hooks: Receiver) -> None:
    hooks.reset((200, 1.0))
    outcome = WebhookChannel(ChannelConfig(webhook_timeout_seconds=0.2)).send(_webhook(hooks.url))
    assert (outcome.ok, outcome.retryable) == (False, True) and "timed out" in outcome.detail


def test_a_closed_port_is_retryable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    outcome = WebhookChannel(CONFIG).send(_webhook(f"http://127.0.0.1:{port}/none"))
    assert (outcome.ok, outcome.retryable) == (False, True)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://127.0.0.1/hooks", "http:// or https://"),
        ("http://user:pw@127.0.0.1/hooks", "user name or password"),
        ("javascript:alert(1)", "http:// or https://"),
        ("http://169.254.169.254/latest", "link-local"),
    ],
)
def test_a_bad_url_is_final_without_a_request(hooks: Receiver, url: str, why: str) -> None:
    hooks.reset()
    outcome = WebhookChannel(CONFIG).send(_webhook(url))
    assert (outcome.ok, outcome.retryable) == (False, False) and why in outcome.detail
    assert "pw" not in outcome.detail and not hooks.requests


def test_a_host_name_is_judged_by_the_addresses_it_resolves_to_when_connecting(
    hooks: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name that resolves to the metadata service (when saved or only later: DNS rebinding) is refused
    as its literal address is, before any connection; a name of an allowed address is posted to."""
    from urllib.parse import urlsplit

    port = urlsplit(hooks.url).port
    assert port is not None
    names = {"hooks.test": ["127.0.0.1"], "metadata.test": ["169.254.169.254"]}
    connected: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        connected.append(host)
        return list(names[host])

    monkeypatch.setattr(http_post, "resolve", resolve)
    hooks.reset(200)
    assert WebhookChannel(CONFIG).send(_webhook(f"http://hooks.test:{port}/in")).ok
    assert len(hooks.requests) == 1 and hooks.requests[0].verified
    metadata = WebhookChannel(CONFIG).send(_webhook(f"http://metadata.test:{port}/latest/meta-data/"))
    assert (metadata.ok, metadata.retryable) == (False, False) and "link-local" in metadata.detail
    names["rebound.test"] = ["127.0.0.1", "169.254.169.254"]  # one of its addresses is enough
    rebound = WebhookChannel(CONFIG).send(_webhook(f"http://rebound.test:{port}/in"))
    assert (rebound.ok, rebound.retryable) == (False, False) and "refused address" in rebound.detail
    assert len(hooks.requests) == 1 and connected == ["hooks.test", "metadata.test", "rebound.test"]


def test_production_posts_plain_http_only_to_this_machine(hooks: Receiver) -> None:
    production = ChannelConfig(webhook_timeout_seconds=2, production=True)
    hooks.reset(200)
    assert WebhookChannel(production).send(_webhook(hooks.url)).ok  # 127.0.0.1
    outcome = WebhookChannel(production).send(_webhook("http://hooks.example.org/outrider"))
    assert (outcome.ok, outcome.retryable) == (False, False) and "https://" in outcome.detail


def test_a_message_and_a_config_never_show_their_secrets() -> None:
    message = _webhook("https://hooks.example.org/in")
    config = ChannelConfig(sms_api_key=API_KEY, smtp_password="smtp-pass-42")
    assert SECRET not in repr(message) and "msg_2f8c1d" in repr(message)
    assert API_KEY not in repr(config) and "smtp-pass-42" not in repr(config)


def test_no_or_a_malformed_secret_is_final(hooks: Receiver) -> None:
    hooks.reset()
    for secret in (None, "whsec_not base64!", "plain-password"):
        outcome = WebhookChannel(CONFIG).send(_webhook(hooks.url, secret=secret))
        assert (outcome.ok, outcome.retryable) == (False, False)
        assert secret is None or secret not in outcome.detail
    assert not hooks.requests


# --- SMS ----------------------------------------------------------------------------------------


def _sms(to: str = "+92 300 1234567", text: str = "Movement MV-1 is overdue by 25 min.") -> Message:
    return Message(
        delivery_id="sms-41",
        channel="sms",
        to=to,
        subject="Critical alert",
        text=text,
        html=None,
        payload={},
        created_at=datetime(2026, 11, 2, 6, 30, tzinfo=UTC),
    )


def _gateway_config(gateway: Receiver, key: str = API_KEY) -> ChannelConfig:
    return ChannelConfig(sms_gateway_url=gateway.url, sms_api_key=key, sms_sender_id="OUTRIDER")


def test_an_sms_reaches_the_gateway_with_the_key_and_json(gateway: Receiver) -> None:
    gateway.reset(201)
    outcome = channel_for("sms", _gateway_config(gateway)).send(_sms())
    assert outcome.ok, outcome
    (request,) = gateway.requests
    assert request.verified
    assert json.loads(request.body) == {
        "to": "+923001234567",
        "from": "OUTRIDER",
        "text": "Critical alert\nMovement MV-1 is overdue by 25 min.",
    }
    assert request.headers["idempotency-key"] == "sms-41"


@pytest.mark.parametrize(("status", "retryable"), [(429, True), (502, True), (400, False)])
def test_the_gateways_answers(gateway: Receiver, status: int, retryable: bool) -> None:
    gateway.reset(status)
    outcome = SmsChannel(_gateway_config(gateway)).send(_sms())
    assert (outcome.ok, outcome.retryable) == (False, retryable)


def test_a_wrong_key_is_refused_and_never_reported(gateway: Receiver) -> None:
    gateway.reset(200)
    outcome = SmsChannel(_gateway_config(gateway, key="stolen-key")).send(_sms())
    assert (outcome.ok, outcome.retryable) == (False, False) and outcome.detail.startswith("401")
    assert "stolen-key" not in outcome.detail


def test_a_malformed_number_or_no_gateway_is_final(gateway: Receiver) -> None:
    gateway.reset()
    malformed = SmsChannel(_gateway_config(gateway)).send(_sms(to="0300 1234567"))
    assert (malformed.ok, malformed.retryable) == (False, False) and "E.164" in malformed.detail
    unconfigured = SmsChannel(ChannelConfig()).send(_sms())
    assert (unconfigured.ok, unconfigured.retryable, unconfigured.detail) == (False, False, "not configured")
    assert not gateway.requests


def test_a_long_text_is_cut_to_the_limit(gateway: Receiver) -> None:
    gateway.reset(200)
    assert SmsChannel(_gateway_config(gateway)).send(_sms(text="word " * 200)).ok
    text = json.loads(gateway.requests[0].body)["text"]
    assert len(text) == SMS_MAX_CHARS and text.endswith("...") and text.startswith("Critical alert\n")
    assert sms_text("Overdue", "Overdue: MV-1") == "Overdue: MV-1"


def test_an_endpoints_secret_signs_what_its_receiver_verifies(
    client: Any, world: Any, hooks: Receiver
) -> None:
    created = client.post(
        "/api/v1/notify/endpoints",
        json={"name": "ops centre", "url": hooks.url},
        headers=world["acme_admin"].headers,
    )
    assert created.status_code in (200, 201), created.text
    secret = created.json()["secret"]
    hooks.reset(200)
    hooks.secret = secret
    try:
        assert WebhookChannel(CONFIG).send(_webhook(hooks.url, secret=secret)).ok
    finally:
        hooks.secret = SECRET
    assert hooks.requests[0].verified
