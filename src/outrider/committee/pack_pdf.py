"""The meeting pack and the minutes as a printable PDF (A4, fpdf2), headings in English, Chinese or Urdu.

Chinese and Urdu need fonts the PDF core fonts lack. The system's fonts are used when installed (the same
Debian packages the browser tests install: DejaVu or Noto Sans for Latin, WenQuanYi Micro Hei for Chinese,
Noto Naskh Arabic for Urdu); without them, letters the core font cannot draw print as '?'. Urdu is laid
out right to left, but its letters are drawn unjoined: joining them needs a text-shaping engine
(HarfBuzz), which is not a dependency of Outrider. The HTML pack shows Urdu fully shaped by the browser.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.bidi import BidiParagraph, auto_detect_base_direction
from fpdf.enums import TextDirection, XPos, YPos

from outrider.committee.pack_html import Document
from outrider.committee.pack_model import LANGUAGES, RTL, Pack, headings

_FONTS = Path("/usr/share/fonts")
# family -> candidate files (first found wins)
FONT_FILES: dict[str, tuple[str, ...]] = {
    "latin": ("truetype/dejavu/DejaVuSans.ttf", "truetype/noto/NotoSans-Regular.ttf"),
    "cjk": ("truetype/wqy/wqy-microhei.ttc", "opentype/noto/NotoSansCJK-Regular.ttc"),
    "arabic": ("truetype/noto/NotoNaskhArabic-Regular.ttf", "truetype/noto/NotoSansArabic-Regular.ttf"),
}
_MIRROR = str.maketrans("()[]{}<>", ")(][}{><")


def font_files(root: Path = _FONTS) -> dict[str, Path]:
    """The fonts found on this system, by family."""
    found: dict[str, Path] = {}
    for family, names in FONT_FILES.items():
        path = next((root / n for n in names if (root / n).is_file()), None)
        if path is not None:
            found[family] = path
    return found


def visual(text: str) -> str:
    """Right-to-left runs in the order they are seen (no shaping engine does it for the PDF)."""
    if not any("\u0590" <= ch <= "\u08ff" for ch in text):
        return text
    base = auto_detect_base_direction(text)
    runs = BidiParagraph(text=text, base_direction=base).get_bidi_fragments()
    shown = [t[::-1].translate(_MIRROR) if d == TextDirection.RTL else t for t, d in runs]
    return "".join(reversed(shown) if base == TextDirection.RTL else shown)


class H(str):
    """A heading's words: in a right-to-left language they take their place in the line's order."""

    __slots__ = ()


class _Doc(FPDF):
    def __init__(self, title: str, fonts: dict[str, Path], *, rtl: bool) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc_title = title
        self.rtl = rtl
        self.unicode = "latin" in fonts
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(title)
        self.set_creator("Outrider")
        for family, path in fonts.items():
            self.add_font(family, fname=str(path))
        if self.unicode:
            self.set_fallback_fonts([f for f in ("cjk", "arabic") if f in fonts])

    def compose(self, parts: tuple[object, ...]) -> str:
        """One line of headings and values: right to left, the parts are laid out from the right."""
        shown = [visual(str(p)) for p in (reversed(parts) if self.rtl else parts) if str(p)]
        text = " ".join(shown)
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def use(self, size: float, bold: bool = False) -> None:
        if self.unicode:
            self.set_font("latin", size=size + (1 if bold else 0))
        else:
            self.set_font("Helvetica", style="B" if bold else "", size=size)

    def footer(self) -> None:
        self.set_y(-10)
        self.use(7)
        self.cell(0, 5, self.compose((H(self.doc_title), str(self.page_no()))), align="C")

    def heading(self, text: str, size: float = 12) -> None:
        self.ln(2)
        self.use(size, bold=True)
        align = "R" if self.rtl else "L"
        self.multi_cell(0, 7, self.compose((H(text),)), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def line(self, *parts: object, size: float = 9) -> None:
        self.use(size)
        align = "R" if self.rtl else "L"
        self.multi_cell(0, 5, self.compose(parts), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def to_pdf(pack: Pack, *, document: Document = Document.pack, lang: str = "en") -> bytes:
    """The pack or the minutes as PDF bytes, headings in ``lang`` (en, zh-Hans, ur)."""
    lang = lang if lang in LANGUAGES else "en"
    h = {k: H(v) for k, v in headings(lang).items()}
    pdf = _Doc(f"{pack.committee} {pack.number}", font_files(), rtl=lang in RTL)
    pdf.add_page()
    pdf.heading(h[document.value], 16)
    pdf.line(pack.committee, h["meeting"], str(pack.number), pack.title, size=11)
    pdf.line(h["when"], f"{pack.starts_at.isoformat()} ({pack.timezone})")
    pdf.line(h["place"], pack.place, h["status"], pack.status)
    pdf.heading(h["agenda"])
    for i in pack.items:
        pdf.line(f"{i.position}.", i.title, H(f"[{h['restricted']}]") if i.restricted else "")
        if i.text:
            pdf.line(i.text, size=8)
        for o in i.outcomes if document is Document.minutes else ():
            pdf.line(f"{o.kind}:", o.text, size=8)
    if document is Document.pack:
        _follow_up(pdf, pack, h)
    else:
        _minutes(pdf, pack, h)
    return bytes(pdf.output())


def _follow_up(pdf: _Doc, pack: Pack, h: dict[str, H]) -> None:
    pdf.heading(h["follow_up"], 13)
    pdf.heading(h["open"], 11)
    for c in pack.commitments:
        deadline = (h["deadline"], str(c.deadline)) if c.deadline else ()
        pdf.line(f"#{c.id}", c.title, c.kind, h["stage"], c.stage, *deadline)
    if not pack.commitments:
        pdf.line(h["none"])
    pdf.heading(h["overdue"], 11)
    for c in pack.overdue:
        pdf.line(f"#{c.id}", c.title, h["deadline"], str(c.deadline))
    if not pack.overdue:
        pdf.line(h["none"])
    pdf.heading(h["assessments"], 11)
    assessed = [c for c in pack.commitments if c.assessments]
    for c in assessed:
        sides = [x for a in c.assessments for x in (h[a.party], f"{a.score}/3", a.note)]
        pdf.line(f"#{c.id}", c.title, *sides, h["disagree"] if c.disagree else "")
    if not assessed:
        pdf.line(h["none"])
    pdf.heading(h["evidence"], 11)
    for e in pack.evidence:
        pdf.line(str(e.date), f"#{e.commitment_id}", e.commitment_title, e.title, e.kind, e.source)
    if not pack.evidence:
        pdf.line(h["none"])


def _minutes(pdf: _Doc, pack: Pack, h: dict[str, H]) -> None:
    pdf.heading(h["attendance"])
    for person in pack.attendance:
        pdf.line(person.name, h[person.party] if person.party else "", person.status)
    pdf.heading(h["sections"])
    for x in pack.sections:
        pdf.line(f"{x.position}.", x.item_title or "", size=10)
        pdf.line(x.text if x.text is not None else H(f"[{h['restricted']}]"))
    pdf.heading(h["approvals"])
    pdf.line(h["hash"], pack.minutes_hash, size=8)
    if pack.tampered:
        pdf.line(h["tampered"], size=10)
    if pack.approved:
        pdf.line(h["approved"])
    elif pack.awaiting:
        pdf.line(h["awaiting"], *(h[p] for p in pack.awaiting))
    for a in pack.approvals:
        pdf.line(h[a.party], a.signer, a.at.isoformat(), "" if a.verified else "(signature invalid)")
