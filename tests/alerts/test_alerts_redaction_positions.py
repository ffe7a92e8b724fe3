"""A movement alert read by someone off the movement's need-to-know list carries no position or time of it."""

from __future__ import annotations

from outrider.alerts.views import redact

DETAILS = {
    "movement_id": 7,
    "reference": "MOV-7",
    "due_at": "2026-03-01T08:00:00+00:00",
    "sos_at": "2026-03-01T07:55:00+00:00",
    "lat": 34.1,
    "lon": 73.2,
    "off_route_m": 850.0,
    "note": "stopped after the bridge",
    "level": 2,
}


def test_a_reader_off_the_list_gets_no_position_time_or_note() -> None:
    _, shown = redact(title="SOS", details=dict(DETAILS), subject_type="movement", subject_id="7", known={})
    assert shown == {"movement_id": 7, "reference": "MOV-7", "level": 2}


def test_a_reader_on_the_list_gets_them_in_local_time() -> None:
    _, shown = redact(
        title="SOS", details=dict(DETAILS), subject_type="movement", subject_id="7", known={7: "Asia/Karachi"}
    )
    assert shown["lat"] == 34.1 and shown["lon"] == 73.2 and shown["note"] == "stopped after the bridge"
    assert shown["due_at"] == "2026-03-01T13:00:00+05:00"
    assert shown["sos_at"] == DETAILS["sos_at"]


def test_an_alert_about_something_else_keeps_its_details() -> None:
    _, shown = redact(
        title="x", details={"lat": 1.0, "seen_at": "t"}, subject_type="site", subject_id="3", known={}
    )
    assert shown == {"lat": 1.0, "seen_at": "t"}


def test_what_people_wrote_about_a_movement_is_for_its_list_only() -> None:
    from datetime import UTC, datetime

    from outrider.alerts.models import Alert
    from outrider.alerts.views import view_with

    now = datetime(2026, 3, 1, 8, tzinfo=UTC)
    alert = Alert(
        id=1, kind="movement_overdue", severity="high", subject_type="movement", subject_id="7",
        organization_id=1, title="Movement MOV-7 is overdue", details=dict(DETAILS), created_at=now,
        updated_at=now, occurrences=1, escalation_level=0, acknowledge_note="convoy held at the Dasu bridge",
        resolution_reason="arrived at the Dasu camp", escalation_reason="no answer near Chilas",
    )  # fmt: skip
    off = view_with(alert, {})
    assert (off.acknowledge_note, off.resolution_reason, off.escalation_reason) == ("", "", "")
    on = view_with(alert, {7: "Asia/Karachi"})
    assert on.acknowledge_note == "convoy held at the Dasu bridge"
    assert on.resolution_reason == "arrived at the Dasu camp"
