"""The release policy as a pure core: validate a partner's policy, release objects through it.

Nothing leaves Outrider for a partner but through `release`: an object above the policy's marking, of a
type it does not allow, or kept to need-to-know groups the partner is not in, is withheld with the
reason; a released object keeps only the fields its type is allowed, never a key that names a movement,
an itinerary, a route, a source's identity or a reviewer (at any depth, whatever the policy says), and
its corroborations lose their sources when the policy anonymises them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from outrider.errors import InvalidInput
from outrider.sharing import markings
from outrider.sharing.markings import Tlp

# What each kind of object may release at most (the values `sharing.queries` reads).
FIELDS: dict[str, frozenset[str]] = {
    "event": frozenset(
        {
            "date",
            "date_precision",
            "country",
            "admin1",
            "city",
            "location_text",
            "lat",
            "lon",
            "attack_type",
            "weapon",
            "target_type",
            "killed",
            "wounded",
            "suicide",
            "perpetrator",
            "claimed",
            "status",
            "confidence",
            "reports",
        }
    ),
    "incident": frozenset(
        {
            "date",
            "country",
            "city",
            "attack_type",
            "weapon",
            "target_type",
            "killed",
            "wounded",
            "killed_by_nationality",
            "wounded_by_nationality",
            "perpetrator",
            "claimed",
            "status",
            "outlet",
            "url",
            "published",
        }
    ),
    "report": frozenset({"title", "outlet", "url", "published", "language"}),
    "actor": frozenset({"name", "kind", "aliases", "notes"}),
}
OBJECT_TYPES = tuple(FIELDS)
# A type allowed at all releases at least these (STIX needs them to name the object).
REQUIRED_FIELDS: dict[str, frozenset[str]] = {
    "event": frozenset(),
    "incident": frozenset(),
    "report": frozenset({"published"}),
    "actor": frozenset({"name"}),
}
# The keys of a corroboration that say where it came from: dropped when corroborations are anonymised.
SOURCE_FIELDS = frozenset({"outlet", "url", "published"})
# No policy can lift these: any key naming a movement, an itinerary, a route, a source's identity or a
# reviewer, at any depth of a released object.
FIXED_REDACTION = re.compile(
    r"movement|itinerar|route|source_(identity|name|id)|informant|review|ingested_by|raw_text|evidence",
    re.IGNORECASE,
)
# A link that tells a field's value is kept only when that field is released.
LINK_FIELDS = {("event", "actor"): "perpetrator", ("incident", "report"): "url"}


@dataclass(frozen=True, slots=True)
class Terms:
    """A partner's release policy as both parties agreed it."""

    max_marking: Tlp
    object_types: frozenset[str]
    fields: Mapping[str, frozenset[str]]
    redactions: frozenset[str] = frozenset()
    anonymise_corroborations: bool = True
    ntk_groups: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Releasable:
    """An object that might leave: its kind and id, marking, need-to-know groups, values and links."""

    kind: str
    id: int
    marking: Tlp
    values: Mapping[str, Any]
    stamp: datetime
    ntk_groups: frozenset[str] = frozenset()
    links: tuple[tuple[str, int], ...] = ()  # (kind, id) of the objects it refers to


@dataclass(frozen=True, slots=True)
class Withheld:
    """An object that did not leave, and why."""

    kind: str
    id: int
    reason: str


@dataclass(frozen=True, slots=True)
class Release:
    """What a policy lets through and what it withholds."""

    released: list[Releasable] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)


def is_redacted(key: str, extra: frozenset[str] = frozenset()) -> bool:
    """True when a key may never leave: the fixed redactions and the policy's own."""
    return bool(FIXED_REDACTION.search(key)) or key.lower() in extra


def terms_of(raw: Mapping[str, Any]) -> Terms:
    """Validate a policy's terms (as the API and the CLI take them); ``"*"`` allows every field of a type."""
    types = raw.get("object_types")
    if not isinstance(types, list) or not types or any(t not in FIELDS for t in types):
        raise InvalidInput(f"object_types: a non-empty list of {', '.join(OBJECT_TYPES)}")
    fields_raw = raw.get("fields") or {}
    if not isinstance(fields_raw, Mapping):
        raise InvalidInput("fields: an object of type -> list of fields")
    fields: dict[str, frozenset[str]] = {}
    for kind in sorted(set(types)):
        fields[kind] = _fields_of(kind, fields_raw.get(kind, []))
    if extra := set(fields_raw) - set(types):
        raise InvalidInput(f"fields: {', '.join(sorted(extra))} not among the object types")
    redactions = raw.get("redactions") or []
    if not isinstance(redactions, list) or not all(isinstance(r, str) and r for r in redactions):
        raise InvalidInput("redactions: a list of field names")
    groups = raw.get("ntk_groups") or []
    if not isinstance(groups, list) or not all(isinstance(g, str) and g for g in groups):
        raise InvalidInput("ntk_groups: a list of need-to-know group names")
    return Terms(
        max_marking=markings.parse(str(raw.get("max_marking", ""))),
        object_types=frozenset(types),
        fields=fields,
        redactions=frozenset(r.lower() for r in redactions),
        anonymise_corroborations=bool(raw.get("anonymise_corroborations", True)),
        ntk_groups=frozenset(groups),
    )


