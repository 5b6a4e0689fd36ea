"""Media plumbing of a call room: audio pumped, mixed and paced; video capped, re-stamped and switched.

Audio: each participant's decoded track is read once (`AudioPump`), resampled to 48 kHz mono and pushed to
every consumer: the other participants' mixers, the recording's mixer and the captioner. Each participant
receives one mixed audio track of everyone else, so a third person joining needs no renegotiation.
Video: each participant's track is read once (`VideoSource`), capped in size and rate and stamped on the
room's clock, then fanned out with aiortc's MediaRelay; each participant receives one video track that
shows whoever else spoke last (`SpeakerVideoTrack`), switching sources without a timestamp jump.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import logging
import time
from collections import deque
from collections.abc import Callable

import av
import numpy as np
from aiortc import MediaStreamTrack
from aiortc.contrib.media import MediaRelay
from aiortc.mediastreams import MediaStreamError

log = logging.getLogger(__name__)

RATE = 48_000
PTIME = 0.02
SAMPLES = int(RATE * PTIME)  # 960 samples per 20 ms frame
VIDEO_CLOCK = 90_000
MAX_QUEUED = 25  # 0.5 s: a consumer further behind loses its oldest audio instead of drifting
PRIME = 3  # a source starts (and restarts after running dry) with 60 ms queued: absorbs network and decoder jitter
CATCH_UP = 12  # more than 240 ms queued: skip back to PRIME so latency does not creep up


class AudioSink:
    """A small jitter buffer of 20 ms mono int16 blocks from one source."""

    def __init__(self) -> None:
        self.blocks: deque[np.ndarray] = deque(maxlen=MAX_QUEUED)
        self.pending = np.zeros(0, np.int16)
        self.primed = False

    def push(self, samples: np.ndarray) -> None:
        data = np.concatenate([self.pending, samples]) if self.pending.size else samples
        n = len(data) // SAMPLES
        for i in range(n):
            self.blocks.append(data[i * SAMPLES : (i + 1) * SAMPLES])
        self.pending = data[n * SAMPLES :]

    def pop(self) -> np.ndarray | None:
        if not self.primed:
            if len(self.blocks) < PRIME:
                return None
            self.primed = True
        if len(self.blocks) > CATCH_UP:
            for _ in range(len(self.blocks) - PRIME):
                self.blocks.popleft()
        if not self.blocks:
            self.primed = False
            return None
        return self.blocks.popleft()


class AudioPump:
    """Reads a participant's audio once and hands 48 kHz mono int16 to every consumer."""

    def __init__(self, track: MediaStreamTrack, on_level: Callable[[float], None]) -> None:
        self.track = track
        self.consumers: dict[object, Callable[[np.ndarray], None]] = {}
        self.on_level = on_level
        self.resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
        self.task = asyncio.ensure_future(self.run())

    async def run(self) -> None:
        while True:
            try:
                frame = await self.track.recv()
            except MediaStreamError:
                return
            for out in self.resampler.resample(frame):
                samples = out.to_ndarray().reshape(-1).astype(np.int16, copy=False)
                self.on_level(float(np.sqrt(np.mean(samples.astype(np.float32) ** 2))) if samples.size else 0.0)
                for push in list(self.consumers.values()):
                    push(samples)

    def stop(self) -> None:
        self.task.cancel()


