"""docs/governance.md's "Accounts: who can do what" table agrees with the policy and the services."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.access.routes import ROUTES
from outrider.accounts import desk

DOC = Path(__file__).resolve().parents[2] / "docs" / "governance.md"
OWN, OTHER = 1, 2
SELF_ROUTES = [
    "POST /api/v1/me/password",
    "POST /api/v1/me/totp",
    "POST /api/v1/me/totp/confirm",
    "POST /api/v1/me/totp/disable",
    "POST /api/v1/me/recovery-codes",
    "DELETE /api/v1/me/tokens/{token_id}",
]


def _caller(kind: str, role: str) -> Caller:
    return Caller(user_id=10, organization_id=OWN, org_kind=kind, country="PK", roles=frozenset({role}))


COLUMNS = {
    "host admin": _caller("host_security", "admin"),
    "host duty officer": _caller("host_security", "duty_officer"),
    "company admin": _caller("company", "admin"),
    "company coordinator": _caller("company", "coordinator"),
    "partner admin": _caller("partner_government", "admin"),
    "partner liaison": _caller("partner_government", "liaison"),
    "auditor": _caller("host_security", "auditor"),
}
ACTIONS: dict[str, Callable[[Caller], bool]] = {
    # the /me routes act on the signed-in user only, and are open to every signed-in user
    "change their own password, second factor, recovery codes and sessions": lambda c: all(
        ROUTES[r] == "signed_in" for r in SELF_ROUTES
    ),
    "reset the password of, deactivate, edit the roles of, or end the sessions of another user of their "
    "organisation": lambda c: policy.may_manage_user(c, organization_id=OWN, user_id=11),
    "do any of that to a user of another organisation": lambda c: policy.may_manage_user(
        c, organization_id=OTHER, user_id=11
    ),
    "do any of that to themselves": lambda c: policy.may_manage_user(
        c, organization_id=OWN, user_id=c.user_id
    ),
    "require a second factor of their organisation's users": lambda c: policy.may_add_user(
        c, organization_id=OWN
    ),
    "grant or withdraw the auditor role by editing roles": lambda c: "auditor" not in desk.GOVERNED_ROLES,
}


def _table() -> tuple[list[str], dict[str, list[str]]]:
    section = DOC.read_text(encoding="utf-8").split("## Accounts: who can do what", 1)[1].split("\n## ", 1)[0]
    lines = [ln.strip() for ln in section.splitlines() if ln.strip().startswith("|")]
    cells = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines]
    return cells[0][1:], {r[0]: r[1:] for r in cells[2:]}


def test_the_accounts_table_matches_the_policy() -> None:
    columns, rows = _table()
    assert columns == list(COLUMNS)
    assert set(rows) == set(ACTIONS)
    wrong = [
        f"{action} / {column}: doc says {cell}"
        for action, cells in rows.items()
        for column, cell in zip(columns, cells, strict=True)
        if ACTIONS[action](COLUMNS[column]) is not (cell == "yes")
    ]
    assert not wrong, wrong
