"""`outrider movements`: plan, decide, escort, check in and follow movements from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from outrider.console import (
    AsOpt,
    JsonOpt,
    LimitOpt,
    OffsetOpt,
    emit,
    fail,
    friendly,
    out,
    parse_time,
    print_table,
    read_json_file,
    session_as,
)
from outrider.db import transaction, utcnow
from outrider.errors import InvalidInput
from outrider.governance import service as governance_service
from outrider.movements import (
    arrangement_store,
    checkins,
    cli_access,
    cli_field,
    history_service,
    incidents,
    need_to_know,
    planning,
    service,
    tracking,
)
from outrider.movements import board as board_read
from outrider.movements import schemas as s
from outrider.movements.cli_shared import MovementArg, change, on_movement, print_read
from outrider.movements.cli_shared import show as _show
from outrider.movements.lifecycle import Status
from outrider.movements.routes import parse_route_file
from outrider.movements.timeline import timeline as timeline_of

app = typer.Typer(help="Movements: plan, approve, escort, check in, board.", no_args_is_help=True)
app.add_typer(cli_access.app)  # grants and the need-to-know list, as commands of this group
app.add_typer(cli_field.app)  # field PINs, SOS relayed by a duty desk, my movements
arrangement_app = typer.Typer(help="The joint arrangement in force.", no_args_is_help=True)
app.add_typer(arrangement_app, name="arrangement")


def _place(ref: str) -> dict[str, Any]:
    if ref.isdigit():
        return {"site_id": int(ref)}
    parts = ref.split(",")
    if len(parts) == 2:
        try:
            return {"lat": float(parts[0]), "lon": float(parts[1])}
        except ValueError:
            pass
    raise fail(f"a place is a site id or LAT,LON; got {ref!r}", code=2)


@app.command("plan")
@friendly
def plan(
    file: Annotated[
        Path | None, typer.Option("--file", help="a JSON plan (the API's body)", exists=True)
    ] = None,
    origin: Annotated[str | None, typer.Option("--from", help="site id or LAT,LON")] = None,
    destination: Annotated[str | None, typer.Option("--to", help="site id or LAT,LON")] = None,
    route: Annotated[Path | None, typer.Option(help="route file: GeoJSON or GPX", exists=True)] = None,
    depart: Annotated[str | None, typer.Option(help="planned departure, ISO 8601 with zone")] = None,
    arrive: Annotated[str | None, typer.Option(help="planned arrival, ISO 8601 with zone")] = None,
    person: Annotated[list[int] | None, typer.Option(help="protected person id; repeat")] = None,
    vehicle: Annotated[list[int] | None, typer.Option(help="vehicle id; repeat")] = None,
    interval: Annotated[int | None, typer.Option(help="check-in interval in minutes")] = 30,
    purpose: Annotated[str, typer.Option(help="why the trip")] = "",
    reference: Annotated[str | None, typer.Option(help="your reference (generated when omitted)")] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Plan a movement, from a JSON file or from options."""
    if file is not None:
        body = read_json_file(file)
    else:
        if not (origin and destination and route and depart and arrive and person):
            raise fail("give --file, or --from, --to, --route, --depart, --arrive and --person", code=2)
        try:
            line = parse_route_file(route.read_bytes(), route.name)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        body = {
            "origin": _place(origin),
            "destination": _place(destination),
            "route": line,
            "planned_departure": depart,
            "planned_arrival": arrive,
            "person_ids": person,
            "vehicle_ids": vehicle or [],
            "checkin_interval_min": interval,
            "purpose": purpose,
        }
        if reference:
            body["reference"] = reference
    data = s.MovementCreate.model_validate(body)
    with session_as(as_user) as (session, caller):
        _show(
            session, caller, planning.plan_movement(session, caller=caller, data=data, now=utcnow()), as_json
        )


def _simple(name: str, help_text: str, action: Any) -> None:
    @app.command(name, help=help_text)
    @friendly
    def command(
        movement: MovementArg,
        comment: Annotated[str, typer.Option("--comment", help="a comment or reason")] = "",
        as_user: str | None = AsOpt,
        as_json: bool = JsonOpt,
    ) -> None:
        with on_movement(as_user, movement) as (session, caller, mid):
            _show(session, caller, action(session, caller, mid, comment), as_json)


