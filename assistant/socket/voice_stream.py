"""Streaming voice turns on a socket: audio in chunks, VAD end of utterance, partial transcripts, the reply spoken
sentence by sentence and paced to playback (one sentence ahead), barge-in when the user speaks again.

Decoding, VAD and ASR run off the event loop (voice's own workers); a partial transcript is skipped while the
recognizer is busy, the final one always runs.
"""

from __future__ import annotations

import asyncio
import base64
import time
from typing import TYPE_CHECKING

import voice
from voice import SAMPLE_RATE, AudioError, StreamDecoder, to_wav

from .. import errors

if TYPE_CHECKING:
    from .transport import Socket

PARTIAL_EVERY_S = 1.0
END_SILENCE_S = 0.7


class VoiceStream:
    def __init__(self, sock: Socket):
        self.sock = sock
        self.settings = sock.sec.settings
        self.decoder: StreamDecoder | None = None
        self.ended = False  # the last utterance is over: audio still in flight from the client is dropped
        self.heard = False
        self.partial_at = 0.0
        self.speaking: asyncio.Task | None = None
        self.partial: asyncio.Task | None = None

    async def start(self, fmt: str) -> None:
        await self.barge_in()
        self.close_decoder()
        self.decoder = StreamDecoder(fmt, self.settings.voice_max_seconds)
        self.ended, self.heard, self.partial_at = False, False, 0.0

    async def audio(self, data: bytes) -> None:
        if self.decoder is None:
            if not self.ended:
                await self.sock.error("out_of_order")
            return
        try:
            await self.decoder.feed(data)
        except AudioError as exc:
            await self.fail(exc)
            return
        audio = self.decoder.samples()
        if len(audio) / SAMPLE_RATE - self.partial_at < PARTIAL_EVERY_S:
            return
        self.partial_at = len(audio) / SAMPLE_RATE
        spans = await voice.detect_speech(audio)
        if spans and not self.heard:
            self.heard = True
            await self.sock.send({"type": "vad", "state": "speech"})
        if spans and (len(audio) - spans[-1][1]) / SAMPLE_RATE >= END_SILENCE_S:
            await self.sock.send({"type": "vad", "state": "end"})  # the client may stop sending
            await self.end()
        elif spans and not voice.asr_busy() and (self.partial is None or self.partial.done()):
            # In the background: awaiting it here would stop this socket's reads for the whole transcription,
            # and a client whose frames (and keepalive pongs) go unread for 20 s is dropped by the server.
            self.partial = asyncio.create_task(self._partial(audio, self.decoder))

    async def _partial(self, audio, decoder: StreamDecoder) -> None:
        try:
            text = await voice.transcribe(audio, self.settings)
        except voice.ASRUnavailable as exc:
            await self.fail(exc)
            return
        if text and self.decoder is decoder:  # still the same utterance
            await self.sock.send({"type": "transcript.partial", "text": text})

    async def end(self) -> None:
        decoder, self.decoder, self.ended = self.decoder, None, True
        if decoder is None:
            await self.sock.error("out_of_order")
            return
        try:
            audio = await decoder.finish()
            text = await voice.recognize(await voice.trim_speech(audio), self.settings)
        except (AudioError, voice.ASRUnavailable) as exc:
            await self.sock.send(errors.voice_frame(exc))
            return
        finally:
            decoder.close()
        await self.sock.send({"type": "transcript.final", "text": text})
        await self.sock.reply_to(text, self.sock.session_id, speak=True)

    async def fail(self, exc: AudioError | voice.ASRUnavailable) -> None:
        self.close_decoder()
        self.ended = True  # the rest of this utterance, still in flight, is dropped
        await self.sock.send(errors.voice_frame(exc))

    def speak(self, text: str) -> None:
        self.speaking = asyncio.create_task(self._speak(text))

    async def _speak(self, text: str) -> None:
        """Sentence by sentence: the first plays while the rest is made; sending stays one sentence ahead of playback."""
        playing_since, ends = 0.0, [0.0]  # when the client began playing; where each sentence ends in its playback (s)
        try:
            async for i, sentence, samples, rate in voice.sentences(text, voice.synthesizer(self.settings)):
                if i >= 2:  # wait until sentence i-2 is heard: the client still has sentence i-1 queued
                    await asyncio.sleep(max(0.0, playing_since + ends[i - 1] - time.monotonic()))
                wav = base64.b64encode(to_wav(samples, rate)).decode()
                await self.sock.send(
                    {"type": "tts.sentence", "index": i, "text": sentence, "format": "wav", "sample_rate": rate, "base64": wav}
                )
                playing_since = playing_since or time.monotonic()
                ends.append(ends[-1] + len(samples) / rate)
        except voice.TTSUnavailable as exc:
            await self.sock.send(errors.voice_frame(exc))
            return
        await self.sock.send({"type": "tts.end"})

    async def barge_in(self) -> None:
        if self.speaking and not self.speaking.done():
            self.speaking.cancel()
            await self.sock.send({"type": "tts.cancelled"})

    def close_decoder(self) -> None:
        if self.decoder is not None:
            self.decoder.close()
            self.decoder = None

    def close(self) -> None:
        if self.partial:
            self.partial.cancel()
        self.close_decoder()
        if self.speaking:
            self.speaking.cancel()
