"""A report pasted without a publication date: its date, its place and its victims as the incident shows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from outrider import db
from outrider.intel.casualties import casualties
from outrider.intel.extract import build_incidents
from outrider.intel.linking import best_match, link
from outrider.intel.victim_groups import home_country

OLD = (
    "Blast hits police van in Quetta\n\nA bomb went off next to a police van in Quetta yesterday, "
    "killing two policemen, officials said.\n"
)
PASTED = (
    "Bomb kills policemen in Quetta\n\nA bomb went off near a police vehicle in Quetta last Sunday, "
    "killing two policemen, officials said.\n"
)


def _post(client: TestClient, h: dict[str, str], text: str, **extra: Any) -> dict[str, Any]:
    r = client.post("/api/v1/intel/reports", json={"text": text, "source": "web", **extra}, headers=h)
    assert r.status_code == 201, r.text
    (outcome,) = r.json()
    assert outcome["status"] == "stored", outcome
    items = client.get(f"/api/v1/intel/incidents?report_id={outcome['report_id']}", headers=h).json()
    (one,) = items["items"]
    return dict(client.get(f"/api/v1/intel/incidents/{one['id']}", headers=h).json())


def test_a_pasted_undated_report_is_not_dated_on_last_year_s_attack_at_the_same_town(
    client: TestClient, world: Any
) -> None:
    h = world["analyst"].headers
    year_ago = (db.utcnow() - timedelta(days=365)).date()
    old = _post(client, h, OLD, published=year_ago.isoformat())
    assert old["date"] == (year_ago - timedelta(days=1)).isoformat()
    inc = _post(client, h, PASTED)  # as the web's paste form sends it: no publication date
    assert inc["report_published"] is None
    # the same town and target a year ago is another attack: the report stays undated, not a year early
    assert inc["date"] is None and inc["date_precision"] == "unknown", inc
    assert inc["event_id"] != old["event_id"]
    # the place is the words that name it, not the sentence; no nationality the report does not state
    assert (inc["location_text"], inc["city"]) == ("in Quetta", "Quetta")
    assert inc["killed"] == 2 and inc["killed_by_nationality"] == {}


def test_a_pasted_undated_report_still_joins_a_recent_event_at_the_same_town(
    client: TestClient, world: Any
) -> None:
    h = world["analyst"].headers
    days_ago = (db.utcnow() - timedelta(days=3)).date()
    old = _post(client, h, OLD, published=days_ago.isoformat())
    # The weekday the report names is the old event's (the day before its report): a fixed weekday would
    # tie the outcome to the day the test runs.
    weekday = (days_ago - timedelta(days=1)).strftime("%A")
    inc = _post(client, h, PASTED.replace(" last Sunday", f" on {weekday}"))
    assert inc["event_id"] == old["event_id"] and inc["date_basis"] == "linked event"


def test_the_place_is_the_phrase_naming_it() -> None:
    lines = (
        "Gunmen attack checkpoint",
        "Gunmen attacked a police checkpoint near Dasu on Friday, killing two policemen, police said.",
    )
    (inc,) = build_incidents(lines, None)
    assert (inc["location_text"], inc["city"]) == ("near Dasu", "Dasu")


def test_police_and_soldiers_are_of_the_incident_s_country_and_only_named_nationalities_break_down() -> None:
    alone = casualties("A bomb killed two policemen, officials said.")
    assert alone.killed == 2 and alone.killed_by_nationality == {}  # no nationality stated: nothing to show
    mixed = casualties("Gunmen killed three Chinese engineers and two policemen in Kabul.")
    assert mixed.killed == 5
    assert home_country(mixed.killed_by_nationality, "AF") == {"CN": 3, "AF": 2}  # Afghan police, not PK
    # a headline without nationalities, the body with them: the same toll, broken down
    both = casualties(
        "Two police officers and two visa seekers killed. Gunmen stormed the gate, killing two police "
        "officers and two Pakistani civilians."
    )
    assert both.killed == 4 and home_country(both.killed_by_nationality, "PK") == {"PK": 4}


def test_the_incident_page_shows_the_place_and_the_victims_by_nationality_as_words(
    client: TestClient, world: Any
) -> None:
    h = world["analyst"].headers
    inc = _post(
        client,
        h,
        "Convoy attacked near Dasu\n\nGunmen attacked a convoy near Dasu on Friday, killing three Chinese "
        "engineers and two policemen, police said.\n",
    )
    assert inc["killed_by_nationality"] == {"CN": 3, "PK": 2}
    page = client.get(
        f"/intel/incidents/{inc['id']}", headers={"Cookie": f"outrider_session={world['analyst'].token}"}
    )
    assert page.status_code == 200, page.text[:300]
    assert "near Dasu" in page.text and "CN 3, PK 2" in page.text
    assert "{&#39;" not in page.text and "{'" not in page.text  # no raw counter dict
    assert "killing three Chinese" not in page.text.split("Place", 1)[1].split("</dd>", 1)[0]


FOLLOW_UP = (
    "Gunmen attack police in Quetta\n\nGunmen attacked a police post in Quetta on December 1, 2026, killing "
    "two policemen, officials said. On December 20, a bomb exploded at a market in Bannu, killing three "
    "people.\n"
)


def test_a_later_day_without_year_is_of_the_main_event_s_year_when_no_publication_date_is_known() -> None:
    lines = tuple(FOLLOW_UP.splitlines())
    got = {i["city"]: (i["date"], i["date_basis"]) for i in build_incidents(lines, None)}
    # the report was written on or after December 1, 2026: its "December 20" is not 2025's
    assert got == {"Quetta": ("2026-12-01", "text"), "Bannu": ("2026-12-20", "main event")}
    turn = (
        "Blast in Quetta",
        "A bomb exploded in Quetta on December 28, 2026. On January 3, gunmen attacked Bannu.",
    )
    turned = {i["city"]: i["date"] for i in build_incidents(turn, None)}
    assert turned == {"Quetta": "2026-12-28", "Bannu": "2027-01-03"}
    # with a publication date the rule stays: a day more than two days after it is of the year before
    dated = {i["city"]: i["date"] for i in build_incidents(lines, date(2026, 12, 2))}
    assert dated["Bannu"] == "2025-12-20"


def test_a_pasted_follow_up_is_stored_with_the_main_event_s_year(client: TestClient, world: Any) -> None:
    h = world["analyst"].headers
    r = client.post("/api/v1/intel/reports", json={"text": FOLLOW_UP, "source": "web"}, headers=h)
    assert r.status_code == 201, r.text
    rows = client.get(f"/api/v1/intel/incidents?report_id={r.json()[0]['report_id']}", headers=h).json()
    assert {i["city"]: i["date"] for i in rows["items"]} == {"Quetta": "2026-12-01", "Bannu": "2026-12-20"}


def test_an_undated_shooting_does_not_join_a_bombing_of_the_same_town() -> None:
    bombing: dict[str, Any] = {
        "doc_id": "a",
        "date": "2026-12-01",
        "date_precision": "day",
        "country": "PK",
        "city": "Dasu",
    }
    bombing |= {"attack_type": "bombing", "target_type": "police", "killed": 2}
    shooting = dict(bombing, doc_id="b", date=None, date_precision="unknown", attack_type="armed_assault")
    assert best_match(shooting, [bombing]) is None
    assert len(set(link([bombing, shooting]))) == 2
    assert best_match(dict(shooting, attack_type="unknown"), [bombing]) == 0  # a kind not known may join


def test_a_pasted_undated_shooting_is_not_dated_on_a_recent_bombing(client: TestClient, world: Any) -> None:
    h = world["analyst"].headers
    days_ago = (db.utcnow() - timedelta(days=3)).date()
    old = _post(client, h, OLD, published=days_ago.isoformat())
    inc = _post(
        client,
        h,
        "Gunmen attack checkpoint\n\nGunmen attacked a police checkpoint in Quetta on Friday, killing two "
        "policemen, police said.\n",
    )
    assert inc["event_id"] != old["event_id"] and inc["date"] is None
