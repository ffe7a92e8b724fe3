"""The demo's joint committee, made through the committee's services like real records: the two founding
parties' committee, two past meetings (agenda with a restricted item, attendance, minutes both parties sign
with keys made for the occasion, as the demo's protocol is signed), the commitments they recorded (drawn from
the seeds' kind of news: a joint exercise, police officers trained at the partner's academy, money for police
capacity, action against a group, a security arrangement for the projects) at various stages with both
parties' assessments (they disagree on one), one overdue whatever day the demo is loaded, evidence entries, a
cooperation report read from the news for the secretariat, and the next meeting planned.

Every date is relative to the load day. The demo loads only into an empty database, so this runs once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.committee import (
    access,
    assessments,
    commitments,
    committees,
    evidence,
    meetings,
    minutes,
    minutes_signing,
    outcomes,
    proposals,
)
from outrider.committee import schemas as s
from outrider.committee import schemas_commitments as cs
from outrider.committee.commitment_models import Commitment
from outrider.committee.ladder import Party, Stage
from outrider.intel import ingest as intel_ingest
from outrider.protocols import keys, signing_keys

NAME = "Joint Security Committee (Sindh-KP Corridor)"
ZONE = "Asia/Karachi"
# (username, party's administrator who seats them, role)
SEATS: tuple[tuple[str, str, str], ...] = (
    ("admin", "admin", "chair"),
    ("analyst", "admin", "secretariat"),
    ("duty", "admin", "member"),
    ("envoy", "envoy", "chair"),
    ("liaison", "envoy", "member"),
)
SIGNERS = ("admin", "envoy")  # each party's chair, an administrator of its founding party
RESTRICTED_TO = ("admin", "duty", "envoy")  # the threat assessment: not the liaison, not the secretariat

COOPERATION_REPORT = (
    "Partner to train 200 more police officers for project security\n\n"
    "ISLAMABAD: China will train 200 more Pakistani police officers at its police academy to protect "
    "Chinese nationals working on power projects, the interior minister said on Monday after meeting "
    "the Chinese ambassador.\n"
)


def _day(now: datetime, days: int) -> str:
    return (now + timedelta(days=days)).date().isoformat()


def _at(now: datetime, days: int, hour: int) -> datetime:
    return (now + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


class _Clerk:
    """The demo's committee work, done as its members."""

    def __init__(self, session: Session, callers: dict[str, Caller], now: datetime) -> None:
        self.session, self.callers, self.now = session, callers, now
        self.keys: dict[str, tuple[Any, str]] = {}
        self.committee = 0

    def seat_everyone(self) -> None:
        c = committees.create_committee(
            self.session, caller=self.callers["admin"], data=s.CommitteeCreate(name=NAME), now=self.now
        )
        self.committee = c.id
        for user, admin, role in SEATS:
            data = s.MemberAdd(user_id=self.callers[user].user_id, role=s.Role(role))
            committees.add_member(
                self.session, caller=self.callers[admin], committee_id=c.id, data=data, now=self.now
            )

    def meeting(self, title: str, days: int, place: str) -> int:
        data = s.MeetingCreate(title=title, starts_at=_at(self.now, days, 5), timezone=ZONE, place=place)
        row = meetings.create_meeting(
            self.session, caller=self.callers["analyst"], committee_id=self.committee, data=data, now=self.now
        )
        return row.id

    def item(self, meeting_id: int, title: str, text: str, restricted: tuple[str, ...] = ()) -> int:
        only = [self.callers[u].user_id for u in restricted] or None
        data = s.AgendaItemCreate(title=title, text=text, restricted_to=only)
        who = self.callers["admin" if restricted else "analyst"]
        return meetings.add_agenda_item(
            self.session, caller=who, meeting_id=meeting_id, data=data, now=self.now
        ).id

    def outcome(self, meeting_id: int, item_id: int, kind: str, text: str, **more: Any) -> int | None:
        data = s.OutcomeCreate(kind=s.OutcomeKind(kind), text=text, **more)
        row = outcomes.record_outcome(
            self.session,
            caller=self.callers["admin"],
            meeting_id=meeting_id,
            item_id=item_id,
            data=data,
            now=self.now,
        )
        return row.commitment_id

    def attend(self, meeting_id: int, absent: tuple[str, ...] = ()) -> None:
        committee, _seat = access.readable(self.session, self.callers["admin"], self.committee)
        for member in committee.members:
            user = next(u for u, c in self.callers.items() if c.user_id == member.user_id)
            status = s.Presence.apologies if user in absent else s.Presence.present
            data = s.AttendanceSet(member_id=member.id, status=status)
            meetings.set_attendance(
                self.session, caller=self.callers["analyst"], meeting_id=meeting_id, data=data, now=self.now
            )
        guest = s.AttendanceSet(guest_name="Project security manager", guest_affiliation="Indus Gorge Hydro")
        meetings.set_attendance(
            self.session, caller=self.callers["analyst"], meeting_id=meeting_id, data=guest, now=self.now
        )

    def write(self, meeting_id: int, text: str, item_id: int | None = None, who: str = "analyst") -> None:
        data = s.SectionWrite(text=text, agenda_item_id=item_id)
        minutes.write_section(
            self.session, caller=self.callers[who], meeting_id=meeting_id, data=data, now=self.now
        )

    def hold_and_sign(self, meeting_id: int) -> None:
        meetings.set_status(
            self.session,
            caller=self.callers["analyst"],
            meeting_id=meeting_id,
            status=s.MeetingStatus.held,
            now=self.now,
        )
        for who in SIGNERS:
            key, public = self._key(who)
            meeting = meetings.get_meeting(self.session, caller=self.callers[who], meeting_id=meeting_id)
            digest = minutes.standing(self.session, meeting).current_hash
            minutes.sign(
                self.session,
                caller=self.callers[who],
                meeting_id=meeting_id,
                minutes_hash=digest,
                public_key=public,
                signature=key.sign(minutes_signing.signing_message(digest)).hex(),
                now=self.now,
            )

    def _key(self, who: str) -> tuple[Any, str]:
        # A key made for the occasion: its public half registered, the private half dropped after the load.
        if who not in self.keys:
            pem, public = keys.generate_pem()
            signing_keys.register_key(
                self.session,
                caller=self.callers[who],
                public_key=public,
                label="demo committee",
                now=self.now,
            )
            self.keys[who] = (keys.load_private_pem(pem), public.hex())
        return self.keys[who]

    def assess(self, commitment_id: int, who: str, party: str, score: int, note: str) -> None:
        data = cs.AssessmentCreate(party=Party(party), score=score, note=note)
        assessments.assess(
            self.session, caller=self.callers[who], commitment_id=commitment_id, data=data, now=self.now
        )

    def stage(
        self, commitment_id: int, stage: str, days: int, title: str, kind: str = "note", **more: Any
    ) -> None:
        data = cs.StageMove(
            stage=Stage(stage),
            date=_day(self.now, days),
            title=title,
            evidence_kind=cs.EvidenceKind(kind),
            **more,
        )
        commitments.move_stage(
            self.session, caller=self.callers["duty"], commitment_id=commitment_id, data=data, now=self.now
        )


