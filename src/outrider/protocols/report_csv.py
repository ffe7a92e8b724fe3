"""The compliance report as one CSV table: a `section` column tells summary, rule, month, violation and
refusal rows apart. Values in, values out; a text a spreadsheet would run as a formula (a movement's
reference, typed by a user) is written as text (`outrider.csv_cells`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from outrider import csv_cells
from outrider.protocols.report import ComplianceReport

CSV_COLUMNS = (
    "section",
    "month",
    "rule_id",
    "severity",
    "evaluations",
    "evaluated",
    "passed",
    "failed",
    "errors",
    "not_applicable",
    "waived",
    "violations",
    "pass_rate",
    "evaluation_id",
    "at",
    "movement_id",
    "movement_reference",
    "protocol_id",
    "protocol_version",
    "protocol_hash",
    "phase",
    "trigger",
    "outcome",
    "facts_hash",
    "facts_read",
    "facts",
)


def to_csv(report: ComplianceReport) -> str:
    """One table: a `section` column tells summary, rule, month, violation and refusal rows apart."""
    return csv_cells.table(CSV_COLUMNS, _rows(report))


def _rows(report: ComplianceReport) -> Iterator[dict[str, Any]]:
    yield {
        "section": "summary",
        "evaluations": report.evaluations,
        "passed": report.passed,
        "failed": report.failed,
        "violations": len(report.violations),
        "pass_rate": report.pass_rate,
        "protocol_id": report.protocol_id or "",
    }
    for r in report.rules:
        yield {
            "section": "rule",
            "rule_id": r.rule_id,
            "severity": r.severity,
            "evaluated": r.evaluated,
            "passed": r.passed,
            "failed": r.failed,
            "errors": r.errors,
            "not_applicable": r.not_applicable,
            "waived": r.waived,
            "pass_rate": r.pass_rate,
        }
    for m in report.months:
        yield {
            "section": "month",
            "month": m.month,
            "evaluations": m.evaluations,
            "passed": m.passed,
            "failed": m.failed,
            "violations": m.violations,
            "pass_rate": m.pass_rate,
        }
    for v in report.violations:
        yield {
            "section": "violation",
            "rule_id": v.rule_id,
            "severity": v.severity,
            "waived": v.waived,
            "evaluation_id": v.evaluation_id,
            "at": v.at.isoformat(),
            "movement_id": v.movement_id,
            "movement_reference": v.movement_reference,
            "protocol_id": v.protocol_id,
            "protocol_version": v.protocol_version,
            "protocol_hash": v.protocol_hash,
            "phase": v.phase,
            "trigger": v.trigger,
            "outcome": v.outcome,
            "facts_hash": v.facts_hash,
            "facts_read": "" if v.facts_read is None else json.dumps(v.facts_read, sort_keys=True),
            "facts": "" if v.facts is None else json.dumps(v.facts, sort_keys=True),
        }
    for x in report.refusals:
        yield {
            "section": "refusal",
            "rule_id": " ".join(x.rules),
            "evaluation_id": x.evaluation_id,
            "at": x.at.isoformat(),
            "movement_id": x.movement_id,
            "movement_reference": x.movement_reference,
            "protocol_id": x.protocol_id,
            "trigger": x.trigger,
        }
