"""The compliance report's HTML page in English, Chinese and Urdu (right to left): the pure page, the API's
and the command line's HTML, the web page's link in the reader's language, and a clear refusal of any other
language."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from outrider.cli import app
from outrider.languages import LANGUAGES, words
from outrider.protocols.report import EvaluationRecord, build_report, to_html
from outrider.protocols.report_words import HTML_WORDS, WORDS

ALL_WORDS = {**WORDS, **HTML_WORDS}
# the headings every page shows (the violations' table too, as the report below has one)
HEADINGS = ("title", "summary", "trend", "per_rule", "evidence", "refused_head", "when", "facts_hash", "gate")


def _report() -> Any:
    failed = EvaluationRecord(
        evaluation_id=7,
        at=datetime(2026, 2, 3, 9, tzinfo=UTC),
        movement_id=4,
        movement_reference="MOV-4",
        organization_id=3,
        protocol_id="default-protection",
        protocol_version=1,
        protocol_hash="a" * 64,
        phase="plan",
        trigger="approve",
        passed=False,
        results=(
            {
                "rule_id": "escort-ratio",
                "outcome": "fail",
                "severity": "blocking",
                "message": "",
                "facts_read": {},
            },
        ),
        waived=(),
        facts_hash="b" * 64,
        facts={"escort_units": 0},
    )
    return build_report(
        [failed],
        start=date(2026, 2, 1),
        end=date(2026, 2, 28),
        generated_at=datetime(2026, 3, 1, tzinfo=UTC),
        organization="Acme Hydro",
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_renders_its_headings_and_direction(lang: str) -> None:
    page = to_html(_report(), lang=lang)
    w = words(ALL_WORDS, lang)
    direction = "rtl" if lang == "ur" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in page
    for key in HEADINGS:
        assert w[key] in page, key
    assert w["doc"].format(start="2026-02-01", end="2026-02-28") in page  # the page's title
    assert "MOV-4" in page and "Acme Hydro" in page  # values print as written
    if lang != "en":  # translated, not English
        english = words(ALL_WORDS, "en")
        assert all(english[key] not in page for key in ("summary", "per_rule", "evidence", "gate"))


def test_every_word_has_three_distinct_languages_and_the_same_placeholders() -> None:
    for key, (en, zh, ur) in ALL_WORDS.items():
        assert en and zh and ur and len({en, zh, ur}) == 3, key
        for other in (zh, ur):
            assert sorted(re.findall(r"\{(\w+)\}", en)) == sorted(re.findall(r"\{(\w+)\}", other)), key


def test_an_unknown_language_is_english_in_the_pure_page() -> None:
    assert '<html lang="en" dir="ltr">' in to_html(_report(), lang="fr")


# the page is the same on both databases: SQLite only
SQLITE = pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)


@SQLITE
def test_the_api_and_the_command_line_give_the_html_in_a_language_and_refuse_others(
    client: TestClient, world: Any
) -> None:
    q = "/api/v1/protocols/report?from=2026-02-01&to=2026-02-28&format=html"
    h = world["auditor"].headers
    urdu = client.get(q + "&lang=ur", headers=h)
    assert urdu.status_code == 200 and urdu.headers["content-type"].startswith("text/html")
    assert 'dir="rtl"' in urdu.text and WORDS["title"][2] in urdu.text
    assert WORDS["title"][0] in client.get(q, headers=h).text  # English unless asked
    bad = client.get(q + "&lang=fr", headers=h)
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert "lang" in bad.text
    runner = CliRunner()
    args = ["protocols", "report", "--from", "2026-02-01", "--to", "2026-02-28", "--format", "html"]
    chinese = runner.invoke(app, [*args, "--lang", "zh-Hans", "--as", "auditor"])
    assert (
        chinese.exit_code == 0 and WORDS["title"][1] in chinese.stdout and 'lang="zh-Hans"' in chinese.stdout
    )
    wrong = runner.invoke(app, [*args, "--lang", "fr", "--as", "auditor"])
    assert wrong.exit_code == 2 and "Traceback" not in wrong.output and "--lang" in wrong.output


@SQLITE
def test_the_web_page_links_the_html_report_in_the_readers_language(client: TestClient, world: Any) -> None:
    for lang in LANGUAGES:
        page = client.get(
            "/compliance?from=2026-02-01&to=2026-02-28",
            headers={"Cookie": f"outrider_session={world['auditor'].token}; outrider_lang={lang}"},
        )
        assert page.status_code == 200 and f"format=html&amp;lang={lang}" in page.text
