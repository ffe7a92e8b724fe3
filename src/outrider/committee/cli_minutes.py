"""`outrider committee keygen | sign | pack`: a chair's key, the minutes signed on the signer's machine, and
the meeting pack or minutes as JSON, HTML or PDF (headings in English, Chinese or Urdu)."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from outrider.committee import committees, minutes, minutes_signing, pack, reading
from outrider.committee.pack_html import Document, to_html
from outrider.console import AsOpt, JsonOpt, emit, fail, friendly, out, print_json, session_as
from outrider.db import utcnow
from outrider.languages import LANGUAGES
from outrider.protocols import keys
from outrider.protocols.schemas import KeyRead

app = typer.Typer()
MeetingArg = Annotated[int, typer.Argument(help="the meeting", min=1, max=2**31 - 1)]


@app.command("keygen")
@friendly
def keygen(
    output: Annotated[Path, typer.Option("--out", help="where to write the private key (PEM, mode 600)")],
    label: Annotated[str, typer.Option(help="a name for the key")] = "minutes",
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Make your key to sign minutes (a committee's chair; administrators may use `protocols keygen`):
    the private key goes to a file only you read (OUTRIDER_KEY_PASSPHRASE encrypts it), the public key
    is registered."""
    if output.exists():
        raise fail(f"{output} exists; refusing to overwrite a key", code=2)
    pem, public = keys.generate_pem(keys.passphrase_from_env())
    with os.fdopen(os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as fh:
        fh.write(pem)
    try:
        with session_as(as_user) as (session, caller):
            row = committees.register_signing_key(
                session, caller=caller, public_key=public, label=label, now=utcnow()
            )
            read = KeyRead.model_validate(row)
    except BaseException:
        output.unlink(missing_ok=True)  # a key that could not be registered is of no use
        raise
    emit(
        {"key": read, "file": str(output)},
        as_json,
        f"key {read.fingerprint} registered; private key in {output}",
    )


@app.command("sign")
@friendly
def sign(
    meeting_id: MeetingArg,
    key: Annotated[Path, typer.Option("--key", help="your private key file (PEM; OUTRIDER_KEY_PASSPHRASE)")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Sign the minutes' hash for your party with your own key; both parties' signatures approve them."""
    private = keys.read_private_key(key)
    public = keys.public_raw(private)
    with session_as(as_user) as (session, caller):
        shown = reading.minutes_for(session, caller, meeting_id, utcnow()).minutes_hash
        signature = private.sign(minutes_signing.signing_message(shown))
        row = minutes.sign(
            session,
            caller=caller,
            meeting_id=meeting_id,
            minutes_hash=shown,
            public_key=public.hex(),
            signature=signature.hex(),
            now=utcnow(),
        )
        read = reading.minutes_for(session, caller, meeting_id, utcnow())
        party = row.party
    emit(
        read,
        as_json,
        f"signed for the {party} party: {shown}" + ("; the minutes are approved" if read.approved else ""),
    )


@app.command("pack")
@friendly
def pack_(
    meeting_id: MeetingArg,
    format_: Annotated[str, typer.Option("--format", help="json, html or pdf")] = "json",
    lang: Annotated[str, typer.Option(help="headings in en, zh-Hans or ur")] = "en",
    document: Annotated[Document, typer.Option(help="the pack, or the minutes")] = Document.pack,
    output: Annotated[
        Path | None, typer.Option("--out", help="write to this file (a PDF must go to a file)")
    ] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """The meeting's pack (agenda, follow-up of commitments) or its minutes (JSON unless --format)."""
    format_ = "json" if as_json else format_
    if format_ not in ("json", "html", "pdf") or lang not in LANGUAGES:
        raise fail("--format is json, html or pdf; --lang is en, zh-Hans or ur", code=2)
    if format_ == "pdf" and output is None:
        raise fail("--out FILE: a PDF is written to a file", code=2)
    with session_as(as_user) as (session, caller):
        data = pack.build_pack(session, caller=caller, meeting_id=meeting_id)
    if format_ == "json":
        body = {**dataclasses.asdict(data), "overdue": [c.id for c in data.overdue]}
        if output is None:
            print_json(body)
            return
        output.write_text(json.dumps(body, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    elif format_ == "html":
        html = to_html(data, document=document, lang=lang)
        if output is None:
            sys.stdout.write(html)
            return
        output.write_text(html, encoding="utf-8")
    else:
        from outrider.committee.pack_pdf import to_pdf  # fpdf and its fonts: only when a PDF is asked for

        assert output is not None
        output.write_bytes(to_pdf(data, document=document, lang=lang))
    out.print(f"{document.value} of meeting {data.number} written to {output}", highlight=False)
