"""`outrider governance`: found the joint arrangement, propose changes, approve, reject, withdraw."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts import service as accounts_service
from outrider.console import (
    AsOpt,
    JsonOpt,
    emit,
    fail,
    friendly,
    out,
    print_table,
    read_json_file,
    session_as,
)
from outrider.db import transaction, utcnow
from outrider.governance import rules, service
from outrider.governance import schemas as s
from outrider.governance.models import Proposal
from outrider.governance.rules import MAX_TTL_DAYS, Kind, State
from outrider.protocols import keys, signing_keys
from outrider.protocols import service as protocols_service
from outrider.protocols.loader import load_protocol

app = typer.Typer(
    help="Joint governance: the founding parties, and proposals both must approve.", no_args_is_help=True
)
ProposalArg = Annotated[int, typer.Argument(help="the proposal", min=1, max=s.BIG)]
DaysOpt = Annotated[int, typer.Option("--days", min=1, max=MAX_TTL_DAYS, help="days the proposal stays open")]
propose_app = typer.Typer(help="Propose a change; it takes effect when both founding parties approve.")
app.add_typer(propose_app, name="propose")


@app.command("found")
@friendly
def found(
    host: Annotated[str, typer.Option("--host", help="the host-security organisation (id or name)")],
    partner: Annotated[str, typer.Option("--partner", help="the partner government (id or name)")],
    comment: Annotated[str, typer.Option(help="a note kept with the founding")] = "",
    as_json: bool = JsonOpt,
) -> None:
    """Name the founding parties (operator, once, on a fresh deployment)."""
    with transaction() as session:
        service.found(session, host_ref=host, partner_ref=partner, comment=comment, now=utcnow())
        read = service.founding_read(session)
    emit(
        read,
        as_json,
        f"founded: host {read.host_name} ({read.host_org_id}), "
        f"partner {read.partner_name} ({read.partner_org_id})",
    )


@app.command("show")
@friendly
def show(as_json: bool = JsonOpt) -> None:
    """The founding parties and the partner governments recognised since."""
    with transaction() as session:
        read = service.founding_read(session)
    emit(
        read,
        as_json,
        f"founding parties: host {read.host_name} ({read.host_org_id}), partner {read.partner_name} "
        f"({read.partner_org_id}, {read.partner_country}); recognised partners {read.recognised_partner_ids}"
        if read.founded
        else "the joint arrangement has not been founded: outrider governance found --host ORG --partner ORG",
    )


@app.command("proposals")
@friendly
def proposals(
    proposal_id: Annotated[
        int | None, typer.Argument(help="show this proposal in full", min=1, max=s.BIG)
    ] = None,
    state: Annotated[State | None, typer.Option(help="only proposals in this state")] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List proposals, or show one with its payload, hash and decisions."""
    now = utcnow()
    with session_as(as_user) as (session, caller):
        if proposal_id is not None:
            one = service.proposal_read(
                service.get_proposal(session, caller=caller, proposal_id=proposal_id), now=now
            )
            rows = [one]
        else:
            rows = [
                service.proposal_read(r, now=now)
                for r in service.list_proposals(session, caller=caller, state=state, now=now)
            ]
    if proposal_id is not None:
        emit(rows[0], as_json, lambda: _print(rows[0]))
        return
    columns = ["id", "kind", "state", "proposer_party", "awaiting", "expires_at"]
    emit(rows, as_json, lambda: print_table(rows, columns, title="Proposals"))


def _print(read: s.ProposalRead) -> None:
    out.print(
        f"proposal {read.id} ({read.kind.value}) {read.state.value}, by the {read.proposer_party} party"
    )
    out.print(f"  payload hash {read.payload_hash}", highlight=False)
    out.print(json.dumps(read.payload, indent=2, ensure_ascii=False), highlight=False)
    for d in read.decisions:
        valid = "" if d.valid else " (void: the payload changed)"
        out.print(f"  {d.party}: {d.decision} by user {d.user_id} at {d.at.isoformat()}{valid}")
    if read.awaiting:
        out.print(f"  awaiting: {', '.join(read.awaiting)}")


def _act(
    as_user: str | None,
    as_json: bool,
    act: Callable[..., Proposal],
    line: Callable[[s.ProposalRead], str] | None = None,
) -> None:
    """Do one thing to a proposal as the acting user, then print it (as JSON, or as its state)."""
    now = utcnow()
    with session_as(as_user) as (session, caller):
        read = service.proposal_read(act(session, caller=caller, now=now), now=now)
    emit(read, as_json, (line or _state_line)(read))


def _state_line(read: s.ProposalRead) -> str:
    awaiting = f", awaiting {', '.join(read.awaiting)}" if read.awaiting else ""
    return f"proposal {read.id}: {read.state.value}{awaiting}"


