"""A load-generator process for bench/calls.py: holds a few 1:1 calls' aiortc participants, cheaply.

Both participants of each call it is given live here, so a frame's send time and its arrival at the far side
are read on one clock. They send pre-encoded media (VP8 at the call's size and rate, Opus speech: aiortc only
packetizes `av.Packet`s, it encodes nothing) and decode nothing: each receiver's queue to its decoder thread is
replaced by a counter (the thread stays idle). A received video frame is the reassembled VP8 frame out of
aiortc's jitter buffer, counted, looked up by its bytes to learn which sent frame it was, and timed at its
last packet's arrival.

Driven by JSON lines on stdin (`open`, `snap`, `close`); answers one JSON line each on stdout.
`python bench/call_load.py MEDIA.pickle [NICE]`, started by bench/calls.py inside its network namespace.
"""

from __future__ import annotations

import asyncio
import fractions
import json
import os
import pickle
import sys
import time
from typing import Any

import av
import httpx
from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

AUDIO_RATE, PTIME = 48_000, 0.02
VIDEO_CLOCK = 90_000
DECODER_QUEUE = "_RTCRtpReceiver__decoder_queue"
JITTER_BUFFER = "_RTCRtpReceiver__jitter_buffer"


class LoopTrack(MediaStreamTrack):
    """Pre-encoded packets in a loop, in real time; remembers when each loop position last left."""

    def __init__(self, kind: str, packets: list[bytes], rate: float, clock: int) -> None:
        super().__init__()
        self.kind = kind
        self.packets, self.rate, self.clock = packets, rate, clock
        self.n, self.t0 = 0, None
        self.sent_at = [0.0] * len(packets)

    async def recv(self) -> av.Packet:
        if self.readyState != "live":
            raise MediaStreamError
        if self.t0 is None:
            self.t0 = time.monotonic()
        elif (wait := self.t0 + self.n / self.rate - time.monotonic()) > 0:
            await asyncio.sleep(wait)
        i = self.n % len(self.packets)
        packet = av.Packet(self.packets[i])
        packet.pts, packet.time_base = int(self.n * self.clock / self.rate), fractions.Fraction(1, self.clock)
        self.sent_at[i] = time.monotonic()
        self.n += 1
        return packet


class Counter:
    """Stands in for a receiver's decoder queue: encoded frames are dropped, never decoded (or passed to `on_frame`)."""

    def __init__(self, real: Any, on_frame) -> None:
        self.real, self.on_frame = real, on_frame

    def put(self, item: Any) -> None:
        if item is None:  # the receiver stops: let its (idle) decoder thread end
            self.real.put(None)
        elif self.on_frame:
            self.on_frame(item[1].data)

    def get(self, *a: Any, **kw: Any) -> Any:  # the decoder thread waits here until the receiver stops
        return self.real.get(*a, **kw)


class FrameClock:
    """Wraps a video receiver's jitter buffer: a frame counts as arrived with its last packet (the RTP marker),
    not when aiortc's buffer lets it out (with the next frame's first packet, one frame interval later)."""

    def __init__(self, real: Any, on_frame) -> None:
        self.real, self.on_frame = real, on_frame
        self.marked: dict[int, float] = {}

    def add(self, packet: Any) -> tuple[bool, Any]:
        if packet.marker:
            self.marked[packet.timestamp] = time.monotonic()
            if len(self.marked) > 64:  # frames that never completed
                self.marked.pop(next(iter(self.marked)))
        pli, frame = self.real.add(packet)
        if frame is not None:
            self.on_frame(frame.data, self.marked.pop(frame.timestamp, time.monotonic()))
        return pli, frame


class PacketCount:
    """Wraps an audio receiver's jitter buffer: counts the RTP packets that reach it (aiortc's 16-packet audio
    buffer would discard some of a late burst that a browser's adaptive one plays late)."""

    def __init__(self, real: Any, on_packet) -> None:
        self.real, self.on_packet = real, on_packet

    def add(self, packet: Any) -> tuple[bool, Any]:
        self.on_packet()
        return self.real.add(packet)


