"""The registry pages of the web dashboard."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
