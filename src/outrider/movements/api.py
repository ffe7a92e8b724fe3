"""HTTP routes of movements: plan, decide, escort, check in, board, timeline, predictability."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile, status

from outrider import idempotency
from outrider.access.policy import Caller
from outrider.db import utcnow
from outrider.errors import InvalidInput, TooLarge
from outrider.governance import service as governance_service
from outrider.governance.schemas import ProposalRead
from outrider.http import CallerDep, PageDep, SessionDep, SettingsDep, commit_now
from outrider.idempotency import IdempotencyKeyHeader
from outrider.inputs import Id, When
from outrider.movements import (
    arrangement_store,
    grants,
    history_service,
    incidents,
    need_to_know,
    planning,
    service,
    silent,
    tracking,
)
from outrider.movements import board as board_read
from outrider.movements import checkins as ci
from outrider.movements import schemas as s
from outrider.movements.lifecycle import Status
from outrider.movements.models import Movement
from outrider.movements.need_to_know_schemas import GrantCreate, GrantRead, NeedToKnowRead, WhoKnew
from outrider.movements.routes import parse_route_file
from outrider.movements.service import BoardFilter
from outrider.movements.timeline import timeline as timeline_of
from outrider.pages import Page

router = APIRouter(prefix="/api/v1", tags=["movements"])


def _view(session: SessionDep, caller: Caller, movement: Movement) -> s.MovementRead:
    return need_to_know.view_of(session, caller=caller, movement=movement, now=utcnow())


async def board_filter(  # pure: run on the event loop, not handed to a thread
    status_: Annotated[list[Status] | None, Query(alias="status")] = None,
    start: Annotated[When | None, Query(alias="from", description="ISO 8601 with a zone")] = None,
    end: Annotated[When | None, Query(alias="to", description="ISO 8601 with a zone")] = None,
    organization_id: Id | None = None,
    site_id: Id | None = None,
) -> BoardFilter:
    """The board's query parameters as one filter; a time without a zone is refused."""
    for name, value in (("from", start), ("to", end)):
        if value is not None and value.tzinfo is None:
            raise InvalidInput(
                f"{name} needs a time zone", errors=[{"loc": ["query", name], "msg": "no time zone"}]
            )
    return BoardFilter(status_, start, end, organization_id, site_id)


@router.get("/movements", response_model=Page[s.BoardItem])
def board(
    caller: CallerDep,
    session: SessionDep,
    filters: Annotated[BoardFilter, Depends(board_filter)],
    page: PageDep,
) -> Response:
    """The movements board: movements you may see; exact times only where you may read the itinerary."""
    # Page[BoardItem]'s JSON written by the board itself: no model validated again, nor in another thread
    body = board_read.board_json(
        session, caller=caller, now=utcnow(), filters=filters, limit=page.limit, offset=page.offset
    )
    commit_now(session)  # its record of the itineraries shown: the write turn ends here (SQLite)
    return Response(body, media_type="application/json")


@router.post("/movements", response_model=s.MovementRead, status_code=status.HTTP_201_CREATED)
def plan(data: s.MovementCreate, caller: CallerDep, session: SessionDep) -> s.MovementRead:
    """Plan a movement (a draft of your organisation)."""
    return _view(session, caller, planning.plan_movement(session, caller=caller, data=data, now=utcnow()))


@router.post("/routes/parse", summary="Read a route from a GeoJSON or GPX file")
def parse_route(
    settings: SettingsDep, caller: CallerDep, file: Annotated[UploadFile, File(description="GeoJSON or GPX")]
) -> dict[str, Any]:
    """A validated GeoJSON LineString from an uploaded file, ready to put in a plan."""
    content = file.file.read(settings.max_body_bytes + 1)
    if len(content) > settings.max_body_bytes:
        raise TooLarge(f"the file exceeds {settings.max_body_bytes} bytes")
    try:
        return parse_route_file(content, file.filename or "route")
    except ValueError as exc:
        raise InvalidInput(str(exc), errors=[{"loc": ["file"], "msg": str(exc)}]) from None


@router.get("/movements/{movement_id}", response_model=s.MovementRead)
def show(movement_id: Id, caller: CallerDep, session: SessionDep) -> s.MovementRead:
    """One movement with its plan, approvals and state."""
    return need_to_know.view(session, caller=caller, movement_id=movement_id, now=utcnow())


@router.patch("/movements/{movement_id}", response_model=s.MovementRead)
def amend(movement_id: Id, data: s.MovementUpdate, caller: CallerDep, session: SessionDep) -> s.MovementRead:
    """Change the plan; the approvals must be given again."""
    movement = planning.amend_movement(
        session, caller=caller, movement_id=movement_id, data=data, now=utcnow()
    )
    return _view(session, caller, movement)


