"""The `outrider` command: the Typer root that gathers every domain's commands, each loaded when needed.

Importing every domain (numba kernels, fpdf, alembic, the protocol engine) costs seconds, so the root
knows its commands by name and one-line help only: a domain's commands are imported when one of them
runs or its help is asked, and the domains are wired (`compose`) only when a command really runs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from difflib import get_close_matches
from importlib import import_module
from typing import Any, NamedTuple

import typer
from typer._click import Command, Context, HelpFormatter  # Typer carries its own Click; its groups use it
from typer._click.exceptions import UsageError
from typer.core import TyperCommand, TyperGroup

from outrider import __version__


class Lazy(NamedTuple):
    """Where a root command lives ("module:Typer app"; `inner` names a command inside it) and its help."""

    target: str
    help: str
    inner: str | None = None


# In the order `outrider --help` lists them; the help is the command's own (a test checks they agree).
LAZY: dict[str, Lazy] = {
    "serve": Lazy("outrider.root_commands:app", "Serve the API (and the web pages) with uvicorn.", "serve"),
    "worker": Lazy(
        "outrider.root_commands:app",
        "Run the periodic jobs (overdue scan) for deployments with separate API and worker processes.",
        "worker",
    ),
    "db": Lazy("outrider.root_commands:db_app", "The database schema."),
    "demo": Lazy("outrider.demo.cli:app", "The demo scenario."),
    "orgs": Lazy("outrider.accounts.cli:orgs_app", "Organisations: the parties of the joint arrangement."),
    "users": Lazy("outrider.accounts.cli:users_app", "Users, their roles and API tokens."),
    "registry": Lazy(
        "outrider.registry.cli:app", "The registry: protected persons, sites, vehicles, escort units."
    ),
    "alerts": Lazy(
        "outrider.alerts.cli:app",
        "Alerts from every detector: list, show, ack, assign, note, escalate, resolve, reopen, drill.",
    ),
    "notify": Lazy(
        "outrider.notify.cli:app",
        "Alert delivery: contact points, rosters, escalation policies, endpoints, deliveries.",
    ),
    "movements": Lazy("outrider.movements.cli:app", "Movements: plan, approve, escort, check in, board."),
    "audit": Lazy("outrider.audit.cli:app", "The audit log: verify, signed heads, signing keys, who knew."),
    "cordon": Lazy("outrider.cordon.cli:app", "Cordon monitoring: sightings, inspections, alerts."),
    "protocols": Lazy(
        "outrider.protocols.cli:app",
        "Protocols as code: validate, load, propose, sign, show; evaluate movements; waivers; reports.",
    ),
    "governance": Lazy(
        "outrider.governance.cli:app",
        "Joint governance: the founding parties, and proposals both must approve.",
    ),
    "committee": Lazy(
        "outrider.committee.cli:app",
        "The joint committee: meetings, minutes signed by both parties, outcomes, packs.",
    ),
    "commitments": Lazy(
        "outrider.committee.cli_commitments:app",
        "Commitments of the joint committee: the ladder, each party's assessment, evidence, news.",
    ),
    "intel": Lazy("outrider.intel.cli:app", "Intelligence: reports, incidents, events, actors."),
    "risk": Lazy("outrider.risk.cli:app", "Risk: routes, sites, the surface, movements, the backtest."),
    "share": Lazy(
        "outrider.sharing.cli:app",
        "Sharing: markings, release policies, STIX 2.1 export, signed feeds for an air-gapped hand-over.",
    ),
}
ORDER = ("serve", "worker", "version", *(name for name in LAZY if name not in ("serve", "worker")))


def _composed(callback: Callable[..., Any]) -> Callable[..., Any]:
    """The command's callback, run with the domains wired (the protocol gate, the party authority)."""

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        from outrider.compose import compose  # imports the protocol engine: only when a command runs

        compose()
        return callback(*args, **kwargs)

    return run


def _wire(command: Command) -> Command:
    """Every command below ``command`` composes the domains before it runs (never for --help)."""
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            _wire(sub)
    elif command.callback is not None:
        command.callback = _composed(command.callback)
    return command


def load(name: str) -> Command:
    """The root command ``name``, imported now."""
    lazy = LAZY[name]
    module, _, attr = lazy.target.partition(":")
    group = typer.main.get_group(getattr(import_module(module), attr))
    command = group.commands[lazy.inner] if lazy.inner else group
    command.name = name
    return _wire(command)


class LazyGroup(TyperGroup):
    """The root group: it lists every command from its table and imports a domain only when it is used."""

    _listing = False

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for command in self.commands.values():  # the root's own (`version`) compose like every command
            _wire(command)

    def list_commands(self, ctx: Context) -> list[str]:
        """Every root command, in the table's order, without importing any."""
        return list(ORDER)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        """The command, imported on first use; while the root lists its help, a stand-in with its help."""
        if cmd_name in self.commands or cmd_name not in LAZY:
            return self.commands.get(cmd_name)
        if self._listing:
            return TyperCommand(cmd_name, help=LAZY[cmd_name].help)
        self.commands[cmd_name] = load(cmd_name)
        return self.commands[cmd_name]

    def resolve_command(self, ctx: Context, args: list[str]) -> tuple[str | None, Command | None, list[str]]:
        """As Typer's, with every root command (imported or not) among those a typo is matched against."""
        try:
            return super().resolve_command(ctx, args)
        except UsageError as error:
            matches = get_close_matches(args[0], ORDER) if args else []
            if matches and error.message.startswith("No such command"):
                error.message = f"No such command {args[0]!r}. Did you mean {', '.join(map(repr, matches))}?"
            raise

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        """The root's help lists the commands from the table: nothing is imported for it."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="outrider",
    cls=LazyGroup,
    help="Outrider: joint security management for people and projects in high-risk regions.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    # A callback keeps the root a group; the domains are wired per command (`_composed`), not here.
    pass


@app.command("version")
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    """Entry point of the `outrider` script."""
    app()
