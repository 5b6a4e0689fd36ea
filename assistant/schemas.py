"""Request and response models at the HTTP edge, with the Korean messages a person sees on bad input."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from .channels import Channel
from .config import get_settings

SESSION_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"

# error code -> (HTTP status, Korean message, English message)
ERRORS: dict[str, tuple[int, str, str]] = {
    "invalid_json": (400, "요청 본문이 올바른 JSON이 아닙니다.", "The request body is not valid JSON."),
    "body_too_large": (413, "요청이 너무 큽니다.", "The request body is too large."),
    "text_empty": (422, "문장을 입력해 주세요.", "text is empty."),
    "text_too_long": (422, "문장이 너무 깁니다. {limit}자 이하로 입력해 주세요.", "text is longer than {limit} characters."),
    "invalid_channel": (
        422,
        "알 수 없는 채널입니다. wall, tablet, watch, public, kiosk 중 하나를 쓰세요.",
        "Unknown channel; use wall, tablet, watch, public or kiosk.",
    ),
    "invalid_session_id": (
        422,
        "세션 ID 형식이 올바르지 않습니다(영문·숫자와 _ . : - 로 64자 이하).",
        "session_id must be 1-64 letters, digits or _ . : -",
    ),
    "missing_field": (422, "필수 항목이 빠졌습니다: {field}", "Missing field: {field}"),
    "invalid_field": (422, "항목 값이 올바르지 않습니다: {field}", "Invalid value for {field}"),
    "audio_content_type": (415, "오디오 파일을 보내 주세요(WAV, MP3, M4A, OGG, WebM).", "send an audio file"),
    "not_found": (404, "요청하신 주소가 없습니다.", "Not found."),
    "internal": (500, "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.", "Internal error."),
}


def check_text(v: str) -> str:
    v = v.strip()
    if not v:
        raise PydanticCustomError("text_empty", "text is empty")
    limit = get_settings().max_text_chars
    if len(v) > limit:
        raise PydanticCustomError("text_too_long", "text is longer than {limit} characters", {"limit": limit})
    return v


class ChatRequest(BaseModel):
    text: str = Field(description="What the user said or typed, in Korean.", examples=["강남구 미세먼지 어때?"])
    session_id: str | None = Field(None, pattern=SESSION_ID_PATTERN, description="Continue a conversation; omit to start one.")
    channel: Channel = Field(description="wall, tablet, watch, public or kiosk; until authentication lands it decides the role.")

    _text = field_validator("text")(check_text)


class ParseRequest(BaseModel):
    text: str
    _text = field_validator("text")(check_text)


class WebhookRequest(BaseModel):
    """Rasa's REST channel shape. The channel comes from metadata and defaults to the least privileged."""

    sender: str = Field(pattern=SESSION_ID_PATTERN)
    message: str
    metadata: dict[str, Any] = Field(default_factory=dict)
    _message = field_validator("message")(check_text)


class SearchRequest(BaseModel):
    query: str = Field(description="A question or keywords, Korean or English.", examples=["스마트시티 플랫폼 구축 비용"])
    k: int = Field(5, ge=1, le=50, description="How many passages.")
    channel: Channel = Field("public", description="Decides the role; citizens (public, kiosk) search public documents only.")
    mode: Literal["hybrid", "dense", "lexical"] = "hybrid"

    _query = field_validator("query")(check_text)


class Passage(BaseModel):
    text: str
    source: str = Field(description="File name of the document.")
    title: str
    section: str = Field(description="Heading path of the passage.")
    page: int | None = Field(description="PDF page, where the document has pages.")
    location: str = Field(description="Page ('3쪽') or section, for citing.")
    public: bool
    score: float


class Intent(BaseModel):
    name: str
    confidence: float


class ChatResponse(BaseModel):
    session_id: str
    channel: Channel
    role: str
    intent: Intent
    entities: list[dict[str, Any]]
    text: str = Field(description="The reply as one string, shaped for the channel.")
    messages: list[dict[str, Any]]
    directives: list[dict[str, Any]] = Field(description="Commands for the wall screen: navigate, cctv, call.start, ...")
    data: dict[str, Any] | None = Field(description="Structured data behind the reply, for the screen (omitted on watch).")
    sources: list[dict[str, Any]] = Field(description="Where the figures and quotes come from, with their time.")
    timings_ms: dict[str, float]


class VoiceAudio(BaseModel):
    format: Literal["wav", "opus"]
    sample_rate: int
    base64: str = Field(description="The spoken reply, base64-encoded (WAV, or Ogg/Opus).")


class VoiceResponse(BaseModel):
    transcript: str = Field(description="What the recognizer heard.")
    reply: ChatResponse
    audio: VoiceAudio
    timings_ms: dict[str, float] = Field(description="decode, vad, asr, dialogue (nlu, action), tts_first_audio, tts_total, encode, total")


class ErrorBody(BaseModel):
    code: str
    message: str
    message_en: str


class ErrorResponse(BaseModel):
    error: ErrorBody
