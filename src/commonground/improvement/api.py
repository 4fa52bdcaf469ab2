"""This area in the API (added to the one NinjaAPI by config/api.py)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["improvement"])
