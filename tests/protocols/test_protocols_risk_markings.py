"""The protocols' risk evidence leaks no withheld intelligence: a TLP:RED event of the holder raises a
movement's risk so a rule fires; the gate decides on the holder's figure for everyone, and the evidence
shown outside the holder's organisation (evaluations, the compliance report in JSON, CSV and HTML) carries
no risk figure (docs/protocols.md, "Risk evidence and markings"), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from protocols_world import agree
from typer.testing import CliRunner

from outrider.cli import app
from outrider.protocols.engine import facts_hash
from outrider.protocols.risk_evidence import RISK_FACTS

# Bisham to Dasu along the Karakoram Highway; the RED event is at Dasu
KKH = {"type": "LineString", "coordinates": [[72.88, 34.94], [73.05, 35.10], [73.29, 35.29]]}
RISKY = """id: risk-escort
title: Two escort units on a route of raised risk
version: 1
parties: [host-security-force, partner-government]
effective_from: 2026-01-01
applies_to: protected_persons > 0
rules:
  - id: two-escorts-raised-risk
    title: Two escort units when the route risk is 2 or above
    rationale: >-
      A second unit screens the rear of a convoy on a route where attacks were reported.
    when: risk_level >= 2
    require: escort_units >= 2
    severity: blocking
    phase: plan
