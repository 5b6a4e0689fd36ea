"""The secretary as one object: NLU, dialogue, storage, screen hub. Used by the API, the WebSocket and the CLI."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from datetime import timedelta
from typing import Any

import actions
import knowledge
import voice
from nlu import load_or_train

from .channels import role_for, shape
from .config import Settings, get_settings
from .dialogue import EmbeddedDialogue, NLUEngine
from .hub import Hub
from .metrics import STAGE_SECONDS, TURNS
from .rasa_dialogue import RasaDialogue
from .schemas import ChatResponse
from .storage import Storage, get_storage

log = logging.getLogger(__name__)


class Secretary:
    def __init__(self, settings: Settings, storage: Storage, nlu: NLUEngine):
        self.settings = settings
        self.storage = storage
        self.nlu = nlu
        embedded = EmbeddedDialogue(nlu, storage, timedelta(hours=settings.session_ttl_hours))
        self.dialogue: EmbeddedDialogue | RasaDialogue = (
            RasaDialogue(settings.rasa_url, embedded, settings.rasa_timeout_s) if settings.nlu == "rasa" else embedded
        )
        self.hub = Hub()

    @classmethod
    async def start(cls) -> Secretary:
        settings = get_settings()
        storage = get_storage()
        await storage.init()
        await storage.seed_approvals((await actions.get_city_data().get("approvals")).data)
        nlu = await asyncio.to_thread(load_or_train, settings.model_dir)
        nlu.threshold = settings.nlu_threshold
        for r in await asyncio.to_thread(knowledge.ingest_sample_corpus):  # first start: ask at once; later: unchanged, skipped
            if r.status == "failed":
                log.warning("sample document %s not ingested: %s", r.path, r.reason)
        return cls(settings, storage, nlu)

    async def chat(self, text: str, channel: str, session_id: str | None = None, role: str | None = None) -> ChatResponse:
        session_id = session_id or uuid.uuid4().hex
        role = role or role_for(channel)
        t0 = time.perf_counter()
        turn = await self.dialogue.handle(text, session_id, channel, role)
        reply = shape(turn.messages, channel)
        for stage in ("nlu", "action"):
            STAGE_SECONDS.labels(stage).observe(turn.timings_ms[stage] / 1000)
        STAGE_SECONDS.labels("total").observe(time.perf_counter() - t0)
        TURNS.labels(channel, turn.parse["intent"]["name"]).inc()
        if actions.can(role, "screen"):  # only the mayor drives the wall; others' directives stay in their reply
            for d in reply["directives"]:
                self.hub.publish({"type": "directive", "directive": d, "session_id": session_id})
        await self.storage.log_turn(
            session_id=session_id,
            channel=channel,
            role=role,
            text=text,
            intent=turn.parse["intent"]["name"],
            confidence=turn.parse["intent"]["confidence"],
            entities=turn.parse["entities"],
            reply=reply["text"],
            latency_ms=turn.timings_ms["total"],
        )
        return ChatResponse(
            session_id=session_id,
            channel=channel,
            role=role,
            intent=turn.parse["intent"],
            entities=turn.parse["entities"],
            timings_ms=turn.timings_ms,
            **reply,
        )

    async def parse(self, text: str) -> dict[str, Any]:
        """Rasa's parse in Rasa mode (the embedded engine when Rasa is down), else the embedded engine's."""
        if isinstance(self.dialogue, RasaDialogue) and (out := await self.dialogue.parse(text)) is not None:
            return out
        return self.nlu.parse(text)

    async def health(self) -> dict[str, Any]:
        try:
            await self.storage.pending_approvals()
            db = "ok"
        except Exception as exc:  # reported, not raised: /health must answer
            db = f"error: {exc.__class__.__name__}"
        nlu: dict[str, Any] = {"engine": self.settings.nlu, "threshold": self.nlu.threshold}
        if isinstance(self.dialogue, RasaDialogue):
            nlu |= {"rasa_url": str(self.dialogue.client.base_url), "rasa": await self.dialogue.check()}
        degraded = db != "ok" or nlu.get("rasa", "ok") != "ok"
        s = self.settings
        speech = {  # voice is optional: a missing ASR model makes /v1/voice answer 503, text stays "ok"
            "asr": f"{s.asr_backend}:{s.asr_model}",
            "asr_installed": await asyncio.to_thread(voice.asr.present, s.asr_backend, s.asr_model),
            "tts": f"coqui:{s.tts_model}" if s.tts_model else "espeak-ng:ko",
        }
        return {
            "status": "degraded" if degraded else "ok",
            "nlu": nlu,
            "database": db,
            "city_data": type(actions.get_city_data()).__name__,
            "voice": speech,
        }

    async def close(self) -> None:
        await self.storage.close()
