"""`outrider orgs` and `outrider users`: the operator's account commands (local database access)."""

from __future__ import annotations

from typing import Annotated

import typer

from outrider.accounts import service
from outrider.accounts.schemas import (
    OrganizationCreate,
    OrganizationRead,
    OrgKind,
    Role,
    TokenCreate,
    TokenIssued,
    UserCreate,
    UserCreated,
    UserRead,
)
from outrider.console import JsonOpt, emit, friendly, out, print_table
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
        issued = TokenIssued(id=record.id, name=record.name, token=token, expires_at=record.expires_at)

    def human() -> None:
        out.print(f"token {issued.id} for {username}, expires {issued.expires_at.isoformat()}")
        out.print(issued.token, highlight=False)

    emit(issued, as_json, human)
