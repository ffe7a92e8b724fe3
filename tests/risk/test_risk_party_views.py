"""A rising risk reaches every party of a movement in its own view (docs/risk.md, "Who counts what"): a party
from which an event is withheld is alerted when its own level rises, with its own figures only; a party whose
view is the holder's keeps the one holder's alert; nobody reads an alert, a level or a reference it should
not, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from outrider import db
from outrider.accounts.models import User
from outrider.alerts.models import Alert
from outrider.cordon import alert_desk
from outrider.http import caller_of
from outrider.jobs import run_jobs_once
from outrider.notify import messages
from outrider.risk import party_views, readers
from outrider.risk.models import RiskPartyLevel
from outrider.web.vocabulary import VOCABULARIES
from risk_scenes import event, kkh_movement, mark
from world_users import WORLD_USERS

OWN_KEYS = {"previous_level", "level", "score", "incident_revision", "itinerary"}


def _alerts(client: TestClient, world: Any, who: str) -> list[dict[str, Any]] | None:
    """The risk alerts a user reads (None: the user reads no alert at all)."""
    r = client.get("/api/v1/alerts?kind=risk_rising&limit=50", headers=world[who].headers)
    if r.status_code == 403:
        return None
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def _timeline(client: TestClient, world: Any, who: str, movement: int) -> list[dict[str, Any]]:
    """The movement's timeline as the user reads it."""
    r = client.get(f"/api/v1/movements/{movement}/timeline", headers=world[who].headers)
    assert r.status_code == 200, r.text
    return list(r.json())


def _own(client: TestClient, world: Any, who: str, movement: int) -> dict[str, Any] | None:
    """The movement's risk as the user reads it (None: the movement is not the user's to read)."""
    r = client.get(f"/api/v1/risk/movements/{movement}", headers=world[who].headers)
    return dict(r.json()) if r.status_code == 200 else None


def _may_read_itinerary(world: Any, who: str, movement: int) -> bool:
    """Whether the user is on the movement's need-to-know list now (the rule every alert view follows)."""
    with db.transaction() as session:
        caller = caller_of(session.get_one(User, world[who].user_id))
        return movement in alert_desk.readable_itineraries(session, caller, [movement], db.utcnow())


def _message(world: Any, who: str, alert_id: int) -> str:
    """The words a notification of the alert would carry to the user."""
    with db.transaction() as session:
        caller = caller_of(session.get_one(User, world[who].user_id))
        alert = session.get_one(Alert, alert_id)
        subject, lines = messages.alert_lines(session, caller=caller, alert=alert, now=db.utcnow())
        return "\n".join([subject, *lines])


def _kept(movement: int) -> dict[int, int]:
    with db.transaction() as session:
        rows = session.scalars(select(RiskPartyLevel).where(RiskPartyLevel.movement_id == movement))
        return {row.organization_id: row.level for row in rows}


