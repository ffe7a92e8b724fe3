"""The held-out split: one event's documents in one fold, folds balanced, the same split every run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outrider.intel.folds import GoldDoc, group_key, read_gold, split

SHARED = Path(__file__).resolve().parents[2].parent / "shared"

events = st.sampled_from([f"ev-{i}" for i in range(12)])
docs_strategy = st.lists(
    st.tuples(st.lists(events, max_size=2), st.integers(min_value=0, max_value=6)), min_size=1, max_size=40
)


def _docs(specs: list[tuple[list[str], int]]) -> list[GoldDoc]:
    return [
        GoldDoc(Path(f"/c/{i:03d}.json"), f"d-{i:03d}", tuple(sorted(set(mains))), n)
        for i, (mains, n) in enumerate(specs)
    ]


@given(docs_strategy, st.integers(min_value=2, max_value=6))
def test_every_document_lands_once_and_an_events_documents_together(
    specs: list[tuple[list[str], int]], k: int
) -> None:
    docs = _docs(specs)
    folds = split(docs, k)
    assert len(folds) == k
    placed = [d for fold in folds for d in fold]
    assert sorted(d.doc_id for d in placed) == sorted(d.doc_id for d in docs)
    where = {group_key(d): i for i, fold in enumerate(folds) for d in fold}
    for i, fold in enumerate(folds):
        assert all(where[group_key(d)] == i for d in fold)
    assert split(list(reversed(docs)), k) == folds  # the order of the input does not matter


@given(docs_strategy)
def test_no_fold_is_heavier_than_another_by_more_than_the_heaviest_group(
    specs: list[tuple[list[str], int]],
) -> None:
    docs = _docs(specs)
    folds = split(docs, 4)
    groups: dict[str, int] = {}
    for d in docs:
        groups[group_key(d)] = groups.get(group_key(d), 0) + d.records
    weights = [sum(d.records for d in fold) for fold in folds]
    assert max(weights) - min(weights) <= max(groups.values())


def test_a_split_needs_two_folds() -> None:
    with pytest.raises(ValueError, match="two folds"):
        split([], 1)


def test_the_shared_development_corpus_splits_into_four_folds_of_its_events(tmp_path: Path) -> None:
    corpus = SHARED / "corpus"
    if not (corpus / "dev2").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"../shared is absent: {corpus}")
        pytest.skip(f"../shared is absent: {corpus}")
    docs = read_gold([corpus / "dev", corpus / "dev2"])
    assert len(docs) == 64 and not any(d.path.name.endswith(".coop.json") for d in docs)
    folds = split(docs, 4)
    assert all(len(f) >= 10 for f in folds)
    for fold in folds:  # a main-story event never straddles two folds
        others = {e for f in folds if f is not fold for d in f for e in d.main_events[:1]}
        assert not {d.main_events[0] for d in fold if d.main_events} & others
    # the gold of a document is read as the scorer reads it
    first = json.loads(docs[0].path.read_text(encoding="utf-8"))
    assert docs[0].records == len(first["incidents"])
