"""Cordon detectors against batch peers: 5,000,000 sightings over 500 zones, the same dwell rule four ways.

The incremental monitors see the events as a stream, in arrival order, and raise each alert when its
sighting is released: the compiled monitor (`outrider.cordon.compiled`) fed in batches of columns
(65,536 events a call) and one event at a time, and, with ``--reference`` (always with ``--quick``), the
pure-Python reference monitor (`outrider.cordon.detectors`). DuckDB (SQL window functions) and polars
compute the same dwell rule as one batch query over the whole data set. The script checks that all of
them produce the same alerts (plate, zone, time) and prints events per second, the ratios, the
monitor's state and the process's peak memory. The monitors also keep the reconnaissance state (places
per plate) and the live dwell alerts' updates (compared here by their first alert) that the batch
queries do not compute.
Usage: python benchmarks/cordon_detectors.py [--quick] [--reference] [--sightings N] [--zones N] [--seed S]
"""

from __future__ import annotations

import argparse
import gc
import resource
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import numpy as np
import pandas as pd
import polars as pl
from shapely.geometry import Point

from outrider.cordon.codes import Coded
from outrider.cordon.compiled import CompiledMonitor
from outrider.cordon.detectors import Config, CordonAlert, CordonMonitor
from outrider.cordon.events import Event, Inspection, Sighting
from outrider.cordon.zones import Zone, ZoneIndex

T0 = datetime(2026, 11, 1, tzinfo=UTC)
GAP, PRE, THRESHOLD = 900, 1800, 1200
BATCH = 65_536
Found = set[tuple[str, str, int]]


