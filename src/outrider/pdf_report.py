"""The printable reports' common page (A4, fpdf2) in the reader's language: English, Chinese or Urdu.

The page is `pdf_fonts.UnicodePDF` (the system's Latin, Chinese and Arabic fonts, Urdu shaped and laid out
right to left, every part of a line an isolate in its own direction): a report prints any name of its data
in any of the three scripts. An Urdu report starts its lines and tables from the right. A script whose font
the system lacks prints as '?' or boxes, and the report ends with a line naming the missing package.
Imported only when a PDF is asked for (fpdf and the fonts load on demand)."""

from __future__ import annotations

from collections.abc import Sequence

from fpdf.enums import XPos, YPos

from outrider.languages import RTL_LANGUAGES, words
from outrider.pdf_fonts import UnicodePDF, font_files, fonts_for, isolate

__all__ = ["A4Report", "words"]
_L, _N = XPos.LMARGIN, YPos.NEXT


class A4Report(UnicodePDF):
    """A portrait A4 report whose every page ends with its title and number.

    ``text``: every word the report may print (its data and headings), to load the fonts it needs and
    only those (the Chinese font alone takes a fifth of a second to load)."""

    def __init__(self, title: str, *, text: str = "", lang: str = "en") -> None:
        fonts = fonts_for(f"{title} {text}", font_files())
        super().__init__(title, fonts, rtl=lang in RTL_LANGUAGES)
        self.align = "R" if self.rtl else "L"

    def footer(self) -> None:
        self.set_y(-10)
        self.use(7)
        self.cell(0, 5, self.compose((self.doc_title, str(self.page_no()))), align="C")

    def phrase(self, template: str, **values: object) -> str:
        """A sentence of the report's language with values in it, each value kept in its own direction."""
        if not self.unicode:
            return template.format(**values)
        return template.format(**{key: isolate(str(value)) for key, value in values.items()})

    def heading(self, text: str, size: float = 12) -> None:
        self.ln(2)
        self.use(size, bold=True)
        self._write(self.compose((text,)), 7)

    def paragraph(self, *parts: object, size: float = 9, height: float = 5) -> None:
        """One paragraph of headings and values, wrapped, from the reader's side of the page."""
        self.use(size)
        self._write(self.compose(parts), height)

    def _write(self, text: str, height: float) -> None:
        # fpdf2 wraps shaped text by shaping each line again for every letter added: a paragraph that fits
        # on one line (most of them) is measured once and written as a cell, ten times faster
        if self.get_string_width(text) <= self.epw - 2 * self.c_margin:
            self.cell(0, height, text, align=self.align, new_x=_L, new_y=_N)
        else:
            self.multi_cell(0, height, text, align=self.align, new_x=_L, new_y=_N)

    def row(self, cells: Sequence[tuple[object, float]], *, bold: bool = False, fill: bool = False) -> None:
        """One row of a table with borders: its cells in reading order (from the right in Urdu)."""
        self.use(8, bold=bold)
        if self.rtl:  # against the right margin
            self.set_x(self.w - self.r_margin - sum(width for _, width in cells))
        for text, width in reversed(cells) if self.rtl else cells:
            self.cell(width, 5, self.compose((text,)), border=1, fill=fill, align=self.align)
        self.ln(5)

    def finished(self) -> bytes:
        """The report's bytes, after a line naming the fonts it needed and the system lacks, if any."""
        note = self.missing_fonts()
        if note:
            self.paragraph(note)
        return bytes(self.output())
