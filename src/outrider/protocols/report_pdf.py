"""The compliance report as a printable PDF (A4) with a monthly trend chart (fpdf2), and in any format.

The PDF's headings are in the reader's language (English, Chinese or Urdu); the report's values (names of
organisations and movements, facts, reasons) print in whatever script they were written in
(`outrider.pdf_report`)."""

from __future__ import annotations

import json

from outrider.pdf_report import A4Report, words
from outrider.protocols.report import ComplianceReport, Violation, percent, to_html, to_json
from outrider.protocols.report_csv import to_csv
from outrider.protocols.report_words import WORDS


def _chart(pdf: A4Report, report: ComplianceReport) -> None:
    """Bars of the monthly pass rate, with the number of evaluations under each month (oldest at the left,
    as a time axis reads in every language)."""
    left, top, width, height = pdf.l_margin + 12, pdf.get_y() + 4, 160.0, 45.0
    if pdf.will_page_break(height + 20):
        pdf.add_page()
        top = pdf.get_y() + 4
    pdf.set_draw_color(60, 60, 60)
    pdf.line(left, top, left, top + height)
    pdf.line(left, top + height, left + width, top + height)
    pdf.use(6)
    for frac in (0.0, 0.5, 1.0):
        y = top + height - frac * height
        pdf.set_xy(left - 11, y - 2)
        pdf.cell(10, 4, pdf.compose((f"{int(frac * 100)}%",)), align="R")
    months = report.months or ()
    slot = width / max(1, len(months))
    pdf.set_fill_color(59, 110, 165)
    for i, m in enumerate(months):
        x = left + i * slot + slot * 0.15
        bar = 0.0 if m.pass_rate is None else m.pass_rate * height
        if bar > 0:
            pdf.rect(x, top + height - bar, slot * 0.7, bar, style="F")
        pdf.set_xy(left + i * slot, top + height + 1)
        pdf.cell(slot, 3, pdf.compose((m.month,)), align="C")
        pdf.set_xy(left + i * slot, top + height + 4)
        pdf.cell(slot, 3, pdf.compose((f"n={m.evaluations} {percent(m.pass_rate)}",)), align="C")
    pdf.set_y(top + height + 10)


def to_pdf(report: ComplianceReport, *, lang: str = "en") -> bytes:
    """Render the report: summary, trend chart, pass rate per rule, every violation with its evidence;
    headings in ``lang`` (en, zh-Hans, ur)."""
    w = words(WORDS, lang)
    start, end = report.period_from.isoformat(), report.period_to.isoformat()
    pdf = A4Report(w["doc"].format(start=start, end=end), text=" ".join(w.values()) + repr(report), lang=lang)
    pdf.doc_title = pdf.phrase(w["doc"], start=start, end=end)  # the footer's: each date kept whole
    pdf.set_creation_date(report.generated_at)  # the same report renders to the same bytes
    pdf.add_page()
    pdf.heading(w["title"], 15)
    scope = [pdf.phrase(w["period"], start=start, end=end)]
    if report.organization:
        scope.append(pdf.phrase(w["organisation"], name=report.organization))
    if report.protocol_id:
        scope.append(pdf.phrase(w["protocol"], name=report.protocol_id))
    pdf.paragraph(*scope, pdf.phrase(w["generated"], at=report.generated_at.isoformat()))
    pdf.ln(2)
    pdf.set_fill_color(235, 235, 235)
    for key, value in _summary(report, w):
        pdf.row([(key, 60), (value, 110)])
    for version in report.protocol_versions:
        pdf.paragraph(pdf.phrase(w["version"], version=version), size=7, height=4)
    pdf.heading(w["trend"], 11)
    _chart(pdf, report)
    pdf.heading(w["per_rule"], 11)
    _rules(pdf, report, w)
    pdf.ln(1)
    pdf.heading(w["evidence"], 11)
    if not report.violations:
        pdf.paragraph(w["no_violation"], size=8)
    for v in report.violations:
        _violation(pdf, v, w)
    _refusals(pdf, report, w)
    pdf.paragraph(w["hashes"], size=7, height=3.6)
    return pdf.finished()


