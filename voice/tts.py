"""Speech synthesis behind one interface: Coqui TTS where a model is configured, else espeak-ng (Korean voice)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import wave
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from .normalize import normalize


class TTS(Protocol):
    name: str

    def synthesize(self, text: str) -> tuple[np.ndarray, int]: ...


class EspeakNG:
    """Debian's espeak-ng with its Korean voice: robotic but real, and about 20 ms a sentence."""

    name = "espeak-ng:ko"

    def __init__(self, voice: str = "ko", speed: int = 165):
        if not shutil.which("espeak-ng"):
            raise FileNotFoundError("espeak-ng is not installed (apt-get install espeak-ng)")
        self.voice, self.speed = voice, speed

    def synthesize(self, text: str) -> tuple[np.ndarray, int]:
        wav = subprocess.run(
            ["espeak-ng", "-v", self.voice, "-s", str(self.speed), "--stdout", normalize(text)], capture_output=True, check=True, timeout=30
        ).stdout
        with wave.open(io.BytesIO(wav)) as w:
            return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0, w.getframerate()


class CoquiTTS:
    """A Coqui model by name (downloaded on first use) or by checkpoint path with its config.json beside it."""

    def __init__(self, model: str):
        from TTS.api import TTS as Coqui

        path = Path(model)
        self.name = f"coqui:{path.name if path.exists() else model}"
        self.tts = Coqui(model_path=str(path), config_path=str(path.parent / "config.json")) if path.exists() else Coqui(model)

    def synthesize(self, text: str) -> tuple[np.ndarray, int]:
        samples = np.asarray(self.tts.tts(normalize(text)), dtype=np.float32)
        return samples, int(self.tts.synthesizer.output_sample_rate)


@lru_cache(maxsize=2)
def load(model: str | None) -> TTS:
    return CoquiTTS(model) if model else EspeakNG()


def sentences(text: str) -> list[str]:
    """Reply text cut where a speaker breathes, so the first sentence can play while the rest is made."""
    parts = re.split(r"(?<=[.!?])\s+(?=[^\d])", text.strip())
    return [p for p in parts if p.strip()]