def _first_meeting(clerk: _Clerk, now: datetime) -> tuple[int, dict[str, int]]:
    m = clerk.meeting("First session: the corridor's security cooperation", -100, "Islamabad")
    exercise = clerk.item(
        m, "Joint exercise of police and paramilitary forces", "A joint exercise on the corridor."
    )
    training = clerk.item(
        m,
        "Training of police officers at the partner's police academy",
        "The partner offers places at its academy.",
    )
    funding = clerk.item(m, "Funding for police capacity", "Equipment and vehicles for the protection unit.")
    threat = clerk.item(
        m,
        "Threat assessment: the Dasu corridor",
        "Recent roadside bombs near Dasu; convoys to vary their departure times.",
        restricted=RESTRICTED_TO,
    )
    ids = {
        "exercise": clerk.outcome(
            m,
            exercise,
            "commitment",
            "The two sides hold a joint exercise on the corridor.",
            commitment={
                "title": "Joint police and paramilitary exercise on the corridor",
                "kind": "joint_exercise",
                "stage": "agreed",
                "deadline": _day(now, 60),
                "date": _day(now, -100),
            },
        ),
        "training": clerk.outcome(
            m,
            training,
            "commitment",
            "The partner trains police officers of the host at its academy.",
            commitment={
                "title": "Training of 200 police officers at the partner's police academy",
                "kind": "training",
                "promisor": "partner",
                "beneficiary": "host",
                "amount": 200,
                "unit": "officers trained",
                "stage": "pledged",
                "deadline": _day(now, 120),
                "date": _day(now, -100),
                "host_owner_id": clerk.callers["duty"].user_id,
                "partner_owner_id": clerk.callers["liaison"].user_id,
            },
        ),
        "funding": clerk.outcome(
            m,
            funding,
            "commitment",
            "The partner funds police capacity: USD 1.25 million.",
            commitment={
                "title": "USD 1.25 million for police capacity",
                "kind": "funding",
                "promisor": "partner",
                "beneficiary": "host",
                "amount": 1250000,
                "currency": "USD",
                "object": "vehicles, radios and protective equipment",
                "stage": "pledged",
                "deadline": _day(now, -10),
                "date": _day(now, -100),
            },
        ),
    }
    clerk.outcome(
        m, threat, "information", "Convoys vary their departure times; the escort waits at the gate."
    )
    clerk.attend(m)
    clerk.write(m, "The chairs opened the first session and agreed the committee's rules of procedure.")
    clerk.write(m, "Both forces will exercise together on the corridor within the year.", exercise)
    clerk.write(m, "The partner pledged 200 places at its police academy.", training)
    clerk.write(m, "The partner pledged USD 1.25 million for the protection unit's equipment.", funding)
    clerk.write(m, "The host briefed on the roadside bombs near Dasu.", threat, who="admin")
    clerk.hold_and_sign(m)
    return m, {k: v for k, v in ids.items() if v is not None}


