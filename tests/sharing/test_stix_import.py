"""Reading a partner's bundle, without a database: each object accepted, rejected or ignored, and why."""

from __future__ import annotations

import json
from typing import Any

import pytest
import stix2
from hypothesis import given, settings
from hypothesis import strategies as st

from outrider.errors import InvalidInput
from outrider.sharing import markings, stix_import
from outrider.sharing.markings import Tlp
from partner_bundles import EVENT, bundle, generic_bundle, ident


def _verdicts(reading: stix_import.Reading) -> dict[str, tuple[str, str]]:
    return {v.id: (v.status, v.reason) for v in reading.verdicts}


def test_outriders_own_bundle_maps_to_records_with_every_value() -> None:
    reading = stix_import.read(bundle())
    assert reading.count("rejected") == reading.count("ignored") == 0
    records = {r.stix_id: r for r in reading.records}
    assert [r.kind for r in reading.records] == ["actor", "event", "event", "report", "incident"]
    event = records[ident("event", 11)]
    assert event.marking is Tlp.green and event.values["date"] == "2026-10-02"
    assert {k: event.values[k] for k in ("killed", "weapon", "lat", "suicide", "status", "reports")} == {
        k: EVENT[k] for k in ("killed", "weapon", "lat", "suicide", "status", "reports")
    }
    actor = records[ident("actor", 7)].values
    assert actor == {
        "name": "Front of the Coast",
        "aliases": ["FOC"],
        "kind": "group",
        "notes": "coastal cell",
    }
    sighting = records[ident("incident", 21)]
    assert sighting.refs == (ident("event", 11),) and sighting.values["outlet"] == "Dawn"
    report = records[ident("report", 31)]
    assert set(report.refs) == {ident("event", 11), ident("incident", 21)}
    assert report.values["published"] == "2026-10-02" and report.values["title"] == "Blast near airport"


def test_over_marked_objects_are_rejected_one_by_one_and_what_names_them_dangles() -> None:
    over = bundle(second_event=Tlp.red)
    verdicts = _verdicts(stix_import.read(over))
    status, reason = verdicts[ident("event", 12)]
    assert status == "rejected" and "TLP:RED, above the TLP:AMBER+STRICT" in reason
    assert verdicts[ident("event", 11)][0] == "accepted"
    place_links = [
        o["id"]
        for o in over["objects"]
        if o["type"] == "relationship" and o["source_ref"] == ident("event", 12)
    ]
    assert place_links and all(verdicts[i][0] == "rejected" for i in place_links)  # marked as their event
    # the country the RED event shares with event 11 carries the stricter marking: 11's link to it dangles
    country = next(o["target_ref"] for o in over["objects"] if o["id"] == place_links[0])
    dangles = [
        o["id"]
        for o in over["objects"]
        if o["type"] == "relationship"
        and o["target_ref"] == country
        and o["source_ref"] == ident("event", 11)
    ]
    assert dangles and all(verdicts[i][0] == "ignored" and "dangling" in verdicts[i][1] for i in dangles)
    # a ceiling of TLP:RED (configured for this partner) lets it in; TLP:GREEN keeps out what is AMBER
    assert _verdicts(stix_import.read(over, ceiling=Tlp.red))[ident("event", 12)][0] == "accepted"
    green = _verdicts(stix_import.read(bundle(), ceiling=Tlp.green))
    assert green[ident("event", 12)][0] == "rejected" and green[ident("event", 11)][0] == "accepted"


def _with(obj_id: str, **changes: Any) -> dict[str, Any]:
    b = bundle()
    for o in b["objects"]:
        if o["id"] == obj_id:
            o.update(changes)
    return b


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"spec_version": "2.0"}, "spec_version is not 2.1"),
        ({"created": "yesterday"}, "malformed: Invalid value for Report 'created'"),
        (
            {"object_marking_refs": ["marking-definition--00000000-0000-4000-8000-000000000000"]},
            "unknown marking",
        ),
        ({"name": "x" * 501}, "malformed: name is longer than 500"),
        ({"lang": 7}, "malformed"),
        ({"id": "report--not-a-uuid"}, "its id is not <type>--<UUID>"),
    ],
)
def test_a_malformed_report_is_rejected_alone(changes: dict[str, Any], reason: str) -> None:
    reading = stix_import.read(_with(ident("report", 31), **changes))
    rejected = [v for v in reading.verdicts if v.status == "rejected"]
    assert len(rejected) == 1 and reason in rejected[0].reason, rejected
    assert {r.kind for r in reading.records} == {"actor", "event", "incident"}  # the rest still comes in


