"""Speech synthesis behind one interface: Coqui TTS where a model is configured, else espeak-ng (Korean voice)."""

from __future__ import annotations

import io
import json
import logging
import re
import shutil
import subprocess
import sys
import threading
import wave
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from .normalize import normalize

log = logging.getLogger(__name__)
TTS_VENV = Path(__file__).resolve().parent.parent / ".tts-venv"  # built by `make tts`
WORKER = Path(__file__).with_name("coqui_worker.py")


class TTS(Protocol):
    name: str

    def synthesize(self, text: str) -> tuple[np.ndarray, int]: ...


class TTSUnavailable(Exception):
    """The configured Coqui model cannot be loaded or has stopped working."""

    code = "tts_unavailable"

    def __init__(self, model: str, reason: str):
        self.message = f"음성 합성 모델('{model}')을 쓸 수 없습니다: {reason}"
        self.message_en = f"The speech synthesis model '{model}' cannot be used: {reason}"
        super().__init__(self.message_en)


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


def coqui_python(python: str | None = None) -> str:
    """The interpreter that has coqui-tts: the one configured, else .tts-venv, else this one."""
    if python:
        return python
    venv_python = TTS_VENV / "bin" / "python"
    return str(venv_python) if venv_python.exists() else sys.executable


class CoquiTTS:
    """A Coqui model by catalogue name (downloaded on first use) or checkpoint path, run by voice/coqui_worker.py."""

    def __init__(self, model: str, python: str | None = None, speaker: str | None = None):
        if not Path(model).exists() and not model.startswith("tts_models/"):
            raise TTSUnavailable(model, "no such file, and not a Coqui model name (tts_models/<language>/<dataset>/<model>)")
        self.model, self.python = model, coqui_python(python)
        self.args = [self.python, str(WORKER), model, *([speaker] if speaker else [])]
        self.name = f"coqui:{Path(model).name if Path(model).exists() else model}"
        self.lock = threading.Lock()  # one request at a time on the worker's pipes
        self.proc: subprocess.Popen[bytes] | None = None
        self.rate = 0
        self.start()

    def start(self) -> None:
        try:
            self.proc = subprocess.Popen(self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        except OSError as exc:
            raise TTSUnavailable(self.model, f"cannot start {self.python}: {exc}") from exc
        self.rate = self.read_header()["sample_rate"]

    def read_header(self) -> dict:
        assert self.proc and self.proc.stdout
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait()
            raise TTSUnavailable(self.model, f"the Coqui worker exited ({self.proc.returncode}); is coqui-tts installed (make tts)?")
        header = json.loads(line)
        if "error" in header:
            raise TTSUnavailable(self.model, header["error"])
        return header

    def synthesize(self, text: str) -> tuple[np.ndarray, int]:
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                log.warning("Coqui worker for %s is not running; starting it again", self.model)
                self.start()
            assert self.proc and self.proc.stdin and self.proc.stdout
            try:
                self.proc.stdin.write(json.dumps({"text": normalize(text)}).encode() + b"\n")
                self.proc.stdin.flush()
            except BrokenPipeError as exc:
                raise TTSUnavailable(self.model, "the Coqui worker stopped") from exc
            n = self.read_header()["samples"]
            samples = np.frombuffer(self.proc.stdout.read(4 * n), dtype="<f4")
            if samples.size != n:
                raise TTSUnavailable(self.model, "the Coqui worker stopped mid-answer")
            return samples.astype(np.float32), self.rate

    def close(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.stdin.close()  # type: ignore[union-attr]
            self.proc.wait(timeout=10)


@lru_cache(maxsize=2)
def load(model: str | None, python: str | None = None, speaker: str | None = None) -> TTS:
    return CoquiTTS(model, python, speaker) if model else EspeakNG()


@lru_cache(maxsize=2)
def load_or_espeak(model: str | None, python: str | None = None, speaker: str | None = None) -> TTS:
    """For the server: a Coqui model that cannot load is logged and espeak-ng speaks, so replies are still heard."""
    try:
        return load(model, python, speaker)
    except TTSUnavailable as exc:
        log.error("%s; speaking with espeak-ng instead", exc.message_en)
        return EspeakNG()


def sentences(text: str) -> list[str]:
    """Reply text cut where a speaker breathes, so the first sentence can play while the rest is made."""
    parts = re.split(r"(?<=[.!?])\s+(?=[^\d])", text.strip())
    return [p for p in parts if p.strip()]