class MixedAudioTrack(MediaStreamTrack):
    """One outgoing audio track: the sum of the sinks it listens to, paced at 20 ms, silence when none speak."""

    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self.sinks: dict[str, AudioSink] = {}
        self._start: float | None = None
        self._pts = 0

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.monotonic()
        else:
            self._pts += SAMPLES
            if (wait := self._start + self._pts / RATE - time.monotonic()) > 0:
                await asyncio.sleep(wait)
        mix = np.zeros(SAMPLES, np.int32)
        for sink in list(self.sinks.values()):
            if (block := sink.pop()) is not None:
                mix += block
        frame = av.AudioFrame.from_ndarray(np.clip(mix, -32768, 32767).astype(np.int16).reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = RATE
        frame.pts = self._pts
        frame.time_base = fractions.Fraction(1, RATE)
        return frame


class VideoSource(MediaStreamTrack):
    """A participant's video as the room relays it: at most W x H and F fps, stamped on the room's clock.

    Stamping every source on one clock lets a receiver's track switch from one speaker to another while its
    RTP timestamps keep increasing (a jump backwards would make the browser drop frames as old).
    """

    kind = "video"

    def __init__(self, track: MediaStreamTrack, clock0: float, width: int, height: int, fps: int) -> None:
        super().__init__()
        self.track, self.clock0 = track, clock0
        self.width, self.height, self.fps = width, height, fps
        self.tokens, self.last = 2.0, time.monotonic()
        self.frames_in = self.frames_out = 0

    async def recv(self) -> av.VideoFrame:
        while True:
            frame = await self.track.recv()
            self.frames_in += 1
            now = time.monotonic()
            # A token bucket (2 deep): jittered arrivals pass, a source faster than the cap loses the excess.
            self.tokens = min(2.0, self.tokens + (now - self.last) * self.fps)
            self.last = now
            if self.tokens < 1:
                continue
            self.tokens -= 1
            if frame.width > self.width or frame.height > self.height:
                scale = min(self.width / frame.width, self.height / frame.height)
                frame = frame.reformat(width=int(frame.width * scale) // 2 * 2, height=int(frame.height * scale) // 2 * 2, format="yuv420p")
            frame.pts = int((now - self.clock0) * VIDEO_CLOCK)
            frame.time_base = fractions.Fraction(1, VIDEO_CLOCK)
            self.frames_out += 1
            return frame


class SpeakerVideoTrack(MediaStreamTrack):
    """One outgoing video track showing one other participant at a time, relayed from their VideoSource."""

    kind = "video"

    def __init__(self, relay: MediaRelay, clock0: float) -> None:
        super().__init__()
        self.relay, self.clock0 = relay, clock0
        self.source_id: str | None = None
        self.proxy: MediaStreamTrack | None = None
        self.changed = asyncio.Event()
        self.frames = 0

    def show(self, source_id: str | None, source: VideoSource | None) -> None:
        if source_id == self.source_id:
            return
        if self.proxy is not None:
            self.proxy.stop()
        self.source_id = source_id
        self.proxy = self.relay.subscribe(source, buffered=False) if source is not None else None
        self.changed.set()

    async def recv(self) -> av.VideoFrame:
        while True:
            if self.readyState != "live":
                raise MediaStreamError
            proxy = self.proxy
            if proxy is None:  # nobody to show yet: a black frame twice a second keeps the decoder alive
                self.changed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.changed.wait(), 0.5)
                if self.proxy is None:
                    return self._black()
                continue
            get = asyncio.ensure_future(proxy.recv())
            switch = asyncio.ensure_future(self.changed.wait())
            done, _ = await asyncio.wait({get, switch}, return_when=asyncio.FIRST_COMPLETED)
            if get in done:
                switch.cancel()
                try:
                    frame = get.result()
                except MediaStreamError:  # that source ended: wait for another
                    if self.proxy is proxy:
                        self.proxy = None
                    continue
                self.frames += 1
                return frame
            get.cancel()
            self.changed.clear()

    def _black(self) -> av.VideoFrame:
        frame = av.VideoFrame(width=320, height=180, format="yuv420p")
        for plane, value in zip(frame.planes, (16, 128, 128), strict=True):
            plane.update(bytes([value]) * plane.buffer_size)
        frame.pts = int((time.monotonic() - self.clock0) * VIDEO_CLOCK)
        frame.time_base = fractions.Fraction(1, VIDEO_CLOCK)
        return frame

    def stop(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()
        super().stop()
