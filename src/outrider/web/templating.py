"""Jinja2 environments (one per language, with gettext installed) and the filters the pages share."""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from outrider.web import alert_titles, i18n, vocabulary
from outrider.web.qr import qr_svg

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def _zone(tz: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_time(value: datetime | None, tz: str | None = None, *, seconds: bool = False) -> Markup:
    """A time in a site's zone, with the zone shown: ``2026-11-24 07:30 PKT`` (the IANA name on hover)."""
    if value is None:
        return Markup("")
    zone = _zone(tz)
    here = value.astimezone(zone)
    offset = here.strftime("%z")
    shown = here.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    abbrev = here.strftime("%Z")
    # An abbreviation that is only an offset ("+05") says less than the offset itself.
    label = abbrev if abbrev and not abbrev.startswith(("+", "-")) else f"UTC{offset[:3]}:{offset[3:]}"
    title = f"{zone.key} (UTC{offset[:3]}:{offset[3:]})"
    template = Markup('<time datetime="{}" title="{}">{} {}</time>')
    return template.format(here.isoformat(), title, shown, label)


def local_input(value: datetime | None, tz: str | None = None) -> str:
    """A time as the value of a datetime-local input in a zone."""
    if value is None:
        return ""
    return value.astimezone(_zone(tz)).strftime("%Y-%m-%dT%H:%M")


def iso_day(value: date | None) -> str:
    """A day as YYYY-MM-DD."""
    return value.isoformat() if value else ""


def highlight(text: str, spans: list[tuple[int, int]]) -> Markup:
    """The text with the given character spans wrapped in <mark> (evidence sentences)."""
    out: list[str] = []
    pos = 0
    for number, (start, end) in enumerate(sorted(spans), start=1):
        start = max(start, pos)
        if start >= end:
            continue
        out.append(str(escape(text[pos:start])))
        out.append(f'<mark id="evidence-{number}" tabindex="-1">{escape(text[start:end])}</mark>')
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))  # noqa: S704 - every piece of text was escaped above


def to_json(value: Any) -> Markup:
    """JSON for a <script type="application/json"> block (no closing tags can break out of it)."""
    text = json.dumps(value, default=str, ensure_ascii=False)
    # The JSON has <, > and & escaped: it cannot close the <script> element it is placed in.
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S704 - no closing tag can break out


@cache
def environment(lang: str) -> Environment:
    """The template environment of a language (cached: one per language, shared by every request)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["local_time"] = local_time
    env.filters["local_input"] = local_input
    env.filters["iso_day"] = iso_day
    env.filters["highlight"] = highlight
    env.filters["to_json"] = to_json
    gettext = i18n.translations(lang).gettext
    env.filters.update(vocabulary.filters(gettext), **alert_titles.filters(gettext))
    env.globals["vocabulary_members"] = vocabulary.vocabulary_members
    env.filters["qr_svg"] = qr_svg
    env.globals["LANGUAGES"] = i18n.LANGUAGES
    env.globals["static_ready"] = (STATIC / "vendor" / "leaflet" / "leaflet.js").is_file()
    return env
