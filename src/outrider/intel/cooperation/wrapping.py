"""Text hard-wrapped at a fixed width (a plain-text wire, an e-mail, a newsletter): every line of a paragraph
broken where the next word would not fit. The cooperation reader takes a line as a sentence's end, so such a
text is read with those breaks as spaces; the width is the one most of its lines fill.

The text keeps its length (a break becomes one space), so offsets into it are offsets into the text as
written.
"""

from __future__ import annotations

MAX_WIDTH = 100  # wider lines are paragraphs, not a wrapped column
MIN_FULL = 4  # lines that fill the width before a text counts as wrapped
FULL_SHARE = 0.4  # of the lines with text
SLACK = 15  # a full line ends within this many characters of the width


def _width(lengths: list[int]) -> int | None:
    """The width a text is wrapped at, if most of its lines fill one; else None."""
    if not lengths or (max(lengths) > MAX_WIDTH and sum(n > MAX_WIDTH for n in lengths) * 10 > len(lengths)):
        return None
    inside = [n for n in lengths if n <= MAX_WIDTH]
    width = max(inside, default=0)
    full = sum(width - SLACK <= n <= width for n in inside)
    return width if full >= MIN_FULL and full >= FULL_SHARE * len(lengths) else None


def unwrapped(text: str) -> str:
    """The text with each line break inside a wrapped paragraph a space (a break where the next word would
    have fitted on the line ends a headline, a list item or a paragraph, and stays)."""
    lines = text.split("\n")
    width = _width([len(line.rstrip()) for line in lines if line.strip()])
    if width is None:
        return text
    out: list[str] = []
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        words = following.split()
        fits = len(line.rstrip()) + 1 + len(words[0]) <= width if words else True
        out.append(line + (" " if line.strip() and not fits else "\n"))
    return "".join(out)[:-1] if lines else text
