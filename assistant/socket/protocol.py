"""The frames of WS /v1/ws (client -> server), as pydantic models.

Client -> server (JSON text frames unless said otherwise):
  {"type": "ping"} | {"type": "chat", "text": ..., "session_id"?: ...}
  {"type": "audio.start", "format": "pcm16" | "opus"}   then binary frames: 16 kHz mono little-endian
      16-bit PCM, or the chunks of an Ogg/WebM Opus recording; {"type": "audio.end"} (or silence) ends it.
Server -> client:
  {"type": "hello", "user": {...} | null, "role", "channel", "session_id"} first;
  {"type": "pong"} | {"type": "reply", ...as /v1/chat} | {"type": "directive", "directive": ...} (the mayor's wall screens)
  {"type": "call.ring", ...} (an officer's devices) | {"type": "vad", "state": "speech" | "end"}
  {"type": "transcript.partial" | "transcript.final", "text": ...}
  {"type": "tts.sentence", "index", "text", "format": "wav", "sample_rate", "base64"} ... {"type": "tts.end"}
  {"type": "tts.cancelled"} when the user speaks again (barge-in) | {"type": "error", "error": {code, message, message_en}}
Close codes: 1008 bad channel, session id or origin; 1009 frame over 64 KiB; 1013 a client that does not read;
4401 an invalid token, or a sign-out / disabled account while connected; 4429 too many sockets from one address.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, TypeAdapter

from ..schemas import SESSION_ID_PATTERN, check_text


class Ping(BaseModel):
    type: Literal["ping"]


class Chat(BaseModel):
    type: Literal["chat"]
    text: Annotated[str, AfterValidator(check_text)]
    session_id: str | None = Field(None, pattern=SESSION_ID_PATTERN)


class AudioStart(BaseModel):
    type: Literal["audio.start"]
    format: Literal["pcm16", "opus"] = "pcm16"


class AudioEnd(BaseModel):
    type: Literal["audio.end"]


ClientFrame = Annotated[Ping | Chat | AudioStart | AudioEnd, Field(discriminator="type")]
FRAME = TypeAdapter(ClientFrame)
