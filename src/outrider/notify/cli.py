"""`outrider notify`: contact points, rosters, escalation policies, endpoints, deliveries."""

from __future__ import annotations

import typer

from outrider.console import friendly
from outrider.notify.cli_deliveries import deliveries_app, send_test_cmd
from outrider.notify.cli_directory import contacts_app, endpoints_app, policies_app, rosters_app
from outrider.notify.cli_feed import feed_keys_app

app = typer.Typer(
    help="Alert delivery: contact points, rosters, escalation policies, endpoints, deliveries.",
    no_args_is_help=True,
)
app.add_typer(contacts_app, name="contacts")
app.add_typer(rosters_app, name="rosters")
app.add_typer(policies_app, name="policies")
app.add_typer(endpoints_app, name="endpoints")
app.add_typer(deliveries_app, name="deliveries")
app.add_typer(feed_keys_app, name="feed-keys")
app.command("test")(friendly(send_test_cmd))
