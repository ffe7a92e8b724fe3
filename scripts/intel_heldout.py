"""Extraction figures on the development corpus, whole and by held-out fold, scored by the shared scorer.

Usage: .venv/bin/python scripts/intel_heldout.py [--shared PATH] [--folds 4] [--json] [--blind FOLDER ...]

With `--blind`, it scores annotated folders written apart from the rules instead (corpus/blind/: a set a
developer never reads the errors of is the only honest held-out figure; corpus/blind/README.md).

The development corpus (`dev/` + `dev2/`) is split into folds by event (`outrider.intel.folds`); each fold's
reports are extracted and linked alone and scored with `shared/tools/score_incidents.py` against that fold's
gold. The rules are not trained, so "built without looking at the fold" is a way of working: write a change
from the errors of three folds, measure the fourth before looking at its errors. A change that raises the
whole-corpus figures and lowers the folds' mean is not progress (docs/intel.md keeps both).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from outrider.intel.folds import GoldDoc, read_gold, split
from outrider.intel.pipeline import extract_documents, link_events

ROOT = Path(__file__).resolve().parents[1]


def score(shared: Path, docs: list[GoldDoc]) -> dict[str, Any]:
    """Extract and link these documents' reports alone; the shared scorer's result on their gold."""
    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp) / "gold"
        gold.mkdir()
        for doc in docs:
            (gold / doc.path.name).symlink_to(doc.path)
            (gold / f"{doc.path.stem}.txt").symlink_to(doc.path.with_suffix(".txt"))
        ids = {doc.path.stem: doc.doc_id for doc in docs}
        results = list(extract_documents(sorted(gold.glob("*.txt"))))
        pred = Path(tmp) / "pred.jsonl"
        with pred.open("w", encoding="utf-8") as fh:
            for inc in link_events(results):
                row = dict(inc, doc_id=ids.get(inc["doc_id"], inc["doc_id"]))
                fh.write(json.dumps(row, default=str) + "\n")
        scorer = shared / "tools" / "score_incidents.py"
        proc = subprocess.run(
            [sys.executable, str(scorer), str(gold), str(pred), "--json"],
            capture_output=True,
            text=True,
            check=True,
        )
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def summary(name: str, docs: list[GoldDoc], got: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in (got.get("field_accuracy") or {}).items() if v is not None}
    dedup = got.get("dedup_pairwise") or {}
    return {
        "set": name,
        "documents": len(docs),
        "records": sum(d.records for d in docs),
        "precision": got.get("precision"),
        "recall": got.get("recall"),
        "f1": got.get("f1"),
        "lowest_field": min(fields.items(), key=lambda kv: kv[1]) if fields else None,
        "fields": fields,
        "linking_f1": dedup.get("f1"),
    }


def _mean(rows: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return round(sum(values) / len(values), 3) if values else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--blind", type=Path, nargs="+", help="score these annotated folders, each alone")
    args = parser.parse_args()
    if args.blind:
        missing = [str(f) for f in args.blind if not f.is_dir()]
        if missing:
            print(f"error: no folder {', '.join(missing)}", file=sys.stderr)
            return 2
        blind = [(f, read_gold([f.resolve()])) for f in args.blind]
        return _print([summary(str(f), docs, score(args.shared, docs)) for f, docs in blind], args.json)
    corpus = args.shared / "corpus"
    if not (corpus / "dev").is_dir():
        print(f"error: no corpus at {corpus}", file=sys.stderr)
        return 2
    dev = read_gold([corpus / "dev", corpus / "dev2"])
    rows = [summary("dev+dev2", dev, score(args.shared, dev))]
    seeds = read_gold([corpus / "seeds"])
    rows.append(summary("seeds", seeds, score(args.shared, seeds)))
    folds = split(dev, args.folds)
    fold_rows = [summary(f"fold {i + 1}", f, score(args.shared, f)) for i, f in enumerate(folds)]
    rows += fold_rows
    mean = {"set": "held-out mean", "documents": None, "records": None}
    for key in ("precision", "recall", "f1", "linking_f1"):
        mean[key] = _mean(fold_rows, key)
    field_names = sorted({k for r in fold_rows for k in r["fields"]})
    mean["fields"] = {k: _mean([{"v": r["fields"].get(k)} for r in fold_rows], "v") for k in field_names}
    rows.append(mean)
    return _print(rows, args.json)


def _print(rows: list[dict[str, Any]], as_json: bool) -> int:
    if as_json:
        print(json.dumps(rows, indent=1))
        return 0
    print(f"{'set':<14}{'docs':>5}{'recs':>5}{'P':>7}{'R':>7}{'F1':>7}{'link F1':>9}  lowest field")
    for r in rows:
        low = r.get("lowest_field")
        low_text = f"{low[0]} {low[1]}" if low else ""
        if r["set"] == "held-out mean" and r.get("fields"):
            worst = min((kv for kv in r["fields"].items() if kv[1] is not None), key=lambda kv: kv[1])
            low_text = f"{worst[0]} {worst[1]}"
        print(
            f"{r['set']:<14}{r['documents'] or '':>5}{r['records'] or '':>5}"
            f"{r['precision'] or 0:>7.3f}{r['recall'] or 0:>7.3f}{r['f1'] or 0:>7.3f}"
            f"{r['linking_f1'] if r['linking_f1'] is not None else '-':>9}  {low_text}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