def make_data(n: int, zones: int, seed: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Visits of vehicles to zones: a sighting every 2-10 minutes while they stay; some are inspected."""
    rng = np.random.default_rng(seed)
    visits = n // 3  # oversampled, cut to n sightings below
    plate = rng.integers(0, max(1000, n // 40), visits)
    zone = rng.integers(0, zones, visits)
    start = rng.integers(0, 7 * 86400, visits)
    stay = rng.choice([300, 900, 1500, 2400, 4000], visits, p=[0.35, 0.3, 0.15, 0.12, 0.08])
    count = np.maximum(1, (stay // rng.integers(120, 600, visits))).astype(np.int64)
    count = np.minimum(count, 12)
    idx = np.repeat(np.arange(visits), count)
    offsets = np.concatenate([np.sort(rng.integers(0, s + 1, c)) for s, c in zip(stay, count, strict=True)])
    s_ts = start[idx] + offsets
    keep = min(n, len(s_ts))
    order = np.argsort(s_ts[:keep], kind="stable")
    sightings = {"plate": plate[idx][:keep][order], "zone": zone[idx][:keep][order], "ts": s_ts[:keep][order]}
    inspected = rng.random(visits) < 0.3
    i_ts = start[inspected] + rng.integers(-600, 600, int(inspected.sum()))
    i_order = np.argsort(i_ts, kind="stable")
    inspections = {"plate": plate[inspected][i_order], "site": zone[inspected][i_order], "ts": i_ts[i_order]}
    return sightings, inspections


@dataclass
class Stream:
    """The events in arrival order (time order, inspections first at one instant) as columns."""

    times: np.ndarray  # seconds since the epoch
    plates: list[str]
    where: list[str]  # zone id (sighting) or site id (inspection)
    inspection: np.ndarray
    plate_codes: np.ndarray  # the same two columns dictionary-encoded, as the batch peers get them
    plate_values: list[str]
    where_codes: np.ndarray
    where_values: list[str]

    def __len__(self) -> int:
        return len(self.times)

    def events(self, chunk: int = 100_000) -> Iterator[list[Event]]:
        """The same as event values, a chunk at a time (building them is not the detectors' cost)."""
        for lo in range(0, len(self), chunk):
            out: list[Event] = []
            for t, p, w, insp in zip(
                self.times[lo : lo + chunk].tolist(),
                self.plates[lo : lo + chunk],
                self.where[lo : lo + chunk],
                self.inspection[lo : lo + chunk].tolist(),
                strict=True,
            ):
                at = datetime.fromtimestamp(t, UTC)
                out.append(Inspection(p, at, "gate", w) if insp else Sighting(p, at, "camera", w))
            yield out


def arrival(sightings: dict[str, np.ndarray], inspections: dict[str, np.ndarray]) -> Stream:
    ts = np.concatenate([inspections["ts"], sightings["ts"]])
    insp = np.concatenate([np.ones(len(inspections["ts"]), bool), np.zeros(len(sightings["ts"]), bool)])
    order = np.lexsort((~insp, ts))
    plates = np.concatenate([inspections["plate"], sightings["plate"]])[order]
    where = np.concatenate([inspections["site"], sightings["zone"]])[order]
    insp = insp[order]
    zones = int(where.max()) + 1
    return Stream(
        ts[order].astype(np.float64) + T0.timestamp(),
        [f"P{p}" for p in plates.tolist()],
        [str(w) if i else f"z{w}" for w, i in zip(where.tolist(), insp.tolist(), strict=True)],
        insp,
        plates,
        [f"P{p}" for p in range(int(plates.max()) + 1)],
        np.where(insp, zones + where, where),
        [f"z{z}" for z in range(zones)] + [str(z) for z in range(zones)],
    )


def _zones(zones: int) -> ZoneIndex:
    return ZoneIndex(
        [
            Zone(
                id=f"z{i}",
                ring="outer",
                place=f"site:{i}",
                geometry=Point(0, 0),
                site_id=str(i),
                dwell_threshold_s=THRESHOLD,
            )
            for i in range(zones)
        ]
    )


CONFIG = Config(lateness_s=60, presence_gap_s=GAP, pre_clear_s=PRE, recon_places=10**9)


def _key(plate: str, zone: str | None, ts: float) -> tuple[str, str, int]:
    return plate, zone or "", int(ts - T0.timestamp())


@dataclass
class Run:
    found: Found
    seconds: float
    peak_state: int = 0  # keys, counted as the reference counts them
    peak_bytes: int = 0  # the compiled monitor's arrays
    updates: int = 0  # updates of live dwell alerts (the batch peers compute first alerts only)


def warm_up(zones: int) -> float:
    """Load (or compile, the first time) the compiled kernel: numba caches it on disk."""
    t0 = time.perf_counter()
    m = CompiledMonitor(_zones(zones), CONFIG)
    m.push_columns(np.array([T0.timestamp()]), ["WARM"], ["z0"], flush=True)
    m.push(Sighting("WARM", T0, "camera", "z0"))
    return time.perf_counter() - t0


def compiled_batches(stream: Stream, zones: int, batch: int = BATCH, coded: bool = False) -> Run:
    """The compiled monitor fed ``batch`` events a call, as columns, in arrival order: strings, or
    (``coded``) dictionary-encoded plates and places."""
    monitor = CompiledMonitor(_zones(zones), CONFIG)
    run = Run(set(), 0.0)
    gc.collect()
    t0 = time.perf_counter()
    tables = []
    for lo in range(0, len(stream), batch):
        hi = min(len(stream), lo + batch)
        plates: Sequence[str] | Coded = stream.plates[lo:hi]
        where: Sequence[str] | Coded = stream.where[lo:hi]
        if coded:
            plates = Coded(stream.plate_codes[lo:hi], stream.plate_values)
            where = Coded(stream.where_codes[lo:hi], stream.where_values)
        tables.append(
            monitor.push_columns(
                stream.times[lo:hi], plates, where, stream.inspection[lo:hi], flush=hi == len(stream)
            )
        )
        run.peak_state = max(run.peak_state, monitor.state_size())
        run.peak_bytes = max(run.peak_bytes, monitor.memory_bytes())
    run.seconds = time.perf_counter() - t0
    for t in tables:
        run.found |= {
            _key(p, z, ts)
            for k, p, z, ts, u in zip(
                t.kinds, t.plates, t.zone_ids, t.times.tolist(), t.updates.tolist(), strict=True
            )
            if k == "dwell" and not u
        }
        run.updates += int(t.updates.sum())
    return run


def _first_dwells(alerts: list[CordonAlert], run: Run) -> Found:
    """The first dwell alerts of episodes (the rule the batch peers compute); counts the updates."""
    run.updates += sum(1 for a in alerts if a.kind == "dwell" and a.evidence["update"])
    return {
        _key(a.plate, a.zone_id, a.at.timestamp())
        for a in alerts
        if a.kind == "dwell" and not a.evidence["update"]
    }


def one_by_one(stream: Stream, zones: int, kind: str) -> Run:
    """A monitor fed one event value at a time (``push``); only the pushes are timed."""
    monitor: CordonMonitor | CompiledMonitor = (
        CompiledMonitor(_zones(zones), CONFIG) if kind == "compiled" else CordonMonitor(_zones(zones), CONFIG)
    )
    run = Run(set(), 0.0)
    push = monitor.push
    for chunk in stream.events():
        gc.collect()
        t0 = time.perf_counter()
        alerts = [a for e in chunk for a in push(e)]
        run.seconds += time.perf_counter() - t0
        run.found |= _first_dwells(alerts, run)
        run.peak_state = max(run.peak_state, monitor.state_size())
    t0 = time.perf_counter()
    alerts = monitor.flush()
    run.seconds += time.perf_counter() - t0
    run.found |= _first_dwells(alerts, run)
    return run


def incremental(
    sightings: dict[str, np.ndarray], inspections: dict[str, np.ndarray], zones: int
) -> tuple[Found, float, int, int]:
    """The reference monitor, one event at a time: (alerts, seconds, events, peak state keys)."""
    stream = arrival(sightings, inspections)
    run = one_by_one(stream, zones, "reference")
    return run.found, run.seconds, len(stream), run.peak_state


DWELL_SQL = f"""
WITH s AS (
  SELECT plate, zone, ts,
         CASE WHEN ts - lag(ts) OVER w > {GAP} OR lag(ts) OVER w IS NULL THEN 1 ELSE 0 END AS brk
  FROM sightings WINDOW w AS (PARTITION BY plate, zone ORDER BY ts)
), e AS (
  SELECT *, sum(brk) OVER (PARTITION BY plate, zone ORDER BY ts ROWS UNBOUNDED PRECEDING) AS ep FROM s
), f AS (
  SELECT *, min(ts) OVER (PARTITION BY plate, zone, ep) AS start FROM e
), c AS (
  SELECT plate, zone, ep, any_value(start) AS start, min(ts) AS alert_ts
  FROM f WHERE ts - start >= {THRESHOLD} GROUP BY plate, zone, ep
)
SELECT c.plate, c.zone, c.alert_ts FROM c
WHERE NOT EXISTS (
  SELECT 1 FROM inspections i
  WHERE i.plate = c.plate AND i.site = c.zone AND i.ts BETWEEN c.start - {PRE} AND c.alert_ts
)
"""


def with_duckdb(sightings: dict[str, np.ndarray], inspections: dict[str, np.ndarray]) -> tuple[Found, float]:
    con = duckdb.connect()
    con.register("sightings", pd.DataFrame(sightings))
    con.register("inspections", pd.DataFrame(inspections))
    t0 = time.perf_counter()
    rows = con.execute(DWELL_SQL).fetchall()
    elapsed = time.perf_counter() - t0
    con.close()
    return {(f"P{p}", f"z{z}", int(t)) for p, z, t in rows}, elapsed


def with_polars(sightings: dict[str, np.ndarray], inspections: dict[str, np.ndarray]) -> tuple[Found, float]:
    s = pl.DataFrame(sightings)
    i = pl.DataFrame(inspections).rename({"site": "zone", "ts": "its"})
    t0 = time.perf_counter()
    eps = (
        s.sort(["plate", "zone", "ts"])
        .with_columns(
            brk=(pl.col("ts").diff().over(["plate", "zone"]).fill_null(GAP + 1) > GAP).cast(pl.Int32)
        )
        .with_columns(ep=pl.col("brk").cum_sum().over(["plate", "zone"]))
        .with_columns(start=pl.col("ts").min().over(["plate", "zone", "ep"]))
        .filter(pl.col("ts") - pl.col("start") >= THRESHOLD)
        .group_by(["plate", "zone", "ep"])
        .agg(pl.col("start").first(), pl.col("ts").min().alias("alert_ts"))
    )
    cleared = (
        eps.join(i, on=["plate", "zone"], how="inner")
        .filter((pl.col("its") >= pl.col("start") - PRE) & (pl.col("its") <= pl.col("alert_ts")))
        .select(["plate", "zone", "ep"])
        .unique()
    )
    out = eps.join(cleared, on=["plate", "zone", "ep"], how="anti")
    elapsed = time.perf_counter() - t0
    return {
        (f"P{p}", f"z{z}", int(t)) for p, z, t in out.select(["plate", "zone", "alert_ts"]).iter_rows()
    }, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="200,000 sightings, with the reference monitor")
    parser.add_argument("--reference", action="store_true", help="also run the pure-Python reference monitor")
    parser.add_argument("--sightings", type=int, default=5_000_000)
    parser.add_argument("--zones", type=int, default=500)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    n = 200_000 if args.quick else args.sightings
    sightings, inspections = make_data(n, args.zones, args.seed)
    stream = arrival(sightings, inspections)
    events = len(stream)
    print(
        f"{len(sightings['ts']):,} sightings and {len(inspections['ts']):,} inspections "
        f"over {args.zones} zones"
    )
    print(f"compiled kernel loaded in {warm_up(args.zones):.2f} s (compiled once, then cached on disk)")
    duck, t_duck = with_duckdb(sightings, inspections)
    pola, t_pola = with_polars(sightings, inspections)
    coded = compiled_batches(stream, args.zones, coded=True)
    batches = compiled_batches(stream, args.zones)
    single = one_by_one(stream, args.zones, "compiled")
    results = [
        (f"compiled, batches of {BATCH:,}, coded columns", coded.seconds, coded.found),
        (f"compiled, batches of {BATCH:,}, string columns", batches.seconds, batches.found),
        ("compiled, one event value a push", single.seconds, single.found),
    ]
    updates = {coded.updates, batches.updates, single.updates}
    if args.quick or args.reference:
        ref = one_by_one(stream, args.zones, "reference")
        results.append(("reference monitor (pure Python)", ref.seconds, ref.found))
        updates.add(ref.updates)
    assert len(updates) == 1, updates  # the live alerts' updates agree too
    results += [("DuckDB batch query", t_duck, duck), ("polars batch", t_pola, pola)]
    assert all(found == duck for _, _, found in results), [(name, len(f)) for name, _, f in results]
    print(f"dwell alerts: {len(duck):,}, identical in all {len(results)}")
    print(f"updates of live dwell alerts: {batches.updates:,}, identical in every monitor")
    for name, t, _ in results:
        print(f"  {name:44s} {t:7.2f} s  {events / t:12,.0f} events/s")
    best = min(t_duck, t_pola)
    print("time / fastest batch peer's (below 1: faster than the batch):")
    for name, t, _ in results[:3]:
        print(f"  {name:44s} {t / best:7.2f}")
    print(
        f"compiled monitor state: at most {batches.peak_state:,} keys, "
        f"{batches.peak_bytes / 2**20:.0f} MiB of arrays (expired by the watermark)"
    )
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
