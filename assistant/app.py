"""The FastAPI application: chat, Rasa-compatible NLU and REST channel, health, metrics, WebSocket."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import FastAPI, File, Form, Request, UploadFile, WebSocket
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.middleware.base import BaseHTTPMiddleware

import actions
import knowledge
import voice

from . import errors, ws
from .channels import CHANNELS, Channel, role_for
from .metrics import STAGE_SECONDS
from .schemas import (
    SESSION_ID_PATTERN,
    ChatRequest,
    ChatResponse,
    ErrorResponse,
    ParseRequest,
    Passage,
    SearchRequest,
    VoiceAudio,
    VoiceResponse,
    WebhookRequest,
)
from .service import Secretary

MAX_BODY_BYTES = 64 * 1024
AUDIO_TYPES = ("audio/", "video/webm", "video/ogg", "application/octet-stream")
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {s: {"model": ErrorResponse} for s in (400, 413, 422)}


class BodyLimit(BaseHTTPMiddleware):
    """64 KiB for JSON; /v1/voice may carry up to voice.MAX_BYTES of audio (its form fields besides)."""

    async def dispatch(self, request: Request, call_next):  # type: ignore[no-untyped-def]
        limit = voice.MAX_BYTES + MAX_BODY_BYTES if request.url.path == "/v1/voice" else MAX_BODY_BYTES
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > limit:
            return errors.error_response("body_too_large")
        return await call_next(request)


def create_app() -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.secretary = await Secretary.start()
        yield
        await app.state.secretary.close()

    app = FastAPI(
        title="Seoul Voice Secretary",
        version="0.1.0",
        lifespan=lifespan,
        description="Korean voice secretary for the Smart City Platform. Errors carry a Korean `message` for people.",
    )
    app.add_middleware(BodyLimit)
    errors.install(app)

    def secretary(request: Request) -> Secretary:
        return request.app.state.secretary

    @app.post("/v1/chat", response_model=ChatResponse, responses=ERROR_RESPONSES, tags=["chat"])
    async def chat(body: ChatRequest, request: Request) -> ChatResponse:
        """One dialogue turn: Korean text in, reply with directives, data and sources out."""
        return await secretary(request).chat(body.text, body.channel, body.session_id)

    @app.post("/model/parse", responses=ERROR_RESPONSES, tags=["rasa"])
    async def model_parse(body: ParseRequest, request: Request) -> dict[str, Any]:
        """Rasa's NLU API: intent, canonical entities and intent ranking."""
        return await secretary(request).parse(body.text)

    @app.post("/webhooks/rest/webhook", responses=ERROR_RESPONSES, tags=["rasa"])
    async def rest_webhook(body: WebhookRequest, request: Request) -> list[dict[str, Any]]:
        """Rasa's REST channel. `metadata.channel` picks the channel (default: public)."""
        channel = body.metadata.get("channel", "public")
        if channel not in CHANNELS:
            raise errors.ApiError("invalid_channel")
        reply = await secretary(request).chat(body.message, channel, body.sender)
        out: list[dict[str, Any]] = [{"recipient_id": body.sender, "text": m["text"]} for m in reply.messages]
        custom = {k: getattr(reply, k) for k in ("directives", "data", "sources")}
        if any(custom.values()):
            out.append({"recipient_id": body.sender, "custom": custom})
        return out

    @app.post("/v1/knowledge/search", response_model=list[Passage], responses=ERROR_RESPONSES, tags=["knowledge"])
    async def knowledge_search(body: SearchRequest) -> list[dict[str, Any]]:
        """Top passages of the reading room; citizens' channels see public documents only."""
        public_only = not actions.can(role_for(body.channel), "internal_data")
        return await asyncio.to_thread(knowledge.search, body.query, body.k, public_only, body.mode)

    @app.post(
        "/v1/voice",
        response_model=VoiceResponse,
        responses=ERROR_RESPONSES | {415: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
        tags=["voice"],
    )
    async def voice_turn(
        request: Request,
        audio: UploadFile = File(..., description="WAV, MP3, M4A, OGG/Opus, WebM: anything ffmpeg decodes"),
        channel: Channel = Form("wall"),
        session_id: str | None = Form(None, pattern=SESSION_ID_PATTERN),
        audio_format: Literal["wav", "opus"] = Form("wav"),
    ) -> VoiceResponse:
        """A spoken command: transcript, the reply (as /v1/chat) and the reply spoken, with per-stage timings."""
        if audio.content_type and not audio.content_type.startswith(AUDIO_TYPES):
            raise errors.ApiError("audio_content_type")
        data = await audio.read(voice.MAX_BYTES + 1)
        sec = secretary(request)
        turn = await voice.run(data, sec.settings, lambda text: sec.chat(text, channel, session_id), audio_format)
        for stage in ("decode", "vad", "asr", "tts_first_audio", "tts_total"):
            STAGE_SECONDS.labels(stage).observe(turn.timings_ms[stage] / 1000)
        return VoiceResponse(
            transcript=turn.transcript,
            reply=turn.reply,
            timings_ms=turn.timings_ms,
            audio=VoiceAudio(format=turn.audio_format, sample_rate=turn.sample_rate, base64=base64.b64encode(turn.audio).decode()),
        )

    @app.get("/health", tags=["ops"])
    async def health(request: Request) -> dict[str, Any]:
        return await secretary(request).health()

    @app.get("/metrics", response_class=PlainTextResponse, tags=["ops"])
    async def metrics() -> PlainTextResponse:
        return PlainTextResponse(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.websocket("/v1/ws")
    async def websocket_endpoint(websocket: WebSocket) -> None:
        """Directives for wall screens, text turns, streaming voice turns: see assistant/ws.py for the frames."""
        await ws.session(websocket)

    return app
