"""QR codes drawn on the server as inline SVG (segno: no script, no image request, no network)."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(text: str, *, title: str = "") -> Markup:
    """The text (an ``otpauth://`` link) as an inline SVG QR code, error correction M, dark on light."""
    code = segno.make(text, error="m", micro=False)
    svg = code.svg_inline(scale=4, border=4, dark="#000", light="#fff", title=title or None, svgclass="qr")
    return Markup(svg)  # noqa: S704 - segno writes the SVG; the title it carries is XML-escaped by segno
