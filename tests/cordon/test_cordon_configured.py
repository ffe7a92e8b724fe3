"""The detectors' settings come from the deployment's settings, for the API, the commands and the service."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from outrider.cordon.configured import configured
from outrider.cordon.rules import Config
from outrider.settings import Settings


def test_the_defaults_are_the_detectors_defaults() -> None:
    assert configured(Settings()) == Config()


def test_a_deployment_sets_dwell_updates_and_reconnaissance(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTRIDER_CORDON_DWELL_UPDATE_SECONDS", "600")
    monkeypatch.setenv("OUTRIDER_CORDON_RECON_SAME_PLACE_M", "2500")
    monkeypatch.setenv("OUTRIDER_CORDON_RECON_PLACES", "2")
    monkeypatch.setenv("OUTRIDER_CORDON_RECON_ROUTE_SITES", "true")
    monkeypatch.setenv("OUTRIDER_CORDON_LATENESS_SECONDS", "120")
    config = configured(Settings())
    assert (config.dwell_update_s, config.recon_same_place_m, config.recon_places) == (600, 2500.0, 2)
    assert config.recon_route_sites and config.recon_route_ends and config.lateness_s == 120
    # A command's own option wins over the setting.
    assert configured(Settings(), lateness_s=30).lateness_s == 30


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("cordon_recon_same_place_m", -1),
        ("cordon_recon_places", 1),
        ("cordon_dwell_update_seconds", -5),
    ],
)
def test_a_bad_setting_is_refused(name: str, value: int) -> None:
    with pytest.raises(ValidationError):
        Settings(**{name: value})
