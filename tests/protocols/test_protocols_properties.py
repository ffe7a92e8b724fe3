"""Properties: the CEL engine agrees with a plain-Python reading of the default rules on random facts;
arbitrary expression text is either compiled or rejected with an ExpressionError, never a crash."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from protocols_fixtures import default_compiled

from outrider.protocols.engine import evaluate
from outrider.protocols.expressions import ExpressionError, compile_checked
from outrider.protocols.facts import DEFAULT_SCHEMA, MovementFacts


def _reference(f: MovementFacts) -> dict[str, str]:
    """The default rules written by hand, outcome per rule id (execution facts assumed known)."""

    def rule(applies: bool, ok: bool) -> str:
        return "not_applicable" if not applies else ("pass" if ok else "fail")

    high = f.risk_level >= 4
    cleared = any(0.0 <= c.hours_before_departure <= 2.0 for c in f.route_clearances)
    swept = any(
        c.segment == "origin-cordon" and 0.0 <= c.hours_before_departure <= 2.0 for c in f.route_clearances
    )
    return {
        "escort-ratio": rule(True, f.escort_units >= 1 and f.escort_vehicles >= f.vehicles),
        "armoured-high-risk": rule(high, f.armoured_vehicles >= f.vehicles),
        "no-night-high-risk": rule(high, not f.departure_in_night_window and not f.arrival_in_night_window),
        "route-variation": rule(True, f.same_route_uses_7d <= 1),
        "departure-time-varied": rule(True, f.same_hour_uses_7d == 0),
        "route-cleared-high-risk": rule(high, cleared),
        "airport-pickup-inner-cordon": rule(f.origin_site_kind == "airport", f.pickup_cordon_zone == "inner"),
        "checkin-interval": rule(True, 0 < f.checkin_interval_min <= 30),
        "checkin-gap": rule(True, (f.max_checkin_gap_min or 0) <= 30.0),
        "no-long-unplanned-stop": rule(True, (f.longest_unplanned_stop_min or 0) <= 10.0),
        "escort-present-at-departure": rule(True, bool(f.escort_present_at_departure)),
        "persons-counted-at-arrival": rule(True, f.persons_counted_at_arrival == f.protected_persons),
        "route-adherence": rule(True, (f.max_route_deviation_m or 0) <= 500.0),
        "no-departure-critical-cordon-alert": rule(True, f.open_critical_cordon_alerts_origin_or_route == 0),
        "alerts-taken-before-departure": rule(True, f.open_unacknowledged_alerts == 0),
        "origin-cordon-swept": rule(f.origin_site_kind != "point", swept),
        "itinerary-released-on-time": rule(
            f.itinerary_released_hours_before_departure is not None,
            (f.itinerary_released_hours_before_departure or 0) <= f.itinerary_release_hours_allowed,
        ),
        "itinerary-few-readers": rule(True, f.itinerary_readers_before_departure <= 12),
    }


small = st.integers(min_value=0, max_value=6)
minutes = st.floats(min_value=0, max_value=120, allow_nan=False)
facts_strategy = st.builds(
    MovementFacts,
    protected_persons=st.integers(min_value=1, max_value=6),
    vehicles=small,
    armoured_vehicles=small,
    escort_units=small,
    escort_vehicles=small,
    departure_local_hour=st.integers(0, 23),
    departure_local_minute=st.integers(0, 1439),
    arrival_local_hour=st.integers(0, 23),
    departure_in_night_window=st.booleans(),
    arrival_in_night_window=st.booleans(),
    route_length_km=st.floats(0, 500, allow_nan=False),
    risk_level=st.integers(1, 5),
    risk_score=st.floats(0, 25, allow_nan=False),
    same_route_uses_7d=small,
    same_hour_uses_7d=small,
    route_clearances=st.lists(
        st.builds(
            dict,
            unit=st.just("u"),
            segment=st.sampled_from(["", "gate", "origin-cordon"]),
            hours_before_departure=st.floats(-3, 6, allow_nan=False),
        ),
        max_size=3,
    ).map(tuple),
    origin_site_kind=st.sampled_from(["airport", "dam", "office", "point"]),
    destination_site_kind=st.sampled_from(["airport", "dam", "port"]),
    pickup_cordon_zone=st.sampled_from(["inner", "outer", "outside"]),
    checkin_interval_min=st.integers(0, 90),
    departure_delay_min=minutes,
    max_checkin_gap_min=minutes,
    max_route_deviation_m=st.floats(0, 3000, allow_nan=False),
    escort_present_at_departure=st.booleans(),
    longest_unplanned_stop_min=minutes,
    persons_counted_at_arrival=small,
    open_critical_cordon_alerts_origin_or_route=small,
    open_unacknowledged_alerts=small,
    itinerary_released_hours_before_departure=st.none() | st.floats(-5, 100, allow_nan=False),
    itinerary_release_hours_allowed=st.floats(0, 72, allow_nan=False),
    itinerary_readers_before_departure=st.integers(0, 30),
)


@settings(max_examples=200, deadline=None)
@given(facts_strategy)
def test_engine_agrees_with_python_reference(f: MovementFacts) -> None:
    compiled = default_compiled()
    got: dict[str, Any] = {}
    for phase in ("plan", "departure", "execution"):
        got.update({r.rule_id: r.outcome for r in evaluate(compiled, f, phase).results})
    assert got == _reference(f)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *DEFAULT_SCHEMA.facts,
                "(",
                ")",
                "[",
                "]",
                "!",
                "-",
                "<",
                ">=",
                "==",
                "&&",
                "||",
                "+",
                "/",
                "?",
                ":",
                "1",
                "[0]",
                "int(",
                "unknownfn(",
                "2.5",
                "'x'",
                "true",
                "null",
                ".",
                "size(",
                ",",
                "c",
                "exists(c,",
                "in",
            ]
        ),
        max_size=25,
    ).map(" ".join)
)
def test_arbitrary_text_compiles_or_is_rejected_cleanly(source: str) -> None:
    kind = "ok"
    try:
        checked = compile_checked(source, DEFAULT_SCHEMA)
    except ExpressionError as exc:
        kind = exc.kind
    assert kind in {"ok", "limit", "syntax", "unknown_fact", "unknown_function", "type"}
    if kind == "ok":
        assert all(DEFAULT_SCHEMA.lookup(p) or p.split(".")[0] in DEFAULT_SCHEMA.facts for p in checked.reads)
