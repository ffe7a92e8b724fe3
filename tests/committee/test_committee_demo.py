"""The demo's joint committee, loaded with the rest of the demo on SQLite and PostgreSQL: the two founding
parties' committee, two past meetings whose minutes both parties signed (signatures that verify), the next
meeting planned, commitments at various stages with both parties' assessments (they disagree on one), one
overdue on whatever day the demo is loaded, evidence of every kind the committee writes, and a report from the
news waiting for the secretariat. Loading again is refused, as for the rest of the demo."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from outrider import db
from outrider.accounts import service as accounts_service
from outrider.committee import access, commitments, committees, meetings, proposals, reading
from outrider.committee import schemas_commitments as cs
from outrider.committee.commitment_models import Evidence
from outrider.committee.commitments import Filters
from outrider.demo import committee as demo_committee
from outrider.demo.service import load_demo
from outrider.errors import Conflict, NotFound
from outrider.http import caller_of


def _as(session: Any, username: str) -> Any:
    return caller_of(accounts_service.find_user(session, username=username))


def _load(now: datetime) -> None:
    with db.transaction() as session:
        load_demo(session, now=now)


def _meetings(session: Any, who: str) -> list[Any]:
    caller = _as(session, who)
    (committee,) = committees.list_committees(session, caller=caller)
    return meetings.list_meetings(session, caller=caller, committee_id=committee.id)


def test_the_demo_committee_has_signed_meetings_commitments_and_news(engine: Any) -> None:
    now = db.utcnow()
    _load(now)
    with db.transaction() as session:
        admin, liaison, duty = (_as(session, u) for u in ("admin", "liaison", "duty"))
        (committee,) = committees.list_committees(session, caller=admin)
        assert committee.name == demo_committee.NAME
        seats = {(m.party, m.role) for m in committee.members}
        assert {("host", "chair"), ("partner", "chair"), ("host", "secretariat")} <= seats
        rows = _meetings(session, "admin")
        assert [m.status for m in rows] == ["minutes_approved", "minutes_approved", "planned"]
        assert rows[0].starts_at < now < rows[2].starts_at
        for row in rows[:2]:
            read = reading.meeting_read(
                session, caller=liaison, meeting=row, seat=access.seat_of(session, liaison, committee),
                now=now,
            )  # fmt: skip
            assert read.minutes.approved and not read.minutes.tampered
            assert {(a.party.value, a.signature_verified) for a in read.minutes.approvals} == {
                ("host", True),
                ("partner", True),
            }
            assert read.attendance and any(a.guest_name for a in read.attendance)
        # the threat assessment is restricted: its title for the liaison, its contents for the duty officer
        first = rows[0]
        as_liaison = reading.meeting_read(
            session, caller=liaison, meeting=first, seat=access.seat_of(session, liaison, committee),
            now=now,
        )  # fmt: skip
        as_duty = reading.meeting_read(
            session, caller=duty, meeting=first, seat=access.seat_of(session, duty, committee), now=now
        )
        hidden = [i for i in as_liaison.agenda if i.restricted]
        assert len(hidden) == 1 and hidden[0].text is None and not hidden[0].readable
        shown = next(i for i in as_duty.agenda if i.id == hidden[0].id)
        assert shown.readable and shown.text and shown.outcomes

        rows_c = commitments.list_commitments(session, caller=admin, now=now)
        kinds = {c.kind for c in rows_c}
        assert kinds == {
            "joint_exercise",
            "training",
            "funding",
            "action_against_group",
            "security_arrangement",
        }
        assert len({c.stage for c in rows_c}) >= 3
        overdue = commitments.list_commitments(session, caller=admin, filters=Filters(overdue=True), now=now)
        assert [c.kind for c in overdue] == ["funding"]
        read = [commitments.commitment_read(session, c, now=now) for c in rows_c]
        assert [r.kind.value for r in read if r.assessments.disagree] == ["training"]
        assert sum(1 for r in read if r.assessments.host and r.assessments.partner) == 4
        evidence_kinds = set(session.scalars(select(Evidence.kind)))
        assert {"minutes", "document", "note"} <= evidence_kinds
        assert "compliance_report" not in evidence_kinds  # `demo protocol` adds it, once a protocol is stored
        waiting = proposals.list_proposals(session, caller=admin, state=cs.ProposalState.proposed)
        assert waiting and all(p.kind in cs.Kind.__members__ for p in waiting)
    with db.transaction() as session, pytest.raises(Conflict):
        load_demo(session, now=now)


def test_one_commitment_is_overdue_whatever_day_the_demo_is_loaded(engine: Any) -> None:
    day = datetime(2031, 2, 28, 23, 30, tzinfo=UTC)  # a late hour at a month's end, years from now
    if engine.dialect.name == "postgresql":
        pytest.skip("the dates are computed in Python, the same on both databases")
    _load(day)
    with db.transaction() as session:
        admin = _as(session, "admin")
        overdue = commitments.list_commitments(session, caller=admin, filters=Filters(overdue=True), now=day)
        assert [c.kind for c in overdue] == ["funding"]
        assert [m.status for m in _meetings(session, "envoy")][-1] == "planned"
        # a company's coordinator learns nothing of the committee
        coordinator = _as(session, "coordinator")
        assert committees.list_committees(session, caller=coordinator) == []
        with pytest.raises(NotFound):
            commitments.get_commitment(session, caller=coordinator, commitment_id=overdue[0].id)