def _summary(report: ComplianceReport, w: dict[str, str]) -> list[tuple[str, str]]:
    summary = [
        (w["evaluations"], str(report.evaluations)),
        (w["movements"], str(report.movements)),
        (w["passed"], str(report.passed)),
        (w["failed"], str(report.failed)),
        (w["pass_rate"], percent(report.pass_rate)),
        (w["violations"], str(len(report.violations))),
        (w["checks_stored"], str(report.checks_stored)),
        (w["previews"], str(report.previews)),
        (w["refusals"], str(len(report.refusals))),
        (w["superseded"], str(report.superseded)),
        (w["by_trigger"], ", ".join(f"{k}: {v}" for k, v in report.by_trigger.items()) or "-"),
    ]
    if report.evidence_withheld:
        summary.append((w["withheld"], str(report.evidence_withheld)))
    if report.facts_withheld:
        summary.append((w["left_out"], w["left_out_why"].format(names=", ".join(report.facts_withheld))))
    return summary


def _rules(pdf: A4Report, report: ComplianceReport, w: dict[str, str]) -> None:
    widths = [58.0, 17.0, 15.0, 15.0, 15.0, 13.0, 15.0, 14.0, 18.0]
    keys = [
        "rule",
        "severity",
        "applied",
        "passed_n",
        "failed",
        "errors",
        "not_applicable",
        "waived",
        "pass_rate",
    ]
    pdf.row([(w[k], width) for k, width in zip(keys, widths, strict=True)], bold=True, fill=True)
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
        pdf.row([*zip([str(v) for v in values], widths, strict=False), (percent(x.pass_rate), widths[-1])])


def _violation(pdf: A4Report, v: Violation, w: dict[str, str]) -> None:
    """A failed rule: when, which movement, the outcome, and the evidence it was judged on."""
    state = f"[{v.severity}] {v.outcome}"
    marks = [w[k] for k, on in (("waived_jointly", v.waived), ("overridden", v.overridden)) if on]
    movement = f"({pdf.phrase(w['movement'], id=v.movement_id)})"
    how = f"({v.trigger}, {v.phase})"
    pdf.paragraph(
        v.at.isoformat(), v.movement_reference, movement, v.rule_id, state, *marks, how, size=8, height=4
    )
    signed = {"id": v.protocol_id, "version": v.protocol_version, "hash": v.protocol_hash}
    lines: list[tuple[str, ...]] = [
        (pdf.phrase(w["protocol_hash"], **signed),),
        (pdf.phrase(w["evaluation"], id=v.evaluation_id, hash=v.facts_hash),),
    ]
    if v.facts_read is None:
        lines.append((w["no_evidence"],))
    else:
        facts = [f"{k} = {json.dumps(val, ensure_ascii=False)}" for k, val in v.facts_read.items()]
        lines.append((w["facts_read"], "; ".join(facts)))
    for parts in lines:
        pdf.paragraph(*parts, size=7, height=3.6)
    pdf.ln(1.5)


def _refusals(pdf: A4Report, report: ComplianceReport, w: dict[str, str]) -> None:
    """Refused transitions: the gate working, listed apart from the failed checks."""
    pdf.heading(w["refused_head"], 11)
    if not report.refusals:
        pdf.paragraph(w["no_refusal"], size=8)
    for x in report.refusals:
        refused = pdf.phrase(w["refused"], trigger=x.trigger)
        pdf.paragraph(x.at.isoformat(), x.movement_reference, refused, ", ".join(x.rules), size=8, height=4)
    pdf.ln(2)


def rendered(report: ComplianceReport, fmt: str, *, lang: str = "en") -> bytes:
    """The report in one format, as the bytes of a file: pdf or html (headings in ``lang``), csv or json
    (indented, UTF-8)."""
    if fmt == "pdf":
        return to_pdf(report, lang=lang)
    if fmt == "json":
        return (json.dumps(to_json(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return (to_csv(report) if fmt == "csv" else to_html(report, lang=lang)).encode("utf-8")
