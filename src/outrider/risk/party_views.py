"""Each party's own view of a movement's risk, kept by the tick so that a rise in it alerts that party.

A party (the movement's organisation, its escort's, the partner of its nationals) reads its own risk: the
route scored on the events its organisation may read (`risk.readers`), at the holder's snapshot's time. The
tick keeps each party's last level in that view (table `risk_party_levels`) with the withheld events that
counted then, and re-judges a party when the snapshot changes or those events do (a grant, a marking), so a
rise that only its own view shows (an event it may read added, the reading of one granted) reaches it.

A party whose view is the holder's is told by the holder's alert (`movement_risk`); any other party whose
own level rose gets an alert of its own: owned by it alone, with its own levels and score, never a driver,
and the movement named through the alert's itinerary entry, so `alerts.views` shows the reference only to
its need-to-know list.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from outrider.alerts import service as alerts_service
from outrider.alerts import views as alert_views
from outrider.alerts.schemas import Severity
from outrider.movements.nearby import Due
from outrider.risk import readers
from outrider.risk.models import RiskPartyLevel, RiskSnapshot
from outrider.risk.parameters import RiskParameters
from outrider.risk.scoring import route_risk
from outrider.risk.stored import coords

KIND = "risk_rising"  # the holder's kind: the same words, title and feed event in every language
SUBJECT = "movement_view"  # subject id "<movement id>:<organisation id>": one open alert per party


@dataclass(frozen=True)
class Kept:
    """A party's level as the tick last saw it, and the view it was seen in."""

    level: int
    level_name: str
    view: str


@dataclass(frozen=True)
class OwnLevel:
    """One party's level now, in its own view; ``holders``: that view counts what the snapshot counts."""

    organization_id: int
    level: int
    level_name: str
    score: float
    view: str
    holders: bool


class Views:
    """The parties' sights, asked once per tick and organisation (each on its cached reader index)."""

    def __init__(self, session: Session, params: RiskParameters) -> None:
        self.session = session
        self.params = params
        self._seen: dict[int, readers.Sight] = {}
        self._keys: dict[int, str] = {}
        self._open: set[str] | None = None

    def open_alert(self, subject: str) -> bool:
        """Whether a party's alert about this subject is open (all of them read once, when first asked)."""
        if self._open is None:
            self._open = set(alerts_service.open_subjects(self.session, KIND, SUBJECT))
        return subject in self._open

    def sight(self, organization_id: int) -> readers.Sight:
        """The index the organisation's readers count on."""
        seen = self._seen.get(organization_id)
        if seen is None:
            seen = self._seen[organization_id] = readers.sight(self.session, self.params, organization_id)
        return seen

    def key(self, organization_id: int) -> str:
        """Which withheld events count for the organisation now ("" when none: its view is the holder's),
        read without building its index (a quiet tick builds none)."""
        key = self._keys.get(organization_id)
        if key is None:
            counting = readers.counting_withheld(self.session, self.params, organization_id)
            if counting is None:
                key = "unwired"  # it counts nothing (fail closed)
            elif not counting:
                key = ""
            else:
                key = hashlib.blake2b(",".join(sorted(counting)).encode(), digest_size=16).hexdigest()
            self._keys[organization_id] = key
        return key

    def own_level(self, movement: Due, snap: RiskSnapshot, organization_id: int) -> OwnLevel:
        """The party's level of the route at the snapshot's time, on the events it may read."""
        seen = self.sight(organization_id)
        if seen.whole:
            return OwnLevel(organization_id, snap.level, snap.level_name, snap.score, "", True)
        own = route_risk(coords(movement.route), snap.scored_for, seen.index, self.params)
        score = round(own.score, 4)
        same = own.incident_count == snap.incident_count and score == snap.score
        return OwnLevel(organization_id, own.level, own.level_name, score, self.key(organization_id), same)


def parties_of(session: Session, movement: Due) -> frozenset[int]:
    """The movement's parties: its organisation and the audience of an alert about it."""
    return frozenset({movement.organization_id} | alert_views.movement_audience(session, movement.id))


def kept_levels(session: Session, movement_ids: Collection[int]) -> dict[int, dict[int, Kept]]:
    """The parties' kept levels of these movements (one read for the whole tick)."""
    found: dict[int, dict[int, Kept]] = defaultdict(dict)
    if not movement_ids:
        return found
    rows = session.execute(
        select(
            RiskPartyLevel.movement_id,
            RiskPartyLevel.organization_id,
            RiskPartyLevel.level,
            RiskPartyLevel.level_name,
            RiskPartyLevel.view,
        ).where(RiskPartyLevel.movement_id.in_(sorted(set(movement_ids))))
    )
    for mid, org, level, name, view in rows:
        found[mid][org] = Kept(level, name, view)
    return found


