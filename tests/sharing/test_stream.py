"""The partner's pull stream: an opaque, validated cursor; pages that together give every released object
once, in order, each bundle self-contained; every answer that carries anything recorded as a release
(channel ``pull``); only a partner's analysts and administrators pull. API tests on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any
from typing import Any as World  # the suite's `world` fixture (tests/conftest.py)

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from test_sharing_api import EVERYTHING, _agreed, _mark, _report

from outrider import db
from outrider.audit.models import AuditRecord
from outrider.errors import InvalidInput
from outrider.sharing import stix_export, stream
from outrider.sharing.markings import Tlp
from outrider.sharing.policy import Releasable

S = "/api/v1/sharing/stream"
T0 = datetime(2026, 11, 1, 8, tzinfo=UTC)


# --- the cursor and the pages (pure) ---------------------------------------------------------------


def test_a_cursor_reads_back_and_a_forged_one_is_refused() -> None:
    cursor = stream.Cursor("ab12", T0, "event", 7)
    assert stream.decode(stream.encode(cursor)) == cursor
    text = stream.encode(cursor)
    for bad in ("", "x", text[:-3], text + "!!", "W10", stream.encode(stream.Cursor("a", T0, "movement", 1))):
        with pytest.raises(InvalidInput, match="after"):
            stream.decode(bad)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80) | st.binary(max_size=60).map(lambda b: base64.urlsafe_b64encode(b).decode()))
def test_any_text_is_a_cursor_or_the_one_refusal(text: str) -> None:
    detail = "after"
    try:
        stream.decode(text)
    except InvalidInput as exc:
        detail = exc.detail
    assert detail.startswith("after")


KINDS = ("actor", "event", "incident", "report")
KEYS = st.tuples(st.sampled_from(KINDS), st.integers(1, 9))
OBJECTS = st.lists(
    st.tuples(st.sampled_from(KINDS), st.integers(1, 9), st.integers(0, 5), st.lists(KEYS, max_size=2)),
    max_size=20,
    unique_by=lambda t: (t[0], t[1]),
)
MARKS = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(1, 9), st.integers(0, 9)), max_size=4)


def _objects(raw: list[tuple[str, int, int, list[tuple[str, int]]]]) -> list[Releasable]:
    return [
        Releasable(k, i, Tlp.clear, {}, T0 + timedelta(minutes=m), links=tuple(links))
        for k, i, m, links in raw
    ]


@settings(max_examples=150, deadline=None)
@given(raw=OBJECTS, limit=st.integers(1, 6), marks=MARKS)
def test_pages_give_every_object_once_in_order_and_hold_together(
    raw: list[Any], limit: int, marks: list[tuple[str, int, int]]
) -> None:
    released = _objects(raw)
    marked_at = {(k, i): T0 + timedelta(minutes=m) for k, i, m in marks}
    keys = {(o.kind, o.id) for o in released}
    seen: list[tuple[datetime, str, int]] = []
    cursor: stream.Cursor | None = None
    for _ in range(len(released) + 2):
        page = stream.page(released, after=cursor, basis="b", limit=limit, marked_at=marked_at)
        assert len(page.fresh) <= limit
        seen += [(stream.changed(o, marked_at), o.kind, o.id) for o in page.fresh]
        carried = {(o.kind, o.id) for o in page.objects}
        for obj in page.objects:  # every link to a released object is carried along
            assert {link for link in obj.links if link in keys} <= carried
        cursor = stream.decode(stream.encode(page.next))
        if not page.more:
            break
    assert seen == sorted(seen) and len(seen) == len(released) == len(set(seen))
    last = stream.page(released, after=cursor, basis="b", limit=limit, marked_at=marked_at)
    assert last.fresh == [] and not last.more and last.next == cursor
    # a cursor given under other terms starts the stream again
    again = stream.page(released, after=cursor, basis="other", limit=limit, marked_at=marked_at)
    assert len(again.fresh) == min(limit, len(released))


# --- the API --------------------------------------------------------------------------------------


def _pull(client: TestClient, world: World, who: str = "embassy_admin", **query: Any) -> Any:
    return client.get(S, params=query, headers=world[who].headers)


def _pulls(client: TestClient) -> list[AuditRecord]:
    with db.transaction() as session:
        return list(
            session.scalars(
                select(AuditRecord).where(AuditRecord.action == "sharing.release").order_by(AuditRecord.seq)
            )
        )


def _stix(kind: str, ident: int) -> str:
    stix_type = {"event": "incident", "incident": "sighting", "report": "report"}[kind]
    return stix_export.stix_id(stix_type, f"{kind}:{ident}")


def test_a_partner_pulls_page_by_page_and_each_page_is_a_release(client: TestClient, world: World) -> None:
    for who in ("embassy_admin", "liaison", "analyst", "coord", "acme_admin"):
        assert _pull(client, world, who).status_code == 403, who  # nothing agreed yet; never the others
    a, b = _report(client, world, "Quetta", 21), _report(client, world, "Gwadar", 22)
    red = _report(client, world, "Turbat", 23)
    for ids in (a, b):
        for kind in ("event", "incident", "report"):
            assert _mark(client, world, kind, ids[kind], "TLP:GREEN").status_code == 200
    assert _mark(client, world, "event", red["event"], "TLP:RED").status_code == 200
    _agreed(client, world, EVERYTHING)
    for who in ("liaison", "analyst", "admin", "coord", "acme_admin", "other_coord"):
        assert _pull(client, world, who).status_code == 403, who
    got, after, ids = [], None, set()
    while True:
        answer = _pull(client, world, limit=2, **({"after": after} if after else {}))
        assert answer.status_code == 200, answer.text
        body = answer.json()
        refs = {o["id"] for o in body["bundle"]["objects"]}
        for obj in body["bundle"]["objects"]:  # each page stands alone
            assert set(stix_export.references(obj)) <= refs
        got.append(body)
        ids |= refs
        after = body["next"]
        if not body["more"]:
            break
    assert sum(b["count"] for b in got) == 6 and all(b["count"] <= 2 for b in got)
    assert {_stix(k, v[k]) for v in (a, b) for k in ("event", "incident", "report")} <= ids
    assert _stix("event", red["event"]) not in ids  # marked above the policy
    assert len(_pulls(client)) == len(got)
    records = _pulls(client)
    assert {r.details["channel"] for r in records} == {"pull"}
    assert {r.user_id for r in records} == {world["embassy_admin"].user_id}
    # nothing new: an empty answer, the same cursor, nothing recorded
    empty = _pull(client, world, after=after).json()
    assert empty["count"] == 0 and empty["next"] == after and not empty["more"]
    assert len(_pulls(client)) == len(got)
    # the analyst lowers RED to GREEN: the event comes next, though it was stored long before the cursor
    assert _mark(client, world, "event", red["event"], "TLP:GREEN").status_code == 200
    fresh = _pull(client, world, after=after).json()
    assert fresh["count"] == 1 and _stix("event", red["event"]) in {
        o["id"] for o in fresh["bundle"]["objects"]
    }
    # a new policy version starts the stream again from the beginning
    _agreed(client, world, EVERYTHING | {"max_marking": "TLP:CLEAR"})
    restart = _pull(client, world, after=fresh["next"]).json()
    assert restart["count"] == 0 and restart["bundle"]["objects"]  # nothing is CLEAR: only the parties
    assert len(_pulls(client)) == len(got) + 1


@pytest.mark.parametrize("after", ["not-a-cursor", "eyJhIjoxfQ", "W10", "x" * 201])
def test_a_bad_cursor_is_the_one_error_shape(client: TestClient, world: World, after: str) -> None:
    _agreed(client, world, EVERYTHING)
    got = _pull(client, world, after=after)
    assert got.status_code == 422 and got.headers["content-type"].startswith("application/problem+json")
    assert "after" in got.text
    assert _pull(client, world, limit=0).status_code == 422
