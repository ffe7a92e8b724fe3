"""Benchmark: intel extraction over the shared corpus repeated to N reports (reports/second, peak memory).

Usage: .venv/bin/python benchmarks/intel_extract.py [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from outrider.intel.gazetteer import find_places
from outrider.intel.pipeline import TextInput, extract_documents

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _reports(texts: list[str], n: int) -> Iterator[TextInput]:
    for i, text in zip(range(n), itertools.cycle(texts), strict=False):
        yield TextInput(f"r{i:05d}", text)


def run(n: int) -> tuple[float, float, int]:
    """Extract n reports; return (seconds, reports per second, peak traced bytes)."""
    root = SHARED / "corpus"
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.glob("*/*.txt"))]
    if not texts:
        raise SystemExit(f"no corpus texts under {root}")
    tracemalloc.start()
    start = time.perf_counter()
    incidents = 0
    for res in extract_documents(_reports(texts, n)):
        incidents += len(res.incidents)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, n / elapsed, peak


def main() -> None:
    """Print throughput and peak memory for a small and a full run (memory must not grow with N)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="200 reports instead of 2,000")
    args = parser.parse_args()
    big = 200 if args.quick else 2000
    small = max(20, big // 10)
    # one-off: the curated gazetteer and the GeoNames long tail are indexed on first use
    start = time.perf_counter()
    find_places("A blast in Quetta.")
    print(f"gazetteer index load: {time.perf_counter() - start:5.2f} s (once per process)")
    t1, rate1, peak1 = run(small)
    t2, rate2, peak2 = run(big)
    print(f"reports={small:5d} seconds={t1:6.2f} reports/s/core={rate1:8.1f} peak_mem={peak1 / 1e6:6.2f} MB")
    print(f"reports={big:5d} seconds={t2:6.2f} reports/s/core={rate2:8.1f} peak_mem={peak2 / 1e6:6.2f} MB")
    print(f"peak memory ratio {big}/{small} reports: {peak2 / peak1:.2f} (streaming: close to 1)")


if __name__ == "__main__":
    main()
