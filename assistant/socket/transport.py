"""The socket transport: sign-in at the handshake, one outbox per socket, limits, and the bus topics it hears.

A slow client never holds up anyone else: frames wait in its own bounded outbox, written by its own task;
a client that stops reading is closed (1013). The frames themselves are in protocol.py.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections import Counter
from typing import Any

from fastapi import WebSocket
from pydantic import ValidationError
from pydantic_core import PydanticCustomError
from starlette.websockets import WebSocketDisconnect

import actions
from actions.privacy import guard_obj

from .. import errors
from ..auth import ANONYMOUS, Principal, authenticate, client_address, origin_allowed
from ..bus import WALL, Subscription, user_topic
from ..channels import CHANNELS
from ..errors import ApiError
from ..schemas import SESSION_ID_PATTERN, scalar
from ..service import Secretary
from ..storage import SessionForbidden
from .protocol import FRAME, AudioEnd, AudioStart, Chat, Ping
from .voice_stream import VoiceStream

MAX_FRAME = 64 * 1024
OUTBOX = 256
RECHECK_S = 30  # a sign-in ended elsewhere (another replica, the CLI) closes the socket within this time
_open: Counter[str] = Counter()  # sockets per address (this process)


class SlowClient(Exception):
    pass


class Socket:
    def __init__(self, ws: WebSocket, sec: Secretary, user: Principal, channel: str, session_id: str | None, client: str):
        self.ws, self.sec, self.user, self.channel, self.session_id, self.client = ws, sec, user, channel, session_id, client
        self.id = uuid.uuid4().hex
        self.outbox: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue(maxsize=OUTBOX)
        self.closing: asyncio.Future | None = None
        self.voice = VoiceStream(self)

    async def send(self, frame: dict[str, Any]) -> None:
        """Queue a frame; never waits for the client. Citizens' frames pass the privacy guard."""
        if self.user.role == "citizen" and frame.get("type") != "tts.sentence":
            frame = guard_obj(frame)
        try:
            self.outbox.put_nowait(frame)
        except asyncio.QueueFull:
            if not self.closing:
                self.closing = asyncio.ensure_future(self.ws.close(code=1013, reason="client does not read"))
            raise SlowClient from None

    async def writer(self) -> None:
        while (frame := await self.outbox.get()) is not None:
            await self.ws.send_json(frame)

    async def listen(self, sub: Subscription) -> None:
        """Events addressed to this user (or, for the mayor's wall, to the wall screens)."""
        async for event in sub:
            if event.type == "signout":
                if event.frame.get("signin_id") in (None, self.user.signin_id):
                    await self.ws.close(code=4401, reason="signed out")
                    return
            else:
                await self.send(event.frame)

    async def recheck(self) -> None:
        while not self.user.anonymous:
            await asyncio.sleep(RECHECK_S)
            if await self.sec.storage.signed_in(self.user.signin_id) is None:
                await self.ws.close(code=4401, reason="signed out")
                return

    async def error(self, code: str, **params: object) -> None:
        await self.send(errors.frame(code, **params))

    async def on_text(self, raw: str) -> None:
        try:
            frame = FRAME.validate_python(scalar(json.loads(raw)))
        except PydanticCustomError:
            await self.error("invalid_text", field="frame")
            return
        except ValueError as exc:  # not JSON, or not a frame we know
            await self.reject(exc)
            return
        match frame:
            case Ping():
                await self.send({"type": "pong"})
            case Chat():
                await self.reply_to(frame.text, frame.session_id or self.session_id, speak=False)
            case AudioStart():
                await self.voice.start(frame.format)
            case AudioEnd():
                await self.voice.end()

    async def reject(self, exc: ValueError) -> None:
        if isinstance(exc, ValidationError):
            err = exc.errors()[0]
            if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
                await self.error("unknown_type")
                return
            if err["loc"][-1:] == ("format",):
                await self.error("audio_format")
                return
            code, params = errors.validation_code(err | {"loc": ("body", *err["loc"][1:])})
            await self.error(code, **params)
        else:
            await self.error("invalid_json")

    async def reply_to(self, text: str, session_id: str | None, speak: bool) -> None:
        try:
            reply = await self.sec.chat(text, self.channel, session_id, self.user, self.client)
        except SessionForbidden:
            await self.error("session_forbidden")
            return
        self.session_id = reply.session_id
        await self.send({"type": "reply", **reply.model_dump()})
        if speak:
            self.voice.speak(reply.text)


async def endpoint(websocket: WebSocket) -> None:
    """Directives for the mayor's wall, a user's notifications, text turns, streaming voice turns."""
    await websocket.accept()
    sec: Secretary = websocket.app.state.secretary
    channel = websocket.query_params.get("channel", "public")
    session_id = websocket.query_params.get("session_id")
    client = client_address(websocket)
    if channel not in CHANNELS or (session_id and not re.match(SESSION_ID_PATTERN, session_id)):
        await websocket.close(code=1008, reason="invalid channel or session_id")
        return
    if not origin_allowed(websocket, sec.settings):  # a foreign page must not ride a user's cookie
        await websocket.close(code=1008, reason="origin not allowed")
        return
    try:
        user, _, _ = await authenticate(websocket)
    except ApiError:
        await websocket.close(code=4401, reason="token invalid, expired or revoked")
        return
    if sec.settings.rate_limits and _open[client] >= sec.settings.limit_ws_connections:
        await websocket.close(code=4429, reason="too many sockets from this address")
        return
    _open[client] += 1
    sock = Socket(websocket, sec, user, channel, session_id, client)
    topics = [] if user is ANONYMOUS else [user_topic(user.user_id)]
    if channel == "wall" and actions.can(user.role, "screen"):
        topics.append(WALL)
    sub = sec.bus.subscribe(topics)
    tasks = [asyncio.create_task(t) for t in (sock.writer(), sock.listen(sub), sock.recheck())]
    await sock.send({"type": "hello", "user": None if user.anonymous else user.public(), "role": user.role, "channel": channel})
    try:
        await receive(sock)
    except (WebSocketDisconnect, SlowClient):
        pass
    finally:
        _open[client] -= 1
        if not _open[client]:
            del _open[client]
        sub.close()
        sock.voice.close()
        for t in tasks:
            t.cancel()


async def receive(sock: Socket) -> None:
    ws, limiter = sock.ws, sock.ws.app.state.limiter
    while True:
        msg = await ws.receive()
        if msg["type"] == "websocket.disconnect":
            return
        text, data = msg.get("text"), msg.get("bytes")
        if len(text.encode(errors="surrogatepass") if text is not None else data or b"") > MAX_FRAME:
            await ws.close(code=1009, reason="frame too large")
            return
        if (wait := await limiter.hit(limiter.settings.limit_ws_frames, "ws", sock.id)) is not None:
            await sock.error("rate_limited", retry_after=wait)  # the frame is dropped; the socket stays
            continue
        if text is not None:
            await sock.on_text(text)
        elif data is not None:
            await sock.voice.audio(data)
