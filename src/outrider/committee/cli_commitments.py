"""`outrider commitments`: record commitments, move them along the ladder, assess, add evidence, and decide
the proposals read from the news."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from outrider.committee import assessments, commitments, evidence, proposals
from outrider.committee import schemas_commitments as s
from outrider.committee.commitments import Filters
from outrider.committee.ladder import Kind, Party, Stage
from outrider.console import AsOpt, JsonOpt, emit, friendly, out, print_table, session_as
from outrider.db import utcnow
from outrider.inputs import MAX_ID

app = typer.Typer(
    help="Commitments of the joint committee: the ladder, each party's assessment, evidence, news.",
    no_args_is_help=True,
)
IdArg = Annotated[int, typer.Argument(help="the commitment", min=1, max=MAX_ID)]
ProposalArg = Annotated[int, typer.Argument(help="the proposal", min=1, max=MAX_ID)]
DayOpt = Annotated[str, typer.Option("--date", help="the day of what is recorded, YYYY-MM-DD")]
TitleOpt = Annotated[str, typer.Option("--title", help="what the entry is, in a line")]
SourceOpt = Annotated[str, typer.Option("--source", help="where it comes from: a text or a URL")]
RefOpt = Annotated[
    str | None, typer.Option("--ref", help="the meeting or report id; a compliance report: its protocol's id")
]
COLUMNS = ["id", "kind", "stage", "status", "deadline", "overdue", "promisor", "beneficiary", "title"]


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{option}: not a YYYY-MM-DD date: {value!r}") from None


@app.command("list")
@friendly
def list_cmd(
    status: Annotated[s.Status | None, typer.Option(help="open or closed")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="only those past their deadline")] = False,
    kind: Annotated[Kind | None, typer.Option(help="only this kind")] = None,
    party: Annotated[Party | None, typer.Option(help="only those this party promised or receives")] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Commitments, nearest deadline first."""
    now = utcnow()
    with session_as(as_user) as (session, caller):
        found = Filters(status, True if overdue else None, kind, party)
        rows = [
            commitments.commitment_read(session, r, now=now)
            for r in commitments.list_commitments(session, caller=caller, filters=found, now=now)
        ]
    emit(rows, as_json, lambda: print_table(rows, COLUMNS, title="Commitments"))


