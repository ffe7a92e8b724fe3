"""`outrider notify contacts|rosters|policies|endpoints`: the directory of alert delivery."""

from __future__ import annotations

import typer

contacts_app = typer.Typer(
    help="Your contact points (e-mail, phone), verified by a code.", no_args_is_help=True
)
rosters_app = typer.Typer(help="Duty rosters and shifts; who is on duty now.", no_args_is_help=True)
policies_app = typer.Typer(
    help="Escalation policies: who is called, when, on which channels.", no_args_is_help=True
)
endpoints_app = typer.Typer(help="An organisation's webhook endpoints.", no_args_is_help=True)
