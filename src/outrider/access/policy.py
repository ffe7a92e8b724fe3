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
    """Which records a caller may read: every one, those of some organisations, by nationality, some ids,
    and shared places."""

    everything: bool = False
    organization_ids: frozenset[int] = frozenset()
    nationality: str | None = None
    record_ids: frozenset[int] = frozenset()  # e.g. the protectees of movements the caller's force escorts
    shared_places: bool = False  # sites of public kinds registered by host security

    def allows(
        self,
        *,
        organization_id: int,
        nationality: str | None = None,
        record_id: int | None = None,
        shared: bool = False,
    ) -> bool:
        """True when a record with these attributes is inside the scope."""
        if self.everything or organization_id in self.organization_ids:
            return True
        if record_id is not None and record_id in self.record_ids:
            return True
        if shared and self.shared_places:
            return True
        return self.nationality is not None and nationality == self.nationality


# Host security sees every site, unit and vehicle: it guards the sites, escorts with the units
# and inspects vehicles at the cordons. Persons stay with their organisation, with the partner
# government that answers for its nationals, and with the host force that escorts them.
_HOST_SEES_ALL = {RecordKind.site, RecordKind.unit, RecordKind.vehicle}
# Places everyone uses (an airport) are registered once by host security and referenced by every party.
SHARED_PLACE_KINDS = frozenset({"airport", "port", "checkpoint"})
# The host roles that guard people: they see the protectees of the movements their force escorts.
GUARD_ROLES = frozenset({"admin", "duty_officer"})


def is_shared_place(*, site_kind: str, owner_org_kind: str) -> bool:
    """A site of a public kind registered by host security is a shared place: every party sees it."""
    return site_kind in SHARED_PLACE_KINDS and owner_org_kind == "host_security"


_WRITERS = {
    RecordKind.person: {"admin", "coordinator"},
    RecordKind.site: {"admin", "coordinator"},
    RecordKind.vehicle: {"admin", "coordinator", "duty_officer"},
    RecordKind.unit: {"admin", "duty_officer"},
}


def read_scope(
    caller: Caller, kind: RecordKind, *, escorted_person_ids: frozenset[int] = frozenset()
) -> ReadScope:
    """The records of ``kind`` the caller may read (``escorted_person_ids``: the protectees of the
    movements escorted by the caller's organisation's units, which host security sees)."""
    if caller.org_kind == "host_security" and kind in _HOST_SEES_ALL:
        return ReadScope(everything=True)
    own = frozenset({caller.organization_id})
    if kind is RecordKind.site:
        return ReadScope(organization_ids=own, shared_places=True)
    if kind is not RecordKind.person:
        return ReadScope(organization_ids=own)
    if caller.org_kind == "partner_government":
        return ReadScope(organization_ids=own, nationality=caller.country)
    if caller.org_kind == "host_security" and caller.roles & GUARD_ROLES:
        return ReadScope(organization_ids=own, record_ids=escorted_person_ids)
    return ReadScope(organization_ids=own)


def may_write(caller: Caller, kind: RecordKind, *, owner_organization_id: int) -> bool:
    """Writers change records of their own organisation; escort units belong to host security."""
    if not caller.roles & _WRITERS[kind]:
        return False
    if kind is RecordKind.unit and caller.org_kind != "host_security":
        return False
    return owner_organization_id == caller.organization_id


ALERT_READERS = frozenset({"admin", "coordinator", "duty_officer", "liaison", "auditor"})
ALERT_ACKERS = frozenset({"admin", "coordinator", "duty_officer"})
# Cordon alerts are about host security's cordons: only its duty officers and administrators close them.
CORDON_RESOLVERS = frozenset({"admin", "duty_officer"})


def alert_scope(caller: Caller) -> ReadScope:
    """Whose alerts the caller sees: host security and auditors all, others those their organisation owns
    or is in the audience of (a party of the movements an alert concerns)."""
    if caller.org_kind == "host_security" or "auditor" in caller.roles:
        return ReadScope(everything=True)
    return ReadScope(organization_ids=frozenset({caller.organization_id}))


def may_read_alert(
    caller: Caller, *, organization_id: int | None, audience: frozenset[int] = frozenset()
) -> bool:
    """True when the caller may read an alert owned by ``organization_id`` (None: no owner) and seen by the
    organisations of ``audience``."""
    if not may_read_alerts(caller):
        return False
    scope = alert_scope(caller)
    if scope.everything:
        return True
    return (organization_id is not None and organization_id in scope.organization_ids) or bool(
        audience & scope.organization_ids
    )


# The principal a CAP feed key reads as: its organisation's alerts as that organisation's readers see them
# (never a user's role; it acknowledges nothing and reads no itinerary fact).
FEED_KEY_ROLE = "feed_key"


def may_read_alerts(caller: Caller) -> bool:
    """Readers list alerts (those of their scope); so does a CAP feed key, its organisation's."""
    return bool(caller.roles & (ALERT_READERS | {FEED_KEY_ROLE}))


