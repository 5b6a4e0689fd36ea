"""Health, metrics (admins), and the API docs served from local assets (no CDN)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from ..auth import require
from ..deps import SecretaryDep
from . import ERRORS

router = APIRouter(tags=["ops"])


@router.get("/health")
async def health(sec: SecretaryDep) -> dict[str, Any]:
    return await sec.health()


# Errors come in the JSON envelope, the metrics in Prometheus' text format: documented per status, not per route.
METRICS_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}}, "description": "Prometheus text"},
    **{status: {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}} for status in ERRORS},
}


@router.get("/metrics", response_class=PlainTextResponse, dependencies=[require("metrics")], responses=METRICS_RESPONSES)
async def metrics() -> PlainTextResponse:
    return PlainTextResponse(generate_latest(), media_type=CONTENT_TYPE_LATEST)


@router.get("/docs", include_in_schema=False)
async def docs(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title=f"{request.app.title} – API",
        swagger_js_url="/docs-assets/swagger-ui-bundle.js",
        swagger_css_url="/docs-assets/swagger-ui.css",
        swagger_favicon_url="/docs-assets/favicon-32x32.png",
    )
