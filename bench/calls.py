"""Video-call benchmark: accept → first audio, mouth-to-ear delay through the server, CPU per relayed 1:1 call,
and how many concurrent 1:1 calls the server holds before video frames drop by more than 5 % (captions off, then on).

Everything runs inside a network namespace made here (tests/netns.py): a real `secretary serve` and aiortc
participants. So that the participants do not eat the CPU the server is measured on, they send pre-encoded
VP8 (a 2 s loop encoded once at the call's 640x360@15; aiortc packetizes it without encoding) and count the
video they receive without decoding it; their audio is real Opus, espeak-ng Korean speech on a loop. The server
does all its real work: decode every participant's video and audio, re-encode video per receiver, mix, record,
caption. Run as root: `python bench/calls.py [--max-calls 12] [--window 15]`.
"""

from __future__ import annotations

import argparse
import asyncio
import fractions
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

import av  # noqa: E402
import httpx  # noqa: E402
import numpy as np  # noqa: E402
import random_models  # noqa: E402
from aiortc import MediaStreamTrack, rtcrtpreceiver  # noqa: E402
from aiortc.mediastreams import MediaStreamError  # noqa: E402
from call_peer import Peer, korean_speech  # noqa: E402
from netns import Netns  # noqa: E402
from procs import cli, free_port, serve, stop, token  # noqa: E402

from bench.stats import pct  # noqa: E402

PASSWORD = "bench-pass-2026"
W, H, FPS = 640, 360, 15
VIDEO_FRAMES = [0]  # video frames the participants received (counted, not decoded)
_lock = threading.Lock()


# -- cheap participants -------------------------------------------------------------------------------------
class CountingDecoder:
    """Stands in for the participants' VP8 decoder: counts the server's frames instead of decoding them."""

    def decode(self, encoded: object) -> list:
        with _lock:
            VIDEO_FRAMES[0] += 1
        return []


_real_get_decoder = rtcrtpreceiver.get_decoder
rtcrtpreceiver.get_decoder = lambda codec: CountingDecoder() if codec.mimeType.lower() == "video/vp8" else _real_get_decoder(codec)


