"""End-to-end: extract the shared corpus and score it with the real scorer."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from outrider.intel.pipeline import extract_documents, link_events

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def _score(tmp_path: Path, corpus: str) -> dict[str, Any]:
    root = SHARED / "corpus" / corpus
    if not root.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"../shared is absent: {root}")
        pytest.skip(f"../shared is absent: {root}")
    gold_ids = {
        p.stem: json.loads(p.read_text(encoding="utf-8")).get("doc_id") or p.stem for p in root.glob("*.json")
    }
    results = list(extract_documents(sorted(root.glob("*.txt"))))
    assert all(r.error is None for r in results)
    out = tmp_path / "pred.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for inc in link_events(results):
            inc = dict(inc, doc_id=gold_ids.get(inc["doc_id"], inc["doc_id"]))
            fh.write(json.dumps(inc, default=str) + "\n")
    proc = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score_incidents.py"), str(root), str(out), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


@pytest.mark.parametrize("corpus", ["dev", "seeds"])
def test_corpus_scores(tmp_path: Path, corpus: str) -> None:
    got = _score(tmp_path, corpus)
    assert got["f1"] >= 0.90, got
    for name, acc in got["field_accuracy"].items():
        assert acc is None or acc >= 0.85, (name, got)
    dedup = got.get("dedup_pairwise") or got.get("dedup") or {}
    if dedup.get("f1") is not None:
        assert dedup["f1"] >= 0.90, got
