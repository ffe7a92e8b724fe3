"""A protocol evaluation never names a silent duress alert to whoever signalled it, nor counts it in the facts
they read (the list, the check's answer, the compliance report); everyone else entitled reads it whole
(SQLite and PostgreSQL)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from field_scenes import on_the_road, set_pins
from outrider import db
from outrider.alerts.models import Alert
from outrider.protocols.engine import facts_hash

sys.path.insert(0, str(Path(__file__).resolve().parent))
from protocols_world import agree


def _alerts_in(row: dict[str, Any]) -> tuple[list[int], int]:
    """The alerts an evaluation's facts name, and the critical ones they count."""
    facts = row["facts"] or {}
    return [a["id"] for a in facts.get("open_alerts", [])], facts.get("open_critical_alerts", 0)


def test_the_signaller_reads_evaluations_without_the_duress_alert(client: TestClient, world: Any) -> None:
    mid = on_the_road(client, world)  # led by coord, escorted by duty (who reads the evidence)
    set_pins(client, world, "duty")
    forced = client.post(
        f"/api/v1/movements/{mid}/checkins",
        json={"idempotency_key": "forced", "pin": "9876"},
        headers=world["duty"].headers,
    )
    assert forced.status_code == 201, forced.text
    with db.transaction() as session:
        duress = session.scalars(select(Alert.id).where(Alert.kind == "movement_duress")).one()
    agree(world)
    checked = client.post(
        f"/api/v1/movements/{mid}/protocol-evaluations", json={}, headers=world["coord"].headers
    )
    assert checked.status_code == 200, checked.text
    assert [_alerts_in(r) for r in checked.json()["evaluations"]] == [([duress], 1)]
    path = f"/api/v1/movements/{mid}/protocol-evaluations"
    [lead] = client.get(path, headers=world["coord"].headers).json()
    [mine] = client.get(path, headers=world["duty"].headers).json()
    assert _alerts_in(lead) == ([duress], 1)
    assert mine["evidence_visible"] and _alerts_in(mine) == ([], 0)
    for result in mine["results"]:
        assert duress not in [a.get("id") for a in (result["facts_read"] or {}).get("open_alerts", [])]
    # its hash is of the facts it is shown (the stored one would tell that something was taken out)
    assert mine["facts_hash"] == facts_hash(mine["facts"]) != lead["facts_hash"]
    # the page shows the same evaluation: no trace of the alert's id or kind
    page = client.get(f"/movements/{mid}", headers={"Cookie": f"outrider_session={world['duty'].token}"}).text
    assert "movement_duress" not in page
