"""`outrider notify contacts|rosters|policies|endpoints`: JSON for scripts, one line and exit code 1 for what
the services refuse, 2 for what the command line lacks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from typing import Any as World  # the suite's `world` fixture (tests/conftest.py)

from sqlalchemy import select
from typer.testing import CliRunner

from outrider import db
from outrider.cli import app
from outrider.notify.models import Notification

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, ["notify", *args])


def ok(*args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_directory_commands(world: World, tmp_path: Path) -> None:
    point = ok("contacts", "add", "email", "duty@example.org", "--as", "duty")
    with db.transaction() as session:
        code = session.scalars(select(Notification.body).where(Notification.purpose == "verify")).one()[
            "code"
        ]
    wrong = run(
        "contacts", "verify", str(point["id"]), "000000" if code != "000000" else "111111", "--as", "duty"
    )
    assert wrong.exit_code == 1 and "wrong code (4 tries left)" in wrong.output
    assert ok("contacts", "verify", str(point["id"]), code, "--as", "duty")["verified_at"]
    assert [p["address"] for p in ok("contacts", "list", "--as", "duty")] == ["duty@example.org"]
    assert run("contacts", "add", "fax", "123", "--as", "duty").exit_code == 2

    roster = ok("rosters", "create", "Host duty officers", "--timezone", "Asia/Karachi", "--as", "admin")
    rid = str(roster["id"])
    refused = run("rosters", "create", "Desk", "--timezone", "UTC", "--as", "coord")
    assert refused.exit_code == 1 and "keep its rosters" in refused.output
    night = ok(
        "rosters",
        "add-shift",
        rid,
        "--user",
        "duty",
        "--weekdays",
        "1,2,3,4,5,6,7",
        "--start",
        "22:00",
        "--end",
        "06:00",
        "--as",
        "admin",
    )
    assert night["start_time"] == "22:00:00"
    ok(
        "rosters",
        "add-shift",
        rid,
        "--user",
        "admin",
        "--rank",
        "backup",
        "--starts-at",
        "2026-12-06T20:00:00+05:00",
        "--ends-at",
        "2026-12-07T08:00:00+05:00",
        "--as",
        "admin",
    )
    duty = ok("rosters", "on-duty", rid, "--at", "2026-12-06T23:00:00+05:00", "--as", "duty")
    assert [(p["username"], p["rank"]) for p in duty["on_duty"]] == [("duty", "primary"), ("admin", "backup")]
    assert run("rosters", "on-duty", rid, "--at", "tomorrow", "--as", "duty").exit_code == 2
    assert (
        run("rosters", "show", rid, "--as", "other_coord").exit_code == 1
    )  # not found for another organisation
    assert len(ok("rosters", "show", rid, "--as", "duty")["shifts"]) == 2

    steps = tmp_path / "steps.json"
    steps.write_text(
        json.dumps(
            [{"after_minutes": 0, "channels": ["email"], "targets": [{"roster": "Host duty officers"}]}]
        )
    )
    made = ok(
        "policies", "create", "Cordon", "--steps", str(steps), "--kinds", "cordon_dwell", "--as", "admin"
    )
    assert (made["version"], made["kinds"]) == (1, ["cordon_dwell"])
    steps.write_text(
        json.dumps([{"after_minutes": 5, "channels": ["email"], "targets": []}, {"after_minutes": 1}])
    )
    bad = run("policies", "create", "Cordon", "--steps", str(steps), "--as", "admin")
    assert bad.exit_code == 1 and "invalid" in bad.output
    assert [p["name"] for p in ok("policies", "list", "--as", "duty")] == ["Cordon"]
    assert ok("policies", "show", str(made["id"]), "--as", "duty")["steps"][0]["targets"] == [
        {"roster": "Host duty officers"}
    ]

    assert ok("policies", "deactivate", str(made["id"]), "--as", "admin")["active"] is False
    hook = ok("endpoints", "create", "ops", "https://hooks.example.org/in", "--as", "admin")
    assert hook["secret"].startswith("whsec_")
    assert "secret" not in ok("endpoints", "list", "--as", "duty")[0]
    assert run("endpoints", "create", "ops", "ftp://x.example.org", "--as", "admin").exit_code == 1
    assert ok("endpoints", "revoke", str(hook["id"]), "--as", "admin")["active"] is False
