"""A record made ready before the head is read (`entries.prepare`) hashes, once its number is written in,
exactly as the finished record does (`canonical_form.link_hash`), whatever its details hold."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from outrider.audit import canonical_form, entries
from outrider.audit.service import Actor

T0 = datetime(2026, 12, 6, 9, 30, 1, 250, tzinfo=UTC)
DETAILS: list[dict[str, Any] | None] = [
    None,
    {},
    {"reference": "MOV-1", "checkin_status": "ok", "status": "under_way"},
    # the canonical form's own last keys, nested where a careless split would cut
    {"x": {"seq": 0, "user_id": 7}, "note": ',"seq":0,"user_id":'},
    {"name": "کراچی 卡拉奇", "n": 1.5, "flag": True, "none": None, "list": [3, "b", {"seq": 0}]},
]


def _finished(e: entries.Entry, seq: int) -> dict[str, Any]:
    """The record as `record` would have built it, with the plain values the canonical form writes."""
    names = [[kind, str(ident)] for kind, ident in e.names]
    details = {**(e.details or {}), "names": names} if names else e.details or {}
    return {
        "seq": seq,
        "at": T0,
        "user_id": e.actor.user_id,
        "organization_id": e.actor.organization_id,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": str(e.object_id),
        "fields": sorted(e.fields),
        "channel": e.actor.channel,
        "request_id": e.actor.request_id,
        "details": details,
    }


@pytest.mark.parametrize("details", DETAILS)
@pytest.mark.parametrize("user_id", [None, 12])
@pytest.mark.parametrize("seq", [1, 9, 10, 123_456_789])
def test_a_prepared_record_links_as_the_finished_one(
    details: dict[str, Any] | None, user_id: int | None, seq: int
) -> None:
    actor = Actor(user_id=user_id, organization_id=3, channel="api", request_id="r-1")
    names = [("movement", 1), ("movement", "22")] if details else []
    entry = entries.Entry(actor, "movement.read_itinerary", "board", "movements", ("b", "a"), details, names)
    prepared = entries.prepare(entry, T0)
    finished = _finished(entry, seq)
    prev = "ab" * 32
    assert prepared.before_seq + str(seq).encode() + prepared.after_seq == canonical_form.canonical(finished)
    assert entries.link(prepared, seq, prev) == canonical_form.link_hash(prev, finished)
    # the columns are stored as the canonical text of the values the record is returned with
    assert (
        prepared.values["details"]
        == canonical_form.canonical_json(prepared.details)
        == canonical_form.canonical_json(finished["details"])
    )
    assert prepared.values["fields"] == canonical_form.canonical_json(prepared.fields) == '["a","b"]'


def test_the_names_are_stated_in_the_details() -> None:
    actor = Actor(user_id=1, organization_id=1)
    entry = entries.Entry(actor, "movement.read_itinerary", "board", "movements", names=[("movement", 5)])
    prepared = entries.prepare(entry, T0)
    assert prepared.names == (("movement", "5"),)
    assert prepared.details == {"names": [["movement", "5"]]}
