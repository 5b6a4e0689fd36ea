"""Caption recognition (VAD and Whisper) in a process of its own, at low priority, on one core.

The call server's event loop paces and relays every participant's media; Whisper in a thread of the same
process holds the GIL in its decoding loop long enough to starve it (measured: the relayed speech's loudness
correlation fell from 0.96 to 0.35 while a caption was being made). A separate, niced process leaves the
media its core; captions wait their turn, and when too many utterances queue some are skipped (they are
best effort: the recording keeps everything).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np

log = logging.getLogger(__name__)
MAX_QUEUED = 4


def _init() -> None:
    os.nice(10)
    import torch

    torch.set_num_threads(1)


def _caption(backend: str, model: str, audio: np.ndarray) -> tuple[float, float, str] | None:
    """Silero VAD trims the utterance, Whisper transcribes it: (start s, end s, text) or None for no speech."""
    from voice import asr
    from voice.vad import speech_spans

    spans = speech_spans(audio)
    if not spans:
        return None
    pad = 3200  # 0.2 s around each stretch of speech
    speech = np.concatenate([audio[max(0, s - pad) : e + pad] for s, e in spans])
    text = asr.load(backend, model).transcribe(speech, asr.domain_prompt()).strip()
    return spans[0][0] / 16_000, spans[-1][1] / 16_000, text


class CaptionASR:
    def __init__(self, backend: str, model: str) -> None:
        self.backend, self.model = backend, model
        self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_init)
        self.queued = 0
        self.skipped = 0

    async def __call__(self, audio: np.ndarray) -> tuple[float, float, str] | None:
        """16 kHz float audio of one utterance → (start s, end s, text) within it, or None."""
        if self.queued >= MAX_QUEUED:
            self.skipped += 1
            log.warning("caption skipped: %d utterances already waiting for the recognizer", self.queued)
            return None
        self.queued += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self.pool, _caption, self.backend, self.model, audio)
        finally:
            self.queued -= 1

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
