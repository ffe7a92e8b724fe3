"""The detectors' settings as a deployment sets them (`OUTRIDER_CORDON_*`), for every face that runs them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from outrider.cordon.rules import Config
from outrider.settings import Settings, get_settings


def configured(settings: Settings | None = None, **overrides: Any) -> Config:
    """The detectors' `Config` from the settings (lateness, dwell updates, reconnaissance places),
    with a face's own overrides (a command's --lateness) on top."""
    s = settings or get_settings()
    config = Config(
        lateness_s=s.cordon_lateness_seconds,
        dwell_update_s=s.cordon_dwell_update_seconds,
        recon_places=s.cordon_recon_places,
        recon_route_ends=s.cordon_recon_route_ends,
        recon_route_sites=s.cordon_recon_route_sites,
        recon_same_place_m=s.cordon_recon_same_place_m,
    )
    return replace(config, **overrides) if overrides else config
