"""Live captions: one participant's audio cut into utterances and transcribed, each with its speaker and time.

Cutting is two-stage to keep the CPU for media: a cheap loudness gate finds where someone spoke and stopped
(0.7 s of quiet), then Silero VAD trims that stretch to its speech (and drops coughs and clicks) once per
utterance, not every few hundred milliseconds. VAD and recognition run in a process of their own
(asr_worker.py), away from the media loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)

RATE = 16_000
BLOCK = 320  # 20 ms at 16 kHz
LOUD = 0.01  # RMS of float audio (about -40 dBFS): someone may be speaking
QUIET_AFTER_S = 0.7
PRE_ROLL_S = 0.3
MAX_UTTERANCE_S = 15.0


@dataclass(frozen=True)
class Caption:
    speaker_id: int
    speaker: str
    start_s: float  # seconds since the call started
    end_s: float
    text: str


class Captioner:
    def __init__(
        self,
        speaker_id: int,
        speaker: str,
        offset_s: float,
        recognize: Callable[[np.ndarray], Awaitable[tuple[float, float, str] | None]],
        publish: Callable[[Caption], Awaitable[None]],
    ) -> None:
        self.speaker_id, self.speaker, self.offset_s = speaker_id, speaker, offset_s
        self.recognize, self.publish = recognize, publish
        self.buf: list[np.ndarray] = []  # 16 kHz float blocks since the utterance (or quiet) began
        self.pending = np.zeros(0, np.float32)
        self.heard = 0  # samples received in total (16 kHz)
        self.buf_start = 0  # sample index of buf[0]
        self.loud_seen = False
        self.quiet = 0  # consecutive quiet samples
        self.jobs: set[asyncio.Task] = set()

    def push(self, samples48: np.ndarray) -> None:
        """48 kHz mono int16 from the room's pump (on the event loop: cheap work only)."""
        x = samples48[: len(samples48) // 3 * 3].astype(np.float32).reshape(-1, 3).mean(axis=1) / 32768.0
        data = np.concatenate([self.pending, x]) if self.pending.size else x
        n = len(data) // BLOCK
        for i in range(n):
            self._block(data[i * BLOCK : (i + 1) * BLOCK])
        self.pending = data[n * BLOCK :]

    def _block(self, block: np.ndarray) -> None:
        self.heard += len(block)
        loud = float(np.sqrt(np.mean(block**2))) > LOUD
        if not self.loud_seen:
            self.buf.append(block)
            keep = int(PRE_ROLL_S * RATE / BLOCK)
            if len(self.buf) > keep:  # only a little quiet before speech is kept
                self.buf = self.buf[-keep:]
            self.buf_start = self.heard - len(self.buf) * BLOCK
            self.loud_seen = loud
            self.quiet = 0
            return
        self.buf.append(block)
        self.quiet = 0 if loud else self.quiet + len(block)
        if self.quiet >= QUIET_AFTER_S * RATE or len(self.buf) * BLOCK >= MAX_UTTERANCE_S * RATE:
            self.cut()

    def cut(self) -> None:
        if self.loud_seen and self.buf:
            audio, start = np.concatenate(self.buf), self.buf_start
            job = asyncio.ensure_future(self.caption(audio, start))
            self.jobs.add(job)
            job.add_done_callback(self.jobs.discard)
        self.buf, self.loud_seen, self.quiet = [], False, 0
        self.buf_start = self.heard

    async def caption(self, audio: np.ndarray, start: int) -> None:
        try:
            heard = await self.recognize(audio)
            if heard and heard[2]:
                t0, t1 = (self.offset_s + start / RATE + t for t in heard[:2])
                await self.publish(Caption(self.speaker_id, self.speaker, round(t0, 2), round(t1, 2), heard[2]))
        except Exception:  # a caption is best effort: the call goes on
            log.exception("caption for %s failed", self.speaker)

    async def flush(self, timeout: float) -> None:
        """At the end of the call: what was being said is cut and transcribed (within `timeout`)."""
        self.cut()
        if self.jobs:
            await asyncio.wait(set(self.jobs), timeout=timeout)
