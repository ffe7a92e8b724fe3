"""A partner's STIX 2.1 bundle to plain records, as a pure core: each object validated, mapped, or refused.

Every object is judged on its own: malformed (``stix2.parse`` refuses it, or a value Outrider cannot hold),
marked with a marking Outrider does not know, or marked above the ceiling the holder accepts from this
partner: rejected with the reason. An object of a type Outrider does not keep, or one that refers to an
object that is not in the bundle (or was refused), is ignored with the reason. What remains becomes
`Record`s: actors (``threat-actor``), events (``incident``, with Outrider's property extension when the
partner runs Outrider, else from the standard properties and relationships), corroborations
(``sighting``) and reports. The caller stores them (`outrider.sharing.imports`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from outrider.errors import InvalidInput
from outrider.sharing import markings, stix_values
from outrider.sharing.markings import Tlp
from outrider.sharing.stix_export import object_hash
from outrider.sharing.stix_values import Malformed

ACCEPTED, REJECTED, IGNORED = "accepted", "rejected", "ignored"
DEFAULT_CEILING = Tlp.amber_strict
MAX_OBJECTS = 10_000
EXTENSION_NAME = "Outrider incident"
KINDS = {"threat-actor": "actor", "incident": "event", "sighting": "incident", "report": "report"}
# Objects read only for what they tell of the others (places, methods, relations, parties, definitions).
CONTEXT = frozenset({"identity", "location", "attack-pattern", "relationship", "extension-definition"})
_TYPE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
# TLP 1.0 (the fixed ids of STIX 2.1, section 7.2.1.4), read as their TLP 2.0 counterparts.
TLP1 = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": Tlp.clear,  # TLP:WHITE
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": Tlp.green,
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": Tlp.amber,
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": Tlp.red,
}
TLP_BY_ID = {markings.definition_id(t): t for t in Tlp} | TLP1


@dataclass(frozen=True, slots=True)
class Verdict:
    """What became of one object of the bundle, and why when it was not accepted."""

    id: str
    type: str
    status: str
    reason: str = ""
    sha256: str = ""  # of an accepted object, in canonical JSON: what arrived


@dataclass(frozen=True, slots=True)
class Record:
    """An accepted object as Outrider keeps it: kind, STIX id and version, marking, values, references."""

    kind: str  # actor | event | incident | report
    stix_id: str
    modified: datetime | None
    marking: Tlp | None
    values: dict[str, Any]
    refs: tuple[str, ...]  # an incident: its event; a report: its events and incidents (STIX ids)
    sha256: str


@dataclass(frozen=True, slots=True)
class Reading:
    """The bundle's id, the records to store (actors, events, reports, incidents) and every verdict."""

    bundle_id: str
    records: list[Record]
    verdicts: list[Verdict]

    def count(self, status: str) -> int:
        """How many objects had this verdict."""
        return sum(1 for v in self.verdicts if v.status == status)


def envelope(bundle: Any) -> tuple[str, list[Any]]:
    """The bundle's id and objects; `InvalidInput` when it is not a STIX bundle at all."""
    if not isinstance(bundle, Mapping) or bundle.get("type") != "bundle":
        raise InvalidInput("not a STIX bundle: give an object with type 'bundle', an id and objects")
    ident, objects = bundle.get("id"), bundle.get("objects")
    if not isinstance(ident, str) or not _is_id(ident, "bundle"):
        raise InvalidInput("the bundle's id is not bundle--<UUID>")
    if not isinstance(objects, list):
        raise InvalidInput("the bundle's objects are not a list")
    if len(objects) > MAX_OBJECTS:
        raise InvalidInput(f"a bundle holds at most {MAX_OBJECTS} objects")
    return ident, objects


