"""The server's access log never holds a feed key: uvicorn writes each request's path with its query, and a
feed key travels in the query (`/api/v1/alerts/cap.atom?key=ofk_…`)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from outrider.access_log import ACCESS_LOGGER, redact_query

KEY = "ofk_Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA"


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        (f"/api/v1/alerts/cap.atom?key={KEY}", "/api/v1/alerts/cap.atom?key=ofk_Zm9vYm…"),
        (f"/x?a=1&KEY={KEY}&b=2", "/x?a=1&KEY=ofk_Zm9vYm…&b=2"),
        (f"/x?k%65y={KEY}", "/x?k%65y=ofk_Zm9vYm…"),  # the name percent-encoded
        ("/x?keys=1&monkey=2", "/x?keys=1&monkey=2"),  # other parameters are kept
        ("/api/v1/alerts", "/api/v1/alerts"),
    ],
)
def test_a_secret_query_parameter_is_cut_to_its_prefix(path: str, shown: str) -> None:
    assert redact_query(path) == shown


def test_the_applications_access_log_shows_no_feed_key(client: Any, caplog: pytest.LogCaptureFixture) -> None:
    """Logged as uvicorn logs a request, once the application is built (`client`)."""
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        logging.getLogger(ACCESS_LOGGER).info(
            '%s - "%s %s HTTP/%s" %d',
            "203.0.113.7:51234",
            "GET",
            f"/api/v1/alerts/cap.atom?key={KEY}",
            "1.1",
            200,
        )
    line = caplog.records[-1].getMessage()
    assert "cap.atom?key=ofk_Zm9vYm…" in line and KEY not in line and KEY[10:] not in caplog.text
