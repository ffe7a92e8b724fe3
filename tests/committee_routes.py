"""The joint committee's API routes as the route matrices call them: one request per route, each on a fresh
committee (the host administrator and the liaison chair it, the analyst is its secretariat, the duty officer
a member) with a held meeting, an agenda item and a minutes section, and who may pass each policy entry.

Shared by `tests/access/test_authorization_matrix.py` (its actors) and `tests/committee/
test_committee_matrix.py` (every role of the host, the partner, two companies and an outsider).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from outrider import db
from outrider.accounts.models import User
from outrider.committee import committees, meetings, minutes, minutes_signing
from outrider.committee import schemas as s
from outrider.committee.models import Meeting, MinutesApproval
from outrider.http import caller_of
from outrider.protocols import keys
from outrider.protocols.models import SigningKey

HOST = {"admin", "duty", "analyst", "auditor"}
PARTNER = {"liaison", "embassy_admin"}
SEATS = {"admin": "chair", "analyst": "secretariat", "duty": "member", "liaison": "chair"}
# Who passes each entry, among every user of the test world (anon never does).
ALLOWED: dict[str, set[str]] = {
    "committee.create": {"admin", "embassy_admin"},
    "committee.read": set(SEATS) | {"embassy_admin", "auditor"},
    "committee.members": {"admin", "embassy_admin"},  # each for its own party
    "committee.keep": {"admin", "analyst", "liaison"},  # chairs and the secretariat
    "committee.comment": set(SEATS),
    "committee.sign": {"admin", "liaison", "embassy_admin"},  # the party's chair or administrator
    "committee.keys": {"admin", "liaison", "embassy_admin", "acme_admin"},  # chairs and administrators
}
_N = itertools.count(1)
Run = Callable[[TestClient, Any, str], Any]


@dataclass
class Fresh:
    committee: int
    meeting: int
    item: int


def _headers(world: Any, who: str) -> dict[str, str]:
    return {} if who == "anon" else world[who].headers


def _caller(world: Any, who: str) -> Any:
    with db.transaction() as session:
        return caller_of(session.get_one(User, world[who].user_id))


def fresh(world: Any, *, held: bool = False) -> Fresh:
    """A committee with its members and a meeting (planned, or held) with an item and a minutes section."""
    now = db.utcnow()
    host, partner, secretariat = (_caller(world, w) for w in ("admin", "embassy_admin", "analyst"))
    with db.transaction() as session:
        c = committees.create_committee(
            session, caller=host, data=s.CommitteeCreate(name=f"Matrix committee {next(_N)}"), now=now
        )
        for name, role in SEATS.items():
            data = s.MemberAdd(user_id=world[name].user_id, role=s.Role(role))
            admin = partner if name in PARTNER else host
            committees.add_member(session, caller=admin, committee_id=c.id, data=data, now=now)
        when = s.MeetingCreate(title="Session", starts_at=now, timezone="Asia/Karachi")
        m = meetings.create_meeting(session, caller=secretariat, committee_id=c.id, data=when, now=now)
        item = meetings.add_agenda_item(
            session, caller=secretariat, meeting_id=m.id, data=s.AgendaItemCreate(title="Cordon"), now=now
        )
        minutes.write_section(
            session, caller=secretariat, meeting_id=m.id, data=s.SectionWrite(text="Noted."), now=now
        )
        if held:
            session.get_one(Meeting, m.id).status = "held"
        return Fresh(c.id, m.id, item.id)


def _own_user(world: Any, who: str) -> int:
    """A user of the caller's own organisation who does not sit on the committee yet."""
    if who in HOST:
        return int(world["auditor"].user_id)
    if who in PARTNER:
        return int(world["embassy_admin"].user_id)
    return int(world[who].user_id) if who != "anon" else int(world["auditor"].user_id)


def _own_member(world: Any, who: str) -> int:
    """A member of the caller's own party (the duty officer for the host, the liaison for the partner)."""
    return int(world["liaison" if who in PARTNER else "duty"].user_id)


def _on(
    method: str, tail: str, body: Callable[[Any, str, Fresh], Any] | Any = None, at: str = "meeting"
) -> Run:
    def run(client: TestClient, world: Any, who: str) -> Any:
        f = fresh(world)
        payload = body(world, who, f) if callable(body) else body
        base = (
            f"/api/v1/committees/meetings/{f.meeting}"
            if at == "meeting"
            else f"/api/v1/committees/{f.committee}"
        )
        url = base + tail.format(item=f.item, member=_own_member(world, who))
        return client.request(method, url, json=payload, headers=_headers(world, who))

    return run


