"""The planning form keeps what was typed and shows every problem at once, beside its field, in the
reader's language; a refused plan leaves nothing behind."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from outrider.http import csrf_token
from outrider.settings import get_settings
from outrider.web import plan_form

ROUTE = {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.20, 24.88], [67.35, 24.78]]}


def _headers(world: Any, who: str, lang: str = "en") -> dict[str, str]:
    token = world[who].token
    return {
        "Cookie": f"outrider_session={token}; outrider_lang={lang}",
        "X-CSRF-Token": csrf_token(get_settings().secret_key, token),
    }


def _setup(client: TestClient, world: Any) -> dict[str, int]:
    """Two sites and a protected person of the coordinator's company."""

    def api(path: str, body: dict[str, Any]) -> int:
        resp = client.post(f"/api/v1/{path}", json=body, headers=world["coord"].headers)
        assert resp.status_code == 201, resp.text
        return int(resp.json()["id"])

    return {
        "origin": api("sites", {"name": "Airport gate", "kind": "project", "lat": 24.9065, "lon": 67.1608}),
        "destination": api("sites", {"name": "Plant", "kind": "project", "lat": 24.78, "lon": 67.35}),
        "person": api("persons", {"name": "Engineer Wang", "nationality": "CN"}),
    }


def _movements(client: TestClient, world: Any) -> int:
    resp = client.get("/api/v1/movements", headers=world["coord"].headers)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    return len(body["items"] if isinstance(body, dict) else body)


def _typed(ids: dict[str, int], **changes: Any) -> dict[str, Any]:
    day = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    form = {
        "origin_site": str(ids["origin"]),
        "destination_site": str(ids["destination"]),
        "departure": f"{day}T06:30",
        "arrival": f"{day}T08:00",
        "person_ids": str(ids["person"]),
        "reference": "KHI-PLANT-7",
        "purpose": "Site visit with the <turbine> supplier",
        "checkin_interval": "20",
        "route": json.dumps(ROUTE),
        "notes": "Bring the spare radio",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def _beside(page: str, field_id: str) -> str:
    """The problems shown beside a field (and the field says where they are)."""
    found = re.search(rf'<p class="field-error errors" id="{field_id}-error">(.*?)</p>', page, re.S)
    assert found, f"no problem beside {field_id}"
    assert f'aria-describedby="{field_id}-error"' in page
    return html.unescape(found.group(1))


def _post(client: TestClient, world: Any, form: dict[str, Any], lang: str = "en") -> Any:
    return client.post(
        "/movements/new", data=form, headers=_headers(world, "coord", lang), follow_redirects=False
    )


def test_no_protected_person_keeps_the_form_and_says_so_beside_the_persons(
    client: TestClient, world: Any
) -> None:
    ids = _setup(client, world)
    before = _movements(client, world)
    resp = _post(client, world, _typed(ids, person_ids=None))
    assert resp.status_code == 422
    page = resp.text
    assert "person_ids: Field required" not in page and 'id="plan-form"' in page
    assert _beside(page, "persons") == "Tick at least one protected person."
    # what was typed is there again, escaped
    for value in ("KHI-PLANT-7", "Site visit with the &lt;turbine&gt; supplier", "Bring the spare radio"):
        assert value in page
    assert f'<option value="{ids["origin"]}" selected>' in page
    assert f'<option value="{ids["destination"]}" selected>' in page
    assert 'value="20"' in page and str(escape(json.dumps(ROUTE))) in page
    assert _movements(client, world) == before


def test_every_problem_is_shown_at_once_beside_its_field(client: TestClient, world: Any) -> None:
    ids = _setup(client, world)
    empty = dict.fromkeys(("origin_site", "destination_site", "departure", "arrival", "route"), "")
    page = _post(client, world, empty | {"checkin_interval": "2", "reference": "a b"}).text
    assert _beside(page, "origin-site") == "Choose the site the movement leaves from."
    assert _beside(page, "destination-site") == "Choose the site the movement goes to."
    assert _beside(page, "departure") == "Give the date and time of departure."
    assert _beside(page, "arrival") == "Give the date and time of arrival."
    assert _beside(page, "persons") == "Tick at least one protected person."
    assert _beside(page, "checkin-interval") == "Give a whole number of minutes from 5 to 1440."
    assert _beside(page, "reference").startswith("Use 3 to 64 letters")
    assert _beside(page, "route-geojson").startswith("Draw the route on the map")
    # the route, times and order of times, alternates and an unknown site
    wrong = _typed(
        ids,
        origin_site="999999",
        arrival=_typed(ids)["departure"],
        route='{"type": "Point"',
        alternates="[1, 2]",
        person_ids="x",
        purpose="p" * 301,
    )
    page = _post(client, world, wrong).text
    assert _beside(page, "origin-site") == "Choose from the list."
    assert _beside(page, "arrival") == "The arrival must come after the departure."
    assert _beside(page, "route-geojson").startswith("The route cannot be read (")
    assert _beside(page, "alternates-geojson").startswith("Give at most 5 alternates")
    assert _beside(page, "persons") == "Choose from the list."
    assert _beside(page, "purpose") == "At most 300 characters."
    late = _typed(ids, arrival=(datetime.now(UTC) + timedelta(days=6)).strftime("%Y-%m-%dT%H:%M"))
    assert _beside(_post(client, world, late).text, "arrival").startswith("A movement lasts at most 72 hours")


def test_the_problems_are_in_the_readers_language(client: TestClient, world: Any) -> None:
    ids = _setup(client, world)
    page = _post(client, world, _typed(ids, person_ids=None, departure=""), lang="ur").text
    assert _beside(page, "persons") == "کم از کم ایک محفوظ شخص پر نشان لگائیں۔"
    assert _beside(page, "departure") == "روانگی کی تاریخ اور وقت درج کریں۔"
    page = _post(client, world, _typed(ids, person_ids=None), lang="zh-Hans").text
    assert _beside(page, "persons") == "请至少勾选一名受保护人员。"


def test_a_good_plan_is_saved_and_a_refusal_of_the_service_keeps_the_form(
    client: TestClient, world: Any
) -> None:
    ids = _setup(client, world)
    before = _movements(client, world)
    # another company's person: the service refuses, the form stays as typed
    other = client.post(
        "/api/v1/persons",
        json={"name": "Not yours", "nationality": "TR"},
        headers=world["other_coord"].headers,
    ).json()["id"]
    refused = _post(client, world, _typed(ids, person_ids=str(other)))
    assert refused.status_code in (403, 404, 422) and 'id="plan-error"' in refused.text
    assert "Bring the spare radio" in refused.text and _movements(client, world) == before
    saved = _post(client, world, _typed(ids))
    assert saved.status_code == 303 and re.match(r"/movements/\d+\?done=planned", saved.headers["location"])
    assert _movements(client, world) == before + 1


def test_only_planners_reach_the_form(client: TestClient, world: Any) -> None:
    ids = _setup(client, world)
    for who in ("analyst", "duty", "liaison", "auditor"):
        resp = client.post("/movements/new", data=_typed(ids, person_ids=None), headers=_headers(world, who))
        assert resp.status_code == 403, (who, resp.status_code)


FIELDS = ("reference", "purpose", "origin_site", "destination_site", "departure", "arrival")
FIELDS += ("checkin_interval", "route", "alternates", "notes")
KNOWN = {"", *FIELDS, "person_ids", "vehicle_ids"}
_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "1", "7", "0", "-3", "2027-01-10T06:30", "30", "1441", json.dumps(ROUTE), "[]"]),
)