class LoadPeer:
    def __init__(self, base: str, headers: dict[str, str], media: dict[str, Any]) -> None:
        self.base, self.headers = base, headers
        self.video = LoopTrack("video", media["video"], media["fps"], VIDEO_CLOCK)
        self.audio = LoopTrack("audio", media["audio"], 1 / PTIME, AUDIO_RATE)
        self.index: dict[bytes, int] = media["index"]
        self.far: LoadPeer | None = None  # whose video this one receives
        self.video_in = self.audio_in = self.unknown = 0
        self.latency_ms: list[float] = []
        self.pc: RTCPeerConnection | None = None

    def _video(self, data: bytes, arrived: float) -> None:
        self.video_in += 1
        i = self.index.get(data)
        if i is None or self.far is None:
            self.unknown += 1
        else:
            self.latency_ms.append((arrived - self.far.video.sent_at[i]) * 1000)

    def _audio(self) -> None:
        self.audio_in += 1

    async def join(self, client: httpx.AsyncClient, call_id: str) -> None:
        self.pc = pc = RTCPeerConnection()
        pc.addTrack(self.audio)
        pc.addTrack(self.video)
        for t in pc.getTransceivers():  # before the receivers start (their decoder threads take this queue)
            r = t.receiver
            setattr(r, DECODER_QUEUE, Counter(getattr(r, DECODER_QUEUE), None))
            clock = (
                FrameClock(getattr(r, JITTER_BUFFER), self._video)
                if t.kind == "video"
                else PacketCount(getattr(r, JITTER_BUFFER), self._audio)
            )
            setattr(r, JITTER_BUFFER, clock)
        await pc.setLocalDescription(await pc.createOffer())
        r = await client.post(f"/v1/calls/{call_id}/offer", json={"sdp": pc.localDescription.sdp, "type": "offer"}, headers=self.headers)
        r.raise_for_status()
        await pc.setRemoteDescription(RTCSessionDescription(**r.json()))

    def counts(self) -> dict[str, Any]:
        out = {
            "sent": self.video.n,
            "video_in": self.video_in,
            "audio_in": self.audio_in,
            "unknown": self.unknown,
            "latency_ms": self.latency_ms,
        }
        self.latency_ms = []
        return out

    async def close(self) -> None:
        if self.pc:
            await self.pc.close()


class Worker:
    def __init__(self, media: dict[str, Any]) -> None:
        self.media = media
        self.calls: dict[str, tuple[LoadPeer, LoadPeer]] = {}
        self.lag_ms: list[float] = []
        self.client: httpx.AsyncClient | None = None

    async def lag(self) -> None:
        """How late this process's event loop wakes up (a starved generator shows here, not in the server)."""
        while True:
            t = time.monotonic()
            await asyncio.sleep(0.05)
            self.lag_ms.append((time.monotonic() - t - 0.05) * 1000)

    async def open(self, base: str, call_id: str, mayor: dict[str, str], officer: dict[str, str]) -> dict[str, Any]:
        self.client = self.client or httpx.AsyncClient(base_url=base, timeout=120)
        a, b = LoadPeer(base, mayor, self.media), LoadPeer(base, officer, self.media)
        a.far, b.far = b, a
        t0 = time.monotonic()
        await a.join(self.client, call_id)
        r = await self.client.post(f"/v1/calls/{call_id}/accept", headers=officer)
        r.raise_for_status()
        await b.join(self.client, call_id)
        self.calls[call_id] = (a, b)
        deadline = time.monotonic() + 30
        while not (a.video_in and b.video_in) and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return {"call_id": call_id, "video_flowing": bool(a.video_in and b.video_in), "setup_s": time.monotonic() - t0}

    def snap(self) -> dict[str, Any]:
        lag, self.lag_ms = self.lag_ms, []
        return {
            "cpu_s": time.process_time(),
            "lag_ms": lag,
            "calls": {cid: [a.counts(), b.counts()] for cid, (a, b) in self.calls.items()},
        }

    async def close(self) -> dict[str, Any]:
        for a, b in self.calls.values():
            await a.close()
            await b.close()
        if self.client:
            await self.client.aclose()
        return {"closed": len(self.calls)}


async def serve(media: dict[str, Any]) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    worker = Worker(media)
    lag = asyncio.ensure_future(worker.lag())
    print(json.dumps({"ready": os.getpid()}), flush=True)
    while line := await reader.readline():
        cmd = json.loads(line)
        op = cmd.pop("op")
        try:
            if op == "open":
                out = await worker.open(**cmd)
            elif op == "snap":
                out = worker.snap()
            elif op == "close":
                out = await worker.close()
            else:
                out = {"error": f"unknown op {op}"}
        except Exception as exc:  # reported to the bench, which decides
            out = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(out), flush=True)
        if op == "close":
            break
    lag.cancel()


def main() -> None:
    with open(sys.argv[1], "rb") as f:
        media = pickle.load(f)
    media["index"] = {p: i for i, p in enumerate(media["video"])}
    if len(sys.argv) > 2:
        os.setpriority(os.PRIO_PROCESS, 0, int(sys.argv[2]))  # absolute; threads started later inherit it
    asyncio.run(serve(media))


if __name__ == "__main__":
    main()
