"""`outrider cordon`: replay sighting files through the detectors, and simulate traffic."""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress

from outrider import idempotency
from outrider.console import AsOpt, emit, err, fail, friendly, is_ci, out, parse_time, session_as
from outrider.cordon.configured import configured
from outrider.cordon.detectors import CordonAlert
from outrider.cordon.events import BadRecord, Event, event_to_json, parse_lines
from outrider.cordon.simulate import demo_zones, simulate
from outrider.cordon.zones import ZoneIndex, zones_from_geojson
from outrider.db import transaction, utcnow
from outrider.settings import get_settings

app = typer.Typer(help="Cordon monitoring: sightings, inspections, alerts.", no_args_is_help=True)
FormatOpt = Annotated[str | None, typer.Option("--format", help="csv or jsonl (default: from the file name)")]
AlertLinesOpt = Annotated[bool, typer.Option("--json", help="alerts as JSON Lines on stdout")]


def _format(path: str, given: str | None) -> str:
    if given:
        return given
    return "csv" if path.lower().endswith(".csv") else "jsonl"


def _batches(file: str, kind: str, size: int, bad: list[int]) -> Iterator[tuple[list[Event], bool]]:
    """The events of a file (``-``: standard input) in batches of ``size``, each with whether it is the last
    (which may be short or empty); a bad line is told on stderr and its number added to ``bad``."""
    stream = sys.stdin if file == "-" else open(file, encoding="utf-8", newline="")  # noqa: SIM115
    pending: list[Event] = []
    with stream:
        for line, item in parse_lines(stream, fmt=kind):
            if isinstance(item, BadRecord):
                bad.append(line)
                err.print(f"line {line}: {item.reason}", highlight=False)
                continue
            pending.append(item)
            if len(pending) >= size:
                yield pending, False
                pending = []
    yield pending, True


def _alert_out(value: dict[str, Any], as_json: bool, line: str) -> None:
    # Alerts are streamed as they are raised: one JSON object a line (not `emit`'s one indented document).
    if as_json:
        sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    else:
        out.print(line)


@app.command("replay")
@friendly
def replay(
    file: Annotated[str, typer.Argument(help="sightings and inspections: CSV or JSON Lines, or - for stdin")],
    zones: Annotated[
        Path | None, typer.Option(help="zones as GeoJSON (default: the demo corridor's sites)")
    ] = None,
    fmt: FormatOpt = None,
    lateness: Annotated[int, typer.Option(help="seconds an event may arrive late", min=0)] = 300,
    as_json: AlertLinesOpt = False,
) -> None:
    """Run a file through the detectors without a database; alerts as they are raised."""
    from outrider.cordon.compiled import CompiledMonitor  # numba kernels: when a command runs, not for --help

    kind = _format(file, fmt)
    if kind not in ("csv", "jsonl"):
        raise fail("--format must be csv or jsonl", code=2)
    zone_list = zones_from_geojson(zones.read_text(encoding="utf-8")) if zones else demo_zones()
    monitor = CompiledMonitor(ZoneIndex(zone_list), configured(lateness_s=lateness))
    bad: list[int] = []
    raised: list[CordonAlert] = []
    # A file goes through the detectors in batches (the same alerts, in the same order); standard input
    # event by event, so that an alert is printed when the line that raises it arrives.
    for events, last in _batches(file, kind, 1 if file == "-" else 4096, bad):
        alerts: Iterable[CordonAlert] = monitor.push_events(events, flush=last)
        for alert in alerts:
            raised.append(alert)
            line = f"[bold]{alert.severity}[/bold] {alert.at.isoformat()} {alert.kind}: {alert.title}"
            _alert_out(alert.to_json(), as_json, line)
    summary = (
        f"{monitor.processed} event(s) processed, {len(bad)} bad record(s), {monitor.late} late beyond "
        f"{lateness} s, {monitor.unknown_zone} in unknown zones, {len(raised)} alert(s)"
    )
    err.print(summary, highlight=False)


