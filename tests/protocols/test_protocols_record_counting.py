"""The compliance report counts the movement as planned and executed, not previews or refused clicks:
the issue's scenario (a planner's failing previews, a refused approval, then the real trip) on the stored
evaluations, and properties of the selection on random histories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from protocols_world import agree, scene

from outrider.protocols.counting import GATED, RECORD_TRIGGER, of_record, refused
from outrider.protocols.report import EvaluationRecord

T0 = datetime(2026, 3, 1, 6, tzinfo=UTC)


def _post(client: TestClient, world: Any, path: str, who: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"/api/v1/movements/{path}", json=body or {}, headers=world[who].headers)


def test_previews_and_a_refused_approval_are_not_failed_checks(client: TestClient, world: Any) -> None:
    agree(world)
    sc = scene(client, world, tag="real")  # submitted without an escort: escort-ratio fails
    mid = sc["movement"]
    for _ in range(2):  # the planner previews, twice, before fixing anything
        preview = _post(client, world, f"{mid}/protocol-evaluations", "coord")
        assert preview.status_code == 200 and preview.json()["blocking"] == ["escort-ratio"]
    assert _post(client, world, f"{mid}/approve", "duty").status_code == 409  # the refused click
    assert _post(client, world, f"{mid}/escort", "duty", {"unit_ids": [sc["unit"]]}).status_code == 200
    for who in ("duty", "liaison"):
        assert _post(client, world, f"{mid}/approve", who).status_code == 200
    assert _post(client, world, f"{mid}/depart", "duty").status_code == 200
    assert _post(client, world, f"{mid}/arrive", "duty", {"persons_counted": 1}).status_code == 200

    today = datetime.now(UTC).date()
    q = f"/api/v1/protocols/report?from={(today - timedelta(days=1)).isoformat()}&to={today.isoformat()}"
    r = client.get(q, headers=world["auditor"].headers).json()
    # Counted: the plan as approved (the liaison's approval), the departure, the arrival.
    assert (r["evaluations"], r["movements"]) == (3, 1)
    assert r["by_trigger"] == {"approve": 1, "arrive": 1, "depart": 1}
    assert r["previews"] == 2
    assert [(x["trigger"], x["rules"], x["movement_id"]) for x in r["refusals"]] == [
        ("approve", ["escort-ratio"], mid)
    ]
    # The submission check and the duty officer's earlier approval are superseded; nothing is lost.
    assert r["superseded"] == 2 and r["checks_stored"] == 8
    escort = next(x for x in r["rules"] if x["rule_id"] == "escort-ratio")
    assert (escort["evaluated"], escort["passed"], escort["failed"]) == (1, 1, 0)
    assert "escort-ratio" not in {v["rule_id"] for v in r["violations"]}
    # The CSV lists the refusal in a section of its own.
    rows = client.get(q + "&format=csv", headers=world["auditor"].headers).text.splitlines()
    assert sum(1 for line in rows if line.startswith("refusal,")) == 1
    # The web page says the same, in every language.
    session = f"outrider_session={world['auditor'].token}"
    for lang in ("en", "zh-Hans", "ur"):
        page = client.get(
            f"/compliance?from={today.isoformat()}&to={today.isoformat()}",
            headers={"Cookie": f"{session}; outrider_lang={lang}"},
        )
        assert page.status_code == 200 and 'id="not-counted"' in page.text and 'id="refusals"' in page.text
        assert f'lang="{lang}"' in page.text


def _rec(
    n: int, movement: int, phase: str, trigger: str, blocking: tuple[str, ...], **kw: Any
) -> EvaluationRecord:
    values: dict[str, Any] = {
        "evaluation_id": n,
        "at": T0 + timedelta(minutes=n),
        "movement_id": movement,
        "movement_reference": f"MOV-{movement}",
        "organization_id": 3,
        "protocol_id": "default-protection",
        "protocol_version": 1,
        "protocol_hash": "0" * 64,
        "phase": phase,
        "trigger": trigger,
        "passed": not blocking,
        "results": tuple({"rule_id": b, "outcome": "fail", "severity": "blocking"} for b in blocking),
        "waived": (),
        "facts_hash": f"{n:064x}",
        "facts": {},
        "blocking": blocking,
    }
    values.update(kw)
    return EvaluationRecord(**values)


def test_the_last_gate_evaluation_wins_and_a_review_stands_in_only_where_no_gate_ran() -> None:
    records = [
        _rec(1, 1, "plan", "review", ("escort-ratio",)),
        _rec(2, 1, "plan", "approve", ("escort-ratio",)),  # refused
        _rec(3, 1, "plan", "approve", ("escort-ratio",), waived=("escort-ratio",)),  # allowed by a waiver
        _rec(4, 1, "execution", "review", ()),
        _rec(5, 1, "departure", "depart", ("no-departure-critical-cordon-alert",)),  # refused
        _rec(
            6,
            1,
            "departure",
            "depart",
            ("no-departure-critical-cordon-alert",),
            overridden=("no-departure-critical-cordon-alert",),
        ),
        _rec(7, 1, "plan", "manual", ("escort-ratio",)),
        _rec(8, 1, "departure", "clear", ()),
    ]
    chosen = of_record(records)
    assert [r.evaluation_id for r in chosen.records] == [3, 4, 6]
    assert [(x.evaluation_id, x.trigger) for x in chosen.refusals] == [(2, "approve"), (5, "depart")]
    assert (chosen.previews, chosen.superseded, chosen.stored) == (1, 2, 8)


_TRIGGERS = st.sampled_from(["submit", "approve", "clear", "depart", "arrive", "manual", "review"])
_PHASE_OF = {
    "submit": "plan",
    "approve": "plan",
    "clear": "departure",
    "depart": "departure",
    "arrive": "execution",
}


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 3),
            _TRIGGERS,
            st.sampled_from(["plan", "departure", "execution"]),
            st.lists(st.sampled_from(["a", "b"]), max_size=2, unique=True),
            st.lists(st.sampled_from(["a", "b"]), max_size=2, unique=True),
        ),
        max_size=30,
    )
)
def test_every_stored_check_is_counted_once_and_a_refusal_never_as_a_failure(
    items: list[tuple[int, str, str, list[str], list[str]]],
) -> None:
    records = [
        _rec(n, movement, _PHASE_OF.get(trigger, phase), trigger, tuple(blocking), waived=tuple(waived))
        for n, (movement, trigger, phase, blocking, waived) in enumerate(items)
    ]
    chosen = of_record(records)
    assert len(chosen.records) + chosen.previews + len(chosen.refusals) + chosen.superseded == len(records)
    keys = [(r.movement_id, r.protocol_id, r.phase) for r in chosen.records]
    assert len(keys) == len(set(keys))  # one evaluation of record per movement, protocol and phase
    refused_ids = {x.evaluation_id for x in chosen.refusals}
    for rec in chosen.records:
        assert rec.trigger in (*RECORD_TRIGGER.values(), "review") and rec.evaluation_id not in refused_ids
        assert rec.trigger == "review" or rec.trigger == RECORD_TRIGGER[rec.phase]
        assert not refused(rec)
    for rec in records:
        assert (rec.evaluation_id in refused_ids) == (rec.trigger in GATED and refused(rec))
