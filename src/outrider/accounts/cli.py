"""`outrider orgs` and `outrider users`: the operator's account commands (local database access), and an
administrator's (``--as``) on the users of their organisation, decided as in the API."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts import desk, service
from outrider.accounts.events import Recorder
from outrider.accounts.models import User
from outrider.accounts.schemas import (
    OrganizationCreate,
    OrganizationRead,
    OrgKind,
    PasswordResetIssued,
    Role,
    TokenCreate,
    TokenIssued,
    TokenRead,
    UserCreate,
    UserCreated,
    UserRead,
)
from outrider.audit import service as audit_service
from outrider.console import AsOpt, JsonOpt, emit, friendly, out, print_table, session_as
from outrider.db import transaction, utcnow
from outrider.governance import service as governance_service

orgs_app = typer.Typer(help="Organisations: the parties of the joint arrangement.", no_args_is_help=True)
users_app = typer.Typer(help="Users, their roles and API tokens.", no_args_is_help=True)


@orgs_app.command("create")
@friendly
def orgs_create(
    name: Annotated[str, typer.Argument(help="the organisation's name")],
    kind: Annotated[OrgKind, typer.Option(help="its part in the arrangement")],
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2 country code, e.g. PK")],
    as_json: bool = JsonOpt,
) -> None:
    """Create an organisation."""
    data = OrganizationCreate(name=name, kind=kind, country=country)
    with transaction() as session:
        governance_service.refuse_outside_proposals(session, org_kind=data.kind.value, operator=True)
        org = OrganizationRead.model_validate(service.create_organization(session, data=data, now=utcnow()))
    emit(org, as_json, f"created organisation {org.id}: {org.name} ({org.kind.value}, {org.country})")


@orgs_app.command("list")
@friendly
def orgs_list(as_json: bool = JsonOpt) -> None:
    """List organisations."""
    with transaction() as session:
        rows = [OrganizationRead.model_validate(o) for o in service.list_organizations(session)]
    emit(rows, as_json, lambda: print_table(rows, ["id", "name", "kind", "country"], title="Organisations"))


@users_app.command("create")
@friendly
def users_create(
    username: Annotated[str, typer.Argument(help="login name")],
    org: Annotated[str, typer.Option("--org", help="organisation id or exact name")],
    role: Annotated[list[Role], typer.Option("--role", help="a role; repeat for several")],
    full_name: Annotated[str, typer.Option(help="display name")] = "",
    as_json: bool = JsonOpt,
) -> None:
    """Create a user with a generated password, printed once."""
    with transaction() as session:
        organization = service.find_organization(session, ref=org)
        data = UserCreate(username=username, full_name=full_name, organization_id=organization.id, roles=role)
        roles = [r.value for r in data.roles]
        governance_service.refuse_outside_proposals(session, roles=roles, operator=True)
        user, password = service.create_user(session, data=data, now=utcnow())
        created = UserCreated.model_validate(
            {**UserRead.model_validate(user).model_dump(), "password": password}
        )

    def human() -> None:
        out.print(f"created user {created.username} ({', '.join(created.roles)})")
        out.print(f"password (shown once): {password}", highlight=False)

    emit(created, as_json, human)


@users_app.command("list")
@friendly
def users_list(
    org: Annotated[str | None, typer.Option("--org", help="only this organisation (id or name)")] = None,
    as_json: bool = JsonOpt,
) -> None:
    """List users."""
    with transaction() as session:
        org_id = service.find_organization(session, ref=org).id if org else None
        rows = [UserRead.model_validate(u) for u in service.list_users(session, organization_id=org_id)]
    columns = ["id", "username", "organization_id", "roles", "is_active"]
    emit(rows, as_json, lambda: print_table(rows, columns, title="Users"))


@users_app.command("token")
@friendly
def users_token(
    username: Annotated[str, typer.Argument(help="whose token")],
    name: Annotated[str, typer.Option(help="a name to recognise the token by")] = "cli",
    hours: Annotated[int, typer.Option(help="lifetime in hours")] = 24 * 30,
    as_json: bool = JsonOpt,
) -> None:
    """Issue an API token for a user; the token is shown once."""
    data = TokenCreate(name=name, ttl_hours=hours)
    with transaction() as session:
        user = service.find_user(session, username=username)
        record, token = service.issue_token(session, user=user, data=data, now=utcnow())
        desk.token_issued(
            partial(audit_service.record, session, actor=audit_service.OPERATOR, now=utcnow()), record
        )
        issued = TokenIssued(id=record.id, name=record.name, token=token, expires_at=record.expires_at)

    def human() -> None:
        out.print(f"token {issued.id} for {username}, expires {issued.expires_at.isoformat()}")
        out.print(issued.token, highlight=False)

    emit(issued, as_json, human)


# --- an administrator and the other users of their organisation (the same decisions as the API) -------


def _recorder(session: Session, caller: Caller) -> Recorder:
    return partial(audit_service.record, session, actor=caller, now=utcnow())


def _target(session: Session, username: str) -> int:
    return service.find_user(session, username=username).id


def _user_change(
    as_user: str | None,
    username: str,
    as_json: bool,
    change: Callable[[Session, Caller, int], User],
    said: str,
) -> None:
    with session_as(as_user) as (session, caller):
        row = UserRead.model_validate(change(session, caller, _target(session, username)))
    emit(row, as_json, f"{row.username}: {said}")


def _activity(active: bool) -> Callable[[Session, Caller, int], User]:
    """The change that deactivates or reactivates a user."""

    def change(session: Session, caller: Caller, user_id: int) -> User:
        record = _recorder(session, caller)
        return desk.set_active(
            session, caller=caller, user_id=user_id, active=active, now=utcnow(), record=record
        )

    return change


@users_app.command("deactivate")
@friendly
def users_deactivate(
    username: Annotated[str, typer.Argument(help="the user to deactivate")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Deactivate a user of your organisation: no sign-in, and their sessions and tokens end at once."""
    _user_change(as_user, username, as_json, _activity(False), "deactivated; their sessions and tokens ended")


