"""Need-to-know for itineraries: who may read a movement's route, times, vehicles and escort, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from outrider.access.policy import PLANNERS, Caller, may_plan

# A movement has a summary (status, organisation, day, origin and destination names) that everyone in
# `policy.movement_scope` sees, and an itinerary (route, exact times, vehicles, escort, check-in
# positions) that only its need-to-know list sees, and only from the release time, except its planners.


class Relationship(StrEnum):
    """Why a principal is on a movement's need-to-know list (drawn by person and unit, never by role)."""

    planner = "planner"  # the user who planned it, or a coordinator or admin of the requesting organisation
    escort = "escort"  # a member of an escort unit assigned to it
    area = "area"  # a member of a unit based at its origin or destination site
    liaison = "liaison"  # liaison of the partner whose nationals travel
    approver = "approver"  # a user who recorded an approval decision on it
    grant = "grant"  # an explicit, unexpired, unrevoked grant


@dataclass(frozen=True, slots=True)
class ItineraryFacts:
    """What the need-to-know decision needs to know about one movement."""

    requesting_org_id: int
    nationalities: frozenset[str]
    escort_member_ids: frozenset[int]  # users serving in the escort units assigned to it
    area_member_ids: frozenset[int]  # users serving in units based at its origin or destination
    departure: datetime
    release_hours: float
    granted_user_ids: frozenset[int]  # grants valid at the moment of the decision
    planner_user_ids: frozenset[int] = frozenset()  # the user who planned it
    approver_user_ids: frozenset[int] = frozenset()  # users who recorded a decision on it


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
    # Whoever may amend the plan must see it: its author and the requesting organisation's planners.
    if caller.user_id in facts.planner_user_ids or (
        caller.organization_id == facts.requesting_org_id and caller.roles & PLANNERS
    ):
        found.add(Relationship.planner)
    # A host organisation's duty officers are many; only the people of the units that do the work know.
    if caller.user_id in facts.escort_member_ids:
        found.add(Relationship.escort)
    if caller.user_id in facts.area_member_ids:
        found.add(Relationship.area)
    if (
        caller.org_kind == "partner_government"
        and "liaison" in caller.roles
        and caller.country in facts.nationalities
    ):
        found.add(Relationship.liaison)
    if caller.user_id in facts.approver_user_ids:
        found.add(Relationship.approver)
    if caller.user_id in facts.granted_user_ids:
        found.add(Relationship.grant)
    return frozenset(found)


def itinerary_access(caller: Caller, facts: ItineraryFacts, *, now: datetime) -> ItineraryDecision:
    """May the caller read the itinerary now? Planners always; the rest of the list from the release time."""
    release_at = facts.departure - timedelta(hours=facts.release_hours)
    return access_of(relationships(caller, facts), release_at=release_at, now=now)


def access_of(rel: frozenset[Relationship], *, release_at: datetime, now: datetime) -> ItineraryDecision:
    """The decision for a caller with these relationships to a movement whose itinerary is released to its
    need-to-know list at ``release_at`` (`itinerary_access` once the relationships are known: a reader's
    relationships to many movements of the same facts are found once, `relationships`)."""
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
