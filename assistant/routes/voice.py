"""A spoken command uploaded whole: transcript, the reply and the reply spoken."""

from __future__ import annotations

import base64
from typing import Literal

from fastapi import APIRouter, File, Form, UploadFile

import voice

from ..auth import CurrentUser
from ..channels import Channel
from ..deps import Client, SecretaryDep
from ..errors import ApiError
from ..metrics import STAGE_SECONDS
from ..ratelimit import limit
from ..schemas import SESSION_ID_PATTERN, ErrorResponse, VoiceAudio, VoiceResponse
from . import ERRORS

router = APIRouter(tags=["voice"], responses=ERRORS | {415: {"model": ErrorResponse}, 503: {"model": ErrorResponse}})
AUDIO_TYPES = ("audio/", "video/webm", "video/ogg", "application/octet-stream")


@router.post("/v1/voice", response_model=VoiceResponse, dependencies=[limit("voice")])
async def voice_turn(
    sec: SecretaryDep,
    user: CurrentUser,
    client: Client,
    audio: UploadFile = File(..., description="WAV, MP3, M4A, OGG/Opus, WebM: anything ffmpeg decodes"),
    channel: Channel = Form("wall"),
    session_id: str | None = Form(None, pattern=SESSION_ID_PATTERN),
    audio_format: Literal["wav", "opus"] = Form("wav"),
) -> VoiceResponse:
    """A spoken command: transcript, the reply (as /v1/chat) and the reply spoken, with per-stage timings."""
    if audio.content_type and not audio.content_type.startswith(AUDIO_TYPES):
        raise ApiError("audio_content_type")
    data = await audio.read(voice.MAX_BYTES + 1)
    turn = await voice.run(data, sec.settings, lambda text: sec.chat(text, channel, session_id, user, client), audio_format)
    for stage in ("decode", "vad", "asr", "tts_first_audio", "tts_total"):
        STAGE_SECONDS.labels(stage).observe(turn.timings_ms[stage] / 1000)
    return VoiceResponse(
        transcript=turn.transcript,
        reply=turn.reply,
        timings_ms=turn.timings_ms,
        audio=VoiceAudio(format=turn.audio_format, sample_rate=turn.sample_rate, base64=base64.b64encode(turn.audio).decode()),
    )
