"""Protocol evaluation: the default protocol over synthetic movements' facts, against plain Python.

Prints evaluations per second of the CEL engine, the same rules as plain Python functions in the same
harness (same evidence and facts hash), the rule calls alone, and the comparison of the two CEL
libraries (correctness on spec cases, agreement on the default rules, cost per call).
Usage: python benchmarks/protocols_eval.py [--quick]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from typing import Any

import cel
import celpy
from celpy.adapter import json_to_cel

from outrider.protocols.engine import (
    EvalPhase,
    Evaluation,
    RuleResult,
    compile_protocol,
    evaluate,
    facts_hash,
)
from outrider.protocols.facts import MovementFacts
from outrider.protocols.loader import load_default_protocol

Vars = dict[str, Any]


def synthetic_facts(n: int, seed: int = 20261123) -> list[Vars]:
    """Seeded facts of `n` completed movements, as the CEL variables the engine reads."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        vehicles = rng.randint(1, 4)
        persons = rng.randint(1, 8)
        hour = rng.randint(0, 23)
        facts = MovementFacts(
            protected_persons=persons,
            vehicles=vehicles,
            armoured_vehicles=rng.randint(0, vehicles),
            escort_units=rng.randint(0, 3),
            escort_vehicles=rng.randint(0, 5),
            departure_local_hour=hour,
            departure_local_minute=hour * 60 + rng.randint(0, 59),
            arrival_local_hour=(hour + rng.randint(0, 4)) % 24,
            departure_in_night_window=hour < 6 or hour >= 20,
            arrival_in_night_window=rng.random() < 0.2,
            route_length_km=round(rng.uniform(2, 300), 1),
            risk_level=rng.randint(1, 5),
            risk_score=round(rng.uniform(0, 25), 2),
            same_route_uses_7d=rng.randint(0, 4),
            same_hour_uses_7d=rng.randint(0, 2),
            route_clearances=tuple(
                {"unit": f"EOD-{rng.randint(1, 9)}", "hours_before_departure": round(rng.uniform(-1, 5), 2)}
                for _ in range(rng.randint(0, 2))
            ),
            origin_site_kind=rng.choice(["airport", "dam", "plant", "office", "port"]),
            destination_site_kind=rng.choice(["airport", "dam", "plant", "office", "port"]),
            pickup_cordon_zone=rng.choice(["inner", "inner", "outer", "outside"]),
            checkin_interval_min=rng.choice([15, 20, 30, 45, 60]),
            departure_delay_min=round(rng.uniform(-5, 40), 1),
            max_checkin_gap_min=round(rng.uniform(5, 60), 1),
            max_route_deviation_m=round(rng.uniform(0, 1500), 1),
            escort_present_at_departure=rng.random() < 0.9,
            longest_unplanned_stop_min=round(rng.uniform(0, 25), 1),
            persons_counted_at_arrival=persons - (rng.random() < 0.05),
        )
        out.append(facts.to_variables())
    return out


def _high(v: Vars) -> bool:
    return bool(v["risk_level"] >= 4)


