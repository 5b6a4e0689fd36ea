"""Rasa mode: Rasa does NLU and dialogue (rules and stories in nlu/data) and calls the rasa-sdk
action server running the same actions; the assistant relays channel, role, directives and sources.

When Rasa cannot be reached the turn goes to the embedded engine, and /health says so.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import quote

import httpx

from .dialogue import EmbeddedDialogue, Turn

log = logging.getLogger(__name__)


def merge_messages(out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rasa's REST channel sends an action's text and its custom payload as two messages: join them."""
    merged: list[dict[str, Any]] = []
    for m in out:
        if "custom" in m and merged and "custom" not in merged[-1] and "text" in merged[-1]:
            merged[-1]["custom"] = m["custom"]
        else:
            merged.append({k: v for k, v in m.items() if k != "recipient_id"})
    return merged


def unique_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """DIET and the regex extractor may both report a span: keep one per (entity, value)."""
    seen, out = set(), []
    for e in entities:
        key = (e["entity"], str(e["value"]))
        if key not in seen:
            seen.add(key)
            out.append({k: e[k] for k in ("entity", "value", "start", "end") if k in e} | {"extractor": e.get("extractor")})
    return out


class RasaDialogue:
    name = "rasa"

    def __init__(self, url: str, fallback: EmbeddedDialogue, timeout_s: float):
        self.client = httpx.AsyncClient(base_url=url.rstrip("/"), timeout=timeout_s)
        self.fallback = fallback
        self.status = "not contacted yet"

    async def handle(self, text: str, session_id: str, owner: str, metadata: dict[str, Any]) -> Turn:
        t0 = time.perf_counter()
        await self.fallback.storage.claim(session_id, owner, metadata["channel"], self.fallback.session_ttl)  # who may continue it
        try:
            r = await self.client.post("/webhooks/rest/webhook", json={"sender": session_id, "message": text, "metadata": metadata})
            r.raise_for_status()
            messages = merge_messages(r.json())
            t_rasa = time.perf_counter()
            tracker = await self.client.get(f"/conversations/{quote(session_id, safe='')}/tracker", params={"include_events": "NONE"})
            tracker.raise_for_status()
            state = tracker.json()
        except (httpx.HTTPError, ValueError) as exc:
            self.status = f"unreachable ({type(exc).__name__}: {exc}); using the embedded engine"
            log.warning("Rasa at %s: %s", self.client.base_url, self.status)
            return await self.fallback.handle(text, session_id, owner, metadata)
        self.status = "ok"
        latest = state.get("latest_message") or {}
        parse = {
            "text": text,
            "intent": {k: latest.get("intent", {}).get(k) for k in ("name", "confidence")},
            "entities": unique_entities(latest.get("entities", [])),
            "intent_ranking": latest.get("intent_ranking", []),
        }
        timings = {"nlu": 0.0, "action": round((t_rasa - t0) * 1000, 2), "total": round((time.perf_counter() - t0) * 1000, 2)}
        return Turn(parse, state.get("latest_action_name") or "rasa", messages, state.get("slots", {}), timings)

    async def parse(self, text: str) -> dict[str, Any] | None:
        try:
            r = await self.client.post("/model/parse", json={"text": text})
            r.raise_for_status()
        except httpx.HTTPError as exc:
            self.status = f"unreachable ({type(exc).__name__}); using the embedded engine"
            return None
        out = r.json()
        out["entities"] = unique_entities(out.get("entities", []))
        return out

    async def check(self) -> str:
        try:
            (await self.client.get("/status")).raise_for_status()
            self.status = "ok"
        except httpx.HTTPError as exc:
            self.status = f"unreachable ({type(exc).__name__}); using the embedded engine"
        return self.status
