"""Turn a raw report (text, HTML, RSS/Atom) into clean article lines; per-file errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from outrider.intel.dates import parse_date_text
from outrider.intel.solar import solar_dated
from outrider.intel.tables import spell_tables
from outrider.intel.wrapped import unwrap

MAX_BYTES = 5_000_000

RELATED = re.compile(r"^\s*(also read|related|read more|trending|see also)\b\s*[:|-]?\s*", re.I)
# "Share", "Share this", "Reply": a button; "Shareholders may recall that ...", "Replying to ...": a sentence
BOILER = re.compile(
    r"^\s*(advertisement|sponsored|shared?(?![a-z])( this)?|comments?\s*\(?\d*\)?"
    r"|\d[\d,.]*\s*(followers|likes|views|shares|comments)|follow us|subscribe\b|sign in|log ?in|cookie"
    r"|all rights reserved|copyright|©|reader comments?|leave a (comment|reply)|reply(?![a-z])|report abuse"
    r"|weather:)",
    re.I,
)
COMMENT_LINE = re.compile(
    r"^\s*[\w .'-]{2,30}\s*(\(\d+ ?[hdm]\w* ago\)|\d+ (hours?|days?|minutes?) ago)", re.I
)
# Each item is atomic: the spaces around a bar can go to the item or to the bar, and trying every split of a
# long table row that is no menu (a value with a colon at its end) took minutes.
MENU = re.compile(r"^(?>[\w&'. -]{1,20}\s*\|\s*){2,}[\w&'. -]{1,20}$")


class ReportError(ValueError):
    """A report that cannot be read; the message is one line for the user."""


@dataclass(frozen=True)
class CleanDoc:
    """Article lines, related headlines kept apart, and the raw HTML metadata date if any."""

    title: str
    lines: tuple[str, ...]
    related: tuple[str, ...] = ()
    meta_published: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def decode(data: bytes) -> str:
    """Decode bytes as UTF-8, else via charset detection; reject binary and empty input."""
    if not data.strip():
        raise ReportError("empty file")
    if len(data) > MAX_BYTES:
        raise ReportError(f"file too large ({len(data)} bytes, limit {MAX_BYTES})")
    if b"\x00" in data[:4096]:
        raise ReportError("binary file, not a text report")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding in (None, "utf_8"):
        raise ReportError("invalid UTF-8 and no recognisable text encoding")
    return str(best)


def filter_lines(text: str) -> tuple[list[str], list[str]]:
    """Split scraped text into kept article lines and related headlines; drop boilerplate."""
    kept: list[str] = []
    related: list[str] = []
    seen: set[str] = set()
    in_comments = False
    in_related = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            in_related = False
            continue
        if in_related and re.match(r"^[-•*»]\s*", line):
            related.append(line.lstrip("-•*» ").strip())
            continue
        in_related = False
        low = line.lower()
        if re.match(r"^(\d+\s+)?(reader )?comments?\b", low) or low.startswith(
            ("what readers say", "readers' comments")
        ):
            in_comments = True
            continue
        if in_comments:
            continue
        m = RELATED.match(line)
        if m:
            rest = line[m.end() :].strip()
            if re.fullmatch(r"(articles?|stories|news|posts?|links?)?\s*:?", rest, re.I):
                in_related = True
            elif rest:
                related.append(rest)
            continue
        # "Asia Daily | Khorog | 9 March 2031", "Translated | Outlet | 29 Dalw 1410" is no menu: a masthead
        if (
            BOILER.match(line)
            or COMMENT_LINE.match(line)
            or (MENU.match(line) and not (parse_date_text(line) or solar_dated(line)))
        ):
            continue
        key = re.sub(r"\W+", " ", low).strip()
        if key in seen:
            continue  # duplicated teaser
        seen.add(key)
        kept.append(line)
    return kept, related


def clean_text(text: str) -> CleanDoc:
    """Clean a plain-text report (a hard-wrapped one's paragraphs joined back: `wrapped.unwrap`)."""
    lines, related = filter_lines(spell_tables(unwrap(text)))
    if not lines:
        raise ReportError("no article text")
    title = next((ln for ln in lines if len(ln.split()) >= 4 and not re.search(r"\d{4}", ln)), lines[0])
    first = first_comment(text)
    return CleanDoc(title, tuple(lines), tuple(related), extra={"first_comment": first} if first else {})


COMMENT_STAMP = re.compile(
    r"[·|•-]\s*(?P<when>\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+(?:19|20)\d\d|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+(?:19|20)\d\d)\s*$"
)


def first_comment(text: str) -> str | None:
    """The earliest date stamped on a reader's comment ("Rubina · 11 Jan 2031"), ISO: the report was
    published on or before it, usually days before."""
    start = re.search(r"^\s*(?:\d+\s+)?(?:reader )?comments?\b.*$", text, re.I | re.M)
    if start is None:
        return None
    stamps = (COMMENT_STAMP.search(line.strip()) for line in text[start.end() :].splitlines())
    days = [d for m in stamps if m is not None and (d := parse_date_text(m["when"])) is not None]
    return min(days).isoformat() if days else None


def clean_html(html: str) -> CleanDoc:
    """Extract the article from HTML with trafilatura (comments off), then filter lines."""
    import trafilatura

    body = trafilatura.extract(html, include_comments=False, include_tables=False)
    if not body or len(body.strip()) < 80:  # navigation crumbs are not an article
        raise ReportError("HTML without article text")
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta and meta.title else None
    published = meta.date if meta and meta.date else None
    doc = clean_text(((title + "\n\n") if title else "") + body)
    extra = {"outlet": str(meta.sitename)} if meta and meta.sitename else {}
    return CleanDoc(title or doc.title, doc.lines, doc.related, published, extra)


def split_feed(text: str) -> list[tuple[str, str, str | None]]:
    """Parse RSS/Atom into (entry id, text, published ISO date) triples."""
    import feedparser

    feed = feedparser.parse(text)
    out = []
    for i, entry in enumerate(feed.entries):
        summary = entry.get("summary", "") or ""
        content = entry.get("content") or []
        body = content[0].get("value", "") if content else summary
        body = re.sub(r"<[^>]+>", " ", str(body))
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        pub = f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}" if parsed else None
        out.append((str(entry.get("id") or i), f"{entry.get('title', '')}\n\n{body}", pub))
    return out


def looks_like_html(text: str) -> bool:
    """True when the text is an HTML page."""
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)


def looks_like_feed(text: str) -> bool:
    """True when the text is an RSS or Atom feed."""
    head = text[:500].lower()
    return "<rss" in head or ("<feed" in head and "atom" in head)
