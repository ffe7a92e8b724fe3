"""Every rule of the default protocol, with facts that pass it and facts that fail it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from protocols_fixtures import default_compiled, facts

from outrider.protocols.engine import Evaluation, evaluate
from outrider.protocols.facts import DEFAULT_SCHEMA

# rule id, phase, changes that keep it passing, changes that make it fail
CASES: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    ("escort-ratio", "plan", {"escort_vehicles": 3}, {"escort_vehicles": 1}),
    ("escort-ratio", "plan", {"escort_units": 2}, {"escort_units": 0}),
    ("armoured-high-risk", "plan", {"risk_level": 5}, {"armoured_vehicles": 1}),
    ("no-night-high-risk", "plan", {"risk_level": 5}, {"departure_in_night_window": True}),
    ("no-night-high-risk", "plan", {"risk_level": 4}, {"arrival_in_night_window": True}),
    ("route-variation", "plan", {"same_route_uses_7d": 0}, {"same_route_uses_7d": 2}),
    ("departure-time-varied", "plan", {"same_hour_uses_7d": 0}, {"same_hour_uses_7d": 1}),
    (
        "route-cleared-high-risk",
        "execution",
        {"route_clearances": ({"unit": "A", "hours_before_departure": 2.0},)},
        {"route_clearances": ({"unit": "A", "hours_before_departure": 2.5},)},
    ),
    ("route-cleared-high-risk", "execution", {"risk_level": 4}, {"route_clearances": ()}),
    ("airport-pickup-inner-cordon", "plan", {"pickup_cordon_zone": "inner"}, {"pickup_cordon_zone": "outer"}),
    ("airport-pickup-inner-cordon", "plan", {}, {"pickup_cordon_zone": "outside"}),
    ("checkin-interval", "plan", {"checkin_interval_min": 15}, {"checkin_interval_min": 31}),
    ("checkin-interval", "plan", {"checkin_interval_min": 1}, {"checkin_interval_min": 0}),
    ("checkin-gap", "execution", {"max_checkin_gap_min": 30.0}, {"max_checkin_gap_min": 30.5}),
    (
        "no-long-unplanned-stop",
        "execution",
        {"longest_unplanned_stop_min": 10.0},
        {"longest_unplanned_stop_min": 40.0},
    ),
    ("escort-present-at-departure", "execution", {}, {"escort_present_at_departure": False}),
    ("persons-counted-at-arrival", "execution", {}, {"persons_counted_at_arrival": 2}),
    ("route-adherence", "execution", {"max_route_deviation_m": 500.0}, {"max_route_deviation_m": 501.0}),
    (
        "no-departure-critical-cordon-alert",
        "departure",
        {"open_critical_cordon_alerts_origin_or_route": 0, "open_cordon_alerts": 1},
        {"open_critical_cordon_alerts_origin_or_route": 1},
    ),
    ("alerts-taken-before-departure", "departure", {}, {"open_unacknowledged_alerts": 2}),
    (
        "origin-cordon-swept",
        "departure",
        {"route_clearances": ({"unit": "A", "segment": "origin-cordon", "hours_before_departure": 2.0},)},
        {"route_clearances": ({"unit": "A", "segment": "origin-cordon", "hours_before_departure": 2.5},)},
    ),
    (
        "origin-cordon-swept",
        "departure",
        {"route_clearances": ({"unit": "A", "segment": "origin-cordon", "hours_before_departure": 0.0},)},
        {"route_clearances": ({"unit": "A", "segment": "gate", "hours_before_departure": 1.0},)},
    ),
    (
        "itinerary-released-on-time",
        "execution",
        {"itinerary_released_hours_before_departure": 24.0},
        {"itinerary_released_hours_before_departure": 30.0},
    ),
    (
        "itinerary-released-on-time",
        "execution",
        {"itinerary_release_hours_allowed": 48.0, "itinerary_released_hours_before_departure": 30.0},
        {"itinerary_release_hours_allowed": 6.0},
    ),
    (
        "itinerary-few-readers",
        "execution",
        {"itinerary_readers_before_departure": 12},
        {"itinerary_readers_before_departure": 13},
    ),
]


def _outcome(evaluation: Evaluation, rule_id: str) -> str:
    return next(r.outcome for r in evaluation.results if r.rule_id == rule_id)


@pytest.mark.parametrize(("rule_id", "phase", "ok", "bad"), CASES)
def test_rule_passes_and_fails(rule_id: str, phase: Any, ok: dict[str, Any], bad: dict[str, Any]) -> None:
    compiled = default_compiled()
    assert _outcome(evaluate(compiled, facts(**ok), phase), rule_id) == "pass"
    failed = evaluate(compiled, facts(**bad), phase)
    assert _outcome(failed, rule_id) == "fail"
    severity = next(r.rule.severity for r in compiled.rules if r.rule.id == rule_id)
    assert rule_id in (failed.blocking_failures if severity == "blocking" else failed.warnings)
    # Only the rule under test fails: the fixtures are compliant otherwise.
    assert set(failed.blocking_failures + failed.warnings) == {rule_id}


def test_every_default_rule_is_covered() -> None:
    assert {c[0] for c in CASES} == {r.rule.id for r in default_compiled().rules}


@pytest.mark.parametrize(
    ("rule_id", "changes"),
    [
        ("armoured-high-risk", {"risk_level": 3, "armoured_vehicles": 0}),
        ("no-night-high-risk", {"risk_level": 2, "departure_in_night_window": True}),
        ("airport-pickup-inner-cordon", {"origin_site_kind": "office", "pickup_cordon_zone": "outside"}),
        ("origin-cordon-swept", {"origin_site_kind": "point", "route_clearances": ()}),
    ],
)
def test_conditional_rules_do_not_apply_outside_their_condition(
    rule_id: str, changes: dict[str, Any]
) -> None:
    phase = "departure" if rule_id == "origin-cordon-swept" else "plan"
    evaluation = evaluate(default_compiled(), facts(**changes), phase)
    assert _outcome(evaluation, rule_id) == "not_applicable"
    assert evaluation.passed


def test_actual_facts_unknown_make_execution_rules_not_applicable() -> None:
    unknown = facts(
        max_checkin_gap_min=None,
        longest_unplanned_stop_min=None,
        escort_present_at_departure=None,
        persons_counted_at_arrival=None,
        max_route_deviation_m=None,
        departure_delay_min=None,
        itinerary_released_hours_before_departure=None,
    )
    evaluation = evaluate(default_compiled(), unknown, "execution")
    outcomes = {r.rule_id: r.outcome for r in evaluation.results}
    assert outcomes.pop("route-cleared-high-risk") == "pass"
    assert outcomes.pop("itinerary-few-readers") == "pass"  # a count is known at every moment
    assert set(outcomes.values()) == {"not_applicable"}


def test_phase_selects_rules_and_records_evidence() -> None:
    compiled = default_compiled()
    plan = evaluate(compiled, facts(), "plan")
    execution = evaluate(compiled, facts(), "execution")
    departure = evaluate(compiled, facts(), "departure")
    assert {r.rule_id for r in plan.results}.isdisjoint({r.rule_id for r in execution.results})
    assert {r.rule_id for r in departure.results} == {
        "no-departure-critical-cordon-alert",
        "alerts-taken-before-departure",
        "origin-cordon-swept",
    }
    assert plan.protocol_hash == compiled.hash and plan.protocol_version == 1
    ratio = next(r for r in plan.results if r.rule_id == "escort-ratio")
    assert dict(ratio.facts_read) == {"escort_units": 1, "escort_vehicles": 2, "vehicles": 2}


def test_facts_hash_binds_the_snapshot() -> None:
    compiled = default_compiled()
    first = evaluate(compiled, facts(), "plan").facts_hash
    assert first == evaluate(compiled, facts(), "plan").facts_hash
    assert first != evaluate(compiled, facts(route_length_km=42.6), "plan").facts_hash


def test_protocol_not_applicable_without_protected_persons() -> None:
    evaluation = evaluate(
        default_compiled(), facts(protected_persons=0, persons_counted_at_arrival=0), "plan"
    )
    assert not evaluation.applicable and evaluation.results == () and evaluation.passed


def test_docs_list_every_fact_and_default_rule() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "protocols.md").read_text("utf-8")
    missing = [s.name for s in DEFAULT_SCHEMA.all_specs() if f"`{s.name}`" not in docs]
    missing += [r.rule.id for r in default_compiled().rules if f"| {r.rule.id} |" not in docs]
    assert missing == []
