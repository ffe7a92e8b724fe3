"""An editor's bracketed note heading a record with its kind and day. Pure."""

from __future__ import annotations

import re

# "[TRANSCRIPT - BREAKING NEWS TICKER AND ANCHOR SEGMENTS, CHANNEL 7 NEWS, THURSDAY 13 AUGUST 2026]": the
# kind of record an editor heads in brackets, and its day last
BRACKETED = re.compile(r"\[(?P<kind>[^\[\]]{3,160})[,–—-]\s*(?P<day>[^,\[\]–—-]{8,40})\]")
RECORD_KIND = re.compile(
    r"\b(?:transcripts?|broadcasts?|bulletin|programme|recording|minutes|proceedings)\b", re.I
)
# a page saved or shown by something other than its outlet: "[Unrolled by a thread reader app - saved ...]",
# "[Site banner: ...]", "[Channel clock shown in corner: ...]", "[Archived copy - collected ... by crawler]"
SAVED = re.compile(r"\b(?:saved|collected|crawl\w*|banner|clock|copy|snapshot)\b", re.I)


def record_day(line: str) -> str | None:
    """The day's text of a bracketed note naming the record's kind (a transcript, a bulletin, a programme)
    and closing on its day; None for any other line, or a note of how a page was saved or shown."""
    m = BRACKETED.fullmatch(line)
    if m is None or RECORD_KIND.search(m["kind"]) is None or SAVED.search(m["kind"]) is not None:
        return None
    return m["day"]
