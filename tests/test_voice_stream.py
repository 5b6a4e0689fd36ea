"""Streamed utterances are decoded as they arrive: each byte once, in a thread of their own, within caps."""

from __future__ import annotations

import asyncio
import os
import threading

import numpy as np
import pytest
from test_voice import encode, speech  # noqa: F401 - the fixture

from voice import StreamDecoder
from voice.audio import SAMPLE_RATE, AudioError, decode


def fed(data: bytes, size: int, max_seconds: float = 30) -> tuple[StreamDecoder, np.ndarray]:
    async def go() -> tuple[StreamDecoder, np.ndarray]:
        d = StreamDecoder("opus", max_seconds)
        for i in range(0, len(data), size):
            await d.feed(data[i : i + size])
        return d, await d.finish()

    return asyncio.run(go())


@pytest.mark.parametrize("fmt", ["ogg", "webm"])
@pytest.mark.parametrize("size", [1, 1000, 4000])
def test_opus_in_chunks_decodes_like_the_whole_file(speech, fmt, size):  # noqa: F811
    data = encode(speech, fmt, "libopus")
    d, samples = fed(data, size)
    whole = decode(data)
    assert abs(len(samples) - len(whole)) <= 960 and np.corrcoef(samples[: len(whole)], whole[: len(samples)])[0, 1] > 0.99
    assert d.pipe.taken == len(data)  # every byte read once: no re-decoding of the stream per chunk


def test_decoding_runs_in_its_own_thread_not_the_callers(speech, monkeypatch):  # noqa: F811
    import av

    data = encode(speech, "ogg", "libopus")
    callers = []
    real = av.open
    monkeypatch.setattr(av, "open", lambda *a, **k: callers.append(threading.current_thread().name) or real(*a, **k))
    fed(data, 4000)
    assert callers == ["opus-stream"]


def test_random_bytes_fail_at_once_and_leave_no_thread():
    before = set(threading.enumerate())

    async def go() -> list[str]:
        codes = []
        for head in (b"", b"OggS", b"\x1a\x45\xdf\xa3"):
            d = StreamDecoder("opus", 30)
            try:
                await d.feed(head + os.urandom(16_000))
                await d.feed(os.urandom(16_000))
                await d.finish()
            except AudioError as exc:
                codes.append(exc.code)
            d.close()
        return codes

    assert asyncio.run(go()) == ["audio_unreadable"] * 3
    threading.Event().wait(0.2)
    assert {t for t in threading.enumerate() if t.name == "opus-stream"} - before == set()


def test_caps_and_bad_pcm(speech):  # noqa: F811
    data = encode(speech, "ogg", "libopus")
    with pytest.raises(AudioError) as err:
        fed(data, 1000, max_seconds=0.5)
    assert err.value.code == "audio_too_long" and err.value.status == 413

    async def too_big() -> None:
        d = StreamDecoder("pcm16", 30, max_bytes=32_000)
        await d.feed(b"\0" * 32_000)
        await d.feed(b"\0\0")

    with pytest.raises(AudioError) as err:
        asyncio.run(too_big())
    assert err.value.code == "audio_too_large"

    async def odd() -> None:
        await StreamDecoder("pcm16", 30).feed(b"\0\0\0")

    with pytest.raises(AudioError) as err:
        asyncio.run(odd())
    assert err.value.code == "audio_bad_pcm"


def test_a_stream_closed_half_way_stops_its_thread(speech):  # noqa: F811
    data = encode(speech, "webm", "libopus")

    async def go() -> StreamDecoder:
        d = StreamDecoder("opus", 30)
        await d.feed(data[: len(data) // 2])
        while not len(d.samples()):  # the thread has started decoding and now waits for more bytes
            await asyncio.sleep(0.01)
        d.close()
        await asyncio.to_thread(d.done.wait, 5)
        await asyncio.to_thread(d.thread.join, 5)  # `done` is set just before the thread returns
        return d

    d = asyncio.run(go())
    assert d.done.is_set() and not d.thread.is_alive() and 0 < len(d.samples()) < SAMPLE_RATE * 10
