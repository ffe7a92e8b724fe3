"""Cooperation extraction figures on the shared gold, whole and by held-out fold, scored by the shared scorer.

Usage: .venv/bin/python scripts/coop_heldout.py [--shared PATH] [--folds 4] [--fold N] [--parties PK,CN]
       [--errors] [--json]

The gold sets (`seeds/`, `dev/`, `dev2/`, `coop/dev/`) are split into folds by commitment
(`outrider.intel.folds.read_coop_gold` and `connected`: every document sharing a `commitment_key` in one
fold); each fold's reports are extracted and linked alone and scored with `shared/tools/score_cooperation.py`
against that fold's gold, with and without `--parties PK,CN`. The rules are not trained, so "held-out" is a
way of working (docs/intel.md, Cooperation, says in which order the folds were measured and when).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from outrider.intel.cooperation import link_commitments
from outrider.intel.cooperation.reports import extract_files
from outrider.intel.folds import GoldDoc, connected, read_coop_gold, split

ROOT = Path(__file__).resolve().parents[1]
SETS = ("seeds", "dev", "dev2", "coop/dev")


def predictions(docs: list[GoldDoc], out: Path) -> None:
    """Extract these documents' reports, link their records, write the prediction lines."""
    texts = [d.path.with_name(d.path.name.removesuffix(".coop.json") + ".txt") for d in docs]
    records = [r for _, recs in extract_files(texts) for r in recs]
    with out.open("w", encoding="utf-8") as fh:
        for rec in link_commitments(records):
            fh.write(json.dumps(rec.to_json(), ensure_ascii=False) + "\n")


def score(shared: Path, docs: list[GoldDoc], parties: str | None) -> dict[str, Any]:
    """The shared scorer's result for these documents (their gold linked into one folder per set)."""
    with tempfile.TemporaryDirectory() as tmp:
        dirs: dict[Path, Path] = {}
        for doc in docs:
            folder = dirs.setdefault(doc.path.parent, Path(tmp) / f"gold{len(dirs)}")
            folder.mkdir(exist_ok=True)
            (folder / doc.path.name).symlink_to(doc.path)
        pred = Path(tmp) / "pred.jsonl"
        predictions(docs, pred)
        cmd = [
            sys.executable,
            str(shared / "tools" / "score_cooperation.py"),
            *map(str, dirs.values()),
            str(pred),
        ]
        cmd += ["--json"] + (["--parties", parties] if parties else [])
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def summary(name: str, docs: list[GoldDoc], got: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in (got.get("field_accuracy") or {}).items() if v is not None}
    link = got.get("linking_pairwise") or {}
    return {
        "set": name,
        "documents": len(docs),
        "required": got["true_positives"] + got["false_negatives"],
        "precision": got["precision"],
        "recall": got["recall"],
        "f1": got["f1"],
        "fields": fields,
        "linking_f1": link.get("f1"),
        "missed": got.get("missed"),
        "spurious": got.get("spurious"),
    }


def _mean(rows: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return round(sum(values) / len(values), 3) if values else None


def rows_for(shared: Path, k: int, parties: str | None, only: int | None) -> list[dict[str, Any]]:
    corpus = shared / "corpus"
    docs = read_coop_gold([corpus / s for s in SETS])
    folds = split(docs, k, connected(docs))
    if only is not None:
        return [summary(f"fold {only}", folds[only - 1], score(shared, folds[only - 1], parties))]
    rows = [summary("all", docs, score(shared, docs, parties))]
    fold_rows = [summary(f"fold {i + 1}", f, score(shared, f, parties)) for i, f in enumerate(folds)]
    mean: dict[str, Any] = {"set": "fold mean", "documents": None, "required": None}
    for key in ("precision", "recall", "f1", "linking_f1"):
        mean[key] = _mean(fold_rows, key)
    names = sorted({n for r in fold_rows for n in r["fields"]})
    mean["fields"] = {n: _mean([{"v": r["fields"].get(n)} for r in fold_rows], "v") for n in names}
    return rows + fold_rows + [mean]


def _line(r: dict[str, Any]) -> str:
    fields = " ".join(f"{k}={v}" for k, v in sorted(r["fields"].items()))
    link = r["linking_f1"] if r["linking_f1"] is not None else "-"
    return (
        f"{r['set']:<10}{r['documents'] or '':>5}{r['required'] or '':>5}{r['precision']:>7.3f}"
        f"{r['recall']:>7.3f}{r['f1']:>7.3f}{link!s:>7}  {fields}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--fold", type=int, default=None, help="score only this fold (1-based)")
    parser.add_argument("--parties", default=None, help="also score with --parties, e.g. PK,CN")
    parser.add_argument("--errors", action="store_true", help="print missed and spurious records")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    if not (args.shared / "corpus" / "coop" / "dev").is_dir():
        print(f"error: no cooperation corpus under {args.shared}", file=sys.stderr)
        return 2
    out: dict[str, list[dict[str, Any]]] = {}
    for parties in (None, args.parties or "PK,CN"):
        out[parties or "all parties"] = rows_for(args.shared, args.folds, parties, args.fold)
    if args.json:
        print(json.dumps(out, indent=1))
        return 0
    for scope, rows in out.items():
        print(f"-- {scope}\n{'set':<10}{'docs':>5}{'req':>5}{'P':>7}{'R':>7}{'F1':>7}{'link':>7}  fields")
        for r in rows:
            print(_line(r))
            if args.errors:
                for m in (r.get("missed") or []) + [f"FP {s}" for s in r.get("spurious") or []]:
                    print(f"    {m}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
