"""The evidence lens, without a database: outside the holder's organisation nothing shown of an evaluation
(facts, the facts each rule read, the facts hash) depends on the risk figures; the outcomes are untouched."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from protocols_fixtures import facts

from outrider.protocols.engine import facts_hash
from outrider.protocols.risk_evidence import RISK_FACTS, WHOLE, EvidenceLens

OUTSIDE = EvidenceLens(False)
levels = st.integers(min_value=1, max_value=5)
scores = st.floats(min_value=0, max_value=500, allow_nan=False)


def _stored(level: int, score: float) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    variables = facts(risk_level=level, risk_score=score).to_variables()
    results = [
        {
            "rule_id": "armoured-high-risk",
            "outcome": "fail" if level >= 4 else "not_applicable",
            "severity": "blocking",
            "message": "",
            "facts_read": {"risk_level": level, "armoured_vehicles": 0, "vehicles": 1},
        }
    ]
    return variables, results


@given(levels, scores, levels, scores)
def test_outside_the_holder_nothing_shown_moves_with_the_risk_figures(
    level: int, score: float, other_level: int, other_score: float
) -> None:
    a_facts, a_results = _stored(level, score)
    b_facts, b_results = _stored(other_level, other_score)
    apart = [
        [{k: v for k, v in r.items() if k != "outcome"} for r in OUTSIDE.results(x)]
        for x in (a_results, b_results)
    ]
    assert apart[0] == apart[1]  # but for the outcome (the gate's), the same whatever the figures
    assert OUTSIDE.facts(a_facts) == OUTSIDE.facts(b_facts)
    assert not set(RISK_FACTS) & set(OUTSIDE.facts(a_facts))
    hashes = {OUTSIDE.facts_hash(facts_hash(f), f) for f in (a_facts, b_facts)}
    assert len(hashes) == 1
    shown = OUTSIDE.results(a_results)
    assert [r["facts_read"] for r in shown] == [{"armoured_vehicles": 0, "vehicles": 1}]
    # the outcome stands: it is the gate's, judged on the holder's figure
    assert [r["outcome"] for r in shown] == [r["outcome"] for r in a_results]
    assert OUTSIDE.withheld == list(RISK_FACTS)


@given(levels, scores)
def test_the_holder_is_shown_the_evidence_as_stored(level: int, score: float) -> None:
    stored, results = _stored(level, score)
    stored_hash = facts_hash(stored)
    assert WHOLE.facts(stored) == stored and WHOLE.results(results) == results
    assert WHOLE.facts_hash(stored_hash, stored) == stored_hash and WHOLE.withheld == []
    # the hash a reader outside is shown is the hash of what it is shown: it can check it
    assert OUTSIDE.facts_hash(stored_hash, stored) == facts_hash(OUTSIDE.facts(stored))
