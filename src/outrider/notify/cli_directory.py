"""`outrider notify contacts|rosters|policies|endpoints`: the directory of alert delivery (the services
decide who may; `--json` on every command; one line and exit code 1 for what they refuse)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from outrider.accounts import service as accounts_service
from outrider.alerts.schemas import Severity
from outrider.console import (
    AsOpt,
    JsonOpt,
    emit,
    fail,
    friendly,
    parse_time,
    print_json,
    print_table,
    read_json_file,
    session_as,
)
from outrider.db import utcnow
from outrider.notify import contacts, endpoints, policy_service, roster_service
from outrider.notify.directory_schemas import (
    ContactRead,
    EndpointCreate,
    EndpointCreated,
    EndpointRead,
    PolicyCreate,
    PolicyRead,
    RosterCreate,
    ShiftCreate,
    ShiftRead,
)

contacts_app = typer.Typer(
    help="Your contact points (e-mail, phone), verified by a code.", no_args_is_help=True
)
rosters_app = typer.Typer(help="Duty rosters and shifts; who is on duty now.", no_args_is_help=True)
policies_app = typer.Typer(
    help="Escalation policies: who is called, when, on which channels.", no_args_is_help=True
)
endpoints_app = typer.Typer(help="An organisation's webhook endpoints.", no_args_is_help=True)

CONTACT_COLUMNS = ["id", "channel", "address", "verified_at", "disabled_at"]


# --- contacts ---------------------------------------------------------------------------------------


@contacts_app.command("list")
@friendly
def contacts_list(as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """Your contact points."""
    with session_as(as_user) as (session, caller):
        items = [ContactRead.model_validate(p) for p in contacts.list_own(session, caller=caller)]
    emit(items, as_json, lambda: print_table(items, CONTACT_COLUMNS, "Contact points"))


@contacts_app.command("add")
@friendly
def contacts_add(
    channel: Annotated[str, typer.Argument(help="email or sms")],
    address: Annotated[
        str, typer.Argument(help="an e-mail address, or a phone number with + and country code")
    ],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Add a contact point of yours; a code is sent to it (good for 15 minutes, 5 tries)."""
    if channel not in ("email", "sms"):
        raise fail("CHANNEL must be email or sms", code=2)
    with session_as(as_user) as (session, caller):
        item = ContactRead.model_validate(
            contacts.add(session, caller=caller, channel=channel, address=address, now=utcnow())
        )
    emit(item, as_json, f"contact point {item.id} added: verify it with the code sent to {item.address}")


