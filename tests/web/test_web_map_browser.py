"""The offline map in headless Chromium at 1366x768, on the demo (a server of this module's own): towns
labelled by zoom under the sites' labels and cordons at a duty officer's zoom, a layer control that hides
the towns, no request leaving 127.0.0.1; the planning map (in Urdu, right to left) joins clicked points by
straight lines and says so (no road data set is packaged). Screenshots go to test-output/web/.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from test_web_browser import ARGS, CHROMIUM, ROOT, SHOTS, Server, Session, server

pytestmark = pytest.mark.browser
__all__ = ["server"]  # the module's own demo server (module-scoped fixture)

TOWNS = ROOT / "src" / "outrider" / "web" / "static" / "vendor" / "places" / "towns.json"
# Jinnah International Airport and its checkpoint, a kilometre apart, at the zoom a duty officer works at
AIRPORT_VIEW = "/#map=12/24.9030/67.1560"


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    if not TOWNS.is_file():
        pytest.fail("the towns are not built: `make web-assets`")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _label_zooms() -> dict[str, int]:
    doc = json.loads(TOWNS.read_text(encoding="utf-8"))
    at = {f: i for i, f in enumerate(doc["fields"])}
    zooms: dict[str, int] = {}
    for row in doc["towns"]:
        name, zoom = row[at["name"]], row[at["zoom"]]
        zooms[name] = min(zoom, zooms.get(name, zoom))
    return zooms


def _boxes(page: Any, selector: str) -> list[dict[str, float]]:
    return [b for b in (el.bounding_box() for el in page.locator(selector).all()) if b]


def _apart(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] + a["width"] <= b["x"] + 1
        or b["x"] + b["width"] <= a["x"] + 1
        or a["y"] + a["height"] <= b["y"] + 1
        or b["y"] + b["height"] <= a["y"] + 1
    )


def _labels_beside_their_towns(page: Any) -> None:
    """Every town label starts just right of a town's dot, on its line (left-to-right and right-to-left)."""
    dots = _boxes(page, ".leaflet-places-pane path")
    labels = _boxes(page, ".town-label")
    assert labels and dots
    for label in labels:
        middle = label["y"] + label["height"] / 2
        assert any(
            abs(d["y"] + d["height"] / 2 - middle) < 4 and 0 <= label["x"] - (d["x"] + d["width"]) <= 12
            for d in dots
        ), label


def _labels_settled(page: Any, settled: Any, seconds: float = 10.0) -> set[str]:
    """The town labels once the map has finished moving (a loaded machine redraws late), or the last seen."""
    names: set[str] = set()
    for _ in range(int(seconds / 0.2)):
        names = set(page.locator(".town-label").all_inner_texts())
        if settled(names):
            break
        page.wait_for_timeout(200)
    return names


def _watch_requests(s: Session) -> list[str]:
    hosts: list[str] = []
    s.page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname or request.url))
    return hosts


def _zoom_out(page: Any, times: int) -> None:
    """One click at a time, each waited for in the link (a click during the animation would be lost)."""
    for _ in range(times):
        zoom = int(page.evaluate("window.location.hash").split("=")[1].split("/")[0])
        page.click(".leaflet-control-zoom-out")
        page.wait_for_function(f"() => window.location.hash.startsWith('#map={zoom - 1}/')")
        page.wait_for_timeout(350)  # the zoom animation, then the labels redrawn on moveend
    page.wait_for_timeout(300)  # labels taken away fade out for 200 ms before they leave the page


def test_the_duty_officer_sees_towns_sites_and_cordons_offline(browser: Any, server: Server) -> None:
    s = Session(browser, server, "duty")
    hosts = _watch_requests(s)
    page = s.go(AIRPORT_VIEW, map_ready=True)
    page.wait_for_selector(".town-label")
    # the sites' names stay on the map at this zoom, each clear of the other
    sites = page.locator(".site-label").all_inner_texts()
    assert {"Jinnah International Airport", "Airport Road Checkpoint"} <= set(sites), sites
    airport, checkpoint = (
        page.locator(".site-label", has_text=name).bounding_box()
        for name in ("Jinnah International Airport", "Airport Road Checkpoint")
    )
    assert airport and checkpoint and _apart(airport, checkpoint)
    # both cordon rings of the airport are drawn at their true size (1.5 km outer: some 85 px across here)
    outer = _boxes(page, "path.cordon-outer")
    inner = _boxes(page, "path.cordon-inner")
    assert max(b["width"] for b in outer) > 80 and max(b["width"] for b in inner) > 20, (outer, inner)
    towns = set(page.locator(".town-label").all_inner_texts())
    assert "Karachi" in towns, towns
    _labels_beside_their_towns(page)
    overlays = [t.strip() for t in page.locator(".leaflet-control-layers-overlays label").all_inner_texts()]
    assert overlays[0] == "Towns" and len(overlays) == 5, overlays
    assert "GeoNames" in page.inner_text(".leaflet-control-attribution")
    s.shot("map-airport-duty-z12")

    # far out, only the towns labelled from that zoom (capitals and large towns), no site label left on
    _zoom_out(page, 5)
    assert "#map=7/" in page.url
    page.evaluate("window.location.hash = '#map=5/27.0000/68.0000'")  # a link to another view
    zooms = _label_zooms()
    far = _labels_settled(page, lambda names: bool(names) and all(zooms[name] <= 5 for name in names))
    assert far and all(zooms[name] <= 5 for name in far), far
    assert {"Islamabad", "Karachi"} <= far
    expect(page.locator(".site-label")).to_have_count(0)
    s.shot("map-region-duty-z5")

    # the layer control hides the towns and brings them back
    page.locator(".leaflet-control-layers-overlays label", has_text="Towns").locator("input").uncheck()
    expect(page.locator(".town-label")).to_have_count(0)
    page.locator(".leaflet-control-layers-overlays label", has_text="Towns").locator("input").check()
    page.wait_for_selector(".town-label")
    assert set(hosts) == {"127.0.0.1"}, set(hosts)
    s.close()


def test_a_drawn_route_joins_clicks_by_straight_lines_and_says_so(browser: Any, server: Server) -> None:
    s = Session(browser, server, "coordinator")
    hosts = _watch_requests(s)
    page = s.go("/account")
    page.select_option("#lang-select", "ur")  # right to left: the labels still sit beside their towns
    page.click("form[action='/language'] button")
    page.wait_for_selector("html[lang='ur']")
    page = s.go("/movements/new", map_ready=True)
    assert "سڑکوں پر نہیں چلتا" in page.inner_text("#road-note")  # "does not follow roads"
    page.wait_for_selector(".town-label")
    _labels_beside_their_towns(page)
    page.click("#map", position={"x": 200, "y": 200})
    page.click("#map", position={"x": 330, "y": 260})
    route = json.loads(page.input_value("#route-geojson"))
    assert route["type"] == "LineString" and len(route["coordinates"]) == 2
    assert page.locator(".leaflet-places-pane path").count() > 0  # the towns under the drawing
    assert set(hosts) == {"127.0.0.1"}, set(hosts)
    s.close()
