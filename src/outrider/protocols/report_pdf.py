"""The compliance report as a printable PDF (A4) with a monthly trend chart (fpdf2), and in any format."""

from __future__ import annotations

import json

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from outrider.pdf_report import A4Report, latin1
from outrider.protocols.report import ComplianceReport, percent, to_csv, to_html, to_json

_t, _Report = latin1, A4Report


def _row(pdf: FPDF, cells: list[tuple[str, float]], *, bold: bool = False, fill: bool = False) -> None:
    pdf.set_font("Helvetica", style="B" if bold else "", size=8)
    for text, width in cells:
        pdf.cell(width, 5, _t(text), border=1, fill=fill)
    pdf.ln(5)


def _chart(pdf: FPDF, report: ComplianceReport) -> None:
    """Bars of the monthly pass rate, with the number of evaluations under each month."""
    left, top, width, height = pdf.l_margin + 12, pdf.get_y() + 4, 160.0, 45.0
    if pdf.will_page_break(height + 20):
        pdf.add_page()
        top = pdf.get_y() + 4
    pdf.set_draw_color(60, 60, 60)
    pdf.line(left, top, left, top + height)
    pdf.line(left, top + height, left + width, top + height)
    pdf.set_font("Helvetica", size=6)
    for frac in (0.0, 0.5, 1.0):
        y = top + height - frac * height
        pdf.set_xy(left - 11, y - 2)
        pdf.cell(10, 4, f"{int(frac * 100)}%", align="R")
    months = report.months or ()
    slot = width / max(1, len(months))
    pdf.set_fill_color(59, 110, 165)
    for i, m in enumerate(months):
        x = left + i * slot + slot * 0.15
        bar = 0.0 if m.pass_rate is None else m.pass_rate * height
        if bar > 0:
            pdf.rect(x, top + height - bar, slot * 0.7, bar, style="F")
        pdf.set_xy(left + i * slot, top + height + 1)
        pdf.cell(slot, 3, _t(m.month), align="C")
        pdf.set_xy(left + i * slot, top + height + 4)
        pdf.cell(slot, 3, _t(f"n={m.evaluations} {percent(m.pass_rate)}"), align="C")
    pdf.set_y(top + height + 10)