@router.post("/movements/{movement_id}/submit", response_model=s.MovementRead)
def submit(movement_id: Id, caller: CallerDep, session: SessionDep) -> s.MovementRead:
    """Send the plan to the approving parties."""
    return _view(
        session, caller, planning.submit(session, caller=caller, movement_id=movement_id, now=utcnow())
    )


def _decide(decision: str) -> Any:
    def endpoint(movement_id: Id, data: s.Decision, caller: CallerDep, session: SessionDep) -> s.MovementRead:
        movement = planning.decide(
            session,
            caller=caller,
            movement_id=movement_id,
            decision=decision,
            comment=data.comment,
            now=utcnow(),
        )
        return _view(session, caller, movement)

    endpoint.__name__ = decision
    endpoint.__doc__ = f"{decision.replace('_', ' ').capitalize()} for your party."
    return endpoint


for _decision in ("approve", "reject", "request_changes"):
    router.add_api_route(
        f"/movements/{{movement_id}}/{_decision.replace('_', '-')}",
        _decide(_decision),
        methods=["POST"],
        response_model=s.MovementRead,
        name=f"movement_{_decision}",
    )


@router.post("/movements/{movement_id}/escort", response_model=s.MovementRead)
def assign_escort(
    movement_id: Id, data: s.EscortAssign, caller: CallerDep, session: SessionDep
) -> s.MovementRead:
    """Assign escort units (host security only)."""
    movement = planning.assign_escort(
        session, caller=caller, movement_id=movement_id, unit_ids=data.unit_ids, now=utcnow()
    )
    return _view(session, caller, movement)


@router.post("/movements/{movement_id}/depart", response_model=s.MovementRead)
def depart(movement_id: Id, caller: CallerDep, session: SessionDep) -> s.MovementRead:
    """The convoy has left."""
    movement = tracking.depart(session, caller=caller, movement_id=movement_id, at=None, now=utcnow())
    return _view(session, caller, movement)


@router.post(
    "/movements/{movement_id}/checkins",
    response_model=s.CheckInRead,
    status_code=201,
)
def check_in(
    movement_id: Id,
    body: s.CheckInPost,
    caller: CallerDep,
    session: SessionDep,
    idempotency_key: IdempotencyKeyHeader,
) -> Response:
    """Report from the road; a retry with the same idempotency key answers 200 with the first check-in.

    The key comes in the `Idempotency-Key` header or the body's `idempotency_key` (the same when both)."""
    key = idempotency.resolve(idempotency_key, body.idempotency_key, field="idempotency_key")
    assert key is not None  # resolve refuses a check-in without one
    # the body and the key are validated already: taken as they are, not dumped and validated again
    values = {**body.__dict__, "idempotency_key": key}
    data = s.CheckInCreate.model_construct(body.model_fields_set | {"idempotency_key"}, **values)
    record, new = ci.check_in(session, caller=caller, movement_id=movement_id, data=data, now=utcnow())
    commit_now(session)  # acknowledged only once committed; the write turn ends here (SQLite)
    # CheckInRead's JSON written here: not validated again in another thread of the pool
    answer = s.CheckInRead.model_validate(record).model_dump_json()
    return Response(answer, status_code=201 if new else 200, media_type="application/json")


@router.get("/movements/{movement_id}/checkins", response_model=list[s.CheckInRead])
def checkins(movement_id: Id, caller: CallerDep, session: SessionDep) -> list[s.CheckInRead]:
    """The check-ins of a movement in time order."""
    movement = need_to_know.require_itinerary(session, caller=caller, movement_id=movement_id, now=utcnow())
    seen = silent.checkins_seen(service.checkins_of(session, movement), caller)
    return [s.CheckInRead.model_validate(c) for c in seen]


@router.post("/movements/{movement_id}/arrive", response_model=s.MovementRead)
def arrive(
    movement_id: Id, caller: CallerDep, session: SessionDep, data: s.ArrivalIn | None = None
) -> s.MovementRead:
    """The convoy has arrived (optionally with the protected persons counted)."""
    counted = data.persons_counted if data else None
    movement = tracking.arrive(
        session, caller=caller, movement_id=movement_id, at=None, now=utcnow(), persons_counted=counted
    )
    return _view(session, caller, movement)


@router.post("/movements/{movement_id}/incident", response_model=s.MovementRead)
def incident(
    movement_id: Id, data: s.IncidentReportIn, caller: CallerDep, session: SessionDep
) -> s.MovementRead:
    """Report an incident on the road (critical alert); it becomes an intelligence incident at its position
    (given, else the latest check-in's, else the origin) and counts for risk."""
    movement = incidents.report_incident(
        session,
        caller=caller,
        movement_id=movement_id,
        note=data.comment,
        now=utcnow(),
        lat=data.lat,
        lon=data.lon,
        attack_type=data.attack_type,
    )
    return _view(session, caller, movement)


