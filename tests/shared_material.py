"""The shared material beside the repository (the corpus and its scorers), apart from conftest.py so a test
module can import it (`from shared_material import shared_dir`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared_dir() -> Path:
    """The shared material beside the repository; skip (fail under CI) when it is absent."""
    if not SHARED.is_dir():
        if IN_CI:
            pytest.fail("../shared is absent but CI=true: the shared material must be beside the repository")
        pytest.skip("../shared is absent: tests that read the shared corpus are skipped")
    return SHARED
