"""The domain's words as the pages show them, in the reader's language.

Each vocabulary (movement statuses, alert kinds, roles, attack types...) takes its members from the
domain's own enums and constants and gives each an English label marked for translation; the catalogs
translate the labels (`locale/*/LC_MESSAGES/vocabulary.po` for the words no page had before). Templates
show a member with ``{{ value | term("movement_status") }}``; a member without a label is shown as it is
stored (``tests/web/test_web_vocabulary.py`` fails until every member has a translated label).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from outrider.access.need_to_know import Relationship
from outrider.accounts.schemas import OrgKind, Role
from outrider.alerts.schemas import Severity
from outrider.cordon.alert_desk import ALERT_ITINERARY_FIELDS
from outrider.cordon.rules import CordonAlert
from outrider.movements.board import BOARD_FIELDS
from outrider.movements.checkin_events import SOS_KIND
from outrider.movements.field import FIELD_FIELDS
from outrider.movements.field_pin_throttle import LOCK_KIND as PIN_LOCK_KIND
from outrider.movements.late_checkins import SUPERSEDED_EVENT
from outrider.movements.lifecycle import Op, Status
from outrider.movements.overdue import Reason
from outrider.movements.schemas import SOS, CheckInStatus
from outrider.movements.service import ITINERARY_FIELDS
from outrider.movements.tracking import DURESS, INCIDENT, OFF_ROUTE, OVERDUE
from outrider.notify.drills import DRILL
from outrider.protocols.compliance import BREACH_ALERT
from outrider.protocols.situation_facts import CORDON_KINDS
from outrider.registry.schemas import SiteKind, VehicleKind
from outrider.risk.parameters import LEVEL_NAMES
from outrider.web.committee_vocabulary import committee_vocabularies
from outrider.web.i18n import N_
from outrider.web.registry_forms import SITE_KINDS, VEHICLE_KINDS
from outrider.web.vocabulary_lists import Vocabulary, intel_vocabularies, protocol_vocabularies, values

Gettext = Callable[[str], str]


@cache
def _default_protocol() -> dict[str, Any]:
    """The protocol shipped with Outrider, as written (its parties and rules are words the catalogs know)."""
    text = files("outrider.protocols").joinpath("data/default.yaml").read_text("utf-8")
    found: dict[str, Any] = yaml.safe_load(text)
    return found


# Alert kinds, as the detectors name them (risk and waivers name theirs where they raise).
ALERT_KINDS: Mapping[str, str] = {
    OVERDUE: N_("movement overdue"),
    OFF_ROUTE: N_("off the planned route"),
    DURESS: N_("duress signal"),
    INCIDENT: N_("incident on the road"),
    "risk_rising": N_("route risk rising"),
    BREACH_ALERT: N_("agreed protocol not followed"),
    "protocol_waiver_withdrawn": N_("waiver withdrawn"),
    "cordon_dwell": N_("vehicle waiting in the outer cordon"),
    "cordon_loiter": N_("vehicle loitering along a planned route"),
    "cordon_reconnaissance": N_("possible hostile reconnaissance"),
    DRILL: N_("alert chain drill"),
    SOS_KIND: N_("SOS from the road"),
    "commitment_overdue": N_("commitment past its deadline"),
    PIN_LOCK_KIND: N_("field PINs locked after wrong PINs"),
}

ALERT_FACTS: Mapping[str, str] = {
    "kind": N_("alert kind"),
    "plate": N_("plate"),
    "at": N_("seen at"),
    "severity": N_("severity"),
    "zone_id": N_("zone"),
    "place": N_("place"),
    "title": N_("title"),
    "evidence": N_("evidence"),
    "commitment_id": N_("commitment"),
    "deadline": N_("deadline"),
    "days_overdue": N_("days overdue"),
    "stage": N_("stage"),
    # a rise of a movement's risk in one party's own view (`risk.party_views`)
    "previous_level": N_("previous level"),
    "level": N_("level"),
    "score": N_("score"),
    "incident_revision": N_("incident set revision"),
}

# The itinerary facts a read is recorded with (who-knew's ``fields``): a movement's read, the board's, the
# phone's, an alert's and a message's (`movements.need_to_know`, `cordon.alert_desk`).
ITINERARY_FIELD: Mapping[str, str] = {
    "route": N_("route"),
    "alternates": N_("alternate routes"),
    "route_length_m": N_("route length"),
    "planned_departure": N_("planned departure"),
    "planned_arrival": N_("planned arrival"),
    "vehicle_ids": N_("vehicles"),
    "vehicles": N_("vehicles"),
    "escort_unit_ids": N_("escort units"),
    "escort_units": N_("escort units"),
    "protected_persons": N_("protected persons"),
    "checkin_interval_min": N_("check-in interval"),
    "checkin_waypoints": N_("check-in points"),
    "departed_at": N_("departure time"),
    "arrived_at": N_("arrival time"),
    "last_checkin_at": N_("last check-in"),
    "next_checkin_due": N_("next check-in due"),
    "overdue_since": N_("overdue since"),
    "due": N_("due time"),
    "due_at": N_("due time"),
    "lat": N_("latitude"),
    "lon": N_("longitude"),
    "position": N_("position"),
    "positions": N_("positions"),
    "origin": N_("origin"),
    "destination": N_("destination"),
    "off_route_m": N_("distance off the route"),
    "note": N_("note from the road"),
}

CHECKIN_STATUS: Mapping[str, str] = {
    CheckInStatus.ok: N_("all well"),
    CheckInStatus.delayed: N_("delayed"),
    CheckInStatus.duress: N_("duress"),
    CheckInStatus.arrived: N_("arrived"),
    SOS: N_("SOS"),  # stored as a check-in's status, never sent as one
}

# A movement's timeline: the events the movements and protocols services write (`movements.service.event`),
# the check-ins (``checkin_<status>``) and the alerts about it (``alert_<kind>``).
_EVENTS: Mapping[str, str] = {
    "planned": N_("planned"),
    "amended": N_("plan amended"),
    "submitted": N_("submitted for approval"),
    Op.approve: N_("approved"),
    Op.reject: N_("rejected"),
    Op.request_changes: N_("changes requested"),
    "escort_assigned": N_("escort assigned"),
    "route_cleared": N_("route cleared"),
    "departed": N_("departed"),
    "arrived": N_("arrived"),
    "overdue": N_("overdue"),
    SUPERSEDED_EVENT: N_("overdue ended by a late check-in"),
    "incident": N_("incident reported"),
    "cancelled": N_("cancelled"),
    "grant": N_("itinerary access granted"),
    "revoke": N_("itinerary access revoked"),
    "protocol_checked": N_("checked against the protocols"),
    "protocol_overridden": N_("protocol rule overridden"),
    "waiver_requested": N_("waiver requested"),
    "waiver_approved": N_("waiver approved"),
    "waiver_withdrawn": N_("waiver withdrawn"),
}
_CHECKIN_EVENTS: Mapping[str, str] = {
    CheckInStatus.ok: N_("check-in: all well"),
    CheckInStatus.delayed: N_("check-in: delayed"),
    CheckInStatus.duress: N_("check-in: duress"),
    CheckInStatus.arrived: N_("check-in: arrived"),
    SOS: N_("SOS"),
}
TIMELINE: Mapping[str, str] = {
    **{str(k): v for k, v in _EVENTS.items()},
    **{f"checkin_{k}": v for k, v in _CHECKIN_EVENTS.items()},
    **{f"alert_{k}": v for k, v in ALERT_KINDS.items()},
}


def _vocabularies() -> dict[str, Vocabulary]:
    found = [
        Vocabulary(
            "movement_status",
            values(Status),
            {
                Status.draft: N_("draft"),
                Status.submitted: N_("submitted"),
                Status.approved: N_("approved"),
                Status.under_way: N_("under way"),
                Status.arrived: N_("arrived"),
                Status.cancelled: N_("cancelled"),
                Status.rejected: N_("rejected"),
                Status.overdue: N_("overdue"),
                Status.incident: N_("incident"),
            },
        ),
        Vocabulary(
            "severity",
            values(Severity),
            {
                Severity.info: N_("info"),
                Severity.warning: N_("warning"),
                Severity.high: N_("high"),
                Severity.critical: N_("critical"),
            },
        ),
        Vocabulary("alert_kind", tuple(sorted({*ALERT_KINDS, *CORDON_KINDS})), ALERT_KINDS),
        # What an alert is about (`alerts.service.raise_about_movement`, the cordon's vehicles, and a rise of
        # a movement's risk in one party's own view, `risk.party_views.SUBJECT`).
        Vocabulary(
            "alert_subject",
            ("movement", "vehicle", DRILL, "movement_view"),
            {
                "movement": N_("movement"),
                "vehicle": N_("vehicle"),
                DRILL: N_("drill"),
                "movement_view": N_("movement, in a party's view"),
            },
        ),
        # The plain facts of a cordon alert's details that its row shows.
        Vocabulary("alert_fact", tuple(f.name for f in fields(CordonAlert)), ALERT_FACTS),
        Vocabulary("checkin_status", (*values(CheckInStatus), SOS), CHECKIN_STATUS),
        Vocabulary(
            "timeline",
            (
                *values(_EVENTS),
                *(f"checkin_{s}" for s in (*CheckInStatus, SOS)),
                *(f"alert_{k}" for k in sorted({*ALERT_KINDS, *CORDON_KINDS})),
            ),
            TIMELINE,
        ),
        Vocabulary(
            "overdue_reason",
            values(Reason),
            {Reason.missed_checkin: N_("missed check-in"), Reason.not_arrived: N_("not arrived in time")},
        ),
        Vocabulary(
            "role",
            values(Role),
            {
                Role.admin: N_("administrator"),
                Role.coordinator: N_("security coordinator"),
                Role.duty_officer: N_("duty officer"),
                Role.liaison: N_("partner liaison"),
                Role.analyst: N_("intelligence analyst"),
                Role.auditor: N_("auditor"),
            },
        ),
        Vocabulary(
            "org_kind",
            values(OrgKind),
            {
                OrgKind.host_security: N_("host security"),
                OrgKind.partner_government: N_("partner government"),
                OrgKind.company: N_("company"),
                OrgKind.other: N_("other"),
            },
        ),
        Vocabulary(
            "relationship",
            values(Relationship),
            {
                Relationship.planner: N_("planned it"),
                Relationship.escort: N_("in its escort"),
                Relationship.area: N_("unit based at its origin or destination"),
                Relationship.liaison: N_("liaison for its nationals"),
                Relationship.approver: N_("decided on its approval"),
                Relationship.grant: N_("granted access"),
            },
        ),
        Vocabulary(
            "itinerary_field",
            tuple(dict.fromkeys((*ITINERARY_FIELDS, *BOARD_FIELDS, *FIELD_FIELDS, *ALERT_ITINERARY_FIELDS))),
            ITINERARY_FIELD,
        ),
        # The channels the audit log records a caller's reads through (`access.policy.Caller.channel`).
        Vocabulary(
            "channel",
            ("api", "cli", "web", "export", "job", "email", "feed"),
            {
                "api": N_("API"),
                "cli": N_("command line"),
                "web": N_("web pages"),
                "export": N_("export"),
                "job": N_("scheduled job"),
                "email": N_("e-mail"),
                "feed": N_("feed"),
            },
        ),
        *intel_vocabularies(),
        *protocol_vocabularies(),
        # The parties of the shipped default protocol (another protocol's parties are its own words).
        Vocabulary(
            "protocol_party",
            tuple(_default_protocol()["parties"]),
            {
                "host-security-force": N_("host security force"),
                "partner-government": N_("partner government"),
            },
        ),
        Vocabulary("risk_level", LEVEL_NAMES, {name: name for name in LEVEL_NAMES}),
        Vocabulary("site_kind", values(SiteKind), SITE_KINDS),
        Vocabulary("vehicle_kind", values(VehicleKind), VEHICLE_KINDS),
        *committee_vocabularies(),
    ]
    return {v.name: v for v in found}


VOCABULARIES: Mapping[str, Vocabulary] = _vocabularies()


def term(gettext: Gettext, vocabulary: str, member: object) -> str:
    """A member of a vocabulary in the reader's language (as stored when it has no label)."""
    if member is None:
        return ""
    label = VOCABULARIES[vocabulary].label(member)
    return gettext(label) if label is not None else str(member)


