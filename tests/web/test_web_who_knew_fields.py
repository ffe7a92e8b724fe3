"""The web's who-knew page names the itinerary facts each reader saw, as the API's `fields` do, in the
reader's language (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from movement_scenes import under_way

# Two facts a movement's read shows: its planned departure and its alternate routes.
WORDS = {
    "en": ("planned departure", "alternate routes"),
    "zh-Hans": ("计划出发时间", "备选路线"),
    "ur": ("طے شدہ روانگی", "متبادل راستے"),
}


def _rows(page: str) -> dict[str, str]:
    """The "who read it" table's rows by user name (the text of each row)."""
    table = page.split('id="who-knew-result"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in table.split("<tr>")[2:]:
        cells = [c.split("</td>", 1)[0] for c in row.split("<td>")[1:]]
        rows[cells[0]] = " | ".join(cells)
    return rows


@pytest.mark.parametrize("lang", sorted(WORDS))
def test_the_who_knew_page_lists_the_facts_each_reader_saw(client: TestClient, world: Any, lang: str) -> None:
    mid = under_way(client, world)
    assert client.get(f"/api/v1/movements/{mid}", headers=world["coord"].headers).status_code == 200
    api = client.get(f"/api/v1/movements/{mid}/who-knew", headers=world["auditor"].headers).json()
    fields = {r["username"]: set(r["fields"]) for r in api["readers"]}
    assert {"planned_departure", "alternates"} <= fields["coord"]
    page = client.get(
        f"/audit/who-knew?movement={mid}",
        headers={"Cookie": f"outrider_session={world['auditor'].token}; outrider_lang={lang}"},
    )
    assert page.status_code == 200, page.text
    rows = _rows(page.text)
    assert set(rows) == set(fields)
    departure, alternates = WORDS[lang]
    for user, row in rows.items():  # each reader's facts, as the API gives them
        assert (departure in row, alternates in row) == (
            "planned_departure" in fields[user],
            "alternates" in fields[user],
        ), (user, row)
    assert "planned_departure" not in page.text  # never the stored name
