"""E-mail over SMTP: STARTTLS, implicit TLS or none, authentication when a user name is set, and a
multipart/alternative message (plain text, and HTML when the message has it).

The Message-ID is ``<delivery id@outrider>``: the same on every retry, so a mail system that received the
first attempt after all can drop the second. SMTP 4xx answers, a refused or dropped connection and time-outs
are worth another attempt; 5xx answers and certificate failures are final.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime

from outrider.errors import InvalidInput
from outrider.notify.channels.addresses import email_address
from outrider.notify.channels.message import NOT_CONFIGURED, ChannelConfig, Message, Outcome, failed, sent

DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
MESSAGE_ID_DOMAIN = "outrider"


def _one_line(value: str) -> str:
    # a header is one line: a newline in a subject would start a header of the sender's choosing
    return " ".join(value.split())


def compose(message: Message, *, sender: str) -> EmailMessage:
    """The e-mail of a message: From, To, Subject, Date (its creation), Message-ID, text and HTML parts."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.to
    mail["Subject"] = _one_line(message.subject)
    mail["Date"] = format_datetime(message.created_at)
    mail["Message-ID"] = f"<{message.delivery_id}@{MESSAGE_ID_DOMAIN}>"
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to an alert
    mail.set_content(message.text)
    if message.html:
        mail.add_alternative(message.html, subtype="html")
    return mail


def _answer(code: int, what: str) -> Outcome:
    return failed(f"SMTP {code} ({what})", retryable=400 <= code < 500)


class SmtpChannel:
    """Sends a message as an e-mail through the configured SMTP server."""

    name = "email"

    def __init__(self, config: ChannelConfig) -> None:
        self.config = config

    def _tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.config.smtp_ca_file)

    def _connect(self) -> smtplib.SMTP:
        host, security = self.config.smtp_host or "", self.config.smtp_security
        port = self.config.smtp_port or DEFAULT_PORTS[security]
        timeout = self.config.smtp_timeout_seconds
        if security == "tls":
            return smtplib.SMTP_SSL(host, port, timeout=timeout, context=self._tls())
        smtp = smtplib.SMTP(host, port, timeout=timeout)
        try:
            if security == "starttls":
                smtp.starttls(context=self._tls())
            return smtp
        except BaseException:
            smtp.close()
            raise

    def _deliver(self, mail: EmailMessage, to: str) -> None:
        with self._connect() as smtp:
            if self.config.smtp_username:
                smtp.login(self.config.smtp_username, self.config.smtp_password or "")
            smtp.send_message(mail, from_addr=self.config.smtp_from, to_addrs=[to])

    def send(self, message: Message) -> Outcome:
        """One attempt; "not configured" (final) without an SMTP host."""
        if not self.config.smtp_host:
            return failed(NOT_CONFIGURED, retryable=False)
        try:
            to = email_address(message.to)
        except InvalidInput as error:
            return failed(f"malformed e-mail address: {error.errors[0]['msg']}", retryable=False)
        try:
            self._deliver(compose(message, sender=self.config.smtp_from), to)
        except smtplib.SMTPRecipientsRefused as error:
            code = next(iter(error.recipients.values()))[0]
            return _answer(code, "recipient refused")
        except smtplib.SMTPAuthenticationError as error:
            return failed(f"SMTP {error.smtp_code} (authentication failed)", retryable=False)
        except smtplib.SMTPResponseException as error:
            return _answer(error.smtp_code, type(error).__name__)
        except smtplib.SMTPNotSupportedError:
            return failed("the SMTP server does not offer STARTTLS or AUTH", retryable=False)
        except smtplib.SMTPServerDisconnected:
            return failed("the SMTP server closed the connection", retryable=True)
        except smtplib.SMTPException as error:
            return failed(f"SMTP error: {type(error).__name__}", retryable=False)
        except ssl.SSLCertVerificationError:
            return failed("TLS: the SMTP server's certificate did not verify", retryable=False)
        except ssl.SSLError as error:
            return failed(f"TLS error: {error.reason or type(error).__name__}", retryable=False)
        except (TimeoutError, OSError) as error:
            return failed(f"connection failed: {type(error).__name__}", retryable=True)
        return sent(f"250 accepted by {self.config.smtp_host}")
