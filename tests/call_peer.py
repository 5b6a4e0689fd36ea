"""An aiortc participant for tests and bench/calls.py: signs in with a token, offers to the server, sends
speech (or silence) and a moving test picture, and keeps what it receives with arrival times."""

from __future__ import annotations

import asyncio
import fractions
import time
from dataclasses import dataclass, field

import av
import httpx
import numpy as np
from aiortc import MediaStreamTrack, RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError
from aiortc.rtcconfiguration import RTCIceTransportPolicy

RATE, PTIME = 48_000, 0.02
SAMPLES = int(RATE * PTIME)
LOUD_RMS = 0.02


def korean_speech(text: str = "재난 현장 상황을 보고드리겠습니다. 오후 세 시까지 대피를 마치기로 했습니다.") -> np.ndarray:
    """espeak-ng's Korean voice, at 48 kHz float."""
    from voice.tts import EspeakNG

    samples, rate = EspeakNG().synthesize(text)
    n = int(len(samples) * RATE / rate)
    return np.interp(np.arange(n) * rate / RATE, np.arange(len(samples)), samples).astype(np.float32)


def envelope(x: np.ndarray, block: int = SAMPLES) -> np.ndarray:
    """Loudness per 20 ms block (RMS)."""
    n = len(x) // block
    return np.sqrt((x[: n * block].reshape(n, block) ** 2).mean(axis=1)) if n else np.zeros(0)


def best_correlation(sent: np.ndarray, got: np.ndarray) -> tuple[float, int]:
    """The highest correlation of the two loudness envelopes over every lag, and that lag in blocks."""
    a, b = envelope(sent), envelope(got)
    if len(b) < len(a):
        return 0.0, 0
    best = (-1.0, 0)
    for lag in range(len(b) - len(a) + 1):
        seg = b[lag : lag + len(a)]
        if seg.std() > 0:
            best = max(best, (float(np.corrcoef(a, seg)[0, 1]), lag))
    return best


