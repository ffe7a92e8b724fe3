"""The movement's next step: the approval gate previewed (nothing stored, never counted), who clears each
block, and a refused click in the web that goes back to the movement's page instead of a dead end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from protocols_world import agree, caller, scene
from sqlalchemy import func, select

from outrider import db
from outrider.errors import NotFound
from outrider.http import csrf_token
from outrider.protocols import next_step, reporting
from outrider.protocols.models import ProtocolEvaluation
from outrider.settings import get_settings


def _stored(mid: int) -> list[tuple[str, list[str]]]:
    with db.transaction() as session:
        rows = session.scalars(
            select(ProtocolEvaluation)
            .where(ProtocolEvaluation.movement_id == mid)
            .order_by(ProtocolEvaluation.id)
        )
        return [(r.trigger, list(r.blocking)) for r in rows]


def _preview(who: str, mid: int) -> next_step.NextStep:
    with db.transaction() as session:
        return next_step.preview_approval(session, caller=caller(who), movement_id=mid, now=datetime.now(UTC))


def _awaited(world: Any, mid: int) -> set[str]:
    """The world's users whose party's decision the movement awaits now."""
    callers = {who: caller(who) for who in world.actors}
    awaited = set()
    with db.transaction() as session:
        for who, c in callers.items():
            try:
                if next_step.decision_awaited(session, caller=c, movement_id=mid):
                    awaited.add(who)
            except NotFound:
                pass  # another company's coordinator does not see the movement at all
    return awaited


def _web(client: TestClient, world: Any, who: str, path: str, data: dict[str, Any] | None = None) -> Any:
    basis = world[who].token
    headers = {"Cookie": f"outrider_session={basis}"}
    if data is None:
        return client.get(path, headers=headers)
    headers["X-CSRF-Token"] = csrf_token(get_settings().secret_key, basis)
    return client.post(path, data=data, headers=headers, follow_redirects=False)


def _remedies(step: next_step.NextStep) -> dict[str, tuple[bool, bool]]:
    (block,) = step.blocking
    return {r.kind: (r.may, r.later) for r in block.remedies}


def test_the_preview_names_the_block_and_who_clears_it_and_stores_nothing(
    client: TestClient, world: Any
) -> None:
    agree(world)
    mid = scene(client, world)["movement"]  # submitted, no escort: escort-ratio fails
    before = _stored(mid)
    step = _preview("duty", mid)
    assert (step.transition, step.checked, step.allowed) == ("approve", True, False)
    assert [b.rule_id for b in step.blocking] == ["escort-ratio"]
    assert step.blocking[0].title.startswith("At least one escort unit")
    # Each reader learns who may clear it; only the host's duty officer may assign the escort.
    assert _remedies(step) == {"escort": (True, False), "waiver": (True, False)}
    assert _remedies(_preview("liaison", mid)) == {"escort": (False, False), "waiver": (True, False)}
    assert _remedies(_preview("coord", mid)) == {"escort": (False, False), "waiver": (True, False)}
    assert _remedies(_preview("analyst", mid)) == {"escort": (False, False), "waiver": (False, False)}
    with pytest.raises(NotFound):
        _preview("other_coord", mid)  # another company: the movement does not exist for it
    assert _stored(mid) == before  # a preview is no evaluation, of record or otherwise


def test_a_refused_web_approval_returns_to_the_page_and_is_not_a_failed_check(
    client: TestClient, world: Any
) -> None:
    agree(world)
    made = scene(client, world)
    mid = made["movement"]
    refused = _web(client, world, "liaison", f"/movements/{mid}/approve", {"comment": "ok"})
    assert refused.status_code == 303
    assert refused.headers["location"] == f"/movements/{mid}?refused=approve#next-step"
    assert _stored(mid) == [("submit", ["escort-ratio"]), ("approve", ["escort-ratio"])]
    page = _web(client, world, "liaison", refused.headers["location"])
    assert page.status_code == 200
    assert 'id="approval-refused"' in page.text and 'data-rule="escort-ratio"' in page.text
    assert 'href="#escort-form"' not in page.text and 'href="#waiver-form"' in page.text
    duty = _web(client, world, "duty", f"/movements/{mid}").text
    assert 'href="#escort-form"' in duty and 'id="escort-form"' in duty and 'id="next-step-held"' in duty
    with db.transaction() as session:
        day = datetime.now(UTC).date()
        report = reporting.compliance_report(
            session,
            caller=caller("auditor"),
            start=day - timedelta(days=1),
            end=day + timedelta(days=1),
            now=datetime.now(UTC),
        )
    # The refused click is counted apart: the gate working, not the movement failing the protocol.
    assert [r.trigger for r in report.refusals] == ["approve"]
    assert all(r["violations"] == 0 for r in _rules(report))
    # The escort clears it: the preview says so, and the approval goes through.
    client.post(
        f"/api/v1/movements/{mid}/escort", json={"unit_ids": [made["unit"]]}, headers=world["duty"].headers
    )
    assert _preview("duty", mid).allowed
    assert 'id="next-step-clear"' in _web(client, world, "duty", f"/movements/{mid}").text
    assert (
        _web(client, world, "duty", f"/movements/{mid}/approve", {})
        .headers["location"]
        .endswith("done=approve")
    )


def _rules(report: Any) -> list[dict[str, Any]]:
    from outrider.protocols.report import to_json

    rules: list[dict[str, Any]] = to_json(report)["rules"]
    return rules


def test_no_protocol_in_force_and_after_approval_nothing_to_preview(client: TestClient, world: Any) -> None:
    mid = scene(client, world, escort=True)["movement"]
    assert _preview("duty", mid).model_dump(include={"transition", "checked", "allowed"}) == {
        "transition": "approve",
        "checked": False,
        "allowed": True,
    }
    # Decisions are offered to exactly the parties whose approval the lifecycle would take.
    assert _awaited(world, mid) == {"duty", "admin", "liaison", "embassy_admin"}
    for who in ("duty", "liaison"):
        assert (
            client.post(f"/api/v1/movements/{mid}/approve", json={}, headers=world[who].headers).status_code
            == 200
        )
        awaited = _awaited(world, mid)
        assert awaited == ({"liaison", "embassy_admin"} if who == "duty" else set())
    assert _preview("duty", mid).transition == "none"
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(ProtocolEvaluation)) == 0


def test_the_api_and_the_command_give_the_same_preview(client: TestClient, world: Any) -> None:
    import json

    from typer.testing import CliRunner

    from outrider.cli import app

    agree(world)
    mid = scene(client, world)["movement"]
    path = f"/api/v1/movements/{mid}/next-step"
    body = client.get(path, headers=world["liaison"].headers).json()
    assert body["transition"] == "approve" and not body["allowed"]
    (block,) = body["blocking"]
    assert block["rule_id"] == "escort-ratio"
    assert {r["kind"]: r["may"] for r in block["remedies"]} == {"escort": False, "waiver": True}
    assert next(r for r in block["remedies"] if r["kind"] == "escort")["who"] == ["host_security"]
    hidden = client.get(path, headers=world["other_coord"].headers)
    assert hidden.status_code == 404 and hidden.headers["content-type"].startswith("application/problem+json")
    runner = CliRunner()
    as_json = runner.invoke(app, ["protocols", "next-step", str(mid), "--as", "duty", "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)["blocking"][0]["rule_id"] == "escort-ratio"
    plain = " ".join(runner.invoke(app, ["protocols", "next-step", str(mid), "--as", "duty"]).stdout.split())
    assert (
        "BLOCKS the approval: escort-ratio" in plain
        and "duty officers and administrators) (you may)" in plain
    )
    assert _stored(mid) == [("submit", ["escort-ratio"])]  # nothing stored by either


def test_a_waiver_offers_approve_and_withdraw_only_to_who_may(client: TestClient, world: Any) -> None:
    agree(world)
    mid = scene(client, world)["movement"]
    asked = _web(
        client,
        world,
        "coord",
        f"/movements/{mid}/waivers",
        {
            "rule_id": "escort-ratio",
            "justification": "Escort diverted to a bomb scene; held in the cordon.",
            "hours": "12",
        },
    )
    assert asked.status_code == 303, asked.text
    (waiver,) = client.get(f"/api/v1/movements/{mid}/waivers", headers=world["coord"].headers).json()
    approve, withdraw = (f"/movements/{mid}/waivers/{waiver['id']}/{x}" for x in ("approve", "withdraw"))
    offered = {
        who: (approve in (page := _web(client, world, who, f"/movements/{mid}").text), withdraw in page)
        for who in ("coord", "duty", "liaison", "analyst")
    }
    # The parties' approvers approve and withdraw; the planner withdraws; the analyst does neither.
    assert offered == {
        "coord": (False, True),
        "duty": (True, True),
        "liaison": (True, True),
        "analyst": (False, False),
    }
