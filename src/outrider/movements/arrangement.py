"""The joint arrangement: who approves which movements, who assigns escorts, how alerts escalate."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from outrider.movements.lifecycle import Party


class ApprovalScope(StrEnum):
    """When an approval rule applies."""

    always = "always"
    nationals = "nationals"  # the movement carries protected persons of the party's country


class ApprovalRule(BaseModel):
    """One party kind that must approve, and when."""

    model_config = ConfigDict(extra="forbid")

    org_kind: str = Field(pattern="^(host_security|partner_government|company|other)$")
    scope: ApprovalScope = ApprovalScope.always


class EscalationStep(BaseModel):
    """Minutes after a movement fell overdue, the level the alert reaches and who is then concerned."""

    model_config = ConfigDict(extra="forbid")

    after_minutes: int = Field(ge=0, le=24 * 60)
    level: int = Field(ge=1, le=10)
    roles: list[str] = Field(min_length=1)


class Arrangement(BaseModel):
    """The joint arrangement's rules for movements (a versioned, stored document)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(default="Joint arrangement", max_length=200)
    approvals: list[ApprovalRule] = Field(
        default_factory=lambda: [
            ApprovalRule(org_kind="host_security"),
            ApprovalRule(org_kind="partner_government", scope=ApprovalScope.nationals),
        ],
        min_length=1,
    )
    escort_assigners: list[str] = Field(default_factory=lambda: ["host_security"], min_length=1)
    escort_required: bool = True
    allow_self_approval: bool = False
    checkin_interval_max_minutes: int = Field(default=60, ge=5, le=24 * 60)
    overdue_grace_minutes: int = Field(default=10, ge=0, le=24 * 60)
    off_route_distance_m: float = Field(default=1000.0, gt=0, le=100_000)
    itinerary_release_hours: float = Field(default=24.0, ge=0, le=24 * 30)
    night_start_hour: int = Field(default=19, ge=0, le=23, description="local hour the night window opens")
    night_end_hour: int = Field(default=6, ge=0, le=23, description="local hour the night window closes")
    escalation: list[EscalationStep] = Field(
        default_factory=lambda: [
            EscalationStep(after_minutes=0, level=1, roles=["duty_officer"]),
            EscalationStep(after_minutes=15, level=2, roles=["duty_officer", "coordinator", "liaison"]),
            EscalationStep(after_minutes=30, level=3, roles=["admin"]),
        ],
        min_length=1,
    )

    def in_night_window(self, when: datetime, timezone: str) -> bool:
        """True when the local hour at ``when`` lies in the night window (which may wrap midnight)."""
        hour = when.astimezone(ZoneInfo(timezone)).hour
        start, end = self.night_start_hour, self.night_end_hour
        return (start <= hour or hour < end) if start > end else (start <= hour < end)

    @model_validator(mode="after")
    def _ordered_escalation(self) -> Arrangement:
        steps = self.escalation
        for a, b in itertools.pairwise(steps):
            if not (a.after_minutes < b.after_minutes and a.level < b.level):
                raise ValueError("escalation steps must rise in both after_minutes and level")
        if "host_security" not in self.escort_assigners:
            raise ValueError("host_security must be among the escort assigners: it commands the units")
        return self


def required_parties(
    arrangement: Arrangement,
    *,
    nationalities: Iterable[str],
    partner_countries: Iterable[str],
) -> frozenset[Party]:
    """The parties that must approve a movement with these protected persons.

    ``partner_countries`` are the countries of the partner governments registered in the system: a
    nationals-scoped rule names each partner whose nationals travel.
    """
    nationals = {n.upper() for n in nationalities}
    partners = {c.upper() for c in partner_countries}
    parties: set[Party] = set()
    for rule in arrangement.approvals:
        if rule.scope is ApprovalScope.always:
            parties.add(Party(rule.org_kind))
        else:
            parties.update(Party(rule.org_kind, country) for country in sorted(nationals & partners))
    return frozenset(parties)


def escalation_level(arrangement: Arrangement, minutes_overdue: float) -> EscalationStep:
    """The escalation step reached after this many minutes overdue."""
    reached = arrangement.escalation[0]
    for step in arrangement.escalation:
        if minutes_overdue >= step.after_minutes:
            reached = step
    return reached
