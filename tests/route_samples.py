"""The route matrices on PostgreSQL: every fifth route, chosen by a stable hash of its name.

Who may call a route is decided in Python (`access.policy`), the same on both databases; SQLite runs every
route with every actor, and PostgreSQL runs a fixed fifth of them to catch a scope that its dialect reads
differently (JSON, integer ranges, locking), which keeps the suite within its time on two cores.
"""

from __future__ import annotations

import zlib

import pytest
from sqlalchemy import Engine

SHARE = 5


def sampled_on_postgresql(route: str) -> bool:
    """Whether PostgreSQL runs this route's matrix test (stable across runs and machines)."""
    return zlib.crc32(route.encode("utf-8")) % SHARE == 0


def skip_unless_sampled(request: pytest.FixtureRequest, engine: Engine) -> None:
    """Skip a route test on PostgreSQL unless its route is in the sample (before any fixture work)."""
    callspec = getattr(request.node, "callspec", None)
    route = callspec.params.get("route") if callspec is not None else None
    if route is not None and engine.dialect.name == "postgresql" and not sampled_on_postgresql(str(route)):
        pytest.skip("PostgreSQL runs a fixed fifth of the route matrix (decisions are made in Python)")
