"""A call room: the server is one aiortc peer per participant and relays, mixes, records and captions.

Signaling is non-trickle (as aiortc's server example): an offer comes in, every candidate is gathered,
the answer goes out. A participant who offers again (a reconnect after a network blip) replaces their
previous peer connection; the others keep theirs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCRtpSender, RTCSessionDescription
from aiortc.contrib.media import MediaRecorder, MediaRelay
from aiortc.rtcconfiguration import RTCIceTransportPolicy

from .captions import Caption, Captioner
from .forward import ForwardSource, ForwardVideoTrack
from .media import AudioPump, AudioSink, MixedAudioTrack, SpeakerVideoTrack, VideoSource
from .settings import CallSettings

log = logging.getLogger(__name__)

Emit = Callable[[str, dict[str, Any]], Awaitable[None]]
Recognize = Callable[[np.ndarray], Awaitable[tuple[float, float, str] | None]]
SPEAKING_RMS = 600.0  # int16 RMS (about -35 dBFS) counts as speaking for the active-speaker view
MAX_SDP = 32 * 1024


class SdpError(ValueError):
    """The offer is not an SDP offer aiortc can answer."""


@dataclass
class Member:
    user_id: int
    name: str
    joined_s: float
    pc: RTCPeerConnection | None = None
    audio_out: MixedAudioTrack = field(default_factory=MixedAudioTrack)
    video_out: SpeakerVideoTrack | ForwardVideoTrack | None = None
    pump: AudioPump | None = None
    video: VideoSource | ForwardSource | None = None
    captioner: Captioner | None = None
    level: float = 0.0
    last_spoke: float = 0.0
    connected: asyncio.Event = field(default_factory=asyncio.Event)


def ice_configuration(settings: CallSettings) -> RTCConfiguration:
    """The server's own ICE configuration: STUN, and TURN with its own credentials when configured."""
    servers = [RTCIceServer(urls=u) for u in settings.stun_urls]
    username, credential = settings.turn_credentials("call-server")
    if settings.turn_urls and username:
        servers.append(RTCIceServer(urls=settings.turn_urls, username=username, credential=credential))
    policy = RTCIceTransportPolicy.RELAY if settings.ice_relay_only else RTCIceTransportPolicy.ALL
    return RTCConfiguration(iceServers=servers or None, iceTransportPolicy=policy)


def check_offer(sdp: str) -> None:
    if len(sdp) > MAX_SDP or not sdp.lstrip().startswith("v=0") or "\nm=" not in sdp or "a=ice-ufrag:" not in sdp:
        raise SdpError("not an SDP offer")