def test_malformed_extension_values_reject_the_event_and_its_sighting_dangles() -> None:
    b = bundle()
    event = next(o for o in b["objects"] if o["id"] == ident("event", 11))
    (ext,) = event["extensions"].values()
    ext["killed"] = -3
    verdicts = _verdicts(stix_import.read(b))
    assert verdicts[ident("event", 11)] == (
        "rejected",
        "malformed: killed is not a whole number from 0 to 1000000",
    )
    assert (
        verdicts[ident("incident", 21)][0] == "ignored" and "dangling" in verdicts[ident("incident", 21)][1]
    )
    assert verdicts[ident("report", 31)][0] == "accepted"  # it still tells of what it names


def test_a_generic_partners_objects_map_from_standard_properties() -> None:
    generic, ids = generic_bundle()
    reading = stix_import.read(generic)
    verdicts = _verdicts(reading)
    assert (
        verdicts[ids["indicator"]][0] == "ignored"
        and "unsupported type indicator" in verdicts[ids["indicator"]][1]
    )
    event = next(r for r in reading.records if r.kind == "event")
    assert event.marking is Tlp.amber  # TLP 1.0 AMBER read as TLP 2.0 AMBER
    assert {k: event.values[k] for k in ("country", "city", "lat", "attack_type", "perpetrator", "date")} == {
        "country": "PK",
        "city": "Gwadar",
        "lat": 25.1,
        "attack_type": "armed_assault",
        "perpetrator": "Coast Front",
        "date": "2026-09-30",
    }


def test_a_bundle_that_is_not_one_is_refused_whole() -> None:
    for bad in (
        [],
        {"type": "report"},
        {"type": "bundle", "id": "bundle--x", "objects": []},
        {"type": "bundle", "id": bundle()["id"], "objects": {}},
    ):
        with pytest.raises(InvalidInput):
            stix_import.read(bad)


def test_a_tampered_tlp_definition_is_refused_but_its_id_still_means_its_marking() -> None:
    b = bundle()
    green = next(o for o in b["objects"] if o["id"] == markings.definition_id(Tlp.green))
    green["extensions"][markings.TLP2_EXTENSION]["tlp_2_0"] = "clear"
    verdicts = _verdicts(stix_import.read(b))
    assert verdicts[green["id"]][0] == "rejected" and "not the OASIS definition" in verdicts[green["id"]][1]
    assert verdicts[ident("event", 11)][0] == "accepted"


_PATHS = st.sampled_from(
    [
        "type",
        "id",
        "spec_version",
        "created",
        "modified",
        "object_marking_refs",
        "name",
        "published",
        "object_refs",
        "sighting_of_ref",
        "aliases",
        "extensions",
    ]
)
_VALUES = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=30),
    st.lists(st.text(max_size=10), max_size=3),
    st.just("TLP:RED"),
    st.just({"killed": "many"}),
    st.floats(allow_nan=True),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_mutation_is_judged_object_by_object(data: st.DataObject) -> None:
    b = bundle()
    n = data.draw(st.integers(0, len(b["objects"]) - 1))
    key, value = data.draw(_PATHS), data.draw(_VALUES)
    obj = b["objects"][n]
    if key == "extensions" and obj["type"] == "incident" and data.draw(st.booleans()):
        (ext,) = obj["extensions"].values()  # a value of Outrider's extension, not the whole of it
        ext[data.draw(st.sampled_from(["killed", "city", "lat", "date", "weapon", "status"]))] = value
    else:
        obj[key] = value
    reading = stix_import.read(b)
    assert len(reading.verdicts) == len(b["objects"])
    ids = {r.stix_id for r in reading.records}
    accepted = {v.id for v in reading.verdicts if v.status == "accepted"}
    assert ids <= accepted
    for record in reading.records:  # nothing kept refers to what was refused
        assert set(record.refs) <= ids
        json.dumps(record.values)  # plain values, as stored


def test_the_tlp1_ids_are_the_stix2_librarys() -> None:
    expected = {stix2.TLP_WHITE.id, stix2.TLP_GREEN.id, stix2.TLP_AMBER.id, stix2.TLP_RED.id}
    assert set(stix_import.TLP1) == expected
    assert stix_import.TLP1[stix2.TLP_WHITE.id] is Tlp.clear and stix_import.TLP1[stix2.TLP_RED.id] is Tlp.red
