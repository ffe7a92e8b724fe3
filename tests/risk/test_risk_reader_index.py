"""A reader's index (the holder's without the events withheld from the reader) scores exactly as an index
built from the readable events alone, never above the holder's, and is shared between reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outrider.risk import readers
from outrider.risk.incident import Incident
from outrider.risk.index import IncidentIndex
from outrider.risk.parameters import RiskParameters
from outrider.risk.scoring import route_risk, site_risk

AT = datetime(2025, 1, 1, tzinfo=UTC)
ALL = RiskParameters(explain_top=10**6)
ROUTE = [[69.0, 29.6], [69.5, 30.0], [70.0, 30.4]]

events = st.lists(
    st.tuples(
        st.floats(29.5, 30.5),
        st.floats(69.0, 70.0),
        st.integers(0, 20),
        st.floats(0.0, 20_000.0),  # a town's extent, or 0 for a point
        st.booleans(),  # withheld from the reader
    ),
    max_size=40,
)


def _incident(k: int, lat: float, lon: float, killed: int, extent: float) -> Incident:
    return Incident(
        id=f"ev-{k}", lat=lat, lon=lon, date=AT - timedelta(days=k + 1), killed=killed, extent_m=extent
    )


@settings(max_examples=40, deadline=None)
@given(events)
def test_the_readers_index_scores_as_the_readable_events_alone(
    rows: list[tuple[float, float, int, float, bool]],
) -> None:
    incidents = [
        _incident(k, lat, lon, killed, extent) for k, (lat, lon, killed, extent, _) in enumerate(rows)
    ]
    withheld = frozenset(f"ev-{k}" for k, row in enumerate(rows) if row[4])
    holder = IncidentIndex(incidents)
    mine = readers.reader_index(holder, withheld)
    alone = IncidentIndex(i for i in incidents if i.id not in withheld)
    for score in (
        lambda ix: route_risk(ROUTE, AT, ix, ALL),
        lambda ix: site_risk(30.0, 69.5, 30_000.0, AT, ix, ALL),
    ):
        got, want, full = score(mine), score(alone), score(holder)
        assert got.incident_count == want.incident_count and got.score == pytest.approx(want.score)
        assert {d.incident_id for d in got.drivers} == {d.incident_id for d in want.drivers}
        assert not {d.incident_id for d in got.drivers} & withheld
        assert got.score <= full.score + 1e-9  # withholding never raises a reader's score
    assert len(holder) == len(incidents)  # the holder's index is left whole


def test_a_readers_index_is_built_once_per_holder_index_and_withheld_set() -> None:
    holder = IncidentIndex([_incident(k, 30.0, 69.5, 1, 0.0) for k in range(3)])
    first = readers.reader_index(holder, frozenset({"ev-1"}))
    assert readers.reader_index(holder, frozenset({"ev-1"})) is first
    assert readers.reader_index(holder, frozenset({"ev-1", "ev-2"})) is not first
    assert readers.reader_index(holder.copy(), frozenset({"ev-1"})) is not first  # a newer holder index