class Room:
    def __init__(self, call_id: str, settings: CallSettings, emit: Emit, transcribe: Recognize | None) -> None:
        self.call_id, self.settings, self.emit, self.transcribe = call_id, settings, emit, transcribe
        self.clock0 = time.monotonic()
        self.started = datetime.now(UTC)
        self.relay = MediaRelay()
        self.members: dict[int, Member] = {}
        self.captions: list[dict[str, Any]] = []
        self.record_mix = MixedAudioTrack()
        self.recording: Path | None = None
        self.recorder: MediaRecorder | None = None
        if settings.call_recording:
            settings.recordings_dir.mkdir(parents=True, exist_ok=True)
            self.recording = settings.recordings_dir / f"{call_id}.ogg"
            self.recorder = MediaRecorder(str(self.recording))
            self.recorder.addTrack(self.record_mix)
        self.started_recording = False
        self.ticker = asyncio.ensure_future(self.pick_speakers())
        self.closed = False

    def elapsed(self) -> float:
        return time.monotonic() - self.clock0

    # -- joining -------------------------------------------------------------
    async def connect(self, user_id: int, name: str, sdp: str, kind: str = "offer") -> RTCSessionDescription:
        """Answer a participant's offer; a second offer from the same participant replaces their peer."""
        check_offer(sdp)
        if kind != "offer":
            raise SdpError("only offers are answered")
        if user_id in self.members:
            await self.disconnect(user_id)
        m = Member(user_id, name, self.elapsed())
        forward = self.settings.call_video_forward
        m.video_out = ForwardVideoTrack(self.clock0) if forward else SpeakerVideoTrack(self.relay, self.clock0)
        for other in self.members.values():  # what the others say reaches the newcomer
            if other.pump:
                self._route(other, m)
        pc = RTCPeerConnection(ice_configuration(self.settings))
        m.pc = pc
        self.members[user_id] = m

        @pc.on("track")
        def on_track(track: Any) -> None:
            if track.kind == "audio":
                self._audio_in(m, track)
            elif track.kind == "video":
                s = self.settings
                if forward:
                    m.video = ForwardSource(next(t.receiver for t in pc.getTransceivers() if t.receiver.track is track))
                else:
                    m.video = VideoSource(track, self.clock0, s.call_video_width, s.call_video_height, s.call_video_fps)
                self._views()

        @pc.on("connectionstatechange")
        async def on_state() -> None:
            if self.members.get(user_id) is not m:
                return
            state = pc.connectionState
            if state == "connected":
                m.connected.set()
                await self.emit("media", {"user_id": user_id, "state": "connected"})
            elif state in ("failed", "closed"):
                await self.emit("media", {"user_id": user_id, "state": state})

        try:
            await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
            for t in pc.getTransceivers():
                if t.kind == "video" and forward:  # forwarding needs one codec on every leg: VP8 (every browser has it)
                    vp8 = [c for c in RTCRtpSender.getCapabilities("video").codecs if c.mimeType.lower() in ("video/vp8", "video/rtx")]
                    t.setCodecPreferences(vp8)
                if t.sender.track is None:
                    sender = pc.addTrack(m.audio_out if t.kind == "audio" else m.video_out)
                    if t.kind == "video" and forward:
                        m.video_out.sender = sender
            await pc.setLocalDescription(await pc.createAnswer())
        except Exception as exc:  # aiortc raises ValueError, KeyError, ... on offers it cannot parse
            await self.disconnect(user_id)
            raise SdpError(str(exc)) from exc
        if self.recorder and not self.started_recording:
            self.started_recording = True
            await self.recorder.start()
        self._views()
        return pc.localDescription

    def _audio_in(self, m: Member, track: Any) -> None:
        def level(rms: float) -> None:
            m.level = 0.8 * m.level + 0.2 * rms
            if rms > SPEAKING_RMS:
                m.last_spoke = time.monotonic()

        m.pump = AudioPump(track, level)
        for other in self.members.values():
            if other is not m:
                self._route(m, other)
        sink = AudioSink()
        self.record_mix.sinks[f"u{m.user_id}"] = sink
        m.pump.consumers["record"] = sink.push
        if self.transcribe is not None and self.settings.call_captions:
            m.captioner = Captioner(m.user_id, m.name, self.elapsed(), self.transcribe, self.on_caption)
            m.pump.consumers["captions"] = m.captioner.push

    def _route(self, source: Member, to: Member) -> None:
        """`source`'s voice into `to`'s mix."""
        sink = AudioSink()
        to.audio_out.sinks[f"u{source.user_id}"] = sink
        source.pump.consumers[to.user_id] = sink.push

    async def on_caption(self, c: Caption) -> None:
        item = asdict(c)
        self.captions.append(item)
        await self.emit("caption", item)

    # -- who is shown -----------------------------------------------------------
    def _views(self) -> None:
        """Each participant sees whoever else spoke last (the caller until someone speaks)."""
        for m in self.members.values():
            others = [o for o in self.members.values() if o is not m and o.video is not None]
            if not others or m.video_out is None:
                continue
            current = next((o for o in others if o.user_id == m.video_out.source_id), None)
            speaker = max(others, key=lambda o: o.last_spoke)
            if current is None:
                pick = speaker if speaker.last_spoke else others[0]
            else:
                pick = speaker if speaker.last_spoke > current.last_spoke else current
            if pick is not current:
                m.video_out.show(pick.user_id, pick.video)

    async def pick_speakers(self) -> None:
        while True:
            await asyncio.sleep(0.5)
            self._views()

    # -- leaving -----------------------------------------------------------------
    async def disconnect(self, user_id: int) -> None:
        m = self.members.pop(user_id, None)
        if m is None:
            return
        if m.pump:
            m.pump.stop()
        if m.captioner:
            await m.captioner.flush(timeout=10)
        for other in self.members.values():
            other.audio_out.sinks.pop(f"u{user_id}", None)
            if other.pump:
                other.pump.consumers.pop(user_id, None)
            if other.video_out and other.video_out.source_id == user_id:
                other.video_out.show(None, None)
        self.record_mix.sinks.pop(f"u{user_id}", None)
        if m.video_out:
            m.video_out.stop()
        m.audio_out.stop()
        if m.pc:
            await m.pc.close()
        self._views()

    async def close(self) -> tuple[list[dict[str, Any]], Path | None]:
        """Everyone leaves; captions still being made are finished; the recording is closed. (captions, recording)"""
        if self.closed:
            return self.captions, self.recording
        self.closed = True
        self.ticker.cancel()
        for uid in list(self.members):
            await self.disconnect(uid)
        if self.recorder:
            with contextlib.suppress(Exception):
                await self.recorder.stop()
        if self.recording and (not self.started_recording or not self.recording.exists() or self.recording.stat().st_size == 0):
            self.recording.unlink(missing_ok=True)
            self.recording = None
        return self.captions, self.recording

    def stats(self) -> dict[str, Any]:
        return {
            uid: {
                "state": m.pc.connectionState if m.pc else "new",
                "video_in": m.video.frames_in if m.video else 0,
                "video_relayed": m.video.frames_out if m.video else 0,
                "video_sent": m.video_out.frames if m.video_out else 0,
            }
            for uid, m in self.members.items()
        }


def prune_recordings(settings: CallSettings) -> list[Path]:
    """Recordings older than the retention setting are deleted."""
    folder, gone = settings.recordings_dir, []
    if not folder.exists():
        return gone
    cutoff = time.time() - settings.call_recording_retention_days * 86400
    for f in folder.glob("*.ogg"):
        if f.stat().st_mtime < cutoff:
            f.unlink(missing_ok=True)
            gone.append(f)
    return gone
