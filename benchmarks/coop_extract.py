"""Benchmark: cooperation extraction beside incident extraction on the same reports (reports per CPU second).

Usage: .venv/bin/python benchmarks/coop_extract.py [--quick]

Both read the shared corpus's reports (all sets), cycled to N. The incident figure is the whole pipeline
(`extract_documents`: cleaning, publication date, incidents); the cooperation figure is `extract_cooperation`
on the reports already cleaned and dated, then `link_commitments` over all their records (pairwise, so
it grows with the square of the records linked at once), so the two add up to what `intel extract` and
`intel extract --cooperation` cost together. Extraction runs on one thread: reports per CPU second is per
core, and does not drop when other processes share the machine.
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Callable
from pathlib import Path

from outrider.intel.cooperation import extract_cooperation, link_commitments
from outrider.intel.pipeline import DocumentResult, TextInput, extract_documents

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _texts() -> list[TextInput]:
    root = SHARED / "corpus"
    paths = sorted([*root.glob("*/*.txt"), *root.glob("coop/*/*.txt")])
    if not paths:
        raise SystemExit(f"no corpus texts under {root}")
    return [TextInput(f"r{i:03d}", p.read_text(encoding="utf-8")) for i, p in enumerate(paths)]


def _cpu(run: Callable[[], object]) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 reports instead of 3,000")
    n = 500 if parser.parse_args().quick else 3000
    texts = _texts()
    cycled = [t for t, _ in zip(itertools.cycle(texts), range(n), strict=False)]
    read: list[DocumentResult] = []
    incident_cpu = _cpu(lambda: read.extend(extract_documents(cycled)))
    ok = [r for r in read if r.error is None]

    def cooperation() -> None:
        records = [
            rec
            for r in ok
            for rec in extract_cooperation(r.clean_text, doc_id=r.doc_id, published=r.published or r.bound)
        ]
        link_commitments(records)

    extract_cooperation(ok[0].clean_text, doc_id="warm-up", published=None)  # compile the lexicon once
    coop_cpu = _cpu(cooperation)
    print(f"{len(texts)} corpus reports cycled to {n}")
    print(f"incidents (whole pipeline):      {n / incident_cpu:8.1f} reports per CPU second")
    print(f"cooperation (cleaned, dated):    {len(ok) / coop_cpu:8.1f} reports per CPU second")


if __name__ == "__main__":
    main()
