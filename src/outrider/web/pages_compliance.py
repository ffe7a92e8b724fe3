"""Protocol compliance: a movement's results, a check before submitting, the report with its charts."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response

from outrider.access import policy
from outrider.inputs import Id
from outrider.protocols import compliance, departure, overrides, reporting, waivers
from outrider.protocols.report import to_json
from outrider.protocols.schemas import EvaluationRead, OverrideCreate, WaiverCreate, WaiverRead
from outrider.web.context import FromDay, ToDay, Web, WebDep, WebRoute, require

router = APIRouter(route_class=WebRoute, include_in_schema=False)
DEFAULT_DAYS = 90


def latest_evaluations(web: Web, movement_id: Id) -> list[EvaluationRead]:
    """The newest evaluation of each protocol and phase (facts only for the itinerary's list and auditors)."""
    seen: set[tuple[str, str]] = set()
    latest = []
    for ev in compliance.evaluations_of(web.session, caller=web.caller, movement_id=movement_id, now=web.now):
        key = (ev.protocol_id, ev.phase)
        if key not in seen:
            seen.add(key)
            latest.append(ev)
    return latest


@router.post("/movements/{movement_id}/protocol-check")
def protocol_check(web: WebDep, movement_id: Id) -> Response:
    """Evaluate the movement now against the protocols in force (before submitting, or after arrival)."""
    then = f"/movements/{movement_id}"
    return web.act(
        compliance.evaluate_movement, then, "protocol_checked", movement_id=movement_id, phase=None
    )


# --- the departure gate and overrides -------------------------------------------------------------------


@router.get("/movements/{movement_id}/departure-gate")
def departure_gate(web: WebDep, movement_id: Id) -> Response:
    """What holds the departure now, the overrides recorded, and the override form for the host."""
    check = departure.departure_check(web.session, caller=web.caller, movement_id=movement_id, now=web.now)
    return web.render("fragments/departure_gate.html", check=check, movement_id=movement_id)


@router.post("/movements/{movement_id}/protocol-overrides")
def record_override(
    web: WebDep,
    movement_id: Id,
    rule_id: Annotated[str, Form(min_length=1, max_length=64)],
    reason: Annotated[str, Form(max_length=4000)],
) -> Response:
    """Override a rule that holds the departure (host security's duty officers), with a reason."""
    data = OverrideCreate.model_validate({"rule_id": rule_id, "reason": reason})
    return web.act(
        overrides.record_override,
        f"/movements/{movement_id}",
        "override_recorded",
        movement_id=movement_id,
        data=data,
    )


# --- waivers ---------------------------------------------------------------------------------------------

WAIVER_HOURS = (6, 12, 24, 48, 72, 168)


def waivers_of(web: Web, movement_id: Id) -> list[WaiverRead]:
    """The movement's waivers, newest first, with whether each counts now."""
    return waivers.waivers_of(web.session, caller=web.caller, movement_id=movement_id, now=web.now)


def waivable(protocols: list[EvaluationRead]) -> list[str]:
    """The blocking rules that failed at the latest plan checks and are not waived: what a waiver is for."""
    rules: list[str] = []
    for ev in protocols:
        if ev.phase == "plan":
            rules += [r for r in ev.blocking if r not in ev.waived and r not in rules]
    return rules


@router.post("/movements/{movement_id}/waivers")
def request_waiver(
    web: WebDep,
    movement_id: Id,
    rule_id: Annotated[str, Form(min_length=1, max_length=64)],
    justification: Annotated[str, Form(max_length=4000)],
    hours: Annotated[int, Form(ge=1, le=24 * 14)] = 24,
) -> Response:
    """Ask for a waiver of one blocking rule (your party's approval comes with it when you approve)."""
    data = WaiverCreate.model_validate(
        {"rule_id": rule_id, "justification": justification, "expires_at": web.now + timedelta(hours=hours)}
    )
    return web.act(
        waivers.request_waiver,
        f"/movements/{movement_id}",
        "waiver_requested",
        movement_id=movement_id,
        data=data,
    )


@router.post("/movements/{movement_id}/waivers/{waiver_id}/approve")
def approve_waiver(web: WebDep, movement_id: Id, waiver_id: Id) -> Response:
    """Approve a waiver for your party."""
    then = f"/movements/{movement_id}"
    return web.act(
        waivers.approve_waiver, then, "waiver_approved", waiver_id=waiver_id, movement_id=movement_id
    )


@router.post("/movements/{movement_id}/waivers/{waiver_id}/withdraw")
def withdraw_waiver(
    web: WebDep, movement_id: Id, waiver_id: Id, reason: Annotated[str, Form(max_length=4000)]
) -> Response:
    """Withdraw a waiver: it never counts again (one party suffices)."""
    then = f"/movements/{movement_id}"
    return web.act(
        waivers.withdraw_waiver,
        then,
        "waiver_withdrawn",
        waiver_id=waiver_id,
        reason=reason,
        movement_id=movement_id,
    )


def _chart(report: dict[str, Any]) -> dict[str, Any]:
    rules = [r for r in report["rules"] if r["pass_rate"] is not None]
    return {
        "rules": {
            "labels": [r["rule_id"] for r in rules],
            "pass_rate": [round(100 * r["pass_rate"], 1) for r in rules],
        },
        "months": {
            "labels": [m["month"] for m in report["months"]],
            "pass_rate": [
                None if m["pass_rate"] is None else round(100 * m["pass_rate"], 1) for m in report["months"]
            ],
            "violations": [m["violations"] for m in report["months"]],
        },
    }


@router.get("/compliance")
def compliance_page(
    web: WebDep,
    start: FromDay = None,
    end: ToDay = None,
    protocol: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The compliance report of a period: pass rate per rule, the monthly trend, violations with evidence."""
    require(
        policy.may_read_compliance(web.caller),
        "compliance reports are for admins, duty officers, coordinators, liaisons and auditors",
    )
    end = end or web.now.date()
    start = start or end - timedelta(days=DEFAULT_DAYS)
    data = reporting.compliance_report(
        web.session, caller=web.caller, start=start, end=end, protocol_id=protocol or None, now=web.now
    )
    report = to_json(data)
    return web.render(
        "compliance.html",
        report=report,
        chart=_chart(report),
        start=start,
        end=end,
        protocol=protocol or "",
    )
