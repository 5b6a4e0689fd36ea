"""Request and response models at the HTTP edge, with the Korean messages a person sees on bad input."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from .channels import Channel
from .config import get_settings

SESSION_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"


def scalar(v: Any) -> Any:
    """Reject lone surrogates (JSON's "\\ud800"): they are not text and would break encoding later on."""
    if isinstance(v, str):
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:
            raise PydanticCustomError("invalid_text", "not a Unicode scalar value") from None
    elif isinstance(v, dict):
        for k, x in v.items():
            scalar(k)
            scalar(x)
    elif isinstance(v, list):
        for x in v:
            scalar(x)
    return v


SafeText = Annotated[str, AfterValidator(scalar)]


def check_text(v: str) -> str:
    v = scalar(v).strip()
    if not v:
        raise PydanticCustomError("text_empty", "text is empty")
    limit = get_settings().max_text_chars
    if len(v) > limit:
        raise PydanticCustomError("text_too_long", "text is longer than {limit} characters", {"limit": limit})
    return v


class ChatRequest(BaseModel):
    text: str = Field(description="What the user said or typed, in Korean.", examples=["강남구 미세먼지 어때?"])
    session_id: str | None = Field(None, pattern=SESSION_ID_PATTERN, description="Continue a conversation; omit to start one.")
    channel: Channel = Field(
        description="wall, tablet, watch, public or kiosk: shapes the reply (watch: one line). The role comes from sign-in."
    )

    _text = field_validator("text")(check_text)


class ParseRequest(BaseModel):
    text: str
    _text = field_validator("text")(check_text)


class WebhookRequest(BaseModel):
    """Rasa's REST channel shape. `metadata.channel` shapes the reply; a role in metadata is ignored."""

    sender: str = Field(pattern=SESSION_ID_PATTERN)
    message: str
    metadata: dict[str, Any] = Field(default_factory=dict)
    _message = field_validator("message")(check_text)
    _metadata = field_validator("metadata")(scalar)


class SearchRequest(BaseModel):
    query: str = Field(description="A question or keywords, Korean or English.", examples=["스마트시티 플랫폼 구축 비용"])
    k: int = Field(5, ge=1, le=50, description="How many passages.")
    channel: Channel = Field(
        "public", description="Accepted for symmetry; what may be searched depends on sign-in (citizens: public documents)."
    )
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
    doc_id: str
    position: int
    url: str = Field(description="The reading room's page of the passage (/documents/{doc_id}#p{position}).")


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


class DocumentInfo(BaseModel):
    id: str
    title: str
    source: str
    public: bool
    chunks: int
    ingested_at: float


class DocumentPassage(BaseModel):
    position: int
    section: str
    page: int | None
    text: str


class Document(BaseModel):
    id: str
    title: str
    source: str
    public: bool
    passages: list[DocumentPassage]
