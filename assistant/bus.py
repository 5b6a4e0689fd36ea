"""The event bus: typed events published to topics, delivered to whoever listens there.

Topics: `wall` (the signed-in mayors' wall screens), `user:<id>` (every device a user is signed in on),
`call:<id>` (a call room). In-process now (`LocalBus`); a shared implementation (Redis pub/sub) only has
to provide `publish` and `subscribe` with the same meaning for several replicas to share it.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

WALL = "wall"


def user_topic(user_id: int) -> str:
    return f"user:{user_id}"


def call_topic(call_id: str) -> str:
    return f"call:{call_id}"


class Event(BaseModel):
    """What travels on the bus; `frame` is what a socket sends to its client."""

    type: Literal["directive", "notify", "call", "signout"]
    frame: dict[str, Any] = Field(default_factory=dict)


class Subscription(Protocol):
    def __aiter__(self) -> AsyncIterator[Event]: ...
    def close(self) -> None: ...


class EventBus(Protocol):
    async def publish(self, topic: str, event: Event) -> None: ...
    def subscribe(self, topics: Iterable[str]) -> Subscription: ...
    def listening(self, topic: str) -> bool: ...  # someone (a device) hears this topic now: presence for ringing


class LocalSubscription:
    def __init__(self, bus: LocalBus, topics: Iterable[str], size: int):
        self.bus, self.topics = bus, tuple(topics)
        self.queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=size)

    def put(self, event: Event) -> None:
        if self.queue.full():  # a stalled listener loses its oldest event, never blocks the others
            self.queue.get_nowait()
        self.queue.put_nowait(event)

    async def __aiter__(self) -> AsyncIterator[Event]:
        while True:
            yield await self.queue.get()

    def close(self) -> None:
        for t in self.topics:
            self.bus.listeners[t].discard(self)
            if not self.bus.listeners[t]:
                del self.bus.listeners[t]


class LocalBus:
    """One process: a bounded queue per subscription."""

    def __init__(self, queue_size: int = 100) -> None:
        self.listeners: dict[str, set[LocalSubscription]] = defaultdict(set)
        self.queue_size = queue_size

    async def publish(self, topic: str, event: Event) -> None:
        for sub in list(self.listeners.get(topic, ())):
            sub.put(event)

    def listening(self, topic: str) -> bool:
        return bool(self.listeners.get(topic))

    def subscribe(self, topics: Iterable[str]) -> LocalSubscription:
        sub = LocalSubscription(self, topics, self.queue_size)
        for t in sub.topics:
            self.listeners[t].add(sub)
        return sub
