"""HTTP routes of deliveries: the delivery log of an alert, a test message to oneself."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/notify", tags=["notify"])