@app.command("simulate")
@friendly
def simulate_cmd(
    out_file: Annotated[Path, typer.Option("--out", help="JSON Lines file to write")],
    seed: Annotated[int, typer.Option(help="random seed")] = 7,
    vehicles: Annotated[int, typer.Option(help="ordinary vehicles", min=1, max=1_000_000)] = 400,
    hours: Annotated[int, typer.Option(help="hours of traffic", min=3, max=24 * 30)] = 24,
    start: Annotated[str, typer.Option(help="start time, ISO 8601 with zone")] = "2026-11-23T00:00:00+00:00",
    shuffle: Annotated[
        int, typer.Option(help="shuffle events by up to this many seconds (out of order)")
    ] = 120,
) -> None:
    """Write realistic traffic around the demo sites (with a planted hostile scenario)."""
    begin = parse_time(start, "--start")
    if begin is None:
        raise fail("--start: give a time, ISO 8601 with a zone", code=2)
    events = simulate(start=begin.astimezone(UTC), hours=hours, vehicles=vehicles, seed=seed)
    rng = random.Random(seed)
    keyed = sorted(events, key=lambda e: e.at.timestamp() + rng.uniform(0, shuffle))
    with Progress(disable=is_ci(), transient=True) as progress, out_file.open("w", encoding="utf-8") as fh:
        task = progress.add_task("writing events", total=len(keyed))
        for event in keyed:
            fh.write(json.dumps(event_to_json(event)) + "\n")
            progress.advance(task)
    out.print(f"wrote {len(keyed)} events to {out_file}")


def _stored_run(
    file: str,
    kind: str,
    *,
    as_user: str | None,
    flush: bool,
    batch: int,
    as_json: bool,
    key: str | None = None,
) -> None:
    from outrider.cordon import batches  # numba kernels: when a command runs, not for --help

    settings = get_settings()
    config = configured(settings)
    keep = timedelta(hours=settings.cordon_batch_key_hours)
    bad: list[int] = []
    totals = {"stored": 0, "bad": 0, "late": 0, "unknown_zone": 0, "alerts": 0}
    replays = 0
    for part, (pending, final) in enumerate(_batches(file, kind, batch, bad)):
        last = final and flush
        digest = batches.fingerprint([event_to_json(e) for e in pending], flush=last) if key else ""
        # Each committed part of a keyed file is its own batch key: a run stopped half-way and started again
        # with the same key skips the parts already stored and goes on with the rest.
        with session_as(as_user) as (session, caller):
            answer, replayed = batches.ingest_batch(
                session,
                caller=caller,
                events=pending,
                bad=[],
                digest=digest,
                key=key,
                part=part,
                now=utcnow(),
                flush=last,
                config=config,
                keep=keep,
            )
        replays += int(replayed)
        for name in ("stored", "late", "unknown_zone"):
            totals[name] += 0 if replayed else int(answer[name])
        alerts = [] if replayed else answer["alerts"]
        totals["alerts"] += len(alerts)
        for alert in alerts:
            _alert_out(
                alert,
                as_json,
                f"[bold]{alert['severity']}[/bold] alert {alert['alert_id']}: {alert['title']}",
            )
    totals["bad"] = len(bad)
    summary = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in totals.items())
    if replays:
        summary += f"; {replays} part(s) already stored under this key, skipped"
    err.print(summary, highlight=False)


@app.command("ingest")
@friendly
def ingest(
    file: Annotated[str, typer.Argument(help="CSV or JSON Lines file of sightings and inspections")],
    fmt: FormatOpt = None,
    keep_buffer: Annotated[
        bool, typer.Option("--keep-buffer", help="do not flush at the end (more files follow)")
    ] = False,
    key: Annotated[
        str | None,
        typer.Option(
            help="idempotency key (1-128 visible ASCII): the same file again with the same key stores "
            "nothing twice, and a run that stopped resumes after the parts already stored"
        ),
    ] = None,
    as_user: str | None = AsOpt,
    as_json: AlertLinesOpt = False,
) -> None:
    """Store a file of events in the database and raise alerts (host security)."""
    if key is not None and not idempotency.is_valid(key):
        raise fail("--key must be 1 to 128 visible ASCII characters", code=2)
    _stored_run(
        file, _format(file, fmt), as_user=as_user, flush=not keep_buffer, batch=5000, as_json=as_json, key=key
    )


@app.command("watch")
@friendly
def watch(
    source: Annotated[str, typer.Argument(help="- for standard input")] = "-",
    fmt: Annotated[str, typer.Option("--format", help="csv or jsonl")] = "jsonl",
    batch: Annotated[int, typer.Option(help="events per transaction", min=1, max=10_000)] = 1,
    as_user: str | None = AsOpt,
    as_json: AlertLinesOpt = False,
) -> None:
    """Follow a stream of events (one transaction per batch, default every event); bad lines never stop it."""
    _stored_run(source, fmt, as_user=as_user, flush=True, batch=batch, as_json=as_json)


@app.command("purge")
@friendly
def purge(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """Delete sightings past the retention period that no alert cites (the job runner does this too)."""
    from outrider.cordon import service

    with transaction() as session:
        sightings, inspections = service.purge(
            session, now=utcnow(), retention_days=get_settings().cordon_retention_days
        )
    emit(
        {"sightings_purged": sightings, "inspections_purged": inspections},
        as_json,
        f"purged {sightings} sighting(s) and {inspections} inspection(s)",
    )
