"""Commitments through the services, on SQLite and PostgreSQL: recorded, moved along the ladder with
evidence, assessed by each party for itself, read only by the founding parties and auditors."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from outrider import db
from outrider.access.policy import Caller
from outrider.accounts.models import User
from outrider.audit.models import AuditRecord
from outrider.committee import assessments, commitments, evidence
from outrider.committee import schemas_commitments as s
from outrider.committee.commitment_models import Assessment, Evidence
from outrider.committee.commitments import Filters
from outrider.committee.ladder import Kind, Party, Stage
from outrider.errors import Forbidden, InvalidInput, NotFound, RuleViolation
from outrider.http import caller_of

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


_CALLERS: dict[tuple[int, str], Caller] = {}


def _as(world: Any, who: str) -> Caller:
    """The caller of a world user (read once per world, so never inside another transaction)."""
    key = (id(world), who)
    if key not in _CALLERS:
        with db.transaction() as session:
            for name in world.actors:
                _CALLERS[(id(world), name)] = caller_of(session.get_one(User, world[name].user_id))
    return _CALLERS[key]


@pytest.fixture(autouse=True)
def _callers(world: Any) -> None:
    _CALLERS.clear()
    _as(world, "admin")


def _create(world: Any, who: str = "admin", **over: Any) -> int:
    body = {
        "title": "Training of police officers at the partner's academy",
        "kind": "training",
        "promisor": "partner",
        "beneficiary": "host",
        "object": "training of 120 police officers",
        "amount": 120,
        "unit": "officers trained",
        "stage": "pledged",
        "deadline": "2026-12-31",
        "host_owner_id": world["duty"].user_id,
        "partner_owner_id": world["liaison"].user_id,
        **over,
    }
    with db.transaction() as session:
        row = commitments.create_commitment(
            session, caller=_as(world, who), data=s.CommitmentCreate.model_validate(body), now=NOW
        )
        return row.id


def _move(world: Any, cid: int, who: str, stage: str, reason: str = "") -> Evidence:
    data = s.StageMove(stage=Stage(stage), reason=reason, date=date(2026, 11, 2), title=f"to {stage}")
    with db.transaction() as session:
        return commitments.move_stage(session, caller=_as(world, who), commitment_id=cid, data=data, now=NOW)


def test_a_commitment_is_recorded_with_both_countries_and_a_first_timeline_entry(world: Any) -> None:
    cid = _create(world)
    with db.transaction() as session:
        c = commitments.get_commitment(session, caller=_as(world, "liaison"), commitment_id=cid)
        assert (c.stage, c.status, c.countries) == ("pledged", "open", ["CN", "PK"])
        t = commitments.timeline(session, caller=_as(world, "auditor"), commitment_id=cid, now=NOW)
        assert [e.evidence.stage_to for e in t.entries if e.evidence] == [Stage.pledged]
        audit = session.scalar(
            select(func.count()).where(AuditRecord.action == "committee.commitment.create")
        )
        assert audit == 1


@pytest.mark.parametrize("who", ["coord", "acme_admin", "other_coord"])
def test_companies_and_outsiders_learn_nothing_of_commitments(world: Any, who: str) -> None:
    cid = _create(world)
    with db.transaction() as session:
        caller = _as(world, who)
        with pytest.raises(NotFound):
            commitments.get_commitment(session, caller=caller, commitment_id=cid)
        with pytest.raises(NotFound):
            commitments.timeline(session, caller=caller, commitment_id=cid)
        with pytest.raises(Forbidden):
            commitments.list_commitments(session, caller=caller, now=NOW)
        with pytest.raises(Forbidden):
            commitments.create_commitment(
                session,
                caller=caller,
                data=s.CommitmentCreate(title="x", kind=Kind.funding),
                now=NOW,
            )


def test_the_ladder_moves_forward_freely_and_back_only_with_a_reason(world: Any) -> None:
    cid = _create(world)
    _move(world, cid, "liaison", "under_way")  # skips agreed and funded
    with pytest.raises(RuleViolation, match="needs a reason"):
        _move(world, cid, "admin", "agreed")
    with pytest.raises(RuleViolation, match="needs a reason"):
        _move(world, cid, "admin", "not_fulfilled")
    entry = _move(world, cid, "admin", "not_fulfilled", reason="the course was cancelled")
    assert (entry.stage_from, entry.stage_to, entry.reason) == ("under_way", "not_fulfilled", entry.reason)
    with db.transaction() as session:
        c = commitments.get_commitment(session, caller=_as(world, "admin"), commitment_id=cid)
        assert c.status == "closed"
        stages = [
            (e.stage_from, e.stage_to)
            for e in session.scalars(
                select(Evidence).where(Evidence.commitment_id == cid).order_by(Evidence.id)
            )
        ]
    assert stages == [(None, "pledged"), ("pledged", "under_way"), ("under_way", "not_fulfilled")]


def test_only_deciding_roles_and_owners_move_a_commitment(world: Any) -> None:
    cid = _create(world, host_owner_id=None, partner_owner_id=None)
    with pytest.raises(Forbidden):
        _move(world, cid, "analyst", "agreed")  # reads, does not decide
    with pytest.raises(Forbidden):
        _move(world, cid, "auditor", "agreed")
    cid2 = _create(world, host_owner_id=world["analyst"].user_id)
    assert _move(world, cid2, "analyst", "agreed").stage_to == "agreed"  # the owner on the host's side


def test_each_party_assesses_only_for_itself_and_both_are_shown_side_by_side(world: Any) -> None:
    cid = _create(world)

    def assess(who: str, party: str, score: int) -> Assessment:
        data = s.AssessmentCreate(party=Party(party), score=score, note=f"{who} says {score}")
        with db.transaction() as session:
            return assessments.assess(session, caller=_as(world, who), commitment_id=cid, data=data, now=NOW)

    with pytest.raises(Forbidden):
        assess("embassy_admin", "host", 3)  # a partner administrator never assesses for the host
    with pytest.raises(Forbidden):
        assess("admin", "partner", 3)
    assess("duty", "host", 1)
    assess("embassy_admin", "partner", 3)
    assess("admin", "host", 2)
    with db.transaction() as session:
        c = commitments.get_commitment(session, caller=_as(world, "liaison"), commitment_id=cid)
        read = commitments.commitment_read(session, c, now=NOW)
        latest = commitments.last_assessments(session, cid)
    assert (read.assessments.host.score, read.assessments.partner.score) == (2, 3)  # type: ignore[union-attr]
    assert read.assessments.disagree is True
    assert {p: a.score for p, a in latest.items()} == {Party.host: 2, Party.partner: 3}
    assess("duty", "host", 3)
    with db.transaction() as session:
        c = commitments.get_commitment(session, caller=_as(world, "admin"), commitment_id=cid)
        assert commitments.commitment_read(session, c, now=NOW).assessments.disagree is False
        assert session.scalar(select(func.count()).select_from(Assessment)) == 4  # none overwritten


def test_an_uploaded_document_is_kept_by_its_hash_and_small_text(world: Any) -> None:
    cid = _create(world)
    body = b"Minutes of the joint working group: training agreed."
    doc = evidence.decode_upload("jwg.txt", base64.b64encode(body).decode())
    assert doc is not None
    with db.transaction() as session:
        e = evidence.add_evidence(
            session,
            caller=_as(world, "liaison"),
            commitment_id=cid,
            kind="document",
            date=date(2026, 10, 30),
            title="JWG record",
            now=NOW,
            document=doc,
        )
        assert (e.sha256, e.size, e.content) == (hashlib.sha256(body).hexdigest(), len(body), body.decode())
    with db.transaction() as session, pytest.raises(InvalidInput, match="SHA-256"):
        evidence.add_evidence(
            session,
            caller=_as(world, "admin"),
            commitment_id=cid,
            kind="document",
            date=date(2026, 10, 30),
            title="no file",
            now=NOW,
        )
    with db.transaction() as session, pytest.raises(InvalidInput, match="minutes both parties approved"):
        evidence.add_evidence(  # minutes are evidence only as a meeting's approved minutes, never a claim
            session,
            caller=_as(world, "admin"),
            commitment_id=cid,
            kind="minutes",
            date=date(2026, 10, 30),
            title="minutes of a meeting that never was",
            ref="4242",
            now=NOW,
        )
    with db.transaction() as session, pytest.raises(InvalidInput, match="intelligence report"):
        evidence.add_evidence(
            session,
            caller=_as(world, "admin"),
            commitment_id=cid,
            kind="news",
            date=date(2026, 10, 30),
            title="no such report",
            ref="999",
            now=NOW,
        )


def test_lists_filter_by_status_kind_party_and_overdue(world: Any) -> None:
    late = _create(world, deadline=(NOW - timedelta(days=3)).date().isoformat())
    funding = _create(world, kind="funding", unit=None, currency="USD", amount=1_250_000, promisor="partner")
    joint = _create(world, kind="joint_exercise", promisor=None, beneficiary=None, unit=None, amount=None)
    _move(world, joint, "admin", "done")
    with db.transaction() as session:
        caller = _as(world, "auditor")

        def ids(**f: Any) -> list[int]:
            return [
                c.id
                for c in commitments.list_commitments(session, caller=caller, filters=Filters(**f), now=NOW)
            ]

        assert ids(overdue=True) == [late]
        assert sorted(ids(status=s.Status.open)) == sorted([late, funding])
        assert ids(kind=Kind.funding) == [funding]
        assert joint not in ids(party=Party.host)
        assert [c.id for c in commitments.open_commitments(session, caller=caller)] == ids(
            status=s.Status.open
        )


def test_a_deadline_move_and_an_owner_change_are_kept_with_their_reason(world: Any) -> None:
    cid = _create(world)
    data = s.CommitmentChange.model_validate({"deadline": "2027-03-31", "reason": "course moved to spring"})
    with db.transaction() as session:
        e = commitments.change(
            session, caller=_as(world, "embassy_admin"), commitment_id=cid, data=data, now=NOW
        )
        assert e.changes == {"deadline": ["2026-12-31", "2027-03-31"]}
    theirs = s.CommitmentChange.model_validate({"host_owner_id": world["analyst"].user_id, "reason": "swap"})
    with db.transaction() as session, pytest.raises(Forbidden, match="host party names its own owner"):
        commitments.change(
            session, caller=_as(world, "embassy_admin"), commitment_id=cid, data=theirs, now=NOW
        )
    bad = s.CommitmentChange.model_validate({"host_owner_id": world["liaison"].user_id, "reason": "swap"})
    with db.transaction() as session, pytest.raises(InvalidInput, match="host owner"):
        commitments.change(session, caller=_as(world, "admin"), commitment_id=cid, data=bad, now=NOW)


def test_the_stored_timeline_replays_to_the_stage_whatever_was_tried(world: Any) -> None:
    import random

    from outrider.committee.ladder import Move, replay

    cid = _create(world, stage="announced")
    rng = random.Random(23)
    for _ in range(12):
        target = rng.choice(list(Stage))
        try:
            _move(world, cid, rng.choice(["admin", "liaison"]), target.value, rng.choice(["", "revised"]))
        except RuleViolation:
            continue  # refused: nothing written
    with db.transaction() as session:
        row = commitments.get_commitment(session, caller=_as(world, "auditor"), commitment_id=cid)
        entries = session.scalars(select(Evidence).where(Evidence.commitment_id == cid).order_by(Evidence.id))
        moves = [Move(Stage(e.stage_from), Stage(e.stage_to), e.reason) for e in entries if e.stage_from]
        assert len(moves) >= 3
        assert replay(Stage.announced, moves) == Stage(row.stage)
        assert row.status == ("closed" if row.stage in ("done", "not_fulfilled") else "open")
