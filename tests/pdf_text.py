"""What a PDF page draws, read back with pypdf: its lines as drawn left to right, each glyph as the text it
stands for (an Urdu word drawn from its last letter, on the left, to its first), and for each font the glyph
codes it drew. Shared by the tests of every PDF the project serves (committee pack, compliance report,
release ledger)."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream

from outrider.pdf_fonts import FSI, PDI


def _to_unicode(font: Any) -> dict[int, str]:
    cmap = font["/ToUnicode"].get_data().decode("latin-1")
    pairs = re.findall(r"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>", cmap)
    return {int(c, 16): bytes.fromhex(u).decode("utf-16-be") for c, u in pairs}


def drawn(content: bytes, page: int = 0) -> tuple[list[str], dict[str, list[tuple[int, str]]]]:
    """The page's lines as drawn, left to right (each glyph as the text it stands for, isolate marks
    dropped), and for each font the glyph codes it drew with their text."""
    reader = PdfReader(io.BytesIO(content))
    pdf_page = reader.pages[page]
    fonts = pdf_page["/Resources"]["/Font"]
    maps = {name: _to_unicode(fonts[name]) for name in fonts}
    base = {name: str(fonts[name]["/BaseFont"]).split("+")[-1] for name in fonts}
    lines: dict[float, str] = defaultdict(str)
    glyphs: dict[str, list[tuple[int, str]]] = defaultdict(list)
    font, y, saved = "", 0.0, []  # the font is graphics state: q saves it, Q restores it
    for operands, op in ContentStream(pdf_page.get_contents(), reader).operations:
        if op == b"q":
            saved.append(font)
        elif op == b"Q":
            font = saved.pop()
        elif op == b"Tf":
            font = str(operands[0])
        elif op in (b"Td", b"Tm"):
            y = round(float(operands[-1]), 1)
        elif op == b"Tj":
            raw = getattr(operands[0], "original_bytes", operands[0])
            codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
            for code in codes:
                glyphs[base[font]].append((code, maps[font].get(code, "")))
            lines[-y] += "".join(maps[font].get(code, "") for code in codes)
    bare = (text.replace(FSI, "").replace(PDI, "") for _, text in sorted(lines.items()))
    return [re.sub(r"\s+", " ", text).strip() for text in bare], glyphs


def shaped_forms(glyphs: dict[str, list[tuple[int, str]]], letter: str) -> set[int]:
    """The glyph codes the Arabic font drew for ``letter``: two or more once Urdu is shaped (joined), since
    a letter's initial, medial and final forms are different glyphs; one when it is not."""
    arabic = next((name for name in glyphs if "Naskh" in name or "Arabic" in name), None)
    return {code for code, text in glyphs.get(arabic or "", []) if text == letter}


def page_text(content: bytes) -> str:
    """Every page's extracted text, white space made single."""
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
