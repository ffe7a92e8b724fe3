"""Released objects to a STIX 2.1 bundle, as a pure core: deterministic, self-contained, marked.

Ids are UUIDv5 of Outrider's ids (``incident:12``), never of a name, so a partner that imports the same
object twice updates it. Timestamps come from the records, not the clock; keys are sorted when written
(`dumps`). Every object but the OASIS marking definitions names its marking in ``object_marking_refs``;
a reference to an object not in the bundle is never written (the referring object or relation is left
out instead and counted as withheld).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from outrider.audit.canonical_form import canonical_json
from outrider.sharing import markings
from outrider.sharing.markings import Tlp
from outrider.sharing.policy import Releasable, Withheld

OUTRIDER_NAMESPACE = uuid.UUID("3f7c2a9e-58d1-4e0b-9a56-2c41d7b0e6a3")
EXTENSION_VERSION = "1.0.0"
EXTENSION_CREATED = datetime(2026, 12, 6, tzinfo=UTC)
# The schema as plain text (STIX 2.1 allows a URL or a text): where the properties are defined.
EXTENSION_SCHEMA = "Outrider, docs/sharing.md, section 'The incident extension': the properties of an event"
# The event values that make the incident's name (every released value also goes to the extension).
_NAMING = ("attack_type", "location_text", "city", "country", "date")


@dataclass(frozen=True, slots=True)
class Party:
    """An organisation as an identity of the bundle."""

    id: int
    name: str
    created: datetime


@dataclass(frozen=True, slots=True)
class Bundle:
    """The bundle and the objects the bundle could not carry (a reference outside it)."""

    bundle: dict[str, Any]
    dropped: list[Withheld]


def stix_id(kind: str, key: str) -> str:
    """The deterministic STIX id of an Outrider thing: ``incident--uuid5(namespace, "event:12")``."""
    return f"{kind}--{uuid.uuid5(OUTRIDER_NAMESPACE, key)}"


def timestamp(value: datetime | date) -> str:
    """STIX timestamp, UTC, milliseconds: ``2026-11-01T08:00:00.000Z``."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


# Outrider's kinds of intelligence as STIX types (and the prefix of the key their ids are made from).
STIX_TYPES = {"event": "incident", "incident": "sighting", "report": "report", "actor": "threat-actor"}
Known = Mapping[tuple[str, int], str]


def object_id(kind: str, ident: int, known: Known | None = None) -> str:
    """The STIX id of an Outrider object: the partner's own id when it was imported, else ours."""
    return (known or {}).get((kind, ident)) or stix_id(STIX_TYPES[kind], f"{kind}:{ident}")


def extension_id(sender: Party) -> str:
    """The id of Outrider's incident extension-definition (one per sending organisation)."""
    return stix_id("extension-definition", f"extension:incident:{sender.id}:{EXTENSION_VERSION}")


