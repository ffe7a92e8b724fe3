"""The web dashboard's routes, and its static files (the app mounts both)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.staticfiles import StaticFiles

from outrider.web import (
    pages_accounts,
    pages_admin,
    pages_alert,
    pages_alerts,
    pages_audit,
    pages_auth,
    pages_committee,
    pages_committee_commitments,
    pages_compliance,
    pages_contacts,
    pages_field,
    pages_intel,
    pages_map,
    pages_movements,
    pages_plan,
    pages_registry,
    pages_sharing,
    pages_unit_members,
)
from outrider.web.templating import STATIC

router = APIRouter(include_in_schema=False)
# The planning page before the movement pages: /movements/new is not a movement id.
for _module in (
    pages_auth,
    pages_compliance,
    pages_map,
    pages_plan,
    pages_movements,
    pages_alerts,
    pages_alert,  # after the list's routes: /alerts/stream is no alert id
    pages_intel,
    pages_audit,
    pages_admin,
    pages_registry,
    pages_unit_members,
    pages_accounts,
    pages_contacts,
    pages_sharing,
    pages_field,
    pages_committee,
    pages_committee_commitments,
):
    router.include_router(_module.router)
router.include_router(pages_field.actions)  # JSON for the phone's queue (problem+json refusals)


def static_files() -> StaticFiles:
    """The stylesheets, scripts and vendored libraries under /static (no CDN at run time)."""
    return StaticFiles(directory=STATIC, check_dir=True)
