"""The pack and minutes PDFs draw Urdu joined (shaped by HarfBuzz) and in reading order: an Urdu line reads
from the right with its Latin names, dates and numbers whole; an English line keeps an Urdu value's digits
where an Urdu reader expects them; a missing font is named in the document. Pure rendering: no database."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from outrider import pdf_report
from outrider.committee import pack_pdf
from outrider.committee.pack_html import Document
from outrider.committee.pack_model import HEADINGS, Pack, PackItem
from outrider.pdf_fonts import (
    UnicodePDF,
    families_of,
    font_files,
    fonts_for,
    missing_fonts_note,
    reorder,
)
from pdf_text import drawn as _drawn
from pdf_text import shaped_forms

FONTS = font_files()
needs_fonts = pytest.mark.skipif(
    not {"latin", "arabic"} <= FONTS.keys(),
    reason="the DejaVu and Noto Naskh Arabic fonts are not installed (make test installs them: make browser)",
)
WHEN = datetime(2026, 3, 14, 10, 30, tzinfo=UTC)
URDU_TITLE = "ایندھن 2 ٹرک"  # an Urdu value with a number inside


def _pack(title: str) -> Pack:
    item = PackItem(position=1, title=title, restricted=False, text=None)
    return Pack(
        committee="Border Committee",
        meeting_id=1,
        number=4,
        title=title,
        starts_at=WHEN,
        timezone="UTC",
        place="Torkham",
        status="scheduled",
        previous_meeting_at=None,
        items=(item,),
        attendance=(),
        commitments=(),
        evidence=(),
        sections=(),
        minutes_hash="0" * 64,
        approved=False,
        tampered=False,
        awaiting=(),
        approvals=(),
    )


@needs_fonts
def test_urdu_letters_are_joined_and_drawn_with_the_arabic_font() -> None:
    content = pack_pdf.to_pdf(_pack("Quarterly review"), lang="ur")
    _, glyphs = _drawn(content)
    naskh = next(name for name in glyphs if "Naskh" in name or "Arabic" in name)
    # "پیروی" and "کی": ی is drawn medial and final, two different glyphs once shaped (one glyph unshaped)
    assert len(shaped_forms(glyphs, "ی")) >= 2, glyphs[naskh]
    latin = [name for name in glyphs if name != naskh]
    assert not any(families_of(text) & {"arabic"} for name in latin for _, text in glyphs[name])


@needs_fonts
def test_an_urdu_line_reads_from_the_right_with_latin_values_whole() -> None:
    lines, _ = _drawn(pack_pdf.to_pdf(_pack("Convoy to پشاور"), lang="ur"))
    meeting, when = HEADINGS["meeting"][2], HEADINGS["when"][2]
    # drawn left to right: the line's last part at the left, each Urdu word's letters from the right
    assert f"Convoy to {'پشاور'[::-1]} 4 {meeting[::-1]} Border Committee" in lines
    assert f"{WHEN.isoformat()} (UTC) {when[::-1]}" in lines
    assert lines[0] == HEADINGS["pack"][2][::-1]


@needs_fonts
def test_an_english_line_keeps_an_urdu_values_number_inside_it() -> None:
    lines, _ = _drawn(pack_pdf.to_pdf(_pack(URDU_TITLE), lang="en"))
    # right to left inside the value: ٹرک (leftmost), then 2, then ایندھن (rightmost)
    assert f"Border Committee Meeting 4 {'ٹرک'[::-1]} 2 {'ایندھن'[::-1]}" in lines
    assert f"1. {'ٹرک'[::-1]} 2 {'ایندھن'[::-1]}" in lines


@needs_fonts
@pytest.mark.parametrize("lang", ["en", "ur"])
def test_a_wrapped_urdu_text_keeps_its_order_on_every_line(lang: str) -> None:
    text = " ".join(["پشاور 12"] * 70)  # read from the right: پشاور, then 12, and again, over several lines
    item = PackItem(position=1, title="Quarterly review", restricted=False, text=text)
    lines, _ = _drawn(pack_pdf.to_pdf(replace(_pack("Quarterly review"), items=(item,)), lang=lang))
    drawn = "پشاور"[::-1]  # an Urdu word is drawn from its last letter, on the left, to its first
    wrapped = [line.split() for line in lines if drawn in line and "Quarterly" not in line]
    assert len(wrapped) >= 3
    # each line drawn at its paragraph's levels: read from the right, line after line, the words follow on
    assert [w for words in wrapped for w in reversed(words)] == [drawn, "12"] * 70


def test_a_missing_font_is_named_in_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    fonts = {k: v for k, v in FONTS.items() if k != "arabic"}
    monkeypatch.setattr(pdf_report, "font_files", lambda: fonts)
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pack_pdf.to_pdf(_pack("x"), lang="ur"))).pages
    )
    assert "Urdu letters (Debian package fonts-noto-core)" in text
    if "latin" not in fonts:
        assert "Latin letters (Debian package fonts-dejavu-core)" in text
    monkeypatch.setattr(pdf_report, "font_files", lambda: {})
    text = (
        PdfReader(io.BytesIO(pack_pdf.to_pdf(_pack("x"), document=Document.minutes))).pages[0].extract_text()
    )
    assert "Latin letters (Debian package fonts-dejavu-core)" in text and "Urdu" not in text


def test_missing_fonts_note_names_only_what_is_needed_and_absent() -> None:
    everything = {"latin": Path("l"), "cjk": Path("c"), "arabic": Path("a")}
    assert missing_fonts_note(families_of("Minutes 会议纪要 روداد"), everything) is None
    assert fonts_for("Minutes 12", everything) == {"latin": Path("l")}  # the Chinese font is slow to load
    assert fonts_for("روداد 会议", everything) == everything
    note = missing_fonts_note(families_of("会议纪要 and روداد"), {"latin": Path("l")})
    assert note is not None and "fonts-wqy-microhei" in note and "fonts-noto-core" in note
    assert missing_fonts_note(families_of("Minutes 12"), {"arabic": Path("a")}) == (
        "Fonts missing on the server, so these print as '?' or boxes: "
        "Latin letters (Debian package fonts-dejavu-core)."
    )


def test_runs_are_reversed_from_the_highest_level_to_the_lowest_odd_one() -> None:
    assert reorder([0, 1, 2, 1, 0]) == [0, 3, 2, 1, 4]  # a number inside an Urdu value, in an English line
    assert reorder([1, 2, 2, 3, 1]) == [4, 1, 2, 3, 0]  # Urdu inside a Latin name, in an Urdu line
    assert reorder([0, 2, 0]) == [0, 1, 2] and reorder([1, 1, 1]) == [2, 1, 0] and reorder([]) == []


@given(st.lists(st.integers(0, 5), max_size=12))
def test_reordering_moves_every_run_and_loses_none(levels: list[int]) -> None:
    order = reorder(levels)
    assert sorted(order) == list(range(len(levels)))
    if len(set(levels)) == 1:  # one level: kept left to right, or all reversed when it is odd
        assert order == list(range(len(levels)))[:: -1 if levels[0] % 2 else 1]


_WORDS = st.sampled_from(["Torkham", "7", "2026-03-14", "(UTC)", "پشاور", "ایندھن", "ٹرک", "#12", "وعدہ"])
_PARTS = st.lists(st.lists(_WORDS, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=4)


@needs_fonts
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=_PARTS, rtl=st.booleans())
def test_every_part_is_drawn_whole_and_nothing_is_lost(parts: list[str], rtl: bool) -> None:
    pdf = UnicodePDF("t", {k: v for k, v in FONTS.items() if k != "cjk"}, rtl=rtl)  # no Chinese: faster
    pdf.add_page()
    pdf.use(9)
    pdf.cell(0, 5, pdf.compose(parts))
    (line,), _ = _drawn(bytes(pdf.output()))
    flat = line.replace(" ", "")
    assert sorted(flat) == sorted("".join(parts).replace(" ", ""))
    for part in parts:  # each part's letters sit together, whatever the other parts around them
        p = part.replace(" ", "")
        windows = (flat[i : i + len(p)] for i in range(len(flat) - len(p) + 1))
        assert any(sorted(w) == sorted(p) for w in windows), (part, line)
        if "arabic" not in families_of(part):
            assert p in flat, (part, line)
