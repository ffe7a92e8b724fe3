"""A partner's STIX bundle as Outrider writes one (an actor, two events, a corroboration, a report), for the
tests of import: built by the export's own pure core, so it is what a partner running Outrider sends."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from typing import Any

import stix2

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


def generic_bundle() -> tuple[dict[str, Any], dict[str, str]]:
    """A partner's bundle without Outrider's extension (TLP 1.0 AMBER): an incident located at a place,
    using an attack pattern, attributed to a threat actor, one sighting of it, and an indicator."""
    tlp1 = stix2.TLP_AMBER.id
    stamp = "2026-10-03T09:30:15.000Z"
    common = {"spec_version": "2.1", "created": stamp, "modified": stamp, "object_marking_refs": [tlp1]}
    ids = {
        k: f"{k}--{n:08d}-0000-4000-8000-000000000000"
        for n, k in enumerate(
            [
                "incident",
                "location",
                "attack-pattern",
                "threat-actor",
                "relationship",
                "sighting",
                "indicator",
            ],
            1,
        )
    }
    rel = {"type": "relationship", **common}
    objects: list[dict[str, Any]] = [
        {"type": "incident", "id": ids["incident"], "name": "Attack on a convoy", **common},
        {
            "type": "location",
            "id": ids["location"],
            "country": "pk",
            "city": "Gwadar",
            "latitude": 25.1,
            "longitude": 62.3,
            **common,
        },
        {"type": "attack-pattern", "id": ids["attack-pattern"], "name": "armed_assault", **common},
        {
            "type": "threat-actor",
            "id": ids["threat-actor"],
            "name": "Coast Front",
            "aliases": ["CF"],
            "threat_actor_types": ["terrorist"],
            **common,
        },
        {
            **rel,
            "id": ids["relationship"],
            "relationship_type": "located-at",
            "source_ref": ids["incident"],
            "target_ref": ids["location"],
        },
        {
            **rel,
            "id": ids["relationship"][:-1] + "1",
            "relationship_type": "uses",
            "source_ref": ids["incident"],
            "target_ref": ids["attack-pattern"],
        },
        {
            **rel,
            "id": ids["relationship"][:-1] + "2",
            "relationship_type": "attributed-to",
            "source_ref": ids["incident"],
            "target_ref": ids["threat-actor"],
        },
        {
            "type": "sighting",
            "id": ids["sighting"],
            "sighting_of_ref": ids["incident"],
            "first_seen": "2026-09-30T22:10:00Z",
            **common,
        },
        {
            "type": "indicator",
            "id": ids["indicator"],
            "pattern": "[ipv4-addr:value = '198.51.100.1']",
            "pattern_type": "stix",
            "valid_from": stamp,
            **common,
        },
    ]
    bundle_id = "bundle--" + ids["incident"].split("--")[1]
    return {"type": "bundle", "id": bundle_id, "objects": objects}, ids


def agree_red_policy(client: Any, world: Any) -> None:
    """A release policy to the embassy of every object type and field up to TLP:RED, approved by both founding
    parties' administrators through the API (in force at once)."""
    terms = {
        "partner_org_id": world.orgs["embassy"],
        "max_marking": "TLP:RED",
        "object_types": ["report", "incident", "event", "actor"],
        "fields": {"report": "*", "incident": "*", "event": "*", "actor": "*"},
        "comment": "",
    }
    made = client.post("/api/v1/sharing/policies", json=terms, headers=world["admin"].headers).json()
    for who in ("admin", "embassy_admin"):
        done = client.post(
            f"/api/v1/sharing/policies/{made['id']}/approve",
            json={"payload_hash": made["payload_hash"]},
            headers=world[who].headers,
        )
        assert done.status_code == 200, done.text
