"""One error catalogue and one envelope, for HTTP and WebSocket alike.

HTTP: `{"error": {code, message (Korean), message_en}}` with the status; WebSocket: the same body in
`{"type": "error", "error": …}`. Voice errors carry their own messages (voice.AudioError and friends).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from voice import ASRUnavailable, AudioError, TTSUnavailable

from .metrics import ERRORS
from .storage import SessionForbidden

log = logging.getLogger(__name__)

# code -> (HTTP status, Korean message, English message)
CATALOGUE: dict[str, tuple[int, str, str]] = {
    "invalid_json": (400, "요청 본문이 올바른 JSON이 아닙니다.", "The request body is not valid JSON."),
    "not_authenticated": (401, "로그인이 필요합니다.", "Sign in first."),
    "bad_credentials": (401, "아이디 또는 비밀번호가 올바르지 않습니다.", "Wrong username or password."),
    "token_invalid": (
        401,
        "로그인이 만료되었거나 취소되었습니다. 다시 로그인해 주세요.",
        "The token is invalid, expired or revoked; sign in again.",
    ),
    "forbidden": (403, "이 기능은 {who}만 사용할 수 있습니다.", "Only {who_en} may do this."),
    "csrf_failed": (
        403,
        "보안 확인에 실패했습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.",
        "CSRF check failed: send the X-CSRF-Token header from the csrf cookie.",
    ),
    "origin_forbidden": (403, "허용되지 않은 사이트에서 온 요청입니다.", "This origin is not allowed."),
    "session_forbidden": (403, "다른 사용자의 대화입니다. 새 대화를 시작해 주세요.", "This session belongs to another user."),
    "not_found": (404, "요청하신 주소가 없습니다.", "Not found."),
    "user_not_found": (404, "그런 사용자가 없습니다: {username}", "No such user: {username}"),
    "method_not_allowed": (405, "이 주소에서는 그 방식의 요청을 받지 않습니다.", "Method not allowed."),
    "call_forbidden": (403, "초대받은 사람만 이 통화에 참여할 수 있습니다.", "Only the people invited to this call may join it."),
    "call_caller_only": (
        403,
        "통화를 건 사람만 모두의 통화를 끝낼 수 있습니다. 나가려면 '나가기'를 눌러 주세요.",
        "Only the caller may end the call for everyone; leave it instead.",
    ),
    "call_not_found": (404, "통화를 찾을 수 없습니다. 주소를 확인해 주세요.", "No such call."),
    "minutes_not_ready": (
        404,
        "이 통화의 회의록이 아직 없습니다. 통화가 끝나면 만들어집니다.",
        "No minutes yet: they are written when the call ends.",
    ),
    "call_already_answered": (409, "이미 응답한 통화입니다.", "This call was already answered."),
    "call_ended": (409, "이미 끝난 통화입니다.", "This call has ended."),
    "call_not_accepted": (409, "먼저 통화를 수락해 주세요.", "Accept the call before joining it."),
    "call_not_joined": (409, "통화에 연결된 뒤에 화면을 공유할 수 있습니다.", "Join the call before sharing a screen."),
    "call_full": (409, "통화 인원이 가득 찼습니다(최대 {limit}명).", "The call is full ({limit} people at most)."),
    "user_exists": (409, "이미 있는 사용자 이름입니다: {username}", "Username already taken: {username}"),
    "body_too_large": (413, "요청이 너무 큽니다.", "The request body is too large."),
    "audio_content_type": (415, "오디오 파일을 보내 주세요(WAV, MP3, M4A, OGG, WebM).", "Send an audio file."),
    "text_empty": (422, "문장을 입력해 주세요.", "text is empty."),
    "text_too_long": (422, "문장이 너무 깁니다. {limit}자 이하로 입력해 주세요.", "text is longer than {limit} characters."),
    "invalid_text": (
        422,
        "입력에 쓸 수 없는 문자가 들어 있습니다: {field}",
        "{field} contains characters that are not Unicode scalar values (lone surrogates).",
    ),
    "weak_password": (422, "비밀번호는 {min}자 이상이어야 합니다.", "The password must be at least {min} characters."),
    "invalid_username": (
        422,
        "사용자 이름은 영문 소문자·숫자와 . _ - 로 2~32자여야 합니다.",
        "Usernames are 2-32 lowercase letters, digits, '.', '_' or '-'.",
    ),
    "invalid_role": (422, "역할은 mayor, officer, admin 중 하나입니다.", "role must be mayor, officer or admin."),
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
    "invalid_sdp": (
        422,
        "통화 연결 정보(SDP)가 올바르지 않습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.",
        "The SDP offer is malformed or cannot be answered.",
    ),
    "unknown_type": (422, "알 수 없는 메시지 종류입니다.", "type must be ping, chat, audio.start or audio.end."),
    "out_of_order": (422, "audio.start를 먼저 보내 주세요.", "Send audio.start before audio or audio.end."),
    "audio_format": (422, "format은 pcm16 또는 opus입니다.", "format must be pcm16 or opus."),
    "rate_limited": (429, "요청이 너무 많습니다. {retry_after}초 뒤에 다시 시도해 주세요.", "Too many requests; retry in {retry_after} s."),
    "account_locked": (
        429,
        "로그인에 여러 번 실패해 잠시 잠겼습니다. {retry_after}초 뒤에 다시 시도해 주세요.",
        "Too many failed sign-ins; retry in {retry_after} s.",
    ),
    "internal": (500, "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.", "Internal error."),
}


class ApiError(Exception):
    def __init__(self, code: str, headers: dict[str, str] | None = None, **params: object):
        super().__init__(code)
        self.code, self.params, self.headers = code, params, headers or {}


def envelope(code: str, **params: object) -> tuple[int, dict[str, Any]]:
    status, ko, en = CATALOGUE[code]
    ERRORS.labels(code).inc()
    return status, {"code": code, "message": ko.format(**params), "message_en": en.format(**params)}


def error_response(code: str, headers: dict[str, str] | None = None, **params: object) -> JSONResponse:
    status, body = envelope(code, **params)
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def frame(code: str, **params: object) -> dict[str, Any]:
    """The WebSocket form of an error."""
    return {"type": "error", "error": envelope(code, **params)[1]}


def voice_frame(exc: AudioError | ASRUnavailable | TTSUnavailable) -> dict[str, Any]:
    ERRORS.labels(exc.code).inc()
    return {"type": "error", "error": {"code": exc.code, "message": exc.message, "message_en": exc.message_en}}


def validation_code(err: dict) -> tuple[str, dict]:
    loc = err.get("loc", ())
    field = ".".join(str(p) for p in loc[1:]) or "body"
    kind = err.get("type", "")
    if kind in ("json_invalid", "model_attributes_type", "dict_type") and len(loc) <= 1:
        return "invalid_json", {}
    if kind in ("text_empty", "text_too_long"):
        return kind, err.get("ctx") or {}
    if kind == "invalid_text":
        return kind, {"field": field}
    if kind == "missing":
        return "missing_field", {"field": field}
    if field == "channel":
        return "invalid_channel", {}
    if field in ("session_id", "sender"):
        return "invalid_session_id", {}
    return "invalid_field", {"field": field}


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        code, params = validation_code(exc.errors()[0])
        return error_response(code, **params)

    @app.exception_handler(ApiError)
    async def on_api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.code, exc.headers, **exc.params)

    @app.exception_handler(SessionForbidden)
    async def on_session(request: Request, exc: SessionForbidden) -> JSONResponse:
        return error_response("session_forbidden")

    @app.exception_handler(AudioError)
    @app.exception_handler(ASRUnavailable)
    @app.exception_handler(TTSUnavailable)
    async def on_voice(request: Request, exc: AudioError | ASRUnavailable | TTSUnavailable) -> JSONResponse:
        status = exc.status if isinstance(exc, AudioError) else 503
        return JSONResponse({"error": voice_frame(exc)["error"]}, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        known = {404: "not_found", 400: "invalid_json", 405: "method_not_allowed", 413: "body_too_large"}
        if exc.status_code in known:  # keep the exception's headers: a 405 must name the allowed methods (Allow)
            return error_response(known[exc.status_code], headers=exc.headers)
        ERRORS.labels(str(exc.status_code)).inc()
        return JSONResponse(
            {"error": {"code": str(exc.status_code), "message": "요청을 처리할 수 없습니다.", "message_en": str(exc.detail)}},
            status_code=exc.status_code,
        )

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return error_response("internal")
