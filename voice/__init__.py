"""Voice: decoding, VAD, ASR (openai-whisper, faster-whisper), TTS (Coqui, espeak-ng), one voice turn."""

from .asr import BACKENDS, ASRUnavailable, domain_prompt
from .audio import MAX_BYTES, MAX_SECONDS, SAMPLE_RATE, AudioError, decode, to_opus, to_wav
from .normalize import normalize
from .pipeline import VoiceTurn, run

__all__ = [
    "BACKENDS",
    "MAX_BYTES",
    "MAX_SECONDS",
    "SAMPLE_RATE",
    "ASRUnavailable",
    "AudioError",
    "VoiceTurn",
    "decode",
    "domain_prompt",
    "normalize",
    "run",
    "to_opus",
    "to_wav",
]
