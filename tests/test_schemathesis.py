"""Schemathesis against our own OpenAPI document: no 5xx from any input, every response as declared.

The app runs in-process (ASGI) over the small test world, signed in as an administrator on SQLite and on
PostgreSQL, and as a coordinator on SQLite. What depends on the database (ids beyond a 32-bit integer, NUL
bytes, the extremes of dates) does not depend on who asks, so the coordinator's run on PostgreSQL (the
suite's longest test, about a minute) is left out; who may call what is the part of the route matrices
(`tests/access/test_authorization_matrix.py`, `tests/web/test_web_access.py`). Generation is derandomised and
bounded so the run is reproducible and takes a couple of minutes; `OUTRIDER_FUZZ_EXAMPLES` raises the bound
for a deeper run by hand.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from outrider import db
from outrider.accounts import service as accounts_service
from outrider.accounts.models import User
from outrider.accounts.schemas import TokenCreate
from outrider.app import create_app
from outrider.errors import Unauthorized

EXAMPLES = int(os.environ.get("OUTRIDER_FUZZ_EXAMPLES", "5"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str], statuses: Counter[int]) -> list[str]:
    """Run one operation's generated cases in one mode; the distinct failures found, as text."""
    found: dict[str, str] = {}

    @hypothesis.settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        try:
            # a generous timeout: the first cordon batch compiles the detectors (numba) on a busy machine
            response = case.call(headers=headers, timeout=120)
            statuses[response.status_code] += 1
            case.validate_response(response, checks=CHECKS, headers=headers)
        except AssertionError as exc:  # schemathesis failures (and groups of them) are AssertionErrors
            key = f"{operation.label} [{mode.value}]: {str(exc).splitlines()[0] if str(exc) else type(exc)}"
            found.setdefault(key, f"{key}\n{exc}\n{case.as_curl_command()}")
        except BaseExceptionGroup as group:
            for exc in group.exceptions:
                key = f"{operation.label} [{mode.value}]: {str(exc).splitlines()[0]}"
                found.setdefault(key, f"{key}\n{exc}\n{case.as_curl_command()}")
        except Exception as exc:  # the in-process transport re-raises what the app answered with a 500
            key = f"{operation.label} [{mode.value}]: 500 {type(exc).__name__}: {exc}"[:300]
            found.setdefault(key, f"{key}\n{case.as_curl_command()}")

    # Unsatisfiable: nothing to make invalid (an operation without parameters or body, in negative mode)
    with contextlib.suppress(hypothesis.errors.Unsatisfiable):
        run()
    return list(found.values())


def _signed_in(user_id: int, token: str) -> str:
    """The token, or a new one when a generated request revoked it (`DELETE /me/tokens/{id}` may hit it)."""
    with db.transaction() as session:
        try:
            accounts_service.user_for_token(session, token=token, now=db.utcnow())
            return token
        except Unauthorized:
            pass
    with db.transaction() as session:
        user = session.get(User, user_id)
        assert user is not None and user.is_active
        data = TokenCreate(name="fuzz", ttl_hours=24)
        return accounts_service.issue_token(session, user=user, data=data, now=db.utcnow())[1]


@pytest.mark.parametrize("who", ["admin", "coord"])
def test_no_failure_from_generated_requests(world: Any, engine: Any, who: str) -> None:
    if who == "coord" and engine.dialect.name == "postgresql":
        pytest.skip("the coordinator's run is on SQLite; PostgreSQL's edge cases are the administrator's run")
    app = create_app()
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    token = world[who].token
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            token = _signed_in(world[who].user_id, token)
            failures.extend(_fuzz(operation, mode, {"Authorization": f"Bearer {token}"}, statuses))
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)
    # the run reached the handlers: signed in throughout, and some requests were accepted
    assert sum(n for code, n in statuses.items() if code < 300) > 50, statuses
    assert statuses[401] < sum(statuses.values()) / 20, statuses
