"""The release ledger as a printable PDF (A4, fpdf2): the summary of the period, then every release with the
objects that left. Imported only when a PDF is asked for (fpdf and its fonts load on demand)."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from outrider.pdf_report import A4Report, latin1
from outrider.sharing.ledger import Ledger, Row

_L, _N = XPos.LMARGIN, YPos.NEXT


def _period(ledger: Ledger) -> str:
    start = ledger.since.isoformat() if ledger.since else "the first release"
    end = ledger.until.isoformat() if ledger.until else ledger.generated_at.isoformat()
    return f"from {start} to {end}"


def _summary(pdf: FPDF, ledger: Ledger) -> None:
    partners = sorted({r.partner for r in ledger.rows})
    channels = sorted({r.channel for r in ledger.rows})
    lines = [
        ("Partner", ledger.rows[0].partner if ledger.partner_org_id and ledger.rows else "every partner"),
        ("Period", _period(ledger)),
        ("Releases", str(len(ledger.rows))),
        ("Objects released", str(ledger.objects)),
        ("Objects withheld", str(sum(r.withheld for r in ledger.rows))),
        ("Partners", ", ".join(partners) or "-"),
        ("Channels", ", ".join(channels) or "-"),
        ("Generated", ledger.generated_at.isoformat()),
    ]
    pdf.set_font("Helvetica", size=9)
    for key, value in lines:
        pdf.cell(45, 5, latin1(key), border=1)
        pdf.cell(135, 5, latin1(value), border=1, new_x=_L, new_y=_N)


def _release(pdf: FPDF, row: Row) -> None:
    pdf.set_font("Helvetica", style="B", size=9)
    head = (
        f"{row.at.isoformat()}  to {row.partner} by {row.channel}, policy {row.policy_id} "
        f"version {row.policy_version}, by {row.user or 'the operator'}"
        f"{f' ({row.organization})' if row.organization else ''}"
    )
    pdf.multi_cell(0, 4.5, latin1(head), new_x=_L, new_y=_N)
    pdf.set_font("Courier", size=6.5)
    pdf.multi_cell(0, 3.5, latin1(f"audit record {row.seq}, hash {row.record_hash}"), new_x=_L, new_y=_N)
    pdf.multi_cell(
        0,
        3.5,
        latin1(f"bundle {row.bundle}; {len(row.objects)} released, {row.withheld} withheld"),
        new_x=_L,
        new_y=_N,
    )
    for obj in row.objects:
        pdf.cell(0, 3.3, latin1(f"  {obj.kind:<8} {obj.id:>8}  sha256 {obj.sha256}"), new_x=_L, new_y=_N)
    pdf.ln(2)


def to_pdf(ledger: Ledger) -> bytes:
    """The report: its summary, then each release with its audit record and the objects that left."""
    title = "Release ledger"
    pdf = A4Report(title)
    pdf.set_creation_date(ledger.generated_at)  # the same report renders to the same bytes
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=15)
    pdf.cell(0, 9, title, new_x=_L, new_y=_N)
    _summary(pdf, ledger)
    pdf.ln(3)
    pdf.set_font("Helvetica", style="B", size=11)
    pdf.cell(0, 7, "Releases and the objects that left", new_x=_L, new_y=_N)
    if not ledger.rows:
        pdf.set_font("Helvetica", size=9)
        pdf.cell(0, 5, "No release in this period.", new_x=_L, new_y=_N)
    for row in ledger.rows:
        _release(pdf, row)
    pdf.set_font("Helvetica", size=7)
    pdf.multi_cell(
        0,
        3.6,
        "Each release is a record of the hash-chained audit log (its sequence number and hash above); "
        "`outrider audit verify` checks the chain. Each object's SHA-256 is that of its STIX 2.1 object in "
        "canonical JSON (sorted keys, no spaces, UTF-8), as it left.",
        new_x=_L,
        new_y=_N,
    )
    return bytes(pdf.output())
