"""Pure cores read no clock: `now` comes in as a value (the import contract covers the rest)."""

from __future__ import annotations

import ast
import importlib.util
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLOCK_CALLS = {"now", "utcnow", "today", "time", "monotonic", "perf_counter", "time_ns"}


def _pure_modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    pure = [c for c in contracts if c["name"].startswith("Pure cores")]
    assert pure, "the pure-core import contract is missing from pyproject.toml"
    return list(pure[0]["source_modules"])


def _clock_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in CLOCK_CALLS
        ):
            base = node.func.value
            name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
            if name in {"datetime", "date", "time"}:
                found.append(f"{path.name}:{node.lineno} {name}.{node.func.attr}()")
    return found


@pytest.mark.parametrize("module", _pure_modules())
def test_pure_core_reads_no_clock(module: str) -> None:
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None, module
    origin = Path(spec.origin)
    files = sorted(origin.parent.rglob("*.py")) if origin.name == "__init__.py" else [origin]
    assert [call for f in files for call in _clock_calls(f)] == []


def test_the_clock_detector_finds_a_clock_read(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from datetime import datetime\nx = datetime.now()\n", encoding="utf-8")
    assert _clock_calls(sample) == ["sample.py:2 datetime.now()"]
