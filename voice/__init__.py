"""Voice: decoding, VAD, ASR (openai-whisper, faster-whisper), TTS (Coqui, espeak-ng), one voice turn."""

from .asr import BACKENDS, ASRUnavailable, domain_prompt
from .audio import MAX_BYTES, MAX_SECONDS, SAMPLE_RATE, AudioError, decode, pcm16, to_opus, to_wav
from .normalize import normalize
from .pipeline import VoiceTurn, recognize, run, sentences, synthesizer, transcribe
from .stream import StreamDecoder
from .tts import TTSUnavailable
from .vad import speech_spans, trim
from .workers import asr_busy, detect_speech, trim_speech

__all__ = [
    "BACKENDS",
    "MAX_BYTES",
    "MAX_SECONDS",
    "SAMPLE_RATE",
    "ASRUnavailable",
    "AudioError",
    "StreamDecoder",
    "TTSUnavailable",
    "asr_busy",
    "detect_speech",
    "VoiceTurn",
    "decode",
    "domain_prompt",
    "normalize",
    "pcm16",
    "recognize",
    "run",
    "sentences",
    "speech_spans",
    "synthesizer",
    "transcribe",
    "to_opus",
    "to_wav",
    "trim",
    "trim_speech",
]
