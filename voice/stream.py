"""One utterance streamed in chunks, decoded as it arrives: each byte is parsed once, never on the event loop.

PCM16 chunks are converted as they come. Opus (an Ogg or WebM recording, as browsers send it) is decoded by
PyAV in a thread of its own that reads from a pipe fed by `feed`; the thread ends at `finish`, `close`,
the first error or a cap. Anything that is neither Ogg nor WebM is refused from its first bytes, so
random data costs nothing.
"""

from __future__ import annotations

import asyncio
import threading

import numpy as np

from .audio import MAX_BYTES, SAMPLE_RATE, AudioError, pcm16

MAGIC = {b"OggS": "ogg", b"\x1a\x45\xdf\xa3": "matroska"}  # Ogg; EBML (WebM/Matroska)


def unreadable(detail: str) -> AudioError:
    return AudioError(
        415, "audio_unreadable", "오디오를 읽을 수 없습니다. Ogg 또는 WebM의 Opus 녹음을 보내 주세요.", f"cannot decode audio: {detail}"
    )


class Pipe:
    """What the decoder thread reads: blocks until bytes arrive or the stream ends."""

    def __init__(self) -> None:
        self.buf = bytearray()
        self.eof = False
        self.taken = 0  # bytes handed to the decoder, for the tests: each byte is read once
        self.cond = threading.Condition()

    def write(self, data: bytes) -> None:
        with self.cond:
            self.buf += data
            self.cond.notify()

    def end(self) -> None:
        with self.cond:
            self.eof = True
            self.cond.notify()

    def read(self, n: int = -1) -> bytes:
        with self.cond:
            while not self.buf and not self.eof:
                self.cond.wait()
            n = len(self.buf) if n < 0 else min(n, len(self.buf))
            out = bytes(self.buf[:n])
            del self.buf[:n]
            self.taken += n
            return out


class StreamDecoder:
    def __init__(self, fmt: str, max_seconds: float, max_bytes: int = MAX_BYTES):
        if fmt not in ("pcm16", "opus"):
            raise ValueError(fmt)
        self.fmt, self.max_samples, self.max_bytes = fmt, int(max_seconds * SAMPLE_RATE), max_bytes
        self.max_seconds = max_seconds
        self.fed = 0
        self.chunks: list[np.ndarray] = []
        self.total = 0
        self.lock = threading.Lock()
        self.error: AudioError | None = None
        self.pipe: Pipe | None = None
        self.thread: threading.Thread | None = None
        self.head = bytearray()
        self.done = threading.Event()

    async def feed(self, data: bytes) -> None:
        """Take a chunk (never decodes here); raises the first error of this stream."""
        self.check()
        self.fed += len(data)
        if self.fed > self.max_bytes:
            self.fail(AudioError(413, "audio_too_large", "오디오가 너무 깁니다.", f"stream larger than {self.max_bytes} bytes"))
        elif self.fmt == "pcm16":
            self.add(pcm16(data))
        elif self.thread is None:
            self.head += data
            if len(self.head) >= 4:  # enough to tell the container
                self.start(bytes(self.head))
        else:
            self.pipe.write(data)
        self.check()

    def start(self, first: bytes) -> None:
        container = MAGIC.get(first[:4])
        if container is None:
            self.fail(unreadable("not an Ogg or WebM stream"))
            return
        self.pipe = Pipe()
        self.pipe.write(first)
        self.thread = threading.Thread(target=self.decode, args=(container,), name="opus-stream", daemon=True)
        self.thread.start()

    def decode(self, container: str) -> None:
        import av

        try:
            with av.open(self.pipe, mode="r", format=container) as c:
                if not c.streams.audio:
                    raise unreadable("no audio stream")
                resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
                for frame in c.decode(c.streams.audio[0]):
                    if self.error:  # closed or over a cap: stop reading
                        return
                    for out in resampler.resample(frame):
                        self.add(out.to_ndarray().reshape(-1))
                for out in resampler.resample(None):
                    self.add(out.to_ndarray().reshape(-1))
        except AudioError as exc:
            self.fail(exc)
        except (av.FFmpegError, ValueError, IndexError, OSError, EOFError) as exc:
            self.fail(unreadable(str(exc)))
        finally:
            self.done.set()

    def add(self, samples: np.ndarray) -> None:
        with self.lock:
            self.chunks.append(samples.astype(np.float32, copy=False))
            self.total += len(samples)
        if self.total > self.max_samples:
            self.fail(AudioError.too_long(self.max_seconds))

    def fail(self, error: AudioError) -> None:
        if self.error is None:
            self.error = error
        if self.pipe:
            self.pipe.end()

    def check(self) -> None:
        if self.error:
            raise self.error

    def samples(self) -> np.ndarray:
        """Everything decoded so far (16 kHz mono float32)."""
        with self.lock:
            if len(self.chunks) > 1:
                self.chunks = [np.concatenate(self.chunks)]
            return self.chunks[0] if self.chunks else np.zeros(0, np.float32)

    async def finish(self) -> np.ndarray:
        """The whole utterance, once everything fed is decoded."""
        if self.fmt == "opus" and self.thread is None and not self.error:
            self.fail(unreadable("too short"))
        if self.pipe:
            self.pipe.end()
            await asyncio.to_thread(self.done.wait)
        self.check()
        if self.total == 0:
            raise AudioError(422, "audio_empty", "오디오가 비어 있습니다.", "the stream has no samples")
        return self.samples()

    def close(self) -> None:
        """Stop the decoder thread: its next read sees the end of the stream."""
        if self.pipe and not self.done.is_set():
            self.fail(AudioError(499, "stream_closed", "음성 입력이 중단되었습니다.", "stream closed"))
