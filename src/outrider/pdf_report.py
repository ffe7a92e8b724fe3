"""The printable reports' common page (A4, fpdf2): the title in the document's properties and a footer with
the page number, and text the PDF core fonts can draw. Imported only when a PDF is asked for."""

from __future__ import annotations

from fpdf import FPDF

_REPLACE = {
    "–": "-",
    "—": "-",
    "…": "...",
    "→": "->",
    "≥": ">=",
    "≤": "<=",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
}


def latin1(text: object) -> str:
    """Text the PDF core fonts can draw (Latin-1); anything else becomes '?'."""
    value = str(text)
    for a, b in _REPLACE.items():
        value = value.replace(a, b)
    return value.encode("latin-1", "replace").decode("latin-1")


class A4Report(FPDF):
    """A portrait A4 report whose every page ends with its title and number."""

    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report_title = title
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(title)
        self.set_creator("Outrider")

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("Helvetica", size=7)
        self.cell(0, 5, latin1(f"{self.report_title} - page {self.page_no()}"), align="C")
