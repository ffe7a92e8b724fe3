"""Stored protocols on the test world: an embassy administrator, signing keys, an agreed default protocol."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib.resources import files
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from outrider import db
from outrider.access.policy import Caller
from outrider.accounts.models import Organization, User
from outrider.http import caller_of
from outrider.protocols import keys, service, signing_keys
from outrider.protocols.loader import load_protocol

DEFAULT_TEXT = files("outrider.protocols").joinpath("data/default.yaml").read_text("utf-8")
NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
ROUTE = {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.20, 24.88], [67.35, 24.78]]}


def caller(username: str) -> Caller:
    """The policy's view of a stored user."""
    with db.transaction() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None, username
        return caller_of(user)


def add_user(world: Any, username: str, org_key: str, roles: list[str]) -> Caller:
    """Another user of the world (the world has no embassy administrator)."""
    with db.transaction() as session:
        shared = session.scalar(select(User.password_hash).limit(1))
        session.add(
            User(
                username=username,
                full_name=username,
                organization_id=world.orgs[org_key],
                roles=roles,
                password_hash=shared,
                is_active=True,
                created_at=NOW,
            )
        )
    return caller(username)


def with_version(text: str, version: int, **changes: str) -> str:
    """The default text as another version (and other top-level values)."""
    out = text.replace("version: 1\n", f"version: {version}\n", 1)
    for key, value in changes.items():
        lines = [ln for ln in out.splitlines() if not ln.startswith(f"{key}:")]
        index = next(i for i, ln in enumerate(lines) if ln.startswith("applies_to:"))
        lines.insert(index, f"{key}: {value}")
        out = "\n".join(lines) + "\n"
    return out


class Signer:
    """A party administrator with a registered key."""

    def __init__(self, who: Caller) -> None:
        self.caller = who
        pem, public = keys.generate_pem()
        self.key = keys.load_private_pem(pem)
        self.public = public
        with db.transaction() as session:
            signing_keys.register_key(session, caller=who, public_key=public, label="test", now=NOW)

    def sign(self, protocol_id: str, version: int, document_hash: str, *, now: datetime = NOW) -> str:
        signature = keys.sign_document(self.key, document_hash)
        with db.transaction() as session:
            row = service.sign_version(
                session,
                caller=self.caller,
                protocol_id=protocol_id,
                version=version,
                document_hash=document_hash,
                public_key=self.public,
                signature=signature,
                party=None,
                now=now,
            )
            return row.state


def signers(world: Any) -> tuple[Signer, Signer]:
    """The host administrator and a new embassy administrator, each with a key."""
    return Signer(caller("admin")), Signer(add_user(world, "emb_admin", "embassy", ["admin"]))


def agree(world: Any, text: str = DEFAULT_TEXT, pair: tuple[Signer, Signer] | None = None) -> int:
    """Load, propose and sign a protocol by both parties; returns the version's row id."""
    host, embassy = pair or signers(world)
    loaded = load_protocol(text)
    doc = loaded.document
    with db.transaction() as session:
        row = service.load_version(session, caller=host.caller, text=text, parties={}, now=NOW)
        service.propose_version(session, caller=host.caller, protocol_id=doc.id, version=doc.version, now=NOW)
        row_id = row.id
    host.sign(doc.id, doc.version, loaded.hash)
    assert embassy.sign(doc.id, doc.version, loaded.hash) == "agreed"
    return row_id


def org_id(name_kind: str) -> int:
    with db.transaction() as session:
        found = session.scalar(select(Organization.id).where(Organization.kind == name_kind))
        assert found is not None
        return found


def scene(
    client: TestClient,
    world: Any,
    *,
    departure: datetime | None = None,
    escort: bool = False,
    submit: bool = True,
    nationality: str = "CN",
    tag: str = "",
) -> dict[str, Any]:
    """A movement of acme carrying one person (a CN national: the embassy approves too)."""
    h = {k: world[k].headers for k in ("coord", "duty")}

    def post(path: str, body: dict[str, Any], who: str) -> dict[str, Any]:
        resp = client.post(f"/api/v1/{path}", json=body, headers=h[who])
        assert resp.status_code in (200, 201), resp.text
        out: dict[str, Any] = resp.json()
        return out

    person = post("persons", {"name": f"Engineer {tag}", "nationality": nationality}, "coord")
    car = post("vehicles", {"plate": f"ACM-{tag}-{id(person)}", "kind": "armoured", "seats": 4}, "coord")
    escort_car = post(
        "vehicles", {"plate": f"ESC-{tag}-{id(person)}", "kind": "soft_skin", "seats": 4}, "duty"
    )
    unit = post(
        "escort-units",
        {"call_sign": f"F-{tag}-{id(person)}", "strength": 4, "vehicle_ids": [escort_car["id"]]},
        "duty",
    )
    dep = departure or (datetime.now(UTC) + timedelta(days=2)).replace(
        hour=4, minute=0, second=0, microsecond=0
    )
    movement = post(
        "movements",
        {
            "origin": {"lat": 24.9065, "lon": 67.1608, "label": "Airport road"},
            "destination": {"lat": 24.78, "lon": 67.35, "label": "Plant"},
            "route": ROUTE,
            "planned_departure": dep.isoformat(),
            "planned_arrival": (dep + timedelta(hours=1)).isoformat(),
            "person_ids": [person["id"]],
            "vehicle_ids": [car["id"]],
            "checkin_interval_min": 30,
        },
        "coord",
    )
    if escort:
        post(f"movements/{movement['id']}/escort", {"unit_ids": [unit["id"]]}, "duty")
    if submit:
        post(f"movements/{movement['id']}/submit", {}, "coord")
    return {"movement": movement["id"], "unit": unit["id"], "departure": dep}
