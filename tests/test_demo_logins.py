"""`outrider demo load` prints each demo login with its role, organisation and party; the README says who."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from typer.testing import CliRunner

from outrider.cli import app
from outrider.settings import get_settings

runner = CliRunner()
README = Path(__file__).resolve().parents[1] / "README.md"
ORGS = {
    "host": ("Special Protection Unit (Sindh-KP Corridor)", "host_security", "host security"),
    "embassy": ("Partner Embassy, Islamabad", "partner_government", "partner government"),
    "company": ("Indus Gorge Hydro Construction Co.", "company", "company"),
}
# who the demo has, as the README tells it: two admins (one per founding party), two duty officers
EXPECTED = {
    "admin": ("admin", "host"),
    "envoy": ("admin", "embassy"),
    "coordinator": ("coordinator", "company"),
    "duty": ("duty_officer", "host"),
    "duty2": ("duty_officer", "host"),
    "liaison": ("liaison", "embassy"),
    "analyst": ("analyst", "host"),
    "auditor": ("auditor", "host"),
}


def _run(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def _table(output: str) -> dict[str, list[str]]:
    """The printed logins: user -> [password, role, party, organisation]."""
    lines = output.split("Demo logins:", 1)[1].strip().splitlines()
    assert re.split(r"\s{2,}", lines[0].strip()) == ["user", "password", "role", "party", "organisation"]
    rows = [re.split(r"\s{2,}", ln.strip()) for ln in lines[1:]]
    return {r[0]: r[1:] for r in rows}


def test_the_printed_logins_name_role_organisation_and_party_and_the_file_agrees(engine: Engine) -> None:
    printed = _table(_run("demo", "load").stdout)
    assert set(printed) == set(EXPECTED)
    saved = {u["username"]: u for u in json.loads((get_settings().data_dir / "demo-logins.json").read_text())}
    for user, (role, org_key) in EXPECTED.items():
        name, kind, words = ORGS[org_key]
        assert printed[user][1:] == [role, words, name], (user, printed[user])
        assert saved[user]["password"] == printed[user][0]
        assert (saved[user]["role"], saved[user]["organization"], saved[user]["party"]) == (role, name, kind)
    # a second `make run` shows the same table again, the party included
    again = _table(_run("demo", "load", "--if-empty").stdout)
    assert again == printed
    # logins saved by an older demo, without the party, are shown with it (from the organisations)
    path = get_settings().data_dir / "demo-logins.json"
    path.write_text(json.dumps([{k: v for k, v in u.items() if k != "party"} for u in saved.values()]))
    as_json = json.loads(_run("demo", "load", "--if-empty", "--json").stdout)["users"]
    assert {u["username"]: u["party"] for u in as_json} == {u: ORGS[o][1] for u, (_, o) in EXPECTED.items()}


def test_the_readme_says_which_roles_have_two_demo_users() -> None:
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert "one user per role" not in text
    by_role: dict[str, list[str]] = {}
    for user, (role, _) in EXPECTED.items():
        by_role.setdefault(role, []).append(user)
    twice = sorted(r for r, users in by_role.items() if len(users) == 2)
    assert twice == ["admin", "duty_officer"] and all(len(u) <= 2 for u in by_role.values())
    assert "Every role has a user; two roles have two" in text
    for user in ("admin", "envoy", "duty", "duty2"):
        assert f"`{user}`" in text


def test_the_expected_demo_users_are_the_scenario_s() -> None:
    from outrider.accounts.schemas import Role
    from outrider.demo import scenario

    assert {u: (r, o) for u, _, o, r in scenario.USERS} == {
        u: (r, {"host": "spu", "embassy": "embassy", "company": "hydro"}[o]) for u, (r, o) in EXPECTED.items()
    }
    assert {r for r, _ in EXPECTED.values()} == {r.value for r in Role}  # every role has a user