def _sign(client: TestClient, world: Any, who: str) -> Any:
    """Sign with a key of the caller's own, stored directly (only administrators register keys)."""
    f = fresh(world, held=True)
    pem, public = keys.generate_pem()
    if who != "anon":
        with db.transaction() as session:
            user = session.get_one(User, world[who].user_id)
            session.add(
                SigningKey(
                    user_id=user.id, organization_id=user.organization_id, public_key=public.hex(),
                    fingerprint=keys.fingerprint(public), label="matrix", created_at=db.utcnow(),
                )
            )  # fmt: skip
    with db.transaction() as session:
        meeting = session.get_one(Meeting, f.meeting)
        digest = minutes.standing(session, meeting).current_hash
    signature = keys.load_private_pem(pem).sign(minutes_signing.signing_message(digest)).hex()
    body = {"minutes_hash": digest, "public_key": public.hex(), "signature": signature}
    return client.post(
        f"/api/v1/committees/meetings/{f.meeting}/minutes/sign", json=body, headers=_headers(world, who)
    )


def _register_key(client: TestClient, world: Any, who: str) -> Any:
    fresh(world)  # the liaison chairs it for the partner
    body = {"public_key": keys.generate_pem()[1].hex(), "label": "minutes"}
    return client.post("/api/v1/committees/signing-keys", json=body, headers=_headers(world, who))


def _create(client: TestClient, world: Any, who: str) -> Any:
    body = {"name": f"Committee {next(_N)}"}
    return client.post("/api/v1/committees", json=body, headers=_headers(world, who))


def _revise(client: TestClient, world: Any, who: str) -> Any:
    """Signed minutes (the host's signature stored directly) reopened as a new revision."""
    f = fresh(world, held=True)
    with db.transaction() as session:
        meeting = session.get_one(Meeting, f.meeting)
        digest = minutes.standing(session, meeting).current_hash
        host = session.get_one(User, world["admin"].user_id)
        key = SigningKey(
            user_id=host.id, organization_id=host.organization_id, public_key=keys.generate_pem()[1].hex(),
            fingerprint="0" * 16, label="matrix", created_at=db.utcnow(),
        )  # fmt: skip
        session.add(key)
        session.flush()
        session.add(
            MinutesApproval(
                meeting_id=f.meeting, revision=1, party="host", organization_id=host.organization_id,
                user_id=host.id, key_id=key.id, minutes_hash=digest, public_key=key.public_key,
                signature="00" * 64, at=db.utcnow(),
            )
        )  # fmt: skip
    body = {"reason": "a name was misspelt"}
    return client.post(
        f"/api/v1/committees/meetings/{f.meeting}/minutes/revise", json=body, headers=_headers(world, who)
    )


M = "/api/v1/committees/meetings/{meeting_id}"
C = "/api/v1/committees/{committee_id}"
OUTCOME = {"kind": "decision", "text": "Checks at the outer ring every hour."}
# route -> (policy entry, request)
REQUESTS: dict[str, tuple[str, Run]] = {
    "GET /api/v1/committees": (
        "signed_in",
        lambda c, w, who: c.get("/api/v1/committees", headers=_headers(w, who)),
    ),
    "POST /api/v1/committees": ("committee.create", _create),
    "POST /api/v1/committees/signing-keys": ("committee.keys", _register_key),
    f"GET {C}": ("committee.read", _on("GET", "", at="committee")),
    f"POST {C}/members": (
        "committee.members",
        _on("POST", "/members", lambda w, who, f: {"user_id": _own_user(w, who)}, at="committee"),
    ),
    f"DELETE {C}/members/{{user_id}}": (
        "committee.members",
        _on("DELETE", "/members/{member}", at="committee"),
    ),
    f"GET {C}/meetings": ("committee.read", _on("GET", "/meetings", at="committee")),
    f"POST {C}/meetings": (
        "committee.keep",
        _on("POST", "/meetings", {"title": "Next", "starts_at": "2026-12-01T10:00:00+05:00"}, at="committee"),
    ),
    f"GET {M}": ("committee.read", _on("GET", "")),
    f"GET {M}/pack": ("committee.read", _on("GET", "/pack")),
    f"POST {M}/status": ("committee.keep", _on("POST", "/status", {"status": "held"})),
    f"POST {M}/agenda": ("committee.keep", _on("POST", "/agenda", {"title": "Airport"})),
    f"POST {M}/attendance": ("committee.keep", _on("POST", "/attendance", {"guest_name": "A. Guest"})),
    f"POST {M}/minutes": ("committee.keep", _on("POST", "/minutes", {"text": "More."})),
    f"POST {M}/minutes/sign": ("committee.sign", _sign),
    f"POST {M}/minutes/revise": ("committee.keep", _revise),
    f"POST {M}/agenda/{{item_id}}/outcomes": (
        "committee.keep",
        _on("POST", "/agenda/{item}/outcomes", OUTCOME),
    ),
    f"POST {M}/agenda/{{item_id}}/comments": (
        "committee.comment",
        _on("POST", "/agenda/{item}/comments", {"text": "Agreed."}),
    ),
}


def as_matrix_requests(request_type: Callable[[Run], Any]) -> dict[str, tuple[str, Any]]:
    """The requests in another matrix's shape (``request_type`` adapts a run to its signature)."""
    return {route: (entry, request_type(run)) for route, (entry, run) in REQUESTS.items()}
