"""Every message a template translates survives Jinja's new-style gettext in every language.

New-style gettext formats each translated string with ``%`` (named placeholders), so a bare ``%`` in a
message or in one of its translations makes the page answer 500 (as /compliance did with "pass rate (%)").
"""

from __future__ import annotations

import re

import pytest
from jinja2 import Environment

from outrider.web import i18n
from outrider.web.templating import TEMPLATES

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _messages() -> list[tuple[str, str]]:
    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        for _line, _func, message in env.extract_translations(source):
            for text in message if isinstance(message, tuple) else (message,):
                if isinstance(text, str):
                    found.append((path.relative_to(TEMPLATES).as_posix(), text))
    return found


MESSAGES = _messages()


def test_the_templates_have_messages() -> None:
    assert len(MESSAGES) > 100


@pytest.mark.parametrize("code", sorted(i18n.LANGUAGES))
def test_every_template_message_formats_in_every_language(code: str) -> None:
    catalog = i18n.translations(code)
    broken = []
    for template, message in MESSAGES:
        values = dict.fromkeys(PLACEHOLDER.findall(message), "x")
        text = catalog.gettext(message)
        try:
            text % values
        except (ValueError, TypeError, KeyError) as exc:
            broken.append(f"{template}: {message!r} -> {text!r}: {exc}")
    assert not broken, "\n".join(broken)
