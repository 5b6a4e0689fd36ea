"""Speech recognition behind one interface: openai-whisper or faster-whisper (CTranslate2, int8 on CPU).

Models by name (downloaded by the library on first use, where there is internet) or by path.
Korean, with an initial prompt of the city's own words (districts, projects, places, departments
from nlu/ lookup tables) to bias recognition toward them.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

BACKENDS = ("openai-whisper", "faster-whisper")
PROMPT_CHARS = 200  # Whisper's prompt window is 224 tokens; Korean takes about one per letter


class ASRUnavailable(Exception):
    """No model installed: the voice endpoints answer 503 with how to install one; text keeps working."""

    code = "asr_unavailable"

    def __init__(self, backend: str, model: str):
        self.message = (
            f"음성 인식 모델({backend} '{model}')이 설치되어 있지 않습니다. 인터넷이 되는 곳에서 "
            f"`secretary models download {model}`로 받거나 SECRETARY_ASR_MODEL에 모델 경로를 지정하세요. 글자 대화는 그대로 됩니다."
        )
        self.message_en = (
            f"No speech recognition model ({backend} '{model}') is installed. Run `secretary models download {model}` "
            "where there is internet, or set SECRETARY_ASR_MODEL to a model path. Text chat keeps working."
        )
        super().__init__(self.message_en)


class ASR(Protocol):
    name: str

    def transcribe(self, audio: np.ndarray, prompt: str = "", fixed_tokens: int | None = None) -> str:
        """Korean text. fixed_tokens: decode exactly that many tokens, end of text suppressed (benchmarks on random weights)."""
        ...


def whisper_cache(download_root: Path | None = None) -> Path:
    return download_root or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "whisper"


def present(backend: str, model: str, download_root: Path | None = None) -> bool:
    """Is the model on this machine (a path, or a name already downloaded)?"""
    if Path(model).exists():
        return True
    if backend == "openai-whisper":
        import whisper

        url = whisper._MODELS.get(model)
        return bool(url) and (whisper_cache(download_root) / os.path.basename(url)).exists()
    from faster_whisper.utils import download_model

    try:
        download_model(model, local_files_only=True)
        return True
    except Exception:
        return False


class OpenAIWhisper:
    def __init__(self, model: str, download_root: Path | None = None):
        import whisper

        self.name = f"openai-whisper:{model}"
        self.model = whisper.load_model(model, device="cpu", download_root=str(whisper_cache(download_root)))

    def transcribe(self, audio: np.ndarray, prompt: str = "", fixed_tokens: int | None = None) -> str:
        options = {}
        if fixed_tokens:
            from whisper.tokenizer import get_tokenizer

            eot = get_tokenizer(self.model.is_multilingual, num_languages=self.model.num_languages).eot
            options = {"sample_len": fixed_tokens, "suppress_tokens": [-1, eot], "without_timestamps": True}
        result = self.model.transcribe(
            audio, language="ko", initial_prompt=prompt or None, temperature=0.0, fp16=False, condition_on_previous_text=False, **options
        )
        return result["text"].strip()


class FasterWhisper:
    def __init__(self, model: str, download_root: Path | None = None):
        from faster_whisper import WhisperModel

        self.name = f"faster-whisper:{model}"
        self.model = WhisperModel(model, device="cpu", compute_type="int8", download_root=str(download_root) if download_root else None)

    def transcribe(self, audio: np.ndarray, prompt: str = "", fixed_tokens: int | None = None) -> str:
        options = {}
        if fixed_tokens:
            eot = self.model.hf_tokenizer.token_to_id("<|endoftext|>")
            options = {"max_new_tokens": fixed_tokens, "suppress_tokens": [-1, eot], "without_timestamps": True}
        segments, _ = self.model.transcribe(
            audio,
            language="ko",
            initial_prompt=prompt or None,
            beam_size=1,
            temperature=0.0,
            condition_on_previous_text=False,
            vad_filter=False,
            **options,
        )
        return "".join(s.text for s in segments).strip()


@lru_cache(maxsize=2)
def load(backend: str, model: str, download_root: Path | None = None) -> ASR:
    if backend not in BACKENDS:
        raise ValueError(f"unknown ASR backend {backend!r}; use one of {BACKENDS}")
    if not present(backend, model, download_root):
        raise ASRUnavailable(backend, model)
    return (OpenAIWhisper if backend == "openai-whisper" else FasterWhisper)(model, download_root)


@lru_cache(maxsize=1)
def domain_prompt() -> str:
    """The city's words, so '강서구' is not heard as '강서 구' or '강서고'."""
    from nlu import load as load_training_data

    lookups = load_training_data().lookups
    words = lookups["district"] + lookups["project"] + lookups["place"][:15] + lookups["department"][:10]
    prompt = ""
    for w in words:
        if len(prompt) + len(w) + 1 > PROMPT_CHARS:
            break
        prompt += w + " "
    return prompt.strip()
