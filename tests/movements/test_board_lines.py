"""The board loads what its lines show (never a route); its lines stay what they were."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from movement_scenes import under_way
from outrider import db


def _statements(client: TestClient, who: Any) -> tuple[dict[str, Any], list[str]]:
    seen: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    engine = db.get_engine()
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        resp = client.get("/api/v1/movements", headers=who.headers)
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    assert resp.status_code == 200, resp.text
    return resp.json(), seen


def test_the_board_reads_no_route(client: TestClient, world: Any) -> None:
    mid = under_way(client, world)
    body, seen = _statements(client, world["duty"])
    # the route and its alternates (long coordinate lists, decoded per row) were loaded for every line
    movement_reads = [s for s in seen if s.startswith("SELECT") and "FROM movements" in s]
    assert movement_reads and not [s for s in movement_reads if "movements.route" in s]
    # ... and the line is what it was: the person counted, the escort named, exact times for the duty officer
    line = next(item for item in body["items"] if item["id"] == mid)
    assert line["persons"] == 1 and line["itinerary_visible"] is True
    full = client.get(f"/api/v1/movements/{mid}", headers=world["duty"].headers).json()
    assert line["escort_unit_ids"] and line["planned_departure"] is not None
    assert line["reference"] == full["reference"] and len(full["person_ids"]) == line["persons"]
