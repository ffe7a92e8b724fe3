"""The three languages of everything a user reads (pure): their BCP 47 tags, which run right to left, and
a table of (English, Chinese, Urdu) words read in one of them."""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("en", "zh-Hans", "ur")
RTL_LANGUAGES = frozenset({"ur"})


def words(table: Mapping[str, tuple[str, str, str]], lang: str) -> dict[str, str]:
    """A table of (English, Chinese, Urdu) words in one language (English when ``lang`` is another)."""
    at = LANGUAGES.index(lang) if lang in LANGUAGES else 0
    return {key: values[at] for key, values in table.items()}
