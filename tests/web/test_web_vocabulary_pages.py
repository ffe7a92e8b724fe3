"""The `make run` demo's alerts, movement, board, intelligence, compliance and overview pages in Chinese and
Urdu: the domain's words in the reader's language, none of the English ones left (the English pages keep
them)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from outrider.registry.schemas import SiteKind
from outrider.web import i18n, vocabulary


def _catalog(name: str) -> dict[str, str]:
    return {str(m.id): str(m.string) for m in i18n.read_catalog(name) if m.id and m.string}


# --- the demo's pages in Chinese and Urdu -----------------------------------------------------------------

# English words of the vocabularies that the demo's alerts, movement and compliance pages show
ENGLISH = (
    "overdue",
    "under way",
    "approved",
    "critical",
    "movement overdue",
    "missed checkin",
    "missed check-in",
    "passed",
    "not applicable",
    "blocking",
    "checked against the protocols",
    "escort assigned",
    "protocol checked",
    "approve",
    "planning",
    "execution",
    "departed",
    "the gate passes",
    "fact unknown",
    "bombing",
    "armed assault",
    "confirmed",
    "proposed",
)
WANTED = {
    "zh-Hans": ("行程逾期", "逾期（错过报到）", "已按协议检查", "已指派护卫", "阻断性", "没有生效的协议"),
    "ur": ("نقل و حرکت میں تاخیر", "تاخیر (اطلاع چھوٹ گئی)", "پروٹوکول کے مطابق جانچا گیا", "رکاوٹی"),
}


def _visible(page: str) -> str:
    page = re.sub(r"<script\b.*?</script>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str], int]]:
    from outrider import db, migrate
    from outrider.alerts.models import Alert
    from outrider.app import create_app
    from outrider.demo import protocols as demo_protocols
    from outrider.demo.service import load_demo

    engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('vocabulary') / 'demo.db'}")
    migrate.upgrade(engine)
    db.set_engine(engine)
    try:
        with db.transaction() as session:
            logins = {x.username: x.password for x in load_demo(session, now=db.utcnow())}
        with db.transaction() as session:
            demo_protocols.agree_and_check(session, now=db.utcnow())
            overdue = session.scalars(select(Alert).where(Alert.kind == "movement_overdue")).first()
            assert overdue is not None, "the demo has an overdue movement"
            movement_id = int(overdue.subject_id)
        with TestClient(create_app(), base_url="https://testserver", raise_server_exceptions=False) as client:
            yield client, logins, movement_id
    finally:
        db.set_engine(None)
        engine.dispose()


def _sign_in(client: TestClient, password: str, lang: str, username: str = "duty") -> None:
    client.cookies.clear()
    client.cookies.set("outrider_lang", lang)
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    signed = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token.group(1), "next": "/alerts"},
        follow_redirects=False,
    )
    assert signed.status_code == 303, signed.text[:300]


def _pages(client: TestClient, password: str, lang: str, movement_id: int) -> str:
    _sign_in(client, password, lang)
    texts = []
    for path in ("/alerts", f"/movements/{movement_id}", "/compliance", "/movements", "/intel"):
        page = client.get(path)
        assert page.status_code == 200, (path, page.text[:300])
        if path == "/compliance":  # the report's PDF in the reader's language
            assert f"format=pdf&amp;lang={lang}" in page.text
        texts.append(_visible(page.text))
    return "\n".join(texts)


@pytest.mark.parametrize("lang", ["zh-Hans", "ur"])
def test_the_demos_pages_show_no_english_domain_word(
    demo: tuple[TestClient, dict[str, str], int], lang: str
) -> None:
    client, logins, movement_id = demo
    text = _pages(client, logins["duty"], lang, movement_id)
    for english in ENGLISH:
        assert not re.search(rf"(?<![\w-]){re.escape(english)}(?![\w-])", text), (lang, english)
    for title in vocabulary.default_rule_titles().values():
        assert title not in text, (lang, title)
    for translated in WANTED[lang]:
        assert translated in text, (lang, translated)


def test_the_demos_pages_in_english_keep_the_english_words(
    demo: tuple[TestClient, dict[str, str], int],
) -> None:
    client, logins, movement_id = demo
    text = _pages(client, logins["duty"], "en", movement_id)
    assert "movement overdue" in text and "overdue (missed check-in)" in text
    assert "checked against the protocols" in text
    assert re.search(r"\b(bombing|armed assault)\b", text) and re.search(r"\b(confirmed|proposed)\b", text)
    assert any(title in text for title in vocabulary.default_rule_titles().values())


def test_the_maps_get_the_domains_words_in_the_readers_language(
    demo: tuple[TestClient, dict[str, str], int],
) -> None:
    client, logins, _movement_id = demo
    _sign_in(client, logins["duty"], "ur")
    page = client.get("/")
    found = re.search(r'<script type="application/json" id="map-config">(.*?)</script>', page.text, re.S)
    assert found, "the overview has its map configuration"
    terms = json.loads(found.group(1))["terms"]
    ur = _catalog("ur")
    assert terms["movement_status"]["under_way"] == ur["under way"]
    assert terms["attack_type"]["armed_assault"] == ur["armed assault"]
    assert set(terms["site_kind"]) == set(SiteKind)


def test_the_roles_are_named_in_the_readers_language(demo: tuple[TestClient, dict[str, str], int]) -> None:
    client, logins, _movement_id = demo
    _sign_in(client, logins["admin"], "zh-Hans", "admin")
    pages = client.get("/accounts/users").text + client.get("/admin").text
    # the arrangement and the proposals' payloads are documents, shown as written
    text = _visible(re.sub(r"<(pre|textarea)\b.*?</\1>", " ", pages, flags=re.S))
    zh = _catalog("zh_Hans")
    assert "duty_officer" not in text  # (the demo's user names are words like "analyst": they stay)
    for role in ("duty officer", "administrator", "intelligence analyst", "partner liaison", "auditor"):
        assert zh[role] in text, role
