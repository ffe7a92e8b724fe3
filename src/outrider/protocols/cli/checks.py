"""`outrider protocols evaluate | evaluations | report`: movements checked against the protocols."""

from __future__ import annotations

import json
import sys
from functools import partial
from pathlib import Path
from typing import Annotated, Literal

import typer

from outrider.console import AsOpt, JsonOpt, emit, err, fail, friendly, out, session_as
from outrider.db import utcnow
from outrider.protocols import schemas as s
from outrider.protocols.cli.options import MovementArg, on_movement, parse_day
from outrider.protocols.engine import EvalPhase
from outrider.protocols.report import percent

app = typer.Typer()
Lang = Literal["en", "zh-Hans", "ur"]
_MARKS = {"pass": "ok  ", "fail": "FAIL", "error": "ERR ", "not_applicable": "n/a "}


def _print_check(check: s.CheckRead) -> None:
    verdict = "passes" if check.allowed else "BLOCKS approval"
    out.print(f"movement {check.movement_id}, {check.phase} phase, {check.day}: {verdict}; {check.note}")
    for ev in check.evaluations:
        out.print(
            f"  {ev.protocol_id} v{ev.protocol_version} (sha256 {ev.protocol_hash[:16]}…) "
            f"facts sha256 {ev.facts_hash[:16]}…, evaluation {ev.id}",
            highlight=False,
        )
        for r in ev.results:
            waived = " (waived)" if r.rule_id in ev.waived else ""
            facts = "" if r.facts_read is None else " " + json.dumps(r.facts_read, sort_keys=True)
            out.print(
                f"    {_MARKS[r.outcome]} {r.rule_id:<30} {r.severity:<8}{waived}{facts}", highlight=False
            )
    if check.warnings:
        out.print(f"  warnings: {', '.join(check.warnings)}")


@app.command("evaluate")
@friendly
def evaluate_cmd(
    movement: MovementArg,
    phase: Annotated[
        str | None,
        typer.Option(help="plan, departure or execution (default: plan before departure, else execution)"),
    ] = None,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Evaluate a movement against the protocols in force for it now, and store the evaluation."""
    from outrider.protocols import compliance  # the risk kernels: imported when a check runs, not for --help

    phases: dict[str | None, EvalPhase | None] = {
        None: None,
        "plan": "plan",
        "departure": "departure",
        "execution": "execution",
    }
    if phase not in phases:
        raise fail("--phase: plan, departure or execution", code=2)
    chosen = phases[phase]
    check = on_movement(as_user, movement, partial(compliance.evaluate_movement, phase=chosen))
    emit(check, as_json, lambda: _print_check(check))


def _print_evaluations(rows: list[s.EvaluationRead]) -> None:
    for ev in rows:
        state = "passed" if ev.passed else f"failed: {', '.join(ev.blocking)}"
        out.print(
            f"{ev.id} {ev.at.isoformat()} {ev.trigger}/{ev.phase} {ev.protocol_id} v{ev.protocol_version}: "
            f"{state}; warnings: {', '.join(ev.warnings) or '-'}; waived: {', '.join(ev.waived) or '-'}",
            highlight=False,
        )


@app.command("evaluations")
@friendly
def evaluations_cmd(movement: MovementArg, as_json: bool = JsonOpt, as_user: str | None = AsOpt) -> None:
    """A movement's stored evaluations, newest first."""
    from outrider.protocols import compliance

    rows = on_movement(as_user, movement, compliance.evaluations_of)
    emit(rows, as_json, lambda: _print_evaluations(rows))


@app.command("report")
@friendly
def report(
    start: Annotated[str, typer.Option("--from", help="first day, YYYY-MM-DD (UTC)")],
    end: Annotated[str, typer.Option("--to", help="last day, YYYY-MM-DD (UTC), inclusive")],
    fmt: Annotated[str, typer.Option("--format", help="pdf, html, json or csv")] = "json",
    org: Annotated[str | None, typer.Option("--org", help="organisation id or name of the movements")] = None,
    protocol: Annotated[str | None, typer.Option("--protocol", help="protocol id")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write to this file")] = None,
    lang: Annotated[
        Lang, typer.Option("--lang", help="the PDF's and HTML's headings: en, zh-Hans or ur")
    ] = "en",
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """The compliance report of a period: counts, pass rates per rule, violations with evidence, trend."""
    from outrider.protocols import reporting
    from outrider.protocols.report_pdf import rendered  # fpdf: only for a report

    fmt = "json" if as_json else fmt
    if fmt not in ("pdf", "html", "json", "csv"):
        raise fail("--format: pdf, html, json or csv", code=2)
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    with session_as(as_user) as (session, caller):
        data = reporting.compliance_report(
            session,
            caller=caller,
            start=first,
            end=last,
            organization=org,
            protocol_id=protocol,
            now=utcnow(),
        )
    body = rendered(data, fmt, lang=lang)
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
        return
    output.write_bytes(body)
    err.print(
        f"{output}: {data.evaluations} evaluations, {len(data.violations)} violations, "
        f"pass rate {percent(data.pass_rate)}",
        highlight=False,
    )