def may_manage_feed_keys(caller: Caller, *, organization_id: int) -> bool:
    """An organisation's administrators create, list and revoke the keys of its CAP feed."""
    return may_administer_accounts(caller) and caller.organization_id == organization_id


def may_acknowledge_alerts(caller: Caller) -> bool:
    """Administrators, coordinators and duty officers take charge of the alerts they may read."""
    return bool(caller.roles & ALERT_ACKERS)


def may_escalate_alert(caller: Caller) -> bool:
    """Whoever may take charge of an alert they read may also escalate it by hand."""
    return may_acknowledge_alerts(caller)


def may_resolve_alert(caller: Caller, *, kind: str, organization_id: int | None) -> bool:
    """Host security's duty officers and administrators close cordon alerts; other alerts also the
    administrators, coordinators and duty officers of the owner organisation. Never another organisation."""
    if caller.org_kind == "host_security" and caller.roles & CORDON_RESOLVERS:
        return True
    if kind.startswith("cordon_"):
        return False
    return may_acknowledge_alerts(caller) and organization_id == caller.organization_id


def may_reopen_alert(caller: Caller, *, kind: str, organization_id: int | None) -> bool:
    """Whoever may close an alert may open it again (with a reason)."""
    return may_resolve_alert(caller, kind=kind, organization_id=organization_id)


def may_assign_alert(caller: Caller) -> bool:
    """Whoever may take charge of an alert they read may give it to someone to work on."""
    return may_acknowledge_alerts(caller)


def may_be_assigned_alert(
    assignee: Caller, *, organization_id: int | None, audience: frozenset[int] = frozenset()
) -> bool:
    """An alert is given only to someone who reads it and may take charge of it."""
    return may_acknowledge_alerts(assignee) and may_read_alert(
        assignee, organization_id=organization_id, audience=audience
    )


def may_post_alert_progress(caller: Caller) -> bool:
    """Whoever may take charge of an alert they read posts progress on it."""
    return may_acknowledge_alerts(caller)


DRILL_RUNNERS = frozenset({"admin", "duty_officer"})


def may_run_drill(caller: Caller, *, organization_id: int) -> bool:
    """An organisation's administrators and duty officers exercise its alert chain, never another's."""
    return bool(caller.roles & DRILL_RUNNERS) and caller.organization_id == organization_id


# --- alert delivery's directory (rosters, escalation policies, webhook endpoints) -----------------------

DIRECTORY_READERS = frozenset({"admin", "coordinator", "duty_officer"})


def may_read_call_directory(caller: Caller, *, organization_id: int | None) -> bool:
    """An organisation's administrators, coordinators and duty officers read its rosters, policies and
    endpoints; every alert reader reads the joint default policy (``organization_id`` None)."""
    if organization_id is None:
        return may_read_alerts(caller)
    return bool(caller.roles & DIRECTORY_READERS) and caller.organization_id == organization_id


def may_manage_rosters(caller: Caller, *, organization_id: int) -> bool:
    """An organisation's administrators keep its rosters, and so do host security's duty officers theirs."""
    if caller.organization_id != organization_id:
        return False
    return "admin" in caller.roles or (caller.org_kind == "host_security" and "duty_officer" in caller.roles)


def may_manage_call_policies(caller: Caller, *, organization_id: int | None) -> bool:
    """An organisation's administrators write its escalation policies and webhook endpoints; the joint
    default changes only with the arrangement (governance), never through this."""
    return organization_id is not None and may_add_user(caller, organization_id=organization_id)


def may_oversee_deliveries(caller: Caller, *, organization_id: int) -> bool:
    """An organisation's administrators list the deliveries to its people and endpoints and send its dead
    letters again; everyone else reads deliveries only on the alerts they may read."""
    return "admin" in caller.roles and caller.organization_id == organization_id


def needs_roles(roles: frozenset[str]) -> str:
    """The refusal of a caller who holds none of ``roles``, worded the same on every face."""
    return f"this needs one of the roles: {', '.join(sorted(roles))}"


# --- accounts --------------------------------------------------------------------------------------

ACCOUNT_ADMINS = frozenset({"admin"})


def may_administer_accounts(caller: Caller) -> bool:
    """Administrators add organisations and manage the users of their own organisation."""
    return bool(caller.roles & ACCOUNT_ADMINS)


def may_add_user(caller: Caller, *, organization_id: int) -> bool:
    """An administrator adds users to their own organisation only."""
    return may_administer_accounts(caller) and caller.organization_id == organization_id


def may_manage_user(caller: Caller, *, organization_id: int, user_id: int) -> bool:
    """An administrator resets, deactivates, edits the roles and signs out the other users of their own
    organisation; nobody does it to themselves (no self-escalation, no locking the last door)."""
    return may_add_user(caller, organization_id=organization_id) and caller.user_id != user_id


# --- movements -------------------------------------------------------------------------------------
# Who sees and acts on a movement. Who reads its itinerary, and from when, is `access.need_to_know`.

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
