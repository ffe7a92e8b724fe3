"""The stage ladder and the per-party assessments as properties (hypothesis), and the vocabularies equal to
the cooperation schema's (and to the extraction's own list)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outrider.committee.ladder import (
    KINDS,
    LADDER,
    STAGES,
    Assessed,
    LadderError,
    Move,
    Party,
    Stage,
    closes,
    disagree,
    latest_by_party,
    move,
    needs_reason,
    rank,
    refusal,
    replay,
)

stages = st.sampled_from(list(Stage))
reasons = st.sampled_from(["", "  ", "the course was cancelled"])


@given(stages, stages, reasons)
def test_no_stage_moves_backwards_or_out_of_the_ladder_without_a_reason(
    a: Stage, b: Stage, reason: str
) -> None:
    why = refusal(a, b, reason)
    backwards = rank(a) is None or rank(b) is None or rank(b) < rank(a)  # type: ignore[operator]
    if a == b:
        assert why is not None
    elif backwards and not reason.strip():
        assert why is not None and "needs a reason" in why
    else:
        assert why is None
        assert move(a, b, reason) == Move(a, b, reason.strip())
    assert needs_reason(a, b) is (a != b and backwards) or a == b


@given(st.lists(st.tuples(stages, reasons), max_size=20))
def test_any_sequence_of_valid_moves_keeps_its_history(steps: list[tuple[Stage, str]]) -> None:
    stage, history = Stage.announced, []
    for target, reason in steps:
        try:
            history.append(move(stage, target, reason))
        except LadderError:
            continue  # refused: nothing is recorded and the stage stays
        stage = target
    assert replay(Stage.announced, history) == stage
    assert all(m.stage_from != m.stage_to for m in history)
    assert all(m.reason for m in history if needs_reason(m.stage_from, m.stage_to))
    for before, after in itertools.pairwise(history):
        assert before.stage_to == after.stage_from  # nothing is dropped from the chain


def test_a_history_with_a_move_dropped_does_not_replay() -> None:
    history = [move(Stage.announced, Stage.agreed), move(Stage.agreed, Stage.done)]
    with pytest.raises(LadderError):
        replay(Stage.announced, history[1:])
    with pytest.raises(LadderError):
        replay(Stage.announced, [Move(Stage.announced, Stage.pledged), Move(Stage.pledged, Stage.announced)])


def test_done_and_not_fulfilled_close_a_commitment() -> None:
    assert [s for s in Stage if closes(s)] == [Stage.done, Stage.not_fulfilled]
    assert list(LADDER) == [s for s in Stage if s is not Stage.not_fulfilled]


T0 = datetime(2026, 1, 1, tzinfo=UTC)
assessments = st.lists(
    st.tuples(st.sampled_from(list(Party)), st.integers(0, 3), st.integers(0, 1000)), max_size=30
)


@given(assessments)
def test_assessments_are_kept_per_party_and_never_averaged(rows: list[tuple[Party, int, int]]) -> None:
    items = [Assessed(i + 1, p, score, "", T0 + timedelta(minutes=m)) for i, (p, score, m) in enumerate(rows)]
    latest = latest_by_party(items)
    for party in Party:
        own = [a for a in items if a.party is party]
        if not own:
            assert party not in latest
            continue
        newest = max(own, key=lambda a: (a.at, a.id))
        assert latest[party] == newest  # the party's own latest, whatever the other party said
    both = Party.host in latest and Party.partner in latest
    assert disagree(latest) is (both and latest[Party.host].score != latest[Party.partner].score)


def _schema_vocabulary(name: str) -> list[str]:
    import re

    from shared_material import shared_dir

    schema = (shared_dir() / "corpus" / "COOPERATION-SCHEMA.md").read_text("utf-8")
    section = schema.split(f"## {name} (closed vocabulary)")[1].split("\n## ")[0]
    return re.findall(r"^\| `(\w+)` \|", section, re.M)


def test_the_vocabularies_are_the_cooperation_schemas() -> None:
    assert list(KINDS) == _schema_vocabulary("Kinds")
    assert list(STAGES) == _schema_vocabulary("Stages")


def test_the_vocabularies_are_the_extractions_own() -> None:
    from outrider.intel import cooperation

    assert list(cooperation.KINDS) == list(KINDS)
    assert list(cooperation.STAGES) == list(STAGES)
