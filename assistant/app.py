"""The FastAPI application: chat, Rasa-compatible NLU and REST channel, health, metrics, WebSocket."""

from __future__ import annotations

import asyncio
import base64
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import FastAPI, File, Form, Request, UploadFile, WebSocket, WebSocketDisconnect
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import ValidationError
from starlette.middleware.base import BaseHTTPMiddleware

import actions
import knowledge
import voice

from . import errors
from .channels import CHANNELS, Channel, role_for
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
MAX_WS_FRAME = 64 * 1024
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
    async def ws(websocket: WebSocket) -> None:
        """Wall screens receive directives; any client can send {"type": "chat", "text": ...} turns."""
        channel = websocket.query_params.get("channel", "wall")
        session_id = websocket.query_params.get("session_id")
        await websocket.accept()
        if channel not in CHANNELS or (session_id and not re.match(SESSION_ID_PATTERN, session_id)):
            await websocket.close(code=1008, reason="invalid channel or session_id")
            return
        sec: Secretary = websocket.app.state.secretary
        queue = sec.hub.subscribe() if channel == "wall" else None

        async def forward() -> None:
            while queue is not None:
                await websocket.send_json(await queue.get())

        pusher = asyncio.create_task(forward())
        try:
            while True:
                msg = await websocket.receive()
                if msg["type"] == "websocket.disconnect":
                    break
                raw = msg.get("text")
                if raw is None:
                    await websocket.send_json(
                        ws_error("unsupported_frame", "지원하지 않는 형식의 메시지입니다.", "binary frames are not accepted here")
                    )
                    continue
                if len(raw.encode()) > MAX_WS_FRAME:
                    await websocket.close(code=1009, reason="frame too large")
                    break
                try:
                    frame = json.loads(raw)
                    if not isinstance(frame, dict):
                        raise ValueError
                except ValueError:
                    await websocket.send_json(ws_error("invalid_json", "메시지가 올바른 JSON이 아닙니다.", "frame is not a JSON object"))
                    continue
                if frame.get("type") == "ping":
                    await websocket.send_json({"type": "pong"})
                elif frame.get("type") == "chat":
                    try:
                        req = ChatRequest(text=frame.get("text", ""), channel=channel, session_id=frame.get("session_id") or session_id)
                    except ValidationError as exc:
                        code, params = errors.validation_code(exc.errors()[0] | {"loc": ("body", *exc.errors()[0]["loc"])})
                        status, ko, en = errors.MESSAGES[code]
                        await websocket.send_json(ws_error(code, ko.format(**params), en.format(**params)))
                        continue
                    reply = await sec.chat(req.text, req.channel, req.session_id)
                    session_id = reply.session_id
                    await websocket.send_json({"type": "reply", **reply.model_dump()})
                else:
                    await websocket.send_json(ws_error("unknown_type", "알 수 없는 메시지 종류입니다.", "type must be chat or ping"))
        except WebSocketDisconnect:
            pass
        finally:
            pusher.cancel()
            if queue is not None:
                sec.hub.unsubscribe(queue)

    return app


def ws_error(code: str, message: str, message_en: str) -> dict[str, Any]:
    return {"type": "error", "error": {"code": code, "message": message, "message_en": message_en}}
