"""The store side of import: a partner's records as intelligence rows, found again by partner and STIX id.

A row remembers the values as last imported (``imported``); a later version of the object updates a
value only while the row still holds what was last imported, so what an analyst changed here is kept.
A partner's event is linked as ingest links (`outrider.intel.events.event_for`): when a local event
is the same incident, the partner's event is kept merged into it and its corroborations join ours.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.intel import events
from outrider.intel.models import IntelActor, IntelEvent, IntelIncident, IntelReport
from outrider.sharing import markings
from outrider.sharing.stix_import import Record, as_date
from outrider.sharing.stix_values import EVENT_KEYS

_EVENT_STATUSES = ("proposed", "confirmed")
_REPORT_FIELDS = ("title", "published", "language", "outlet", "source", "raw_text", "clean_text")


@dataclass(frozen=True, slots=True)
class Put:
    """What storing one record did: the row's id, created/updated/unchanged/linked, the values kept."""

    id: int
    outcome: str
    kept: list[str] = field(default_factory=list)


def content_hash(partner_org_id: int, key: str) -> str:
    """The content hash of a report kept for a partner's object (unique per partner and key)."""
    return hashlib.sha256(f"stix:{partner_org_id}:{key}".encode()).hexdigest()


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class Store:
    """Stores one bundle's records for one partner, in order (actors, events, reports, incidents)."""

    def __init__(self, session: Session, caller: Caller, partner: int, bundle_id: str, now: datetime) -> None:
        self.session, self.caller, self.partner, self.bundle_id, self.now = (
            session,
            caller,
            partner,
            bundle_id,
            now,
        )
        self.events: dict[str, IntelEvent] = {}
        self.report_of: dict[str, int] = {}  # a sighting's STIX id -> the report naming it
        self.refresh: set[int] = set()  # local events that partner accounts joined

    def put(self, record: Record) -> Put:
        """Store one record (created, updated where nothing local changed, or unchanged)."""
        kind = record.kind
        if kind == "actor":
            return self._actor(record)
        if kind == "event":
            return self._event(record)
        if kind == "report":
            return self._report(record)
        return self._incident(record)

    def finish(self) -> None:
        """Give every partner event an incident; re-choose the local events partner accounts joined."""
        self.session.flush()
        self._accounts()
        for event_id in sorted(self.refresh):
            events.refresh_event(self.session, event_id, self.now)
        self.session.flush()

    # ------------------------------------------------------------------ common

    def _find(self, model: Any, stix_id: str) -> Any:
        return self.session.scalar(
            select(model)
            .where(model.source_org_id == self.partner, model.stix_id == stix_id)
            .order_by(model.id)
            .limit(1)
        )

    def _provenance(self, row: Any, record: Record, values: dict[str, Any]) -> None:
        row.source_org_id, row.stix_id, row.bundle_id = self.partner, record.stix_id, self.bundle_id
        row.stix_modified, row.imported = record.modified, values

    def _stale(self, row: Any, record: Record) -> bool:
        """True when the stored version is as new as the record (nothing to do)."""
        return row.stix_modified is not None and (
            record.modified is None or record.modified <= row.stix_modified
        )

    def _update(self, row: Any, record: Record, values: dict[str, Any]) -> Put:
        """Set each value still as last imported; keep (and name) those changed here since."""
        if self._stale(row, record):
            return Put(row.id, "unchanged")
        last = row.imported or {}
        changed, kept = False, []
        for key, value in values.items():
            current = _plain(getattr(row, key))
            if current == value:
                continue
            if key in last and last[key] != current:
                kept.append(key)
                continue
            setattr(row, key, as_date(value) if key in ("date", "published") else value)
            changed = True
        self._provenance(row, record, values)
        return Put(row.id, "updated" if changed else "unchanged", sorted(kept))

    @staticmethod
    def _marking(record: Record) -> str | None:
        return record.marking.label if record.marking is not None else None

    # ------------------------------------------------------------------ actors

    def _actor(self, record: Record) -> Put:
        v = record.values
        actors = list(self.session.scalars(select(IntelActor).order_by(IntelActor.id)))
        row = self._find(IntelActor, record.stix_id)
        taken = {n.casefold() for a in actors if a is not row for n in [a.name, *a.aliases]}
        values = {
            "name": v["name"],
            # what joins the actor list that extraction reads: 3 characters or more, naming no other actor
            "aliases": [a for a in v["aliases"] if len(a) >= 3 and a.casefold() not in taken],
            "notes": v["notes"],
            "marking": self._marking(record),
        }
        if row is not None:
            clash = v["name"].casefold() in taken  # a new name that is another actor's stays the old one
            put = self._update(row, record, values | ({"name": row.name} if clash else {}))
            return Put(put.id, put.outcome, sorted({*put.kept, *(["name"] if clash else [])}))
        names = {n.casefold() for n in [v["name"], *v["aliases"]]}
        # ours that this object was linked to before (by its STIX id), else ours that it names
        same = next((a for a in actors if a.source_org_id is None and a.stix_id == record.stix_id), None)
        same = same or next((a for a in actors if names & {n.casefold() for n in [a.name, *a.aliases]}), None)
        if same is not None:  # ours already: never renamed, only told the partner's spellings
            self._adopt(same, record, values, actors)
            return Put(same.id, "linked")
        row = IntelActor(
            name=v["name"],
            kind=v["kind"],
            aliases=values["aliases"],
            notes=v["notes"],
            marking=values["marking"],
            updated_at=self.now,
        )
        self.session.add(row)
        self._provenance(row, record, values)
        self.session.flush()
        return Put(row.id, "created")

    def _adopt(
        self, row: IntelActor, record: Record, values: dict[str, Any], actors: list[IntelActor]
    ) -> None:
        taken = {n.casefold() for a in actors if a.id != row.id for n in [a.name, *a.aliases]}
        own = {n.casefold() for n in [row.name, *row.aliases]}
        new = [n for n in [values["name"], *values["aliases"]] if n.casefold() not in own | taken]
        if new:
            row.aliases = sorted({*row.aliases, *new})
            row.updated_at = self.now
        if row.marking is None:  # unmarked here (no analyst chose): it carries what the partner told
            row.marking = values["marking"]
        # Its STIX id only (a round trip keeps the partner's id), never the partner's provenance: found by
        # partner and id, a later version of the partner's object would rewrite ours (rename it, replace its
        # notes and the spellings extraction reads) and ours would read as the partner's.
        if row.stix_id is None:
            row.stix_id = record.stix_id

    # ------------------------------------------------------------------ events

    def _event(self, record: Record) -> Put:
        values = {**record.values, "marking": self._marking(record)}
        row = self._find(IntelEvent, record.stix_id)
        if row is not None:
            self.events[record.stix_id] = row
            if row.status not in _EVENT_STATUSES:  # merged or rejected here: the partner cannot undo it
                put = self._update(row, record, {k: v for k, v in values.items() if k != "status"})
                kept = ["status"] if values["status"] not in (None, row.status) else []
                return Put(put.id, put.outcome, sorted({*put.kept, *kept}))
            return self._update(row, record, values)
        local = self._same_incident(record)
        row = IntelEvent(
            status="merged" if local is not None else (values["status"] or "proposed"),
            merged_into=local,
            updated_at=self.now,
        )
        for key in EVENT_KEYS:
            if key != "status":
                setattr(row, key, as_date(values[key]) if key == "date" else values[key])
        row.date_precision = row.date_precision or "unknown"
        row.confidence, row.reports = row.confidence or 0.0, row.reports or 0
        row.marking = values["marking"]
        self.session.add(row)
        self._provenance(row, record, values)
        self.session.flush()
        self.events[record.stix_id] = row
        return Put(row.id, "linked" if local is not None else "created")

    def _same_incident(self, record: Record) -> int | None:
        """The local event linking finds for the partner's event (never another of this partner's)."""
        self.session.flush()
        member = self._as_incident(record.values)
        found = events.event_for(self.session, [member], None, self.now.date())
        if found is None:
            return None
        ev = self.session.get(IntelEvent, found)
        return None if ev is None or ev.source_org_id == self.partner else found

    @staticmethod
    def _as_incident(values: dict[str, Any]) -> dict[str, Any]:
        inc = {k: values.get(k) for k in events.INCIDENT_FIELDS}
        inc["required"] = True
        return inc

    def _live(self, row: IntelEvent) -> int:
        """The event a partner's account belongs in: its own, or the one it was merged into."""
        seen = {row.id}
        while row.status == "merged" and row.merged_into is not None and row.merged_into not in seen:
            nxt = self.session.get(IntelEvent, row.merged_into)
            if nxt is None:
                break
            seen.add(nxt.id)
            row = nxt
        return row.id

    # ------------------------------------------------------------------ reports and corroborations

    def _report(self, record: Record) -> Put:
        v = record.values
        values = {
            "title": v["title"],
            "published": v["published"],
            "language": v["language"] or "und",
            "outlet": v["outlet"],
            "source": v["url"] or f"stix:{record.stix_id}",
            "raw_text": v["text"],
            "clean_text": v["text"],
            "marking": self._marking(record),
        }
        row = self._find(IntelReport, record.stix_id)
        put = self._update(row, record, values) if row is not None else self._new_report(record, values)
        for ref in record.refs:
            self.report_of.setdefault(ref, put.id)  # the first report naming a corroboration is its own
        return put

    def _new_report(self, record: Record, values: dict[str, Any], key: str | None = None) -> Put:
        row = IntelReport(
            content_hash=content_hash(self.partner, key or record.stix_id),
            doc_id=record.stix_id,
            published_how="partner",
            related=[],
            ingested_by=self.caller.user_id,
            ingested_at=self.now,
        )
        for name in (*_REPORT_FIELDS, "marking"):
            setattr(row, name, as_date(values[name]) if name == "published" else values[name])
        self.session.add(row)
        self._provenance(row, record, values)
        self.session.flush()
        return Put(row.id, "created")

    def _account(self, record: Record, values: dict[str, Any]) -> int:
        """The report standing for the partner's account of an event when no report of its came."""
        key = f"{record.stix_id}:account"
        found = self.session.scalar(
            select(IntelReport.id).where(IntelReport.content_hash == content_hash(self.partner, key))
        )
        if found is not None:
            return found
        fields = {
            "title": None,
            "published": values.get("published"),
            "language": "und",
            "outlet": values.get("outlet"),
            "source": values.get("url") or f"stix:{record.stix_id}",
            "raw_text": "",
            "clean_text": "",
            "marking": self._marking(record),
        }
        put = self._new_report(record, fields, key)
        self.session.get_one(IntelReport, put.id).stix_id = None  # the partner's account, not a report of its
        return put.id

    def _accounts(self) -> None:
        """An event of the partner's that has no corroboration here gets one standing for the partner's
        account: every event has an incident, which linking and the review of events rely on."""
        for stix_id, event in self.events.items():
            values = self._as_incident(event.imported or {})
            report = self.session.scalar(
                select(IntelReport.id).where(
                    IntelReport.content_hash == content_hash(self.partner, f"{stix_id}:account")
                )
            )
            if report is not None:  # the account follows its event, wherever a review has put it since
                for account in self.session.scalars(
                    select(IntelIncident).where(
                        IntelIncident.report_id == report, IntelIncident.stix_id.is_(None)
                    )
                ):
                    if account.status == "proposed" and account.reviewed_by is None:
                        account.extracted = values
                        events.apply(account, values, account.edits or {})
                continue
            if event.status == "merged" or self.session.scalar(
                select(IntelIncident.id).where(IntelIncident.event_id == event.id).limit(1)
            ):
                continue
            tlp = markings.parse(event.marking) if event.marking else None
            record = Record("incident", stix_id, None, tlp, {}, (stix_id,), "")
            report = self._account(record, {})
            row = events.add_incident(self.session, report, 0, event.id, values, self.now)
            row.marking, row.source_org_id, row.bundle_id = event.marking, self.partner, self.bundle_id
        self.session.flush()

    def _incident(self, record: Record) -> Put:
        event = self.events[record.refs[0]]
        values = {**self._as_incident(event.imported or {}), "marking": self._marking(record)}
        row = self._find(IntelIncident, record.stix_id)
        if row is not None:
            if self._stale(row, record):
                return Put(row.id, "unchanged")
            row.extracted = {k: v for k, v in values.items() if k != "marking"}
            if row.status == "proposed" and row.reviewed_by is None:
                events.apply(row, row.extracted, row.edits or {})  # an analyst's edits stay over it
                kept = sorted(row.edits or {})
            else:  # reviewed here: its values stay as the analyst judged them (the partner's are noted)
                kept = sorted(k for k in events.EVENT_FIELDS if _plain(getattr(row, k)) != values.get(k))
            if row.imported and row.imported.get("marking") == row.marking:
                row.marking = values["marking"]
            elif row.marking != values["marking"]:
                kept.append("marking")
            self._provenance(row, record, values)
            self._touch(row.event_id)
            return Put(row.id, "updated", kept)
        report = self.report_of.get(record.stix_id) or self._account(record, record.values)
        target = self._live(event)
        ordinal = len(
            list(self.session.scalars(select(IntelIncident.id).where(IntelIncident.report_id == report)))
        )
        row = events.add_incident(self.session, report, ordinal, target, values, self.now)
        row.marking = values["marking"]
        self._provenance(row, record, values)
        self.session.flush()
        self._touch(target)
        return Put(row.id, "created")

    def _touch(self, event_id: int) -> None:
        ev = self.session.get(IntelEvent, event_id)
        if ev is not None and ev.source_org_id != self.partner:
            self.refresh.add(event_id)
