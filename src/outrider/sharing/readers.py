"""Use case: marked intelligence as one reader may see it, and where each item came from.

``scope_of`` works out once per request what the caller's organisation may read (``sharing.reading``: the
holder everything, others up to `TLP:AMBER` or their agreed policy, a partner's `TLP:AMBER+STRICT` within the
receiving organisation); the faces of intelligence and the committee ask it whether a row may be shown,
for the SQL condition that keeps a list to what may, and for an item's provenance (ours, or imported from
a partner: its STIX id, bundle and modified time, with its marking). An item the reader may not read is
answered as absent (404), as intelligence answers any id it does not have.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import String, and_, cast, false, or_, select, true
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts.models import Organization
from outrider.errors import NotFound
from outrider.governance import service as governance_service
from outrider.intel.models import IntelEvent, IntelIncident, IntelReport, Marked
from outrider.intel.schemas import Provenance
from outrider.sharing import markings, policy_store, reading, service
from outrider.sharing.markings import Tlp

EVERYONE = reading.Reader(holder=True, ceiling=Tlp.red)
M = TypeVar("M", bound=BaseModel)


@dataclass
class Scope:
    """What one caller may read of the holder's intelligence, and the holder's default marking."""

    who: reading.Reader
    default: Tlp
    org_id: int | None = None  # the reader's organisation: what it sent a partner it reads back
    _orgs: dict[int, str | None] = field(default_factory=dict)

    def marking(self, row: Marked) -> Tlp:
        """The row's marking: its own, else the holder's default."""
        return markings.parse(row.marking) if row.marking else self.default

    def refusal(self, row: Any) -> str | None:
        """Why the caller may not read this report, incident, event or actor (None when they may)."""
        groups = frozenset(row.ntk_groups or ())
        imported = row.source_org_id not in (None, self.org_id)
        return reading.refusal(self.marking(row), groups, imported=imported, who=self.who)

    def require(self, row: Any, noun: str) -> None:
        """404 for a row the caller may not read, in the words intelligence uses for an id it lacks."""
        if self.refusal(row) is not None:
            raise NotFound(f"no {noun} {row.id}")

    def visible(self, model: Any) -> Any:
        """The SQL condition keeping a query of ``model`` to the rows the caller reads (None: all)."""
        if self.who.holder:
            return None
        return and_(
            self._marked(model, imported=False),
            or_(
                model.source_org_id.is_(None),
                model.source_org_id == self.org_id,
                self._marked(model, imported=True),
            ),
            self._grouped(model),
        )

    def visible_incidents(self) -> Any:
        """The condition on incidents: the incident and its report (whose text its evidence quotes)."""
        if self.who.holder:
            return None
        reports = select(IntelReport.id).where(self.visible(IntelReport))
        return and_(self.visible(IntelIncident), IntelIncident.report_id.in_(reports))

    def require_incident(self, incident: IntelIncident, report: IntelReport) -> None:
        """404 for an incident the caller may not read, or whose report they may not."""
        if self.refusal(incident) is not None or self.refusal(report) is not None:
            raise NotFound(f"no incident {incident.id}")

    def shown(self, session: Session, model: type[M], row: Any, **extra: Any) -> M:
        """The read model of a row the caller reads, with its provenance (and any ``extra`` values)."""
        return model.model_validate(row).model_copy(
            update={"provenance": self.provenance(session, row), **extra}
        )

    def _marked(self, model: Any, *, imported: bool) -> Any:
        labels = reading.readable_labels(self.who, imported=imported)
        unmarked = true() if self.default.label in labels else false()
        return or_(model.marking.in_(labels), and_(model.marking.is_(None), unmarked))

    def _grouped(self, model: Any) -> Any:
        # need-to-know groups are a JSON list stored as its text on both databases ("[]" when none)
        text = cast(model.ntk_groups, String)
        shared = [text.contains(json.dumps(g), autoescape=True) for g in sorted(self.who.groups)]
        return or_(model.ntk_groups.is_(None), text.in_(["[]", ""]), *shared)

    def withheld_events(self, session: Session) -> frozenset[int] | None:
        """The ids of the events the caller may not read (None when it reads every one): what risk leaves
        out of the scores, surfaces and alerts it shows this reader. Only rows that differ from an
        unmarked event of ours are looked at when such an event may be read (the usual case)."""
        if self.who.holder:
            return None
        columns = select(IntelEvent.id, IntelEvent.marking, IntelEvent.ntk_groups, IntelEvent.source_org_id)
        plain = reading.refusal(self.default, frozenset(), imported=False, who=self.who) is None
        if plain:
            columns = columns.where(
                or_(
                    IntelEvent.marking.is_not(None),
                    IntelEvent.source_org_id.is_not(None),
                    cast(IntelEvent.ntk_groups, String).not_in(["[]", "", "null"]),
                )
            )
        return frozenset(row.id for row in session.execute(columns) if self.refusal(row) is not None)

    def provenance(self, session: Session, row: Any) -> Provenance:
        """Where the row came from and how it is marked (only for a row the caller reads)."""
        org_id = row.source_org_id
        if org_id is not None and org_id not in self._orgs:
            org = session.get(Organization, org_id)
            self._orgs[org_id] = org.name if org is not None else None
        groups = sorted(row.ntk_groups or ())
        return Provenance(
            origin="imported" if org_id is not None else "ours",
            source_org_id=org_id,
            source_org=self._orgs.get(org_id) if org_id is not None else None,
            stix_id=row.stix_id if org_id is not None else None,
            bundle_id=row.bundle_id if org_id is not None else None,
            stix_modified=row.stix_modified if org_id is not None else None,
            marking=self.marking(row).label,
            marked_here=row.marking is not None,
            ntk_groups=groups if self.who.holder else [g for g in groups if g in self.who.groups],
        )


def holder_of(session: Session) -> int | None:
    """The organisation whose intelligence this is (the founding host-security one), if founded."""
    founding = governance_service.founding_of(session)
    return founding.host_org_id if founding is not None else None


def scope_of(session: Session, caller: Caller) -> Scope:
    """What the caller's organisation reads."""
    return scope_for(session, caller.organization_id)


def scope_for(session: Session, organization_id: int) -> Scope:
    """What the users of an organisation read. Before the arrangement is founded nothing can be marked or
    imported (marking and importing need the holder), so every reader reads all of it then."""
    holder = holder_of(session)
    if holder is None:
        return Scope(EVERYONE, markings.DEFAULT)
    default = service.default_marking(session, organization_id=holder)
    if organization_id == holder:
        return Scope(reading.reader(holder=True), default, organization_id)
    policy = policy_store.agreed(session, partner_org_id=organization_id)
    if policy is None or any(
        a.get("payload_hash") != policy_store.stored_hash(policy) for a in policy.approvals.values()
    ):
        return Scope(reading.reader(holder=False), default, organization_id)
    terms = policy_store.terms(policy)
    who = reading.reader(holder=False, policy_max=terms.max_marking, policy_groups=terms.ntk_groups)
    return Scope(who, default, organization_id)


def withheld_events(session: Session, organization_id: int) -> frozenset[int] | None:
    """The ids of the events an organisation's users may not read (None: they read every one)."""
    return scope_for(session, organization_id).withheld_events(session)