def judge(
    session: Session,
    views: Views,
    movement: Due,
    snap: RiskSnapshot,
    own: Iterable[OwnLevel],
    kept: Mapping[int, Kept],
    *,
    told: frozenset[int],
    now: datetime,
) -> tuple[int, ...]:
    """Alert each party whose own level rose from the one kept (``told``: the parties the holder's alert
    told of this rise) and keep the levels now; returns the parties alerted."""
    alerted = []
    levels = list(own)
    for mine in levels:
        before = kept.get(mine.organization_id)
        subject = subject_id(movement.id, mine.organization_id)
        if mine.organization_id in told:  # the holder's alert speaks for it: no second one
            if views.open_alert(subject):
                alerts_service.resolve(session, kind=KIND, subject_type=SUBJECT, subject_id=subject, now=now)
        elif before is not None and mine.level > before.level:
            _alert(session, movement, snap, mine, before, now=now)
            alerted.append(mine.organization_id)
    _keep(session, movement, snap, levels, now=now)
    return tuple(alerted)


def forget(session: Session, movement_id: int, organization_ids: Collection[int]) -> None:
    """Drop the kept levels of organisations no longer parties of the movement."""
    if organization_ids:
        session.execute(
            delete(RiskPartyLevel).where(
                RiskPartyLevel.movement_id == movement_id,
                RiskPartyLevel.organization_id.in_(sorted(organization_ids)),
            )
        )


def recheck(
    session: Session,
    movement: Due,
    snap: RiskSnapshot,
    kept: Mapping[int, Kept],
    views: Views,
    *,
    now: datetime,
) -> tuple[int, ...]:
    """With the snapshot unchanged: re-judge the parties whose withheld events changed since their level
    was kept, and take in the parties not kept yet (their level is kept, not alerted)."""
    if kept and all(views.key(org) == k.view for org, k in kept.items()):
        return ()
    parties = parties_of(session, movement)
    forget(session, movement.id, set(kept) - parties)
    changed = [org for org in sorted(parties) if org not in kept or views.key(org) != kept[org].view]
    own = [views.own_level(movement, snap, org) for org in changed]
    return judge(session, views, movement, snap, own, kept, told=frozenset(), now=now)


def subject_id(movement_id: int, organization_id: int) -> str:
    """The subject of one party's alert about one movement."""
    return f"{movement_id}:{organization_id}"


@dataclass(frozen=True)
class Rise:
    """A level that rose, in one view: from (level, name) to (level, name), with the score now."""

    before: tuple[int, str]
    after: tuple[int, str]
    score: float
    incident_revision: int


def raise_rise(
    session: Session,
    rise: Rise,
    *,
    subject: tuple[str, str | int],
    reference: str,
    owner: int | None,
    audience: frozenset[int] = frozenset(),
    extra: dict[str, Any] | None = None,
    now: datetime,
) -> None:
    """Raise (or refresh) a risk_rising alert: the levels and the score of one view only, never a driver
    (where drivers lie hints at the route); critical from level 4."""
    alerts_service.raise_alert(
        session,
        kind=KIND,
        severity=Severity.critical if rise.after[0] >= 4 else Severity.warning,
        subject_type=subject[0],
        subject_id=subject[1],
        title=f"{reference}: route risk rose from {rise.before[1]} to {rise.after[1]}",
        details={
            "previous_level": rise.before[0],
            "level": rise.after[0],
            "score": rise.score,
            "incident_revision": rise.incident_revision,
            **(extra or {}),
        },
        organization_id=owner,
        audience=audience,
        now=now,
    )


def _alert(
    session: Session, movement: Due, snap: RiskSnapshot, mine: OwnLevel, before: Kept, *, now: datetime
) -> None:
    """Tell one party that its own level of the route rose: its figures, to it alone; the movement named
    through the itinerary entry, which readers off its need-to-know list never see."""
    rise = Rise(
        (before.level, before.level_name), (mine.level, mine.level_name), mine.score, snap.incident_revision
    )
    due = {
        "movement_id": movement.id,
        "reference": movement.reference,
        "due": movement.planned_departure.isoformat(),
    }
    raise_rise(
        session,
        rise,
        subject=(SUBJECT, subject_id(movement.id, mine.organization_id)),
        reference=movement.reference,
        owner=mine.organization_id,
        extra={"itinerary": [due]},
        now=now,
    )


def _keep(
    session: Session, movement: Due, snap: RiskSnapshot, levels: list[OwnLevel], *, now: datetime
) -> None:
    """Store the parties' levels now (an insert or an update each: two workers may keep the same row)."""
    if not levels:
        return
    values = [
        {
            "movement_id": movement.id,
            "organization_id": mine.organization_id,
            "level": mine.level,
            "level_name": mine.level_name,
            "score": mine.score,
            "view": mine.view,
            "plan_version": snap.plan_version,
            "incident_revision": snap.incident_revision,
            "updated_at": now,
        }
        for mine in levels
    ]
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(RiskPartyLevel).values(values)
    changed = {k: stmt.excluded[k] for k in values[0] if k not in ("movement_id", "organization_id")}
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[RiskPartyLevel.movement_id, RiskPartyLevel.organization_id], set_=changed
        )
    )
