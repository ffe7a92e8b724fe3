"""Text hard-wrapped at a fixed width (a plain-text wire, an e-mail, a newsletter): every line of a paragraph
broken where the next word would not fit. The cooperation reader takes a line as a sentence's end, so such a
text is read with those breaks as spaces. The width and the breaks are those the cleaning step reads
(`outrider.intel.wrapped`: `width`, `cut`), so both extractors read one wrap the same way.

The text keeps its length (a break becomes one space), so offsets into it are offsets into the text as
written.
"""

from __future__ import annotations

from outrider.intel.wrapped import cuts, width


def unwrapped(text: str) -> str:
    """The text with each line break the wrap made a space (a break before a line that opens something of its
    own, or after a line the next word would have fitted on, ends a headline, a list item or a paragraph, and
    stays)."""
    lines = text.split("\n")
    columns = width(lines)
    if columns is None:
        return text
    joined = [*cuts(lines, columns)[1:], False]
    return "".join(line + (" " if cut else "\n") for line, cut in zip(lines, joined, strict=True))[:-1]
