"""Voice activity: Silero VAD (the ONNX model that ships inside faster-whisper) finds and trims speech."""

from __future__ import annotations

import numpy as np

from .audio import SAMPLE_RATE, AudioError


def speech_spans(audio: np.ndarray, min_silence_ms: int = 300) -> list[tuple[int, int]]:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    return [(s["start"], s["end"]) for s in get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=min_silence_ms))]


def trim(audio: np.ndarray, pad_ms: int = 200) -> np.ndarray:
    """Only the speech, with a little padding; AudioError when there is none."""
    spans = speech_spans(audio)
    if not spans:
        raise AudioError(422, "no_speech", "말소리가 들리지 않습니다. 다시 말씀해 주세요.", "no speech detected")
    pad = SAMPLE_RATE * pad_ms // 1000
    return np.concatenate([audio[max(0, s - pad) : e + pad] for s, e in spans])
