"""Web sessions: sign-in and sign-out, cookie flags, CSRF on every change, rollback of a failed change,
need-to-know in pages and map layers, and the languages."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from outrider import db
from outrider.errors import Conflict
from outrider.http import csrf_token
from outrider.movements import planning
from outrider.movements.models import Movement, MovementEvent
from outrider.settings import get_settings
from outrider.web import i18n

PASSWORD = "correct horse battery staple"
ROUTE = {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.20, 24.88], [67.35, 24.78]]}


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    page = client.get("/login")
    return client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": _csrf(page.text),
            "next": "/movements",
        },
        follow_redirects=False,
    )


def _set_cookies(resp: Any) -> list[str]:
    return [v for k, v in resp.headers.multi_items() if k.lower() == "set-cookie"]


def test_sign_in_sets_a_strict_http_only_secure_cookie_and_sign_out_revokes_it(
    web_client: TestClient, world: Any
) -> None:
    assert web_client.get("/", follow_redirects=False).headers["location"] == "/login?next=/"
    resp = sign_in(web_client, "coord")
    assert resp.status_code == 303 and resp.headers["location"] == "/movements"
    cookie = next(c for c in _set_cookies(resp) if c.startswith("outrider_session="))
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert "httponly" in flags and "samesite=strict" in flags and "path=/" in flags
    assert "secure" in flags  # the tests run with OUTRIDER_ENV=test: Secure outside development
    board = web_client.get("/movements")
    assert board.status_code == 200 and "Movement board" in board.text
    assert board.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in board.headers["content-security-policy"]
    token = web_client.cookies.get("outrider_session")
    out = web_client.post("/logout", data={"csrf_token": _csrf(board.text)}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    # the old cookie is dead: revoked in the database, not only forgotten by the browser
    replay = web_client.get(
        "/movements", headers={"Cookie": f"outrider_session={token}"}, follow_redirects=False
    )
    assert replay.status_code == 303 and replay.headers["location"].startswith("/login")


def test_cookie_is_not_secure_in_development(
    web_client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "env", "development")
    cookie = next(c for c in _set_cookies(sign_in(web_client, "duty")) if c.startswith("outrider_session="))
    assert "secure" not in {p.strip().lower() for p in cookie.split(";")}


def test_wrong_password_is_refused_and_throttled(web_client: TestClient, world: Any) -> None:
    for _ in range(get_settings().login_max_failures):
        resp = sign_in(web_client, "coord", "not the password")
        assert resp.status_code == 401 and "Incorrect user name or password" in resp.text
        assert "outrider_session" not in web_client.cookies
    locked = sign_in(web_client, "coord")  # even the right password, while the account is locked
    assert locked.status_code == 429


def test_next_never_leaves_the_site(web_client: TestClient, world: Any) -> None:
    page = web_client.get("/login")
    resp = web_client.post(
        "/login",
        data={
            "username": "coord",
            "password": PASSWORD,
            "csrf_token": _csrf(page.text),
            "next": "//evil.example",
        },
        follow_redirects=False,
    )
    assert resp.headers["location"] == "/"


def test_every_change_needs_the_token_bound_to_the_session(web_client: TestClient, world: Any) -> None:
    sign_in(web_client, "coord")
    page = web_client.get("/account")
    good = _csrf(page.text)
    url = "/account/tokens"
    assert web_client.post(url, data={"name": "a"}, follow_redirects=False).status_code == 403
    assert (
        web_client.post(url, data={"name": "a", "csrf_token": "forged"}, follow_redirects=False).status_code
        == 403
    )
    other = csrf_token(get_settings().secret_key, world["duty"].token)  # another session's token
    assert (
        web_client.post(url, data={"name": "a", "csrf_token": other}, follow_redirects=False).status_code
        == 403
    )
    made = web_client.post(url, data={"name": "a", "csrf_token": good}, follow_redirects=False)
    assert made.status_code == 200 and "shown once" in made.text
    assert web_client.post(url, data={"name": "b"}, headers={"X-CSRF-Token": good}).status_code == 200
    # the sign-in form too: a forged sign-in is refused before the password is even looked at
    forged = TestClient(web_client.app, base_url="https://testserver").post(
        "/login", data={"username": "coord", "password": PASSWORD}
    )
    assert forged.status_code == 403


def test_api_changes_by_session_cookie_need_the_csrf_header(web_client: TestClient, world: Any) -> None:
    cookie = {"Cookie": f"outrider_session={world['coord'].token}"}
    assert web_client.get("/api/v1/me", headers=cookie).status_code == 200
    body = {"name": "t"}
    assert web_client.post("/api/v1/me/tokens", json=body, headers=cookie).status_code == 403
    good = {**cookie, "X-CSRF-Token": csrf_token(get_settings().secret_key, world["coord"].token)}
    assert web_client.post("/api/v1/me/tokens", json=body, headers=good).status_code == 201
    assert web_client.post("/api/v1/me/tokens", json=body, headers=world["coord"].headers).status_code == 201


def _movement(
    web_client: TestClient, world: Any, who: str, nationality: str, hours: float = 3
) -> dict[str, Any]:
    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        resp = web_client.post(f"/api/v1/{path}", json=body, headers=world[who].headers)
        assert resp.status_code in (200, 201), resp.text
        out: dict[str, Any] = resp.json()
        return out

    person = post("persons", {"name": f"P {who}", "nationality": nationality})
    dep = datetime.now(UTC) + timedelta(hours=hours)
    m = post(
        "movements",
        {
            "origin": {"lat": 24.9065, "lon": 67.1608, "label": "Airport"},
            "destination": {"lat": 24.78, "lon": 67.35, "label": "Plant"},
            "route": ROUTE,
            "planned_departure": dep.isoformat(),
            "planned_arrival": (dep + timedelta(hours=1)).isoformat(),
            "person_ids": [person["id"]],
        },
    )
    post(f"movements/{m['id']}/submit", {})
    return m


def test_no_itinerary_in_a_page_or_layer_the_user_may_not_see(web_client: TestClient, world: Any) -> None:
    theirs = _movement(web_client, world, "other_coord", "TR")  # no national of the liaison's country
    early = _movement(web_client, world, "coord", "CN", hours=72)  # the liaison's nationals, not yet released
    sign_in(web_client, "liaison")
    coordinate = "67.2"  # the route's middle vertex appears nowhere else
    assert web_client.get(f"/movements/{theirs['id']}").status_code == 404
    page = web_client.get(f"/movements/{early['id']}")
    assert page.status_code == 200 and early["reference"] in page.text
    assert "Itinerary not shown" in page.text
    for url in ("/", "/movements", "/movements/board", "/map/movements.geojson", f"/movements/{early['id']}"):
        body = web_client.get(url).text
        assert theirs["reference"] not in body, url
        assert coordinate not in body, url
    assert json.loads(web_client.get("/map/movements.geojson").text)["features"] == []
    # the planner sees the route of the same movement
    planner = TestClient(web_client.app, base_url="https://testserver")
    sign_in(planner, "coord")
    assert coordinate in planner.get(f"/movements/{early['id']}").text
    assert json.loads(planner.get("/map/movements.geojson").text)["features"]


def test_a_refused_change_leaves_nothing_behind(
    web_client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    m = _movement(web_client, world, "coord", "CN")
    sign_in(web_client, "coord")
    csrf = _csrf(web_client.get(f"/movements/{m['id']}").text)

    def half_done(session: Any, *, caller: Any, movement_id: int, reason: str, now: datetime) -> None:
        row = session.get(Movement, movement_id)
        row.status = "cancelled"
        planning.event(session, row, "cancelled", caller=caller, now=now)
        session.flush()
        raise Conflict("refused after writing")

    monkeypatch.setattr(planning, "cancel", half_done)
    with db.transaction() as session:
        before = session.scalar(select(func.count()).select_from(MovementEvent))
    resp = web_client.post(f"/movements/{m['id']}/cancel", data={"csrf_token": csrf}, follow_redirects=False)
    assert resp.status_code == 409 and "refused after writing" in resp.text
    with db.transaction() as session:
        assert session.get(Movement, m["id"]).status == "submitted"
        assert session.scalar(select(func.count()).select_from(MovementEvent)) == before


@pytest.mark.parametrize(
    ("lang", "direction", "word"), [("ur", "rtl", "منتقلیاں"), ("zh-Hans", "ltr", "行程")]
)
def test_languages_and_direction(
    web_client: TestClient, world: Any, lang: str, direction: str, word: str
) -> None:
    sign_in(web_client, "duty")
    page = web_client.get("/movements")
    switched = web_client.post(
        "/language",
        data={"lang": lang, "next": "/movements", "csrf_token": _csrf(page.text)},
        follow_redirects=True,
    )
    assert f'<html lang="{lang}" dir="{direction}">' in switched.text
    assert word in switched.text
    assert i18n.translations(lang).gettext("Movements") != "Movements"
    # Accept-Language chooses when no cookie says otherwise
    fresh = TestClient(web_client.app, base_url="https://testserver").get(
        "/login", headers={"Accept-Language": f"{lang},en;q=0.5"}
    )
    assert f'dir="{direction}"' in fresh.text


def test_every_catalog_compiles_and_keeps_its_placeholders() -> None:
    from babel.messages.pofile import read_po

    for language in i18n.LANGUAGES.values():
        if language.code == i18n.DEFAULT:
            continue
        translated = []
        for po in i18n.catalog_files(language.catalog):
            with po.open("rb") as fh:
                translated += [m for m in read_po(fh) if m.id and m.string]
        assert len(translated) >= 150, f"{language.code}: only {len(translated)} messages translated"
        for message in translated:
            wanted = set(re.findall(r"%\(\w+\)s", str(message.id)))
            assert set(re.findall(r"%\(\w+\)s", str(message.string))) == wanted, (language.code, message.id)


def test_every_message_of_the_pages_is_in_every_catalog() -> None:
    from babel.messages.extract import extract_from_dir

    web_dir = i18n.LOCALE_DIR.parent
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true"}}
    keywords = {"_": None, "gettext": None, "N_": None}
    used = {
        str(message[2] if isinstance(message[2], str) else message[2][0])
        for message in extract_from_dir(str(web_dir), method_map, options, keywords=keywords)
    }
    assert len(used) > 300
    for language in i18n.LANGUAGES.values():
        if language.code == i18n.DEFAULT:
            continue
        translated = {str(m.id) for m in i18n.read_catalog(language.catalog) if m.id and m.string}
        assert used - translated == set(), f"{language.code}: untranslated messages"