class SpeechTrack(MediaStreamTrack):
    """Audio that is silent until `say()`, then plays the speech once, in real time."""

    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self.queue = np.zeros(0, np.float32)
        self.t0: float | None = None
        self.pts = 0
        self.first_loud: float | None = None  # when the first loud frame left

    def say(self, samples: np.ndarray) -> None:
        self.queue = np.concatenate([self.queue, samples])
        self.first_loud = None

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self.t0 is None:
            self.t0 = time.monotonic()
        else:
            self.pts += SAMPLES
            if (wait := self.t0 + self.pts / RATE - time.monotonic()) > 0:
                await asyncio.sleep(wait)
        chunk, self.queue = self.queue[:SAMPLES], self.queue[SAMPLES:]
        chunk = np.pad(chunk, (0, SAMPLES - len(chunk)))
        if self.first_loud is None and np.sqrt(np.mean(chunk**2)) > LOUD_RMS:
            self.first_loud = time.monotonic()
        frame = av.AudioFrame.from_ndarray((chunk * 32767).astype(np.int16).reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = RATE, self.pts, fractions.Fraction(1, RATE)
        return frame


class PictureTrack(MediaStreamTrack):
    """A moving test picture at the call's size and rate (a few frames made once, then cycled: cheap)."""

    kind = "video"

    def __init__(self, width: int = 640, height: int = 360, fps: int = 15) -> None:
        super().__init__()
        self.fps, self.t0, self.n = fps, None, 0
        rng = np.random.default_rng(0)
        self.frames = []
        for i in range(8):
            img = np.zeros((height, width, 3), np.uint8)
            img[:, :, 0] = (np.arange(width) * 255 // width)[None, :]
            img[:, :, 1] = (i * 32) % 256
            img[height // 4 : height // 2, (i * width // 8) : (i * width // 8) + width // 8, 2] = 255
            img += rng.integers(0, 8, img.shape, dtype=np.uint8)
            self.frames.append(av.VideoFrame.from_ndarray(img, format="rgb24").reformat(format="yuv420p"))

    async def recv(self) -> av.VideoFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self.t0 is None:
            self.t0 = time.monotonic()
        else:
            if (wait := self.t0 + self.n / self.fps - time.monotonic()) > 0:
                await asyncio.sleep(wait)
        frame = self.frames[self.n % len(self.frames)]
        frame.pts, frame.time_base = int(self.n * 90_000 / self.fps), fractions.Fraction(1, 90_000)
        self.n += 1
        return frame


@dataclass
class Received:
    audio: list[np.ndarray] = field(default_factory=list)
    first_loud: float | None = None  # monotonic time the first loud audio arrived
    first_audio: float | None = None
    video_frames: int = 0
    video_size: tuple[int, int] = (0, 0)
    video_means: list[np.ndarray] = field(default_factory=list)  # mean RGB of every third decoded frame
    picture: np.ndarray | None = None  # the last of those frames (RGB), to look at

    def mean_color(self, last: int = 5) -> np.ndarray:
        return np.mean(self.video_means[-last:], axis=0)

    def samples(self) -> np.ndarray:
        return np.concatenate(self.audio) if self.audio else np.zeros(0, np.float32)


class Peer:
    def __init__(self, base: str, headers: dict[str, str], video: bool = True, relay_only: bool = False, look: bool = False) -> None:
        self.base, self.headers, self.video, self.relay_only = base, headers, video, relay_only
        self.look = look  # keep what the received pictures look like (costs a conversion per kept frame)
        self.speech = SpeechTrack()
        self.picture = PictureTrack() if video else None
        self.got = Received()
        self.pc: RTCPeerConnection | None = None
        self.tasks: list[asyncio.Task] = []

    async def api(self, method: str, path: str, **kw) -> httpx.Response:
        async with httpx.AsyncClient(base_url=self.base, headers=self.headers, timeout=60) as c:
            return await c.request(method, path, **kw)

    async def join(self, call_id: str) -> None:
        ice = (await self.api("GET", "/v1/calls/ice")).json()
        servers = [RTCIceServer(urls=s["urls"], username=s.get("username"), credential=s.get("credential")) for s in ice["ice_servers"]]
        policy = RTCIceTransportPolicy.RELAY if self.relay_only or ice["ice_transport_policy"] == "relay" else RTCIceTransportPolicy.ALL
        self.pc = pc = RTCPeerConnection(RTCConfiguration(iceServers=servers or None, iceTransportPolicy=policy))
        pc.addTrack(self.speech)
        if self.picture:
            pc.addTrack(self.picture)
        else:
            pc.addTransceiver("video", direction="recvonly")

        @pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            self.tasks.append(asyncio.ensure_future(self.read_audio(track) if track.kind == "audio" else self.read_video(track)))

        await pc.setLocalDescription(await pc.createOffer())
        r = await self.api("POST", f"/v1/calls/{call_id}/offer", json={"sdp": pc.localDescription.sdp, "type": "offer"})
        assert r.status_code == 200, r.text
        await pc.setRemoteDescription(RTCSessionDescription(**r.json()))

    async def read_audio(self, track: MediaStreamTrack) -> None:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            now = time.monotonic()
            self.got.first_audio = self.got.first_audio or now
            for out in resampler.resample(frame):
                x = out.to_ndarray().reshape(-1).astype(np.float32) / 32768
                if self.got.first_loud is None and np.sqrt(np.mean(x**2)) > LOUD_RMS:
                    self.got.first_loud = now
                self.got.audio.append(x)

    async def read_video(self, track: MediaStreamTrack) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            self.got.video_frames += 1
            self.got.video_size = (frame.width, frame.height)
            if self.look and self.got.video_frames % 3 == 0:
                self.got.picture = frame.to_ndarray(format="rgb24")
                self.got.video_means.append(self.got.picture[::4, ::4].reshape(-1, 3).mean(axis=0))

    async def connected(self, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while self.pc.connectionState != "connected":
            assert self.pc.connectionState not in ("failed", "closed"), self.pc.connectionState
            assert time.monotonic() < deadline, f"not connected: {self.pc.connectionState}"
            await asyncio.sleep(0.05)

    async def close(self) -> None:
        for t in self.tasks:
            t.cancel()
        if self.pc:
            await self.pc.close()
