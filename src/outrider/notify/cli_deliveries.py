"""`outrider notify deliveries|test`: what was sent, and a test message to oneself."""

from __future__ import annotations

import typer

deliveries_app = typer.Typer(
    help="Deliveries of alerts: the outbox, attempts, dead letters.", no_args_is_help=True
)
