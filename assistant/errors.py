"""Every rejected request answers {"error": {code, message (Korean), message_en}} with its status."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from voice import ASRUnavailable, AudioError, TTSUnavailable

from .metrics import ERRORS
from .schemas import ERRORS as MESSAGES

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, code: str, **params: object):
        self.code, self.params = code, params


def error_response(code: str, **params: object) -> JSONResponse:
    status, ko, en = MESSAGES[code]
    ERRORS.labels(code).inc()
    return JSONResponse({"error": {"code": code, "message": ko.format(**params), "message_en": en.format(**params)}}, status_code=status)


def validation_code(err: dict) -> tuple[str, dict]:
    field = ".".join(str(p) for p in err.get("loc", ())[1:]) or "body"
    kind = err.get("type", "")
    if kind in ("json_invalid", "model_attributes_type", "dict_type") and len(err.get("loc", ())) <= 1:
        return "invalid_json", {}
    if kind in ("text_empty", "text_too_long"):
        return kind, err.get("ctx") or {}
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
        return error_response(exc.code, **exc.params)

    @app.exception_handler(AudioError)
    @app.exception_handler(ASRUnavailable)
    @app.exception_handler(TTSUnavailable)
    async def on_voice(request: Request, exc: AudioError | ASRUnavailable | TTSUnavailable) -> JSONResponse:
        ERRORS.labels(exc.code).inc()
        status = exc.status if isinstance(exc, AudioError) else 503
        return JSONResponse({"error": {"code": exc.code, "message": exc.message, "message_en": exc.message_en}}, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return error_response("not_found")
        if exc.status_code == 400:  # FastAPI could not decode the body
            return error_response("invalid_json")
        ERRORS.labels(str(exc.status_code)).inc()
        return JSONResponse(
            {"error": {"code": str(exc.status_code), "message": "요청을 처리할 수 없습니다.", "message_en": str(exc.detail)}},
            status_code=exc.status_code,
        )

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return error_response("internal")
