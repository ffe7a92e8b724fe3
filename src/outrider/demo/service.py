"""Load the demo scenario through the ordinary services, so it obeys every rule real data does."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller, RecordKind
from outrider.accounts import service as accounts_service
from outrider.accounts.models import Organization, User
from outrider.accounts.schemas import OrganizationCreate, OrgKind, Role, UserCreate
from outrider.demo import scenario
from outrider.demo.alerting import load_alerting
from outrider.demo.committee import load_committee
from outrider.demo.movements import load_movements
from outrider.demo.reports import load_reports
from outrider.errors import Conflict
from outrider.governance import service as governance_service
from outrider.registry import members as registry_members
from outrider.registry import schemas as registry_schemas
from outrider.registry import service as registry_service

# The parties of the joint arrangement as a person reads them (an organisation's kind).
PARTIES = {
    "host_security": "host security",
    "partner_government": "partner government",
    "company": "company",
    "other": "other",
}


class DemoLogin(BaseModel):
    """A demo user's sign-in, printed once: who, with which role, in which organisation of which party."""

    username: str
    password: str
    role: str
    organization: str
    party: str = ""  # the organisation's kind (host_security, partner_government, company, other)

    @property
    def party_words(self) -> str:
        """The party as words ("host security")."""
        return PARTIES.get(self.party, self.party)


def with_parties(session: Session, logins: list[DemoLogin]) -> list[DemoLogin]:
    """Saved logins of an older demo (without the party) completed from the organisations stored."""
    kinds: dict[str, str] = dict(session.execute(select(Organization.name, Organization.kind)).all())
    return [x if x.party else x.model_copy(update={"party": kinds.get(x.organization, "")}) for x in logins]


def is_empty(session: Session) -> bool:
    """True when the database holds no organisation and no user yet."""
    orgs = session.scalar(select(func.count()).select_from(Organization)) or 0
    users = session.scalar(select(func.count()).select_from(User)) or 0
    return orgs == 0 and users == 0


def _loader(org: Organization) -> Caller:
    # The loader acts as an administrator (and duty officer, for units) inside each organisation.
    return Caller(
        user_id=0,
        organization_id=org.id,
        org_kind=org.kind,
        country=org.country,
        roles=frozenset({"admin", "coordinator", "duty_officer"}),
    )


def load_demo(session: Session, *, now: datetime) -> list[DemoLogin]:
    """Create the demo corridor; refuses a database that already holds organisations or users."""
    if not is_empty(session):
        raise Conflict("the database is not empty; the demo loads only into an empty database")
    orgs: dict[str, Organization] = {}
    for key, name, kind, country in scenario.ORGANIZATIONS:
        orgs[key] = accounts_service.create_organization(
            session, data=OrganizationCreate(name=name, kind=OrgKind(kind), country=country), now=now
        )
    # The corridor's joint arrangement is founded by its host protection unit and the partner embassy.
    governance_service.found(
        session, host_ref=str(orgs["spu"].id), partner_ref=str(orgs["embassy"].id), comment="demo", now=now
    )
    sites: dict[str, int] = {}
    for row in scenario.SITES:
        site = registry_service.create_record(
            session,
            kind=RecordKind.site,
            caller=_loader(orgs[row[0]]),
            data=registry_schemas.SiteCreate.model_validate(scenario.site_values(row)),
            now=now,
        )
        sites[site.name] = site.id
    for person in scenario.persons():
        registry_service.create_record(
            session,
            kind=RecordKind.person,
            caller=_loader(orgs[person.owner]),
            data=registry_schemas.PersonCreate(
                name=person.name, nationality=person.nationality, role=person.role, notes=person.notes
            ),
            now=now,
        )
    vehicles: dict[str, int] = {}
    for owner, plate, vkind, seats, description in scenario.VEHICLES:
        vehicle = registry_service.create_record(
            session,
            kind=RecordKind.vehicle,
            caller=_loader(orgs[owner]),
            data=registry_schemas.VehicleCreate.model_validate(
                {"plate": plate, "kind": vkind, "seats": seats, "description": description}
            ),
            now=now,
        )
        vehicles[plate] = vehicle.id
    units: dict[str, int] = {}
    for call_sign, strength, base, plates in scenario.UNITS:
        units[call_sign] = registry_service.create_record(
            session,
            kind=RecordKind.unit,
            caller=_loader(orgs["spu"]),
            data=registry_schemas.UnitCreate(
                call_sign=call_sign,
                strength=strength,
                base_site_id=sites[base],
                vehicle_ids=[vehicles[p] for p in plates],
            ),
            now=now,
        ).id
    logins: list[DemoLogin] = []
    callers: dict[str, Caller] = {}
    for username, full_name, org_key, role in scenario.USERS:
        user, password = accounts_service.create_user(
            session,
            data=UserCreate(
                username=username, full_name=full_name, organization_id=orgs[org_key].id, roles=[Role(role)]
            ),
            now=now,
        )
        logins.append(
            DemoLogin(
                username=user.username,
                password=password,
                role=role,
                organization=orgs[org_key].name,
                party=orgs[org_key].kind,
            )
        )
        org = orgs[org_key]
        callers[username] = Caller(
            user_id=user.id,
            organization_id=org.id,
            org_kind=org.kind,
            country=org.country,
            roles=frozenset({role}),
        )
    for call_sign, username in scenario.UNIT_MEMBERS:
        registry_members.add_member(
            session,
            caller=callers["admin"],
            unit_id=units[call_sign],
            user_id=callers[username].user_id,
            now=now,
        )
    load_alerting(session, callers=callers, now=now)  # before any alert: the demo's alerts call someone
    load_movements(session, callers=callers, now=now)
    load_reports(session, analyst=callers["analyst"], now=now)
    load_committee(session, callers=callers, now=now)  # the joint committee, its meetings and commitments
    return logins
