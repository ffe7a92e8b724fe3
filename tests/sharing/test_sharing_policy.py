"""The release policy: validation, and the property that nothing it forbids ever leaves."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outrider.errors import InvalidInput
from outrider.protocols import keys
from outrider.sharing import feeds, markings, policy, stix_export, stream
from outrider.sharing.markings import Tlp
from outrider.sharing.policy import FIELDS, Releasable, Terms

STAMP = datetime(2026, 11, 1, 8, tzinfo=UTC)
FORBIDDEN_KEYS = [
    "movement_id",
    "itinerary",
    "route_geojson",
    "source_identity",
    "reviewed_by",
    "Movement",
    "ROUTES",
]


def _terms(**over: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "max_marking": "TLP:GREEN",
        "object_types": ["event", "actor"],
        "fields": {"event": "*", "actor": ["name", "aliases"]},
    }
    return raw | over


def test_valid_terms_are_normalised() -> None:
    terms = policy.terms_of(_terms(redactions=["Notes"], ntk_groups=["corridor"]))
    assert terms.max_marking is Tlp.green and terms.object_types == {"event", "actor"}
    assert terms.fields["event"] == FIELDS["event"] and terms.fields["actor"] == {"name", "aliases"}
    assert terms.redactions == {"notes"} and terms.anonymise_corroborations is True
    doc = policy.terms_document(terms)
    assert policy.terms_of(doc) == terms  # the stored form reads back to the same terms


@pytest.mark.parametrize(
    ("over", "says"),
    [
        ({"max_marking": "TLP:WHITE"}, "unknown marking"),
        ({"object_types": []}, "object_types"),
        ({"object_types": ["movement"]}, "object_types"),
        ({"fields": {"event": ["movement_id"], "actor": ["name"]}}, "cannot be released"),
        ({"fields": {"event": "*", "actor": ["aliases"]}}, "name is needed"),
        (
            {"fields": {"event": "*", "actor": ["name"], "report": ["published"]}},
            "not among the object types",
        ),
        ({"fields": {"event": 3, "actor": ["name"]}}, "fields.event"),
        ({"redactions": "notes"}, "redactions"),
        ({"ntk_groups": [""]}, "ntk_groups"),
    ],
)
def test_invalid_terms_are_refused_with_the_field(over: dict[str, Any], says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        policy.terms_of(_terms(**over))


def test_release_withholds_with_the_reason() -> None:
    terms = policy.terms_of(_terms())
    objs = [
        Releasable("event", 1, Tlp.green, {"country": "PK", "movement_id": 9}, STAMP),
        Releasable("event", 2, Tlp.amber, {"country": "PK"}, STAMP),
        Releasable("report", 3, Tlp.clear, {"title": "t"}, STAMP),
        Releasable("actor", 4, Tlp.clear, {"name": "A", "notes": "n"}, STAMP, frozenset({"cell"})),
    ]
    out = policy.release(objs, terms)
    assert [(o.kind, o.id, dict(o.values)) for o in out.released] == [("event", 1, {"country": "PK"})]
    reasons = {w.id: w.reason for w in out.withheld}
    assert "above the policy's TLP:GREEN" in reasons[2]
    assert "does not release reports" in reasons[3]
    assert "need-to-know" in reasons[4]


def test_anonymised_corroborations_lose_their_source_and_the_reports_link() -> None:
    both = {"event": "*", "incident": "*", "report": "*"}
    inc = Releasable(
        "incident",
        5,
        Tlp.clear,
        {"killed": 2, "outlet": "Dawn", "url": "https://x"},
        STAMP,
        links=(("event", 1), ("report", 3)),
    )
    rep = Releasable(
        "report", 3, Tlp.clear, {"published": STAMP.date()}, STAMP, links=(("event", 1), ("incident", 5))
    )
    for anonymise in (True, False):
        raw = _terms(
            object_types=["event", "incident", "report"], fields=both, anonymise_corroborations=anonymise
        )
        released = {o.kind: o for o in policy.release([inc, rep], policy.terms_of(raw)).released}
        assert ("outlet" in released["incident"].values) is not anonymise
        assert (("incident", 5) in released["report"].links) is not anonymise
        assert (("report", 3) in released["incident"].links) is not anonymise


# --- the property ----------------------------------------------------------------------------------

KEYS = st.sampled_from(
    sorted({*FORBIDDEN_KEYS, *(f for fs in FIELDS.values() for f in fs), "extra", "nested"})
)
VALUES = st.recursive(
    st.none() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=10,
)
OBJECTS = st.lists(
    st.builds(
        Releasable,
        kind=st.sampled_from(policy.OBJECT_TYPES),
        id=st.integers(1, 50),
        marking=st.sampled_from(list(Tlp)),
        values=st.dictionaries(KEYS, VALUES, max_size=8),
        stamp=st.just(STAMP),
        ntk_groups=st.frozensets(st.sampled_from(["a", "b"]), max_size=1),
    ),
    max_size=12,
)


@st.composite
def terms(draw: st.DrawFn) -> Terms:
    types = draw(st.lists(st.sampled_from(policy.OBJECT_TYPES), min_size=1, unique=True))
    fields = {
        t: sorted(
            policy.REQUIRED_FIELDS[t] | set(draw(st.lists(st.sampled_from(sorted(FIELDS[t])), unique=True)))
        )
        for t in types
    }
    raw = {
        "max_marking": draw(st.sampled_from(list(Tlp))).label,
        "object_types": types,
        "fields": fields,
        "redactions": draw(st.lists(st.sampled_from(["notes", "killed", "extra"]), unique=True)),
        "anonymise_corroborations": draw(st.booleans()),
        "ntk_groups": draw(st.lists(st.sampled_from(["a", "b"]), unique=True)),
    }
    return policy.terms_of(raw)


@settings(max_examples=200, deadline=None)
@given(objs=OBJECTS, t=terms())
def test_nothing_forbidden_ever_leaves(objs: list[Releasable], t: Terms) -> None:
    out = policy.release(objs, t)
    assert len(out.released) + len(out.withheld) == len(objs)
    for obj in out.released:
        assert obj.marking <= t.max_marking
        assert obj.kind in t.object_types
        assert set(obj.values) <= t.fields[obj.kind]
        assert not obj.ntk_groups or obj.ntk_groups & t.ntk_groups
        for key in policy.keys_at_any_depth(dict(obj.values)):
            assert not policy.is_redacted(key, t.redactions), key
        if t.anonymise_corroborations and obj.kind == "incident":
            assert not set(obj.values) & policy.SOURCE_FIELDS


# --- the same property where objects leave: an export, a partner's pull, a signed feed ----------------

PARTIES = (
    stix_export.Party(1, "Host Protection Unit", STAMP),
    stix_export.Party(2, "Partner Embassy", STAMP),
)
SIGNER = keys.load_private_pem(keys.generate_pem()[0])
TEXT = st.text(max_size=6)
DAY = st.dates(min_value=STAMP.date().replace(year=2020), max_value=STAMP.date())
# each kind's releasable values as intel holds them, and keys that must never leave beside them
LEAVING = {
    "event": {
        "country": st.sampled_from(["PK", "CN"]),
        "city": TEXT,
        "attack_type": st.sampled_from(["bombing", "armed_assault"]),
        "killed": st.integers(0, 9),
        "lat": st.floats(24, 25),
        "lon": st.floats(67, 68),
        "perpetrator": st.sampled_from(["Front A", ""]),
        "date": DAY,
    },
    "incident": {"killed": st.integers(0, 9), "outlet": TEXT, "url": st.just("https://x"), "published": DAY},
    "report": {"title": TEXT, "outlet": TEXT, "url": st.just("https://x"), "published": DAY},
    "actor": {
        "name": st.sampled_from(["Front A", "Group B"]),
        "aliases": st.lists(TEXT, max_size=2),
        "notes": TEXT,
    },
}
NEVER = st.dictionaries(st.sampled_from(FORBIDDEN_KEYS), st.integers() | TEXT, max_size=2)


@st.composite
def leaving(draw: st.DrawFn) -> list[Releasable]:
    out = []
    refs = st.tuples(st.sampled_from(policy.OBJECT_TYPES), st.integers(1, 6))
    for kind, ident in draw(st.lists(refs, max_size=10, unique=True)):
        values = {k: draw(v) for k, v in LEAVING[kind].items()} | draw(NEVER)
        links = draw(st.lists(refs, max_size=3))
        marking = draw(st.sampled_from(list(Tlp)))
        groups = draw(st.frozensets(st.sampled_from(["a", "b"]), max_size=1))
        out.append(Releasable(kind, ident, marking, values, STAMP, groups, tuple(links)))
    return out


def _nothing_forbidden(objects: list[dict[str, Any]], t: Terms, channel: str) -> None:
    allowed = {markings.definition_id(m) for m in Tlp if m <= t.max_marking}
    for obj in objects:
        if obj["type"] == "marking-definition":
            assert obj["id"] in allowed, channel
            continue
        assert set(obj["object_marking_refs"]) <= allowed, (channel, obj["id"])
        # STIX's external references name an outlet (source_name) and a web address: the policy's to allow
        own = {k: v for k, v in obj.items() if k != "external_references"}
        for key in policy.keys_at_any_depth(own):
            assert not policy.is_redacted(key, t.redactions), (channel, key)
        for ext in obj.get("extensions", {}).values():
            assert set(ext) - {"extension_type"} <= t.fields["event"], channel
        if obj.get("external_references"):
            kind = "incident" if obj["type"] == "sighting" else "report"
            assert "url" in t.fields[kind] and not (kind == "incident" and t.anonymise_corroborations)
            if "outlet" not in t.fields[kind]:  # a reference without its outlet's name
                assert {r["source_name"] for r in obj["external_references"]} == {"news report"}, channel


@settings(max_examples=120, deadline=None)
@given(objs=leaving(), t=terms(), limit=st.integers(1, 4))
def test_nothing_forbidden_leaves_in_an_export_a_pull_or_a_feed(
    objs: list[Releasable], t: Terms, limit: int
) -> None:
    released = policy.release(objs, t).released
    export = stix_export.build(released, sender=PARTIES[0], receiver=PARTIES[1]).bundle["objects"]
    _nothing_forbidden(export, t, "export")
    cursor = None
    for _ in range(len(released) + 1):  # the partner pulls page by page
        page = stream.page(released, after=cursor, basis="b", limit=limit, marked_at={})
        pulled = stix_export.build(page.objects, sender=PARTIES[0], receiver=PARTIES[1]).bundle["objects"]
        _nothing_forbidden(pulled, t, "pull")
        cursor = page.next
        if not page.more:
            break
    files = feeds.build(export, party="Host Protection Unit", key=SIGNER, created=STAMP, sequence=1)
    public = keys.public_raw(SIGNER)
    fed = feeds.verify_files(files, trusted_keys={"Host Protection Unit": [public]}).objects
    _nothing_forbidden(fed, t, "feed")
