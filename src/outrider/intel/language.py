"""A report's language from its script and its commonest words: enough to route it, not to translate it."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zà-ÿ]+")
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "of",
            "and",
            "to",
            "in",
            "a",
            "is",
            "was",
            "were",
            "that",
            "for",
            "on",
            "with",
            "by",
            "said",
            "at",
            "from",
            "as",
            "have",
            "has",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "de",
            "des",
            "et",
            "un",
            "une",
            "est",
            "dans",
            "pour",
            "sur",
            "par",
            "qui",
            "que",
            "au",
            "aux",
            "du",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "ist",
            "nicht",
            "ein",
            "eine",
            "den",
            "dem",
            "mit",
            "von",
            "zu",
            "auf",
            "im",
            "sich",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "de",
            "y",
            "en",
            "un",
            "una",
            "que",
            "por",
            "con",
            "para",
            "del",
            "se",
            "fue",
        ]
    ),
}
_URDU_LETTERS = set("ٹڈڑںےۓ")  # letters of Urdu that Persian and Arabic do not use


def detect_language(text: str) -> str:
    """An ISO 639-1 code (en, fr, de, es, ur, ar, fa, zh, ru), or "und" when the text does not say."""
    sample = text[:20_000]
    counts = {"latin": 0, "arabic": 0, "han": 0, "cyrillic": 0}
    urdu = persian = 0
    for ch in sample:
        code = ord(ch)
        if (ch.isascii() and ch.isalpha()) or 0xC0 <= code <= 0x24F:
            counts["latin"] += 1
        elif 0x600 <= code <= 0x6FF or 0x750 <= code <= 0x77F:
            counts["arabic"] += 1
            urdu += ch in _URDU_LETTERS
            persian += ch in "پچژگ"
        elif 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
            counts["han"] += 1
        elif 0x400 <= code <= 0x4FF:
            counts["cyrillic"] += 1
    script, n = max(counts.items(), key=lambda kv: kv[1])
    if n < 20:
        return "und"
    if script == "han":
        return "zh"
    if script == "cyrillic":
        return "ru"
    if script == "arabic":
        if urdu:
            return "ur"
        return "fa" if persian else "ar"
    words = _WORD.findall(sample.lower())
    if not words:
        return "und"
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    lang, hits = max(scores.items(), key=lambda kv: kv[1])
    return lang if hits >= max(3, len(words) // 50) else "und"
