"""The compliance report and the release ledger PDFs print any name of their data in Chinese or Urdu (Urdu
joined, right to left, mixed with Latin names and numbers in reading order), their headings in the reader's
language, and without a font still render, naming the script they could not draw. Pure rendering."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outrider import pdf_report
from outrider.pdf_fonts import font_files
from outrider.protocols import report_pdf
from outrider.protocols.report import ComplianceReport, EvaluationRecord, build_report
from outrider.sharing import ledger, ledger_pdf
from pdf_text import drawn, page_text, shaped_forms

FONTS = font_files()
needs_fonts = pytest.mark.skipif(
    not {"latin", "arabic", "cjk"} <= FONTS.keys(),
    reason="the DejaVu, Noto Naskh Arabic and WenQuanYi fonts are not installed (make test installs them)",
)
AT = datetime(2026, 3, 14, 10, 30, tzinfo=UTC)
COMPANY = "华电工程"  # a company's name in Chinese
CONVOY = "قافلہ 7"  # a movement's reference in Urdu, with a number inside
POST = "چوکی پیر 12"  # a fact read: "checkpoint Pir 12"; ی is drawn final (چوکی) and medial (پیر)
PARTNER, USER, MINISTRY = "合作方使馆", "علی رضا", "وزارت داخلہ 2"


def _flipped(urdu: str) -> str:
    """An Urdu word as drawn and read back left to right: from its last letter to its first."""
    return urdu[::-1]


def _report() -> ComplianceReport:
    result = {"rule_id": "escort-ratio", "outcome": "fail", "severity": "blocking", "message": ""}
    record = EvaluationRecord(
        evaluation_id=1,
        at=AT,
        movement_id=4,
        movement_reference=CONVOY,
        organization_id=3,
        protocol_id="default-protection",
        protocol_version=1,
        protocol_hash="a" * 64,
        phase="plan",
        trigger="submit",
        passed=False,
        results=(result | {"facts_read": {"place": POST}},),
        waived=("escort-ratio",),
        facts_hash="b" * 64,
        facts={"place": POST},
    )
    start, end = date(2026, 3, 1), date(2026, 3, 31)
    return build_report([record], start=start, end=end, generated_at=AT, organization=COMPANY)


def _ledger() -> ledger.Ledger:
    row = ledger.Row(
        seq=7,
        record_hash="ab" * 32,
        at=AT,
        partner_org_id=2,
        partner=PARTNER,
        channel="bundle",
        policy_id=5,
        policy_version=4,
        bundle="bundle--x",
        user_id=3,
        user=USER,
        organization_id=1,
        organization=MINISTRY,
        objects=(ledger.Released("event", 9, "cd" * 32),),
        withheld=1,
    )
    return ledger.Ledger(2, None, AT, AT, (row,))


@needs_fonts
def test_a_chinese_compliance_report_prints_its_chinese_and_urdu_values() -> None:
    lines, glyphs = drawn(report_pdf.to_pdf(_report(), lang="zh-Hans"))
    zh = pdf_report.words(report_pdf.WORDS, "zh-Hans")
    assert lines[0] == zh["title"] and zh["per_rule"] in lines and zh["evidence"] in lines
    assert f"期间 2026-03-01 至 2026-03-31 组织 {COMPANY} 生成于 {AT.isoformat()}。" in lines
    # the Urdu reference, whole, and the Chinese words after it; the Urdu fact with its number where read
    assert any(f"{_flipped('قافلہ')} (行程 4) escort-ratio" in line for line in lines), lines
    assert any(
        f"escort-ratio [blocking] fail {zh['waived_jointly']} (submit, plan)" in line for line in lines
    )
    assert f'{zh["facts_read"]} place = "12 {_flipped("پیر")} {_flipped("چوکی")}"' in lines
    assert len(shaped_forms(glyphs, "ی")) >= 2  # joined: a final and a medial form
    assert "?" not in "".join(lines)


@needs_fonts
def test_an_urdu_compliance_report_reads_from_the_right_with_its_dates_whole() -> None:
    lines, glyphs = drawn(report_pdf.to_pdf(_report(), lang="ur"))
    ur = pdf_report.words(report_pdf.WORDS, "ur")
    assert lines[0] == _flipped(ur["title"])
    # drawn left to right: the line's last part at the left; each date and name whole
    generated, period = _flipped("تیاری کا وقت"), f"2026-03-31 {_flipped('تا')} 2026-03-01 {_flipped('مدت')}"
    assert f"۔{AT.isoformat()} {generated} {COMPANY} {_flipped('تنظیم')} {period}" in lines
    # a table's first column at the right: the value, then the heading
    assert f"1{_flipped(ur['evaluations'])}" in lines
    head = next(line for line in lines if "(submit, plan)" in line)  # read from the right: the date first
    order = [AT.isoformat(), _flipped("قافلہ"), _flipped("نقل و حرکت"), "escort-ratio", "(submit, plan)"]
    assert sorted(order, key=head.index, reverse=True) == order, head
    assert len(shaped_forms(glyphs, "ی")) >= 2


@needs_fonts
@pytest.mark.parametrize("lang", ["zh-Hans", "ur"])
def test_the_ledger_prints_the_partner_and_the_user_in_their_scripts(lang: str) -> None:
    lines, glyphs = drawn(ledger_pdf.to_pdf(_ledger(), lang=lang))
    w = pdf_report.words(ledger_pdf.WORDS, lang)
    if lang == "zh-Hans":
        assert lines[0] == w["title"] and f"{w['partner']}{PARTNER}" in lines
        head = f"经 bundle 发给 {PARTNER}，政策 5 第 4 版，操作人 {_flipped(USER)} ({_flipped(MINISTRY)})"
        assert f"{AT.isoformat()} {head}" in lines
    else:
        assert lines[0] == _flipped(w["title"]) and f"{PARTNER}{_flipped(w['partner'])}" in lines
        by = f"({_flipped(MINISTRY)}) {_flipped(USER)} {_flipped('از')}"
        assert any(line.startswith(by) and line.endswith(f"{PARTNER} {AT.isoformat()}") for line in lines)
    assert "event 9 sha256 " + "cd" * 32 in lines or f"{'cd' * 32} sha256 9 event" in lines
    assert len(shaped_forms(glyphs, "ی")) >= 1 and "?" not in "".join(lines)


def test_a_missing_font_is_named_and_the_pdf_still_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    no_chinese = {k: v for k, v in FONTS.items() if k != "cjk"}
    monkeypatch.setattr(pdf_report, "font_files", lambda: no_chinese)
    text = page_text(report_pdf.to_pdf(_report(), lang="en"))
    assert "Protocol compliance report" in text and "escort-ratio" in text
    assert "Chinese characters (Debian package fonts-wqy-microhei)" in text
    monkeypatch.setattr(pdf_report, "font_files", dict)  # no font at all: the PDF core fonts draw Latin-1
    for content in (report_pdf.to_pdf(_report(), lang="ur"), ledger_pdf.to_pdf(_ledger(), lang="zh-Hans")):
        text = page_text(content)
        assert content.startswith(b"%PDF-") and "Latin letters (Debian package fonts-dejavu-core)" in text
        assert "Urdu letters (Debian package fonts-noto-core)" in text and "2026-03-14T10:30:00+00:00" in text
    assert "Chinese characters (Debian package fonts-wqy-microhei)" in text  # the ledger's headings


_NAMES = st.text(st.sampled_from(list("Az9 -{}()\n\t\u2068\u2069\u202eé华电پشاوری😀")), max_size=24)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_NAMES, lang=st.sampled_from(["en", "zh-Hans", "ur"]), fonts=st.booleans())
def test_any_name_in_any_language_renders(
    monkeypatch: pytest.MonkeyPatch, name: str, lang: str, fonts: bool
) -> None:
    """Whatever a user typed (any script, brackets, line breaks, stray direction marks) renders, with the
    fonts or without them: a PDF, never an error."""
    monkeypatch.setattr(pdf_report, "font_files", lambda: {k: v for k, v in FONTS.items() if fonts})
    row = replace(_ledger().rows[0], partner=name, user=name or None, organization=name or None)
    content = ledger_pdf.to_pdf(replace(_ledger(), rows=(row,)), lang=lang)
    assert content.startswith(b"%PDF-")
    if not fonts:
        assert "Latin letters (Debian package fonts-dejavu-core)" in page_text(content)


def test_an_unknown_language_prints_english() -> None:
    english: dict[str, Any] = pdf_report.words(ledger_pdf.WORDS, "en")
    assert pdf_report.words(ledger_pdf.WORDS, "fr") == english and english["title"] == "Release ledger"
    for table in (report_pdf.WORDS, ledger_pdf.WORDS):  # every word in the three languages, none left empty
        assert all(len(values) == 3 and all(v.strip() for v in values) for values in table.values())
        braces = [{tuple(sorted(_names(v))) for v in values} for values in table.values()]
        assert all(len(names) == 1 for names in braces)  # the same values put in, in every language


def _names(template: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
