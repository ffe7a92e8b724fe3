"""The account commands of an administrator (``--as``): the same decisions as the API, JSON output, one
line and exit code 1 on a refusal; every change audited (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from typer.testing import CliRunner

from outrider import db
from outrider.accounts.models import Organization, PasswordReset, User
from outrider.audit.models import AuditRecord
from outrider.cli import app

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def test_deactivate_and_reactivate(world: Any) -> None:
    out = run("users", "deactivate", "duty", "--as", "admin", "--json")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["is_active"] is False
    assert run("users", "reactivate", "duty", "--as", "admin").exit_code == 0
    with db.transaction() as session:
        assert session.get_one(User, world["duty"].user_id).is_active is True
        actions = session.scalars(
            select(AuditRecord.action).where(AuditRecord.action.like("accounts.user_%"))
        )
        assert list(actions) == ["accounts.user_deactivated", "accounts.user_reactivated"]


def test_refusals_are_one_line_and_exit_1(world: Any) -> None:
    for args in (
        ("users", "deactivate", "admin", "--as", "admin"),  # themselves
        ("users", "deactivate", "coord", "--as", "admin"),  # another organisation's user
        ("users", "deactivate", "analyst", "--as", "duty"),  # not an administrator
        ("users", "roles", "analyst", "--role", "auditor", "--as", "admin"),  # governance's
    ):
        out = run(*args)
        assert out.exit_code == 1, (args, out.output)
        assert "error:" in out.output and len(out.output.strip().splitlines()) <= 2
    assert run("users", "deactivate", "analyst").exit_code == 2  # who acts must be said


def test_roles_reset_code_sessions_and_revoke(world: Any) -> None:
    roles = run(
        "users", "roles", "analyst", "--role", "analyst", "--role", "duty_officer", "--as", "admin", "--json"
    )
    assert json.loads(roles.stdout)["roles"] == ["analyst", "duty_officer"]
    reset = run("users", "reset", "analyst", "--as", "admin", "--json")
    code = json.loads(reset.stdout)["code"]
    with db.transaction() as session:
        assert code not in session.scalars(select(PasswordReset.code_hash)).all()
        audit = " ".join(str(d) for d in session.scalars(select(AuditRecord.details)))
        assert code not in audit
    sessions = json.loads(run("users", "sessions", "analyst", "--as", "admin", "--json").stdout)
    assert len(sessions) == 1 and "token" not in sessions[0]
    revoked = run("users", "revoke", "analyst", str(sessions[0]["id"]), "--as", "admin", "--json")
    assert revoked.exit_code == 0 and json.loads(revoked.stdout)["revoked"] is True
    own = json.loads(run("users", "sessions", "coord", "--as", "coord", "--json").stdout)
    assert len(own) == 1  # your own, without being an administrator


def test_an_admin_requires_a_second_factor_of_their_organisation(world: Any) -> None:
    out = run("orgs", "require-totp", "Acme Hydro", "--on", "--as", "acme_admin", "--json")
    assert out.exit_code == 0 and json.loads(out.stdout)["require_totp"] is True
    assert run("orgs", "require-totp", "Acme Hydro", "--off", "--as", "admin").exit_code == 1
    with db.transaction() as session:
        assert session.get_one(Organization, world.orgs["acme"]).require_totp is True
    assert run("users", "second-factor-reset", "coord", "--as", "acme_admin").exit_code == 1  # none enrolled


WORLD_USERS = [
    "admin",
    "duty",
    "analyst",
    "auditor",
    "liaison",
    "embassy_admin",
    "coord",
    "acme_admin",
    "other_coord",
]
ON_ANALYST = [
    ("users", "reset", "analyst"),
    ("users", "sessions", "analyst"),
    ("users", "second-factor-reset", "analyst"),  # 1 for the admin too: the analyst has none (checked below)
    ("users", "roles", "analyst", "--role", "analyst", "--role", "duty_officer"),
    ("users", "deactivate", "analyst"),
]


def test_every_user_of_every_organisation_tries_every_command(world: Any) -> None:
    """Only the host's administrator manages the host's analyst; the others exit 1 with one line."""
    for command in ON_ANALYST:
        for who in WORLD_USERS:
            if who == "analyst" and command[1] == "sessions":
                continue  # their own sessions: theirs to list (tested above)
            out = run(*command, "--as", who)
            allowed = who == "admin" and command[1] != "second-factor-reset"
            assert (out.exit_code == 0) is allowed, (command, who, out.output)
            if not allowed:
                assert out.exit_code == 1 and "error:" in out.output
    for who in WORLD_USERS:
        out = run("orgs", "require-totp", "Other Builders", "--on", "--as", who)
        assert out.exit_code == 1, (who, out.output)  # nobody of Other Builders is an administrator
    with db.transaction() as session:
        assert session.get_one(Organization, world.orgs["other"]).require_totp is False
