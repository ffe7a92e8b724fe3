"""The users of the test world: every role of every organisation (host security, the partner embassy, two
companies, an organisation party to nothing), apart from conftest.py so a test module can import them; and
the world they live in (`build_world`, the `world` fixture's), for a module that builds it once."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from outrider import db

WORLD_USERS = {
    "admin": ("host", ["admin"]),
    "duty": ("host", ["duty_officer"]),
    "analyst": ("host", ["analyst"]),
    "auditor": ("host", ["auditor"]),
    "liaison": ("embassy", ["liaison"]),
    "embassy_admin": ("embassy", ["admin"]),
    "coord": ("acme", ["coordinator"]),
    "acme_admin": ("acme", ["admin"]),
    "other_coord": ("other", ["coordinator"]),
}


@dataclass
class Actor:
    """A user of the test world with a bearer token."""

    user_id: int
    username: str
    organization_id: int
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class World:
    """Organisations and users with tokens, on the test's engine."""

    orgs: dict[str, int]
    actors: dict[str, Actor]

    def __getitem__(self, key: str) -> Actor:
        return self.actors[key]


# org key -> (name, kind, country); user key -> (org key, roles)
WORLD_ORGS = {
    "host": ("Host Protection Unit", "host_security", "PK"),
    "embassy": ("Partner Embassy", "partner_government", "CN"),
    "acme": ("Acme Hydro", "company", "CN"),
    "other": ("Other Builders", "company", "TR"),
}


@functools.cache
def _shared_password_hash() -> str:
    from outrider.accounts import passwords

    return passwords.hash_password("correct horse battery staple")


def build_world() -> World:
    """The `world` fixture's world, on the application's engine (for a module that builds it once)."""
    from datetime import UTC, datetime

    from outrider.accounts import service
    from outrider.accounts.models import User
    from outrider.accounts.schemas import OrganizationCreate, OrgKind, TokenCreate

    now = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    orgs: dict[str, int] = {}
    actors: dict[str, Actor] = {}
    with db.transaction() as session:
        for key, (name, kind, country) in WORLD_ORGS.items():
            org = service.create_organization(
                session, data=OrganizationCreate(name=name, kind=OrgKind(kind), country=country), now=now
            )
            orgs[key] = org.id
        # Users are added directly with one hash shared by all and by every test.
        shared_hash = _shared_password_hash()
        for username, (org_key, roles) in WORLD_USERS.items():
            user = User(
                username=username,
                full_name=username,
                organization_id=orgs[org_key],
                roles=roles,
                password_hash=shared_hash,
                is_active=True,
                created_at=now,
            )
            session.add(user)
            session.flush()
            _record, token = service.issue_token(
                session, user=user, data=TokenCreate(name="test", ttl_hours=24 * 365 * 1), now=db.utcnow()
            )
            actors[username] = Actor(user.id, username, orgs[org_key], token)
        # The joint arrangement's founding parties: host security and the partner embassy.
        from outrider.governance import service as governance_service

        governance_service.found(
            session, host_ref=str(orgs["host"]), partner_ref=str(orgs["embassy"]), comment="", now=now
        )
    return World(orgs, actors)
