"""HTTP routes of alert delivery's directory: contact points, rosters, escalation policies, webhook
endpoints."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/notify", tags=["notify"])
