"""Alerts, accounts and the audit log decide who may in their services, through `access.policy`: a face
that forgets a check still refuses, with the one answer every face gives. A refused sign-in is kept
whichever face asked; exporting the signed heads is recorded from the command line as from the API."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from outrider import db
from outrider.access import policy
from outrider.access.policy import Caller
from outrider.accounts import service as accounts_service
from outrider.accounts.models import LoginFailure
from outrider.accounts.schemas import OrganizationCreate, OrgKind, Role, UserCreate
from outrider.alerts import service as alerts_service
from outrider.audit import lookup as audit_lookup
from outrider.audit import service as audit_service
from outrider.cli import app
from outrider.errors import Forbidden, NotFound, Unauthorized
from outrider.http import csrf_token
from outrider.settings import get_settings

T0 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
ROLES = sorted(r.value for r in Role)
ORG_KINDS = sorted(k.value for k in OrgKind)
NO_ALERT = 2**31 - 1  # an id no alert has: a caller let through hears 404, a refused one 403
callers = st.builds(
    lambda roles, kind, org: Caller(
        user_id=1, organization_id=org, org_kind=kind, country="PK", roles=frozenset(roles)
    ),
    st.sets(st.sampled_from(ROLES)),
    st.sampled_from(ORG_KINDS),
    st.integers(1, 3),
)
EXAMPLES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@contextmanager
def rolled_back() -> Iterator[Session]:
    """A session whose work is thrown away (each example starts from the same database)."""
    session = db.session_factory()()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def outcome(call: Callable[[], object]) -> str:
    """What a service answered: ok, forbidden (403) or not found (404)."""
    try:
        call()
    except Forbidden:
        return "forbidden"
    except NotFound:
        return "not found"
    return "ok"


@EXAMPLES
@given(caller=callers)
def test_the_alerts_service_refuses_exactly_whom_the_policy_refuses(engine: Engine, caller: Caller) -> None:
    reader = "ok" if policy.may_read_alerts(caller) else "forbidden"
    with rolled_back() as session:
        assert outcome(lambda: alerts_service.list_alerts(session, caller=caller)) == reader
        assert outcome(lambda: alerts_service.changed_since(session, caller=caller, since=T0)) == reader
        found = "not found" if reader == "ok" else "forbidden"
        assert outcome(lambda: alerts_service.get_alert(session, caller=caller, alert_id=NO_ALERT)) == found
        ack = "not found" if policy.may_acknowledge_alerts(caller) and reader == "ok" else "forbidden"
        take = lambda: alerts_service.acknowledge(  # noqa: E731
            session, caller=caller, alert_id=NO_ALERT, note="", now=T0
        )
        assert outcome(take) == ack


@EXAMPLES
@given(caller=callers, org=st.integers(1, 3))
def test_the_accounts_service_refuses_exactly_whom_the_policy_refuses(
    engine: Engine, caller: Caller, org: int
) -> None:
    admin = "ok" if policy.may_administer_accounts(caller) else "forbidden"
    # A user of another organisation: refused before any user is made, for the role or for the place.
    data = UserCreate(username="someone", organization_id=org + 10, roles=[Role.analyst])
    with rolled_back() as session:
        assert outcome(lambda: accounts_service.colleagues(session, caller=caller)) == admin
        with pytest.raises(Forbidden) as refused:
            accounts_service.add_user(session, caller=caller, data=data, now=T0)
        why = "own organisation" if admin == "ok" else policy.needs_roles(policy.ACCOUNT_ADMINS)
        assert why in refused.value.detail
        new = OrganizationCreate(name=f"Org {org}", kind=OrgKind.company, country="PK")
        assert (
            outcome(lambda: accounts_service.add_organization(session, caller=caller, data=new, now=T0))
            == admin
        )


@EXAMPLES
@given(caller=callers)
def test_the_audit_service_refuses_exactly_whom_the_policy_refuses(engine: Engine, caller: Caller) -> None:
    auditor = "ok" if policy.may_audit(caller) else "forbidden"
    with rolled_back() as session:
        assert outcome(lambda: audit_service.require_auditor(caller)) == auditor
        export = lambda: audit_service.export_checkpoints(session, caller=caller, now=T0)  # noqa: E731
        assert outcome(export) == auditor
        if auditor == "forbidden":
            assert outcome(lambda: audit_service.verify_as(session, caller=caller)) == "forbidden"


def _exports(session: Session) -> list[Any]:
    return audit_lookup.records_about(
        session, object_type="audit", object_id="checkpoints", actions=["audit.export_checkpoints"]
    )


def test_both_exports_of_the_checkpoints_are_recorded(client: TestClient, world: Any, tmp_path: Path) -> None:
    """Found: `outrider audit export-checkpoints` left no record, while the API's export did."""
    exported = tmp_path / "checkpoints.json"
    result = CliRunner().invoke(app, ["audit", "export-checkpoints", str(exported)])
    assert result.exit_code == 0, result.output
    assert json.loads(exported.read_text(encoding="utf-8"))["public_key"] == audit_service.public_key()
    assert client.get("/api/v1/audit/checkpoints", headers=world["auditor"].headers).status_code == 200
    assert client.get("/api/v1/audit/checkpoints", headers=world["coord"].headers).status_code == 403
    with db.transaction() as session:
        rows = _exports(session)
    assert [(r.channel, r.user_id) for r in rows] == [("cli", None), ("api", world["auditor"].user_id)]


def _failures(username: str) -> int:
    with db.transaction() as session:
        stmt = select(func.count()).where(LoginFailure.username == username)
        return int(session.scalar(stmt) or 0)


def test_a_refused_sign_in_is_kept_by_the_service_whoever_rolls_back(engine: Engine, world: Any) -> None:
    """Found: the failure was kept only because each face committed it by hand (the API in an except
    clause, the web inside its transaction); any other caller of the service rolled it back."""
    with pytest.raises(Unauthorized), db.transaction() as session:
        accounts_service.authenticate(
            session, username="coord", password="guess", now=T0, max_failures=5, lockout=timedelta(minutes=5)
        )
    assert _failures("coord") == 1


def test_refused_sign_ins_of_the_api_and_the_web_count_together(client: TestClient, world: Any) -> None:
    bad = {"username": "coord", "password": "guess"}
    assert client.post("/api/v1/auth/token", data=bad).status_code == 401
    pre = "nonce"
    web = client.post(
        "https://testserver/login",
        data={**bad, "csrf_token": csrf_token(get_settings().secret_key, pre)},
        headers={"Cookie": f"outrider_pre={pre}"},
        follow_redirects=False,
    )
    assert web.status_code == 401
    assert _failures("coord") == 2


def test_the_web_refuses_with_the_apis_answer(client: TestClient, world: Any) -> None:
    """Where the web worded a refusal of its own, it now gives the API's (the service's) answer."""
    cookie = {"Cookie": f"outrider_session={world['analyst'].token}"}
    api = client.get("/api/v1/alerts", headers=world["analyst"].headers)
    page = client.get("https://testserver/alerts", headers=cookie)
    assert api.status_code == page.status_code == 403
    assert api.json()["detail"] in page.text
    verify = client.get("https://testserver/audit/verify", headers=cookie)
    assert verify.status_code == 403 and "verification of the audit log is for auditors" in verify.text
    stream = client.get("https://testserver/alerts/stream", headers=cookie)
    assert stream.status_code == 403 and api.json()["detail"] in stream.text
