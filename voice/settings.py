"""Voice settings: which recognizer and voice, and how long an utterance may be."""

from __future__ import annotations

from typing import Literal

from nlu.settings import DataSettings


class VoiceSettings(DataSettings):
    asr_backend: Literal["openai-whisper", "faster-whisper"] = "openai-whisper"
    asr_model: str = "small"  # a name (downloaded by the library on first use) or a checkpoint/CTranslate2 path
    tts_model: str | None = None  # a Coqui model name or checkpoint path; unset: espeak-ng's Korean voice
    tts_python: str | None = None  # the interpreter that has coqui-tts; unset: .tts-venv (make tts), else this one
    tts_speaker: str | None = None  # for multi-speaker Coqui models; unset: the model's first speaker
    voice_max_seconds: float = 30.0
