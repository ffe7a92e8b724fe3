"""The demo's alert delivery: the arrangement's escalation as the joint default policy, the host force's
duty roster (a day and a night shift, the administrator as backup) with its own policy for cordon alerts,
and a verified e-mail address at example.org for every demo user, so the demo's alerts call someone."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.movements.service import current_arrangement
from outrider.notify import policy_service, roster_service
from outrider.notify.directory_models import ContactPoint
from outrider.notify.directory_schemas import PolicyCreate, RosterCreate, ShiftCreate

ROSTER = "Host duty officers"
EVERY_DAY = [1, 2, 3, 4, 5, 6, 7]


def load_alerting(session: Session, *, callers: dict[str, Caller], now: datetime) -> None:
    """Policies, the host roster and verified demo contact points (before the demo raises any alert)."""
    _, arrangement = current_arrangement(session)
    escalation = [(s.after_minutes, s.roles) for s in arrangement.escalation]
    policy_service.install_joint_default(session, escalation=escalation, now=now)
    admin = callers["admin"]
    roster = roster_service.create_roster(
        session, caller=admin, data=RosterCreate(name=ROSTER, timezone="Asia/Karachi"), now=now
    )
    shifts = [
        ShiftCreate(
            user_id=callers["duty"].user_id, weekdays=EVERY_DAY, start_time=time(8), end_time=time(20)
        ),
        ShiftCreate(
            user_id=callers["duty2"].user_id, weekdays=EVERY_DAY, start_time=time(20), end_time=time(8)
        ),
        ShiftCreate(
            user_id=admin.user_id, rank="backup", weekdays=EVERY_DAY, start_time=time(0), end_time=time(0)
        ),
    ]
    for shift in shifts:
        roster_service.add_shift(session, caller=admin, roster_id=roster.id, data=shift, now=now)
    cordon = [
        {"after_minutes": 0, "channels": ["email", "sms"], "targets": [{"roster": ROSTER}]},
        {"after_minutes": 10, "channels": ["email", "sms"], "targets": [{"role": "admin"}]},
    ]
    policy_service.create(
        session,
        caller=admin,
        data=PolicyCreate(
            name="Cordon watch",
            kinds=["cordon_dwell", "cordon_loiter", "cordon_reconnaissance"],
            steps=cordon,
            repeat=2,
        ),
        now=now,
    )
    for username, caller in sorted(callers.items()):
        session.add(
            ContactPoint(
                user_id=caller.user_id,
                channel="email",
                address=f"{username}@example.org",
                verified_at=now,
                created_at=now,
            )
        )
    session.flush()