@app.command("show")
@friendly
def show_cmd(commitment_id: IdArg, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """A commitment, both parties' latest assessments side by side, and its timeline."""
    with session_as(as_user) as (session, caller):
        t = commitments.timeline(session, caller=caller, commitment_id=commitment_id, now=utcnow())
    emit(t, as_json, lambda: _print(t))


def _print(t: s.Timeline) -> None:
    c = t.commitment
    late = " OVERDUE" if c.overdue else ""
    out.print(
        f"commitment {c.id}: {c.title} ({c.kind.value}, {c.stage.value}, {c.status.value}{late})",
        highlight=False,
    )
    out.print(
        f"  {c.promisor or 'joint'} -> {c.beneficiary or 'joint'}; deadline {c.deadline or '-'}",
        highlight=False,
    )
    for party, a in (("host", c.assessments.host), ("partner", c.assessments.partner)):
        seen = f"{a.score} ({a.meaning}) {a.note}" if a else "not assessed"
        out.print(f"  {party} assesses: {seen}", highlight=False)
    if c.assessments.disagree:
        out.print("  the parties disagree", highlight=False)
    for e in t.entries:
        if e.evidence:
            v = e.evidence
            moved = f" [{v.stage_from or '-'} -> {v.stage_to}]" if v.stage_to else ""
            out.print(f"  {v.date} {v.kind.value}: {v.title}{moved} {v.reason}", highlight=False)
        elif e.assessment:
            a = e.assessment
            out.print(f"  {a.at.date()} assessment by {a.party.value}: {a.score} {a.note}", highlight=False)


@app.command("create")
@friendly
def create_cmd(
    title: Annotated[str, typer.Option(help="the commitment in a line")],
    kind: Annotated[Kind, typer.Option(help="what is promised")],
    promisor: Annotated[Party | None, typer.Option(help="the party that provides (none: joint)")] = None,
    beneficiary: Annotated[Party | None, typer.Option(help="the party that receives (none: joint)")] = None,
    what: Annotated[str, typer.Option("--object", help="what is promised")] = "",
    amount: Annotated[
        float | None, typer.Option(help="an amount (with --currency) or a count (--unit)")
    ] = None,
    currency: Annotated[str | None, typer.Option(help="ISO 4217 code")] = None,
    unit: Annotated[str | None, typer.Option(help='what is counted, e.g. "officers trained"')] = None,
    group: Annotated[str | None, typer.Option(help="the group acted against")] = None,
    stage: Annotated[Stage, typer.Option(help="its stage now")] = Stage.announced,
    deadline: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    host_owner_id: Annotated[int | None, typer.Option(help="the host's owner (user id)")] = None,
    partner_owner_id: Annotated[int | None, typer.Option(help="the partner's owner (user id)")] = None,
    source: SourceOpt = "",
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Record a commitment."""
    values: dict[str, Any] = {
        "title": title,
        "kind": kind,
        "promisor": promisor,
        "beneficiary": beneficiary,
        "object": what,
        "amount": amount,
        "currency": currency,
        "unit": unit,
        "group": group,
        "stage": stage,
        "deadline": deadline,
        "host_owner_id": host_owner_id,
        "partner_owner_id": partner_owner_id,
        "source": source,
    }
    data = s.CommitmentCreate.model_validate(values)
    now = utcnow()
    with session_as(as_user) as (session, caller):
        read = commitments.commitment_read(
            session, commitments.create_commitment(session, caller=caller, data=data, now=now), now=now
        )
    emit(read, as_json, f"commitment {read.id} recorded at the stage {read.stage.value}")


@app.command("stage")
@friendly
def stage_cmd(
    commitment_id: IdArg,
    stage: Annotated[Stage, typer.Argument(help="the new stage")],
    day: DayOpt,
    title: TitleOpt,
    reason: Annotated[str, typer.Option(help="why (needed to go back or to not_fulfilled)")] = "",
    evidence_kind: Annotated[
        s.EvidenceKind, typer.Option(help="what the move rests on")
    ] = s.EvidenceKind.note,
    source: SourceOpt = "",
    ref: RefOpt = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Move a commitment to a new stage on dated evidence."""
    data = s.StageMove(
        stage=stage,
        reason=reason,
        date=_day(day, "--date"),
        title=title,
        evidence_kind=evidence_kind,
        source=source,
        ref=ref,
    )
    with session_as(as_user) as (session, caller):
        entry = commitments.move_stage(
            session, caller=caller, commitment_id=commitment_id, data=data, now=utcnow()
        )
        read = s.EvidenceRead.model_validate(entry)
    emit(read, as_json, f"commitment {commitment_id}: {read.stage_from} -> {read.stage_to} (entry {read.id})")


@app.command("change")
@friendly
def change_cmd(
    commitment_id: IdArg,
    reason: Annotated[str, typer.Option(help="why, kept in the timeline")],
    deadline: Annotated[
        str | None, typer.Option(help="the new deadline, YYYY-MM-DD ('none' clears it)")
    ] = None,
    host_owner_id: Annotated[int | None, typer.Option(help="the host's new owner (user id)")] = None,
    partner_owner_id: Annotated[int | None, typer.Option(help="the partner's new owner (user id)")] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Move the deadline or change an owner."""
    values: dict[str, Any] = {"reason": reason}
    if deadline is not None:
        values["deadline"] = None if deadline.lower() == "none" else deadline
    for name, value in (("host_owner_id", host_owner_id), ("partner_owner_id", partner_owner_id)):
        if value is not None:
            values[name] = value
    data = s.CommitmentChange.model_validate(values)
    with session_as(as_user) as (session, caller):
        entry = commitments.change(
            session, caller=caller, commitment_id=commitment_id, data=data, now=utcnow()
        )
        read = s.EvidenceRead.model_validate(entry)
    emit(read, as_json, f"commitment {commitment_id} changed: {read.changes}")


@app.command("assess")
@friendly
def assess_cmd(
    commitment_id: IdArg,
    party: Annotated[Party, typer.Option(help="the party you assess for (your own)")],
    score: Annotated[int, typer.Option(min=0, max=3, help="0 not started, 1 begun, 2 largely done, 3 done")],
    note: Annotated[str, typer.Option(help="what the score rests on")] = "",
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Your party's assessment of the implementation."""
    data = s.AssessmentCreate(party=party, score=score, note=note)
    with session_as(as_user) as (session, caller):
        row = assessments.assess(session, caller=caller, commitment_id=commitment_id, data=data, now=utcnow())
        read = assessments.assessment_read(row)
    emit(read, as_json, f"commitment {commitment_id}: {party.value} assesses {read.score} ({read.meaning})")


@app.command("evidence")
@friendly
def evidence_cmd(
    commitment_id: IdArg,
    kind: Annotated[s.EvidenceKind, typer.Option(help="what the entry rests on")],
    day: DayOpt,
    title: TitleOpt,
    source: SourceOpt = "",
    ref: RefOpt = None,
    sha256: Annotated[str | None, typer.Option(help="a document held elsewhere, by its SHA-256")] = None,
    file: Annotated[
        Path | None, typer.Option(help="a document to record by its SHA-256", exists=True, dir_okay=False)
    ] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Add a dated, sourced entry to a commitment's timeline."""
    document = evidence.Document(file.name, file.read_bytes()) if file else None
    when = _day(day, "--date")
    with session_as(as_user) as (session, caller):
        entry = evidence.add_evidence(
            session,
            caller=caller,
            commitment_id=commitment_id,
            kind=kind,
            date=when,
            title=title,
            source=source,
            ref=ref,
            sha256=sha256,
            now=utcnow(),
            document=document,
        )
        read = s.EvidenceRead.model_validate(entry)
    digest = f", SHA-256 {read.sha256}" if read.sha256 else ""
    emit(read, as_json, f"commitment {commitment_id}: entry {read.id} ({read.kind.value}{digest})")


PROPOSAL_COLUMNS = [
    "id",
    "report_id",
    "kind",
    "stage",
    "marking",
    "state",
    "link_key",
    "suggested_commitment_id",
]


@app.command("proposals")
@friendly
def proposals_cmd(
    state: Annotated[s.ProposalState | None, typer.Option(help="only proposals in this state")] = None,
    report_id: Annotated[int | None, typer.Option(help="only those of this report")] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Cooperation records proposed from the news."""
    with session_as(as_user) as (session, caller):
        found = proposals.list_proposals(session, caller=caller, state=state, report_id=report_id)
        rows = proposals.proposal_reads(session, caller, found)
    emit(rows, as_json, lambda: print_table(rows, PROPOSAL_COLUMNS, title="Proposals from the news"))


@app.command("propose")
@friendly
def propose_cmd(
    report_id: Annotated[int, typer.Argument(help="the stored intelligence report", min=1, max=MAX_ID)],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Read a stored report for cooperation (once per report)."""
    with session_as(as_user) as (session, caller):
        made = proposals.propose_from_report(session, caller=caller, report_id=report_id, now=utcnow())
        rows = proposals.proposal_reads(session, caller, made)
    emit(rows, as_json, lambda: print_table(rows, PROPOSAL_COLUMNS, title=f"Proposals of report {report_id}"))


@app.command("accept")
@friendly
def accept_cmd(
    proposal_id: ProposalArg,
    into: Annotated[
        int | None, typer.Option("--into", help="an existing commitment (default: a new one)")
    ] = None,
    title: Annotated[str | None, typer.Option(help="the new commitment's title")] = None,
    move: Annotated[bool, typer.Option("--move/--no-move", help="move the existing one forward")] = True,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Accept a proposal into a new commitment or an existing commitment's timeline (the secretariat)."""
    data = s.ProposalAccept(commitment_id=into, title=title, move_stage=move)
    with session_as(as_user) as (session, caller):
        row = proposals.accept(session, caller=caller, proposal_id=proposal_id, data=data, now=utcnow())
        read = proposals.proposal_read(session, row, caller=caller)
    emit(read, as_json, f"proposal {proposal_id} accepted into commitment {read.commitment_id}")


@app.command("reject")
@friendly
def reject_cmd(
    proposal_id: ProposalArg,
    reason: Annotated[str, typer.Option(help="why it is not a commitment to follow")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Reject a proposal with a reason (the secretariat)."""
    data = s.ProposalReject(reason=reason)
    with session_as(as_user) as (session, caller):
        row = proposals.reject(
            session, caller=caller, proposal_id=proposal_id, reason=data.reason, now=utcnow()
        )
        read = proposals.proposal_read(session, row, caller=caller)
    emit(read, as_json, f"proposal {proposal_id} rejected")