def _second_meeting(clerk: _Clerk, now: datetime, ids: dict[str, int]) -> int:
    m = clerk.meeting("Second session: the Dasu attack and the projects' movements", -30, "Karachi")
    group = clerk.item(m, "Action against the group behind the Dasu roadside bomb", "The host's response.")
    arrangement = clerk.item(
        m, "Security arrangement for the projects' staff movements", "Escorts, routes and check-ins."
    )
    training = clerk.item(m, "Progress of the police training", "The first intake has begun.")
    ids["group"] = (
        clerk.outcome(
            m,
            group,
            "commitment",
            "The host acts against the group behind the Dasu attack.",
            commitment={
                "title": "Action against the group behind the Dasu roadside bomb",
                "kind": "action_against_group",
                "promisor": "host",
                "beneficiary": "partner",
                "group": "the group behind the Dasu roadside bomb",
                "stage": "announced",
                "deadline": _day(now, 90),
                "date": _day(now, -30),
            },
        )
        or 0
    )
    ids["arrangement"] = (
        clerk.outcome(
            m,
            arrangement,
            "commitment",
            "Every movement of project staff has a host escort and agreed check-ins.",
            commitment={
                "title": "Security arrangement for the projects' staff movements",
                "kind": "security_arrangement",
                "promisor": "host",
                "beneficiary": "partner",
                "stage": "agreed",
                "deadline": _day(now, 45),
                "date": _day(now, -30),
                "host_owner_id": clerk.callers["duty"].user_id,
            },
        )
        or 0
    )
    clerk.outcome(m, training, "commitment", "The training is under way.", commitment_id=ids["training"])
    clerk.attend(m, absent=("liaison",))
    clerk.write(m, "The host reported the arrests after the Dasu attack.", group)
    clerk.write(m, "Escorts and check-ins for every movement of project staff were agreed.", arrangement)
    clerk.write(m, "The partner reported that sixty officers began their course.", training)
    clerk.hold_and_sign(m)
    return m