# The default rules as plain Python: (id, severity, phase, reads, when, require).
PY_RULES: list[tuple[str, str, str, tuple[str, ...], Callable[[Vars], bool], Callable[[Vars], bool]]] = [
    ("escort-ratio", "blocking", "plan", ("escort_units", "escort_vehicles", "vehicles"), lambda v: True,
     lambda v: v["escort_units"] >= 1 and v["escort_vehicles"] >= v["vehicles"]),
    ("armoured-high-risk", "blocking", "plan", ("risk_level", "armoured_vehicles", "vehicles"), _high,
     lambda v: v["armoured_vehicles"] >= v["vehicles"]),
    ("no-night-high-risk", "blocking", "plan",
     ("risk_level", "departure_in_night_window", "arrival_in_night_window"), _high,
     lambda v: not v["departure_in_night_window"] and not v["arrival_in_night_window"]),
    ("route-variation", "blocking", "plan", ("same_route_uses_7d",), lambda v: True,
     lambda v: v["same_route_uses_7d"] <= 1),
    ("departure-time-varied", "warning", "plan", ("same_hour_uses_7d",), lambda v: True,
     lambda v: v["same_hour_uses_7d"] == 0),
    ("route-cleared-high-risk", "blocking", "execution", ("risk_level", "route_clearances"), _high,
     lambda v: any(0.0 <= c["hours_before_departure"] <= 2.0 for c in v["route_clearances"])),
    ("airport-pickup-inner-cordon", "blocking", "plan", ("origin_site_kind", "pickup_cordon_zone"),
     lambda v: v["origin_site_kind"] == "airport", lambda v: v["pickup_cordon_zone"] == "inner"),
    ("checkin-interval", "blocking", "plan", ("checkin_interval_min",), lambda v: True,
     lambda v: 0 < v["checkin_interval_min"] <= 30),
    ("checkin-gap", "blocking", "execution", ("max_checkin_gap_min",), lambda v: True,
     lambda v: v["max_checkin_gap_min"] <= 30.0),
    ("no-long-unplanned-stop", "blocking", "execution", ("longest_unplanned_stop_min",), lambda v: True,
     lambda v: v["longest_unplanned_stop_min"] <= 10.0),
    ("escort-present-at-departure", "blocking", "execution", ("escort_present_at_departure",),
     lambda v: True, lambda v: bool(v["escort_present_at_departure"])),
    ("persons-counted-at-arrival", "blocking", "execution",
     ("persons_counted_at_arrival", "protected_persons"), lambda v: True,
     lambda v: v["persons_counted_at_arrival"] == v["protected_persons"]),
    ("route-adherence", "warning", "execution", ("max_route_deviation_m",), lambda v: True,
     lambda v: v["max_route_deviation_m"] <= 500.0),
]  # fmt: skip


def python_evaluate(v: Vars, phase: EvalPhase, protocol_hash: str) -> Evaluation:
    """The same evaluation with the rules as Python functions, in the same harness."""
    applicable = v["protected_persons"] > 0
    results = []
    if applicable:
        for rule_id, severity, rule_phase, reads, when, require in PY_RULES:
            if rule_phase != phase and rule_phase != "both":
                continue
            read = tuple((p, v.get(p)) for p in reads)
            if None in (x for _, x in read):
                results.append(RuleResult(rule_id, "not_applicable", severity, read, "fact unknown"))
            elif not when(v):
                results.append(RuleResult(rule_id, "not_applicable", severity, read))
            else:
                results.append(RuleResult(rule_id, "pass" if require(v) else "fail", severity, read))
    return Evaluation(
        "default-protection", 1, protocol_hash, facts_hash(v), phase, applicable, tuple(results)
    )  # type: ignore[arg-type]


def _rate(label: str, n: int, seconds: float) -> float:
    print(f"  {label:<46} {n / seconds:>12,.0f} /s   ({seconds * 1e6 / n:7.2f} µs each)")
    return seconds


SPEC_CASES: list[tuple[str, Any]] = [
    ("escort_units >= 1 && escort_vehicles >= vehicles", True),
    ("3 > 1.5", True),  # heterogeneous numeric comparison (CEL spec since 2023)
    ("1 == 1.0", True),
    ("route_clearances.exists(c, c.hours_before_departure <= 2.0)", True),
    ("pickup_cordon_zone in ['inner', 'outer']", True),
    ("size(origin_site_kind) == 7", True),
    ("false && (1 / 0 == 1)", False),  # errors are absorbed by && and || in either order
    ("(1 / 0 == 1) || true", True),
    ("[1, 2, 3].all(x, x > 0)", True),
    ("'airport'.startsWith('air')", True),
    ("risk_level >= 4 ? 2 : 1", 2),
    ("1 + 2.5", "error"),  # no implicit int/double arithmetic
    ("9223372036854775807 + 1", "error"),  # int64 overflow is an error
]
SPEC_VARS: Vars = {
    "escort_units": 1, "escort_vehicles": 2, "vehicles": 2, "risk_level": 4, "origin_site_kind": "airport",
    "pickup_cordon_zone": "inner", "route_clearances": [{"unit": "u", "hours_before_departure": 1.5}],
}  # fmt: skip


def _to_cel(variables: Vars) -> Any:
    return json_to_cel(variables)


def _run_cel(source: str, variables: Vars) -> Any:
    try:
        return cel.compile(source).execute(variables)
    except Exception:
        return "error"


def _run_celpy(source: str, variables: Vars) -> Any:
    try:
        env = celpy.Environment()
        value: Any = env.program(env.compile(source)).evaluate(_to_cel(variables))
        return (
            "error"
            if isinstance(value, Exception)
            else (bool(value) if isinstance(value, bool) else int(value))
        )
    except Exception:
        return "error"


