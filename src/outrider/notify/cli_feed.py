"""`outrider notify feed-keys`: the keys that read an organisation's CAP feed (its administrators only)."""

from __future__ import annotations

from typing import Annotated

import typer

from outrider.console import AsOpt, JsonOpt, emit, friendly, out, print_table, session_as
from outrider.db import utcnow
from outrider.notify import feed_keys
from outrider.notify.feed_keys import FEED_PATH, FeedKeyRead

feed_keys_app = typer.Typer(
    help="Keys of the CAP 1.2 Atom feed (GET /api/v1/alerts/cap.atom?key=...): create, list, revoke.",
    no_args_is_help=True,
)

OrgOpt = Annotated[int | None, typer.Option("--org", help="organisation id (default: your own)")]


@feed_keys_app.command("create")
@friendly
def create_cmd(
    name: Annotated[str, typer.Argument(help="what reads with it, e.g. 'operations centre wall'")],
    org: OrgOpt = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Create a key; it is shown this once (the server keeps a digest of it)."""
    with session_as(as_user) as (session, caller):
        row, key = feed_keys.create_key(session, caller=caller, name=name, now=utcnow(), organization_id=org)
        item = FeedKeyRead.model_validate(row)
    result = {**item.model_dump(mode="json"), "key": key}

    def human() -> None:
        out.print(f"feed key {item.id} ({item.name}) created; it is shown this once:", highlight=False)
        out.print(key, highlight=False, soft_wrap=True)
        out.print(f"read the feed at {FEED_PATH}?key=<key>", highlight=False)

    emit(result, as_json, human)


@feed_keys_app.command("list")
@friendly
def list_cmd(org: OrgOpt = None, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """Your organisation's feed keys, revoked ones too (never their values)."""
    with session_as(as_user) as (session, caller):
        items = [
            FeedKeyRead.model_validate(r)
            for r in feed_keys.list_keys(session, caller=caller, organization_id=org)
        ]
    columns = ["id", "name", "prefix", "created_at", "revoked_at", "last_used_at"]
    emit(items, as_json, lambda: print_table(items, columns, f"Feed keys ({len(items)})"))


@feed_keys_app.command("revoke")
@friendly
def revoke_cmd(key_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """Revoke a key at once: the next read with it is refused."""
    with session_as(as_user) as (session, caller):
        item = FeedKeyRead.model_validate(
            feed_keys.revoke_key(session, caller=caller, key_id=key_id, now=utcnow())
        )
    emit(item, as_json, f"feed key {item.id} ({item.name}) revoked")
