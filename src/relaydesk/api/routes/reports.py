"""Placeholder router, filled by the web UI work (issue 17)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
