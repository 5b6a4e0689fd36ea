"""The embedded dialogue: Rasa's domain and rules, run in-process with the rasa-sdk actions.

One turn: parse -> fill entity slots -> pick the action the rules name for the intent ->
run it with a rasa-sdk Tracker -> apply its SlotSet events -> persist -> shape for the channel.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions
from nlu import domain

from .storage import Storage


class NLUEngine(Protocol):
    name: str

    def parse(self, text: str) -> dict[str, Any]: ...


@dataclass
class Turn:
    parse: dict[str, Any]
    action: str
    messages: list[dict[str, Any]]
    slots: dict[str, Any]
    timings_ms: dict[str, float] = field(default_factory=dict)


class EmbeddedDialogue:
    def __init__(self, nlu: NLUEngine, storage: Storage, session_ttl: timedelta):
        self.nlu = nlu
        self.storage = storage
        self.session_ttl = session_ttl
        self.slots = domain.slot_entities()
        self.rules = domain.rules()
        # one turn at a time per session, so slots never interleave; a lock lives only while a turn holds it
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def handle(self, text: str, session_id: str, owner: str, metadata: dict[str, Any]) -> Turn:
        """One turn; `metadata` is the verified speaker (role, user, channel, client) the actions read."""
        lock = self._locks.get(session_id)
        if lock is None:
            lock = self._locks[session_id] = asyncio.Lock()
        async with lock:
            return await self._handle(text, session_id, owner, metadata)

    async def _handle(self, text: str, session_id: str, owner: str, metadata: dict[str, Any]) -> Turn:
        start = time.perf_counter()
        channel = metadata["channel"]
        slots = await self.storage.claim(session_id, owner, channel, self.session_ttl) or {name: None for name in self.slots}
        t0 = time.perf_counter()
        parse = self.nlu.parse(text)
        t_nlu = time.perf_counter()
        for name, entities in self.slots.items():
            for e in parse["entities"]:
                if e["entity"] in entities:
                    slots[name] = e["value"]
        latest = {**parse, "metadata": metadata}
        tracker = Tracker(session_id, dict(slots), latest, [], False, None, {}, None)
        action_name = self.rules.get(parse["intent"]["name"], "action_fallback")
        dispatcher = CollectingDispatcher()
        events = await actions.ACTIONS[action_name].run(dispatcher, tracker, {})
        for ev in events:
            if ev.get("event") == "slot":
                slots[ev["name"]] = ev["value"]
        t_action = time.perf_counter()
        await self.storage.save_slots(session_id, owner, channel, slots)
        timings = {"nlu": (t_nlu - t0) * 1000, "action": (t_action - t_nlu) * 1000, "total": (time.perf_counter() - start) * 1000}
        return Turn(parse, action_name, dispatcher.messages, slots, {k: round(v, 2) for k, v in timings.items()})
