"""The secretary as one object: storage, NLU, dialogue, the event bus. Used by the API, the WebSocket and the CLI."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
import uuid
from datetime import timedelta
from typing import Any

import actions
import knowledge
import voice
from actions.privacy import guard_obj
from actions.records import Actor
from nlu import load_or_train

from . import security
from .auth import ANONYMOUS, Principal
from .bus import WALL, Event, EventBus, LocalBus, user_topic
from .calls import Calls
from .channels import shape
from .config import Settings
from .dialogue import EmbeddedDialogue, NLUEngine
from .metrics import STAGE_SECONDS, TURNS
from .rasa_dialogue import RasaDialogue
from .schemas import ChatResponse
from .storage import Storage

log = logging.getLogger(__name__)
PRUNE_EVERY_S = 3600


class Secretary:
    def __init__(self, settings: Settings, storage: Storage, nlu: NLUEngine, bus: EventBus):
        self.settings = settings
        self.storage = storage
        self.nlu = nlu
        self.bus = bus
        embedded = EmbeddedDialogue(nlu, storage, timedelta(hours=settings.session_ttl_hours))
        self.dialogue: EmbeddedDialogue | RasaDialogue = (
            RasaDialogue(settings.rasa_url, embedded, settings.rasa_timeout_s) if settings.nlu == "rasa" else embedded
        )
        self._pruner: asyncio.Task | None = None
        self.calls = Calls(settings, storage, bus)

    @classmethod
    async def start(cls, settings: Settings, bus: EventBus | None = None) -> Secretary:
        storage = Storage(settings.db_url)
        await storage.init()
        city = actions.get_city_data(settings)
        actions.deps.use(settings, storage, city)  # the actions run in-process on the same database pool
        knowledge.use(settings)
        await storage.seed_approvals((await city.get("approvals")).data)
        await storage.seed_directory((await city.get("officers")).data)
        await first_mayor(storage)
        nlu = await asyncio.to_thread(load_or_train, settings.model_dir)
        nlu.threshold = settings.nlu_threshold
        for r in await asyncio.to_thread(knowledge.ingest_sample_corpus):  # first start: ask at once; later: unchanged, skipped
            if r.status == "failed":
                log.warning("sample document %s not ingested: %s", r.path, r.reason)
        sec = cls(settings, storage, nlu, bus or LocalBus())
        sec._pruner = asyncio.create_task(sec.prune_forever())
        return sec

    async def prune_forever(self) -> None:
        while True:
            try:
                await self.storage.prune(
                    timedelta(days=self.settings.audit_retention_days), timedelta(hours=self.settings.session_ttl_hours) * 2
                )
            except Exception:  # pruning is housekeeping: log and try again later
                log.exception("pruning failed")
            await asyncio.sleep(PRUNE_EVERY_S)

    async def chat(
        self, text: str, channel: str, session_id: str | None = None, user: Principal = ANONYMOUS, client: str = "local"
    ) -> ChatResponse:
        session_id = session_id or uuid.uuid4().hex
        t0 = time.perf_counter()
        turn = await self.dialogue.handle(text, session_id, user.owner, user.metadata(channel, client))
        reply = shape(turn.messages, channel)
        if user.role == "citizen":  # the last guard before a citizen sees anything
            reply = guard_obj(reply)
        for stage in ("nlu", "action"):
            STAGE_SECONDS.labels(stage).observe(turn.timings_ms[stage] / 1000)
        STAGE_SECONDS.labels("total").observe(time.perf_counter() - t0)
        TURNS.labels(channel, turn.parse["intent"]["name"]).inc()
        await self.deliver(reply["directives"], user, session_id)
        await self.storage.log_turn(
            session_id=session_id,
            user_id=user.user_id,
            channel=channel,
            role=user.role,
            client=client,
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
            role=user.role,
            intent=turn.parse["intent"],
            entities=turn.parse["entities"],
            timings_ms=turn.timings_ms,
            **reply,
        )

    async def deliver(self, directives: list[dict[str, Any]], user: Principal, session_id: str) -> None:
        """The mayor's directives go to the wall screens; a call rings the officer's devices; the rest stays in the reply."""
        for d in directives:
            if d["type"] in ("call.start", "call.invite"):
                await self.calls.ring(d["call_id"], user, d["officer"])
            elif d["type"] == "call.end":
                await self.calls.ended_by_dialogue(d["call_ids"])
            if actions.can(user.role, "screen"):
                await self.bus.publish(WALL, Event(type="directive", frame={"type": "directive", "directive": d, "session_id": session_id}))

    async def signed_out(self, user: Principal | None = None, user_id: int | None = None) -> None:
        """Sockets of an ended sign-in (or of every sign-in of a user) close at once."""
        uid = user.user_id if user else user_id
        frame = {"signin_id": user.signin_id if user else None}
        await self.bus.publish(user_topic(uid), Event(type="signout", frame=frame))

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
            "city_data": type(actions.deps.city()).__name__,
            "voice": speech,
        }

    async def close(self) -> None:
        await self.calls.close()
        if self._pruner:  # let a prune in progress unwind before the engine goes away
            self._pruner.cancel()
            await asyncio.gather(self._pruner, return_exceptions=True)
        actions.deps.use()
        await self.storage.close()


async def first_mayor(storage: Storage) -> None:
    """The first start creates a mayor account with a random password, shown once: never a fixed default."""
    if await storage.users("mayor"):
        return
    password = security.new_password()
    hashed = await asyncio.to_thread(security.hash_password, password)
    await storage.add_user(Actor("setup", "admin"), username="mayor", display_name="서울시장", role="mayor", password_hash=hashed)
    print(
        "\n" + "=" * 64 + "\n첫 실행: 시장 계정을 만들었습니다 (이 비밀번호는 다시 표시되지 않습니다).\n"
        f"  아이디: mayor\n  비밀번호: {password}\n"
        "  바꾸기: secretary users set-password mayor --password-stdin\n" + "=" * 64,
        file=sys.stderr,
        flush=True,
    )
