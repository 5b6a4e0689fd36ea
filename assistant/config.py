"""Settings from the environment (SECRETARY_*, plus the city's own variable names)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SECRETARY_", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir("seoul-voice-secretary")))
    database_url: str | None = None  # default: SQLite in data_dir
    host: str = "127.0.0.1"
    port: int = 8000
    nlu: Literal["embedded", "rasa"] = "embedded"
    nlu_threshold: float = 0.15
    rasa_url: str = Field(default="http://127.0.0.1:5005", validation_alias=AliasChoices("RASA_URL", "SECRETARY_RASA_URL"))
    rasa_timeout_s: float = 30.0
    max_text_chars: int = 1000
    session_ttl_hours: float = 12  # an idle conversation forgets its context (Rasa's session_expiration_time)

    seoul_openapi_key: str | None = Field(default=None, validation_alias=AliasChoices("SEOUL_OPENAPI_KEY", "SECRETARY_SEOUL_OPENAPI_KEY"))
    seoul_openapi_url: str = Field(
        default="http://openapi.seoul.go.kr:8088", validation_alias=AliasChoices("SEOUL_OPENAPI_URL", "SECRETARY_SEOUL_OPENAPI_URL")
    )
    seoul_subway_url: str = Field(
        default="http://swopenapi.seoul.go.kr/api/subway", validation_alias=AliasChoices("SEOUL_SUBWAY_URL", "SECRETARY_SEOUL_SUBWAY_URL")
    )
    safetydata_key: str | None = Field(default=None, validation_alias=AliasChoices("SAFETYDATA_SERVICE_KEY", "SECRETARY_SAFETYDATA_KEY"))
    safetydata_url: str = Field(
        default="https://www.safetydata.go.kr/V2/api/DSSP-IF-00247",
        validation_alias=AliasChoices("SAFETYDATA_URL", "SECRETARY_SAFETYDATA_URL"),
    )
    chroma_url: str | None = Field(default=None, validation_alias=AliasChoices("CHROMA_URL", "SECRETARY_CHROMA_URL"))
    embedding_model: str = "hashed"  # or a sentence-transformers name/path, e.g. intfloat/multilingual-e5-small
    llm_url: str | None = None  # an OpenAI-compatible endpoint for generated answers; unset: extractive only
    llm_model: str | None = None
    llm_api_key: str | None = Field(default=None, validation_alias=AliasChoices("SECRETARY_LLM_API_KEY", "OPENAI_API_KEY"))
    llm_timeout_s: float = 20.0
    asr_backend: Literal["openai-whisper", "faster-whisper"] = "openai-whisper"
    asr_model: str = "small"  # a name (downloaded by the library on first use) or a checkpoint/CTranslate2 path
    tts_model: str | None = None  # a Coqui model name or checkpoint path; unset: espeak-ng's Korean voice
    tts_python: str | None = None  # the interpreter that has coqui-tts; unset: .tts-venv (make tts), else this one
    tts_speaker: str | None = None  # for multi-speaker Coqui models; unset: the model's first speaker
    voice_max_seconds: float = 30.0
    openapi_timeout_s: float = 5.0
    realtime_ttl_s: float = 10.0

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir / 'secretary.db'}"

    @property
    def model_dir(self) -> Path:
        return self.data_dir / "models"


@lru_cache
def get_settings() -> Settings:
    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings
