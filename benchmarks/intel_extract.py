"""Benchmark: intel extraction over the shared corpus repeated to N reports (reports/second, peak memory).

Usage: .venv/bin/python benchmarks/intel_extract.py [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import resource
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from outrider.intel.gazetteer import find_places
from outrider.intel.pipeline import TextInput, extract_documents
from outrider.intel.small_towns import small_towns

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _reports(texts: list[str], n: int) -> Iterator[TextInput]:
    for i, text in zip(range(n), itertools.cycle(texts), strict=False):
        yield TextInput(f"r{i:05d}", text)


def _texts() -> list[str]:
    root = SHARED / "corpus"
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.glob("*/*.txt"))]
    if not texts:
        raise SystemExit(f"no corpus texts under {root}")
    return texts


def speed(n: int) -> tuple[float, float, float]:
    """Extract n reports untraced; return (wall seconds, reports per wall second, reports per CPU second).

    Extraction runs on one thread, so reports per CPU second is reports per second per core, and it does
    not drop when other processes share the machine."""
    texts = _texts()
    wall, cpu = time.perf_counter(), time.process_time()
    for res in extract_documents(_reports(texts, n)):
        len(res.incidents)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, n / wall, n / cpu


def peak_memory(n: int) -> int:
    """Peak traced bytes while n reports stream through extraction (tracing slows it: timed apart)."""
    texts = _texts()
    tracemalloc.start()
    for res in extract_documents(_reports(texts, n)):
        len(res.incidents)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


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
    start = time.perf_counter()
    towns = len(small_towns())
    print(f"small-towns tier load: {time.perf_counter() - start:5.2f} s, {towns} names (once per process)")
    wall, per_wall, per_cpu = speed(big)
    print(
        f"reports={big:5d} seconds={wall:6.2f} reports/s={per_wall:6.1f}"
        f" reports/s/core={per_cpu:6.1f} (per CPU second; aim >= 50)"
    )
    peak1, peak2 = peak_memory(small), peak_memory(big)
    print(f"peak traced memory: {small} reports {peak1 / 1e6:6.2f} MB, {big} reports {peak2 / 1e6:6.2f} MB")
    print(f"peak memory ratio {big}/{small} reports: {peak2 / peak1:.2f} (streaming: close to 1)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS after {small + 2 * big} reports: {rss:.0f} MB (gazetteer index included)")


if __name__ == "__main__":
    main()
