"""The commitments on the web: the board (kind, promisor and beneficiary, stage on the ladder, deadline with
overdue flagged, each party's latest assessment side by side, never averaged, with a mark when they disagree)
and one commitment with its evidence timeline, stage changes and both parties' assessment histories; forms to
assess for one's own party and add evidence, and the proposals from the news that the secretariat accepts
or rejects. The commitments' services decide who reads and writes, as in the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from outrider.committee import assessments, commitments, evidence, proposals
from outrider.committee import commitment_access as caccess
from outrider.committee import commitment_store as store
from outrider.committee import schemas_commitments as s
from outrider.committee.commitments import Filters
from outrider.committee.ladder import LADDER, Kind, Party, Stage
from outrider.web.context import Web, WebDep, WebRoute
from outrider.web.i18n import N_
from outrider.web.pages_committee import FormDep, IdPath
from outrider.web.pages_committee_forms import Errors, attempt, blank, user_names

router = APIRouter(route_class=WebRoute, include_in_schema=False)
MAX_UPLOAD = 10 * 1024 * 1024
REASON_NEEDED = N_("Say why the proposal is rejected.")
TOO_LARGE = N_("The file is larger than 10 MB.")
REASON_FOR_MOVE = N_("A move back, to not fulfilled or out of it needs a reason.")


@router.get("/commitments")
def board(
    web: WebDep,
    status: Annotated[s.Status | None, Query()] = None,
    kind: Annotated[Kind | None, Query()] = None,
    party: Annotated[Party | None, Query()] = None,
    overdue: Annotated[bool | None, Query()] = None,
) -> Response:
    """The board of commitments, nearest deadline first, with filters (the founding parties and auditors)."""
    return _board(web, Filters(status, overdue, kind, party))


def _board(web: Web, filters: Filters, errors: dict[int, list[str]] | None = None) -> Response:
    rows = commitments.list_commitments(web.session, caller=web.caller, filters=filters, now=web.now)
    found = store.founding(web.session)
    waiting = proposals.list_proposals(web.session, caller=web.caller, state=s.ProposalState.proposed)
    return web.render(
        "commitments.html",
        status_code=422 if errors else 200,
        rows=[commitments.commitment_read(web.session, r, now=web.now) for r in rows],
        filters=filters,
        kinds=[k.value for k in Kind],
        ladder=[x.value for x in LADDER],
        proposals=proposals.proposal_reads(web.session, web.caller, waiting),
        secretariat=caccess.may_decide_proposals(web.caller, found),
        names=user_names(web, [found.host_org_id, found.partner_org_id] if found else []),
        reject_errors=errors or {},
    )


@dataclass
class Forms:
    """The values and errors of the commitment page's forms (kept when one comes back refused)."""

    which: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    errors: Errors = field(default_factory=dict)


def _commitment_page(web: Web, commitment_id: int, forms: Forms | None = None) -> Response:
    line = commitments.timeline(web.session, caller=web.caller, commitment_id=commitment_id, now=web.now)
    row = commitments.get_commitment(web.session, caller=web.caller, commitment_id=commitment_id)
    found = store.founding(web.session)
    mine = caccess.party_of(web.caller, found)
    owners = store.owners(row)
    histories: dict[str, list[s.AssessmentRead]] = {p.value: [] for p in Party}
    for entry in line.entries:
        if entry.assessment is not None:
            histories[entry.assessment.party.value].append(entry.assessment)
    waiting = proposals.proposal_reads(
        web.session,
        web.caller,
        proposals.list_proposals(web.session, caller=web.caller, state=s.ProposalState.proposed),
    )
    orgs = [found.host_org_id, found.partner_org_id] if found else []
    forms = forms or Forms()
    return web.render(
        "commitment.html",
        status_code=422 if forms.errors else 200,
        c=line.commitment,
        entries=[e for e in line.entries if e.evidence is not None],
        stages=[e.evidence for e in line.entries if e.evidence is not None and e.evidence.stage_to],
        histories=histories,
        ladder=[x.value for x in LADDER],
        names=user_names(web, orgs),
        assess_for=mine.value if mine and caccess.may_assess(web.caller, found, mine, owners) else None,
        may_write=caccess.may_write(web.caller, found, owners),
        secretariat=caccess.may_decide_proposals(web.caller, found),
        proposals=[p for p in waiting if p.suggested_commitment_id == commitment_id],
        evidence_kinds=[k.value for k in s.EvidenceKind if k is not s.EvidenceKind.minutes],
        stages_all=[x.value for x in Stage],
        forms=forms,
    )


