"""The joint committee's records through the services, on SQLite and PostgreSQL: who sits on it, who
reads and keeps its meetings (every role of every organisation of the test world), restricted items,
and outcomes that record a commitment which gains the approved minutes as evidence."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import pytest
from committee_scene import NOW, add_item, hold, make_scene, sign, write
from sqlalchemy import select

from outrider import db
from outrider.audit.models import AuditRecord
from outrider.committee import committees, meetings, outcomes, reading
from outrider.committee import schemas as s
from outrider.committee.commitment_models import Commitment, Evidence
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.protocols import service as protocols_service
from world_users import WORLD_USERS

PROTOCOL = files("outrider.protocols").joinpath("data/default.yaml").read_text("utf-8")

# Who reads the committee's meetings: its members, the founding parties' administrators, auditors.
READERS = {"admin", "analyst", "duty", "liaison", "embassy_admin", "auditor"}
EDITORS = {"admin", "analyst", "liaison"}  # chairs and the secretariat


def _read(scene: Any, who: str) -> s.MeetingRead:
    with db.transaction() as session:
        meeting, seat = meetings.meeting_and_seat(session, scene.as_(who), scene.meeting)
        return reading.meeting_read(session, caller=scene.as_(who), meeting=meeting, seat=seat, now=NOW)


def test_members_come_from_the_founding_parties_each_named_by_its_own_administrator(world: Any) -> None:
    scene = make_scene(world)
    with db.transaction() as session:
        c = committees.list_committees(session, caller=scene.as_("liaison"))
        assert [x.id for x in c] == [scene.committee]
        assert committees.list_committees(session, caller=scene.as_("coord")) == []
    cases = [
        ("admin", "coord", s.Role.member, InvalidInput),  # a company's user never sits on it
        ("embassy_admin", "auditor", s.Role.member, Forbidden),  # the partner names only its own
        ("admin", "auditor", s.Role.chair, Conflict),  # one chair per party
        ("admin", "duty", s.Role.member, Conflict),  # already seated
        ("acme_admin", "acme_admin", s.Role.member, NotFound),  # the committee is not theirs to know
    ]
    for actor, user, role, error in cases:
        with pytest.raises(error), db.transaction() as session:
            committees.add_member(
                session,
                caller=scene.as_(actor),
                committee_id=scene.committee,
                data=s.MemberAdd(user_id=world[user].user_id, role=role),
                now=NOW,
            )
    with pytest.raises(Forbidden), db.transaction() as session:
        committees.create_committee(
            session, caller=scene.as_("duty"), data=s.CommitteeCreate(name="x"), now=NOW
        )
    duty = world["duty"].user_id
    with pytest.raises(Forbidden), db.transaction() as session:  # the partner removes only its own
        committees.remove_member(
            session, caller=scene.as_("embassy_admin"), committee_id=scene.committee, user_id=duty, now=NOW
        )
    with db.transaction() as session:
        committees.remove_member(
            session, caller=scene.as_("admin"), committee_id=scene.committee, user_id=duty, now=NOW
        )
    with pytest.raises(NotFound), db.transaction() as session:  # off the committee: nothing to read
        meetings.get_meeting(session, caller=scene.as_("duty"), meeting_id=scene.meeting)
    with db.transaction() as session:  # seated again: the same member row, past attendance stays theirs
        again = committees.add_member(
            session,
            caller=scene.as_("admin"),
            committee_id=scene.committee,
            data=s.MemberAdd(user_id=duty),
            now=NOW,
        )
        assert again.id == scene.members["duty"]
        assert (
            meetings.get_meeting(session, caller=scene.as_("duty"), meeting_id=scene.meeting).id
            == scene.meeting
        )


def test_every_role_of_every_organisation_reads_and_keeps_only_what_its_seat_allows(world: Any) -> None:
    scene = make_scene(world)
    for who in WORLD_USERS:
        if who in READERS:
            assert _read(scene, who).number == 1
        else:
            with pytest.raises(NotFound), db.transaction() as session:
                meetings.get_meeting(session, caller=scene.as_(who), meeting_id=scene.meeting)
        if who in EDITORS:
            add_item(scene, who, title=f"raised by {who}")
        else:  # a reader is refused (403); anyone else is told there is no such meeting (404)
            with pytest.raises(Forbidden if who in READERS else NotFound):
                add_item(scene, who, title=f"raised by {who}")
        data = s.CommentCreate(text=f"a comment of {who}")
        try:
            with db.transaction() as session:
                meetings.add_comment(
                    session,
                    caller=scene.as_(who),
                    meeting_id=scene.meeting,
                    item_id=_first(scene),
                    data=data,
                    now=NOW,
                )
        except (Forbidden, NotFound):
            assert who not in {"admin", "analyst", "duty", "liaison"}
        else:
            assert who in {"admin", "analyst", "duty", "liaison"}  # members comment, partner's included


def _first(scene: Any) -> int:
    return _read(scene, "admin").agenda[0].id


def test_a_restricted_item_is_read_only_by_the_members_it_names_and_each_showing_is_audited(
    world: Any,
) -> None:
    scene = make_scene(world)
    secret = add_item(
        scene,
        "analyst",
        title="Threat to the dam convoy",
        text="Source says the bus route is known.",
        restricted_to=[world["liaison"].user_id],
    )
    write(scene, "The route will change on Thursdays.", secret)
    with db.transaction() as session:
        outcomes.record_outcome(
            session,
            caller=scene.as_("analyst"),
            meeting_id=scene.meeting,
            item_id=secret,
            data=s.OutcomeCreate(kind=s.OutcomeKind.decision, text="Vary the route."),
            now=NOW,
        )
    for who in ("analyst", "liaison"):  # named (the author is named by default)
        item = next(i for i in _read(scene, who).agenda if i.id == secret)
        assert item.readable and item.text and item.outcomes[0].text == "Vary the route."
    for who in ("admin", "duty", "embassy_admin", "auditor"):
        seen = _read(scene, who)
        item = next(i for i in seen.agenda if i.id == secret)
        assert item.title == "Threat to the dam convoy"  # the title stays on the agenda
        assert (item.readable, item.text, item.outcomes, item.comments) == (False, None, [], [])
        assert seen.minutes.sections[0].text is None and seen.minutes.sections[0].text_sha256
        with db.transaction() as session:
            meeting, seat = meetings.meeting_and_seat(session, scene.as_(who), scene.meeting)
            with pytest.raises(NotFound):
                meetings.readable_item(session, scene.as_(who), meeting, seat, secret)
    with pytest.raises(InvalidInput, match="do not sit"):
        add_item(scene, "analyst", restricted_to=[world["coord"].user_id])
    with db.transaction() as session:
        reads = list(
            session.scalars(select(AuditRecord).where(AuditRecord.action == "committee.read_restricted"))
        )
    assert {r.user_id for r in reads} == {world["analyst"].user_id, world["liaison"].user_id}
    assert all(r.details == {"item_ids": [secret]} for r in reads)  # ids only, never the text


def test_a_commitment_outcome_records_the_commitment_and_approved_minutes_become_its_evidence(
    world: Any,
) -> None:
    scene = make_scene(world)
    item = add_item(scene, "admin", title="Police training")
    body = {
        "title": "Training of 120 police officers",
        "kind": "training",
        "promisor": "partner",
        "beneficiary": "host",
        "stage": "agreed",
        "amount": 120,
        "unit": "officers trained",
    }
    with db.transaction() as session:
        made = outcomes.record_outcome(
            session,
            caller=scene.as_("admin"),
            meeting_id=scene.meeting,
            item_id=item,
            data=s.OutcomeCreate(
                kind=s.OutcomeKind.commitment, text="The partner trains 120 officers.", commitment=body
            ),
            now=NOW,
        )
        cid = made.commitment_id
        assert cid is not None and session.get_one(Commitment, cid).stage == "agreed"
    with db.transaction() as session:  # a decision on a protocol version names it
        version = protocols_service.load_version(
            session, caller=scene.as_("admin"), text=PROTOCOL, parties={}, now=NOW
        )
        decided = outcomes.record_outcome(
            session,
            caller=scene.as_("admin"),
            meeting_id=scene.meeting,
            item_id=item,
            data=s.OutcomeCreate(
                kind=s.OutcomeKind.decision, text="v1 agreed", protocol_version_id=version.id
            ),
            now=NOW,
        )
        assert decided.protocol_version_id == version.id
    bad = [
        s.OutcomeCreate(kind=s.OutcomeKind.information, text="x", commitment_id=cid),
        s.OutcomeCreate(kind=s.OutcomeKind.commitment, text="x"),
        s.OutcomeCreate(kind=s.OutcomeKind.commitment, text="x", commitment={"title": "no kind"}),
        s.OutcomeCreate(kind=s.OutcomeKind.information, text="x", protocol_version_id=1),
        s.OutcomeCreate(kind=s.OutcomeKind.decision, text="x", protocol_version_id=999),
    ]
    for data in bad:
        with pytest.raises(InvalidInput), db.transaction() as session:
            outcomes.record_outcome(
                session, caller=scene.as_("admin"), meeting_id=scene.meeting, item_id=item, data=data, now=NOW
            )
    with db.transaction() as session:  # linking the same commitment again from another item
        outcomes.record_outcome(
            session,
            caller=scene.as_("liaison"),
            meeting_id=scene.meeting,
            item_id=_first(scene),
            data=s.OutcomeCreate(kind=s.OutcomeKind.commitment, text="Follow-up.", commitment_id=cid),
            now=NOW,
        )
    write(scene, "Training agreed.", item)
    hold(scene)
    sign(scene, "admin")
    with db.transaction() as session:
        assert not session.scalars(select(Evidence).where(Evidence.kind == "minutes")).all()
    sign(scene, "embassy_admin")
    with db.transaction() as session:
        entries = session.scalars(select(Evidence).where(Evidence.kind == "minutes")).all()
    assert [(e.commitment_id, e.ref) for e in entries] == [(cid, str(scene.meeting))]
    assert entries[0].sha256 == _read(scene, "admin").minutes.minutes_hash
