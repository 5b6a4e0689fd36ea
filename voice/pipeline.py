"""One voice turn with per-stage timings: decode -> VAD -> ASR -> (dialogue) -> TTS, sentence by sentence."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import asr as asr_mod
from . import tts as tts_mod
from .audio import AudioError, decode, to_opus, to_wav
from .vad import trim
from .workers import in_asr_pool

log = logging.getLogger(__name__)


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


def synthesizer(settings: Any) -> tts_mod.TTS:
    """The configured voice; a Coqui model that cannot load is logged and espeak-ng speaks instead."""
    return tts_mod.load_or_espeak(settings.tts_model, settings.tts_python, settings.tts_speaker)


async def sentences(text: str, tts: tts_mod.TTS) -> AsyncIterator[tuple[int, str, np.ndarray, int]]:
    """(index, sentence, samples, rate) as soon as each is synthesized, so the first can play while the rest is made."""
    for i, sentence in enumerate(tts_mod.sentences(text)):
        samples, rate = await asyncio.to_thread(tts.synthesize, sentence)
        yield i, sentence, samples, rate


async def speak(text: str, tts: tts_mod.TTS) -> tuple[np.ndarray, int, float]:
    """The whole reply; returns the audio, its rate and ms until the first sentence was ready."""
    t0 = time.perf_counter()
    chunks, rate, first = [], 16_000, 0.0
    async for _, _, samples, sample_rate in sentences(text, tts):
        chunks.append(samples)
        rate = sample_rate
        first = first or (time.perf_counter() - t0) * 1000
    return (np.concatenate(chunks) if chunks else np.zeros(0, np.float32)), rate, first


async def transcribe(audio: np.ndarray, settings: Any) -> str:
    """Korean text of speech so far, possibly empty (ASRUnavailable when no model is installed)."""
    recognizer = await in_asr_pool(asr_mod.load, settings.asr_backend, settings.asr_model)
    return (await in_asr_pool(recognizer.transcribe, audio, asr_mod.domain_prompt())).strip()


async def recognize(speech: np.ndarray, settings: Any) -> str:
    """The final transcript of an utterance; AudioError when the recognizer heard no words."""
    if not (text := await transcribe(speech, settings)):
        raise AudioError(422, "no_transcript", "말씀을 알아듣지 못했습니다. 다시 말씀해 주세요.", "the recognizer heard no words")
    return text


async def run(data: bytes, settings: Any, reply_to: Callable[[str], Awaitable[Any]], audio_format: str = "wav") -> VoiceTurn:
    watch = Stopwatch()
    audio = await asyncio.to_thread(decode, data, settings.voice_max_seconds)
    watch.lap("decode")
    speech = await asyncio.to_thread(trim, audio)
    watch.lap("vad")
    transcript = await recognize(speech, settings)
    watch.lap("asr")
    reply = await reply_to(transcript)
    watch.lap("dialogue")
    samples, rate, first = await speak(reply.text, synthesizer(settings))
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
    log.info("voice turn %s: %r -> %s, timings_ms=%s", reply.session_id, transcript, reply.intent.name, timings)
    return VoiceTurn(transcript, reply, encoded, audio_format, 48_000 if audio_format == "opus" else rate, timings)
