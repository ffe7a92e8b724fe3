"""`outrider share`: release policies both founding parties agree, markings, the STIX export to a partner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from outrider.accounts import service as accounts_service
from outrider.console import AsOpt, JsonOpt, emit, friendly, out, print_table, read_json_file, session_as
from outrider.db import utcnow
from outrider.sharing import cli_feed, cli_ledger, imports, markings, policy_store, service, stix_export
from outrider.sharing import schemas as s

app = typer.Typer(
    help="Sharing: markings, release policies, STIX 2.1 export, signed feeds for an air-gapped hand-over.",
    no_args_is_help=True,
)
policy_app = typer.Typer(
    help="Release policies: what a partner may receive, agreed by both founding parties."
)
app.add_typer(policy_app, name="policy")
app.add_typer(cli_feed.app, name="feed")
app.command("ledger")(cli_ledger.ledger_command)
PolicyArg = Annotated[int, typer.Argument(help="the policy", min=1, max=s.BIG)]
PartnerOpt = Annotated[str, typer.Option("--partner", help="the partner organisation (id or name)")]


@policy_app.command("list")
@friendly
def list_policies(
    partner: Annotated[str | None, typer.Option("--partner", help="only this partner (id or name)")] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """The release policies you may read, by partner and version."""
    with session_as(as_user) as (session, caller):
        org = accounts_service.find_organization(session, ref=partner).id if partner else None
        rows = [
            policy_store.read(r) for r in policy_store.listing(session, caller=caller, partner_org_id=org)
        ]
    columns = ["id", "partner_org_id", "version", "status", "max_marking", "object_types", "awaiting"]
    emit(rows, as_json, lambda: print_table(rows, columns, title="Release policies"))


@policy_app.command("show")
@friendly
def show(policy_id: PolicyArg, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """One release policy: its terms, the hash to approve, each party's approval."""
    with session_as(as_user) as (session, caller):
        read = policy_store.read(policy_store.get(session, caller=caller, policy_id=policy_id))
    emit(read, as_json, lambda: _print(read))


def _print(read: s.PolicyRead) -> None:
    out.print(f"policy {read.id}: partner {read.partner_org_id}, version {read.version}, {read.status}")
    out.print(f"  payload hash {read.payload_hash}", highlight=False)
    terms = read.model_dump(include={"max_marking", "object_types", "fields", "redactions", "ntk_groups"})
    out.print(
        json.dumps(terms | {"anonymise_corroborations": read.anonymise_corroborations}, indent=2),
        highlight=False,
    )
    for party, a in read.approvals.items():
        out.print(f"  {party}: approved by user {a.user_id} at {a.at}")
    if read.awaiting:
        out.print(f"  awaiting: {', '.join(read.awaiting)}")


@policy_app.command("propose")
@friendly
def propose(
    partner: PartnerOpt,
    terms_file: Annotated[
        Path, typer.Argument(help="the terms as JSON: max_marking, object_types, fields, ...")
    ],
    comment: Annotated[str, typer.Option(help="why")] = "",
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Propose the next version of a partner's release policy (founding parties' administrators)."""
    raw = read_json_file(terms_file)
    terms: dict[str, Any] = s.PolicyCreate.model_validate({**raw, "partner_org_id": 1}).model_dump(
        exclude={"partner_org_id", "comment"}
    )
    with session_as(as_user) as (session, caller):
        org = accounts_service.find_organization(session, ref=partner)
        row = policy_store.propose(
            session, caller=caller, partner_org_id=org.id, terms=terms, comment=comment, now=utcnow()
        )
        read = policy_store.read(row)
    emit(
        read,
        as_json,
        f"policy {read.id}: version {read.version} for {org.name}, proposed; hash {read.payload_hash}",
    )


@policy_app.command("approve")
@friendly
def approve(
    policy_id: PolicyArg,
    payload_hash: Annotated[str, typer.Option("--hash", help="the payload hash you approve (policy show)")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Approve a proposed policy for your founding party; the second approval puts it in force."""
    with session_as(as_user) as (session, caller):
        row = policy_store.approve(
            session, caller=caller, policy_id=policy_id, payload_hash=payload_hash, now=utcnow()
        )
        read = policy_store.read(row)
    awaiting = f", awaiting {', '.join(read.awaiting)}" if read.awaiting else ""
    emit(read, as_json, f"policy {read.id}: {read.status}{awaiting}")


