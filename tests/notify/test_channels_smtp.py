"""The e-mail channel against a real SMTP server (aiosmtpd on 127.0.0.1): plain, STARTTLS and implicit TLS
with a certificate made here, AUTH PLAIN and LOGIN checked by the server, and what each answer means."""

from __future__ import annotations

import email
import email.policy
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from outrider.notify.channels.base import ChannelConfig, Message, channel_for
from outrider.notify.channels.smtp import SmtpChannel

USER, PASSWORD = b"duty-desk", b"correct horse"
SENT = datetime(2026, 11, 2, 6, 30, tzinfo=UTC)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Handler:
    """Keeps what arrives; answers RCPT with ``refuse`` when set (e.g. "451 ..." or "550 ...")."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.refuse: str | None = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"


MECHANISMS: list[str] = []  # the AUTH mechanisms the server saw succeed


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and data.login == USER and data.password == PASSWORD
    if ok:
        MECHANISMS.append(mechanism)
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost: (certificate file, key file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "outrider test smtp")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("smtp-tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


def _server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(certificate[0]), str(certificate[1]))
    return context


def _serve(handler: Handler, **kwargs: Any) -> Iterator[tuple[Controller, Handler]]:
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port(), **kwargs)
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def plain_server() -> Iterator[tuple[Controller, Handler]]:
    """No TLS, AUTH allowed in the clear (a relay on the same host)."""
    yield from _serve(Handler(), authenticator=_authenticator, auth_require_tls=False)


@pytest.fixture(scope="module")
def starttls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Controller, Handler]]:
    """STARTTLS required before anything else, AUTH required (PLAIN and LOGIN)."""
    yield from _serve(
        Handler(),
        tls_context=_server_tls(certificate),
        require_starttls=True,
        authenticator=_authenticator,
        auth_required=True,
    )


@pytest.fixture(scope="module")
def tls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Controller, Handler]]:
    """Implicit TLS (port 465 style)."""
    yield from _serve(Handler(), ssl_context=_server_tls(certificate))


def _message(delivery_id: str = "d-7f3a", *, html: str | None = "<p>Overdue <b>MV-1</b></p>") -> Message:
    return Message(
        delivery_id=delivery_id,
        channel="email",
        to="duty@example.org",
        subject="Critical: movement overdue",
        text="Movement MV-1 is overdue by 25 minutes.\nOpen it in Outrider.",
        html=html,
        payload={},
        created_at=SENT,
    )


def _config(controller: Controller, **kwargs: Any) -> ChannelConfig:
    return ChannelConfig(
        smtp_host="127.0.0.1",
        smtp_port=controller.port,
        smtp_from="alerts@outrider.example.org",
        smtp_timeout_seconds=5,
        **kwargs,
    )


def _parsed(raw: bytes) -> EmailMessage:
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_a_message_arrives_with_its_text_html_and_headers(plain_server: tuple[Controller, Handler]) -> None:
    controller, handler = plain_server
    handler.received.clear()
    outcome = channel_for("email", _config(controller, smtp_security="none")).send(_message())
    assert outcome.ok, outcome
    assert len(handler.received) == 1
    mail_from, rcpt, raw = handler.received[0]
    assert (mail_from, rcpt) == ("alerts@outrider.example.org", ["duty@example.org"])
    mail = _parsed(raw)
    assert mail["Message-ID"] == "<d-7f3a@outrider>"
    assert mail["Subject"] == "Critical: movement overdue"
    assert mail["From"] == "alerts@outrider.example.org" and mail["To"] == "duty@example.org"
    assert email.utils.parsedate_to_datetime(mail["Date"]) == SENT
    assert mail.get_content_type() == "multipart/alternative"
    text_part, html_part = mail.get_body(("plain",)), mail.get_body(("html",))
    assert text_part is not None and html_part is not None
    assert "overdue by 25 minutes" in text_part.get_content()
    assert "<b>MV-1</b>" in html_part.get_content()


def test_a_retry_carries_the_same_message_id_and_text_alone_is_one_part(
    plain_server: tuple[Controller, Handler],
) -> None:
    controller, handler = plain_server
    handler.received.clear()
    channel = SmtpChannel(_config(controller, smtp_security="none"))
    for _ in range(2):
        assert channel.send(_message("retry-1", html=None)).ok
    mails = [_parsed(raw) for _f, _r, raw in handler.received]
    assert [m["Message-ID"] for m in mails] == ["<retry-1@outrider>"] * 2
    assert mails[0].get_content_type() == "text/plain"


def test_a_subject_cannot_add_a_header(plain_server: tuple[Controller, Handler]) -> None:
    controller, handler = plain_server
    handler.received.clear()
    message = _message()
    forged = Message(**{**_fields(message), "subject": "Hello\r\nBcc: thief@example.com"})
    assert SmtpChannel(_config(controller, smtp_security="none")).send(forged).ok
    _from, rcpt, raw = handler.received[0]
    assert rcpt == ["duty@example.org"]
    assert _parsed(raw)["Bcc"] is None


def _fields(message: Message) -> dict[str, Any]:
    return {name: getattr(message, name) for name in Message.__slots__}


@pytest.mark.parametrize(
    ("answer", "retryable"), [("451 4.3.0 Try again later", True), ("550 5.1.1 No such user", False)]
)
def test_a_4xx_answer_is_retryable_and_a_5xx_is_final(
    plain_server: tuple[Controller, Handler], answer: str, retryable: bool
) -> None:
    controller, handler = plain_server
    handler.refuse = answer
    try:
        outcome = SmtpChannel(_config(controller, smtp_security="none")).send(_message())
    finally:
        handler.refuse = None
    assert not outcome.ok and outcome.retryable is retryable
    assert answer[:3] in outcome.detail


@pytest.fixture(scope="module")
def login_only_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Controller, Handler]]:
    """STARTTLS and AUTH as above, offering the LOGIN mechanism alone."""
    yield from _serve(
        Handler(),
        tls_context=_server_tls(certificate),
        require_starttls=True,
        authenticator=_authenticator,
        auth_required=True,
        auth_exclude_mechanism=["PLAIN"],
    )


def test_starttls_with_auth_plain_and_login(
    starttls_server: tuple[Controller, Handler],
    login_only_server: tuple[Controller, Handler],
    certificate: tuple[Path, Path],
) -> None:
    MECHANISMS.clear()
    for delivery_id, (controller, handler) in (("tls-1", starttls_server), ("tls-2", login_only_server)):
        handler.received.clear()
        config = _config(
            controller,
            smtp_security="starttls",
            smtp_ca_file=str(certificate[0]),
            smtp_username=USER.decode(),
            smtp_password=PASSWORD.decode(),
        )
        assert SmtpChannel(config).send(_message(delivery_id)).ok
        ids = [_parsed(raw)["Message-ID"] for _f, _r, raw in handler.received]
        assert ids == [f"<{delivery_id}@outrider>"]
    assert MECHANISMS == ["PLAIN", "LOGIN"]


def test_a_wrong_password_is_final_and_never_in_the_detail(
    starttls_server: tuple[Controller, Handler], certificate: tuple[Path, Path]
) -> None:
    controller, _handler = starttls_server
    config = _config(
        controller,
        smtp_security="starttls",
        smtp_ca_file=str(certificate[0]),
        smtp_username=USER.decode(),
        smtp_password="wrong-password-123",
    )
    outcome = SmtpChannel(config).send(_message())
    assert not outcome.ok and not outcome.retryable
    assert "535" in outcome.detail and "wrong-password-123" not in outcome.detail


def test_an_untrusted_certificate_is_final(starttls_server: tuple[Controller, Handler]) -> None:
    controller, _handler = starttls_server
    outcome = SmtpChannel(_config(controller, smtp_security="starttls")).send(_message())
    assert not outcome.ok and not outcome.retryable
    assert "certificate" in outcome.detail


def test_implicit_tls(tls_server: tuple[Controller, Handler], certificate: tuple[Path, Path]) -> None:
    controller, handler = tls_server
    config = _config(controller, smtp_security="tls", smtp_ca_file=str(certificate[0]))
    assert SmtpChannel(config).send(_message("implicit")).ok
    assert _parsed(handler.received[-1][2])["Message-ID"] == "<implicit@outrider>"


def test_a_refused_connection_is_retryable() -> None:
    config = ChannelConfig(smtp_host="127.0.0.1", smtp_port=_free_port(), smtp_security="none")
    outcome = SmtpChannel(config).send(_message())
    assert not outcome.ok and outcome.retryable
    assert "connection failed" in outcome.detail


def test_without_a_host_the_channel_is_not_configured_and_final() -> None:
    outcome = SmtpChannel(ChannelConfig()).send(_message())
    assert (outcome.ok, outcome.retryable, outcome.detail) == (False, False, "not configured")


def test_a_malformed_address_is_final_before_any_connection() -> None:
    config = ChannelConfig(smtp_host="127.0.0.1", smtp_port=_free_port(), smtp_security="none")
    bad = Message(**{**_fields(_message()), "to": "duty at example.org"})
    outcome = SmtpChannel(config).send(bad)
    assert not outcome.ok and not outcome.retryable
    assert outcome.detail.startswith("malformed e-mail address")