@settings(max_examples=200, deadline=None)
@example(  # digits of other kinds: str.isdigit takes them, int() does not (or reads them as numbers)
    typed=dict.fromkeys(FIELDS, "²") | {"origin_site": "١", "checkin_interval": "٣٠"},
    persons=["²"],
    vehicles=[],
)
@given(
    typed=st.fixed_dictionaries(dict.fromkeys(FIELDS, _text)),
    persons=st.lists(_text, max_size=3),
    vehicles=st.lists(_text, max_size=3),
)
def test_any_typed_form_is_a_plan_or_problems_beside_known_fields(
    typed: dict[str, str], persons: list[str], vehicles: list[str]
) -> None:
    raw = typed | {"person_ids": persons, "vehicle_ids": vehicles, "submit_now": False}
    form, problems = plan_form.read(raw)
    zones = {1: "Asia/Karachi", 7: "UTC"}
    plan = plan_form.plan_of(form, problems, zone_of=zones.get, uploaded=None)
    assert set(problems) <= KNOWN
    assert (plan is None) == bool(problems)
    for found in problems.values():  # every message is one the catalogs translate, with its values
        for p in found:
            assert p.message in plan_form.MESSAGES
            assert (p.message % p.values) if p.values else p.message
    # what was typed is kept as typed (the choices as numbers)
    assert form.purpose == typed["purpose"] and form.notes == typed["notes"] and form.route == typed["route"]
    if plan is not None:
        assert plan.person_ids and plan.planned_arrival > plan.planned_departure
        assert form.origin_site in zones and form.destination_site in zones
