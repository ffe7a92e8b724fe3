"""What a vocabulary of the pages is, and the vocabularies of intelligence and of the protocols (the rest
are in `web.vocabulary`, which gathers them all)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, get_args

from outrider.intel.schemas import AttackType, DatePrecision, TargetType, Weapon
from outrider.protocols.document import Phase
from outrider.protocols.document import Severity as RuleSeverity
from outrider.protocols.engine import Outcome
from outrider.protocols.refusals import ACTS
from outrider.web.i18n import N_


@dataclass(frozen=True)
class Vocabulary:
    """The members of one domain vocabulary (as the domain defines them) and their English labels."""

    name: str
    members: tuple[str, ...]
    labels: Mapping[str, str]

    def label(self, member: object) -> str | None:
        """The English label of a member (an enum member or its value), or None when it has none."""
        return self.labels.get(str(member))


def values(members: Iterable[Any]) -> tuple[str, ...]:
    """The members of an enum or a list as their stored values."""
    return tuple(str(m) for m in members)


def intel_vocabularies() -> list[Vocabulary]:
    """Attack types, weapons, target types, date precision, and the analysts' review states and decisions."""
    return [
        Vocabulary(
            "attack_type",
            values(AttackType),
            {
                AttackType.bombing: N_("bombing"),
                AttackType.armed_assault: N_("armed assault"),
                AttackType.assassination: N_("assassination"),
                AttackType.hijacking: N_("hijacking"),
                AttackType.hostage_taking: N_("hostage taking"),
                AttackType.facility_attack: N_("facility attack"),
                AttackType.unarmed_assault: N_("unarmed assault"),
                AttackType.unknown: N_("not known"),
            },
        ),
        Vocabulary(
            "weapon",
            values(Weapon),
            {
                Weapon.vbied: N_("vehicle bomb (VBIED)"),
                Weapon.ied: N_("roadside or planted bomb (IED)"),
                Weapon.suicide_vest: N_("suicide vest"),
                Weapon.firearms: N_("firearms"),
                Weapon.rocket: N_("rocket"),
                Weapon.knife: N_("knife"),
                Weapon.other: N_("other"),
                Weapon.unknown: N_("not known"),
            },
        ),
        Vocabulary(
            "target_type",
            values(TargetType),
            {
                TargetType.foreign_workers: N_("foreign workers"),
                TargetType.diplomatic: N_("diplomats"),
                TargetType.police: N_("police"),
                TargetType.military: N_("military"),
                TargetType.civilians: N_("civilians"),
                TargetType.education: N_("education"),
                TargetType.transport: N_("transport"),
                TargetType.business: N_("business"),
                TargetType.religious: N_("religious places"),
                TargetType.government: N_("government"),
                TargetType.unknown: N_("not known"),
            },
        ),
        Vocabulary(
            "date_precision",
            values(DatePrecision),
            {
                DatePrecision.day: N_("to the day"),
                DatePrecision.month: N_("to the month"),
                DatePrecision.year: N_("to the year"),
                DatePrecision.unknown: N_("date not known"),
            },
        ),
        # How an incident's year was found (`intel.dates.EventDate.basis`, `intel.extract`, the importers).
        Vocabulary(
            "date_basis",
            (
                "text",
                "publication",
                "page-date bound",
                "main event",
                "linked event",
                "dataset",
                "movement report",
            ),
            {
                "text": N_("year written in the text"),
                "publication": N_("from the publication date"),
                "page-date bound": N_("bounded by the page's date"),
                "main event": N_("relative to the main event"),
                "linked event": N_("relative to a linked report's event"),
                "dataset": N_("from the data set"),
                "movement report": N_("reported from a movement"),
            },
        ),
        # The review states of incidents and events (the intelligence API's status filter lists them).
        Vocabulary(
            "review_status",
            ("proposed", "confirmed", "rejected", "merged"),
            {
                "proposed": N_("proposed"),
                "confirmed": N_("confirmed"),
                "rejected": N_("rejected"),
                "merged": N_("merged"),
            },
        ),
        # The analysts' decisions on incidents and events (`intel.review`).
        Vocabulary(
            "review_action",
            ("confirm", "reject", "edit", "edit_event", "merge", "split"),
            {
                "confirm": N_("confirmed"),
                "reject": N_("rejected"),
                "edit": N_("values corrected"),
                "edit_event": N_("event corrected"),
                "merge": N_("events merged"),
                "split": N_("event split"),
            },
        ),
    ]


def protocol_vocabularies() -> list[Vocabulary]:
    """A rule's outcome, severity, phase and fixed messages, and the acts the protocol gate refuses."""
    return [
        Vocabulary(
            "rule_outcome",
            get_args(Outcome),
            {
                "pass": N_("passed"),
                "fail": N_("failed"),
                "error": N_("could not be evaluated"),
                "not_applicable": N_("not applicable"),
            },
        ),
        Vocabulary(
            "rule_severity", get_args(RuleSeverity), {"blocking": N_("blocking"), "warning": N_("warning")}
        ),
        Vocabulary(
            "rule_phase",
            get_args(Phase),
            {
                "plan": N_("planning"),
                "execution": N_("execution"),
                "both": N_("planning and execution"),
                "departure": N_("departure"),
            },
        ),
        # The fixed messages of a rule's result (`protocols.engine`); an error's message is the engine's own.
        Vocabulary("rule_message", ("fact unknown",), {"fact unknown": N_("a fact it reads is not known")}),
        Vocabulary(
            "gate_act",
            tuple(ACTS),
            {
                "approve": N_("approval"),
                "depart": N_("departure"),
                "clear": N_("route clearance"),
                "submit": N_("submission"),
            },
        ),
    ]
