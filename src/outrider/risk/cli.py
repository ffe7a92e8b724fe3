"""`outrider risk`: score a route, a site, the surface, a movement; the backtest."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from outrider.console import AsOpt, JsonOpt, emit, fail, friendly, out, parse_time, print_json, session_as
from outrider.db import utcnow
from outrider.intel.queries import parse_bbox
from outrider.movements.cli_shared import MovementArg, on_movement

app = typer.Typer(help="Risk: routes, sites, the surface, movements, the backtest.", no_args_is_help=True)


def _at(value: str | None) -> datetime:
    return parse_time(value, "--at") or utcnow()


def _show(result: dict[str, Any], title: str) -> None:
    out.print(
        f"[bold]{title}[/bold]: level {result['level']} ({result['level_name']}), score {result['score']}, "
        f"{result['incident_count']} incident(s)",
        highlight=False,
    )
    for d in result.get("drivers", [])[:10]:
        seg = "" if d.get("segment") is None else f" segment {d['segment']}"
        out.print(
            f"  event {d['event_id']}: {d['distance_m'] / 1000:.1f} km, {d['age_days']:.0f} days old, "
            f"weight {d['weight']}{seg}",
            highlight=False,
        )


AtOpt = typer.Option(None, "--at", help="ISO 8601 time with a zone (default now)")


@app.command("route")
@friendly
def route(
    file: Annotated[Path, typer.Argument(help="a GeoJSON LineString (or a Feature holding one)")],
    at: str | None = AtOpt,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Score a route against the stored events."""
    from outrider.risk import service  # numba kernels: imported when a command runs, not for --help

    try:
        geometry = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise fail(f"{file}: not JSON ({exc.msg} at line {exc.lineno})") from None
    when = _at(at)
    with session_as(as_user) as (session, caller):
        result, revision = service.score_route(session, geometry, when, caller=caller)
        data = service.result_json(result) | {"at": when.isoformat(), "incident_revision": revision}
    emit(data, as_json, lambda: _show(data, file.name))


@app.command("site")
@friendly
def site(
    site_id: Annotated[int, typer.Argument(help="site id")],
    radius_m: Annotated[float | None, typer.Option("--radius", help="metres (default from settings)")] = None,
    at: str | None = AtOpt,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Score a site within a radius."""
    from outrider.risk import service  # numba kernels: imported when a command runs, not for --help

    when = _at(at)
    with session_as(as_user) as (session, caller):
        record, result, revision = service.score_site(
            session, caller=caller, site_id=site_id, at=when, radius_m=radius_m
        )
        data = service.result_json(result) | {
            "site_id": record.id,
            "at": when.isoformat(),
            "incident_revision": revision,
        }
        name = record.name
    emit(data, as_json, lambda: _show(data, name))


@app.command("surface")
@friendly
def surface(
    bbox: Annotated[str, typer.Option(help="min_lon,min_lat,max_lon,max_lat")] = "60.5,23.5,77.5,37.5",
    resolution: Annotated[int, typer.Option(min=0, max=9, help="H3 resolution")] = 4,
    at: str | None = AtOpt,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """The risk surface as GeoJSON H3 cells (always JSON: it is a map layer)."""
    from outrider.risk import service  # numba kernels: imported when a command runs, not for --help

    with session_as(as_user) as (session, caller):
        data = service.surface(session, parse_bbox(bbox), resolution, _at(at), caller=caller)
    print_json(data)


@app.command("movement")
@friendly
def movement(movement: MovementArg, as_json: bool = JsonOpt, as_user: str | None = AsOpt) -> None:
    """A movement's latest risk snapshot (drivers only with the itinerary)."""
    from outrider.risk import service  # numba kernels: imported when a command runs, not for --help

    # the movement commands' one resolver: an id or a reference, one you may not see is "not found"
    with on_movement(as_user, movement) as (session, caller, movement_id):
        data = service.movement_risk(session, caller=caller, movement_id=movement_id, now=utcnow())
    emit(data, as_json, lambda: _show(data, f"movement {movement}"))


@app.command("backtest")
@friendly
def backtest(
    controls: Annotated[int, typer.Option(min=1, max=50, help="random places per attack")] = 5,
    seed: Annotated[int, typer.Option(help="seed of the random places")] = 0,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Per year: ROC AUC of the risk at the year's attack places (earlier incidents only) vs random places."""
    from outrider.risk import service  # numba kernels: imported when a command runs, not for --help

    with session_as(as_user) as (session, caller):
        years = service.run_backtest(session, caller=caller, controls=controls, seed=seed)

    def human() -> None:
        if not years:
            out.print("no year has enough attacks with earlier incidents to score")
        for y in years:
            out.print(
                f"{y.year}: AUC {y.auc:.3f} ({y.attacks} attacks, {y.controls} controls, "
                f"{y.prior_incidents} earlier)",
                highlight=False,
            )

    emit({"years": [asdict(y) for y in years]}, as_json, human)
