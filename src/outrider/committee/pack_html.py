"""The meeting pack and the minutes as self-contained HTML pages (no scripts, no external assets), with
headings in English, Chinese (simplified) or Urdu (right to left)."""

from __future__ import annotations

from enum import StrEnum

from jinja2 import Environment, PackageLoader, select_autoescape

from outrider.committee.pack_model import LANGUAGES, RTL, Pack, headings

_ENV = Environment(
    loader=PackageLoader("outrider.committee", "templates"), autoescape=select_autoescape(("html",))
)


class Document(StrEnum):
    """What to render of a meeting."""

    pack = "pack"  # the agenda and the follow-up of commitments
    minutes = "minutes"  # attendance, the record, outcomes and the parties' approval


def to_html(pack: Pack, *, document: Document = Document.pack, lang: str = "en") -> str:
    """The pack or the minutes as an HTML page with headings in ``lang`` (en, zh-Hans, ur)."""
    lang = lang if lang in LANGUAGES else "en"
    return _ENV.get_template("pack.html").render(
        p=pack, h=headings(lang), kind=document.value, lang=lang, rtl=lang in RTL
    )
