"""Limits that keep one client from hurting others: per address and per user, with the `limits` library.

The store is in-process by default; `SECRETARY_RATE_STORAGE=redis://…` shares it across replicas.
"""

from __future__ import annotations

import math
import time

from fastapi import Depends, Request
from limits import parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from .auth import CurrentUser, client_address
from .config import Settings
from .errors import ApiError


class RateLimiter:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.strategy = MovingWindowRateLimiter(storage_from_string("async+" + settings.rate_storage))

    async def hit(self, limit: str, *keys: str) -> int | None:
        """Count one request; the seconds to wait when over the limit, else None."""
        if not self.settings.rate_limits:
            return None
        item = parse(limit)
        if await self.strategy.hit(item, *keys):
            return None
        reset, _ = await self.strategy.get_window_stats(item, *keys)
        return max(1, math.ceil(reset - time.time()))

    async def check(self, limit: str, *keys: str) -> None:
        if (wait := await self.hit(limit, *keys)) is not None:
            raise ApiError("rate_limited", {"Retry-After": str(wait)}, retry_after=wait)

    # failed sign-ins: per name and address, so nobody can lock the mayor out from elsewhere
    def _lockout(self) -> str:
        return f"{self.settings.lockout_failures} per {self.settings.lockout_minutes:g} minutes"

    async def locked_for(self, username: str, client: str) -> int | None:
        item = parse(self._lockout())
        if await self.strategy.test(item, "signin-fail", username, client):
            return None
        reset, _ = await self.strategy.get_window_stats(item, "signin-fail", username, client)
        return max(1, math.ceil(reset - time.time()))

    async def failed(self, username: str, client: str) -> float:
        """Count a failed sign-in; the delay before answering (grows with each failure)."""
        item = parse(self._lockout())
        await self.strategy.hit(item, "signin-fail", username, client)
        _, remaining = await self.strategy.get_window_stats(item, "signin-fail", username, client)
        failures = self.settings.lockout_failures - remaining
        return min(0.25 * 2 ** (failures - 1), 4.0)

    async def succeeded(self, username: str, client: str) -> None:
        await self.strategy.clear(parse(self._lockout()), "signin-fail", username, client)


def limit(name: str):
    """A dependency: count the request against `limit_<name>` per address and, when signed in, per user."""

    async def check(request: Request, user: CurrentUser) -> None:
        limiter: RateLimiter = request.app.state.limiter
        rate = getattr(limiter.settings, f"limit_{name}")
        await limiter.check(rate, name, "addr", client_address(request))
        if not user.anonymous:
            await limiter.check(rate, name, "user", str(user.user_id))

    return Depends(check)