@contacts_app.command("verify")
@friendly
def contacts_verify(contact_id: int, code: str, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """Verify a contact point with the code sent to it."""
    with session_as(as_user) as (session, caller):
        item = ContactRead.model_validate(
            contacts.verify(session, caller=caller, contact_id=contact_id, code=code, now=utcnow())
        )
    emit(item, as_json, f"contact point {item.id} verified")


@contacts_app.command("resend")
@friendly
def contacts_resend(contact_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """Send a new code to an unverified contact point."""
    with session_as(as_user) as (session, caller):
        item = ContactRead.model_validate(
            contacts.resend(session, caller=caller, contact_id=contact_id, now=utcnow())
        )
    emit(item, as_json, f"a new code was sent to {item.address}")


@contacts_app.command("disable")
@friendly
def contacts_disable(contact_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """Stop calling you at a contact point."""
    with session_as(as_user) as (session, caller):
        item = ContactRead.model_validate(
            contacts.disable(session, caller=caller, contact_id=contact_id, now=utcnow())
        )
    emit(item, as_json, f"contact point {item.id} disabled")


# --- rosters ----------------------------------------------------------------------------------------


@rosters_app.command("list")
@friendly
def rosters_list(as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """Your organisation's rosters."""
    with session_as(as_user) as (session, caller):
        items = [roster_service.read(session, r) for r in roster_service.list_rosters(session, caller=caller)]
    emit(items, as_json, lambda: print_table(items, ["id", "name", "timezone", "site_id"], "Rosters"))


@rosters_app.command("create")
@friendly
def rosters_create(
    name: str,
    timezone: Annotated[str, typer.Option("--timezone", help="IANA time zone, e.g. Asia/Karachi")],
    site_id: Annotated[int | None, typer.Option(help="the site the roster guards")] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """A new duty roster of your organisation."""
    with session_as(as_user) as (session, caller):
        data = RosterCreate(name=name, timezone=timezone, site_id=site_id)
        item = roster_service.read(
            session, roster_service.create_roster(session, caller=caller, data=data, now=utcnow())
        )
    emit(item, as_json, f"roster {item.id} {item.name!r} created ({item.timezone})")


@rosters_app.command("show")
@friendly
def rosters_show(roster_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """A roster and its shifts."""
    with session_as(as_user) as (session, caller):
        item = roster_service.read(
            session, roster_service.get_roster(session, caller=caller, roster_id=roster_id)
        )
    columns = ["id", "user_id", "rank", "weekdays", "start_time", "end_time", "starts_at", "ends_at"]
    emit(item, as_json, lambda: print_table(item.shifts, columns, f"{item.name} ({item.timezone})"))


@rosters_app.command("add-shift")
@friendly
def rosters_add_shift(
    roster_id: int,
    user: Annotated[str, typer.Option("--user", help="user name of the person on duty")],
    rank: Annotated[str, typer.Option(help="primary or backup")] = "primary",
    weekdays: Annotated[str, typer.Option(help="weekly: ISO weekdays, e.g. 1,2,3,4,5")] = "",
    start: Annotated[str, typer.Option(help="weekly: local start, HH:MM")] = "",
    end: Annotated[str, typer.Option(help="weekly: local end, HH:MM (at or before start: next day)")] = "",
    starts_at: Annotated[str, typer.Option(help="once: ISO 8601 start with a zone")] = "",
    ends_at: Annotated[str, typer.Option(help="once: ISO 8601 end with a zone")] = "",
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Put someone on a roster, weekly or once (a stand-in wins over the weekly pattern for its time)."""
    values: dict[str, Any] = {"rank": rank}
    if weekdays or start or end:
        try:
            values["weekdays"] = [int(d) for d in weekdays.split(",") if d.strip()]
        except ValueError:
            raise fail("--weekdays: numbers 1 (Monday) to 7 (Sunday), separated by commas", code=2) from None
        values.update(start_time=start or None, end_time=end or None)
    if starts_at or ends_at:
        values.update(
            starts_at=parse_time(starts_at, "--starts-at"), ends_at=parse_time(ends_at, "--ends-at")
        )
    with session_as(as_user) as (session, caller):
        values["user_id"] = accounts_service.find_user(session, username=user).id
        data = ShiftCreate.model_validate(values)
        shift = roster_service.add_shift(session, caller=caller, roster_id=roster_id, data=data, now=utcnow())
        item = ShiftRead.model_validate(shift)
    emit(item, as_json, f"shift {item.id} added to roster {roster_id}")


@rosters_app.command("remove-shift")
@friendly
def rosters_remove_shift(
    roster_id: int, shift_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt
) -> None:
    """Take a shift off a roster."""
    with session_as(as_user) as (session, caller):
        roster_service.remove_shift(
            session, caller=caller, roster_id=roster_id, shift_id=shift_id, now=utcnow()
        )
    emit({"roster_id": roster_id, "removed_shift": shift_id}, as_json, f"shift {shift_id} removed")


@rosters_app.command("on-duty")
@friendly
def rosters_on_duty(
    roster_id: int,
    at: Annotated[str | None, typer.Option(help="ISO 8601 with a zone; default now")] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Who is on a roster's duty now (or at --at), primaries first."""
    when = parse_time(at, "--at") or utcnow()
    with session_as(as_user) as (session, caller):
        answer = roster_service.on_duty_answer(session, caller=caller, roster_id=roster_id, at=when)
    emit(
        answer,
        as_json,
        lambda: print_table(
            answer.on_duty, ["username", "rank", "until", "override"], f"On duty at {when.isoformat()}"
        ),
    )


# --- policies ---------------------------------------------------------------------------------------

POLICY_COLUMNS = ["id", "organization_id", "name", "version", "kinds", "min_severity", "repeat", "active"]


@policies_app.command("list")
@friendly
def policies_list(
    all_versions: Annotated[bool, typer.Option("--all-versions", help="superseded versions too")] = False,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """The policies in force for your organisation, and the joint default (organization_id empty)."""
    with session_as(as_user) as (session, caller):
        rows = policy_service.list_for(session, caller=caller, all_versions=all_versions)
        items = [PolicyRead.model_validate(r) for r in rows]
    emit(items, as_json, lambda: print_table(items, POLICY_COLUMNS, "Escalation policies"))


@policies_app.command("show")
@friendly
def policies_show(policy_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """One version of a policy with its steps."""
    with session_as(as_user) as (session, caller):
        item = PolicyRead.model_validate(policy_service.get(session, caller=caller, policy_id=policy_id))
    emit(item, as_json, lambda: print_json(item))  # the steps are a structure: shown as it is


@policies_app.command("create")
@friendly
def policies_create(
    name: str,
    steps_file: Annotated[Path, typer.Option("--steps", help="a JSON file: the list of steps", exists=True)],
    kinds: Annotated[str, typer.Option(help="alert kinds, comma-separated (empty: any)")] = "",
    min_severity: Annotated[Severity, typer.Option(help="the lowest severity it applies to")] = Severity.info,
    repeat: Annotated[int, typer.Option(min=0, max=10, help="rounds after the first")] = 0,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """A new policy of your organisation, or the next version of the one of that name."""
    steps = read_json_file(steps_file)
    if not isinstance(steps, list):
        raise fail(f"{steps_file.name}: a JSON list of steps")
    data = PolicyCreate(
        name=name,
        steps=steps,
        kinds=[k.strip() for k in kinds.split(",") if k.strip()],
        min_severity=min_severity,
        repeat=repeat,
    )
    with session_as(as_user) as (session, caller):
        item = PolicyRead.model_validate(
            policy_service.create(session, caller=caller, data=data, now=utcnow())
        )
    emit(item, as_json, f"policy {item.id}: {item.name!r} version {item.version}")


@policies_app.command("deactivate")
@friendly
def policies_deactivate(policy_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """Stop applying a policy of your organisation (alerts in flight keep their plans)."""
    with session_as(as_user) as (session, caller):
        row = policy_service.deactivate(session, caller=caller, policy_id=policy_id, now=utcnow())
        item = PolicyRead.model_validate(row)
    emit(item, as_json, f"policy {item.id} ({item.name!r} version {item.version}) no longer applies")


# --- endpoints --------------------------------------------------------------------------------------


@endpoints_app.command("list")
@friendly
def endpoints_list(as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """Your organisation's webhook endpoints (never their secrets)."""
    with session_as(as_user) as (session, caller):
        items = [EndpointRead.model_validate(e) for e in endpoints.list_for(session, caller=caller)]
    emit(
        items, as_json, lambda: print_table(items, ["id", "name", "url", "active", "revoked_at"], "Endpoints")
    )


@endpoints_app.command("create")
@friendly
def endpoints_create(name: str, url: str, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """Register a webhook endpoint; its signing secret is printed this once."""
    with session_as(as_user) as (session, caller):
        row = endpoints.create(session, caller=caller, data=EndpointCreate(name=name, url=url), now=utcnow())
        item = EndpointCreated(**EndpointRead.model_validate(row).model_dump(), secret=row.secret)
    emit(item, as_json, f"endpoint {item.id} created; its secret (shown once): {item.secret}")


@endpoints_app.command("revoke")
@friendly
def endpoints_revoke(endpoint_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """Stop posting to a webhook endpoint."""
    with session_as(as_user) as (session, caller):
        item = EndpointRead.model_validate(
            endpoints.revoke(session, caller=caller, endpoint_id=endpoint_id, now=utcnow())
        )
    emit(item, as_json, f"endpoint {item.id} revoked")
