"""Out-of-order dwell alerts equal DuckDB and polars across midnight; parsers never raise on any text."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import duckdb
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import Point

from outrider.cordon.detectors import Config, CordonMonitor
from outrider.cordon.events import BadRecord, Event, Inspection, Sighting, parse_text
from outrider.cordon.zones import Zone, ZoneIndex, corridor_zone

T0 = datetime(2026, 11, 1, 22, 0, tzinfo=UTC)  # traffic crosses midnight
GAP, PRE, THRESHOLD, LATENESS = 900, 1800, 1200, 300
ZONE_COUNT = 6

DWELL_SQL = f"""
WITH s AS (
  SELECT plate, zone, ts,
         CASE WHEN lag(ts) OVER w IS NULL OR ts - lag(ts) OVER w > {GAP} THEN 1 ELSE 0 END AS brk
  FROM sightings WINDOW w AS (PARTITION BY plate, zone ORDER BY ts)
), e AS (
  SELECT *, sum(brk) OVER (PARTITION BY plate, zone ORDER BY ts ROWS UNBOUNDED PRECEDING) AS ep FROM s
), f AS (
  SELECT *, min(ts) OVER (PARTITION BY plate, zone, ep) AS start FROM e
), c AS (
  SELECT plate, zone, any_value(start) AS start, min(ts) AS alert_ts
  FROM f WHERE ts - start >= {THRESHOLD} GROUP BY plate, zone, ep
)
SELECT c.plate, c.zone, c.alert_ts FROM c
WHERE NOT EXISTS (
  SELECT 1 FROM inspections i
  WHERE i.plate = c.plate AND i.site = c.zone AND i.ts BETWEEN c.start - {PRE} AND c.alert_ts
)
"""


def _traffic(seed: int) -> tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    """Visits of 40 plates to a few zones over a day: (plate, zone, second) sightings and inspections."""
    rng = random.Random(seed)
    sightings: list[tuple[str, int, int]] = []
    inspections: list[tuple[str, int, int]] = []
    for _ in range(300):
        plate, zone = f"P{rng.randrange(40)}", rng.randrange(ZONE_COUNT)
        start, stay = rng.randrange(86_400), rng.choice([200, 800, 1300, 2500, 5000])
        t = start
        while t <= start + stay:
            sightings.append((plate, zone, t))
            t += rng.randrange(60, 1100)  # sometimes beyond the gap: the vehicle left and came back
        if rng.random() < 0.35:
            inspections.append((plate, zone, start + rng.randrange(-2400, 1800)))
    return sightings, inspections


def _incremental(
    sightings: list[tuple[str, int, int]], inspections: list[tuple[str, int, int]], seed: int
) -> set[tuple[str, int, int]]:
    zones = [
        Zone(id=f"z{i}", ring="outer", place=f"site:{i}", geometry=Point(0, 0), site_id=str(i))
        for i in range(ZONE_COUNT)
    ]
    events: list[Event] = [Sighting(p, T0 + timedelta(seconds=t), "camera", f"z{z}") for p, z, t in sightings]
    events += [Inspection(p, T0 + timedelta(seconds=t), "gate", str(z)) for p, z, t in inspections]
    # Out of order, but never by more than the lateness: nothing may be dropped.
    rng = random.Random(seed)
    events.sort(key=lambda e: e.at.timestamp() + rng.uniform(0, LATENESS - 1))
    monitor = CordonMonitor(
        ZoneIndex(zones),
        Config(lateness_s=LATENESS, presence_gap_s=GAP, pre_clear_s=PRE, recon_places=10**6),
    )
    alerts = [a for e in events for a in monitor.push(e)] + monitor.flush()
    assert monitor.late == 0
    return {
        (a.plate, int(a.zone_id[1:]), int((a.at - T0).total_seconds()))
        for a in alerts
        if a.kind == "dwell" and a.zone_id and not a.evidence["update"]  # first alerts: the peers' rule
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_dwell_alerts_equal_the_batch_queries(seed: int) -> None:
    sightings, inspections = _traffic(seed)
    cols = ["plate", "zone", "ts"]
    s_df = pl.DataFrame(sightings, schema=cols, orient="row")
    i_df = pl.DataFrame(inspections, schema=["plate", "site", "ts"], orient="row")
    con = duckdb.connect()
    con.register("sightings", pd.DataFrame(sightings, columns=cols))
    con.register("inspections", pd.DataFrame(inspections, columns=["plate", "site", "ts"]))
    duck = {(p, int(z), int(t)) for p, z, t in con.execute(DWELL_SQL).fetchall()}
    con.close()
    eps = (
        s_df.sort(cols)
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
        eps.join(i_df.rename({"site": "zone", "ts": "its"}), on=["plate", "zone"])
        .filter((pl.col("its") >= pl.col("start") - PRE) & (pl.col("its") <= pl.col("alert_ts")))
        .select(["plate", "zone", "ep"])
        .unique()
    )
    polars = set(
        eps.join(cleared, on=["plate", "zone", "ep"], how="anti")
        .select(["plate", "zone", "alert_ts"])
        .iter_rows()
    )
    inc = _incremental(sightings, inspections, seed)
    assert inc  # the traffic must produce alerts, or the equality proves nothing
    assert inc == duck == polars


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300), fmt=st.sampled_from(["csv", "jsonl"]))
def test_parsers_never_raise(text: str, fmt: str) -> None:
    for line, item in parse_text(text, fmt=fmt):
        assert line >= 1
        assert isinstance(item, Sighting | Inspection | BadRecord)


def test_unreadable_csv_lines_are_counted_and_the_rest_read() -> None:
    huge = "x" * 200_000  # beyond the csv module's field size limit: csv.Error, not ValueError
    text = f"plate,at,zone_id\nA1,2026-11-23T05:00:00Z,{huge}\nC1,2026-11-23T05:01:00Z,z\n"
    items = [i for _, i in parse_text(text, fmt="csv")]
    assert isinstance(items[0], BadRecord) and "unreadable CSV" in items[0].reason
    assert isinstance(items[-1], Sighting) and items[-1].plate == "C1"


def test_loiter_counts_expire_when_the_corridor_window_closes() -> None:
    window = (T0, T0 + timedelta(hours=2))
    corridor = corridor_zone(
        movement_id="m1", route=[(67.16, 24.90), (67.35, 24.78)], width_m=500, window=window
    )
    monitor = CordonMonitor(ZoneIndex([corridor]), Config(lateness_s=0))
    monitor.push(Sighting("CAR1", T0 + timedelta(minutes=5), "patrol", corridor.id))
    monitor.flush()
    monitor._expire((T0 + timedelta(hours=1)).timestamp())
    assert monitor.snapshot()["loiter"]  # still inside the window: the count is kept
    monitor._expire((T0 + timedelta(hours=3)).timestamp())
    assert monitor.snapshot()["loiter"] == []


def test_an_event_at_the_instant_just_released_is_not_late() -> None:
    zone = Zone(id="z0", ring="outer", place="site:0", geometry=Point(0, 0), site_id="0")
    monitor = CordonMonitor(ZoneIndex([zone]), Config(lateness_s=0))
    monitor.push(Sighting("CAR1", T0, "camera", "z0"))
    monitor.push(Inspection("CAR1", T0, "gate", "0"))
    monitor.push(Sighting("CAR1", T0 - timedelta(seconds=1), "camera", "z0"))
    assert monitor.late == 1 and monitor.processed == 2


@pytest.mark.parametrize("lat", [0.0, 35.29, 60.0])
def test_corridor_width_is_metres_at_any_latitude(lat: float) -> None:
    geod = Geod(ellps="WGS84")
    lon2, lat2, _ = geod.fwd(73.0, lat, 0.0, 20_000)  # a 20 km route due north
    window = (T0, T0 + timedelta(hours=1))
    zone = corridor_zone(movement_id="m", route=[(73.0, lat), (lon2, lat2)], width_m=500, window=window)
    mid_lon, mid_lat, _ = geod.fwd(73.0, lat, 0.0, 10_000)
    for distance, inside in ((480, True), (520, False)):
        for azimuth in (90.0, 270.0):
            x, y, _ = geod.fwd(mid_lon, mid_lat, azimuth, distance)
            assert zone.geometry.contains(Point(x, y)) is inside, (distance, azimuth)
