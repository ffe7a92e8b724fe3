"""Cooperation extraction scored on a folder of annotated reports the rules were not written from.

Usage: .venv/bin/python scripts/coop_blind.py FOLDER [FOLDER ...] [--shared PATH] [--errors] [--records]
       [--json]

Every `NNN.txt` with an `NNN.coop.json` beside it (the shared `COOPERATION-SCHEMA.md`) is extracted and
linked as one batch, as `outrider intel extract --cooperation --jsonl` does, and scored by the shared
`score_cooperation.py`, without and with `--parties PK,CN`: detection P/R/F1, field accuracy, pairwise
linking. `--errors` lists each document's missed gold records and false records; `--records` prints every
predicted record per document beside the gold (for studying errors). docs/cooperation-extraction.md logs the
figures measured with it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from coop_heldout import ROOT, _line

from outrider.intel.cooperation import link_commitments
from outrider.intel.cooperation.reports import GOLD_SUFFIX, extract_files


def annotated(folders: list[Path]) -> list[Path]:
    """The report texts of these folders that have a cooperation annotation beside them."""
    return sorted(p for f in folders for p in f.glob("*.txt") if p.with_name(p.stem + GOLD_SUFFIX).is_file())


def predict(texts: list[Path]) -> list[dict[str, Any]]:
    """The linked prediction lines of these reports, in the schema's names."""
    records = [r for _, recs in extract_files(texts) for r in recs]
    return [rec.to_json() for rec in link_commitments(records)]


def score(
    shared: Path, folders: list[Path], pred: list[dict[str, Any]], parties: str | None
) -> dict[str, Any]:
    """The shared scorer's JSON result for these gold folders and prediction lines."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pred.jsonl"
        path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pred), encoding="utf-8")
        cmd = [sys.executable, str(shared / "tools" / "score_cooperation.py"), *map(str, folders), str(path)]
        cmd += ["--json"] + (["--parties", parties] if parties else [])
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def row(name: str, documents: int, got: dict[str, Any]) -> dict[str, Any]:
    """One printable row of a scorer result."""
    return {
        "set": name,
        "documents": documents,
        "required": got["true_positives"] + got["false_negatives"],
        "precision": got["precision"],
        "recall": got["recall"],
        "f1": got["f1"],
        "fields": {k: v for k, v in (got.get("field_accuracy") or {}).items() if v is not None},
        "linking_f1": (got.get("linking_pairwise") or {}).get("f1"),
        "missed": got.get("missed") or [],
        "spurious": got.get("spurious") or [],
    }


def by_document(lines: list[str]) -> dict[str, list[str]]:
    """Scorer lines ("doc: ...") grouped by document."""
    out: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        doc, _, rest = line.partition(": ")
        out[doc].append(rest)
    return out


def print_errors(r: dict[str, Any]) -> None:
    missed, spurious = by_document(r["missed"]), by_document(r["spurious"])
    for doc in sorted(set(missed) | set(spurious)):
        print(f"  {doc}")
        for m in missed.get(doc, []):
            print(f"    missed {m}")
        for s in spurious.get(doc, []):
            print(f"    false  {s}")


def _brief(rec: dict[str, Any]) -> str:
    who = f"{rec.get('promisor') or '-'}->{rec.get('beneficiary') or '-'}"
    money = f" {rec.get('amount')} {rec.get('currency')}" if rec.get("amount") else ""
    return (
        f"{rec.get('kind')} {rec.get('stage')} {rec.get('date')} {','.join(rec.get('parties') or [])} "
        f"{who}{money} {str(rec.get('object') or rec.get('commitment_key') or '')[:60]}"
    )


def print_records(texts: list[Path], pred: list[dict[str, Any]]) -> None:
    """Gold and predicted records side by side, per document."""
    got: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in pred:
        got[p["doc_id"]].append(p)
    for text in texts:
        gold = json.loads(text.with_name(text.stem + GOLD_SUFFIX).read_text(encoding="utf-8"))
        print(f"== {gold.get('doc_id')} ({text.name})")
        for g in gold.get("cooperation") or []:
            req = "" if g.get("required", True) else " (not required)"
            print(f"   gold {_brief(g)}{req}")
        for p in got.get(str(gold.get("doc_id")), []):
            print(f"   pred {_brief(p)} [{p.get('commitment_id')}]")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+", help="folders of NNN.txt + NNN.coop.json")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--parties", default="PK,CN", help="the pair also scored alone (default PK,CN)")
    parser.add_argument("--errors", action="store_true", help="missed and false records per document")
    parser.add_argument("--records", action="store_true", help="gold and predicted records per document")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    scorer = args.shared / "tools" / "score_cooperation.py"
    if not scorer.is_file():
        print(f"error: no scorer at {scorer}", file=sys.stderr)
        return 2
    texts = annotated(args.folders)
    if not texts:
        print("error: no annotated reports (NNN.txt beside NNN.coop.json) in the folders", file=sys.stderr)
        return 2
    pred = predict(texts)
    rows = {}
    for scope in (None, args.parties):
        name = scope or "all parties"
        rows[name] = row(name, len(texts), score(args.shared, args.folders, pred, scope))
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    if args.records:
        print_records(texts, pred)
    for scope, r in rows.items():
        print(f"-- {scope}\n{'set':<12}{'docs':>5}{'req':>5}{'P':>7}{'R':>7}{'F1':>7}{'link':>7}  fields")
        print(_line(r))
        if args.errors:
            print_errors(r)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