def dumps(bundle: dict[str, Any]) -> str:
    """The bundle as bytes-stable JSON: sorted keys, two-space indent, a final newline."""
    return json.dumps(bundle, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def object_hash(obj: dict[str, Any]) -> str:
    """SHA-256 of one STIX object in canonical JSON (the release ledger names it)."""
    return hashlib.sha256(canonical_json(obj).encode("utf-8")).hexdigest()


class _Builder:
    def __init__(self, sender: Party, receiver: Party, known: Known | None = None) -> None:
        self.sender, self.receiver, self.known = sender, receiver, known or {}
        self.objects: dict[str, dict[str, Any]] = {}
        self.used: set[Tlp] = {Tlp.clear}
        self.dropped: list[Withheld] = []

    def sdo(
        self, kind: str, key: str, stamp: datetime, marking: Tlp, *, ident: str = "", **props: Any
    ) -> str:
        ident = ident or stix_id(kind, key)
        self.used.add(marking)
        made = timestamp(stamp)
        obj: dict[str, Any] = {
            "type": kind,
            "spec_version": "2.1",
            "id": ident,
            "created": made,
            "modified": made,
        }
        obj |= {"created_by_ref": self.by, "object_marking_refs": [markings.definition_id(marking)]}
        obj |= {k: v for k, v in props.items() if v not in (None, [], {}, "")}
        old = self.objects.get(ident)
        if old is not None:  # a shared object (a country) keeps its earliest stamp and strictest marking
            obj["created"] = obj["modified"] = min(old["created"], made)
            obj["object_marking_refs"] = [
                _stricter(old["object_marking_refs"][0], obj["object_marking_refs"][0])
            ]
        self.objects[ident] = obj
        return ident

    def of(self, kind: str, ident: int) -> str:
        return object_id(kind, ident, self.known)

    @property
    def by(self) -> str:
        return stix_id("identity", f"organization:{self.sender.id}")

    def relate(self, source: str, kind: str, target: str, stamp: datetime, marking: Tlp) -> None:
        key = f"relationship:{kind}:{source}:{target}"
        self.sdo(
            "relationship", key, stamp, marking, relationship_type=kind, source_ref=source, target_ref=target
        )


def _stricter(a: str, b: str) -> str:
    order = {markings.definition_id(t): t for t in Tlp}
    return a if order[a] >= order[b] else b


def build(
    released: Sequence[Releasable], *, sender: Party, receiver: Party, known: Known | None = None
) -> Bundle:
    """The STIX 2.1 bundle of released objects from ``sender`` to ``receiver``.

    ``known`` gives the STIX ids of objects imported from a partner: they keep the id they came with."""
    b = _Builder(sender, receiver, known)
    for party in (sender, receiver):
        b.sdo(
            "identity",
            f"organization:{party.id}",
            party.created,
            Tlp.clear,
            name=party.name,
            identity_class="organization",
        )
    by_kind: dict[str, dict[int, Releasable]] = {k: {} for k in ("event", "incident", "report", "actor")}
    for obj in released:
        by_kind[obj.kind][obj.id] = obj
    for actor in by_kind["actor"].values():
        _actor(b, actor)
    if by_kind["event"]:
        _extension(b)
    for event in by_kind["event"].values():
        _event(b, event)
    for incident in by_kind["incident"].values():
        _sighting(b, incident, by_kind)
    for report in by_kind["report"].values():
        _report(b, report, by_kind)
    defs = [markings.definition(t) for t in sorted(b.used)]
    objects = defs + sorted(b.objects.values(), key=lambda o: (o["type"], o["id"]))
    ident = stix_id("bundle", "bundle:" + ",".join(f"{o['id']}@{o.get('modified', '')}" for o in objects))
    return Bundle({"type": "bundle", "id": ident, "objects": objects}, b.dropped)


def _actor(b: _Builder, actor: Releasable) -> None:
    v = actor.values
    aliases = sorted({a for a in v.get("aliases") or [] if isinstance(a, str) and a})
    b.sdo(
        "threat-actor",
        f"actor:{actor.id}",
        actor.stamp,
        actor.marking,
        ident=b.of("actor", actor.id),
        name=v["name"],
        aliases=aliases,
        description=v.get("notes"),
    )


def _extension(b: _Builder) -> None:
    b.sdo(
        "extension-definition",
        f"extension:incident:{b.sender.id}:{EXTENSION_VERSION}",
        EXTENSION_CREATED,
        Tlp.clear,
        name="Outrider incident",
        description="Outrider's values of an incident: when, where, "
        "how, casualties, perpetrator, claim, review status (docs/sharing.md).",
        schema=EXTENSION_SCHEMA,
        version=EXTENSION_VERSION,
        extension_types=["property-extension"],
    )


def _event(b: _Builder, event: Releasable) -> None:
    v = event.values
    name = " ".join(str(v[k]) for k in _NAMING if v.get(k) is not None) or f"Outrider event {event.id}"
    ext = {k: _plain(val) for k, val in sorted(v.items()) if val is not None}
    props: dict[str, Any] = {"name": name}
    if ext:
        props["extensions"] = {extension_id(b.sender): {"extension_type": "property-extension", **ext}}
    me = b.sdo(
        "incident", f"event:{event.id}", event.stamp, event.marking, ident=b.of("event", event.id), **props
    )
    places = []
    if v.get("country"):
        places.append(
            b.sdo("location", f"country:{v['country']}", event.stamp, event.marking, country=v["country"])
        )
    if v.get("lat") is not None and v.get("lon") is not None:
        places.append(
            b.sdo(
                "location",
                f"event-place:{event.id}",
                event.stamp,
                event.marking,
                latitude=float(v["lat"]),
                longitude=float(v["lon"]),
                country=v.get("country"),
            )
        )
    for place in places:
        b.relate(me, "located-at", place, event.stamp, event.marking)
    if v.get("attack_type"):
        method = b.sdo(
            "attack-pattern",
            f"attack-type:{v['attack_type']}",
            event.stamp,
            event.marking,
            name=str(v["attack_type"]),
        )
        b.relate(me, "uses", method, event.stamp, event.marking)
    for kind, ident in event.links:
        actor = b.of("actor", ident)
        if kind == "actor" and actor in b.objects:
            b.relate(me, "attributed-to", actor, event.stamp, event.marking)
            for place in places[:1]:
                b.relate(actor, "targets", place, event.stamp, event.marking)


def _sighting(b: _Builder, inc: Releasable, by_kind: dict[str, dict[int, Releasable]]) -> None:
    of = next((i for k, i in inc.links if k == "event" and i in by_kind["event"]), None)
    if of is None:
        b.dropped.append(Withheld("incident", inc.id, "its event is not released"))
        return
    v = inc.values
    refs = [{"source_name": str(v.get("outlet") or "news report"), "url": v["url"]}] if v.get("url") else []
    b.sdo(
        "sighting",
        f"incident:{inc.id}",
        inc.stamp,
        inc.marking,
        ident=b.of("incident", inc.id),
        sighting_of_ref=b.of("event", of),
        count=1,
        first_seen=timestamp(v["published"]) if v.get("published") else None,
        external_references=refs,
    )


def _report(b: _Builder, rep: Releasable, by_kind: dict[str, dict[int, Releasable]]) -> None:
    v = rep.values
    refs = sorted(
        {b.of("event", i) for k, i in rep.links if k == "event" and i in by_kind["event"]}
        | {b.of("incident", i) for k, i in rep.links if k == "incident" and i in by_kind["incident"]}
    )
    refs = [r for r in refs if r in b.objects]
    if not refs or not v.get("published"):
        b.dropped.append(Withheld("report", rep.id, "nothing it reports on is released, or it is undated"))
        return
    source = [{"source_name": str(v.get("outlet") or "news report"), "url": v["url"]}] if v.get("url") else []
    b.sdo(
        "report",
        f"report:{rep.id}",
        rep.stamp,
        rep.marking,
        ident=b.of("report", rep.id),
        name=v.get("title") or f"Outrider report {rep.id}",
        published=timestamp(v["published"]),
        object_refs=refs,
        external_references=source,
        lang=v.get("language"),
        report_types=["threat-report"],
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def references(obj: dict[str, Any]) -> Iterable[str]:
    """Every id an object refers to (``*_ref`` and ``*_refs`` at any depth)."""
    for key, val in obj.items():
        if key.endswith("_ref") and isinstance(val, str):
            yield val
        elif key.endswith("_refs") and isinstance(val, list):
            yield from (r for r in val if isinstance(r, str))
        elif isinstance(val, dict):
            yield from references(val)
        elif isinstance(val, list):
            for item in val:
                if isinstance(item, dict):
                    yield from references(item)
