"""CAP 1.2 messages and the Atom feed of them, validated against the OASIS CAP 1.2 schema (lxml)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from outrider.notify.atom import ATOM_NS, FeedEntry, atom_feed
from outrider.notify.cap import (
    CAP_NS,
    SEVERITY_MAP,
    CapAlert,
    CapReference,
    MsgType,
    cap_time,
    cap_xml,
    event_label,
    identifier,
)

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data" / "CAP-v1.2.xsd")))
NS = {"cap": CAP_NS, "atom": ATOM_NS}
RAISED = datetime(2026, 11, 2, 6, 30, 12, 345678, tzinfo=UTC)
SENDER, DEPLOYMENT = "outrider@ops.example.org", "ops.example.org"


def _valid(document: bytes | etree._Element) -> etree._Element:
    root = etree.fromstring(document) if isinstance(document, bytes) else document
    if not SCHEMA.validate(root):
        raise AssertionError(str(SCHEMA.error_log))
    return root


def _text(root: etree._Element, path: str) -> str:
    found = root.findtext(path, namespaces=NS)
    assert found is not None, path
    return str(found)


def _alert(**changes: object) -> CapAlert:
    base: dict[str, object] = {
        "alert_id": 41,
        "version": 1,
        "kind": "movement_overdue",
        "severity": "critical",
        "title": "a protected movement: overdue (no check-in)",
        "sent": RAISED,
    }
    return CapAlert(**{**base, **changes})  # type: ignore[arg-type]


FIRST = CapReference(SENDER, identifier(DEPLOYMENT, 41, 1), RAISED)


def test_a_new_alert_is_an_actual_restricted_alert_message() -> None:
    root = _valid(cap_xml(_alert(), sender=SENDER, deployment=DEPLOYMENT))
    assert root.tag == f"{{{CAP_NS}}}alert"
    assert _text(root, "cap:identifier") == "outrider:ops.example.org:alert:41:1"
    assert _text(root, "cap:sent") == "2026-11-02T06:30:12-00:00"
    assert (_text(root, "cap:status"), _text(root, "cap:msgType")) == ("Actual", "Alert")
    assert _text(root, "cap:scope") == "Restricted" and "need-to-know" in _text(root, "cap:restriction")
    assert root.find("cap:references", NS) is None
    info = root.find("cap:info", NS)
    assert info is not None
    assert _text(info, "cap:category") == "Security"
    assert _text(info, "cap:event") == "Protected movement overdue"
    assert [_text(info, f"cap:{n}") for n in ("urgency", "severity", "certainty")] == [
        "Immediate",
        "Extreme",
        "Observed",
    ]
    assert _text(info, "cap:headline") == "a protected movement: overdue (no check-in)"
    assert info.find("cap:area/cap:circle", NS) is None  # no position given, none shown
    assert _text(info, "cap:area/cap:areaDesc")


def test_an_update_references_the_first_issue_and_a_cancel_clears() -> None:
    later = RAISED + timedelta(minutes=12)
    update = _valid(
        cap_xml(
            _alert(version=2, sent=later, msg_type=MsgType.update, references=(FIRST,)),
            sender=SENDER,
            deployment=DEPLOYMENT,
        )
    )
    assert _text(update, "cap:msgType") == "Update"
    assert _text(update, "cap:references") == (
        "outrider@ops.example.org,outrider:ops.example.org:alert:41:1,2026-11-02T06:30:12-00:00"
    )
    cancel = _valid(
        cap_xml(
            _alert(version=3, sent=later, msg_type=MsgType.cancel, references=(FIRST,)),
            sender=SENDER,
            deployment=DEPLOYMENT,
        )
    )
    assert _text(cancel, "cap:msgType") == "Cancel"
    assert _text(cancel, "cap:info/cap:responseType") == "AllClear"


def test_an_update_without_a_reference_is_refused() -> None:
    with pytest.raises(ValueError, match="reference"):
        cap_xml(_alert(msg_type=MsgType.update), sender=SENDER, deployment=DEPLOYMENT)


def test_an_exercise_and_a_position() -> None:
    root = _valid(
        cap_xml(
            _alert(exercise=True, circle=(33.684422, 73.047882, 1.0), area_desc="Reported position"),
            sender=SENDER,
            deployment=DEPLOYMENT,
        )
    )
    assert _text(root, "cap:status") == "Exercise" and "drill" in _text(root, "cap:note")
    assert _text(root, "cap:info/cap:area/cap:circle") == "33.68442,73.04788 1.000"
    with pytest.raises(ValueError, match="latitude"):
        cap_xml(_alert(circle=(95.0, 0.0, 1.0)), sender=SENDER, deployment=DEPLOYMENT)


@pytest.mark.parametrize("severity", [*SEVERITY_MAP, "unheard-of"])
def test_every_severity_maps_to_valid_cap_values(severity: str) -> None:
    _valid(cap_xml(_alert(severity=severity), sender=SENDER, deployment=DEPLOYMENT))


def test_times_keep_their_zone_and_utc_is_minus_zero() -> None:
    karachi = timezone(timedelta(hours=5))
    assert cap_time(datetime(2026, 11, 2, 11, 30, 12, 9, tzinfo=karachi)) == "2026-11-02T11:30:12+05:00"
    assert cap_time(RAISED) == "2026-11-02T06:30:12-00:00"
    with pytest.raises(ValueError, match="zone"):
        cap_time(datetime(2026, 11, 2, 6, 30))  # no zone: refused


def test_an_identifier_and_sender_carry_no_space_comma_or_markup() -> None:
    assert identifier("ops example,org<&>", 7, 3) == "outrider:ops-example-org->:alert:7:3"
    root = _valid(cap_xml(_alert(), sender="a b,c", deployment="x y"))
    assert " " not in _text(root, "cap:identifier") and "," not in _text(root, "cap:sender")


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(max_size=120),
    kind=st.text(max_size=30),
    deployment=st.text(max_size=30),
    exercise=st.booleans(),
    msg_type=st.sampled_from(list(MsgType)),
)
def test_any_text_still_makes_a_valid_message(
    title: str, kind: str, deployment: str, exercise: bool, msg_type: MsgType
) -> None:
    references = () if msg_type is MsgType.alert else (FIRST,)
    alert = _alert(title=title, kind=kind, exercise=exercise, msg_type=msg_type, references=references)
    root = _valid(cap_xml(alert, sender=SENDER, deployment=deployment))
    assert _text(root, "cap:info/cap:event") == event_label(kind)


def test_the_atom_feed_parses_and_each_entry_carries_a_valid_cap_message() -> None:
    entries = [
        FeedEntry(cap=_alert(), url="https://ops.example.org/api/v1/alerts/41"),
        FeedEntry(
            cap=_alert(
                alert_id=42,
                version=5,
                kind="cordon_dwell",
                severity="high",
                title="ABC-123 inside the outer cordon for 44 min",
                sent=RAISED + timedelta(hours=1),
                msg_type=MsgType.update,
                references=(CapReference(SENDER, identifier(DEPLOYMENT, 42, 1), RAISED),),
            ),
            url="https://ops.example.org/api/v1/alerts/42",
        ),
    ]
    document = atom_feed(
        feed_id="https://ops.example.org/api/v1/alerts/cap.atom?organization=3",
        title="Outrider alerts (CAP 1.2)",
        self_url="https://ops.example.org/api/v1/alerts/cap.atom",
        updated=RAISED,
        entries=entries,
        sender=SENDER,
        deployment=DEPLOYMENT,
    )
    feed = etree.fromstring(document)
    assert feed.tag == f"{{{ATOM_NS}}}feed"
    assert _text(feed, "atom:updated") == "2026-11-02T07:30:12Z"  # the latest entry's
    assert feed.find("atom:author/atom:name", NS) is not None
    assert feed.find("atom:link[@rel='self']", NS).get("href").endswith("/cap.atom")
    ids = [e.findtext("atom:id", namespaces=NS) for e in feed.findall("atom:entry", NS)]
    assert ids == ["https://ops.example.org/api/v1/alerts/42", "https://ops.example.org/api/v1/alerts/41"]
    for entry in feed.findall("atom:entry", NS):
        content = entry.find("atom:content", NS)
        assert content is not None and content.get("type") == "application/cap+xml"
        (cap,) = list(content)
        _valid(cap)
        assert _text(entry, "atom:title") == _text(cap, "cap:info/cap:headline")
        assert _text(entry, "atom:updated") == _text(cap, "cap:sent").replace("-00:00", "Z")


def test_an_empty_feed_is_still_a_feed() -> None:
    document = atom_feed(
        feed_id="https://ops.example.org/feed",
        title="none",
        self_url="https://ops.example.org/feed",
        updated=RAISED,
        entries=[],
        sender=SENDER,
        deployment=DEPLOYMENT,
    )
    feed = etree.fromstring(document)
    assert feed.findall("atom:entry", NS) == [] and _text(feed, "atom:updated") == "2026-11-02T06:30:12Z"
