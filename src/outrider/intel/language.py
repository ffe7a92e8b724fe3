"""A report's language from its script and its commonest words: enough to route it, not to translate it."""

from __future__ import annotations

import re
from collections import Counter

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
# the letters of each script (Latin: ASCII letters and Latin-1 to Latin Extended-B), counted at C speed
_SCRIPTS = {
    "latin": re.compile("[A-Za-z\u00c0-\u024f]"),
    "arabic": re.compile("[\u0600-\u06ff\u0750-\u077f]"),
    "han": re.compile("[\u4e00-\u9fff\u3400-\u4dbf]"),
    "cyrillic": re.compile("[\u0400-\u04ff]"),
}


def detect_language(text: str) -> str:
    """An ISO 639-1 code (en, fr, de, es, ur, ar, fa, zh, ru), or "und" when the text does not say."""
    sample = text[:20_000]
    counts = {script: len(rx.findall(sample)) for script, rx in _SCRIPTS.items()}
    urdu = any(ch in sample for ch in _URDU_LETTERS)
    persian = any(ch in sample for ch in "پچژگ")
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
    told = Counter(words)
    scores = {lang: sum(k for w, k in told.items() if w in stop) for lang, stop in _STOPWORDS.items()}
    lang, hits = max(scores.items(), key=lambda kv: kv[1])
    return lang if hits >= max(3, len(words) // 50) else "und"