@cache
def default_rule_titles() -> Mapping[str, str]:
    """The titles of the shipped default protocol's rules, by rule id (the catalogs translate these)."""
    rules = _default_protocol().get("rules") or []
    return {str(r["id"]): str(r["title"]) for r in rules}


def rule_title(gettext: Gettext, title: str | None, rule_id: str) -> str:
    """A rule's title in the reader's language when it is the default protocol's own wording for that rule
    id; any other title is the parties' text and is shown as they wrote it."""
    if title and default_rule_titles().get(rule_id) == title:
        return gettext(title)
    return title or ""


def vocabulary_members(name: str) -> tuple[str, ...]:
    """A vocabulary's members in the domain's order (choices: ``vocabulary_members("role")``)."""
    return VOCABULARIES[name].members


def labels_of(gettext: Gettext, names: Iterable[str]) -> dict[str, dict[str, str]]:
    """Some vocabularies as {member: its label in the reader's language}, for the pages' scripts."""
    return {name: {m: term(gettext, name, m) for m in VOCABULARIES[name].members} for name in names}


def party(gettext: Gettext, label: str) -> str:
    """A party of the arrangement as the movements name it (``partner_government (CN)``), its kind in the
    reader's language."""
    kind, space, country = label.partition(" ")
    return term(gettext, "org_kind", kind) + space + country


def filters(gettext: Gettext) -> dict[str, Callable[..., str]]:
    """The template filters of one language: ``term``, ``rule_title`` and ``party``."""

    def term_filter(member: object, vocabulary: str) -> str:
        return term(gettext, vocabulary, member)

    def rule_title_filter(title: str | None, rule_id: str) -> str:
        return rule_title(gettext, title, rule_id)

    def party_filter(label: str) -> str:
        return party(gettext, label)

    return {"term": term_filter, "rule_title": rule_title_filter, "party": party_filter}
