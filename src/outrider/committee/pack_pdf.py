"""The meeting pack and the minutes as a printable PDF (A4, fpdf2), headings in English, Chinese or Urdu.

The page is the reports' (`outrider.pdf_report`), its fonts and text shaping `outrider.pdf_fonts`: the
system's fonts (the Debian packages `make run` and `make test` install: DejaVu or Noto Sans for Latin,
WenQuanYi Micro Hei for Chinese, Noto Naskh Arabic for Urdu), Urdu letters joined by HarfBuzz and laid out
right to left, every heading and value an isolate in its own direction (an Urdu line with Latin names, dates
and numbers reads as in the HTML pack). Without a font its letters print as '?' or boxes, and the document
ends with a note naming the package.
"""

from __future__ import annotations

from outrider.committee.pack_html import Document
from outrider.committee.pack_model import LANGUAGES, Pack, headings
from outrider.pdf_report import A4Report as _Doc


def to_pdf(pack: Pack, *, document: Document = Document.pack, lang: str = "en") -> bytes:
    """The pack or the minutes as PDF bytes, headings in ``lang`` (en, zh-Hans, ur)."""
    lang = lang if lang in LANGUAGES else "en"
    h = headings(lang)
    pdf = _Doc(f"{pack.committee} {pack.number}", text=" ".join(h.values()) + repr(pack), lang=lang)
    pdf.add_page()
    pdf.heading(h[document.value], 16)
    pdf.paragraph(pack.committee, h["meeting"], str(pack.number), pack.title, size=11)
    pdf.paragraph(h["when"], f"{pack.starts_at.isoformat()} ({pack.timezone})")
    pdf.paragraph(h["place"], pack.place, h["status"], pack.status)
    pdf.heading(h["agenda"])
    for i in pack.items:
        pdf.paragraph(f"{i.position}.", i.title, f"[{h['restricted']}]" if i.restricted else "")
        if i.text:
            pdf.paragraph(i.text, size=8)
        for o in i.outcomes if document is Document.minutes else ():
            pdf.paragraph(f"{o.kind}:", o.text, size=8)
    if document is Document.pack:
        _follow_up(pdf, pack, h)
    else:
        _minutes(pdf, pack, h)
    return pdf.finished()


def _follow_up(pdf: _Doc, pack: Pack, h: dict[str, str]) -> None:
    pdf.heading(h["follow_up"], 13)
    pdf.heading(h["open"], 11)
    for c in pack.commitments:
        deadline = (h["deadline"], str(c.deadline)) if c.deadline else ()
        pdf.paragraph(f"#{c.id}", c.title, c.kind, h["stage"], c.stage, *deadline)
    if not pack.commitments:
        pdf.paragraph(h["none"])
    pdf.heading(h["overdue"], 11)
    for c in pack.overdue:
        pdf.paragraph(f"#{c.id}", c.title, h["deadline"], str(c.deadline))
    if not pack.overdue:
        pdf.paragraph(h["none"])
    pdf.heading(h["assessments"], 11)
    assessed = [c for c in pack.commitments if c.assessments]
    for c in assessed:
        sides = [x for a in c.assessments for x in (h[a.party], f"{a.score}/3", a.note)]
        pdf.paragraph(f"#{c.id}", c.title, *sides, h["disagree"] if c.disagree else "")
    if not assessed:
        pdf.paragraph(h["none"])
    pdf.heading(h["evidence"], 11)
    for e in pack.evidence:
        pdf.paragraph(str(e.date), f"#{e.commitment_id}", e.commitment_title, e.title, e.kind, e.source)
    if not pack.evidence:
        pdf.paragraph(h["none"])


def _minutes(pdf: _Doc, pack: Pack, h: dict[str, str]) -> None:
    pdf.heading(h["attendance"])
    for person in pack.attendance:
        pdf.paragraph(person.name, h[person.party] if person.party else "", person.status)
    pdf.heading(h["sections"])
    for x in pack.sections:
        pdf.paragraph(f"{x.position}.", x.item_title or "", size=10)
        pdf.paragraph(x.text if x.text is not None else f"[{h['restricted']}]")
    pdf.heading(h["approvals"])
    pdf.paragraph(h["hash"], pack.minutes_hash, size=8)
    if pack.tampered:
        pdf.paragraph(h["tampered"], size=10)
    if pack.approved:
        pdf.paragraph(h["approved"])
    elif pack.awaiting:
        pdf.paragraph(h["awaiting"], *(h[p] for p in pack.awaiting))
    for a in pack.approvals:
        pdf.paragraph(h[a.party], a.signer, a.at.isoformat(), "" if a.verified else "(signature invalid)")
