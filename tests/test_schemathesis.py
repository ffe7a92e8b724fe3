"""Schemathesis against our own OpenAPI document: no 5xx from any input, every response as declared.

The app runs in-process (ASGI) on SQLite and on PostgreSQL, over the small test world, signed in as an
administrator and as a coordinator. Generation is derandomised and bounded so the run is reproducible and
takes a couple of minutes; `OUTRIDER_FUZZ_EXAMPLES` raises the bound for a deeper run by hand.
"""

from __future__ import annotations

import contextlib
import os
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

from outrider.app import create_app

EXAMPLES = int(os.environ.get("OUTRIDER_FUZZ_EXAMPLES", "6"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Operations whose success would end the run's session early: fuzzed elsewhere only through their errors.
SKIP = {("POST", "/api/v1/auth/logout")}


def _fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> list[str]:
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
            case.call_and_validate(headers=headers, checks=CHECKS, timeout=120)
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


@pytest.mark.parametrize("who", ["admin", "coord"])
def test_no_failure_from_generated_requests(world: Any, who: str) -> None:
    app = create_app()
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures.extend(_fuzz(operation, mode, world[who].headers))
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)
