"""Where heavy voice work runs: never on the event loop, and the recognizer in a bounded pool of its own.

Whisper holds a core for a second or more per call; with one worker (two cores here) a burst of streaming
clients queues behind it instead of starving the shared thread pool that the rest of the server uses.
Partial transcripts are best-effort: the socket skips one while the recognizer is busy.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

from .vad import speech_spans, trim

T = TypeVar("T")
ASR_WORKERS = int(os.environ.get("SECRETARY_ASR_WORKERS", "1"))
_asr = ThreadPoolExecutor(max_workers=ASR_WORKERS, thread_name_prefix="asr")
_asr_jobs = 0


async def in_asr_pool(fn: Callable[..., T], *args: object) -> T:
    global _asr_jobs
    _asr_jobs += 1
    try:
        return await asyncio.get_running_loop().run_in_executor(_asr, fn, *args)
    finally:
        _asr_jobs -= 1


def asr_busy() -> bool:
    """True while every recognizer worker has a job (a partial transcript would only queue)."""
    return _asr_jobs >= ASR_WORKERS


async def detect_speech(audio: np.ndarray) -> list[tuple[int, int]]:
    """Silero VAD's speech spans, in a thread."""
    return await asyncio.to_thread(speech_spans, audio)


async def trim_speech(audio: np.ndarray) -> np.ndarray:
    return await asyncio.to_thread(trim, audio)
