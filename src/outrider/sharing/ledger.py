"""The release ledger as a pure core: rows read from the audit chain's `sharing.release` records, and the
report "what did we give partner P between these dates" as JSON and CSV.

Each row names the audit record it comes from (sequence number and hash), so a reader can check it against
`outrider audit verify`; the objects are those the record names, each with the SHA-256 of what left.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from outrider.errors import InvalidInput
from outrider.sharing import tabular

FORMATS = ("json", "csv", "pdf")
MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}
# Releases recorded before the channel was: they were all `share export` bundles or feeds made from them.
OLD_CHANNEL = "bundle"
CSV_COLUMNS = [
    "seq",
    "record_hash",
    "at",
    "partner_org_id",
    "partner",
    "channel",
    "policy_id",
    "policy_version",
    "bundle",
    "user_id",
    "user",
    "organization_id",
    "organization",
    "released",
    "withheld",
    "kind",
    "object_id",
    "sha256",
]


@dataclass(frozen=True, slots=True)
class Released:
    """One object that left: its kind, its Outrider id, the SHA-256 of its STIX object in canonical JSON."""

    kind: str
    id: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Row:
    """One release, as its audit record tells it."""

    seq: int
    record_hash: str
    at: datetime
    partner_org_id: int
    partner: str
    channel: str
    policy_id: int
    policy_version: int
    bundle: str
    user_id: int | None
    user: str | None
    organization_id: int | None
    organization: str | None
    objects: tuple[Released, ...]
    withheld: int


@dataclass(frozen=True, slots=True)
class Record:
    """What the ledger reads of an audit record (plain values: the store reads, the core builds rows)."""

    seq: int
    hash: str
    at: datetime
    user_id: int | None
    organization_id: int | None
    object_id: str
    details: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Ledger:
    """The releases of a period (to one partner or to all the reader may see), oldest first."""

    partner_org_id: int | None
    since: datetime | None
    until: datetime | None
    generated_at: datetime
    rows: tuple[Row, ...]

    @property
    def objects(self) -> int:
        """How many objects left in all (an object released twice counts twice)."""
        return sum(len(r.objects) for r in self.rows)


def moment(text: str | None, name: str) -> datetime | None:
    """An ISO 8601 date and time with its zone (``2026-12-01T00:00:00+05:00``), or None when not given."""
    if text is None or not text.strip():
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{name}: an ISO 8601 date and time with its zone, not {text[:40]!r}") from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(f"{name}: give the zone (Z or +05:00): {text[:40]!r} could be any zone's")
    try:
        return value.astimezone(UTC)
    except OverflowError:  # the first or last moment of the calendar, in a zone that pushes it outside
        raise InvalidInput(f"{name}: {text[:40]!r} is outside the calendar in UTC") from None


def period(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """The ledger's period from its two ends (either open); the start may not come after the end."""
    start, end = moment(since, "since"), moment(until, "until")
    if start is not None and end is not None and start > end:
        raise InvalidInput("since: the start of the period comes after its end")
    return start, end


def row_of(record: Record, *, orgs: Mapping[int, str], users: Mapping[int, str]) -> Row:
    """A ledger row from a `sharing.release` record, with the organisations' and users' names."""
    d = record.details
    partner = int(d.get("partner", 0))
    org = record.organization_id
    return Row(
        seq=record.seq,
        record_hash=record.hash,
        at=record.at,
        partner_org_id=partner,
        partner=orgs.get(partner, f"organisation {partner}"),
        channel=str(d.get("channel", OLD_CHANNEL)),
        policy_id=int(record.object_id),
        policy_version=int(d.get("version", 0)),
        bundle=str(d.get("bundle", "")),
        user_id=record.user_id,
        user=users.get(record.user_id) if record.user_id is not None else None,
        organization_id=org,
        organization=orgs.get(org) if org is not None else None,
        objects=tuple(Released(str(k), int(i), str(h)) for k, i, h in d.get("objects", [])),
        withheld=int(d.get("withheld", 0)),
    )


def row_json(row: Row) -> dict[str, Any]:
    """One release in the report's JSON."""
    return {
        "seq": row.seq,
        "record_hash": row.record_hash,
        "at": row.at.isoformat(),
        "partner_org_id": row.partner_org_id,
        "partner": row.partner,
        "channel": row.channel,
        "policy_id": row.policy_id,
        "policy_version": row.policy_version,
        "bundle": row.bundle,
        "user_id": row.user_id,
        "user": row.user,
        "organization_id": row.organization_id,
        "organization": row.organization,
        "released": len(row.objects),
        "withheld": row.withheld,
        "objects": [{"kind": o.kind, "id": o.id, "sha256": o.sha256} for o in row.objects],
    }


def to_json(ledger: Ledger) -> dict[str, Any]:
    """The report as JSON: its period, how many releases and objects, and every release."""
    return {
        "partner_org_id": ledger.partner_org_id,
        "since": ledger.since.isoformat() if ledger.since else None,
        "until": ledger.until.isoformat() if ledger.until else None,
        "generated_at": ledger.generated_at.isoformat(),
        "releases": len(ledger.rows),
        "objects": ledger.objects,
        "rows": [row_json(r) for r in ledger.rows],
    }


def _csv_lines(row: Row) -> Sequence[dict[str, Any]]:
    head = row_json(row)
    del head["objects"]
    if not row.objects:  # a release that carried nothing still shows
        return [head | {"kind": None, "object_id": None, "sha256": None}]
    return [head | {"kind": o.kind, "object_id": o.id, "sha256": o.sha256} for o in row.objects]


def to_csv(ledger: Ledger) -> str:
    """The report as CSV: one line per released object (a text a spreadsheet would run is quoted)."""
    lines = [line for row in ledger.rows for line in _csv_lines(row)]
    return tabular.csv_text(lines, CSV_COLUMNS, lambda r: {k: tabular.cell(r[k]) for k in CSV_COLUMNS})


def file_name(ledger: Ledger, fmt: str) -> str:
    """A file name for the report: ``releases-partner-3-2026-12-06.csv``."""
    who = f"partner-{ledger.partner_org_id}" if ledger.partner_org_id else "all"
    return f"releases-{who}-{ledger.generated_at.date().isoformat()}.{fmt}"


def file_bytes(ledger: Ledger, fmt: str, *, lang: str = "en") -> bytes:
    """The report as a file's bytes: JSON (indented, UTF-8), CSV or PDF (headings in ``lang``: en, zh-Hans,
    ur)."""
    if fmt == "csv":
        return to_csv(ledger).encode("utf-8")
    if fmt == "pdf":
        from outrider.sharing.ledger_pdf import to_pdf  # fpdf and its fonts: only when a PDF is asked for

        return to_pdf(ledger, lang=lang)
    return (json.dumps(to_json(ledger), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
