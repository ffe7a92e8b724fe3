"""One HTTP POST of a channel (webhook, SMS gateway) and what its answer means for a retry."""

from __future__ import annotations

import threading
from collections.abc import Mapping

import httpx

from outrider.notify.channels.message import Outcome, failed, sent

# Answers worth another attempt: the receiver is busy, throttling or failing for now.
RETRYABLE_STATUS = frozenset({408, 425, 429})

_client: httpx.Client | None = None
_client_lock = threading.Lock()


def _shared_client() -> httpx.Client:
    """One client for every POST of this process (thread-safe): its TLS context and CA bundle are loaded
    once, not for each message (tens of milliseconds of CPU each), and a receiver's connection is reused."""
    global _client
    with _client_lock:
        if _client is None:
            _client = httpx.Client(limits=httpx.Limits(max_connections=64, max_keepalive_connections=16))
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
    except httpx.ConnectError:
        return failed("connection failed (refused, unreachable or name not found)", retryable=True)
    except httpx.HTTPError as error:
        return failed(f"transport error: {type(error).__name__}", retryable=True)
    return outcome_of(response.status_code, response.reason_phrase)
