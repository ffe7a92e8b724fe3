"""One vocabulary of risk levels: the number and the risk domain's name, alike on the badge, the overview's
legend and the map's labels, in every language."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from outrider.risk.parameters import LEVEL_NAMES
from outrider.web import i18n, pages_map
from outrider.web.templating import environment

BADGE = '{% from "macros.html" import risk_badge with context %}{{ risk_badge(level, name) }}'


def _badge(lang: str, level: int) -> str:
    html = environment(lang).from_string(BADGE).render(level=level, name=LEVEL_NAMES[level - 1])
    found = re.search(r'<span class="badge risk-(\d)">(.*?)</span>', html)
    assert found, html
    assert found.group(1) == str(level)
    return found.group(2)


def test_the_pages_name_the_levels_as_the_risk_domain_does() -> None:
    assert list(pages_map.LEVEL_LABELS.values()) == list(LEVEL_NAMES)
    assert list(pages_map.LEVEL_LABELS) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("lang", sorted(i18n.LANGUAGES))
def test_the_badge_shows_the_number_and_the_name_in_the_readers_language(lang: str) -> None:
    catalog = i18n.translations(lang)
    for level, name in enumerate(LEVEL_NAMES, start=1):
        assert _badge(lang, level) == f"{level} · {catalog.gettext(name)}"
    if lang != i18n.DEFAULT:  # the names are translated, the numbers are the same everywhere
        assert all(catalog.gettext(name) != name for name in LEVEL_NAMES)


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_the_overview_legend_and_the_map_labels_agree_with_the_badge(
    client: TestClient, world: Any, lang: str
) -> None:
    cookie = f"outrider_session={world['duty'].token}; outrider_lang={lang}"
    page = client.get("/", headers={"Cookie": cookie})
    assert page.status_code == 200
    text = html.unescape(page.text)
    config = re.search(r'<script type="application/json" id="map-config">(.*?)</script>', page.text, re.S)
    assert config, "no map configuration"
    levels = json.loads(config.group(1))["levels"]
    for level in range(1, 6):
        shown = _badge(lang, level)
        assert levels[str(level)] == shown
        assert shown in text  # the legend
