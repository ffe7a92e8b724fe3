"""Who may see and do what: pure decisions, deny by default (registry, alerts, movements)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated principal as the registry rules need it."""

    user_id: int
    organization_id: int
    org_kind: str
    country: str
    roles: frozenset[str]
    channel: str = "api"  # api, cli, web, export, job: recorded in the audit log
    request_id: str = ""


class RecordKind(StrEnum):
    """The kinds of registry record."""

    person = "person"
    site = "site"
    vehicle = "vehicle"
    unit = "unit"


@dataclass(frozen=True, slots=True)
class ReadScope:
    """Which records a caller may read: every one, those of some organisations, or by nationality."""

    everything: bool = False
    organization_ids: frozenset[int] = frozenset()
    nationality: str | None = None

    def allows(self, *, organization_id: int, nationality: str | None = None) -> bool:
        """True when a record with these attributes is inside the scope."""
        if self.everything or organization_id in self.organization_ids:
            return True
        return self.nationality is not None and nationality == self.nationality


# Host security sees every site, unit and vehicle: it guards the sites, escorts with the units
# and inspects vehicles at the cordons. Persons stay with their organisation, and with the
# partner government that answers for its nationals.
_HOST_SEES_ALL = {RecordKind.site, RecordKind.unit, RecordKind.vehicle}
_WRITERS = {
    RecordKind.person: {"admin", "coordinator"},
    RecordKind.site: {"admin", "coordinator"},
    RecordKind.vehicle: {"admin", "coordinator", "duty_officer"},
    RecordKind.unit: {"admin", "duty_officer"},
}


def read_scope(caller: Caller, kind: RecordKind) -> ReadScope:
    """The records of ``kind`` the caller may read."""
    if caller.org_kind == "host_security" and kind in _HOST_SEES_ALL:
        return ReadScope(everything=True)
    nationality = (
        caller.country if kind is RecordKind.person and caller.org_kind == "partner_government" else None
    )
    return ReadScope(organization_ids=frozenset({caller.organization_id}), nationality=nationality)


def may_write(caller: Caller, kind: RecordKind, *, owner_organization_id: int) -> bool:
    """Writers change records of their own organisation; escort units belong to host security."""
    if not caller.roles & _WRITERS[kind]:
        return False
    if kind is RecordKind.unit and caller.org_kind != "host_security":
        return False
    return owner_organization_id == caller.organization_id


ALERT_READERS = frozenset({"admin", "coordinator", "duty_officer", "liaison", "auditor"})
ALERT_ACKERS = frozenset({"admin", "coordinator", "duty_officer"})


def alert_scope(caller: Caller) -> ReadScope:
    """Whose alerts the caller sees: host security and auditors all, others their organisation's."""
    if caller.org_kind == "host_security" or "auditor" in caller.roles:
        return ReadScope(everything=True)
    return ReadScope(organization_ids=frozenset({caller.organization_id}))


def may_read_alert(caller: Caller, *, organization_id: int | None) -> bool:
    """True when the caller may read an alert owned by ``organization_id`` (None: no owner)."""
    if not caller.roles & ALERT_READERS:
        return False
    scope = alert_scope(caller)
    return scope.everything or (organization_id is not None and organization_id in scope.organization_ids)


# --- movements -------------------------------------------------------------------------------------
# Who sees and acts on a movement. The later need-to-know issue splits summary from itinerary; the
# decisions stay here.

PLANNERS = frozenset({"admin", "coordinator"})
_APPROVER_ROLES = {
    "host_security": frozenset({"admin", "duty_officer"}),
    "partner_government": frozenset({"admin", "liaison"}),
    "company": frozenset({"admin", "coordinator"}),
    "other": frozenset({"admin", "coordinator"}),
}
ESCORT_ROLES = frozenset({"admin", "duty_officer"})
PROGRESS_ROLES = frozenset({"admin", "duty_officer", "coordinator"})


@dataclass(frozen=True, slots=True)
class MovementScope:
    """Which movements a caller sees: all, their organisation's, and those carrying their nationals."""

    everything: bool = False
    organization_id: int | None = None
    nationality: str | None = None


def movement_scope(caller: Caller) -> MovementScope:
    """Host security and auditors see every movement; a partner sees those of its nationals."""
    if caller.org_kind == "host_security" or "auditor" in caller.roles:
        return MovementScope(everything=True)
    nationality = caller.country if caller.org_kind == "partner_government" else None
    return MovementScope(organization_id=caller.organization_id, nationality=nationality)


def may_plan(caller: Caller, *, requesting_org_id: int) -> bool:
    """Coordinators and admins plan, amend, submit and cancel their own organisation's movements."""
    return bool(caller.roles & PLANNERS) and caller.organization_id == requesting_org_id


def approving_party(caller: Caller) -> tuple[str, str | None] | None:
    """The party (organisation kind, country for partners) the caller may approve for, if any."""
    if not caller.roles & _APPROVER_ROLES.get(caller.org_kind, frozenset()):
        return None
    return caller.org_kind, caller.country if caller.org_kind == "partner_government" else None


def may_assign_escort(caller: Caller, *, assigner_kinds: frozenset[str]) -> bool:
    """Only the kinds the arrangement names (host security always) assign escort units."""
    return caller.org_kind in assigner_kinds and bool(caller.roles & ESCORT_ROLES)


def may_report_progress(caller: Caller, *, requesting_org_id: int) -> bool:
    """Departure, check-ins and arrival come from host security or the requesting organisation."""
    if not caller.roles & PROGRESS_ROLES:
        return False
    return caller.org_kind == "host_security" or caller.organization_id == requesting_org_id