"""
P = "/api/v1/protocols"
JUSTIFICATION = "Second unit diverted to a bomb scene; the convoy keeps to daylight and the main road."


def _red_event(client: TestClient, world: Any) -> None:
    """A report of a suicide bombing at Dasu, its event marked TLP:RED (the holder's own source)."""
    text = (
        "Blast near Dasu\n\nA suicide bomber exploded near a vehicle on the highway at Dasu on Sunday, "
        "killing forty people, police said. Report d9.\n"
    )
    body = {"text": text, "source": "d9", "published": datetime.now(UTC).date().isoformat()}
    h = world["analyst"].headers
    r = client.post("/api/v1/intel/reports", json=body, headers=h)
    assert r.status_code == 201 and r.json()[0]["status"] == "stored", r.text
    report = client.get(f"/api/v1/intel/reports/{r.json()[0]['report_id']}", headers=h).json()
    event = client.get(f"/api/v1/intel/incidents/{report['incident_ids'][0]}", headers=h).json()["event_id"]
    marked = client.put(
        f"/api/v1/sharing/markings/event/{event}",
        json={"marking": "TLP:RED", "reason": "source protection"},
        headers=h,
    )
    assert marked.status_code == 200, marked.text


def _submitted_movement(client: TestClient, world: Any) -> int:
    """A movement of the company carrying a CN national (the embassy is a party), one escort unit."""
    h = {k: world[k].headers for k in ("coord", "duty")}

    def post(path: str, body: dict[str, Any], who: str) -> dict[str, Any]:
        r = client.post(f"/api/v1/{path}", json=body, headers=h[who])
        assert r.status_code in (200, 201), r.text
        return dict(r.json())

    person = post("persons", {"name": "Engineer R", "nationality": "CN"}, "coord")
    car = post("vehicles", {"plate": "ACM-R-1", "kind": "armoured", "seats": 4}, "coord")
    escort_car = post("vehicles", {"plate": "ESC-R-1", "kind": "soft_skin", "seats": 4}, "duty")
    unit = post(
        "escort-units", {"call_sign": "F-R-1", "strength": 4, "vehicle_ids": [escort_car["id"]]}, "duty"
    )
    # within the itinerary's release lead time: the liaison (its national on board) reads the evidence
    dep = (datetime.now(UTC) + timedelta(hours=6)).replace(second=0, microsecond=0)
    movement = post(
        "movements",
        {
            "origin": {"lat": 34.94, "lon": 72.88, "label": "Bisham"},
            "destination": {"lat": 35.29, "lon": 73.29, "label": "Dasu camp"},
            "route": KKH,
            "planned_departure": dep.isoformat(),
            "planned_arrival": (dep + timedelta(hours=3)).isoformat(),
            "person_ids": [person["id"]],
            "vehicle_ids": [car["id"]],
            "checkin_interval_min": 30,
        },
        "coord",
    )
    post(f"movements/{movement['id']}/escort", {"unit_ids": [unit["id"]]}, "duty")
    post(f"movements/{movement['id']}/submit", {}, "coord")
    return int(movement["id"])


def _no_risk_figure(facts: dict[str, Any] | None) -> None:
    assert facts is not None and not set(RISK_FACTS) & set(facts), facts


def test_a_red_event_fires_a_rule_for_everyone_but_shows_its_figure_only_to_the_holder(
    client: TestClient, world: Any
) -> None:
    agree(world, RISKY)
    _red_event(client, world)
    mid = _submitted_movement(client, world)
    # the gate judged on the holder's figure: the rule fired, for the company as for the host
    checked = client.post(f"/api/v1/movements/{mid}/approve", json={}, headers=world["duty"].headers)
    assert checked.status_code == 409 and "two-escorts-raised-risk" in checked.text, checked.text
    own = client.get(f"/api/v1/risk/movements/{mid}", headers=world["coord"].headers).json()
    assert own["level"] == 1  # the company's own figure would not have fired it: only the RED event did
    seen = {
        who: client.get(f"/api/v1/movements/{mid}/protocol-evaluations", headers=world[who].headers).json()
        for who in ("coord", "liaison", "auditor")
    }
    for who, rows in seen.items():  # the same outcome for every reader
        assert rows and all(r["blocking"] == ["two-escorts-raised-risk"] for r in rows), (who, rows)
    host = seen["auditor"][0]  # the holder's auditor: the figure that fired the rule
    assert host["facts"]["risk_level"] >= 2 and host["facts_withheld"] == []
    fired = next(r for r in host["results"] if r["rule_id"] == "two-escorts-raised-risk")
    assert fired["outcome"] == "fail" and fired["facts_read"]["risk_level"] >= 2
    for who in ("coord", "liaison"):  # readers the RED event is withheld from: the outcome, no figure
        row = seen[who][0]
        assert row["facts_withheld"] == list(RISK_FACTS), (who, row)
        _no_risk_figure(row["facts"])
        fired = next(r for r in row["results"] if r["rule_id"] == "two-escorts-raised-risk")
        assert fired["outcome"] == "fail" and fired["facts_read"] == {"escort_units": 1}
        # the hash is that of the facts shown (the holder's could be searched for the missing score)
        assert row["facts_hash"] == facts_hash(row["facts"]) != host["facts_hash"]
    assert facts_hash_of(checked.json()) == host["facts_hash"]  # the host's duty officer was refused
    refused = client.post(f"/api/v1/movements/{mid}/approve", json={}, headers=world["liaison"].headers)
    assert refused.status_code == 409
    again = {
        who: client.get(f"/api/v1/movements/{mid}/protocol-evaluations", headers=world[who].headers).json()
        for who in ("liaison", "auditor")
    }  # the refusal's evaluation, recorded after its rollback: the liaison's hash, not the holder's
    assert (
        facts_hash_of(refused.json())
        == again["liaison"][0]["facts_hash"]
        != again["auditor"][0]["facts_hash"]
    )
    # the command line shows what the API shows
    args = ["protocols", "evaluations", str(mid), "--json", "--as"]
    cli = {who: json.loads(CliRunner().invoke(app, [*args, who]).stdout) for who in ("liaison", "auditor")}
    assert cli["auditor"][0]["facts"]["risk_level"] >= 2 and cli["auditor"][0] == again["auditor"][0]
    assert cli["liaison"][0] == again["liaison"][0]
    _no_risk_figure(cli["liaison"][0]["facts"])
    _waive_and_approve(client, world, mid)
    _reports_say_the_same(client, world)
    # a check now, by the company's planner: the rule still fails (waived), its figure still left out
    preview = client.post(
        f"/api/v1/movements/{mid}/protocol-evaluations", json={}, headers=world["coord"].headers
    )
    assert preview.status_code == 200, preview.text
    (row,) = preview.json()["evaluations"]
    assert row["waived"] == ["two-escorts-raised-risk"] and row["facts_withheld"] == list(RISK_FACTS)
    _no_risk_figure(row["facts"])


def _waive_and_approve(client: TestClient, world: Any, mid: int) -> None:
    """Both parties waive the rule and the host approves: the approval is the evaluation of record, its
    waived failure a violation the report lists with its evidence."""
    until = (datetime.now(UTC) + timedelta(hours=5)).isoformat()
    body = {"rule_id": "two-escorts-raised-risk", "justification": JUSTIFICATION, "expires_at": until}
    waiver = client.post(f"/api/v1/movements/{mid}/waivers", json=body, headers=world["duty"].headers)
    assert waiver.status_code == 201, waiver.text
    approved = client.post(f"{P}/waivers/{waiver.json()['id']}/approve", headers=world["liaison"].headers)
    assert approved.json()["state"] == "approved", approved.text
    done = client.post(f"/api/v1/movements/{mid}/approve", json={}, headers=world["duty"].headers)
    assert done.status_code == 200, done.text


def facts_hash_of(problem: dict[str, Any]) -> str | None:
    """The facts hash a refusal names (problem+json's errors)."""
    found = [e.get("facts_hash") for e in problem.get("errors", []) if e.get("kind") == "blocking"]
    return found[0] if found else None


def _reports_say_the_same(client: TestClient, world: Any) -> None:
    today = datetime.now(UTC).date()
    q = f"{P}/report?from={today - timedelta(days=1)}&to={today + timedelta(days=1)}"
    reports = {
        who: client.get(q, headers=world[who].headers).json() for who in ("coord", "liaison", "auditor")
    }
    host = reports["auditor"]
    assert host["violations"] and host["violations"][0]["facts_read"]["risk_level"] >= 2
    assert host["facts_withheld"] == []
    for who in ("coord", "liaison"):
        report = reports[who]
        assert report["facts_withheld"] == list(RISK_FACTS)
        assert [v["rule_id"] for v in report["violations"]] == [v["rule_id"] for v in host["violations"]]
        for v in report["violations"]:
            assert v["facts_read"] == {"escort_units": 1} and v["waived"]
            _no_risk_figure(v["facts"])
            assert v["facts_hash"] == facts_hash(v["facts"])
        html = client.get(q + "&format=html", headers=world[who].headers).text
        # the names only, in the row saying they are left out; no figure in any violation's evidence
        assert html.count("risk_level") == html.count("risk_score") == 1 and "left out" in html
        assert host["violations"][0]["facts_hash"] not in html
        csv_text = client.get(q + "&format=csv", headers=world[who].headers).text
        assert '""risk_level""' not in csv_text and host["violations"][0]["facts_hash"] not in csv_text
        page = _web_page(client, world, who)  # the web's compliance page says the same
        assert 'id="facts-left-out"' in page and "risk_level =" not in page and "escort_units" in page
    assert 'id="facts-left-out"' not in _web_page(client, world, "auditor")
    html = client.get(q + "&format=html", headers=world["auditor"].headers).text
    assert "risk_level =" in html
    assert json.dumps(host["violations"][0]["facts_read"]["risk_level"]) in html


def _web_page(client: TestClient, world: Any, who: str) -> str:
    today = datetime.now(UTC).date()
    page = client.get(
        f"/compliance?from={today - timedelta(days=1)}&to={today + timedelta(days=1)}",
        headers={"Cookie": f"outrider_session={world[who].token}"},
    )
    assert page.status_code == 200, page.text
    return page.text
