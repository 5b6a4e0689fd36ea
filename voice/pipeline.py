"""One voice turn with per-stage timings: decode -> VAD -> ASR -> (dialogue) -> TTS, sentence by sentence."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import asr as asr_mod
from . import tts as tts_mod
from .audio import AudioError, decode, to_opus, to_wav
from .vad import trim


@dataclass
class VoiceTurn:
    transcript: str
    reply: Any
    audio: bytes
    audio_format: str
    sample_rate: int
    timings_ms: dict[str, float] = field(default_factory=dict)


class Stopwatch:
    def __init__(self) -> None:
        self.t0 = self.last = time.perf_counter()
        self.ms: dict[str, float] = {}

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.ms[stage] = round((now - self.last) * 1000, 2)
        self.last = now


async def speak(text: str, tts: tts_mod.TTS) -> tuple[np.ndarray, int, float]:
    """Synthesize sentence by sentence; returns the audio, its rate and ms until the first sentence was ready."""
    t0 = time.perf_counter()
    chunks, rate, first = [], 16_000, 0.0
    for sentence in tts_mod.sentences(text):
        samples, rate = await asyncio.to_thread(tts.synthesize, sentence)
        chunks.append(samples)
        first = first or (time.perf_counter() - t0) * 1000
    return (np.concatenate(chunks) if chunks else np.zeros(0, np.float32)), rate, first


async def run(data: bytes, settings: Any, reply_to: Callable[[str], Awaitable[Any]], audio_format: str = "wav") -> VoiceTurn:
    watch = Stopwatch()
    audio = await asyncio.to_thread(decode, data, settings.voice_max_seconds)
    watch.lap("decode")
    speech = await asyncio.to_thread(trim, audio)
    watch.lap("vad")
    recognizer = await asyncio.to_thread(asr_mod.load, settings.asr_backend, settings.asr_model)
    transcript = await asyncio.to_thread(recognizer.transcribe, speech, asr_mod.domain_prompt())
    watch.lap("asr")
    if not transcript.strip():
        raise AudioError(422, "no_transcript", "말씀을 알아듣지 못했습니다. 다시 말씀해 주세요.", "the recognizer heard no words")
    reply = await reply_to(transcript)
    watch.lap("dialogue")
    samples, rate, first = await speak(reply.text, tts_mod.load(settings.tts_model))
    watch.lap("tts_total")
    encoded = to_opus(samples, rate) if audio_format == "opus" else to_wav(samples, rate)
    watch.lap("encode")
    timings = {
        **watch.ms,
        "nlu": reply.timings_ms.get("nlu", 0.0),
        "action": reply.timings_ms.get("action", 0.0),
        "tts_first_audio": round(first, 2),
        "total": round((time.perf_counter() - watch.t0) * 1000, 2),
    }
    return VoiceTurn(transcript, reply, encoded, audio_format, 48_000 if audio_format == "opus" else rate, timings)