@router.post("/movements/{movement_id}/cancel", response_model=s.MovementRead)
def cancel(movement_id: Id, data: s.Decision, caller: CallerDep, session: SessionDep) -> s.MovementRead:
    """Call a planned movement off."""
    movement = planning.cancel(
        session, caller=caller, movement_id=movement_id, reason=data.comment, now=utcnow()
    )
    return _view(session, caller, movement)


@router.get("/movements/{movement_id}/timeline", response_model=list[s.TimelineEntry])
def movement_timeline(movement_id: Id, caller: CallerDep, session: SessionDep) -> list[s.TimelineEntry]:
    """Plan, approvals, escort, check-ins and alerts in time order."""
    movement = need_to_know.require_itinerary(session, caller=caller, movement_id=movement_id, now=utcnow())
    return timeline_of(session, movement, caller)


@router.get("/movements/{movement_id}/predictability", response_model=s.PredictabilityRead)
def predictability(
    movement_id: Id,
    caller: CallerDep,
    session: SessionDep,
    days: Annotated[int, Query(ge=1, le=365)] = 7,
) -> s.PredictabilityRead:
    """How often this origin–destination pair used the same route and hour in the last ``days``."""
    movement = need_to_know.require_itinerary(session, caller=caller, movement_id=movement_id, now=utcnow())
    return history_service.predictability_of(session, movement, window_days=days)


@router.get("/arrangement", response_model=s.ArrangementRead, tags=["arrangement"])
def arrangement(caller: CallerDep, session: SessionDep) -> s.ArrangementRead:
    """The joint arrangement in force."""
    return arrangement_store.arrangement_read(session)


@router.put("/arrangement", response_model=ProposalRead, status_code=202, tags=["arrangement"])
def set_arrangement(
    document: dict[str, Any],
    caller: CallerDep,
    session: SessionDep,
    comment: Annotated[str, Query(max_length=2000)] = "",
) -> ProposalRead:
    """Propose a new version of the arrangement; the one in force stays until both founding parties
    approve (administrators of the founding parties; the same as POST /governance/proposals)."""
    now = utcnow()
    row = governance_service.propose_arrangement(
        session, caller=caller, document=document, comment=comment, now=now
    )
    return governance_service.proposal_read(row, now=now)


@router.get("/movements/{movement_id}/need-to-know", response_model=NeedToKnowRead, tags=["need-to-know"])
def need_to_know_list(movement_id: Id, caller: CallerDep, session: SessionDep) -> NeedToKnowRead:
    """Who is on the movement's need-to-know list and why (planners and auditors)."""
    return need_to_know.need_to_know(session, caller=caller, movement_id=movement_id, now=utcnow())


@router.post(
    "/movements/{movement_id}/grants", response_model=GrantRead, status_code=201, tags=["need-to-know"]
)
def grant(movement_id: Id, data: GrantCreate, caller: CallerDep, session: SessionDep) -> GrantRead:
    """Add a user to the need-to-know list with a reason and an expiry (planners)."""
    row = grants.grant(session, caller=caller, movement_id=movement_id, data=data, now=utcnow())
    return GrantRead.model_validate(row)


@router.delete("/movements/{movement_id}/grants/{grant_id}", response_model=GrantRead, tags=["need-to-know"])
def revoke(movement_id: Id, grant_id: Id, caller: CallerDep, session: SessionDep) -> GrantRead:
    """Withdraw a grant at once (planners)."""
    row = grants.revoke(session, caller=caller, movement_id=movement_id, grant_id=grant_id, now=utcnow())
    return GrantRead.model_validate(row)


@router.get("/movements/{movement_id}/who-knew", response_model=WhoKnew, tags=["need-to-know"])
def who_knew(
    movement_id: Id,
    caller: CallerDep,
    session: SessionDep,
    before: Annotated[When | None, Query(description="ISO 8601 with a zone")] = None,
) -> WhoKnew:
    """Who read the itinerary before a time, and who could have (auditors)."""
    if before is not None and before.tzinfo is None:
        raise InvalidInput(
            "before needs a time zone", errors=[{"loc": ["query", "before"], "msg": "no time zone"}]
        )
    return need_to_know.who_knew(session, caller=caller, movement_id=movement_id, before=before, now=utcnow())


@router.post("/movements/{movement_id}/clearances", response_model=s.ClearanceRead, status_code=201)
def clearance(
    movement_id: Id, data: s.ClearanceCreate, caller: CallerDep, session: SessionDep
) -> s.ClearanceRead:
    """Record that a unit cleared (swept) the route or a segment (host security duty officers)."""
    row = tracking.record_clearance(session, caller=caller, movement_id=movement_id, data=data, now=utcnow())
    return s.ClearanceRead.model_validate(row)
