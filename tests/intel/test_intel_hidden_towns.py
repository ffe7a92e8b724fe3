"""The hidden-towns stand-in (scripts/intel_hidden_towns.py) hides what it says, and only while asked."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from outrider.intel.gazetteer import find_places, known_name

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "intel_hidden_towns.py"
SENTENCE = "A bomb went off in the main bazaar of Ormara on Monday, and another in Quetta."


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("intel_hidden_towns", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _towns(text: str) -> set[str | None]:
    return {h.place.name for h in find_places(text)}


def test_a_hidden_town_is_not_found_while_hidden_and_is_found_again_after() -> None:
    script = _script()
    assert {"Ormara", "Quetta"} <= _towns(SENTENCE)
    with script.hidden_towns(["Ormara", "Quetta"]) as keys:
        # a province's seat stays: the gazetteer always holds those
        assert keys == {"ormara"}
        assert "Ormara" not in _towns(SENTENCE)
        assert "Quetta" in _towns(SENTENCE)
        assert not known_name("Ormara")
    assert {"Ormara", "Quetta"} <= _towns(SENTENCE)
    assert known_name("Ormara")
