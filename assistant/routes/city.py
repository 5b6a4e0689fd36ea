"""The city at a glance, for the screens: the map's layers and the status tiles (citizens: public fields only)."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter

import actions
from actions.overview import overview as build_overview
from actions.privacy import guard_obj

from ..auth import CurrentUser
from ..ratelimit import limit
from . import ERRORS

router = APIRouter(prefix="/v1/city", tags=["city"], responses=ERRORS)
CACHE_S = 30.0  # every screen polls this; the sources refresh hourly at best
_cache: dict[tuple[int, str], tuple[float, dict[str, Any]]] = {}


@router.get("/overview", dependencies=[limit("search")])
async def overview(user: CurrentUser) -> dict[str, Any]:
    """Districts (air, traffic, disasters, living population) and status tiles, each with source and time."""
    city = actions.deps.city()
    key = (id(city), user.role)
    hit = _cache.get(key)
    if hit and time.monotonic() - hit[0] < CACHE_S:
        return hit[1]
    data = await build_overview(city, user.role)
    if user.role == "citizen":
        data = guard_obj(data)
    _cache[key] = (time.monotonic(), data)
    return data