def _progress(clerk: _Clerk, ids: dict[str, int]) -> None:
    now = clerk.now
    clerk.stage(ids["training"], "under_way", -25, "First intake of 60 officers began at the academy")
    schedule = evidence.Document(
        "course-schedule.txt", b"Course schedule: intake 1, 60 officers, 12 weeks.\n"
    )
    evidence.add_evidence(
        clerk.session,
        caller=clerk.callers["liaison"],
        commitment_id=ids["training"],
        kind="document",
        date=(now - timedelta(days=24)).date(),
        title="Course schedule of the first intake",
        source="partner police academy",
        now=now,
        document=schedule,
    )
    clerk.stage(
        ids["exercise"], "under_way", -12, "Planning conference of the joint exercise held in Karachi"
    )
    clerk.assess(ids["training"], "duty", "host", 1, "Sixty of two hundred officers are in class.")
    clerk.assess(ids["training"], "liaison", "partner", 2, "Places for all two hundred are reserved.")
    clerk.assess(ids["exercise"], "duty", "host", 1, "Planning done; no date fixed yet.")
    clerk.assess(ids["exercise"], "envoy", "partner", 1, "Waiting for the date.")
    clerk.assess(ids["funding"], "admin", "host", 0, "Nothing disbursed yet.")
    clerk.assess(ids["funding"], "envoy", "partner", 0, "Awaiting budget approval.")
    clerk.assess(ids["arrangement"], "duty", "host", 2, "Escorts assigned to every movement this month.")
    clerk.assess(ids["arrangement"], "liaison", "partner", 2, "Check-ins received on time.")
    clerk.assess(ids["group"], "admin", "host", 1, "Arrests made; the investigation continues.")


def record_compliance_report(session: Session, *, caller: Caller, protocol_id: str, now: datetime) -> None:
    """The security arrangement's entry resting on the protocol's compliance report: written by `demo
    protocol` once the protocol is stored (a reference names what exists), when the committee is loaded."""
    arrangement = session.scalar(select(Commitment.id).where(Commitment.kind == "security_arrangement"))
    if arrangement is None:
        return
    evidence.add_evidence(
        session,
        caller=caller,
        commitment_id=arrangement,
        kind="compliance_report",
        date=now.date(),
        title="Compliance report of the first checks against the agreed protocol",
        source="protocol compliance",
        ref=protocol_id,
        now=now,
    )


def _news(clerk: _Clerk) -> None:
    """A cooperation report read from the news: its proposals wait for the secretariat."""
    item = intel_ingest.IngestItem(
        source="demo:partner-police-training", doc_id="demo-police-training", data=COOPERATION_REPORT.encode()
    )
    published = (clerk.now - timedelta(days=2)).date()
    done = intel_ingest.ingest(
        clerk.session, caller=clerk.callers["analyst"], items=[item], now=clerk.now, published=published
    )
    report_id = done[0].report_id
    if report_id is None:  # the demo's own text: a failure here is a bug, not bad input
        raise RuntimeError(f"demo cooperation report: {done[0].error}")
    proposals.propose_from_report(
        clerk.session, caller=clerk.callers["analyst"], report_id=report_id, now=clerk.now
    )


def load_committee(session: Session, *, callers: dict[str, Caller], now: datetime) -> None:
    """The demo's committee, its meetings and commitments (the demo's users as members)."""
    clerk = _Clerk(session, callers, now)
    clerk.seat_everyone()
    _first, ids = _first_meeting(clerk, now)
    _second_meeting(clerk, now, ids)
    _progress(clerk, ids)
    _news(clerk)
    upcoming = clerk.meeting("Third session: follow-up of the commitments", 25, "Islamabad")
    clerk.item(upcoming, "Date of the joint exercise", "The two forces propose dates.")
