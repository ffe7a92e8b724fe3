"""Facts that pass every default rule, and helpers to vary them (shared by the protocol tests)."""

from __future__ import annotations

from functools import cache
from typing import Any

from outrider.protocols.engine import CompiledProtocol, compile_protocol
from outrider.protocols.facts import MovementFacts
from outrider.protocols.loader import load_default_protocol

PLAN_OK: dict[str, Any] = {
    "protected_persons": 3,
    "vehicles": 2,
    "armoured_vehicles": 2,
    "escort_units": 1,
    "escort_vehicles": 2,
    "departure_local_hour": 9,
    "departure_local_minute": 545,
    "arrival_local_hour": 11,
    "departure_in_night_window": False,
    "arrival_in_night_window": False,
    "route_length_km": 42.5,
    "risk_level": 4,
    "risk_score": 3.4,
    "same_route_uses_7d": 1,
    "same_hour_uses_7d": 0,
    "route_clearances": (
        {"unit": "EOD-3", "hours_before_departure": 1.5},
        {"unit": "EOD-3", "segment": "origin-cordon", "hours_before_departure": 1.0},
    ),
    "origin_site_kind": "airport",
    "destination_site_kind": "dam",
    "pickup_cordon_zone": "inner",
    "checkin_interval_min": 30,
}
ACTUAL_OK: dict[str, Any] = {
    "departure_delay_min": 4.0,
    "max_checkin_gap_min": 28.0,
    "max_route_deviation_m": 120.0,
    "escort_present_at_departure": True,
    "longest_unplanned_stop_min": 6.0,
    "persons_counted_at_arrival": 3,
    "itinerary_released_hours_before_departure": 12.0,
    "itinerary_readers_before_departure": 5,
}


def facts(**changes: Any) -> MovementFacts:
    """Facts of a compliant, completed movement with `changes` applied."""
    return MovementFacts.model_validate({**PLAN_OK, **ACTUAL_OK, **changes})


@cache
def default_compiled() -> CompiledProtocol:
    """The default protocol, compiled once per test session."""
    return compile_protocol(load_default_protocol())
