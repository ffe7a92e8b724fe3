"""Administration: organisations, the users of your organisation, the joint arrangement and proposals."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path
from fastapi.responses import Response
from pydantic import ValidationError

from outrider.accounts import service as accounts_service
from outrider.accounts.schemas import OrganizationCreate, UserCreate
from outrider.errors import InvalidInput
from outrider.governance import rules as governance_rules
from outrider.governance import service as governance_service
from outrider.governance.rules import State
from outrider.movements import arrangement_store
from outrider.web.context import Web, WebDep, WebRoute, require

router = APIRouter(route_class=WebRoute, include_in_schema=False)
ROLES = ("admin", "coordinator", "duty_officer", "liaison", "analyst", "auditor")


def _require_admin(web: Web) -> None:
    require(web.has_role("admin"), "administration is for administrators")


def _page(web: Web, **extra: Any) -> Response:
    users = accounts_service.colleagues(web.session, caller=web.caller)  # administrators only
    arrangement = arrangement_store.arrangement_read(web.session)
    founding = governance_service.founding_of(web.session)
    proposals = []
    if governance_rules.may_read_proposals(web.caller, founding):
        rows = governance_service.list_proposals(
            web.session, caller=web.caller, state=State.open, now=web.now
        )
        proposals = [governance_service.proposal_read(r, now=web.now) for r in rows]
    return web.render(
        "admin.html",
        orgs=accounts_service.list_organizations(web.session),
        users=users,
        arrangement=arrangement,
        arrangement_text=json.dumps(arrangement.document, indent=2, ensure_ascii=False),
        may_edit_arrangement=governance_rules.may_propose(web.caller, founding),
        may_decide=governance_rules.may_decide(web.caller, founding),
        my_party=governance_rules.founding_party(web.caller, founding),
        proposals=proposals,
        roles=ROLES,
        created=extra.pop("created", None),
        **extra,
    )


def _invalid(exc: ValidationError) -> InvalidInput:
    first = exc.errors()[0]
    return InvalidInput(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}")


@router.get("/admin")
def admin_page(web: WebDep) -> Response:
    """Organisations, users and the arrangement."""
    return _page(web)


@router.post("/admin/organizations")
def create_organization(
    web: WebDep,
    name: Annotated[str, Form(max_length=200)],
    kind: Annotated[str, Form(max_length=40)],
    country: Annotated[str, Form(max_length=2)],
) -> Response:
    """Add an organisation (administrators)."""
    try:
        data = OrganizationCreate.model_validate({"name": name, "kind": kind, "country": country})
    except ValidationError as exc:
        raise _invalid(exc) from None
    accounts_service.add_organization(web.session, caller=web.caller, data=data, now=web.now)
    governance_service.refuse_outside_proposals(web.session, org_kind=data.kind.value)
    return web.redirect("/admin", done="org_created")


@router.post("/admin/users")
def create_user(
    web: WebDep,
    username: Annotated[str, Form(max_length=120)],
    roles: Annotated[list[str], Form(min_length=1)],
    full_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Add a user to your organisation; the generated password is shown once."""
    try:
        data = UserCreate.model_validate(
            {
                "username": username,
                "full_name": full_name,
                "organization_id": web.caller.organization_id,
                "roles": roles,
            }
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    user, password = accounts_service.add_user(web.session, caller=web.caller, data=data, now=web.now)
    governance_service.refuse_outside_proposals(web.session, roles=[r.value for r in data.roles])
    return _page(web, created={"username": user.username, "password": password})


@router.post("/admin/arrangement")
def set_arrangement(
    web: WebDep,
    document: Annotated[str, Form(max_length=200_000)],
    comment: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Propose a new version of the joint arrangement (administrators of the founding parties)."""
    _require_admin(web)
    try:
        parsed = json.loads(document)
    except ValueError as exc:
        raise InvalidInput(f"the arrangement is not valid JSON: {exc}") from None
    if not isinstance(parsed, dict):
        raise InvalidInput("the arrangement is a JSON object")
    governance_service.propose_arrangement(
        web.session, caller=web.caller, document=parsed, comment=comment, now=web.now
    )
    return web.redirect("/admin", done="proposed")


ProposalPath = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post("/admin/proposals/{proposal_id}/approve")
def approve_proposal(
    web: WebDep,
    proposal_id: ProposalPath,
    payload_hash: Annotated[str, Form(min_length=64, max_length=64)],
) -> Response:
    """Approve the proposal as shown (its payload hash) for your founding party."""
    _require_admin(web)
    row = governance_service.approve(
        web.session, caller=web.caller, proposal_id=proposal_id, payload_hash=payload_hash, now=web.now
    )
    return web.redirect("/admin", done="enacted" if row.state == State.enacted.value else "approved")


@router.post("/admin/proposals/{proposal_id}/reject")
def reject_proposal(
    web: WebDep, proposal_id: ProposalPath, comment: Annotated[str, Form(max_length=2000)] = ""
) -> Response:
    """Reject the proposal for your founding party."""
    _require_admin(web)
    governance_service.reject(
        web.session, caller=web.caller, proposal_id=proposal_id, comment=comment, now=web.now
    )
    return web.redirect("/admin", done="proposal_rejected")