def _fields_of(kind: str, given: Any) -> frozenset[str]:
    if given == "*" or given == ["*"]:
        chosen = set(FIELDS[kind])
    elif isinstance(given, list) and all(isinstance(f, str) for f in given):
        chosen = set(given)
    else:
        raise InvalidInput(f"fields.{kind}: a list of field names or '*'")
    if unknown := chosen - FIELDS[kind]:
        raise InvalidInput(f"fields.{kind}: {', '.join(sorted(unknown))} cannot be released")
    if missing := REQUIRED_FIELDS[kind] - chosen:
        raise InvalidInput(f"fields.{kind}: {', '.join(sorted(missing))} is needed to release {kind}s")
    return frozenset(f for f in chosen if not is_redacted(f))


def terms_document(terms: Terms) -> dict[str, Any]:
    """The canonical JSON form of the terms (what is stored and what approvals hash)."""
    return {
        "max_marking": terms.max_marking.label,
        "object_types": sorted(terms.object_types),
        "fields": {k: sorted(v) for k, v in sorted(terms.fields.items())},
        "redactions": sorted(terms.redactions),
        "anonymise_corroborations": terms.anonymise_corroborations,
        "ntk_groups": sorted(terms.ntk_groups),
    }


def release(objects: Iterable[Releasable], terms: Terms) -> Release:
    """The objects the policy lets through, trimmed to what it allows, and those it withholds with why."""
    out = Release()
    for obj in objects:
        reason = _refusal(obj, terms)
        if reason is not None:
            out.withheld.append(Withheld(obj.kind, obj.id, reason))
            continue
        out.released.append(_trimmed(obj, terms))
    return out


def _refusal(obj: Releasable, terms: Terms) -> str | None:
    if obj.kind not in terms.object_types:
        return f"the policy does not release {obj.kind}s"
    if not markings.may_release(obj.marking, terms.max_marking):
        return f"marked {obj.marking.label}, above the policy's {terms.max_marking.label}"
    if obj.ntk_groups and not obj.ntk_groups & terms.ntk_groups:
        return "kept to need-to-know groups the partner is not in"
    return None


def _trimmed(obj: Releasable, terms: Terms) -> Releasable:
    allowed = set(terms.fields.get(obj.kind, frozenset()))
    if obj.kind == "incident" and terms.anonymise_corroborations:
        allowed -= SOURCE_FIELDS
    values = {k: _scrubbed(v, terms.redactions) for k, v in obj.values.items() if k in allowed}
    values = {k: v for k, v in values.items() if not is_redacted(k, terms.redactions)}
    links = tuple(
        (kind, ident)
        for kind, ident in obj.links
        if kind in terms.object_types
        and LINK_FIELDS.get((obj.kind, kind), "") in {"", *values}
        # a report naming a corroboration would tell the corroboration's source
        and not (obj.kind == "report" and kind == "incident" and terms.anonymise_corroborations)
    )
    return Releasable(obj.kind, obj.id, obj.marking, values, obj.stamp, obj.ntk_groups, links)


def _scrubbed(value: Any, extra: frozenset[str]) -> Any:
    if isinstance(value, Mapping):
        return {k: _scrubbed(v, extra) for k, v in value.items() if not is_redacted(str(k), extra)}
    if isinstance(value, list | tuple):
        return [_scrubbed(v, extra) for v in value]
    return value


def keys_at_any_depth(value: Any) -> Sequence[str]:
    """Every key of every mapping inside a value (what a check of redactions walks)."""
    found: list[str] = []
    if isinstance(value, Mapping):
        for k, v in value.items():
            found.append(str(k))
            found.extend(keys_at_any_depth(v))
    elif isinstance(value, list | tuple):
        for v in value:
            found.extend(keys_at_any_depth(v))
    return found