@users_app.command("reactivate")
@friendly
def users_reactivate(
    username: Annotated[str, typer.Argument(help="the user to reactivate")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Let a deactivated user of your organisation sign in again."""
    _user_change(as_user, username, as_json, _activity(True), "reactivated")


@users_app.command("roles")
@friendly
def users_roles(
    username: Annotated[str, typer.Argument(help="whose roles")],
    role: Annotated[
        list[Role], typer.Option("--role", help="a role; repeat for several (replaces them all)")
    ],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Replace the roles of a user of your organisation (the auditor role only by a governance proposal)."""

    def change(session: Session, caller: Caller, user_id: int) -> User:
        roles = [r.value for r in role]
        return desk.set_roles(
            session, caller=caller, user_id=user_id, roles=roles, record=_recorder(session, caller)
        )

    _user_change(as_user, username, as_json, change, "roles " + ", ".join(r.value for r in role))


@users_app.command("second-factor-reset")
@friendly
def users_second_factor_reset(
    username: Annotated[str, typer.Argument(help="whose second factor to remove")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Remove the second factor of a user of your organisation (a lost phone): they enrol again."""

    def change(session: Session, caller: Caller, user_id: int) -> User:
        return desk.reset_second_factor(
            session, caller=caller, user_id=user_id, record=_recorder(session, caller)
        )

    _user_change(as_user, username, as_json, change, "second factor removed")


@users_app.command("reset")
@friendly
def users_reset(
    username: Annotated[str, typer.Argument(help="whose password to reset")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Make a one-time password-reset code for a user of your organisation (shown once, valid a day)."""
    with session_as(as_user) as (session, caller):
        user_id = _target(session, username)
        row, code = desk.issue_reset(
            session, caller=caller, user_id=user_id, now=utcnow(), record=_recorder(session, caller)
        )
        issued = PasswordResetIssued(user_id=row.user_id, code=code, expires_at=row.expires_at)

    def human() -> None:
        out.print(f"reset code for {username} (shown once; valid until {issued.expires_at.isoformat()}):")
        out.print(issued.code, highlight=False)
        out.print("they set a new password with it on the sign-in page's reset link (/password-reset)")

    emit(issued, as_json, human)


@users_app.command("sessions")
@friendly
def users_sessions(
    username: Annotated[str, typer.Argument(help="whose web sessions and API tokens")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List the web sessions and API tokens of a user (yours, or as an administrator of theirs)."""
    with session_as(as_user) as (session, caller):
        user_id = _target(session, username)
        if user_id == caller.user_id:
            records = service.list_tokens(session, user=service.get_user(session, user_id=user_id))
        else:
            records = desk.user_tokens(session, caller=caller, user_id=user_id)
        rows = [TokenRead.model_validate(t) for t in records]
    columns = [
        "id",
        "name",
        "web_session",
        "prefix",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    emit(rows, as_json, lambda: print_table(rows, columns, title=f"Sessions and tokens of {username}"))


@users_app.command("revoke")
@friendly
def users_revoke(
    username: Annotated[str, typer.Argument(help="whose session or token")],
    token_id: Annotated[int, typer.Argument(help="the id `users sessions` shows")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """End a web session or API token at once (yours, or as an administrator of their organisation)."""
    with session_as(as_user) as (session, caller):
        user_id = _target(session, username)
        record = _recorder(session, caller)
        if user_id == caller.user_id:
            own = service.get_user(session, user_id=user_id)
            service.revoke_token(session, user=own, token_id=token_id, now=utcnow())
            desk.own_token_revoked(record, own, token_id)
        else:
            desk.revoke_user_token(
                session, caller=caller, user_id=user_id, token_id=token_id, now=utcnow(), record=record
            )
    emit(
        {"user": username, "token_id": token_id, "revoked": True},
        as_json,
        f"token {token_id} of {username} revoked",
    )


@orgs_app.command("require-totp")
@friendly
def orgs_require_totp(
    org: Annotated[str, typer.Argument(help="your organisation (id or exact name)")],
    required: Annotated[
        bool, typer.Option("--on/--off", help="require a second factor of its users, or not")
    ],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Require a second factor (TOTP) of your organisation's users: they enrol at their next sign-in."""
    with session_as(as_user) as (session, caller):
        organization = service.find_organization(session, ref=org)
        row = OrganizationRead.model_validate(
            desk.set_require_totp(
                session,
                caller=caller,
                organization_id=organization.id,
                required=required,
                record=_recorder(session, caller),
            )
        )
    emit(row, as_json, f"{row.name}: second factor {'required' if row.require_totp else 'optional'}")
