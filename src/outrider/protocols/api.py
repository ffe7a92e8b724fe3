"""HTTP routes of protocols: versions, keys, signatures, evaluations, waivers, overrides, the report."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response, status

from outrider.db import utcnow
from outrider.http import CallerDep, SessionDep
from outrider.inputs import Day, Id, Version
from outrider.protocols import (
    compliance,
    departure,
    keys,
    next_step,
    overrides,
    reporting,
    service,
    signing_keys,
    waivers,
)
from outrider.protocols import schemas as s
from outrider.protocols.loader import load_protocol
from outrider.protocols.next_step import NextStep
from outrider.protocols.report import to_json

router = APIRouter(prefix="/api/v1", tags=["protocols"])
ReportFormat = Literal["json", "csv", "html", "pdf"]
_MEDIA = {"csv": "text/csv; charset=utf-8", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}


# Static paths first: /protocols/{protocol_id}/... must not swallow them.


@router.get("/protocols", response_model=list[s.VersionRead])
def versions(
    session: SessionDep,
    caller: CallerDep,
    protocol_id: str | None = None,
    on: Annotated[Day | None, Query(description="the day the status is given for (default today)")] = None,
) -> list[s.VersionRead]:
    """Every stored version (earlier versions are kept), with its parties, signatures and status."""
    day = on or utcnow().date()
    return [
        service.version_read(session, row, day=day) for row in service.list_versions(session, protocol_id)
    ]


@router.post("/protocols", response_model=s.VersionRead, status_code=status.HTTP_201_CREATED)
def load(data: s.ProtocolLoad, session: SessionDep, caller: CallerDep) -> s.VersionRead:
    """Validate a document and store it as a draft; its parties are bound to organisations."""
    now = utcnow()
    row = service.load_version(session, caller=caller, text=data.text, parties=data.parties, now=now)
    return service.version_read(session, row, day=now.date())


@router.post("/protocols/validate")
def validate(data: s.ProtocolText, caller: CallerDep) -> dict[str, Any]:
    """Check a document without storing it: every problem with its rule id and line (422), or its hash."""
    loaded = load_protocol(data.text, service.FACT_SCHEMA)
    doc = loaded.document
    return {"valid": True, "id": doc.id, "version": doc.version, "hash": loaded.hash, "rules": len(doc.rules)}


@router.get("/protocols/signing-keys", response_model=list[s.KeyRead])
def my_keys(session: SessionDep, caller: CallerDep) -> list[s.KeyRead]:
    """Your registered public signing keys."""
    return [s.KeyRead.model_validate(k) for k in signing_keys.keys_of(session, caller=caller)]


@router.post("/protocols/signing-keys", response_model=s.KeyRead, status_code=status.HTTP_201_CREATED)
def register_key(data: s.KeyCreate, session: SessionDep, caller: CallerDep) -> s.KeyRead:
    """Register your Ed25519 public key; you keep the private key and sign with it."""
    row = signing_keys.register_key(
        session,
        caller=caller,
        public_key=keys.parse_public_key(data.public_key),
        label=data.label,
        now=utcnow(),
    )
    return s.KeyRead.model_validate(row)


@router.get(
    "/protocols/report",
    response_model=None,
    responses={
        200: {"content": {"application/json": {}, "text/csv": {}, "text/html": {}, "application/pdf": {}}}
    },
)
def report(
    session: SessionDep,
    caller: CallerDep,
    start: Annotated[Day, Query(alias="from", description="first day (UTC), YYYY-MM-DD")],
    end: Annotated[Day, Query(alias="to", description="last day (UTC), inclusive")],
    format_: Annotated[ReportFormat, Query(alias="format")] = "json",
    org: Annotated[str | None, Query(description="organisation id or name of the movements")] = None,
    protocol: Annotated[str | None, Query(description="protocol id")] = None,
    lang: Annotated[
        Literal["en", "zh-Hans", "ur"],
        Query(description="language of the PDF's and the HTML page's headings"),
    ] = "en",
) -> Any:
    """The compliance report: counts, pass rate per rule, violations with evidence, trend per month."""
    data = reporting.compliance_report(
        session, caller=caller, start=start, end=end, organization=org, protocol_id=protocol, now=utcnow()
    )
    if format_ == "json":
        return to_json(data)
    from outrider.protocols.report_pdf import rendered  # fpdf and its fonts: only when a report is asked for

    body = rendered(data, format_, lang=lang)
    name = f"compliance-{start.isoformat()}-{end.isoformat()}.{format_}"
    disposition = "inline" if format_ == "html" else "attachment"
    return Response(
        body, media_type=_MEDIA[format_], headers={"Content-Disposition": f'{disposition}; filename="{name}"'}
    )


@router.post("/protocols/signing-keys/{key_id}/revoke", response_model=s.KeyRead)
def revoke_key(key_id: Id, session: SessionDep, caller: CallerDep) -> s.KeyRead:
    """Revoke a signing key (yours, or as an administrator one of your organisation's): it signs nothing
    again; the signatures it made stay verifiable."""
    return s.KeyRead.model_validate(
        signing_keys.revoke_key(session, caller=caller, key_id=key_id, now=utcnow())
    )


@router.post("/protocols/waivers/{waiver_id}/withdraw", response_model=s.WaiverRead)
def withdraw_waiver(
    waiver_id: Id, data: s.WaiverWithdraw, session: SessionDep, caller: CallerDep
) -> s.WaiverRead:
    """Withdraw a waiver (either party's approvers or the movement's planners): it never counts again."""
    return waivers.withdraw_waiver(
        session, caller=caller, waiver_id=waiver_id, reason=data.reason, now=utcnow()
    )


@router.post("/protocols/waivers/{waiver_id}/approve", response_model=s.WaiverRead)
def approve_waiver(waiver_id: Id, session: SessionDep, caller: CallerDep) -> s.WaiverRead:
    """Approve a waiver for your party; it counts once every party has approved, until it expires."""
    return waivers.approve_waiver(session, caller=caller, waiver_id=waiver_id, now=utcnow())


@router.get("/protocols/{protocol_id}/versions/{version}", response_model=s.VersionRead)
def show(
    protocol_id: str,
    version: Version,
    session: SessionDep,
    caller: CallerDep,
    text: Annotated[bool, Query(description="include the YAML text")] = False,
    on: Annotated[Day | None, Query(description="the day the status is given for")] = None,
) -> s.VersionRead:
    """One version, its signatures verified again."""
    row = service.get_version(session, protocol_id, version)
    return service.version_read(session, row, day=on or utcnow().date(), with_text=text)


@router.post("/protocols/{protocol_id}/versions/{version}/propose", response_model=s.VersionRead)
def propose(protocol_id: str, version: Version, session: SessionDep, caller: CallerDep) -> s.VersionRead:
    """Freeze a draft and open it for signatures."""
    now = utcnow()
    row = service.propose_version(session, caller=caller, protocol_id=protocol_id, version=version, now=now)
    return service.version_read(session, row, day=now.date())


@router.post("/protocols/{protocol_id}/versions/{version}/signatures", response_model=s.VersionRead)
def sign(
    protocol_id: str, version: Version, data: s.SignRequest, session: SessionDep, caller: CallerDep
) -> s.VersionRead:
    """Add your party's signature of the exact document hash, made with your registered key."""
    now = utcnow()
    row = service.sign_version(
        session,
        caller=caller,
        protocol_id=protocol_id,
        version=version,
        document_hash=data.document_hash,
        public_key=keys.parse_public_key(data.public_key),
        signature=keys.decode_bytes(data.signature, "signature"),
        party=data.party,
        now=now,
    )
    return service.version_read(session, row, day=now.date())


@router.get("/movements/{movement_id}/protocol-evaluations", response_model=list[s.EvaluationRead])
def evaluations(movement_id: Id, session: SessionDep, caller: CallerDep) -> list[s.EvaluationRead]:
    """A movement's stored evaluations; the facts only for its need-to-know list and auditors."""
    return compliance.evaluations_of(session, caller=caller, movement_id=movement_id, now=utcnow())


@router.post("/movements/{movement_id}/protocol-evaluations", response_model=s.CheckRead)
def evaluate(movement_id: Id, data: s.EvaluateRequest, session: SessionDep, caller: CallerDep) -> s.CheckRead:
    """Evaluate a movement now against the protocols in force for it, and store the result."""
    return compliance.evaluate_movement(
        session, caller=caller, movement_id=movement_id, phase=data.phase, now=utcnow()
    )


@router.get("/movements/{movement_id}/waivers", response_model=list[s.WaiverRead])
def movement_waivers(movement_id: Id, session: SessionDep, caller: CallerDep) -> list[s.WaiverRead]:
    """A movement's waivers and whether each counts now."""
    return waivers.waivers_of(session, caller=caller, movement_id=movement_id, now=utcnow())


@router.post(
    "/movements/{movement_id}/waivers", response_model=s.WaiverRead, status_code=status.HTTP_201_CREATED
)
def request_waiver(
    movement_id: Id, data: s.WaiverCreate, session: SessionDep, caller: CallerDep
) -> s.WaiverRead:
    """Ask for a movement to be exempted from one blocking rule (both parties must approve)."""
    return waivers.request_waiver(session, caller=caller, movement_id=movement_id, data=data, now=utcnow())


@router.get("/movements/{movement_id}/protocol-overrides", response_model=list[s.OverrideRead])
def movement_overrides(movement_id: Id, session: SessionDep, caller: CallerDep) -> list[s.OverrideRead]:
    """A movement's overrides: who recorded each, why, and whether it covers the alerts open now."""
    return overrides.overrides_of(session, caller=caller, movement_id=movement_id, now=utcnow())


@router.post(
    "/movements/{movement_id}/protocol-overrides",
    response_model=s.OverrideRead,
    status_code=status.HTTP_201_CREATED,
)
def record_override(
    movement_id: Id, data: s.OverrideCreate, session: SessionDep, caller: CallerDep
) -> s.OverrideRead:
    """Override a failed blocking rule that names the host (its duty officer or admin), with a reason."""
    return overrides.record_override(session, caller=caller, movement_id=movement_id, data=data, now=utcnow())


@router.get("/movements/{movement_id}/departure-check", response_model=s.DepartureCheck)
def departure_check(movement_id: Id, session: SessionDep, caller: CallerDep) -> s.DepartureCheck:
    """What would hold the departure now (nothing stored): blocking rules, the alerts behind them, who
    can clear them, and the overrides recorded."""
    return departure.departure_check(session, caller=caller, movement_id=movement_id, now=utcnow())


@router.get("/movements/{movement_id}/next-step", response_model=NextStep)
def next_step_preview(movement_id: Id, session: SessionDep, caller: CallerDep) -> NextStep:
    """What would block the approval now (nothing stored, never counted in compliance): each blocking rule,
    the steps that clear it (assign an escort, request a waiver, amend the plan), who may take each and
    whether you may."""
    return next_step.preview_approval(session, caller=caller, movement_id=movement_id, now=utcnow())