_simple(
    "submit",
    "Send the plan to the approving parties.",
    lambda ss, c, m, _t: planning.submit(ss, caller=c, movement_id=m, now=utcnow()),
)
for _decision in ("approve", "reject", "request_changes"):
    _simple(
        _decision.replace("_", "-"),
        f"{_decision.replace('_', ' ').capitalize()} for your party.",
        lambda ss, c, m, t, d=_decision: planning.decide(
            ss, caller=c, movement_id=m, decision=d, comment=t, now=utcnow()
        ),
    )
_simple(
    "depart",
    "The convoy has left.",
    lambda ss, c, m, _t: tracking.depart(ss, caller=c, movement_id=m, at=None, now=utcnow()),
)
_simple(
    "cancel",
    "Call a planned movement off.",
    lambda ss, c, m, t: planning.cancel(ss, caller=c, movement_id=m, reason=t, now=utcnow()),
)


@app.command("incident")
@friendly
def incident(
    movement: MovementArg,
    comment: Annotated[str, typer.Option("--comment", help="a comment or reason")] = "",
    lat: Annotated[float | None, typer.Option(help="latitude of the incident, with --lon")] = None,
    lon: Annotated[float | None, typer.Option(help="longitude of the incident, with --lat")] = None,
    attack_type: Annotated[
        str | None, typer.Option("--attack-type", help=f"one of {', '.join(s.ATTACK_TYPES)}")
    ] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Report an incident on the road; it becomes an intelligence incident at its position (given, else the
    latest check-in's, else the origin)."""
    data = s.IncidentReportIn.model_validate(
        {"comment": comment, "lat": lat, "lon": lon, "attack_type": attack_type}
    )
    with on_movement(as_user, movement) as (session, caller, mid):
        done = incidents.report_incident(
            session,
            caller=caller,
            movement_id=mid,
            note=data.comment,
            now=utcnow(),
            lat=data.lat,
            lon=data.lon,
            attack_type=data.attack_type,
        )
        _show(session, caller, done, as_json)


@app.command("assign-escort")
@friendly
def assign_escort(
    movement: MovementArg,
    unit: Annotated[list[int], typer.Option(help="escort unit id; repeat")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Assign escort units (host security only)."""
    with on_movement(as_user, movement) as (session, caller, mid):
        _show(
            session,
            caller,
            planning.assign_escort(session, caller=caller, movement_id=mid, unit_ids=unit, now=utcnow()),
            as_json,
        )


@app.command("checkin")
@friendly
def checkin(
    movement: MovementArg,
    key: Annotated[str, typer.Option("--key", help="idempotency key: a retry with the same key counts once")],
    status: Annotated[
        s.CheckInStatus, typer.Option(help="ok, delayed, duress or arrived")
    ] = s.CheckInStatus.ok,
    at: Annotated[str | None, typer.Option(help="when, ISO 8601 with zone (default: now)")] = None,
    lat: Annotated[float | None, typer.Option(help="latitude")] = None,
    lon: Annotated[float | None, typer.Option(help="longitude")] = None,
    note: Annotated[str, typer.Option(help="free text")] = "",
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Report from the road."""
    data = s.CheckInCreate(
        idempotency_key=key, status=status, at=parse_time(at, "--at"), lat=lat, lon=lon, note=note
    )
    with on_movement(as_user, movement) as (session, caller, mid):
        record, new = checkins.check_in(session, caller=caller, movement_id=mid, data=data, now=utcnow())
        read = s.CheckInRead.model_validate(record)
    emit(
        {**read.model_dump(mode="json"), "new": new},
        as_json,
        f"check-in {read.id} {'recorded' if new else 'already recorded'} at {read.at.isoformat()}",
    )


@app.command("show")
@friendly
def show(
    movement: MovementArg,
    timeline: Annotated[bool, typer.Option("--timeline", help="with the timeline")] = False,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """One movement (and its timeline)."""
    with on_movement(as_user, movement) as (session, caller, mid):
        now = utcnow()
        m = service.get_movement(session, caller=caller, movement_id=mid)
        events = []
        if timeline:
            need_to_know.require_itinerary(session, caller=caller, movement_id=mid, now=now)
            events = timeline_of(session, m, caller)
        read = need_to_know.view_of(session, caller=caller, movement=m, now=now)
        body = {**read.model_dump(mode="json"), "timeline": events} if timeline else read

        def human() -> None:
            print_read(read)
            for e in events:
                out.print(f"  {e.at.isoformat()}  {e.kind}  {e.details}", highlight=False)

        emit(body, as_json, human)


@app.command("board")
@friendly
def board(
    status: Annotated[list[Status] | None, typer.Option(help="only these statuses; repeat")] = None,
    start: Annotated[str | None, typer.Option("--from", help="from this time, ISO 8601 with zone")] = None,
    end: Annotated[str | None, typer.Option("--to", help="until this time, ISO 8601 with zone")] = None,
    site: Annotated[int | None, typer.Option(help="touching this site")] = None,
    limit: LimitOpt = 50,
    offset: OffsetOpt = 0,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """The movements board."""
    with session_as(as_user) as (session, caller):
        window = parse_time(start, "--from"), parse_time(end, "--to")
        filters = service.BoardFilter(status=status, start=window[0], end=window[1], site_id=site)
        page = board_read.board(
            session, caller=caller, now=utcnow(), filters=filters, limit=limit, offset=offset
        )
    emit(page, as_json, lambda: print_table(page.items, BOARD_COLUMNS, title=f"Movements ({page.total})"))


BOARD_COLUMNS = (
    "id",
    "reference",
    "status",
    "day",
    "origin",
    "destination",
    "planned_departure",
    "next_checkin_due",
)


@app.command("predictability")
@friendly
def predictability(
    movement: MovementArg,
    days: Annotated[int, typer.Option(min=1, max=365)] = 7,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """How often the same route and hour were used lately for this origin and destination."""
    with on_movement(as_user, movement) as (session, caller, mid):
        m = need_to_know.require_itinerary(session, caller=caller, movement_id=mid, now=utcnow())
        p = history_service.predictability_of(session, m, window_days=days)
    emit(
        p,
        as_json,
        f"last {p.window_days} days: {p.trips_same_pair} trip(s) of this pair, "
        f"{p.same_route_uses} on this route, {p.same_hour_uses} at this hour, "
        f"{p.same_route_and_hour_uses} both",
    )


@app.command("arrive")
@friendly
def arrive(
    movement: MovementArg,
    persons_counted: Annotated[
        int | None, typer.Option(help="protected persons counted at arrival", min=0)
    ] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """The convoy has arrived."""
    with on_movement(as_user, movement) as (session, caller, mid):
        m = tracking.arrive(
            session, caller=caller, movement_id=mid, at=None, now=utcnow(), persons_counted=persons_counted
        )
        _show(session, caller, m, as_json)


@app.command("clearance")
@friendly
def clearance(
    movement: MovementArg,
    unit: Annotated[int, typer.Option(help="the escort unit that cleared the route")],
    at: Annotated[str | None, typer.Option(help="when, ISO 8601 with zone (default: now)")] = None,
    segment: Annotated[str, typer.Option(help="which part of the route, if not all of it")] = "",
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Record that a unit cleared (swept) the route (host security)."""
    data = s.ClearanceCreate(
        escort_unit_id=unit, cleared_at=parse_time(at, "--at") or utcnow(), segment=segment
    )
    row = change(as_user, movement, tracking.record_clearance, s.ClearanceRead, data=data)
    emit(row, as_json, f"clearance {row.id} recorded at {row.cleared_at.isoformat()}")


@arrangement_app.command("show")
@friendly
def arrangement_show(as_json: bool = JsonOpt) -> None:
    """The arrangement in force."""
    with transaction() as session:
        read = arrangement_store.arrangement_read(session)

    def human() -> None:
        out.print(f"arrangement version {read.version} ({read.comment or 'no comment'})")
        out.print(json.dumps(read.document, indent=2), highlight=False)

    emit(read, as_json, human)


@arrangement_app.command("set")
@friendly
def arrangement_set(
    file: Annotated[Path, typer.Argument(help="the arrangement as JSON", exists=True)],
    comment: Annotated[str, typer.Option(help="why it changed")] = "",
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Propose a new version of the arrangement; it takes effect when both founding parties approve."""
    document = read_json_file(file)
    now = utcnow()
    with session_as(as_user) as (session, caller):
        row = governance_service.propose_arrangement(
            session, caller=caller, document=document, comment=comment, now=now
        )
        read = governance_service.proposal_read(row, now=now)
    emit(
        read,
        as_json,
        f"proposal {read.id} opened: the arrangement in force stays until both founding parties approve "
        f"(outrider governance approve {read.id})",
    )
