"""The demo's users on the sign-in page of a development server: who, with which role, in which
organisation of which party (never a password: `make run` and `outrider demo load` print those once)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from outrider.accounts.models import Organization, User
from outrider.db import transaction
from outrider.demo.scenario import USERS
from outrider.settings import Settings


@dataclass(frozen=True)
class DemoUser:
    """A demo user as the sign-in page lists them."""

    username: str
    full_name: str
    roles: tuple[str, ...]
    organization: str
    party: str  # the organisation's kind (host_security, partner_government, company, other)


def listed(settings: Settings) -> list[DemoUser]:
    """The demo's users present and active in the database, in the demo's order; none outside development."""
    if settings.env != "development":
        return []
    order = {username: i for i, (username, *_rest) in enumerate(USERS)}
    with transaction() as session:
        rows = session.execute(
            select(User.username, User.full_name, User.roles, Organization.name, Organization.kind)
            .join(Organization, Organization.id == User.organization_id)
            .where(User.username.in_(list(order)), User.is_active.is_(True))
        ).all()
    users = [DemoUser(u, full, tuple(roles or ()), org, kind) for u, full, roles, org, kind in rows]
    return sorted(users, key=lambda x: order[x.username])