def compare_libraries(sample: list[Vars]) -> None:
    """Correctness on spec cases and on the default rules, and cost per call, of both libraries."""
    print("CEL libraries: common-expression-language (cel) vs cel-python (celpy)")
    for name, run in (("cel", _run_cel), ("celpy", _run_celpy)):
        wrong = [src for src, want in SPEC_CASES if run(src, SPEC_VARS) != want]
        print(
            f"  {name:<6} spec cases right: {len(SPEC_CASES) - len(wrong)}/{len(SPEC_CASES)}  wrong: {wrong}"
        )
    loaded = load_default_protocol()
    env = celpy.Environment()
    agree = total = 0
    cel_s = celpy_s = 0.0
    for rule in loaded.document.rules:
        cel_prog = cel.compile(rule.require)
        py_prog = env.program(env.compile(rule.require))
        heads = [h for h in SPEC_VARS.keys() | sample[0].keys() if h in rule.require]
        contexts = [{h: v[h] for h in heads} for v in sample]
        cel_out: list[Any] = []
        py_out: list[Any] = []
        started = time.perf_counter()
        for ctx in contexts:
            cel_out.append(cel_prog.execute(ctx))
        cel_s += time.perf_counter() - started
        started = time.perf_counter()
        for ctx in contexts:
            try:
                py_out.append(bool(py_prog.evaluate(_to_cel(ctx))))
            except Exception:
                py_out.append("error")
        celpy_s += time.perf_counter() - started
        agree += sum(a == b for a, b in zip(cel_out, py_out, strict=True))
        total += len(contexts)
    print(f"  default rules' require on {len(sample):,} movements: agreement {agree}/{total}")
    print(f"  cost per call: cel {cel_s / total * 1e6:.2f} µs, celpy {celpy_s / total * 1e6:.2f} µs "
          f"(celpy/cel = {celpy_s / cel_s:.1f}×)")  # fmt: skip


def main() -> None:
    """Run the benchmark and print figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10,000 movements instead of 100,000")
    args = parser.parse_args()
    n = 10_000 if args.quick else 100_000
    started = time.perf_counter()
    movements = synthetic_facts(n)
    print(f"{n:,} synthetic movements generated in {time.perf_counter() - started:.1f} s (not timed below)")
    compiled = compile_protocol(load_default_protocol())
    print("Evaluations (plan + execution phase per movement = 2 evaluations):")
    started = time.perf_counter()
    cel_blocking = sum(len(evaluate(compiled, v, "plan").blocking_failures) for v in movements)
    cel_blocking += sum(len(evaluate(compiled, v, "execution").blocking_failures) for v in movements)
    cel_time = _rate("CEL engine (evidence + facts hash)", 2 * n, time.perf_counter() - started)
    started = time.perf_counter()
    py_blocking = sum(len(python_evaluate(v, "plan", compiled.hash).blocking_failures) for v in movements)
    py_blocking += sum(
        len(python_evaluate(v, "execution", compiled.hash).blocking_failures) for v in movements
    )
    py_time = _rate("plain Python rules, same harness", 2 * n, time.perf_counter() - started)
    assert cel_blocking == py_blocking, (cel_blocking, py_blocking)
    print(
        f"  blocking failures counted: {cel_blocking:,} (identical)  "
        f"ratio CEL/Python: {cel_time / py_time:.2f}×"
    )
    print("Rule calls alone (one combined program per rule vs a Python function pair):")
    contexts = [[{h: v[h] for h in r.heads} for r in compiled.rules] for v in movements]
    started = time.perf_counter()
    for ctxs in contexts:
        for rule, ctx in zip(compiled.rules, ctxs, strict=True):
            rule.program.execute(ctx)
    calls = n * len(compiled.rules)
    cel_calls = _rate("CEL program.execute", calls, time.perf_counter() - started)
    started = time.perf_counter()
    for v in movements:
        for _rid, _sev, _ph, _reads, when, require in PY_RULES:
            if when(v):
                require(v)
    py_calls = _rate("Python when/require", calls, time.perf_counter() - started)
    print(f"  ratio CEL/Python on rule calls alone: {cel_calls / py_calls:.1f}×")
    compare_libraries(movements[: 500 if args.quick else 2000])


if __name__ == "__main__":
    main()
