"""Call signaling: small, authenticated HTTP (non-trickle SDP offer → answer), and the call page for phones and the wall."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, Field

import webrtc

from ..auth import Principal, authenticate, require
from ..deps import Client, SecretaryDep
from ..errors import ApiError
from ..schemas import SafeText
from . import ERRORS

router = APIRouter(tags=["calls"], responses=ERRORS | {404: ERRORS[400], 409: ERRORS[400]})
Caller = Annotated[Principal, require("call")]
WEBRTC = Path(webrtc.__file__).parent
ASSETS = {"call.js": "text/javascript", "call.css": "text/css"}
PAGE_ERRORS = {
    "call_not_found": ("통화를 찾을 수 없습니다. 주소를 확인해 주세요.", 404),
    "call_forbidden": ("초대받은 사람만 이 통화에 참여할 수 있습니다.", 403),
}
pages = Environment(loader=FileSystemLoader(WEBRTC / "templates"), autoescape=select_autoescape(["html"]))


class Offer(BaseModel):
    sdp: SafeText = Field(max_length=32 * 1024)
    type: Literal["offer"] = "offer"


class Share(BaseModel):
    sharing: bool
    screen: SafeText | None = Field(default=None, max_length=40)  # the wall screen's title, for the others' label


class Answer(BaseModel):
    sdp: str
    type: str


class Participant(BaseModel):
    user_id: int
    name: str
    caller: bool
    state: str  # ringing | accepted | joined | left | declined | missed | offline
    invited_at: str
    answered_at: str | None
    joined_at: str | None
    left_at: str | None


class Call(BaseModel):
    id: str
    status: str  # ringing | active | ended
    caller_id: int | None
    officer: dict[str, Any]
    created_at: str
    ended_at: str | None
    participants: list[Participant]


@router.get("/v1/calls/ice")
async def ice(sec: SecretaryDep, user: Caller) -> dict[str, Any]:
    """ICE servers (STUN/TURN, with credentials for this user), the transport policy and the video budget."""
    return sec.calls.ice(user)


@router.get("/v1/calls/{call_id}", response_model=Call)
async def get_call(call_id: str, sec: SecretaryDep, user: Caller) -> dict[str, Any]:
    """A call and its participants (invited users only)."""
    return await sec.calls.get(call_id, user)


@router.post("/v1/calls/{call_id}/accept", response_model=Call)
async def accept(call_id: str, sec: SecretaryDep, user: Caller, client: Client) -> dict[str, Any]:
    """Answer a ringing call (once: a second answer is 409)."""
    return await sec.calls.answer(call_id, user, True, client)


@router.post("/v1/calls/{call_id}/decline", response_model=Call)
async def decline(call_id: str, sec: SecretaryDep, user: Caller, client: Client) -> dict[str, Any]:
    return await sec.calls.answer(call_id, user, False, client)


@router.post("/v1/calls/{call_id}/offer", response_model=Answer)
async def offer(call_id: str, body: Offer, sec: SecretaryDep, user: Caller, client: Client) -> dict[str, str]:
    """The participant's SDP offer (all ICE candidates in it) → the server's answer. Offering again reconnects."""
    return await sec.calls.offer(call_id, user, body.sdp, body.type, client)


@router.post("/v1/calls/{call_id}/leave", status_code=204)
async def leave(call_id: str, sec: SecretaryDep, user: Caller, client: Client) -> Response:
    """Leave the call (the caller leaving ends it for everyone)."""
    await sec.calls.leave(call_id, user, client)
    return Response(status_code=204)


@router.post("/v1/calls/{call_id}/end", status_code=204)
async def end(call_id: str, sec: SecretaryDep, user: Caller, client: Client) -> Response:
    """End the call for everyone (the caller only)."""
    await sec.calls.end(call_id, user, client)
    return Response(status_code=204)


@router.post("/v1/calls/{call_id}/share", status_code=204)
async def share(call_id: str, body: Share, sec: SecretaryDep, user: Caller, client: Client) -> Response:
    """This participant now shows a wall screen instead of their camera (or stops): the others get `call.share`."""
    await sec.calls.share(call_id, user, body.sharing, body.screen, client)
    return Response(status_code=204)


@router.get("/v1/calls/{call_id}/minutes")
async def minutes(call_id: str, sec: SecretaryDep, user: Caller) -> dict[str, Any]:
    """Transcript with speakers and times, decisions and action items (after the call ends)."""
    return await sec.calls.minutes(call_id, user)


@router.get("/v1/calls/{call_id}/recording", response_class=FileResponse)
async def recording(call_id: str, sec: SecretaryDep, user: Caller) -> FileResponse:
    """The call's audio (Ogg/Opus) while it is kept."""
    path = sec.calls.recording(await sec.calls.minutes(call_id, user))
    if path is None:
        raise ApiError("not_found")
    return FileResponse(path, media_type="audio/ogg")


@router.get("/call/{call_id}", response_class=HTMLResponse, include_in_schema=False)
async def call_page(call_id: str, request: Request, sec: SecretaryDep) -> Response:
    """The call screen (phones, tablets, the wall); signed out → the sign-in page, then back here."""
    try:
        user, _, _ = await authenticate(request)
    except ApiError:
        user = None
    if user is None or user.anonymous:
        return RedirectResponse(f"/login?next={quote(f'/call/{call_id}', safe='')}", status_code=303)
    call, error, status = None, None, 200
    try:
        call = await sec.calls.get(call_id, user)
        if call["status"] == "ended":
            error = "이미 끝난 통화입니다."
    except ApiError as exc:
        error, status = (exc.params.get("message") or PAGE_ERRORS[exc.code][0]), PAGE_ERRORS[exc.code][1]
    html = pages.get_template("call.html").render(call_id=call_id, call=call, user=user, error=error)
    return HTMLResponse(html, status_code=status)


@router.get("/call-assets/{name}", include_in_schema=False)
async def asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise ApiError("not_found")
    return FileResponse(WEBRTC / "static" / name, media_type=ASSETS[name], headers={"Cache-Control": "no-cache"})