# --- need-to-know for itineraries -------------------------------------------------------------------
# A movement has a summary (status, organisation, day, origin and destination names) that everyone in
# movement_scope sees, and an itinerary (route, exact times, vehicles, escort, check-in positions) that
# only its need-to-know list sees, and only from the release time, except its planners.


class Relationship(StrEnum):
    """Why a principal is on a movement's need-to-know list."""

    planner = "planner"  # coordinator or admin of the requesting organisation
    escort = "escort"  # duty officer of the organisation whose unit escorts it
    area = "area"  # duty officer of the organisation whose unit is based at its origin or destination
    liaison = "liaison"  # liaison of the partner whose nationals travel
    grant = "grant"  # an explicit, unexpired, unrevoked grant


@dataclass(frozen=True, slots=True)
class ItineraryFacts:
    """What the need-to-know decision needs to know about one movement."""

    requesting_org_id: int
    nationalities: frozenset[str]
    escort_org_ids: frozenset[int]
    area_org_ids: frozenset[int]
    departure: datetime
    release_hours: float
    granted_user_ids: frozenset[int]  # grants valid at the moment of the decision


@dataclass(frozen=True, slots=True)
class ItineraryDecision:
    """Allow or deny, with the relationships that hold and the reason."""

    allowed: bool
    relationships: frozenset[Relationship]
    reason: str
    release_at: datetime


def relationships(caller: Caller, facts: ItineraryFacts) -> frozenset[Relationship]:
    """The need-to-know relationships between a caller and a movement."""
    found: set[Relationship] = set()
    if caller.organization_id == facts.requesting_org_id and caller.roles & PLANNERS:
        found.add(Relationship.planner)
    if "duty_officer" in caller.roles and caller.organization_id in facts.escort_org_ids:
        found.add(Relationship.escort)
    if "duty_officer" in caller.roles and caller.organization_id in facts.area_org_ids:
        found.add(Relationship.area)
    if (
        caller.org_kind == "partner_government"
        and "liaison" in caller.roles
        and caller.country in facts.nationalities
    ):
        found.add(Relationship.liaison)
    if caller.user_id in facts.granted_user_ids:
        found.add(Relationship.grant)
    return frozenset(found)


def itinerary_access(caller: Caller, facts: ItineraryFacts, *, now: datetime) -> ItineraryDecision:
    """May the caller read the itinerary now? Planners always; the rest of the list from the release time."""
    rel = relationships(caller, facts)
    release_at = facts.departure - timedelta(hours=facts.release_hours)
    if Relationship.planner in rel:
        return ItineraryDecision(True, rel, "planner of the movement", release_at)
    if not rel:
        return ItineraryDecision(False, rel, "not on the movement's need-to-know list", release_at)
    if now < release_at:
        return ItineraryDecision(
            False, rel, f"on the need-to-know list; released at {release_at.isoformat()}", release_at
        )
    return ItineraryDecision(True, rel, "on the need-to-know list: " + ", ".join(sorted(rel)), release_at)


def may_manage_grants(caller: Caller, *, requesting_org_id: int) -> bool:
    """Planners grant and revoke need-to-know access."""
    return may_plan(caller, requesting_org_id=requesting_org_id)


def may_see_need_to_know(caller: Caller, *, requesting_org_id: int) -> bool:
    """The list itself is for the movement's planners and for auditors."""
    return may_plan(caller, requesting_org_id=requesting_org_id) or "auditor" in caller.roles


def may_audit(caller: Caller) -> bool:
    """Auditors verify the chain and ask who knew."""
    return "auditor" in caller.roles


# --- protocols ---------------------------------------------------------------------------------------
# A protocol version binds each of its parties to an organisation. Administrators of those organisations
# load, propose and sign it; a waiver is approved for each party by the roles that approve its movements.

COMPLIANCE_READERS = frozenset({"admin", "duty_officer", "coordinator", "liaison", "auditor"})


def may_administer_protocol(caller: Caller, *, party_org_ids: frozenset[int]) -> bool:
    """Administrators of an organisation that is a party load and propose a protocol version."""
    return "admin" in caller.roles and caller.organization_id in party_org_ids


def may_sign_protocol(caller: Caller, *, party_org_id: int) -> bool:
    """Only an administrator of the party's own organisation signs for it."""
    return "admin" in caller.roles and caller.organization_id == party_org_id


def may_register_signing_key(caller: Caller) -> bool:
    """Administrators register their own public signing keys."""
    return "admin" in caller.roles


def may_approve_waiver(caller: Caller, *, party_org_id: int) -> bool:
    """A party approves a waiver through the roles that approve movements for it."""
    roles = _APPROVER_ROLES.get(caller.org_kind, frozenset())
    return caller.organization_id == party_org_id and bool(caller.roles & roles)


def may_request_waiver(caller: Caller, *, requesting_org_id: int) -> bool:
    """The movement's planners, or approvers of host security or a partner (the service checks the party)."""
    if may_plan(caller, requesting_org_id=requesting_org_id):
        return True
    return bool(caller.roles & _APPROVER_ROLES.get(caller.org_kind, frozenset())) and caller.org_kind in (
        "host_security",
        "partner_government",
    )


def may_read_compliance(caller: Caller) -> bool:
    """Compliance reports are for admins, duty officers, coordinators, liaisons and auditors."""
    return bool(caller.roles & COMPLIANCE_READERS)


def may_read_protocol_evidence(caller: Caller, *, itinerary_allowed: bool) -> bool:
    """An evaluation's facts reveal the itinerary's times: its need-to-know list, and auditors."""
    return itinerary_allowed or "auditor" in caller.roles
