"""`outrider protocols`: validate, load, propose, sign and show protocols; signing keys; evaluate
movements; waivers; overrides; the compliance report."""

from __future__ import annotations

import typer

from outrider.protocols.cli import checks, documents, next_step, override, signing, waive

app = typer.Typer(
    help="Protocols as code: validate, load, propose, sign, show; evaluate movements; waivers; reports.",
    no_args_is_help=True,
)
app.add_typer(documents.app)
app.add_typer(signing.app)
app.add_typer(checks.app)
app.add_typer(next_step.app)
app.add_typer(waive.app, name="waive")
app.add_typer(override.app, name="override")
