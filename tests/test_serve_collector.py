"""`served_app`: the application a server process serves, with the garbage collector set for serving."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from outrider import app as app_module
from outrider import root_commands


@pytest.fixture
def collector() -> Iterator[None]:
    """This test process's collector as it was, afterwards (the suite freezes what it collected: conftest)."""
    thresholds = gc.get_threshold()
    frozen = gc.get_freeze_count() > 0
    yield
    gc.unfreeze()
    if frozen:
        gc.freeze()
    gc.set_threshold(*thresholds)


def test_a_served_app_freezes_what_start_up_built_and_collects_young_objects_less_often(
    collector: None,
) -> None:
    gc.unfreeze()
    served = app_module.served_app()
    assert served.title == "Outrider"
    assert gc.get_freeze_count() > 0  # the imported code and the application: out of the collector's walks
    assert gc.get_threshold() == app_module.SERVING_GC_THRESHOLDS
    assert gc.get_threshold()[0] > 700  # Python's default first threshold


def test_create_app_leaves_the_collector_alone(collector: None) -> None:
    gc.unfreeze()
    before = gc.get_threshold()
    app_module.create_app()
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before


def test_outrider_serve_has_its_workers_import_the_served_app() -> None:
    module, _, name = root_commands.APP.partition(":")
    assert module == app_module.__name__ and getattr(app_module, name) is app_module.served_app
