"""Dialogue turns: /v1/chat, and Rasa's NLU API and REST channel shapes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ..auth import CurrentUser
from ..channels import CHANNELS
from ..deps import Client, SecretaryDep
from ..errors import ApiError
from ..ratelimit import limit
from ..schemas import ChatRequest, ChatResponse, ParseRequest, WebhookRequest
from . import ERRORS

router = APIRouter(tags=["chat"], responses=ERRORS)


@router.post("/v1/chat", response_model=ChatResponse, dependencies=[limit("chat")])
async def chat(body: ChatRequest, sec: SecretaryDep, user: CurrentUser, client: Client) -> ChatResponse:
    """One dialogue turn: Korean text in, reply with directives, data and sources out. The role comes from sign-in."""
    return await sec.chat(body.text, body.channel, body.session_id, user, client)


@router.post("/model/parse", tags=["rasa"], dependencies=[limit("chat")])
async def model_parse(body: ParseRequest, sec: SecretaryDep) -> dict[str, Any]:
    """Rasa's NLU API: intent, canonical entities and intent ranking."""
    return await sec.parse(body.text)


@router.post("/webhooks/rest/webhook", tags=["rasa"], dependencies=[limit("chat")])
async def rest_webhook(body: WebhookRequest, sec: SecretaryDep, user: CurrentUser, client: Client) -> list[dict[str, Any]]:
    """Rasa's REST channel. `metadata.channel` shapes the reply (default: public); any role in metadata is ignored."""
    channel = body.metadata.get("channel", "public")
    if channel not in CHANNELS:
        raise ApiError("invalid_channel")
    reply = await sec.chat(body.message, channel, body.sender, user, client)
    out: list[dict[str, Any]] = [{"recipient_id": body.sender, "text": m["text"]} for m in reply.messages]
    custom = {k: getattr(reply, k) for k in ("directives", "data", "sources")}
    if any(custom.values()):
        out.append({"recipient_id": body.sender, "custom": custom})
    return out
