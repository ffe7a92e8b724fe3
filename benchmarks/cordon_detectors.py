"""Cordon detectors against batch peers: 5,000,000 sightings over 500 zones, the same dwell rule three ways.

The incremental monitor (`outrider.cordon.detectors`) sees the events one by one, as a stream, and
raises each alert when its sighting arrives; DuckDB (SQL window functions) and polars compute the same
dwell rule as one batch query over the whole data set. The script checks that the three produce the
same alerts (plate, zone, time) and prints events per second and the ratios, and the monitor's memory.
Usage: python benchmarks/cordon_detectors.py [--quick] [--sightings N] [--zones N] [--seed S]
"""

from __future__ import annotations

import argparse
import gc
import resource
import time
from datetime import UTC, datetime

import duckdb
import numpy as np
import pandas as pd
import polars as pl
from shapely.geometry import Point

from outrider.cordon.detectors import Config, CordonMonitor
from outrider.cordon.events import Inspection, Sighting
from outrider.cordon.zones import Zone, ZoneIndex

T0 = datetime(2026, 11, 1, tzinfo=UTC)
GAP, PRE, THRESHOLD = 900, 1800, 1200


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


def incremental(
    sightings: dict[str, np.ndarray], inspections: dict[str, np.ndarray], zones: int
) -> tuple[set, float, int, int]:
    zone_list = [
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
    monitor = CordonMonitor(
        ZoneIndex(zone_list), Config(lateness_s=60, presence_gap_s=GAP, pre_clear_s=PRE, recon_places=10**9)
    )
    # Build the event objects first: parsing is not the detectors' cost.
    events: list[Sighting | Inspection] = []
    ip, isite, its = inspections["plate"].tolist(), inspections["site"].tolist(), inspections["ts"].tolist()
    sp, sz, sts = sightings["plate"].tolist(), sightings["zone"].tolist(), sightings["ts"].tolist()
    j = 0
    base = T0.timestamp()
    for k in range(len(sp)):
        while j < len(its) and its[j] <= sts[k]:
            events.append(
                Inspection(f"P{ip[j]}", datetime.fromtimestamp(base + its[j], UTC), "gate", str(isite[j]))
            )
            j += 1
        events.append(
            Sighting(f"P{sp[k]}", datetime.fromtimestamp(base + sts[k], UTC), "camera", f"z{sz[k]}")
        )
    gc.collect()
    t0 = time.perf_counter()
    alerts = []
    push = monitor.push
    peak = 0
    for k, e in enumerate(events):
        alerts += push(e)
        if k % 100_000 == 0:
            peak = max(peak, monitor.state_size())
    alerts += monitor.flush()
    elapsed = time.perf_counter() - t0
    found = {(a.plate, a.zone_id, int(a.at.timestamp() - base)) for a in alerts if a.kind == "dwell"}
    return found, elapsed, len(events), peak


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


def with_duckdb(sightings: dict[str, np.ndarray], inspections: dict[str, np.ndarray]) -> tuple[set, float]:
    con = duckdb.connect()
    con.register("sightings", pd.DataFrame(sightings))
    con.register("inspections", pd.DataFrame(inspections))
    t0 = time.perf_counter()
    rows = con.execute(DWELL_SQL).fetchall()
    elapsed = time.perf_counter() - t0
    con.close()
    return {(f"P{p}", f"z{z}", int(t)) for p, z, t in rows}, elapsed


def with_polars(sightings: dict[str, np.ndarray], inspections: dict[str, np.ndarray]) -> tuple[set, float]:
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
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sightings", type=int, default=5_000_000)
    parser.add_argument("--zones", type=int, default=500)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    n = 200_000 if args.quick else args.sightings
    sightings, inspections = make_data(n, args.zones, args.seed)
    print(
        f"{len(sightings['ts']):,} sightings and {len(inspections['ts']):,} inspections "
        f"over {args.zones} zones"
    )
    duck, t_duck = with_duckdb(sightings, inspections)
    pola, t_pola = with_polars(sightings, inspections)
    inc, t_inc, events, peak = incremental(sightings, inspections, args.zones)
    assert inc == duck == pola, (len(inc), len(duck), len(pola))
    print(f"dwell alerts: {len(inc):,}, identical in all three")
    for name, t in (
        ("incremental monitor (streaming)", t_inc),
        ("DuckDB batch query", t_duck),
        ("polars batch", t_pola),
    ):
        print(f"  {name:34s} {t:7.2f} s  {events / t:12,.0f} events/s")
    best = min(t_duck, t_pola)
    print(f"incremental / fastest batch time ratio: {t_inc / best:.2f} (below 1 would beat the batch)")
    print(f"monitor state while streaming: at most {peak:,} keys (expired by the watermark)")
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
