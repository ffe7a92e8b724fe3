"""A joint committee of the test world, made through the services: the host administrator chairs for the
host with the analyst as secretariat and the duty officer as member; the liaison chairs for the partner.
The partner's administrator, the auditor and the companies do not sit on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from outrider import db
from outrider.access.policy import Caller
from outrider.accounts.models import User
from outrider.committee import committees, meetings, minutes, minutes_signing
from outrider.committee import schemas as s
from outrider.http import caller_of
from outrider.protocols import keys

NOW = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
SEATS = {"admin": "chair", "analyst": "secretariat", "duty": "member", "liaison": "chair"}


@dataclass
class Scene:
    world: Any
    committee: int
    meeting: int
    members: dict[str, int]  # username -> member id
    callers: dict[str, Caller] = field(default_factory=dict)
    signing: dict[str, tuple[Ed25519PrivateKey, str]] = field(default_factory=dict)

    def as_(self, who: str) -> Caller:
        return self.callers[who]


def callers(world: Any) -> dict[str, Caller]:
    with db.transaction() as session:
        return {n: caller_of(session.get_one(User, world[n].user_id)) for n in world.actors}


def make_scene(world: Any) -> Scene:
    """The committee, its members and a first meeting with an item, attendance and a minutes section."""
    who = callers(world)
    with db.transaction() as session:
        c = committees.create_committee(
            session, caller=who["admin"], data=s.CommitteeCreate(name="Joint Security Committee"), now=NOW
        )
        seated = {}
        for name, role in SEATS.items():
            admin = who["admin"] if name != "liaison" else who["embassy_admin"]
            m = committees.add_member(
                session,
                caller=admin,
                committee_id=c.id,
                data=s.MemberAdd(user_id=world[name].user_id, role=s.Role(role)),
                now=NOW,
            )
            seated[name] = m.id
        meeting = meetings.create_meeting(
            session,
            caller=who["analyst"],
            committee_id=c.id,
            data=s.MeetingCreate(
                title="First session", starts_at=NOW, timezone="Asia/Karachi", place="Islamabad"
            ),
            now=NOW,
        )
        ids = (c.id, meeting.id)
    return Scene(world, ids[0], ids[1], seated, who)


def add_item(scene: Scene, who: str = "analyst", **body: Any) -> int:
    with db.transaction() as session:
        data = s.AgendaItemCreate(
            **{"title": "Airport outer cordon", "text": "Checks at the outer ring.", **body}
        )
        return meetings.add_agenda_item(
            session, caller=scene.as_(who), meeting_id=scene.meeting, data=data, now=NOW
        ).id


def write(
    scene: Scene, text: str, item: int | None = None, who: str = "analyst", position: int | None = None
) -> None:
    with db.transaction() as session:
        data = s.SectionWrite(text=text, agenda_item_id=item, position=position)
        minutes.write_section(session, caller=scene.as_(who), meeting_id=scene.meeting, data=data, now=NOW)


def hold(scene: Scene) -> None:
    with db.transaction() as session:
        meetings.set_status(
            session,
            caller=scene.as_("analyst"),
            meeting_id=scene.meeting,
            status=s.MeetingStatus.held,
            now=NOW,
        )


def register_key(scene: Scene, who: str) -> tuple[Ed25519PrivateKey, str]:
    """An Ed25519 key of ``who``, registered (chairs and administrators register their own keys)."""
    if who not in scene.signing:
        pem, public = keys.generate_pem()
        with db.transaction() as session:
            committees.register_signing_key(
                session, caller=scene.as_(who), public_key=public, label=who, now=NOW
            )
        scene.signing[who] = (keys.load_private_pem(pem), public.hex())
    return scene.signing[who]


def current_hash(scene: Scene) -> str:
    with db.transaction() as session:
        meeting = meetings.get_meeting(session, caller=scene.as_("admin"), meeting_id=scene.meeting)
        return minutes.standing(session, meeting).current_hash


def sign(scene: Scene, who: str, digest: str | None = None, key_of: str | None = None) -> Any:
    key, public = register_key(scene, key_of or who)
    digest = digest or current_hash(scene)
    signature = key.sign(minutes_signing.signing_message(digest)).hex()
    with db.transaction() as session:
        return minutes.sign(
            session,
            caller=scene.as_(who),
            meeting_id=scene.meeting,
            minutes_hash=digest,
            public_key=public,
            signature=signature,
            now=NOW,
        ).party
