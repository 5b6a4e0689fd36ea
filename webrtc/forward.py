"""Video forwarding without re-encoding: the VP8 frames a participant sends are passed to the others as they are.

aiortc decodes every received video and re-encodes it per receiver; at 640x360@15 that costs about a third
of a core per 1:1 call (bench/calls.py), so a 2-core server holds only a few calls. Here the server taps the
receiver's reassembled VP8 frames before its decoder (which then never runs) and hands them to each
receiver's sender as packets (aiortc packetizes an `av.Packet` without encoding it), like a small SFU.
Key frames are asked of the source (RTCP PLI) when a receiver starts, switches speaker, or reports loss.
What is given up: the server cannot downscale or lower the frame rate (the browsers' own capture settings,
640x360@15 from the call page, are the cap) and receivers' bandwidth estimates do not reach the source.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import logging
import time
from typing import Any

import av
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

log = logging.getLogger(__name__)
VIDEO_CLOCK = 90_000
PLI_EVERY_S = 0.5


def is_keyframe(vp8: bytes) -> bool:
    return bool(vp8) and not vp8[0] & 0x01  # VP8 frame tag: bit 0 is 0 on key frames (RFC 6386 9.1)


class _Tap:
    """Stands in for the receiver's decoder queue: VP8 frames go to the source, anything else to the decoder."""

    def __init__(self, real: Any, source: ForwardSource) -> None:
        self.real, self.source = real, source

    def put(self, item: Any) -> None:
        if item is not None and item[0].mimeType.lower() == "video/vp8":
            self.source.frame(item[1].data)
        else:
            self.real.put(item)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        # The receiver's decoder thread is started with whatever queue the receiver holds, the tap included: it reads
        # the real queue (no VP8 ever reaches it, so it only sees the stop marker). Without this it died at start.
        return self.real.get(*args, **kwargs)


class ForwardSource:
    """One participant's VP8 video, handed to every subscriber as encoded frames."""

    def __init__(self, receiver: Any) -> None:
        self.receiver = receiver
        self.subscribers: set[asyncio.Queue] = set()
        self.last_pli = 0.0
        self.frames_in = 0
        self.loop = asyncio.get_running_loop()
        name = "_RTCRtpReceiver__decoder_queue"
        setattr(receiver, name, _Tap(getattr(receiver, name), self))

    @property
    def frames_out(self) -> int:
        return self.frames_in

    def frame(self, data: bytes) -> None:  # on the event loop (called from the receiver's RTP handler)
        self.frames_in += 1
        for q in list(self.subscribers):
            if q.full():
                q.get_nowait()
            q.put_nowait(data)

    def subscribe(self) -> asyncio.Queue:
        q: asyncio.Queue = asyncio.Queue(maxsize=30)
        self.subscribers.add(q)
        self.keyframe()
        return q

    def unsubscribe(self, q: asyncio.Queue) -> None:
        self.subscribers.discard(q)

    def keyframe(self) -> None:
        now = time.monotonic()
        if now - self.last_pli < PLI_EVERY_S:
            return
        self.last_pli = now
        for s in self.receiver.getSynchronizationSources():
            asyncio.ensure_future(self.receiver._send_rtcp_pli(s.source))


class ForwardVideoTrack(MediaStreamTrack):
    """One outgoing video track showing one other participant at a time, their VP8 frames passed through."""

    kind = "video"

    def __init__(self, clock0: float) -> None:
        super().__init__()
        self.clock0 = clock0
        self.source_id: int | None = None
        self.source: ForwardSource | None = None
        self.queue: asyncio.Queue | None = None
        self.changed = asyncio.Event()
        self.waiting_key = True
        self.sender: Any = None  # set by the room: the receiver's own key-frame requests are passed on
        self.frames = 0

    def show(self, source_id: int | None, source: ForwardSource | None) -> None:
        if source_id == self.source_id:
            return
        if self.source and self.queue:
            self.source.unsubscribe(self.queue)
        self.source_id, self.source = source_id, source
        self.queue = source.subscribe() if source else None
        self.waiting_key = True
        self.changed.set()

    def _wants_keyframe(self) -> bool:
        flag = "_RTCRtpSender__force_keyframe"
        if self.sender is not None and getattr(self.sender, flag, False):
            setattr(self.sender, flag, False)
            return True
        return False

    async def recv(self) -> av.Packet:
        while True:
            if self.readyState != "live":
                raise MediaStreamError
            q = self.queue
            if q is None:
                self.changed.clear()
                await self.changed.wait()
                continue
            get = asyncio.ensure_future(q.get())
            switch = asyncio.ensure_future(self.changed.wait())
            done, _ = await asyncio.wait({get, switch}, return_when=asyncio.FIRST_COMPLETED)
            if get not in done:
                get.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await get
                self.changed.clear()
                continue
            switch.cancel()
            data = get.result()
            if self._wants_keyframe() and self.source:
                self.source.keyframe()
            if self.waiting_key:
                if not is_keyframe(data):
                    if self.source:
                        self.source.keyframe()
                    continue
                self.waiting_key = False
            packet = av.Packet(data)
            packet.pts = int((time.monotonic() - self.clock0) * VIDEO_CLOCK)
            packet.time_base = fractions.Fraction(1, VIDEO_CLOCK)
            self.frames += 1
            return packet

    def stop(self) -> None:
        if self.source and self.queue:
            self.source.unsubscribe(self.queue)
        super().stop()
