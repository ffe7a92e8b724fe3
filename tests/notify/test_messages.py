"""Messages within need-to-know: a recipient off a movement's list gets "movement MOV-… is overdue, open
Outrider" and never a time, a route or a position; one on the list gets the title and the due time in the
movement's local time; a webhook gets ids and a link; a digest lists a day's info alerts as each reader
may read them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import select

from movement_scenes import under_way
from outrider import db
from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.movements.models import Movement
from outrider.notify import digest, messages, outbox
from outrider.notify.models import Notification

DUE = datetime(2026, 12, 6, 4, 30, tzinfo=UTC)


def _row(session: Any, world: Any, alert_id: int, who: str, channel: str = "email") -> Notification:
    row = outbox.enqueue(
        session,
        purpose="alert",
        channel=channel,
        address=f"{who}@example.org" if channel == "email" else "+923001234567",
        target=outbox.user_target(world[who].user_id),
        user_id=world[who].user_id,
        alert_id=alert_id,
        step=1,
        now=DUE,
    )
    assert row is not None
    return row


def _movement_alerts(session: Any, movement: Movement) -> tuple[int, int]:
    """An overdue alert about the movement, and a cordon alert about a vehicle that names it."""
    overdue, _ = alerts_service.raise_about_movement(
        session,
        movement,
        kind="movement_overdue",
        severity=Severity.high,
        title=f"{movement.reference}: overdue (missed check-in)",
        details={
            "movement_id": movement.id,
            "reference": movement.reference,
            "reason": "missed_checkin",
            "due_at": DUE.isoformat(),
            "minutes_overdue": 25,
        },
        now=DUE,
    )
    dwell, _ = alerts_service.raise_alert(
        session,
        kind="cordon_dwell",
        severity=Severity.high,
        subject_type="vehicle",
        subject_id="LEA-4471",
        title=f"LEA-4471 in the outer cordon for 44 min; {movement.reference} due",
        details={
            "place": "site:1",
            "evidence": {"movement_due": True, "movements": [movement.reference]},
            "itinerary": [
                {"movement_id": movement.id, "reference": movement.reference, "due": DUE.isoformat()}
            ],
        },
        organization_id=movement.organization_id,
        audience=[],
        now=DUE,
    )
    return overdue.id, dwell.id


def test_a_recipient_off_the_list_gets_no_itinerary(client: TestClient, world: Any) -> None:
    movement_id = under_way(client, world)
    with db.transaction() as session:
        movement = session.get_one(Movement, movement_id)
        ref, zone = movement.reference, ZoneInfo(movement.timezone)
        overdue_id, dwell_id = _movement_alerts(session, movement)
        # host security's administrator reads every alert but is not on this movement's list
        off = messages.render(session, _row(session, world, overdue_id, "admin"), now=DUE)
        on = messages.render(session, _row(session, world, overdue_id, "coord"), now=DUE)  # the planner
        off_dwell = messages.render(session, _row(session, world, dwell_id, "admin"), now=DUE)
        sms = messages.render(session, _row(session, world, overdue_id, "admin", "sms"), now=DUE)
    assert off.subject == f"[HIGH] movement {ref} is overdue, open Outrider"
    assert off.text == f"movement {ref} is overdue, open Outrider\n/alerts/{overdue_id}"
    assert sms.text == f"[HIGH] movement {ref} is overdue, open Outrider /alerts/{overdue_id}"
    local_due = DUE.astimezone(zone).isoformat()
    assert on.text == (
        f"{ref}: overdue (missed check-in)\nSeverity: high · kind: movement_overdue\n"
        f"Due: {local_due}\n/alerts/{overdue_id}"
    )
    assert off_dwell.subject == "[HIGH] LEA-4471 in the outer cordon for 44 min; a protected movement due"
    for words in (off, off_dwell, sms):
        said = f"{words.subject}\n{words.text}\n{words.html or ''}"
        for secret in (DUE.isoformat(), local_due, "04:30", "09:30", "67.", "24."):
            assert secret not in said
    assert ref not in off_dwell.subject + off_dwell.text
    # what each message carries of the itinerary, for the record of the read once it is sent: the planner's
    # e-mail the due time; none of the others anything (nor the SMS, which is only the subject)
    assert (on.itinerary, on.itinerary_fields) == ({movement_id: ref}, ("due_at",))
    assert [(w.itinerary, w.itinerary_fields) for w in (off, off_dwell, sms)] == [({}, ())] * 3


def test_a_webhook_gets_ids_and_a_link_and_a_stranger_only_a_call(client: TestClient, world: Any) -> None:
    movement_id = under_way(client, world)
    with db.transaction() as session:
        movement = session.get_one(Movement, movement_id)
        overdue_id, _ = _movement_alerts(session, movement)
        hook = outbox.enqueue(
            session,
            purpose="alert",
            channel="webhook",
            address="https://ops.example.org/hooks",
            target=outbox.webhook_target(9),
            alert_id=overdue_id,
            round=1,
            step=1,
            now=DUE,
        )
        assert hook is not None
        payload = messages.render(session, hook, now=DUE).payload
        # the analyst reads no alerts: told only that one needs them
        stranger = messages.render(session, _row(session, world, overdue_id, "analyst"), now=DUE)
    assert payload == {
        "type": "alert.escalated",
        "alert_id": overdue_id,
        "kind": "movement_overdue",
        "severity": "high",
        "organization_id": world.orgs["acme"],
        "url": f"/alerts/{overdue_id}",
    }
    assert stranger.text == f"An alert (high) needs you, open Outrider\n/alerts/{overdue_id}"


def test_the_digest_lists_a_days_info_alerts_once_per_recipient(client: TestClient, world: Any) -> None:
    day = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    with db.transaction() as session:
        for n in range(3):
            alert, _ = alerts_service.raise_alert(
                session,
                kind="risk_note",
                severity=Severity.info,
                subject_type="site",
                subject_id=str(n),
                title=f"site {n}: a quiet week",
                organization_id=world.orgs["host"],
                now=day + timedelta(hours=n),
            )
            row = outbox.enqueue(
                session,
                purpose="alert",
                channel="email",
                address="duty@example.org",
                target=outbox.user_target(world["duty"].user_id),
                user_id=world["duty"].user_id,
                alert_id=alert.id,
                step=1,
                now=day + timedelta(hours=n),
            )
            assert row is not None and row.status == outbox.DIGEST
        assert digest.digest_tick(session, now=day + timedelta(hours=12)) == 0  # the day is not over
        assert digest.digest_tick(session, now=day + timedelta(days=1, minutes=1)) == 1
        assert digest.digest_tick(session, now=day + timedelta(days=1, minutes=2)) == 0
        [sent] = session.scalars(select(Notification).where(Notification.purpose == "digest")).all()
        words = messages.render(session, sent, now=day + timedelta(days=1))
        folded = session.scalars(select(Notification.status).where(Notification.purpose == "alert")).all()
    assert sent.status == outbox.PENDING and set(folded) == {outbox.DIGESTED}
    assert words.subject == "Outrider: 3 information alert(s) of 2026-12-05"
    assert words.text.splitlines()[1:] == [
        f"- site {n}: a quiet week (/alerts/{alert_id})" for n, alert_id in enumerate(sent.body["alert_ids"])
    ]
