"""Audio in and out: anything ffmpeg decodes (PyAV) -> 16 kHz mono float32; WAV and Ogg/Opus out.

Limits are enforced before the whole file is decoded: its size up front, its length while decoding.
"""

from __future__ import annotations

import io
import wave

import numpy as np

SAMPLE_RATE = 16_000
MAX_BYTES = 10 * 1024 * 1024
MAX_SECONDS = 30.0


class AudioError(Exception):
    """Bad audio from a client: a status, a code, and the message a person sees (Korean) and its English."""

    def __init__(self, status: int, code: str, message: str, message_en: str):
        super().__init__(message_en)
        self.status, self.code, self.message, self.message_en = status, code, message, message_en

    @classmethod
    def too_long(cls, max_seconds: float) -> AudioError:
        return cls(413, "audio_too_long", f"말씀이 너무 깁니다(최대 {max_seconds:g}초).", f"audio longer than {max_seconds:g} s")


def decode(data: bytes, max_seconds: float = MAX_SECONDS) -> np.ndarray:
    import av

    if not data:
        raise AudioError(422, "audio_empty", "오디오가 비어 있습니다.", "the audio is empty")
    if len(data) > MAX_BYTES:
        raise AudioError(
            413, "audio_too_large", f"오디오 파일이 너무 큽니다(최대 {MAX_BYTES // 2**20}MB).", f"audio larger than {MAX_BYTES} bytes"
        )
    limit = int(max_seconds * SAMPLE_RATE)
    chunks: list[np.ndarray] = []
    total = 0
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                raise AudioError(415, "audio_unreadable", "오디오가 들어 있지 않은 파일입니다.", "no audio stream")
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += len(chunk)
                if total > limit:
                    raise AudioError.too_long(max_seconds)
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except AudioError:
        raise
    except (av.FFmpegError, ValueError, IndexError, OSError) as exc:
        raise AudioError(
            415,
            "audio_unreadable",
            "오디오를 읽을 수 없습니다. WAV, MP3, M4A, OGG, WebM 파일을 보내 주세요.",
            f"cannot decode audio: {exc}",
        ) from exc
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    if samples.size == 0:
        raise AudioError(422, "audio_empty", "오디오가 비어 있습니다.", "the audio has no samples")
    return samples.astype(np.float32)


def pcm16(data: bytes) -> np.ndarray:
    """Raw little-endian 16-bit mono PCM (the WebSocket's chunk format) -> float32."""
    if len(data) % 2:
        raise AudioError(422, "audio_bad_pcm", "PCM 조각의 길이가 올바르지 않습니다.", "PCM chunk length is odd")
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0


def to_wav(samples: np.ndarray, rate: int) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return buf.getvalue()


def to_opus(samples: np.ndarray, rate: int) -> bytes:
    """Ogg/Opus at 48 kHz (Opus's own rate), for browsers and the WebSocket."""
    import av

    buf = io.BytesIO()
    with av.open(buf, mode="w", format="ogg") as out:
        stream = out.add_stream("libopus", rate=48_000, layout="mono")
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000)
        frame = av.AudioFrame.from_ndarray((np.clip(samples, -1, 1) * 32767).astype("<i2").reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        for f in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(f):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()
