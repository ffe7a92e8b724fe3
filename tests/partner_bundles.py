"""A partner's STIX bundle as Outrider writes one (an actor, two events, a corroboration, a report), for the
tests of import: built by the export's own pure core, so it is what a partner running Outrider sends."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from typing import Any

from outrider.sharing import stix_export
from outrider.sharing.markings import Tlp
from outrider.sharing.policy import Releasable

T0 = datetime(2026, 10, 3, 9, 30, 15, 123000, tzinfo=UTC)
SENDER = stix_export.Party(41, "Partner Embassy", datetime(2026, 1, 6, tzinfo=UTC))
RECEIVER = stix_export.Party(1, "Host Protection Unit", datetime(2026, 1, 5, tzinfo=UTC))
EVENT = {
    "date": date(2026, 10, 2),
    "date_precision": "day",
    "country": "PK",
    "admin1": "Sindh",
    "city": "Karachi",
    "location_text": "near the airport",
    "lat": 24.9,
    "lon": 67.16,
    "attack_type": "bombing",
    "weapon": "vbied",
    "target_type": "foreign_workers",
    "killed": 2,
    "wounded": 5,
    "suicide": True,
    "perpetrator": "Front of the Coast",
    "claimed": True,
    "status": "confirmed",
    "confidence": 0.9,
    "reports": 1,
}
REPORT = {
    "title": "Blast near airport",
    "outlet": "Dawn",
    "url": "https://news.example/a",
    "published": date(2026, 10, 2),
    "language": "en",
}


def releasables(*, second_event: Tlp = Tlp.amber, stamp: datetime = T0) -> list[Releasable]:
    """The partner's objects: actor 7, event 11 (GREEN) and 12, incident 21 of event 11, report 31."""
    actor = {"name": "Front of the Coast", "kind": "group", "aliases": ["FOC"], "notes": "coastal cell"}
    return [
        Releasable("actor", 7, Tlp.green, actor, stamp),
        Releasable("event", 11, Tlp.green, EVENT, stamp, links=(("actor", 7),)),
        Releasable(
            "event",
            12,
            second_event,
            {"country": "PK", "attack_type": "armed_assault", "date": date(2026, 9, 1)},
            stamp,
        ),
        Releasable(
            "incident",
            21,
            Tlp.green,
            {"outlet": "Dawn", "url": "https://news.example/a", "published": date(2026, 10, 2)},
            stamp,
            links=(("event", 11), ("report", 31)),
        ),
        Releasable("report", 31, Tlp.green, REPORT, stamp, links=(("event", 11), ("incident", 21))),
    ]


def bundle(**kwargs: Any) -> dict[str, Any]:
    """The partner's bundle (a fresh copy each time)."""
    built = stix_export.build(releasables(**kwargs), sender=SENDER, receiver=RECEIVER).bundle
    return copy.deepcopy(built)


def ident(kind: str, outrider_id: int) -> str:
    """The STIX id of one of the partner's objects (``ident("event", 11)``)."""
    return stix_export.object_id(kind, outrider_id)
