"""Markings of the news the committee reads: what a proposal or a timeline entry quotes of a report is
shown only to a reader whose organisation may read that report (``sharing.readers``).

Committee records are joint, so a proposal read from a marked report still shows that it exists (its
kind, stage, state and decision), as a restricted agenda item keeps its title; its record and quoted
sentences are withheld ("withheld: marked TLP:X"). A `news` entry of a commitment's timeline names the
report it rests on: its title and source are withheld alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from outrider.committee import schemas_commitments as s
from outrider.committee.commitment_models import CoopProposal, Evidence
from outrider.governance.rules import Founding
from outrider.intel.models import IntelReport
from outrider.sharing import readers

NEWS = "news"


@dataclass(frozen=True, slots=True)
class Shown:
    """A report's marking and, when the reader may not read it, why (None when they may)."""

    marking: str
    withheld: str | None


def of_report(session: Session, scope: readers.Scope, report_id: int) -> Shown:
    """How a report stands for the reader of ``scope``."""
    report = session.get(IntelReport, report_id)
    if report is None:  # reports are never removed; a dangling id tells nothing
        return Shown(scope.default.label, None)
    return Shown(scope.marking(report).label, scope.refusal(report))


def news_report_id(entry: Evidence | s.EvidenceRead) -> int | None:
    """The report a `news` entry rests on, if it names a stored one."""
    ref = entry.ref or ""
    if str(entry.kind) != NEWS or not ref.isdigit() or len(ref) > 9:
        return None
    return int(ref)


def evidence_read(session: Session, scope: readers.Scope, entry: Evidence) -> s.EvidenceRead:
    """A timeline entry as the reader may see it: a news entry's title and source withheld off the report."""
    read = s.EvidenceRead.model_validate(entry)
    report_id = news_report_id(entry)
    if report_id is None:
        return read
    shown = of_report(session, scope, report_id)
    read.marking = shown.marking
    if shown.withheld is not None:
        read.title, read.source, read.content, read.withheld = shown.withheld, "", None, shown.withheld
    return read


def proposal_shown(session: Session, scope: readers.Scope, row: CoopProposal) -> s.ProposalRead:
    """A proposal as the reader may see it: its record and evidence withheld off its report."""
    read = s.ProposalRead.model_validate(row)
    shown = of_report(session, scope, row.report_id)
    read.marking = shown.marking
    if shown.withheld is not None:
        read.record, read.evidence, read.withheld = {}, [], shown.withheld
    return read


def withheld_from_a_party(session: Session, found: Founding, report: IntelReport) -> bool:
    """Whether either founding party's organisation may not read the report (every member of the
    committee reads a commitment, so text copied from it into one would reach them)."""
    orgs = (found.host_org_id, found.partner_org_id)
    return any(readers.scope_for(session, org).refusal(report) is not None for org in orgs)