def read(bundle: Any, *, ceiling: Tlp = DEFAULT_CEILING) -> Reading:
    """Judge every object of a bundle and map the accepted ones (see the module's docstring)."""
    bundle_id, objects = envelope(bundle)
    verdicts: dict[str, Verdict] = {}
    order: list[str] = []
    valid: dict[str, dict[str, Any]] = {}
    for n, obj in enumerate(objects, start=1):
        key, kind, reason = _checked(obj, n, set(valid) | set(verdicts))
        order.append(key)
        if reason:
            verdicts[key] = Verdict(key, kind, REJECTED, reason)
        else:
            valid[key] = obj
    ok = _marked(valid, verdicts, ceiling)
    records = _Mapper(ok, verdicts).records()
    for key, verdict in verdicts.items():
        if verdict.status == ACCEPTED:
            verdicts[key] = replace(verdict, sha256=object_hash(valid[key]))
    return Reading(bundle_id, records, [verdicts[k] for k in order])


def _is_id(ident: str, kind: str) -> bool:
    prefix = kind + "--"
    if not ident.startswith(prefix):
        return False
    try:
        return str(uuid.UUID(ident[len(prefix) :])) == ident[len(prefix) :]
    except ValueError:
        return False


def _checked(obj: Any, n: int, seen: set[str]) -> tuple[str, str, str]:
    """The object's key and type, and why it is malformed (empty when it is not)."""
    if not isinstance(obj, dict):
        return f"#{n}", "", "malformed: not a JSON object"
    kind, ident = obj.get("type"), obj.get("id")
    kind_text = kind if isinstance(kind, str) and _TYPE.fullmatch(kind) else ""
    if not isinstance(ident, str) or not kind_text or not _is_id(ident, kind_text):
        return f"#{n}", kind_text, "malformed: its id is not <type>--<UUID> of its type"
    if ident in seen:
        return f"#{n}", kind_text, f"malformed: {ident} appears twice in the bundle"
    if obj.get("spec_version") != "2.1":
        return ident, kind_text, "malformed: spec_version is not 2.1"
    # loaded on the first import, not when the server starts (the library takes a second to load)
    import stix2

    try:
        stix2.parse(obj, allow_custom=True)
    # stix2 raises its own errors and, on some malformed values, plain Python ones: all say "malformed"
    except Exception as exc:
        return ident, kind_text, "malformed: " + (str(exc).splitlines() or [type(exc).__name__])[0][:300]
    return ident, kind_text, ""


def _marked(
    valid: dict[str, dict[str, Any]], verdicts: dict[str, Verdict], ceiling: Tlp
) -> dict[str, tuple[dict[str, Any], Tlp | None]]:
    """The objects whose markings are known and within the ceiling, with their marking."""
    ok: dict[str, tuple[dict[str, Any], Tlp | None]] = {}
    for ident, obj in valid.items():
        if obj["type"] == "marking-definition":
            verdicts[ident] = _definition_verdict(obj)
            continue
        refs = list(obj.get("object_marking_refs") or [])
        refs += [g.get("marking_ref") for g in obj.get("granular_markings") or [] if isinstance(g, dict)]
        unknown = [r for r in refs if not isinstance(r, str) or r not in TLP_BY_ID]
        if unknown:
            verdicts[ident] = Verdict(
                ident, obj["type"], REJECTED, f"unknown marking {str(unknown[0])[:100]}"
            )
            continue
        marking = max((TLP_BY_ID[r] for r in refs), default=None)
        if marking is not None and marking > ceiling:
            reason = f"marked {marking.label}, above the {ceiling.label} accepted from this partner"
            verdicts[ident] = Verdict(ident, obj["type"], REJECTED, reason)
            continue
        ok[ident] = (obj, marking)
    return ok


def _definition_verdict(obj: dict[str, Any]) -> Verdict:
    ident = obj["id"]
    tlp = TLP_BY_ID.get(ident)
    if tlp is None:
        reason = "a marking Outrider does not know: the objects marked with it are rejected"
        return Verdict(ident, obj["type"], IGNORED, reason)
    if ident not in TLP1 and obj != markings.definition(tlp):
        return Verdict(ident, obj["type"], REJECTED, f"malformed: not the OASIS definition of {tlp.label}")
    return Verdict(ident, obj["type"], ACCEPTED)


