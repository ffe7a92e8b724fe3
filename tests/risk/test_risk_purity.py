"""The risk core stays pure until pyproject's import contract lists it: no database, web or clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "src" / "outrider" / "risk"
PURE = ["incident.py", "parameters.py", "index.py", "scoring.py", "surface.py", "backtest.py"]
FORBIDDEN = ("sqlalchemy", "fastapi", "starlette", "uvicorn", "outrider.db", "outrider.http")
CLOCK = {"now", "utcnow", "today", "time", "monotonic", "perf_counter", "time_ns"}


def offences(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found += [f"import {n}" for n in names if n.startswith(FORBIDDEN) or n == "time"]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CLOCK:
            base = node.func.value
            if isinstance(base, ast.Name) and base.id in {"datetime", "date", "time"}:
                found.append(f"{base.id}.{node.func.attr}()")
    return found


@pytest.mark.parametrize("name", PURE)
def test_risk_core_module_is_pure(name: str) -> None:
    assert offences((CORE / name).read_text(encoding="utf-8")) == []


def test_the_purity_check_catches_offences() -> None:
    sample = "import sqlalchemy\nfrom datetime import datetime\nx = datetime.now()\n"
    assert offences(sample) == ["import sqlalchemy", "datetime.now()"]
