"""The streaming dwell detectors (reference and compiled) and the DuckDB and polars batch queries agree."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "cordon_detectors.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cordon_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_streaming_equals_batch_on_generated_data(seed: int) -> None:
    bench = _bench()
    sightings, inspections = bench.make_data(30_000, 60, seed)
    duck, _ = bench.with_duckdb(sightings, inspections)
    pola, _ = bench.with_polars(sightings, inspections)
    streamed, _, events, _ = bench.incremental(sightings, inspections, 60)
    stream = bench.arrival(sightings, inspections)
    batches = bench.compiled_batches(stream, 60, batch=4096)
    single = bench.one_by_one(stream, 60, "compiled")
    assert events > 30_000
    assert len(duck) > 50  # the data really exercises the rule
    assert streamed == batches.found == single.found == duck == pola