class _Mapper:
    """Maps the objects that passed validation and marking into records, in the order they are stored."""

    def __init__(
        self, ok: dict[str, tuple[dict[str, Any], Tlp | None]], verdicts: dict[str, Verdict]
    ) -> None:
        self.ok, self.verdicts = ok, verdicts
        self.extensions = {
            i
            for i, (o, _) in ok.items()
            if o["type"] == "extension-definition" and o.get("name") == EXTENSION_NAME
        }
        self.related: dict[tuple[str, str], list[str]] = {}
        self.by_kind: dict[str, dict[str, Record]] = {k: {} for k in KINDS.values()}

    def records(self) -> list[Record]:
        for ident, (obj, _) in self.ok.items():
            if obj["type"] == "relationship":
                self._relationship(ident, obj)
        for stix_type in ("threat-actor", "incident", "sighting", "report"):
            for ident, (obj, marking) in self.ok.items():
                if obj["type"] == stix_type:
                    self._map(ident, obj, marking)
        for ident, (obj, _) in self.ok.items():
            if ident in self.verdicts:
                continue
            if obj["type"] in CONTEXT:
                self.verdicts[ident] = Verdict(ident, obj["type"], ACCEPTED)
            else:
                reason = (
                    f"unsupported type {obj['type']}: Outrider keeps reports, incidents, sightings, actors"
                )
                self.verdicts[ident] = Verdict(ident, obj["type"], IGNORED, reason)
        return [r for kind in ("actor", "event", "report", "incident") for r in self.by_kind[kind].values()]

    def _relationship(self, ident: str, obj: dict[str, Any]) -> None:
        missing = [r for r in (obj["source_ref"], obj["target_ref"]) if r not in self.ok]
        if missing:
            reason = f"dangling: {missing[0]} is not in the bundle or was rejected"
            self.verdicts[ident] = Verdict(ident, obj["type"], IGNORED, reason)
            return
        self.related.setdefault((obj["source_ref"], obj["relationship_type"]), []).append(obj["target_ref"])

    def _map(self, ident: str, obj: dict[str, Any], marking: Tlp | None) -> None:
        kind = KINDS[obj["type"]]
        try:
            values, refs = self._values(kind, ident, obj)
        except Malformed as exc:
            self.verdicts[ident] = Verdict(ident, obj["type"], REJECTED, f"malformed: {exc}")
            return
        except _Dangling as exc:
            self.verdicts[ident] = Verdict(ident, obj["type"], IGNORED, f"dangling: {exc}")
            return
        modified = stix_values.stamp(obj.get("modified"))
        record = Record(kind, ident, modified, marking, values, refs, object_hash(obj))
        self.by_kind[kind][ident] = record
        self.verdicts[ident] = Verdict(ident, obj["type"], ACCEPTED)

    def _values(self, kind: str, ident: str, obj: dict[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
        if kind == "actor":
            return stix_values.actor(obj), ()
        if kind == "event":
            return self._event(ident, obj), ()
        if kind == "incident":
            event = obj["sighting_of_ref"]
            if event not in self.by_kind["event"]:
                raise _Dangling(f"{event} is not an accepted incident of the bundle")
            return stix_values.sighting(obj), (event,)
        refs = tuple(
            r
            for r in obj.get("object_refs") or []
            if r in self.by_kind["event"] or r in self.by_kind["incident"]
        )
        return stix_values.report(obj), refs

    def _event(self, ident: str, obj: dict[str, Any]) -> dict[str, Any]:
        for key, ext in (obj.get("extensions") or {}).items():
            if key in self.extensions and isinstance(ext, dict):
                return stix_values.event_from_extension(ext)
        places = [self.ok[t][0] for t in self.related.get((ident, "located-at"), [])]
        methods = [self.ok[t][0] for t in self.related.get((ident, "uses"), [])]
        actors = [self.ok[t][0] for t in self.related.get((ident, "attributed-to"), [])]
        seen = [
            o.get("first_seen")
            for o, _ in self.ok.values()
            if o["type"] == "sighting" and o.get("sighting_of_ref") == ident
        ]
        return stix_values.event_from_standard(obj, places, methods, actors, seen)


class _Dangling(Exception):
    """An object refers to one that is not in the bundle or was refused."""


def as_date(value: Any) -> date | None:
    """A record's date value (kept as ISO text in records) as a date."""
    return date.fromisoformat(value) if isinstance(value, str) and value else None
