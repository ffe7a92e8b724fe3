"""The interactive API documentation (/docs) works without internet: its script and style are packaged."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from outrider.app import create_app
from outrider.web.templating import STATIC


def test_docs_load_their_assets_from_the_package_only() -> None:
    client = TestClient(create_app())
    page = client.get("/docs")
    assert page.status_code == 200
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert assets and all(a.startswith("/static/vendor/swagger-ui/") for a in assets), assets
    assert "/api/v1/openapi.json" in page.text
    assert not re.search(r"https?://", page.text)
    assert (STATIC / "vendor" / "swagger-ui" / "swagger-ui-bundle.js").is_file(), "run make web-assets"
    for asset in assets:
        got = client.get(asset)
        assert got.status_code == 200 and len(got.content) > 500, asset