@app.command("export")
@friendly
def export(
    partner: PartnerOpt,
    out_file: Annotated[Path, typer.Option("--out", help="write the STIX 2.1 bundle to this file")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Write the STIX 2.1 bundle a partner receives under its agreed policy (the release is audited)."""
    with session_as(as_user) as (session, caller):
        org = accounts_service.find_organization(session, ref=partner)
        done = service.export(session, caller=caller, partner_org_id=org.id, now=utcnow())
    out_file.write_text(stix_export.dumps(done.bundle), encoding="utf-8")
    summary = {
        "bundle": done.bundle["id"],
        "policy_id": done.policy.id,
        "version": done.policy.version,
        "released": len(done.released),
        "withheld": len(done.withheld),
        "file": out_file.name,
    }
    emit(
        summary,
        as_json,
        f"{out_file.name}: {len(done.released)} objects released to {org.name} under "
        f"policy version {done.policy.version}, {len(done.withheld)} withheld",
    )


@app.command("import")
@friendly
def import_bundle(
    bundle_file: Annotated[Path, typer.Argument(help="the partner's STIX 2.1 bundle (JSON)")],
    partner: Annotated[str, typer.Option("--partner", help="the organisation that sent it (id or name)")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Import a partner's STIX 2.1 bundle (the host's analysts): each object accepted, rejected or ignored."""
    bundle = read_json_file(bundle_file)
    with session_as(as_user) as (session, caller):
        org = accounts_service.find_organization(session, ref=partner)
        done = imports.read(
            imports.import_bundle(session, caller=caller, partner_org_id=org.id, bundle=bundle, now=utcnow())
        )
    emit(done, as_json, lambda: cli_feed.print_import(done, f"{bundle_file.name} from {org.name}"))


@app.command("ceiling")
@friendly
def ceiling(
    partner: Annotated[str, typer.Option("--partner", help="the partner organisation (id or name)")],
    marking: Annotated[str, typer.Argument(help=f"one of {', '.join(markings.LABELS)}")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Set the most restricted marking accepted from a partner (the host's administrators)."""
    with session_as(as_user) as (session, caller):
        org = accounts_service.find_organization(session, ref=partner)
        row = imports.set_ceiling(
            session, caller=caller, partner_org_id=org.id, ceiling=markings.parse(marking), now=utcnow()
        )
        read = imports.read_source(row)
    emit(read, as_json, f"{org.name}: objects marked up to {read.ceiling} are accepted")


@app.command("mark")
@friendly
def mark(
    kind: Annotated[s.Kind, typer.Argument(help="report, incident, event or actor")],
    object_id: Annotated[int, typer.Argument(help="its id", min=1, max=s.BIG)],
    marking: Annotated[str, typer.Argument(help=f"one of {', '.join(markings.LABELS)}")],
    reason: Annotated[str, typer.Option("--reason", help="why the marking changes")],
    group: Annotated[list[str] | None, typer.Option("--group", help="a need-to-know group (repeat)")] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Mark a report, incident, event or actor (analysts), saying why; --group sets need-to-know groups."""
    with session_as(as_user) as (session, caller):
        done = service.set_marking(
            session,
            caller=caller,
            kind=kind,
            object_id=object_id,
            marking=markings.parse(marking),
            ntk_groups=group,
            reason=reason,
            now=utcnow(),
        )
    emit(done, as_json, f"{kind} {object_id}: {done['marking']}")


@app.command("default")
@friendly
def default(
    marking: Annotated[str, typer.Argument(help=f"one of {', '.join(markings.LABELS)}")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Set your organisation's default marking (its administrators)."""
    with session_as(as_user) as (session, caller):
        row = service.set_default(
            session,
            caller=caller,
            organization_id=caller.organization_id,
            marking=markings.parse(marking),
            now=utcnow(),
        )
        read = s.DefaultRead(organization_id=row.organization_id, marking=row.marking)
    emit(read, as_json, f"organisation {read.organization_id}: default marking {read.marking}")
