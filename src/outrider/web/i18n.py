"""Languages of the web pages: gettext catalogs (.po, compiled in memory at start), negotiation, direction."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANG_COOKIE = "outrider_lang"
DOMAIN = "messages"


@dataclass(frozen=True)
class Language:
    """A language the pages are offered in."""

    code: str  # BCP 47, used in the cookie and in <html lang>
    catalog: str  # the folder under locale/
    name: str  # in the language itself
    direction: str  # ltr or rtl


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "en", "English", "ltr"),
    "zh-Hans": Language("zh-Hans", "zh_Hans", "中文（简体）", "ltr"),
    "ur": Language("ur", "ur", "اردو", "rtl"),
}
DEFAULT = "en"
# Accept-Language tags that select a language (the first match wins).
_ALIASES = {
    "zh": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh-sg": "zh-Hans",
    "zh-hans": "zh-Hans",
    "ur": "ur",
    "en": "en",
}


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def catalog_files(catalog: str) -> list[Path]:
    """A language's .po files: `messages.po`, then the fragments beside it (one per area of the pages,
    for example `registry.po`) in name order; a later file's translation of a message wins."""
    folder = LOCALE_DIR / catalog / "LC_MESSAGES"
    main = folder / f"{DOMAIN}.po"
    rest = sorted(p for p in folder.glob("*.po") if p != main)
    return ([main] if main.is_file() else []) + rest


def read_catalog(catalog: str) -> Catalog:
    """A language's messages, merged from its .po files."""
    merged = Catalog(locale=catalog)
    for po in catalog_files(catalog):
        with po.open("rb") as fh:
            for message in read_po(fh, locale=catalog):
                if message.id and message.string:
                    merged[message.id] = message
    return merged


@cache
def translations(code: str) -> gettext.NullTranslations:
    """The catalog of a language, compiled from its .po files (English: the messages themselves)."""
    language = LANGUAGES.get(code)
    if language is None or language.code == DEFAULT:
        return gettext.NullTranslations()
    catalog = read_catalog(language.catalog)
    if not len(catalog):
        return gettext.NullTranslations()
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    """The language to answer in: the cookie's choice, else the browser's preference, else English."""
    if cookie in LANGUAGES:
        return cookie
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if not tag:
            continue
        if tag.startswith(("zh-hant", "zh-tw", "zh-hk", "zh-mo")):
            continue  # traditional script: not offered
        found = _ALIASES.get(tag) or _ALIASES.get(tag.split("-")[0])
        if found:
            return found
    return DEFAULT
