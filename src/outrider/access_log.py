"""The server's access log without secrets.

A feed key travels in the query string (``/api/v1/alerts/cap.atom?key=ofk_…``, for a wall screen or an
aggregator that cannot send a header), and the server's access log writes each request's path with its
query: every poll would write the key, a bearer credential, to the log. The filter keeps the key's first
characters (the prefix that ``outrider notify feed-keys list`` shows, enough to tell which key polled) and
drops the rest, before any handler formats the line.
"""

from __future__ import annotations

import logging
from urllib.parse import unquote_plus

ACCESS_LOGGER = "uvicorn.access"
SECRET_PARAMS = frozenset({"key"})  # query parameters that carry a credential
SHOWN = 10  # characters of a secret kept in the log: a feed key's listed prefix ("ofk_" and six)


def redact_query(path: str) -> str:
    """The path with the value of each secret query parameter cut to its first characters."""
    base, sep, query = path.partition("?")
    if not sep:
        return path
    pairs = []
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        if eq and unquote_plus(name).strip().lower() in SECRET_PARAMS and len(value) > SHOWN:
            pair = f"{name}={value[:SHOWN]}…"
        pairs.append(pair)
    return f"{base}?{'&'.join(pairs)}"


class SecretQueryFilter(logging.Filter):
    """Rewrites an access-log record's path (its third argument: client, method, path, version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], redact_query(args[2]), *args[3:])
        return True


def install(logger_name: str = ACCESS_LOGGER) -> None:
    """Attach the filter to the access logger (once, however many applications are built)."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, SecretQueryFilter) for f in logger.filters):
        logger.addFilter(SecretQueryFilter())