def _propose(
    as_user: str | None, kind: Kind, payload: dict[str, Any], comment: str, days: int, as_json: bool
) -> None:
    propose = partial(service.propose, kind=kind, payload=payload, comment=comment, ttl=timedelta(days=days))
    _act(as_user, as_json, propose, lambda r: f"proposal {r.id} opened ({kind.value}); hash {r.payload_hash}")


@propose_app.command("arrangement")
@friendly
def propose_arrangement(
    file: Annotated[Path, typer.Argument(help="the arrangement as JSON", exists=True)],
    comment: str = typer.Option("", "--comment", help="why it changes"),
    days: DaysOpt = 14,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Propose a new version of the joint arrangement."""
    document = read_json_file(file)
    _propose(as_user, Kind.arrangement, {"document": document, "comment": comment}, comment, days, as_json)


@propose_app.command("partner")
@friendly
def propose_partner(
    name: Annotated[str, typer.Argument(help="the partner government's name")],
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2 code of its country")],
    comment: str = typer.Option("", "--comment", help="why"),
    days: DaysOpt = 14,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Propose registering a new partner government (it then approves for its nationals)."""
    _propose(as_user, Kind.partner, {"name": name, "country": country}, comment, days, as_json)


@propose_app.command("auditor")
@friendly
def propose_auditor(
    username: Annotated[str, typer.Argument(help="the user to appoint auditor")],
    comment: str = typer.Option("", "--comment", help="why"),
    days: DaysOpt = 14,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Propose appointing a user auditor (who then reads every organisation's records)."""
    with transaction() as session:
        user_id = accounts_service.find_user(session, username=username).id
    _propose(as_user, Kind.auditor, {"user_id": user_id}, comment, days, as_json)


@propose_app.command("binding")
@friendly
def propose_binding(
    file: Annotated[Path, typer.Argument(help="the protocol document (YAML)", exists=True)],
    party: Annotated[
        list[str], typer.Option("--party", help="PARTY=ORGANISATION (id or name); repeat per party")
    ],
    comment: str = typer.Option("", "--comment", help="why"),
    days: DaysOpt = 14,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Propose binding a protocol version's parties to organisations other than the founding parties."""
    loaded = load_protocol(file.read_text(encoding="utf-8"), protocols_service.FACT_SCHEMA)
    parties: dict[str, int] = {}
    with transaction() as session:
        for pair in party:
            name, sep, org = pair.partition("=")
            if not sep or not name or not org:
                raise fail(f"--party: expected PARTY=ORGANISATION, got {pair!r}", code=2)
            parties[name] = accounts_service.find_organization(session, ref=org).id
    payload = {
        "protocol_id": loaded.document.id,
        "version": loaded.document.version,
        "document_hash": loaded.hash,
        "parties": parties,
    }
    _propose(as_user, Kind.protocol_binding, payload, comment, days, as_json)


@app.command("approve")
@friendly
def approve(
    proposal_id: ProposalArg,
    payload_hash: Annotated[
        str | None, typer.Option("--hash", help="the payload hash you approve (default: the one shown now)")
    ] = None,
    comment: str = typer.Option("", "--comment", help="a note with your approval"),
    key: Annotated[
        Path | None,
        typer.Option(
            "--key",
            help="sign the approval with your private key file (the one you sign protocols with; "
            "passphrase in OUTRIDER_KEY_PASSPHRASE)",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Approve a proposal for your founding party; the last approval enacts it."""
    private = keys.read_private_key(key) if key is not None else None

    def approve_it(session: Session, *, caller: Caller, now: datetime) -> Proposal:
        row = service.get_proposal(session, caller=caller, proposal_id=proposal_id)
        chosen = payload_hash or service.proposal_read(row, now=now).payload_hash
        signed = None
        if private is not None:
            signature = private.sign(rules.approval_message(chosen)).hex()
            public = keys.public_raw(private).hex()
            signed = signing_keys.signed_approval(
                session, caller=caller, public_key=public, signature=signature
            )
        return service.approve(
            session,
            caller=caller,
            proposal_id=proposal_id,
            payload_hash=chosen,
            comment=comment,
            signed=signed,
            now=now,
        )

    _act(as_user, as_json, approve_it)


def _closing(name: str, close: Callable[..., Proposal], summary: str) -> None:
    """Add the command that closes a proposal this way (reject, withdraw): same options, same output."""

    @app.command(name, help=summary)
    @friendly
    def command(
        proposal_id: ProposalArg,
        comment: str = typer.Option("", "--comment", help="why"),
        as_user: str | None = AsOpt,
        as_json: bool = JsonOpt,
    ) -> None:
        _act(as_user, as_json, partial(close, proposal_id=proposal_id, comment=comment))


_closing("reject", service.reject, "Reject a proposal for your founding party.")
_closing("withdraw", service.withdraw, "Withdraw your party's open proposal.")