def to_pdf(report: ComplianceReport) -> bytes:
    """Render the report: summary, trend chart, pass rate per rule, every violation with its evidence."""
    title = f"Protocol compliance {report.period_from.isoformat()} to {report.period_to.isoformat()}"
    pdf = _Report(title)
    pdf.set_creation_date(report.generated_at)  # the same report renders to the same bytes
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=15)
    pdf.cell(0, 9, _t("Protocol compliance report"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=9)
    scope = [f"Period {report.period_from.isoformat()} to {report.period_to.isoformat()}"]
    if report.organization:
        scope.append(f"organisation {report.organization}")
    if report.protocol_id:
        scope.append(f"protocol {report.protocol_id}")
    pdf.multi_cell(0, 5, _t("; ".join(scope) + f". Generated {report.generated_at.isoformat()}."))
    pdf.ln(2)
    pdf.set_fill_color(235, 235, 235)
    summary = [
        ("Evaluations", str(report.evaluations)),
        ("Movements", str(report.movements)),
        ("Passed (no blocking failure)", str(report.passed)),
        ("Failed", str(report.failed)),
        ("Pass rate", percent(report.pass_rate)),
        ("Violations", str(len(report.violations))),
        ("Checks stored", str(report.checks_stored)),
        ("Previews (not counted)", str(report.previews)),
        ("Refused transitions (not failures)", str(len(report.refusals))),
        ("Superseded checks (not counted)", str(report.superseded)),
        ("By trigger", ", ".join(f"{k}: {v}" for k, v in report.by_trigger.items()) or "-"),
    ]
    if report.evidence_withheld:
        summary.append(("Evidence withheld (need-to-know)", str(report.evidence_withheld)))
    for key, value in summary:
        _row(pdf, [(key, 60), (value, 110)])
    pdf.set_font("Helvetica", size=7)
    for version in report.protocol_versions:
        pdf.multi_cell(0, 4, _t(f"Protocol version: {version}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font("Helvetica", style="B", size=11)
    pdf.cell(0, 7, "Trend per month (pass rate)", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _chart(pdf, report)
    pdf.set_font("Helvetica", style="B", size=11)
    pdf.cell(0, 7, "Pass rate per rule", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    widths = [58.0, 17.0, 15.0, 15.0, 15.0, 13.0, 15.0, 14.0, 18.0]
    heads = ["Rule", "Severity", "Applied", "Passed", "Failed", "Errors", "N/A", "Waived", "Pass rate"]
    _row(pdf, list(zip(heads, widths, strict=True)), bold=True, fill=True)
    for x in report.rules:
        values = [
            x.rule_id,
            x.severity,
            x.evaluated,
            x.passed,
            x.failed,
            x.errors,
            x.not_applicable,
            x.waived,
        ]
        _row(pdf, [*zip([str(v) for v in values], widths, strict=False), (percent(x.pass_rate), widths[-1])])
    pdf.ln(3)
    pdf.set_font("Helvetica", style="B", size=11)
    pdf.cell(0, 7, "Violations and evidence", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=8)
    if not report.violations:
        pdf.cell(0, 5, "No violation in this period.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for v in report.violations:
        head = (
            f"{v.at.isoformat()}  {v.movement_reference} (movement {v.movement_id})  {v.rule_id} "
            f"[{v.severity}] {v.outcome}{', waived jointly' if v.waived else ''}"
            f"{', overridden by the host' if v.overridden else ''}  ({v.trigger}, {v.phase})"
        )
        pdf.set_font("Helvetica", style="B", size=8)
        pdf.multi_cell(0, 4, _t(head), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", size=7)
        lines = [
            f"protocol {v.protocol_id} v{v.protocol_version} sha256 {v.protocol_hash}",
            f"evaluation {v.evaluation_id}, facts sha256 {v.facts_hash}",
        ]
        if v.facts_read is None:
            lines.append("evidence withheld: not on the movement's need-to-know list")
        else:
            lines.append(
                "facts read: " + "; ".join(f"{k} = {json.dumps(val)}" for k, val in v.facts_read.items())
            )
        for line in lines:
            pdf.multi_cell(0, 3.6, _t(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
    _refusals(pdf, report)
    pdf.ln(2)
    pdf.set_font("Helvetica", size=7)
    pdf.multi_cell(
        0,
        3.6,
        _t(
            "Each facts hash is the SHA-256 of the canonical JSON of the stored facts snapshot (sorted keys, "
            "no spaces, UTF-8); each protocol hash is the SHA-256 of the canonical form of the document both "
            "parties signed. The JSON and CSV forms of this report carry the full snapshots."
        ),
    )
    return bytes(pdf.output())


def _refusals(pdf: FPDF, report: ComplianceReport) -> None:
    """Refused transitions: the gate working, listed apart from the failed checks."""
    pdf.set_font("Helvetica", style="B", size=11)
    pdf.cell(0, 7, "Refused transitions (not counted as failures)", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=8)
    if not report.refusals:
        pdf.cell(0, 5, "No refusal in this period.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for x in report.refusals:
        line = f"{x.at.isoformat()}  {x.movement_reference}  {x.trigger} refused: {', '.join(x.rules)}"
        pdf.multi_cell(0, 4, _t(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def rendered(report: ComplianceReport, fmt: str) -> bytes:
    """The report in one format, as the bytes of a file: pdf, html, csv or json (indented, UTF-8)."""
    if fmt == "pdf":
        return to_pdf(report)
    if fmt == "json":
        return (json.dumps(to_json(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return (to_csv(report) if fmt == "csv" else to_html(report)).encode("utf-8")
