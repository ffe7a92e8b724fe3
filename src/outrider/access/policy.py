"""Who may see and do what: pure decisions, deny by default (registry, alerts, movements)."""

from __future__ import annotations

from dataclasses import dataclass
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
