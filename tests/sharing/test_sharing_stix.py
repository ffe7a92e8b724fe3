"""The STIX 2.1 export: a golden bundle, stix2 validation, no dangling reference, deterministic ids."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import stix2
from hypothesis import given, settings
from hypothesis import strategies as st

from outrider.sharing import markings, policy, stix_export
from outrider.sharing.markings import Tlp
from outrider.sharing.policy import Releasable

GOLDEN = Path(__file__).parent / "data" / "golden_bundle.json"
T0 = datetime(2026, 10, 3, 9, 30, 15, 123456, tzinfo=UTC)
HOST = stix_export.Party(1, "Host Protection Unit", datetime(2026, 1, 5, tzinfo=UTC))
PARTNER = stix_export.Party(2, "Partner Embassy", datetime(2026, 1, 6, tzinfo=UTC))
EVENT_VALUES = {
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
    "perpetrator": "Front A",
    "claimed": True,
    "status": "confirmed",
    "confidence": 0.9,
    "reports": 2,
}
SAMPLE = [
    Releasable(
        "actor",
        7,
        Tlp.green,
        {"name": "Front A", "kind": "group", "aliases": ["FA", "Front-A"], "notes": None},
        T0,
    ),
    Releasable("event", 11, Tlp.green, EVENT_VALUES, T0, links=(("actor", 7),)),
    Releasable(
        "event", 12, Tlp.amber, {"country": "PK", "attack_type": "shooting", "date": date(2026, 9, 1)}, T0
    ),
    Releasable(
        "incident",
        21,
        Tlp.green,
        {"killed": 2, "outlet": "Dawn", "url": "https://news.example/a", "published": date(2026, 10, 2)},
        T0,
        links=(("event", 11), ("report", 31)),
    ),
    Releasable("incident", 22, Tlp.clear, {"killed": 1}, T0, links=(("event", 99), ("report", 31))),
    Releasable(
        "report",
        31,
        Tlp.green,
        {
            "title": "Blast near airport",
            "outlet": "Dawn",
            "url": "https://news.example/a",
            "published": date(2026, 10, 2),
            "language": "en",
        },
        T0,
        links=(("event", 11), ("incident", 21)),
    ),
    Releasable(
        "report",
        32,
        Tlp.clear,
        {"title": "Nothing released", "published": date(2026, 10, 2)},
        T0,
        links=(("event", 99),),
    ),
]


def _bundle() -> stix_export.Bundle:
    return stix_export.build(SAMPLE, sender=HOST, receiver=PARTNER)


def test_the_golden_bundle_is_byte_stable() -> None:
    text = stix_export.dumps(_bundle().bundle)
    if os.environ.get("OUTRIDER_WRITE_GOLDEN"):  # regenerate deliberately, then review the diff
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
    assert stix_export.dumps(_bundle().bundle) == text  # and again, from the same input


def test_the_bundle_validates_with_stix2_and_every_object_is_marked() -> None:
    bundle = _bundle().bundle
    parsed = stix2.parse(json.dumps(bundle), allow_custom=True)
    assert len(parsed.objects) == len(bundle["objects"])
    defs = {markings.definition_id(t) for t in Tlp}
    for obj in bundle["objects"]:
        if obj["type"] == "marking-definition":
            assert obj["id"] in defs and obj == markings.definition(markings.parse(obj["name"]))
            continue
        assert len(obj["object_marking_refs"]) == 1 and obj["object_marking_refs"][0] in defs, obj["id"]


def test_no_reference_dangles() -> None:
    bundle = _bundle().bundle
    ids = {o["id"] for o in bundle["objects"]}
    assert len(ids) == len(bundle["objects"])
    for obj in bundle["objects"]:
        for ref in stix_export.references(obj):
            assert ref in ids, (obj["id"], ref)
        for ext in obj.get("extensions", {}):
            assert ext in ids or ext == markings.TLP2_EXTENSION


def test_the_mapping_of_each_kind() -> None:
    built = _bundle()
    objs = {o["id"]: o for o in built.bundle["objects"]}
    event = objs[stix_export.stix_id("incident", "event:11")]
    ext = event["extensions"][stix_export.extension_id(HOST)]
    assert (
        ext["killed"] == 2 and ext["date"] == "2026-10-02" and ext["extension_type"] == "property-extension"
    )
    assert event["created"] == "2026-10-03T09:30:15.123Z"
    actor = objs[stix_export.stix_id("threat-actor", "actor:7")]
    assert actor["aliases"] == ["FA", "Front-A"] and actor["name"] == "Front A"
    kinds = {
        (o["relationship_type"], objs[o["source_ref"]]["type"], objs[o["target_ref"]]["type"])
        for o in objs.values()
        if o["type"] == "relationship"
    }
    assert kinds == {
        ("located-at", "incident", "location"),
        ("uses", "incident", "attack-pattern"),
        ("attributed-to", "incident", "threat-actor"),
        ("targets", "threat-actor", "location"),
    }
    places = [o for o in objs.values() if o["type"] == "location"]
    assert {p.get("country") for p in places} == {"PK"} and any("latitude" in p for p in places)
    country = objs[stix_export.stix_id("location", "country:PK")]
    assert country["object_marking_refs"] == [markings.definition_id(Tlp.amber)]  # the strictest user's
    sighting = objs[stix_export.stix_id("sighting", "incident:21")]
    assert sighting["sighting_of_ref"] == event["id"] and sighting["external_references"][0]["url"]
    report = objs[stix_export.stix_id("report", "report:31")]
    assert report["published"] == "2026-10-02T00:00:00.000Z"
    assert report["external_references"] == [{"source_name": "Dawn", "url": "https://news.example/a"}]
    assert set(report["object_refs"]) == {event["id"], sighting["id"]}
    assert {(w.kind, w.id) for w in built.dropped} == {("incident", 22), ("report", 32)}


def test_ids_follow_outrider_ids_not_names() -> None:
    renamed = [Releasable("actor", 7, Tlp.green, {"name": "Front B"}, T0)]
    again = stix_export.build(renamed, sender=HOST, receiver=PARTNER).bundle
    assert stix_export.stix_id("threat-actor", "actor:7") in {o["id"] for o in again["objects"]}
    other = stix_export.build(
        [Releasable("actor", 8, Tlp.green, {"name": "Front A"}, T0)], sender=HOST, receiver=PARTNER
    )
    assert stix_export.stix_id("threat-actor", "actor:7") not in {o["id"] for o in other.bundle["objects"]}


def test_an_export_through_a_policy_carries_nothing_above_its_marking() -> None:
    terms = policy.terms_of(
        {
            "max_marking": "TLP:GREEN",
            "object_types": list(policy.OBJECT_TYPES),
            "fields": dict.fromkeys(policy.OBJECT_TYPES, "*"),
            "anonymise_corroborations": True,
        }
    )
    out = policy.release(SAMPLE, terms)
    bundle = stix_export.build(out.released, sender=HOST, receiver=PARTNER).bundle
    stix2.parse(json.dumps(bundle), allow_custom=True)
    allowed = {markings.definition_id(t) for t in Tlp if t <= Tlp.green}
    assert all(
        o["object_marking_refs"][0] in allowed for o in bundle["objects"] if "object_marking_refs" in o
    )
    assert stix_export.stix_id("incident", "event:12") not in json.dumps(bundle)
    assert "news.example" not in json.dumps([o for o in bundle["objects"] if o["type"] == "sighting"])


# --- the property through the whole pipeline: release, then STIX ------------------------------------

VALUE_OF = {
    "date": st.dates(date(2020, 1, 1), date(2026, 12, 1)),
    "published": st.dates(date(2020, 1, 1), date(2026, 12, 1)),
    "country": st.sampled_from(["PK", "AF"]),
    "lat": st.floats(-80, 80),
    "lon": st.floats(-170, 170),
    "name": st.sampled_from(["Front A", "Front B"]),
    "aliases": st.lists(st.sampled_from(["FA", "FB"]), max_size=2),
    "url": st.just("https://news.example/x"),
}
SECRET = "SECRET-VALUE"


@st.composite
def releasable(draw: st.DrawFn) -> Releasable:
    kind = draw(st.sampled_from(policy.OBJECT_TYPES))
    ident = draw(st.integers(1, 6))
    names = draw(st.lists(st.sampled_from(sorted(policy.FIELDS[kind])), unique=True))
    values: dict[str, object] = {n: draw(VALUE_OF.get(n, st.integers(0, 9))) for n in names}
    values["movement_id"] = SECRET  # never allowed by any policy
    if kind == "actor":
        values["name"] = "Front A"
    if kind == "report":
        values["published"] = date(2026, 1, 1)
    links = draw(st.lists(st.tuples(st.sampled_from(policy.OBJECT_TYPES), st.integers(1, 6)), max_size=3))
    marking = draw(st.sampled_from(list(Tlp)))
    return Releasable(kind, ident, marking, values, T0, links=tuple(links))


@settings(max_examples=60, deadline=None)
@given(objs=st.lists(releasable(), max_size=10), ceiling=st.sampled_from(list(Tlp)), anonymise=st.booleans())
def test_no_bundle_carries_an_object_above_the_policy_or_a_forbidden_value(
    objs: list[Releasable], ceiling: Tlp, anonymise: bool
) -> None:
    terms = policy.terms_of(
        {
            "max_marking": ceiling.label,
            "object_types": list(policy.OBJECT_TYPES),
            "fields": dict.fromkeys(policy.OBJECT_TYPES, "*"),
            "anonymise_corroborations": anonymise,
        }
    )
    unique = list({(o.kind, o.id): o for o in objs}.values())
    bundle = stix_export.build(policy.release(unique, terms).released, sender=HOST, receiver=PARTNER).bundle
    text = json.dumps(bundle)
    assert SECRET not in text and "movement" not in text
    allowed = {markings.definition_id(t) for t in Tlp if t <= ceiling} | {markings.definition_id(Tlp.clear)}
    ids = {o["id"] for o in bundle["objects"]}
    for obj in bundle["objects"]:
        assert obj["type"] == "marking-definition" or obj["object_marking_refs"][0] in allowed
        assert set(stix_export.references(obj)) <= ids
        if anonymise and obj["type"] == "sighting":
            assert "external_references" not in obj
    stix2.parse(text, allow_custom=True)
