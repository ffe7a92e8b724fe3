"""A PDF page (fpdf2) printing Latin, Chinese and Urdu with the system's fonts, Urdu joined and right to left.

The fonts are the Debian packages `make run` and `make test` install: DejaVu (or Noto Sans) for Latin,
WenQuanYi Micro Hei for Chinese, Noto Naskh Arabic for Urdu. Arabic-script letters are always drawn with
the Arabic font (the Latin font's own Arabic letters lack Urdu's, and a word split between two fonts cannot
join). Text is shaped by HarfBuzz (uharfbuzz), which joins Urdu letters as they are written, and laid out by
the Unicode bidirectional algorithm: fpdf2 resolves the levels, and the lines are put in visual order here
at every level (fpdf2 alone reorders one level deep, which misplaces an Urdu value's digits in an English
line), each run of one level apart (digits and quotes inside an Urdu value in an English line). A line is
made of parts (headings and values), each an isolate keeping its own direction, like HTML's `<bdi>`; the
isolate marks are not drawn (a text copied from the PDF holds none). Without a font its letters print as
'?' or boxes; `missing_fonts_note` names the package. `pdf_report.A4Report` is the page every PDF uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import groupby
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.bidi import BidiParagraph
from fpdf.enums import TextDirection
from fpdf.line_break import Fragment, TextLine

FONTS_ROOT = Path("/usr/share/fonts")
# family -> candidate files (first found wins)
FONT_FILES: dict[str, tuple[str, ...]] = {
    "latin": ("truetype/dejavu/DejaVuSans.ttf", "truetype/noto/NotoSans-Regular.ttf"),
    "cjk": ("truetype/wqy/wqy-microhei.ttc", "opentype/noto/NotoSansCJK-Regular.ttc"),
    "arabic": ("truetype/noto/NotoNaskhArabic-Regular.ttf", "truetype/noto/NotoSansArabic-Regular.ttf"),
}
# family -> (what it draws, the Debian package that installs it)
FONT_PACKAGES: dict[str, tuple[str, str]] = {
    "latin": ("Latin letters", "fonts-dejavu-core"),
    "cjk": ("Chinese characters", "fonts-wqy-microhei"),
    "arabic": ("Urdu letters", "fonts-noto-core"),
}
_ARABIC = ((0x0600, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_CJK = ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))
# the Latin font draws everything but Arabic script, which falls back to the Arabic font
_NOT_ARABIC = [(0x0000, 0x05FF), (0x0900, 0xFB4F), (0xFE00, 0xFE6F), (0xFF00, 0x1FFFF)]
FSI, PDI = "\u2068", "\u2069"  # first-strong isolate and its end: a part keeps its own direction
_ISOLATE_MARKS = frozenset("\u2066\u2067\u2068\u2069")


# what the PDF core fonts (Latin-1, used when no font is found) draw instead of a few common characters
_LATIN1_NEAR = str.maketrans(
    {"–": "-", "—": "-", "…": "...", "→": "->", "≥": ">=", "≤": "<=", "‘": "'", "’": "'", "“": '"', "”": '"'}
)


def latin1(text: str) -> str:
    """Text the PDF core fonts can draw (Latin-1): anything else becomes '?'."""
    return text.translate(_LATIN1_NEAR).encode("latin-1", "replace").decode("latin-1")


def font_files(root: Path = FONTS_ROOT) -> dict[str, Path]:
    """The fonts found on this system, by family."""
    found: dict[str, Path] = {}
    for family, names in FONT_FILES.items():
        path = next((root / n for n in names if (root / n).is_file()), None)
        if path is not None:
            found[family] = path
    return found


def _class_of(ranges: Iterable[tuple[int, int]]) -> re.Pattern[str]:
    return re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in ranges) + "]")


_ARABIC_CHAR, _CJK_CHAR = _class_of(_ARABIC), _class_of(_CJK)
# letters written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko...): a line holding one is laid out
_RTL = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF), (0x10800, 0x10FFF), (0x1E800, 0x1EFFF))
_RTL_CHAR = _class_of(_RTL)
_NO_MARKS = str.maketrans(dict.fromkeys(_ISOLATE_MARKS))


def families_of(text: str) -> set[str]:
    """The font families ``text`` needs (Latin always: digits, punctuation and the document's own words)."""
    needed = {"latin"}
    if _ARABIC_CHAR.search(text):
        needed.add("arabic")
    if _CJK_CHAR.search(text):
        needed.add("cjk")
    return needed


def fonts_for(text: str, found: dict[str, Path]) -> dict[str, Path]:
    """The fonts found that ``text`` needs (loading the Chinese font alone takes a fifth of a second)."""
    needed = families_of(text)
    return {family: path for family, path in found.items() if family in needed}


def missing_fonts_note(needed: Iterable[str], fonts: dict[str, Path]) -> str | None:
    """A sentence naming the fonts this document needs and the system lacks, with their Debian packages."""
    missing = [FONT_PACKAGES[f] for f in sorted(set(needed)) if f not in fonts]
    if not missing:
        return None
    named = "; ".join(f"{what} (Debian package {package})" for what, package in missing)
    return f"Fonts missing on the server, so these print as '?' or boxes: {named}."


def isolate(part: str) -> str:
    """One part of a line, kept in its own direction among the others (Unicode FSI ... PDI)."""
    return f"{FSI}{part}{PDI}" if part else ""


def bidi_levels(text: str, base: TextDirection) -> list[int]:
    """The embedding level of every character of a paragraph (UAX #9, resolved by fpdf2)."""
    chars = BidiParagraph(text=text, base_direction=base, preserve_bn_chars=True).characters
    return [c.embedding_level for c in chars]


def visual_order(fragments: Sequence[Fragment], levels: Sequence[int] | None = None) -> list[Fragment]:
    """A line's fragments (logical order, each of one direction and font) in the order they are drawn, each
    cut into runs of one embedding level (the isolate marks, invisible, make runs of their own).
    ``levels``: of the line's characters, resolved on its whole paragraph (else on the line alone)."""
    text = "".join("".join(f.characters) for f in fragments)
    if not fragments or not text:
        return list(fragments)
    base = fragments[0].paragraph_direction or TextDirection.LTR
    if levels is None or len(levels) != len(text):
        levels = bidi_levels(text, base)
    if len(levels) != len(text):
        return list(fragments)
    pieces: list[Fragment] = []
    piece_levels: list[int] = []
    start = 0
    for f in fragments:  # a fragment of one direction may hold runs of two levels (digits in Urdu in Latin)
        end = start + len(f.characters)
        for level, run in groupby(zip(levels[start:end], f.characters, strict=True), key=lambda p: p[0]):
            chars = [ch for _, ch in run]
            pieces.append(f if len(chars) == len(f.characters) else f.clone(characters=chars, link=f.link))
            piece_levels.append(level)
        start = end
    return [pieces[k] for k in reorder(piece_levels)]


def reorder(levels: Sequence[int]) -> list[int]:
    """The positions of runs at these levels, in visual order: from the highest level to the lowest odd one,
    every run at or above it is reversed (UAX #9, rule L2)."""
    order = list(range(len(levels)))
    odd = [level for level in levels if level % 2]
    for level in range(max(levels, default=0), min(odd, default=1 << 30) - 1, -1):
        i = 0
        while i < len(order):
            j = i
            while j < len(order) and levels[order[j]] >= level:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j + 1
    return order


def _unmarked(fragment: Fragment) -> Fragment | None:
    """The fragment without its isolate marks (invisible, and left out of a copied or searched text)."""
    kept = [ch for ch in fragment.characters if ch not in _ISOLATE_MARKS]
    if len(kept) == len(fragment.characters):
        return fragment
    return fragment.clone(characters=kept, link=fragment.link) if kept else None


class _VisualLine(TextLine):
    """A line whose fragments are drawn in full bidirectional order."""

    ordered: list[Fragment]

    def get_ordered_fragments(self) -> list[Fragment]:
        return self.ordered


class _Paragraph:
    """A composed paragraph's levels, and how far its lines have been drawn."""

    def __init__(self, text: str, levels: list[int]) -> None:
        self.text, self.levels, self.drawn = text, levels, 0

    def levels_of(self, line: str) -> list[int] | None:
        at = self.text.find(line, self.drawn)
        if at < 0:
            return None
        self.drawn = at + len(line)
        return self.levels[at : self.drawn]


class UnicodePDF(FPDF):
    """An A4 page with the system's Latin, Chinese and Arabic fonts, text shaped and laid out in both
    directions; ``rtl`` makes every line start from the right (an Urdu document)."""

    def __init__(self, title: str, fonts: dict[str, Path], *, rtl: bool) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc_title = title
        self.rtl = rtl
        self.fonts_found = fonts
        self.unicode = "latin" in fonts
        self.families_seen: set[str] = {"latin"}
        self._recent: list[_Paragraph] = []  # the last paragraphs composed (a footer may come between lines)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(title)
        self.set_creator("Outrider")
        for family, path in fonts.items():
            only = _NOT_ARABIC if family == "latin" and "arabic" in fonts else None
            self.add_font(family, fname=str(path), unicode_range=only)
        if self.unicode:
            self.set_fallback_fonts([f for f in ("cjk", "arabic") if f in fonts])
            self.set_text_shaping(True, direction="rtl" if rtl else "ltr")

    def compose(self, parts: Iterable[object]) -> str:
        """One line of headings and values in reading order, each part isolated in its own direction.

        Shaping and the bidirectional layout are turned on for the line where it needs them (an Urdu
        document, or a letter written right to left): a Latin or Chinese line of a left-to-right document
        is written as it is, five times faster."""
        shown = [str(p) for p in parts if str(p)]
        text = " ".join(isolate(p) for p in shown) if self.unicode else " ".join(shown)
        self.families_seen |= families_of(text)
        if not self.unicode:
            return latin1(text.translate(_NO_MARKS))
        laid_out = self.rtl or _RTL_CHAR.search(text) is not None
        if laid_out != bool(self.text_shaping):
            self.set_text_shaping(laid_out, direction="rtl" if self.rtl else "ltr")
        if not laid_out:
            return text.translate(_NO_MARKS)
        base = TextDirection.RTL if self.rtl else TextDirection.LTR
        self._recent = [*self._recent[-3:], _Paragraph(text, bidi_levels(text, base))]
        return text

    def use(self, size: float, bold: bool = False) -> None:
        if self.unicode:
            self.set_font("latin", size=size + (1 if bold else 0))
        else:
            self.set_font("Helvetica", style="B" if bold else "", size=size)

    def missing_fonts(self) -> str | None:
        """The note on fonts this document needed and the system lacks (after its lines are written)."""
        return missing_fonts_note(self.families_seen, self.fonts_found)

    def _render_styled_text_line(self, text_line: TextLine, *args: Any, **kwargs: Any) -> bool:
        if self.page and self.current_font and not self.current_font_is_set_on_page:
            # the page's font, set outside the line: fpdf2 would set it inside a line that starts in a
            # fallback font, in a q ... Q block that drops it for the lines after (then drawn with no font)
            self._out(self._set_font_for_page(self.current_font, self.font_size_pt))
        if self.text_shaping:
            line = "".join("".join(f.characters) for f in text_line.fragments)
            levels = next((lv for p in reversed(self._recent) if (lv := p.levels_of(line)) is not None), None)
            ordered = [bare for f in visual_order(text_line.fragments, levels) if (bare := _unmarked(f))]
            text_line = _VisualLine(*text_line)
            text_line.ordered = ordered
        return bool(super()._render_styled_text_line(text_line, *args, **kwargs))
