"""`outrider demo load`: the demo corridor, its users named with their role, organisation and party."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from outrider.console import JsonOpt, emit, friendly, out
from outrider.db import transaction, utcnow
from outrider.demo import service
from outrider.demo.service import DemoLogin
from outrider.settings import get_settings

app = typer.Typer(help="The demo scenario.", no_args_is_help=True)

LOGINS_FILE = "demo-logins.json"


def _logins_path() -> Path:
    return get_settings().data_dir / LOGINS_FILE


def _save(logins: list[DemoLogin]) -> None:
    # Demo passwords are kept readable by the owner only, so that `make run` can show them again.
    path = _logins_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump([x.model_dump() for x in logins], fh, indent=2)


def _saved() -> list[DemoLogin] | None:
    path = _logins_path()
    if not path.is_file():
        return None
    try:
        return [DemoLogin.model_validate(x) for x in json.loads(path.read_text(encoding="utf-8"))]
    except (ValueError, TypeError):
        return None


def print_logins(logins: list[DemoLogin]) -> None:
    """The demo logins as a short table on stdout: user, password, role, party, organisation."""
    out.print("Demo logins:")
    rows = [("user", "password", "role", "party", "organisation")]
    rows += [(x.username, x.password, x.role, x.party_words, x.organization) for x in logins]
    for user, password, role, party, org in rows:
        line = f"  {user:<12} {password:<22} {role:<13} {party:<19} {org}"
        out.print(line, highlight=False, soft_wrap=True)


@app.command("load")
@friendly
def load(
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="do nothing (and show the saved logins) when data exists")
    ] = False,
    as_json: bool = JsonOpt,
) -> None:
    """Load the demo corridor into an empty database and print the generated logins once."""
    with transaction() as session:
        if if_empty and not service.is_empty(session):
            saved = _saved()
            saved = service.with_parties(session, saved) if saved else saved

            def again() -> None:
                if saved:
                    out.print("The database already holds data; the demo was not loaded again.")
                    print_logins(saved)
                else:
                    out.print("The database already holds data; the demo was not loaded.")

            emit({"users": saved or [], "loaded": False}, as_json, again)
            return
        logins = service.load_demo(session, now=utcnow())
    _save(logins)

    def loaded() -> None:
        out.print(
            "Loaded the demo corridor: 4 organisations, 7 sites, 30 protected persons, 5 escort units, "
            "7 movements (one overdue)."
        )
        print_logins(logins)

    emit({"users": logins, "loaded": True}, as_json, loaded)


@app.command("protocol")
@friendly
def protocol(
    if_absent: Annotated[
        bool, typer.Option("--if-absent", help="do nothing when a protocol is already stored")
    ] = False,
    as_json: bool = JsonOpt,
) -> None:
    """Agree the default protocol between the demo's parties and check the demo's movements against it."""
    from outrider.demo import protocols as demo_protocols  # the protocol engine and risk kernels: on use

    with transaction() as session:
        if if_absent and demo_protocols.has_protocol(session):
            emit({"agreed": False}, as_json, "A protocol is already stored; nothing to do.")
            return
        done = demo_protocols.agree_and_check(session, now=utcnow())
    emit(
        {"agreed": True, **asdict(done)},
        as_json,
        lambda: out.print(
            f"{done.protocol_id} version {done.version} agreed by both parties "
            f"(sha256 {done.document_hash}); {done.evaluations} evaluations of the demo movements, "
            f"{done.failed} with a blocking failure.",
            highlight=False,
        ),
    )