@router.get("/commitments/{commitment_id}")
def commitment_page(web: WebDep, commitment_id: IdPath) -> Response:
    """One commitment: the evidence timeline, stage changes and both parties' assessments (404 off it)."""
    return _commitment_page(web, commitment_id)


def _done(web: Web, commitment_id: int, which: str, values: dict[str, Any], errors: Errors) -> Response:
    if errors:
        return _commitment_page(web, commitment_id, Forms(which, values, errors))
    return web.redirect(f"/commitments/{commitment_id}", done=which)


@router.post("/commitments/{commitment_id}/assessments")
def assess(web: WebDep, commitment_id: IdPath, form: FormDep) -> Response:
    """Your party's assessment, 0 to 3 with a note (each party only for itself)."""
    values = {k: str(form.get(k, "")) for k in ("party", "score", "note")}

    def write(data: s.AssessmentCreate) -> object:
        return assessments.assess(
            web.session, caller=web.caller, commitment_id=commitment_id, data=data, now=web.now
        )

    errors = attempt(web, s.AssessmentCreate, blank(values), write)
    return _done(web, commitment_id, "assessed", values, errors)


STAGE_FIELDS = ("stage", "date", "title", "reason", "evidence_kind", "source", "ref")


@router.post("/commitments/{commitment_id}/stage")
def move_stage(web: WebDep, commitment_id: IdPath, form: FormDep) -> Response:
    """Move the commitment along the ladder on a dated, sourced entry (a reason to go back or fail)."""
    values = {k: str(form.get(k, "")) for k in STAGE_FIELDS}

    def write(data: s.StageMove) -> object:
        return commitments.move_stage(
            web.session, caller=web.caller, commitment_id=commitment_id, data=data, now=web.now
        )

    errors = attempt(web, s.StageMove, blank(values), write)
    if any("needs a reason" in e for e in errors.get("", [])):
        errors = {"reason": [web.gettext(REASON_FOR_MOVE)]}
    return _done(web, commitment_id, "stage", values, errors)


def _upload(web: Web, form: Any, errors: Errors) -> evidence.Document | None:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    data = upload.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        errors.setdefault("file", []).append(web.gettext(TOO_LARGE))
        return None
    return evidence.Document(upload.filename[:255], data)


@router.post("/commitments/{commitment_id}/evidence")
def add_evidence(web: WebDep, commitment_id: IdPath, form: FormDep) -> Response:
    """A dated, sourced entry of the timeline; an uploaded document is kept by its SHA-256."""
    values = {k: str(form.get(k, "")) for k in ("kind", "date", "title", "source", "ref", "sha256")}
    upload_errors: Errors = {}
    document = _upload(web, form, upload_errors)
    if upload_errors:
        return _done(web, commitment_id, "evidence", values, upload_errors)

    def write(data: s.EvidenceCreate) -> object:
        return evidence.add_evidence(
            web.session,
            caller=web.caller,
            commitment_id=commitment_id,
            kind=data.kind,
            date=data.date,
            title=data.title,
            source=data.source,
            ref=data.ref,
            sha256=data.sha256,
            now=web.now,
            document=document,
        )

    errors = attempt(web, s.EvidenceCreate, blank(values), write)
    return _done(web, commitment_id, "evidence", values, errors)


@router.post("/commitments/proposals/{proposal_id}/accept")
def accept_proposal(web: WebDep, proposal_id: IdPath, form: FormDep) -> Response:
    """Accept a proposal from the news into a new commitment, or into the one named (the secretariat)."""
    target = str(form.get("commitment_id", ""))
    data = s.ProposalAccept(commitment_id=int(target) if target.isdigit() and len(target) < 10 else None)
    row = proposals.accept(web.session, caller=web.caller, proposal_id=proposal_id, data=data, now=web.now)
    return web.redirect(f"/commitments/{row.commitment_id}", done="proposal_accepted")


@router.post("/commitments/proposals/{proposal_id}/reject")
def reject_proposal(web: WebDep, proposal_id: IdPath, form: FormDep) -> Response:
    """Reject a proposal from the news with a reason (the secretariat); back to the page it was shown on."""
    reason = str(form.get("reason", "")).strip()
    back = str(form.get("commitment_id", ""))
    commitment_id = int(back) if back.isdigit() and len(back) < 10 else None
    then = f"/commitments/{commitment_id}" if commitment_id else "/commitments"
    if not reason:
        message = [web.gettext(REASON_NEEDED)]
        if commitment_id is None:
            return _board(web, Filters(), {proposal_id: message})
        forms = Forms(f"reject-{proposal_id}", {}, {"reason": message})
        return _commitment_page(web, commitment_id, forms)
    return web.act(proposals.reject, then, "proposal_rejected", proposal_id=proposal_id, reason=reason[:2000])
