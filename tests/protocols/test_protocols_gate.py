"""The gate at submission and approval, joint waivers, warnings kept, execution compliance after arrival."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from protocols_world import agree, caller, scene
from pydantic import ValidationError
from sqlalchemy import select

from outrider import db
from outrider.alerts.models import Alert
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from outrider.http import csrf_token
from outrider.movements import gates, planning
from outrider.movements.models import Movement, MovementApproval
from outrider.protocols import compliance, waivers
from outrider.protocols.engine import facts_hash
from outrider.protocols.models import ProtocolEvaluation
from outrider.protocols.schemas import WaiverCreate
from outrider.settings import get_settings

JUSTIFICATION = "Escort unit diverted to a bomb scene; convoy held inside the inner cordon until it returns."


def _evaluations(mid: int) -> list[dict[str, Any]]:
    with db.transaction() as session:
        rows = session.scalars(
            select(ProtocolEvaluation)
            .where(ProtocolEvaluation.movement_id == mid)
            .order_by(ProtocolEvaluation.id)
        )
        return [
            {
                "trigger": r.trigger,
                "phase": r.phase,
                "passed": r.passed,
                "blocking": r.blocking,
                "warnings": r.warnings,
                "waived": r.waived,
                "facts": r.facts,
                "facts_hash": r.facts_hash,
                "results": {x["rule_id"]: x for x in r.results},
                "protocol_hash": r.protocol_hash,
            }
            for r in rows
        ]


def _checked(client: TestClient, world: Any, mid: int) -> list[dict[str, Any]]:
    timeline = client.get(f"/api/v1/movements/{mid}/timeline", headers=world["coord"].headers).json()
    return [e["details"] for e in timeline if e["kind"] == "protocol_checked"]


def _post(client: TestClient, world: Any, path: str, who: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"/api/v1/{path}", json=body or {}, headers=world[who].headers)


def _waiver(mid: int, *, who: str = "coord", hours: float = 24, now: datetime | None = None) -> int:
    data = WaiverCreate(
        rule_id="escort-ratio",
        justification=JUSTIFICATION,
        expires_at=(now or datetime.now(UTC)) + timedelta(hours=hours),
    )
    with db.transaction() as session:
        read = waivers.request_waiver(
            session, caller=caller(who), movement_id=mid, data=data, now=now or datetime.now(UTC)
        )
        return read.id


def _approve_waiver(waiver_id: int, who: str, now: datetime | None = None) -> Any:
    with db.transaction() as session:
        return waivers.approve_waiver(
            session, caller=caller(who), waiver_id=waiver_id, now=now or datetime.now(UTC)
        )


def test_no_protocol_in_force_the_gate_passes_and_says_so(client: TestClient, world: Any) -> None:
    mid = scene(client, world)["movement"]  # no escort: the default protocol would block it
    assert _post(client, world, f"movements/{mid}/approve", "duty").status_code == 200
    checked = _checked(client, world, mid)
    assert [c["trigger"] for c in checked] == ["submit", "approve"]
    assert all(c["allowed"] and c["protocols"] == [] for c in checked)
    assert "no protocol is in force" in checked[0]["note"]
    assert _evaluations(mid) == []


def test_a_blocking_failure_refuses_approval_until_both_parties_waive(client: TestClient, world: Any) -> None:
    agree(world)
    mid = scene(client, world)["movement"]
    submitted = _evaluations(mid)
    assert [(e["trigger"], e["passed"], e["blocking"]) for e in submitted] == [
        ("submit", False, ["escort-ratio"])
    ]
    assert submitted[0]["results"]["escort-ratio"]["facts_read"] == {
        "escort_units": 0,
        "escort_vehicles": 0,
        "vehicles": 1,
    }
    refused = _post(client, world, f"movements/{mid}/approve", "duty")
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    body = refused.json()
    assert body["type"] == "urn:outrider:problem:rule-violation" and "escort-ratio" in body["detail"]
    assert [(e["kind"], e["rule"]) for e in body["errors"]] == [("blocking", "escort-ratio")]
    assert body["errors"][0]["protocol_hash"] == submitted[0]["protocol_hash"]
    with db.transaction() as session:
        assert (
            session.scalars(select(MovementApproval).where(MovementApproval.movement_id == mid)).all() == []
        )
    # The refusal rolled the approval back but kept its evidence: the evaluation and a timeline line.
    attempts = _evaluations(mid)
    assert [(e["trigger"], e["passed"], e["blocking"], e["waived"]) for e in attempts] == [
        ("submit", False, ["escort-ratio"], []),
        ("approve", False, ["escort-ratio"], []),
    ]
    assert attempts[1]["facts_hash"] == body["errors"][0]["facts_hash"]
    refusal = _checked(client, world, mid)[-1]
    assert refusal["refused"] and not refusal["allowed"] and refusal["blocking"] == ["escort-ratio"]
    with db.transaction() as session:
        assert session.scalar(select(Movement.status).where(Movement.id == mid)) == "submitted"
    waiver = _waiver(mid)
    refused = _post(client, world, f"movements/{mid}/approve", "duty").json()
    assert (
        "lacks approval of host-security-force, partner-government"
        in refused["errors"][0]["waiver_problems"][0]
    )
    half = _approve_waiver(waiver, "duty")
    assert half.state == "pending" and half.awaiting == ["partner-government"] and not half.valid_now
    refused = _post(client, world, f"movements/{mid}/approve", "liaison").json()
    assert "lacks approval of partner-government" in refused["errors"][0]["waiver_problems"][0]
    with pytest.raises(Conflict, match="already approved"):
        _approve_waiver(waiver, "admin")
    whole = _approve_waiver(waiver, "liaison")
    assert whole.state == "approved" and whole.valid_now and whole.awaiting == []
    assert _post(client, world, f"movements/{mid}/approve", "duty").status_code == 200
    approved = _post(client, world, f"movements/{mid}/approve", "liaison")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    last = _evaluations(mid)[-1]
    assert (last["trigger"], last["passed"], last["blocking"], last["waived"]) == (
        "approve",
        False,
        ["escort-ratio"],
        ["escort-ratio"],
    )
    assert _checked(client, world, mid)[-1]["waived"] == ["escort-ratio"]


def test_a_compliant_plan_is_approved_without_waiver(client: TestClient, world: Any) -> None:
    agree(world)
    mid = scene(client, world, escort=True)["movement"]
    for who in ("duty", "liaison"):
        assert _post(client, world, f"movements/{mid}/approve", who).status_code == 200
    assert [(e["trigger"], e["passed"]) for e in _evaluations(mid)] == [
        ("submit", True),
        ("approve", True),
        ("approve", True),
    ]


def test_an_expired_waiver_does_not_count(client: TestClient, world: Any) -> None:
    agree(world)
    mid = scene(client, world)["movement"]
    now = datetime.now(UTC)
    waiver = _waiver(mid, hours=1, now=now)
    _approve_waiver(waiver, "duty", now)
    _approve_waiver(waiver, "liaison", now)
    later = now + timedelta(hours=1, minutes=1)
    with pytest.raises(RuleViolation) as refused, db.transaction() as session:
        planning.decide(
            session, caller=caller("duty"), movement_id=mid, decision="approve", comment="", now=later
        )
    assert "expired" in refused.value.errors[0]["waiver_problems"][0]
    with pytest.raises(Conflict, match="expired"):
        _approve_waiver(waiver, "admin", later)
    with db.transaction() as session:
        planning.decide(
            session, caller=caller("duty"), movement_id=mid, decision="approve", comment="", now=now
        )


def test_waiver_requests_are_checked(client: TestClient, world: Any) -> None:
    with pytest.raises(ValidationError):
        WaiverCreate(rule_id="escort-ratio", justification="because", expires_at=datetime.now(UTC))
    mid = scene(client, world)["movement"]
    with pytest.raises(Conflict, match="no protocol"):
        _waiver(mid)
    agree(world)
    now = datetime.now(UTC)

    def ask(who: str, **changes: Any) -> Any:
        values: dict[str, Any] = {
            "rule_id": "escort-ratio",
            "justification": JUSTIFICATION,
            "expires_at": now + timedelta(hours=2),
        }
        values.update(changes)
        with db.transaction() as session:
            return waivers.request_waiver(
                session, caller=caller(who), movement_id=mid, data=WaiverCreate(**values), now=now
            )

    with pytest.raises(InvalidInput, match="future"):
        ask("coord", expires_at=now - timedelta(minutes=1))
    with pytest.raises(InvalidInput, match="is a warning"):
        ask("coord", rule_id="departure-time-varied")
    with pytest.raises(InvalidInput, match="no rule"):
        ask("coord", rule_id="no-such-rule")
    with pytest.raises(InvalidInput, match="justification"):
        ask("coord", justification=" " * 30)
    with pytest.raises(Forbidden):
        ask("analyst")
    with pytest.raises(NotFound):
        ask("other_coord")
    first = ask("duty")  # a party's approver asks: their party approves at once
    assert first.approvals[0].party == "host-security-force" and first.awaiting == ["partner-government"]
    with pytest.raises(Conflict, match="still open"):
        ask("coord")
    with pytest.raises(Forbidden):
        _approve_waiver(first.id, "coord")
    with db.transaction() as session:
        listed = waivers.waivers_of(session, caller=caller("liaison"), movement_id=mid, now=now)
    assert [w.id for w in listed] == [first.id]


def test_warnings_are_kept_and_never_block(client: TestClient, world: Any) -> None:
    agree(world)
    first = scene(client, world, escort=True, tag="a")
    second = scene(client, world, escort=True, tag="b", departure=first["departure"] + timedelta(days=1))
    mid = second["movement"]
    assert _post(client, world, f"movements/{mid}/approve", "duty").status_code == 200
    evaluations = _evaluations(mid)
    assert [(e["trigger"], e["passed"], e["warnings"]) for e in evaluations] == [
        ("submit", True, ["departure-time-varied"]),
        ("approve", True, ["departure-time-varied"]),
    ]
    assert evaluations[0]["results"]["departure-time-varied"]["facts_read"] == {"same_hour_uses_7d": 1}
    assert [c["warnings"] for c in _checked(client, world, mid)] == [["departure-time-varied"]] * 2


def test_execution_rules_run_on_the_actual_facts_after_arrival(client: TestClient, world: Any) -> None:
    agree(world)
    mids = []
    for tag, counted in (("short", 0), ("full", 1)):
        mid = scene(client, world, escort=True, tag=tag)["movement"]
        for path, who, body in (
            ("approve", "duty", {}),
            ("approve", "liaison", {}),
            ("depart", "duty", {}),
            ("checkins", "duty", {"idempotency_key": "k1"}),
            ("arrive", "duty", {"persons_counted": counted}),
        ):
            assert _post(client, world, f"movements/{mid}/{path}", who, body).status_code in (200, 201)
        mids.append(mid)
    short = _evaluations(mids[0])[-1]
    assert (short["trigger"], short["phase"], short["blocking"]) == (
        "arrive",
        "execution",
        ["persons-counted-at-arrival"],
    )
    assert short["results"]["persons-counted-at-arrival"]["facts_read"] == {
        "persons_counted_at_arrival": 0,
        "protected_persons": 1,
    }
    assert short["results"]["escort-present-at-departure"]["outcome"] == "pass"
    assert short["results"]["no-long-unplanned-stop"]["outcome"] == "not_applicable"
    assert facts_hash(short["facts"]) == short["facts_hash"]  # the evidence verifies
    full = _evaluations(mids[1])[-1]
    assert (full["trigger"], full["passed"], full["blocking"]) == ("arrive", True, [])
    with db.transaction() as session:
        alerts = session.scalars(select(Alert).where(Alert.kind == compliance.BREACH_ALERT)).all()
        assert [(a.subject_id, a.severity) for a in alerts] == [(str(mids[0]), "high")]


def test_a_withdrawn_waiver_never_counts_again(client: TestClient, world: Any) -> None:
    agree(world)
    mid = scene(client, world)["movement"]
    waiver = _waiver(mid)
    _approve_waiver(waiver, "duty")
    _approve_waiver(waiver, "liaison")
    for who in ("duty", "liaison"):  # approved under the waiver
        assert _post(client, world, f"movements/{mid}/approve", who).status_code == 200
    short = _post(client, world, f"protocols/waivers/{waiver}/withdraw", "liaison", {"reason": "no"})
    assert short.status_code == 422
    reason = {"reason": "The escort unit is back at full strength."}
    assert _post(client, world, f"protocols/waivers/{waiver}/withdraw", "analyst", reason).status_code in (
        403,
        404,
    )
    # One party suffices to end what both agreed.
    withdrawn = _post(client, world, f"protocols/waivers/{waiver}/withdraw", "liaison", reason)
    assert withdrawn.status_code == 200, withdrawn.text
    body = withdrawn.json()
    assert body["state"] == "withdrawn" and not body["valid_now"] and "withdrawn" in body["problem"]
    assert body["withdrawal_reason"] == reason["reason"] and body["withdrawn_by"] == world["liaison"].user_id
    again = _post(client, world, f"protocols/waivers/{waiver}/withdraw", "duty", reason)
    assert again.status_code == 409 and "already withdrawn" in again.json()["detail"]
    with pytest.raises(Conflict, match="withdrawn"):
        _approve_waiver(waiver, "admin")
    # The movement stays approved; its organisation is told to re-check it before it moves.
    with db.transaction() as session:
        alert = session.scalar(select(Alert).where(Alert.kind == "protocol_waiver_withdrawn"))
        assert alert is not None and alert.subject_id == str(mid) and alert.severity == "high"
    timeline = client.get(f"/api/v1/movements/{mid}/timeline", headers=world["coord"].headers).json()
    assert [e["details"]["reason"] for e in timeline if e["kind"] == "waiver_withdrawn"] == [reason["reason"]]
    # The gate no longer counts it, and a new waiver of the same rule may be asked for.
    check = _post(client, world, f"movements/{mid}/protocol-evaluations", "coord").json()
    assert not check["allowed"] and check["blocking"] == ["escort-ratio"]
    assert check["waived"] == [], check
    assert _waiver(mid) != waiver


def test_a_refusal_in_the_web_keeps_its_evidence_too(client: TestClient, world: Any) -> None:
    agree(world)
    mid = scene(client, world)["movement"]
    basis = world["duty"].token
    headers = {
        "Cookie": f"outrider_session={basis}",
        "X-CSRF-Token": csrf_token(get_settings().secret_key, basis),
    }
    page = client.post(
        f"/movements/{mid}/approve", data={"comment": "ok"}, headers=headers, follow_redirects=False
    )
    # No dead-end error page: back to the movement, whose next-step panel names the rule.
    assert (
        page.status_code == 303 and page.headers["location"] == f"/movements/{mid}?refused=approve#next-step"
    )
    assert [(e["trigger"], e["blocking"]) for e in _evaluations(mid)] == [
        ("submit", ["escort-ratio"]),
        ("approve", ["escort-ratio"]),
    ]
    assert _checked(client, world, mid)[-1]["refused"]
    with db.transaction() as session:
        assert session.scalar(select(Movement.status).where(Movement.id == mid)) == "submitted"


def _web(client: TestClient, world: Any, who: str, path: str, data: dict[str, Any] | None = None) -> Any:
    basis = world[who].token
    headers = {"Cookie": f"outrider_session={basis}"}
    if data is None:
        return client.get(path, headers=headers)
    headers["X-CSRF-Token"] = csrf_token(get_settings().secret_key, basis)
    return client.post(path, data=data, headers=headers, follow_redirects=False)


def test_waivers_from_the_movement_page(client: TestClient, world: Any) -> None:
    agree(world)
    mid = scene(client, world)["movement"]
    page = _web(client, world, "coord", f"/movements/{mid}")
    assert 'id="waivers"' in page.text and 'id="waiver-request"' in page.text  # escort-ratio failed
    asked = _web(
        client,
        world,
        "coord",
        f"/movements/{mid}/waivers",
        {"rule_id": "escort-ratio", "justification": JUSTIFICATION, "hours": "12"},
    )
    assert asked.status_code == 303, asked.text
    listed = client.get(f"/api/v1/movements/{mid}/waivers", headers=world["coord"].headers).json()
    (waiver,) = listed
    assert waiver["state"] == "pending" and waiver["awaiting"] == [
        "host-security-force",
        "partner-government",
    ]
    assert (
        "awaiting host security force, partner government"  # the parties named in the reader's words
        in _web(client, world, "duty", f"/movements/{mid}").text
    )
    for who in ("duty", "liaison"):
        done = _web(client, world, who, f"/movements/{mid}/waivers/{waiver['id']}/approve", {})
        assert done.status_code == 303, done.text
    assert "counts now" in _web(client, world, "coord", f"/movements/{mid}").text
    assert _web(
        client, world, "analyst", f"/movements/{mid}/waivers/{waiver['id']}/withdraw", {"reason": "x" * 12}
    ).status_code in (403, 404)
    reason = "The escort unit is back at full strength."
    done = _web(
        client, world, "liaison", f"/movements/{mid}/waivers/{waiver['id']}/withdraw", {"reason": reason}
    )
    assert done.status_code == 303, done.text
    page = _web(client, world, "coord", f"/movements/{mid}").text
    assert reason in page and "counts now" not in page
    # A waiver id of another movement is not reachable through this one.
    other = scene(client, world)["movement"]
    assert (
        _web(client, world, "duty", f"/movements/{other}/waivers/{waiver['id']}/approve", {}).status_code
        == 404
    )


@pytest.mark.parametrize("attached", [{}, {"protocols": compliance.gate_check}])
def test_a_program_that_did_not_compose_cannot_approve_ungated(
    client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch, attached: dict[str, Any]
) -> None:
    # The gate was attached by importing compliance: a program driving the services alone approved
    # movements unchecked. Now movements refuse every transition the gate watches while none is attached.
    mid = scene(client, world)["movement"]
    monkeypatch.setattr(gates, "_CHECKS", dict(attached))
    now = datetime.now(UTC)

    def approve() -> None:
        with db.transaction() as session:
            planning.decide(
                session, caller=caller("duty"), movement_id=mid, decision="approve", comment="", now=now
            )

    if attached:
        approve()  # the control: composed, the same approval goes through
        return
    with pytest.raises(gates.GateMissing, match="no protocol gate is installed") as refused:
        approve()
    assert refused.value.status == 503
    with db.transaction() as session:
        movement = session.get(Movement, mid)
        assert movement is not None and movement.status == "submitted"
        assert (
            session.scalars(select(MovementApproval).where(MovementApproval.movement_id == mid)).all() == []
        )
    resp = _post(client, world, f"movements/{mid}/approve", "duty")
    assert resp.status_code == 503 and resp.json()["type"] == "urn:outrider:problem:gate-missing"
    draft = scene(client, world, submit=False, tag="b")["movement"]
    assert _post(client, world, f"movements/{draft}/submit", "coord").status_code == 503


def test_without_the_party_authority_nobody_decides_for_host_security(
    client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mid = scene(client, world)["movement"]
    monkeypatch.setattr(gates, "_AUTHORITY", [])
    resp = _post(client, world, f"movements/{mid}/approve", "duty")
    assert resp.status_code == 403 and "no governance is installed" in resp.json()["detail"]
