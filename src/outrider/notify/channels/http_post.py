"""One HTTP POST of a channel (webhook, SMS gateway) and what its answer means for a retry.

A host name is resolved when its connection opens, and the connection is refused when any of its addresses
is one `addresses.refused_address` refuses (link-local: the cloud metadata service; multicast; unspecified):
a name that points there, when its endpoint was saved or only later (DNS rebinding), is refused as its
literal address is. The connection goes to the very addresses checked; TLS still checks the host name.
"""

from __future__ import annotations

import socket
import threading
import typing
from collections.abc import Mapping

import httpcore
import httpx

from outrider.notify.channels.addresses import refused_address
from outrider.notify.channels.message import Outcome, failed, sent

# Answers worth another attempt: the receiver is busy, throttling or failing for now.
RETRYABLE_STATUS = frozenset({408, 425, 429})

REFUSED = "refused address"  # how a refused connection's error begins (a final outcome, not a retry)
_client: httpx.Client | None = None


def resolve(host: str, port: int) -> list[str]:
    """The addresses of a host, from the system's resolver (a literal address is itself)."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


class _CheckedBackend(httpcore.SyncBackend):
    """Opens a connection only to addresses that may receive a POST, trying each in turn."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            found = resolve(host, port)
        except OSError as error:
            raise httpcore.ConnectError(f"name not resolved: {error}") from None
        why = next((w for w in map(refused_address, found) if w), None)
        if why or not found:
            raise httpcore.ConnectError(f"{REFUSED}: {host} resolves to {why or 'nothing'}")
        last: httpcore.ConnectError | None = None
        for address in found:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as error:  # the next address (IPv6 then IPv4, several A records)
                last = error
        assert last is not None
        raise last


class _CheckedTransport(httpx.HTTPTransport):
    """httpx's transport whose connections are opened by `_CheckedBackend`."""

    def __init__(self, limits: httpx.Limits) -> None:
        super().__init__(limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_CheckedBackend(),
        )


_client_lock = threading.Lock()


def _shared_client() -> httpx.Client:
    """One client for every POST of this process (thread-safe): its TLS context and CA bundle are loaded
    once, not for each message (tens of milliseconds of CPU each), and a receiver's connection is reused."""
    global _client
    with _client_lock:
        if _client is None:
            limits = httpx.Limits(max_connections=64, max_keepalive_connections=16)
            _client = httpx.Client(transport=_CheckedTransport(limits), limits=limits)
        return _client


def outcome_of(status: int, reason: str) -> Outcome:
    """2xx delivered; 408, 425, 429 and 5xx retryable; any other answer (4xx, a redirect) final."""
    line = f"{status} {reason}".strip()
    if 200 <= status < 300:
        return sent(line)
    if status in RETRYABLE_STATUS or status >= 500:
        return failed(line, retryable=True)
    if 300 <= status < 400:
        return failed(f"{line} (redirects are not followed)", retryable=False)
    return failed(line, retryable=False)


def post(url: str, *, content: bytes, headers: Mapping[str, str], timeout: float) -> Outcome:
    """POST ``content`` to ``url`` and classify the answer; never raises, never reports a body."""
    try:
        response = _shared_client().post(url, content=content, headers=dict(headers), timeout=timeout)
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        return failed(f"bad URL: {type(error).__name__}", retryable=False)
    except httpx.TimeoutException as error:
        return failed(f"timed out ({type(error).__name__})", retryable=True)
    except httpx.ConnectError as error:
        if str(error).startswith(REFUSED):
            return failed(str(error), retryable=False)
        return failed("connection failed (refused, unreachable or name not found)", retryable=True)
    except httpx.HTTPError as error:
        return failed(f"transport error: {type(error).__name__}", retryable=True)
    return outcome_of(response.status_code, response.reason_phrase)
