"""What a reader sees of an alert (the pure redaction): a movement's reference and times reach only readers
who may read its itinerary, in the movement's local time; the stored details are never changed."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from outrider.alerts.views import HIDDEN_MOVEMENT, redact

DUE = datetime(2026, 12, 5, 4, 30, tzinfo=UTC)
movement_ids = st.lists(st.integers(1, 50), min_size=0, max_size=6, unique=True)


def _entry(mid: int) -> dict[str, Any]:
    return {
        "movement_id": mid,
        "reference": f"MOV-2026-{mid:04d}",
        "due": (DUE + timedelta(minutes=mid)).isoformat(),
    }


@given(movement_ids, st.data())
def test_no_reference_of_a_movement_off_the_list_is_shown(ids: list[int], data: st.DataObject) -> None:
    known_ids = data.draw(st.lists(st.sampled_from(ids), unique=True) if ids else st.just([]))
    known = dict.fromkeys(known_ids, "Asia/Karachi")
    entries = [_entry(m) for m in ids]
    refs = [e["reference"] for e in entries]
    details = {
        "place": "site:1",
        "zone_id": "site:1:outer",
        "evidence": {"movement_due": bool(ids), "movements": refs},
        "itinerary": entries,
    }
    stored = copy.deepcopy(details)
    title = f"PICKUP waiting; {', '.join(refs)} due" if refs else "PICKUP waiting"
    shown_title, shown = redact(
        title=title, details=details, subject_type="vehicle", subject_id="P", known=known
    )
    assert details == stored  # the stored alert is untouched
    text = shown_title + json.dumps(shown)
    for e in entries:
        if e["movement_id"] in known:
            assert e["reference"] in shown["evidence"]["movements"]
        else:
            assert e["reference"] not in text and e["due"] not in text
    for e in shown["itinerary"]:
        assert datetime.fromisoformat(e["due"]).utcoffset() == timedelta(hours=5)
    assert (shown["place"], shown["zone_id"]) == ("site:1", "site:1:outer")
    if any(m not in known for m in ids):
        assert HIDDEN_MOVEMENT in shown_title


def test_a_reference_without_itinerary_is_shown_to_nobody() -> None:
    details = {"evidence": {"movements": ["MOV-OLD"]}}
    _, shown = redact(title="t", details=details, subject_type="vehicle", subject_id="P", known={1: "UTC"})
    assert shown["evidence"]["movements"] == []


def test_a_movement_alert_shows_its_times_in_local_time_or_not_at_all() -> None:
    details = {"reference": "MOV-1", "due_at": DUE.isoformat(), "minutes_overdue": 12}
    _, off = redact(
        title="MOV-1: overdue", details=details, subject_type="movement", subject_id="7", known={}
    )
    assert "due_at" not in off and off["minutes_overdue"] == 12
    _, on = redact(
        title="MOV-1: overdue",
        details=details,
        subject_type="movement",
        subject_id="7",
        known={7: "Asia/Karachi"},
    )
    assert on["due_at"] == "2026-12-05T09:30:00+05:00"
