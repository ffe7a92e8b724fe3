"""Use cases of sharing: mark intelligence, organisations' default markings, export to a partner.

The caller owns the transaction. Every change of a marking and every release goes into the audit chain;
a release names the policy version and each released object with the SHA-256 of what left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts.models import Organization
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.governance import service as governance_service
from outrider.intel import service as intel_service
from outrider.intel.models import IntelActor, IntelEvent, IntelIncident, IntelReport, Marked
from outrider.sharing import markings, policy_store, queries, stix_export
from outrider.sharing import policy as core
from outrider.sharing.markings import Tlp
from outrider.sharing.models import OrgDefault, SharingPolicy

MARKED: dict[str, type[IntelReport | IntelIncident | IntelEvent | IntelActor]] = {
    "report": IntelReport,
    "incident": IntelIncident,
    "event": IntelEvent,
    "actor": IntelActor,
}
MAX_GROUPS, MAX_GROUP_LEN = 20, 64
# How a release left: a bundle (`share export`), a signed feed (`feed write --partner`), a pull.
CHANNELS = ("bundle", "feed", "pull")
Selection = Callable[[Sequence[core.Releasable]], Sequence[core.Releasable]]


def default_marking(session: Session, *, organization_id: int) -> Tlp:
    """The organisation's default marking (TLP:AMBER unless its administrators chose another)."""
    row = session.get(OrgDefault, organization_id)
    return markings.parse(row.marking) if row is not None else markings.DEFAULT


def set_default(
    session: Session, *, caller: Caller, organization_id: int, marking: Tlp, now: datetime
) -> OrgDefault:
    """An administrator sets their own organisation's default marking."""
    if "admin" not in caller.roles or caller.organization_id != organization_id:
        raise Forbidden("only an administrator of the organisation sets its default marking")
    row = session.get(OrgDefault, organization_id)
    before = row.marking if row is not None else markings.DEFAULT.label
    if row is None:
        row = OrgDefault(
            organization_id=organization_id, marking=marking.label, updated_by=caller.user_id, updated_at=now
        )
        session.add(row)
    row.marking, row.updated_by, row.updated_at = marking.label, caller.user_id, now
    session.flush()
    intel_service.audit(
        session,
        caller,
        "sharing.default",
        "organization",
        organization_id,
        now,
        fields=["marking"],
        details={"from": before, "to": marking.label},
    )
    return row


def holder_id(session: Session) -> int:
    """The organisation whose intelligence this is: the founding host-security organisation."""
    founding = governance_service.founding_of(session)
    if founding is None:
        raise Conflict("the joint arrangement has not been founded: nothing is shared before it is")
    return founding.host_org_id


def set_marking(
    session: Session,
    *,
    caller: Caller,
    kind: str,
    object_id: int,
    marking: Tlp,
    ntk_groups: list[str] | None,
    reason: str,
    now: datetime,
) -> dict[str, Any]:
    """An analyst marks a report, incident, event or actor (and its need-to-know groups), saying why."""
    intel_service.require_reviewer(caller)
    model = MARKED.get(kind)
    if model is None:
        raise InvalidInput(f"kind: one of {', '.join(MARKED)}")
    if not reason.strip():
        raise InvalidInput("reason: say why the marking changes")
    row = cast("Marked | None", session.get(model, object_id))
    if row is None:
        raise NotFound(f"{kind} {object_id} not found")
    default = default_marking(session, organization_id=holder_id(session))
    before = {"marking": row.marking or default.label, "ntk_groups": list(row.ntk_groups or [])}
    row.marking = marking.label
    if ntk_groups is not None:
        row.ntk_groups = _groups(ntk_groups)
    session.flush()
    after = {"marking": row.marking, "ntk_groups": list(row.ntk_groups)}
    intel_service.audit(
        session,
        caller,
        "sharing.mark",
        f"intel_{kind}",
        object_id,
        now,
        fields=sorted(after),
        details={"from": before, "to": after, "reason": reason.strip()},
    )
    return {"kind": kind, "id": object_id, **after}


def _groups(groups: list[str]) -> list[str]:
    clean = sorted({g.strip() for g in groups if g.strip()})
    if len(clean) > MAX_GROUPS or any(len(g) > MAX_GROUP_LEN for g in clean):
        raise InvalidInput(f"ntk_groups: at most {MAX_GROUPS} names of at most {MAX_GROUP_LEN} characters")
    return clean


@dataclass(frozen=True, slots=True)
class Export:
    """A release: the bundle, the policy it went out under, and what was withheld."""

    bundle: dict[str, Any]
    policy: SharingPolicy
    released: list[tuple[str, int, str]]  # kind, Outrider id, SHA-256 of the STIX object
    withheld: list[core.Withheld]


def may_export_for(caller: Caller, *, holder: int, partner_org_id: int) -> bool:
    """The holder's analysts export for any partner; a partner's own users read what is released to them."""
    if caller.organization_id == holder:
        return intel_service.may_review(caller)
    return caller.organization_id == partner_org_id


def export(
    session: Session,
    *,
    caller: Caller,
    partner_org_id: int,
    now: datetime,
    channel: str = "bundle",
    select: Selection | None = None,
) -> Export:
    """The STIX 2.1 bundle a partner receives under its agreed policy; the release is audited.

    ``select`` picks, from what the policy released, what this bundle carries (a pull's page); a pull that
    carries nothing is not a release and is not recorded."""
    holder = holder_id(session)
    if not may_export_for(caller, holder=holder, partner_org_id=partner_org_id):
        raise Forbidden("only the host's analysts export, and a partner reads only what is released to it")
    row = policy_store.agreed(session, partner_org_id=partner_org_id)
    if row is None or any(
        a.get("payload_hash") != policy_store.stored_hash(row) for a in row.approvals.values()
    ):
        raise Forbidden("no release policy agreed by both founding parties for this partner: nothing leaves")
    sender, receiver = (_party(session, i) for i in (holder, partner_org_id))
    default = default_marking(session, organization_id=holder)
    objects = queries.releasables(session, default=default, partner_org_id=partner_org_id)
    out = core.release(objects, policy_store.terms(row))
    chosen = list(out.released if select is None else select(out.released))
    known = queries.stix_ids(session)  # what came from a partner keeps its STIX id
    built = stix_export.build(chosen, sender=sender, receiver=receiver, known=known)
    by_id = {o["id"]: o for o in built.bundle["objects"]}
    dropped = {(w.kind, w.id) for w in built.dropped}
    released = []
    for obj in chosen:
        if (obj.kind, obj.id) in dropped:
            continue
        stix = by_id[stix_export.object_id(obj.kind, obj.id, known)]
        released.append((obj.kind, obj.id, stix_export.object_hash(stix)))
    withheld = out.withheld + built.dropped
    if released or channel != "pull":
        policy_store.audit(
            session,
            caller,
            "release",
            row.id,
            now,
            partner=partner_org_id,
            version=row.version,
            channel=channel,
            bundle=built.bundle["id"],
            objects=[list(r) for r in released],
            withheld=len(withheld),
        )
    return Export(built.bundle, row, released, withheld)


def _party(session: Session, organization_id: int) -> stix_export.Party:
    org = session.get_one(Organization, organization_id)
    return stix_export.Party(org.id, org.name, org.created_at)