def encoded_loop() -> list[bytes]:
    """2 s of a moving picture, VP8 at ~500 kbit/s, a key frame first (the loop restarts on it)."""
    ctx = av.CodecContext.create("libvpx", "w")
    ctx.width, ctx.height, ctx.pix_fmt = W, H, "yuv420p"
    ctx.time_base = fractions.Fraction(1, FPS)
    ctx.bit_rate = 500_000
    ctx.gop_size = FPS * 2
    ctx.options = {"deadline": "realtime", "cpu-used": "8", "lag-in-frames": "0"}
    out = []
    for i in range(FPS * 2):
        img = np.zeros((H, W, 3), np.uint8)
        img[:, :, 0] = (np.arange(W) * 255 // W)[None, :]
        img[H // 4 : H // 2, (i * 20) % W : (i * 20) % W + 80, 2] = 255
        frame = av.VideoFrame.from_ndarray(img, format="rgb24").reformat(format="yuv420p")
        frame.pts = i
        out += [bytes(p) for p in ctx.encode(frame)]
    out += [bytes(p) for p in ctx.encode(None)]
    return out


class PacketTrack(MediaStreamTrack):
    kind = "video"

    def __init__(self, packets: list[bytes]) -> None:
        super().__init__()
        self.packets, self.n, self.t0 = packets, 0, None

    async def recv(self) -> av.Packet:
        if self.readyState != "live":
            raise MediaStreamError
        if self.t0 is None:
            self.t0 = time.monotonic()
        elif (wait := self.t0 + self.n / FPS - time.monotonic()) > 0:
            await asyncio.sleep(wait)
        packet = av.Packet(self.packets[self.n % len(self.packets)])
        packet.pts, packet.time_base = self.n * 90_000 // FPS, fractions.Fraction(1, 90_000)
        self.n += 1
        return packet


class CheapPeer(Peer):
    def __init__(self, base: str, headers: dict[str, str], packets: list[bytes]) -> None:
        super().__init__(base, headers, video=False)
        self.picture = PacketTrack(packets)


# -- the server ------------------------------------------------------------------------------------------------
class Server:
    def __init__(self, tmp: Path, captions: bool, forward: bool = True) -> None:
        env = dict(os.environ)
        env.pop("SECRETARY_DATABASE_URL", None)
        env |= {"SECRETARY_DATA_DIR": str(tmp / "data"), "SECRETARY_RATE_LIMITS": "false", "SECRETARY_CALL_RING_TIMEOUT_S": "120"}
        env["SECRETARY_CALL_VIDEO_FORWARD"] = "true" if forward else "false"
        if captions:  # Whisper "tiny" dimensions, random weights: real compute, meaningless words
            env["SECRETARY_ASR_MODEL"] = str(random_models.whisper_checkpoint(tmp / "whisper.pt", "tiny"))
        else:
            env["SECRETARY_CALL_CAPTIONS"] = "false"
        cli(env, "train")
        self.port = free_port()
        self.proc = serve(env, self.port, tmp / "server.log")
        for name in ("mayor", "ofc-001"):
            cli(env, "users", "set-password", name, "--password-stdin", stdin=PASSWORD + "\n")
        self.base = f"http://127.0.0.1:{self.port}"
        self.mayor = token(self.base, "mayor", PASSWORD)
        self.officer = token(self.base, "ofc-001", PASSWORD)
        self.sessions = 0

    def cpu_s(self) -> float:
        """CPU seconds of the server and its children (the caption worker) so far."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid, ppid = int(stat.parent.name), int(fields[1])
            if pid == self.proc.pid or ppid == self.proc.pid:
                total += (int(fields[11]) + int(fields[12])) / tick
        return total

    async def place(self, client: httpx.AsyncClient) -> str:
        self.sessions += 1
        session = f"bench-{self.sessions}"
        for text in ("재난안전과장 연결해줘", "응"):
            r = await client.post("/v1/chat", json={"text": text, "channel": "wall", "session_id": session}, headers=self.mayor)
        return next(d for d in r.json()["directives"] if d["type"] == "call.start")["call_id"]

    def close(self) -> None:
        stop(self.proc)


async def officer_socket(server: Server):
    from websockets.asyncio.client import connect

    ws = await connect(f"ws://127.0.0.1:{server.port}/v1/ws?channel=tablet", additional_headers=server.officer)
    await ws.recv()

    async def drain() -> None:  # an unread socket would stop being read and look absent (no ring)
        async for raw in ws:
            if '"call.offline"' in raw or '"call.missed"' in raw:
                print("officer socket:", raw[:200])

    ws.drainer = asyncio.ensure_future(drain())
    return ws


async def open_call(server: Server, client: httpx.AsyncClient, packets: list[bytes], speech: np.ndarray) -> tuple[str, Peer, Peer, float]:
    """A 1:1 call with both sides connected; returns (id, mayor, officer, seconds from accept to first audio heard)."""
    call_id = await server.place(client)
    mayor, officer = CheapPeer(server.base, server.mayor, packets), CheapPeer(server.base, server.officer, packets)
    await mayor.join(call_id)
    mayor.speech.say(np.tile(speech, 40))
    t0 = time.monotonic()
    r = await client.post(f"/v1/calls/{call_id}/accept", headers=server.officer)
    assert r.status_code == 200, (r.text, (await client.get(f"/v1/calls/{call_id}", headers=server.mayor)).text)
    await officer.join(call_id)
    officer.speech.say(np.tile(speech, 40))
    deadline = time.monotonic() + 30
    while officer.got.first_loud is None and time.monotonic() < deadline:
        await asyncio.sleep(0.005)
    return call_id, mayor, officer, (officer.got.first_loud or float("nan")) - t0


async def close_call(server: Server, client: httpx.AsyncClient, call_id: str, peers: list[Peer]) -> None:
    for p in peers:
        await p.close()
    await client.post(f"/v1/calls/{call_id}/end", headers=server.mayor)


# -- the measurements ----------------------------------------------------------------------------------------
async def latency(server: Server, packets: list[bytes], trials: int) -> None:
    speech = korean_speech("네, 알겠습니다.")
    accept_ms, m2e_ms = [], []
    async with httpx.AsyncClient(base_url=server.base, timeout=60) as client:
        ws = await officer_socket(server)
        for _ in range(trials):
            call_id, mayor, officer, first = await open_call(server, client, packets, speech)
            accept_ms.append(first * 1000)
            mayor.speech.queue = mayor.speech.queue[:0]  # silence, then single words: mouth-to-ear
            await asyncio.sleep(1.5)
            for _ in range(3):
                officer.got.first_loud = None
                mayor.speech.say(speech)
                deadline = time.monotonic() + 5
                while mayor.speech.first_loud is None and time.monotonic() < deadline:
                    await asyncio.sleep(0.002)
                sent = mayor.speech.first_loud
                while officer.got.first_loud is None and time.monotonic() < deadline:
                    await asyncio.sleep(0.002)
                if officer.got.first_loud and sent:
                    m2e_ms.append((officer.got.first_loud - sent) * 1000)
                await asyncio.sleep(len(speech) / 48_000 + 1.0)
            await close_call(server, client, call_id, [mayor, officer])
        await ws.close()
    print(f"accept → first audio heard ({trials} calls): p50 {pct(accept_ms, 0.5):.0f} ms, p95 {pct(accept_ms, 0.95):.0f} ms")
    print(f"mouth-to-ear through the server ({len(m2e_ms)} words): p50 {pct(m2e_ms, 0.5):.0f} ms, p95 {pct(m2e_ms, 0.95):.0f} ms")


async def capacity(server: Server, packets: list[bytes], max_calls: int, window: float, label: str) -> None:
    speech = korean_speech()
    steps = [k for k in (1, 2, 3, 4, 6, 8, 10, 12, 16) if k <= max_calls]
    async with httpx.AsyncClient(base_url=server.base, timeout=120) as client:
        ws = await officer_socket(server)
        calls: list[tuple[str, Peer, Peer]] = []
        for k in steps:
            while len(calls) < k:
                call_id, a, b, _ = await open_call(server, client, packets, speech)
                calls.append((call_id, a, b))
            await asyncio.sleep(4)  # key frames, encoders warmed up
            cpu0, frames0, t0, mine0 = server.cpu_s(), VIDEO_FRAMES[0], time.monotonic(), time.process_time()
            await asyncio.sleep(window)
            cpu1, frames1, t1, mine1 = server.cpu_s(), VIDEO_FRAMES[0], time.monotonic(), time.process_time()
            expected = 2 * k * FPS * (t1 - t0)
            drop = max(0.0, 1 - (frames1 - frames0) / expected)
            cpu = (cpu1 - cpu0) / (t1 - t0)
            print(
                f"{label}: {k:2d} concurrent 1:1 calls: server CPU {cpu * 100:5.1f} % of a core ({cpu / k * 100:.1f} % per call), video frames dropped {drop * 100:4.1f} % "
                f"(participants' process: {(mine1 - mine0) / (t1 - t0) * 100:.0f} % of a core)"
            )
            if drop > 0.05:
                print(f"{label}: capacity: {steps[steps.index(k) - 1] if k != steps[0] else 0} calls (frames drop more than 5 % at {k})")
                break
        else:
            print(f"{label}: no step up to {steps[-1]} calls dropped more than 5 % of the frames")
        for call_id, a, b in calls:
            await close_call(server, client, call_id, [a, b])
        await ws.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-calls", type=int, default=12)
    ap.add_argument("--window", type=float, default=15)
    ap.add_argument("--trials", type=int, default=10)
    ap.add_argument("--only", choices=["latency", "forward", "captions", "transcode"], action="append")
    args = ap.parse_args()
    only = set(args.only or ["latency", "forward", "captions", "transcode"])
    packets = encoded_loop()
    ns = Netns()
    try:
        with ns.entered(), tempfile.TemporaryDirectory() as tmp:
            print(f"calls at {W}x{H}@{FPS} VP8, Opus audio; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
            if only & {"latency", "forward"}:
                server = Server(Path(tmp) / "plain", captions=False)
                try:
                    if "latency" in only:
                        asyncio.run(latency(server, packets, args.trials))
                    if "forward" in only:
                        asyncio.run(capacity(server, packets, args.max_calls, args.window, "forwarded, captions off"))
                finally:
                    server.close()
            if "captions" in only:
                server = Server(Path(tmp) / "captions", captions=True)
                try:
                    asyncio.run(capacity(server, packets, args.max_calls, args.window, "forwarded, captions on"))
                finally:
                    server.close()
            if "transcode" in only:
                server = Server(Path(tmp) / "transcode", captions=False, forward=False)
                try:
                    asyncio.run(capacity(server, packets, args.max_calls, args.window, "transcoded, captions off"))
                finally:
                    server.close()
    finally:
        ns.close()


if __name__ == "__main__":
    main()
