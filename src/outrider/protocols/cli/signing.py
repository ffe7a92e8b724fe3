"""`outrider protocols keygen | keys | revoke-key`: your Ed25519 signing keys."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from outrider.console import AsOpt, JsonOpt, emit, fail, friendly, print_table, session_as
from outrider.db import utcnow
from outrider.protocols import keys, signing_keys
from outrider.protocols import schemas as s

app = typer.Typer()


@app.command("keygen")
@friendly
def keygen(
    output: Annotated[Path, typer.Option("--out", help="where to write the private key (PEM, mode 600)")],
    label: Annotated[str, typer.Option(help="a name for the key")] = "",
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Make your Ed25519 signing key: the private key goes to a file only you read, the public key is
    registered. Set OUTRIDER_KEY_PASSPHRASE to encrypt the file."""
    if output.exists():
        raise fail(f"{output} exists; refusing to overwrite a key", code=2)
    passphrase = keys.passphrase_from_env()
    pem, public = keys.generate_pem(passphrase)
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    try:
        with session_as(as_user) as (session, caller):
            row = signing_keys.register_key(
                session, caller=caller, public_key=public, label=label, now=utcnow()
            )
            read = s.KeyRead.model_validate(row)
    except BaseException:
        output.unlink(missing_ok=True)  # a key that could not be registered is of no use
        raise
    emit(
        {"key": read, "file": str(output), "encrypted": passphrase is not None},
        as_json,
        f"key {read.fingerprint} registered; private key written to {output}",
    )


@app.command("keys")
@friendly
def list_keys(as_json: bool = JsonOpt, as_user: str | None = AsOpt) -> None:
    """Your registered signing keys."""
    with session_as(as_user) as (session, caller):
        rows = [s.KeyRead.model_validate(k) for k in signing_keys.keys_of(session, caller=caller)]
    emit(rows, as_json, lambda: print_table(rows, ["id", "fingerprint", "label", "created_at", "revoked_at"]))


@app.command("revoke-key")
@friendly
def revoke_key(
    key_id: Annotated[int, typer.Argument(help="signing key id (see `protocols keys`)")],
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Revoke a signing key (yours, or as an administrator one of your organisation's): it signs nothing
    again; the signatures it made stay verifiable."""
    with session_as(as_user) as (session, caller):
        row = signing_keys.revoke_key(session, caller=caller, key_id=key_id, now=utcnow())
        read = s.KeyRead.model_validate(row)
    emit(read, as_json, f"key {read.fingerprint} revoked at {read.revoked_at}")
