"""Fan-out of screen directives to connected wall screens (in-process; Redis pub/sub when distributed)."""

from __future__ import annotations

import asyncio
from typing import Any


class Hub:
    def __init__(self) -> None:
        self.screens: set[asyncio.Queue[dict[str, Any]]] = set()

    def subscribe(self) -> asyncio.Queue[dict[str, Any]]:
        q: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=100)
        self.screens.add(q)
        return q

    def unsubscribe(self, q: asyncio.Queue[dict[str, Any]]) -> None:
        self.screens.discard(q)

    def publish(self, message: dict[str, Any]) -> None:
        for q in list(self.screens):
            if q.full():  # a stalled screen loses its oldest directive, never blocks the others
                q.get_nowait()
            q.put_nowait(message)
