"""Real receivers on 127.0.0.1 for the dispatcher's tests: a webhook receiver that verifies each request's
signature and answers as scripted, and an SMTP server (aiosmtpd) that keeps what it is sent."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from outrider.notify.channels.webhooks import WebhookVerificationError, new_secret, verify


@dataclass
class Hook:
    """One request the webhook receiver got."""

    webhook_id: str
    body: bytes
    verified: bool
    status: int


@dataclass
class WebhookReceiver:
    """Answers the scripted statuses in turn (then 200), keeps every request with its verification."""

    url: str = ""
    secret: str = field(default_factory=new_secret)
    answers: list[int] = field(default_factory=list)
    delay: float = 0.0  # seconds to think before answering (a slow receiver)
    hooks: list[Hook] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, *answers: int, delay: float = 0.0) -> None:
        with self.lock:
            self.hooks.clear()
            self.answers[:] = list(answers)
            self.delay = delay

    def delivered(self) -> Counter[str]:
        """How many 2xx answers each webhook-id got."""
        with self.lock:
            return Counter(h.webhook_id for h in self.hooks if 200 <= h.status < 300)

    def take(self, headers: dict[str, str], body: bytes) -> int:
        try:
            verify(self.secret, headers, body, now=datetime.now(UTC))
            verified = True
        except WebhookVerificationError:
            verified = False
        with self.lock:
            status = self.answers.pop(0) if self.answers else 200
            if not verified:
                status = 401
            self.hooks.append(Hook(headers.get("webhook-id", ""), body, verified, status))
        return status


@contextmanager
def webhook_receiver() -> Iterator[WebhookReceiver]:
    """A webhook receiver serving on a free port of 127.0.0.1 while the block runs."""
    receiver = WebhookReceiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            time.sleep(receiver.delay)
            status = receiver.take({k.lower(): v for k, v in self.headers.items()}, body)
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Mailbox:
    """What the SMTP server accepted."""

    mails: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        mail = message_from_bytes(envelope.original_content or envelope.content, policy=default)
        assert isinstance(mail, EmailMessage)
        self.mails.append(mail)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """An SMTP server (no TLS) on a free port of 127.0.0.1, and the mailbox it fills."""
    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()
