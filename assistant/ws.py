"""WS /v1/ws: screen directives, text turns and streaming voice turns on one socket.

Client -> server (JSON text frames unless said otherwise):
  {"type": "ping"} | {"type": "chat", "text": ...}
  {"type": "audio.start", "format": "pcm16" | "opus"}   then binary frames: 16 kHz mono little-endian
      16-bit PCM, or the chunks of an Ogg/WebM Opus recording; {"type": "audio.end"} (or silence) ends it.
Server -> client:
  {"type": "pong"} | {"type": "reply", ...as /v1/chat} | {"type": "directive", ...} (wall screens)
  {"type": "vad", "state": "speech" | "end"} | {"type": "transcript.partial" | "transcript.final", "text": ...}
  {"type": "tts.sentence", "index", "text", "format": "wav", "sample_rate", "base64"} ... {"type": "tts.end"}
  {"type": "tts.cancelled"} when the user speaks again (barge-in) | {"type": "error", "error": {code, message, message_en}}
Reply audio is paced to playback, one sentence ahead, so barge-in stops what has not been heard.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import time
from typing import Any

import numpy as np
from fastapi import WebSocket, WebSocketDisconnect
from pydantic import ValidationError

import voice
from voice import SAMPLE_RATE, AudioError, pcm16, speech_spans, to_wav, trim

from . import errors
from .channels import CHANNELS
from .schemas import SESSION_ID_PATTERN, ChatRequest
from .service import Secretary

MAX_FRAME = 64 * 1024
PARTIAL_EVERY_S = 1.0
END_SILENCE_S = 0.7


def error(code: str, message: str, message_en: str) -> dict[str, Any]:
    return {"type": "error", "error": {"code": code, "message": message, "message_en": message_en}}


class Utterance:
    def __init__(self, fmt: str):
        self.fmt = fmt
        self.raw: list[bytes] = []
        self.pcm = np.zeros(0, dtype=np.float32)
        self.heard = False
        self.partial_at = 0.0

    def add(self, data: bytes) -> None:
        if self.fmt == "pcm16":
            self.pcm = np.concatenate([self.pcm, pcm16(data)])
        else:
            self.raw.append(data)

    def audio(self, max_seconds: float) -> np.ndarray | None:
        """What was said so far; None while an Opus stream cannot be decoded yet."""
        if self.fmt == "pcm16":
            if len(self.pcm) > max_seconds * SAMPLE_RATE:
                raise AudioError.too_long(max_seconds)
            return self.pcm
        try:
            return voice.decode(b"".join(self.raw), max_seconds)
        except AudioError as exc:
            if exc.code in ("audio_too_long", "audio_too_large"):
                raise
            return None


class Connection:
    def __init__(self, websocket: WebSocket, sec: Secretary, channel: str, session_id: str | None):
        self.ws, self.sec, self.channel, self.session_id = websocket, sec, channel, session_id
        self.utterance: Utterance | None = None
        self.ended = False  # the last utterance is over: audio still in flight from the client is dropped
        self.speaking: asyncio.Task | None = None

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send_json(message)

    async def handle_text(self, raw: str) -> None:
        try:
            frame = json.loads(raw)
            if not isinstance(frame, dict):
                raise ValueError
        except ValueError:
            await self.send(error("invalid_json", "메시지가 올바른 JSON이 아닙니다.", "frame is not a JSON object"))
            return
        kind = frame.get("type")
        if kind == "ping":
            await self.send({"type": "pong"})
        elif kind == "chat":
            try:
                req = ChatRequest(text=frame.get("text", ""), channel=self.channel, session_id=frame.get("session_id") or self.session_id)
            except ValidationError as exc:
                code, params = errors.validation_code(exc.errors()[0] | {"loc": ("body", *exc.errors()[0]["loc"])})
                _, ko, en = errors.MESSAGES[code]
                await self.send(error(code, ko.format(**params), en.format(**params)))
                return
            await self.reply_to(req.text, req.session_id, speak=False)
        elif kind == "audio.start":
            fmt = frame.get("format", "pcm16")
            if fmt not in ("pcm16", "opus"):
                await self.send(error("audio_format", "format은 pcm16 또는 opus입니다.", "format must be pcm16 or opus"))
                return
            await self.barge_in()
            self.utterance, self.ended = Utterance(fmt), False
        elif kind == "audio.end":
            if self.utterance is None:
                await self.send(error("out_of_order", "audio.start를 먼저 보내 주세요.", "audio.end without audio.start"))
            else:
                await self.finish()
        else:
            await self.send(error("unknown_type", "알 수 없는 메시지 종류입니다.", "type must be chat, ping, audio.start or audio.end"))

    async def handle_audio(self, data: bytes) -> None:
        if self.utterance is None:
            if not self.ended:
                await self.send(error("out_of_order", "음성을 보내기 전에 audio.start를 보내 주세요.", "audio before audio.start"))
            return
        u = self.utterance
        try:
            u.add(data)
            audio = u.audio(self.sec.settings.voice_max_seconds)
        except AudioError as exc:
            self.utterance, self.ended = None, True  # the rest of this utterance, still in flight, is dropped
            await self.send(error(exc.code, exc.message, exc.message_en))
            return
        if audio is None or len(audio) / SAMPLE_RATE - u.partial_at < PARTIAL_EVERY_S:
            return
        u.partial_at = len(audio) / SAMPLE_RATE
        spans = await asyncio.to_thread(speech_spans, audio)
        if spans and not u.heard:
            u.heard = True
            await self.send({"type": "vad", "state": "speech"})
        if spans and (len(audio) - spans[-1][1]) / SAMPLE_RATE >= END_SILENCE_S:
            await self.send({"type": "vad", "state": "end"})  # the client may stop sending
            await self.finish()
        elif spans:
            try:
                text = await voice.transcribe(audio, self.sec.settings)
            except voice.ASRUnavailable as exc:
                self.utterance, self.ended = None, True
                await self.send(error(exc.code, exc.message, exc.message_en))
                return
            if text:
                await self.send({"type": "transcript.partial", "text": text})

    async def finish(self) -> None:
        u, self.utterance, self.ended = self.utterance, None, True
        try:
            audio = u.audio(self.sec.settings.voice_max_seconds) if u else None
            if audio is None:
                raise AudioError(415, "audio_unreadable", "오디오를 읽을 수 없습니다.", "cannot decode the streamed audio")
            text = await voice.recognize(await asyncio.to_thread(trim, audio), self.sec.settings)
        except (AudioError, voice.ASRUnavailable) as exc:
            await self.send(error(exc.code, exc.message, exc.message_en))
            return
        await self.send({"type": "transcript.final", "text": text})
        await self.reply_to(text, self.session_id, speak=True)

    async def reply_to(self, text: str, session_id: str | None, speak: bool) -> None:
        reply = await self.sec.chat(text, self.channel, session_id)
        self.session_id = reply.session_id
        await self.send({"type": "reply", **reply.model_dump()})
        if speak:
            self.speaking = asyncio.create_task(self.speak(reply.text))

    async def speak(self, text: str) -> None:
        """Sentence by sentence: the first plays while the rest is made; sending stays one sentence ahead of playback."""
        playing_since, ends = 0.0, [0.0]  # when the client began playing; where each sentence ends in its playback (s)
        try:
            async for i, sentence, samples, rate in voice.sentences(text, voice.synthesizer(self.sec.settings)):
                if i >= 2:  # wait until sentence i-2 is heard: the client still has sentence i-1 queued
                    await asyncio.sleep(max(0.0, playing_since + ends[i - 1] - time.monotonic()))
                wav = base64.b64encode(to_wav(samples, rate)).decode()
                await self.send({"type": "tts.sentence", "index": i, "text": sentence, "format": "wav", "sample_rate": rate, "base64": wav})
                playing_since = playing_since or time.monotonic()
                ends.append(ends[-1] + len(samples) / rate)
        except voice.TTSUnavailable as exc:
            await self.send(error(exc.code, exc.message, exc.message_en))
            return
        await self.send({"type": "tts.end"})

    async def barge_in(self) -> None:
        if self.speaking and not self.speaking.done():
            self.speaking.cancel()
            await self.send({"type": "tts.cancelled"})


async def session(websocket: WebSocket) -> None:
    channel = websocket.query_params.get("channel", "wall")
    session_id = websocket.query_params.get("session_id")
    await websocket.accept()
    if channel not in CHANNELS or (session_id and not re.match(SESSION_ID_PATTERN, session_id)):
        await websocket.close(code=1008, reason="invalid channel or session_id")
        return
    sec: Secretary = websocket.app.state.secretary
    conn = Connection(websocket, sec, channel, session_id)
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
            text, data = msg.get("text"), msg.get("bytes")
            if len(text.encode() if text is not None else data or b"") > MAX_FRAME:
                await websocket.close(code=1009, reason="frame too large")
                break
            if text is not None:
                await conn.handle_text(text)
            elif data is not None:
                await conn.handle_audio(data)
    except WebSocketDisconnect:
        pass
    finally:
        pusher.cancel()
        if conn.speaking:
            conn.speaking.cancel()
        if queue is not None:
            sec.hub.unsubscribe(queue)