def test_a_narrower_view_gets_its_own_rise_and_every_reader_only_what_it_may(
    client: TestClient, world: Any
) -> None:
    movement, reference = kkh_movement(client, world)
    run_jobs_once()  # the first snapshot, every party's level kept
    acme, embassy = world.orgs["acme"], world.orgs["embassy"]
    assert _kept(movement) == {acme: 1, embassy: 1}
    red = event(client, world, "Dasu", "forty", "d1", weapon="A suicide bomber")
    mark(client, world, red, "TLP:RED")
    assert run_jobs_once()["risk_alerts"] == 1  # the holder's rise, told to the host alone
    assert [a["subject_type"] for a in _alerts(client, world, "coord") or []] == []
    # nor in the movement's timeline, which the company's planner reads: its levels would hint at the event
    kinds = [e["kind"] for e in _timeline(client, world, "coord", movement)]
    assert "alert_risk_rising" not in kinds and "planned" in kinds
    event(client, world, "Bisham", "four", "b1")  # an event both parties read
    run_jobs_once()
    holder = _own(client, world, "duty", movement)
    company = _own(client, world, "coord", movement)
    assert holder is not None and company is not None
    assert 1 < company["level"] < holder["level"] and _kept(movement) == {acme: company["level"]} | {
        embassy: company["level"]
    }
    named: set[bool] = set()  # readers of a party's alert on the list, and off it
    for who, (org_key, roles) in WORLD_USERS.items():
        seen = _alerts(client, world, who)
        if seen is None:
            assert not {"admin", "coordinator", "duty_officer", "liaison", "auditor"} & set(roles), who
            continue
        itinerary = _may_read_itinerary(world, who, movement)
        for alert in seen:
            assert "drivers" not in alert["details"] and "drivers" not in alert["title"]
            if alert["subject_type"] == party_views.SUBJECT:  # the movement named to its list only
                assert (reference in alert["title"]) == itinerary, (who, alert["title"])
                assert (reference in _message(world, who, alert["id"])) == itinerary, who
                named.add(itinerary)
        if org_key == "host" or "auditor" in roles:
            continue  # host security and auditors read every alert, as they read every event
        org = world.orgs[org_key]
        if org_key == "other":
            assert seen == [], who  # party to nothing: told nothing
            continue
        # a party reads its own alert alone: its own levels and score, never the holder's nor another's
        assert [a["subject_id"] for a in seen] == [party_views.subject_id(movement, org)], who
        (alert,) = seen
        assert alert["subject_type"] == party_views.SUBJECT and alert["organization_id"] == org
        assert set(alert["details"]) == OWN_KEYS
        assert (alert["details"]["previous_level"], alert["details"]["level"]) == (1, company["level"])
        assert alert["details"]["score"] == company["score"]
        assert [e["movement_id"] for e in alert["details"]["itinerary"]] == ([movement] if itinerary else [])
    assert named == {True, False}


def test_a_party_with_the_holders_view_gets_one_alert(client: TestClient, world: Any) -> None:
    movement, _reference = kkh_movement(client, world)
    run_jobs_once()
    event(client, world, "Bisham", "four", "b2")
    assert run_jobs_once()["risk_alerts"] == 1
    for who in ("coord", "liaison"):
        seen = _alerts(client, world, who) or []
        assert [(a["subject_type"], a["subject_id"]) for a in seen] == [("movement", str(movement))], who
    level = (_own(client, world, "coord", movement) or {})["level"]
    assert set(_kept(movement).values()) == {level} and level > 1


def test_a_grant_a_fall_and_a_rise_again_each_judged_without_a_new_incident(
    client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    movement, _reference = kkh_movement(client, world)
    run_jobs_once()
    red = event(client, world, "Dasu", "forty", "d3", weapon="A suicide bomber")
    mark(client, world, red, "TLP:RED")
    run_jobs_once()
    calls: list[str] = []

    def counted(name: str, real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(party_views, "route_risk", counted("scored", party_views.route_risk))
    monkeypatch.setattr(readers, "reader_index", counted("built", readers.reader_index))
    # nothing changed: no party's route scored again, no reader's index built (nor looked up)
    assert run_jobs_once()["risk_alerts"] == 0 and calls == []
    acme = world.orgs["acme"]
    subject = party_views.subject_id(movement, acme)
    mark(client, world, red, "TLP:AMBER")  # the parties may read it now: their own level rises
    ran = run_jobs_once()  # the holder's snapshot stands: no snapshot counted
    assert ran["risk_alerts"] == 1 and ran["risk_snapshots"] == 0
    holder = _own(client, world, "duty", movement)
    assert holder is not None and _kept(movement)[acme] == holder["level"] > 1
    (mine,) = _alerts(client, world, "coord") or []
    assert mine["subject_id"] == subject and mine["details"]["level"] == holder["level"]
    assert mine["occurrences"] == 1 and mine["resolved_at"] is None
    mark(client, world, red, "TLP:RED")  # withheld again: a fall, kept, told to nobody
    assert run_jobs_once()["risk_alerts"] == 0 and _kept(movement)[acme] == 1
    mark(client, world, red, "TLP:AMBER")  # and a rise again: alerted again
    assert run_jobs_once()["risk_alerts"] == 1
    (again,) = _alerts(client, world, "coord") or []
    assert again["id"] == mine["id"] and again["occurrences"] == 2
    assert (again["details"]["previous_level"], again["details"]["level"]) == (1, holder["level"])


def test_a_party_alerts_subject_and_figures_have_words_in_every_language() -> None:
    assert party_views.SUBJECT in VOCABULARIES["alert_subject"].members
    assert all(VOCABULARIES["alert_fact"].label(key) for key in OWN_KEYS - {"itinerary"})
