"""The addresses a channel sends to, checked and normalised: e-mail, E.164 phone numbers, webhook URLs.

Each function returns the address as it will be used, or raises `InvalidInput` whose one error names the
field (``loc``) and what is wrong with it, so every face shows the problem beside the field.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Sequence
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from outrider.errors import InvalidInput
from outrider.settings import get_settings

Loc = Sequence[str | int]
MAX_URL_LENGTH = 500  # the outbox keeps an address in 500 characters
_PHONE_SEPARATORS = re.compile(r"[ ()\-.]")
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")  # a country code and number: 7 to 15 ASCII digits in all
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def _invalid(what: str, msg: str, loc: Loc) -> InvalidInput:
    return InvalidInput(f"{what}: {msg}", errors=[{"loc": list(loc), "msg": msg}])


def email_address(value: str, *, loc: Loc = ("address",)) -> str:
    """The e-mail address normalised (lower-case domain, Unicode NFC), or InvalidInput saying why not."""
    if not isinstance(value, str) or not value.strip():
        raise _invalid("e-mail address", "an e-mail address is required", loc)
    try:
        checked = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise _invalid("e-mail address", str(error), loc) from None
    return str(checked.normalized)


def phone_number(value: str, *, loc: Loc = ("address",)) -> str:
    """The phone number in E.164 (``+`` and 7 to 15 digits, spaces, dots, dashes and brackets dropped)."""
    if not isinstance(value, str) or not value.strip():
        raise _invalid("phone number", "a phone number is required", loc)
    number = _PHONE_SEPARATORS.sub("", value.strip())
    if not number.startswith("+"):
        raise _invalid("phone number", "must start with + and the country code (E.164)", loc)
    if not _E164.fullmatch(number):
        raise _invalid("phone number", "must be + and 7 to 15 digits 0-9, the first not 0 (E.164)", loc)
    return number


def is_loopback(host: str) -> bool:
    """True for localhost and the loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | str | None:
    """The IP address a host names literally (None: a host name), or why its spelling is refused.

    The system's resolver also reads ``2852039166``, ``0xa9fea9fe``, ``169.254.43518`` or ``0`` as IPv4
    addresses (169.254.169.254, 0.0.0.0), and a trailing dot changes nothing for it: a literal address
    must be four decimal numbers, else the checks below would be passed by another spelling of it."""
    name = host[:-1] if host.endswith(".") else host
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        pass
    try:
        socket.inet_aton(name)
    except OSError:
        return None
    return "an IPv4 address must be written as four decimal numbers (a.b.c.d)"


def refused_address(host: str) -> str | None:
    """Why a literal IP address may not receive webhooks (link-local: cloud metadata services), if so
    (None for a host name: `http_post` checks the addresses it resolves to when it connects)."""
    address = _literal_address(host)
    if address is None or isinstance(address, str):
        return address
    # an IPv4-mapped IPv6 address (::ffff:169.254.169.254) reaches the IPv4 address it maps
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    for one in (address, mapped):
        if one is not None and (one.is_link_local or one.is_multicast or one.is_unspecified):
            return "a link-local, multicast or unspecified address cannot receive webhooks"
    return None


def webhook_url(value: str, *, loc: Loc = ("url",), production: bool | None = None) -> str:
    """A URL webhooks may be posted to: http or https, a host, no credentials, no fragment, at most 500
    characters; in production https only, unless the host is loopback (``production`` None: the settings').
    """
    if not isinstance(value, str) or not value.strip():
        raise _invalid("webhook URL", "a URL is required", loc)
    url = value.strip()
    if len(url) > MAX_URL_LENGTH:
        raise _invalid("webhook URL", f"longer than {MAX_URL_LENGTH} characters", loc)
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        raise _invalid("webhook URL", "must not contain spaces or control characters", loc)
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced [ or ] of an IPv6 address
        raise _invalid("webhook URL", "is not a well-formed URL", loc) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise _invalid("webhook URL", "must be an http:// or https:// URL", loc)
    try:
        host, _port = parts.hostname, parts.port
    except ValueError:
        raise _invalid("webhook URL", "the port must be a number from 1 to 65535", loc) from None
    if not host:
        raise _invalid("webhook URL", "must name a host", loc)
    if parts.username is not None or parts.password is not None:
        raise _invalid("webhook URL", "must not carry a user name or password", loc)
    if parts.fragment:
        raise _invalid("webhook URL", "must not have a #fragment", loc)
    refused = refused_address(host)
    if refused:
        raise _invalid("webhook URL", refused, loc)
    if production is None:
        production = get_settings().env == "production"
    if production and parts.scheme.lower() != "https" and not is_loopback(host):
        raise _invalid("webhook URL", "must be https:// in production (http only to this machine)", loc)
    return url
