"""The FastAPI application: one router per area, settings passed in, limits on every way in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

import voice

from . import errors
from .config import Settings, get_settings
from .middleware import BodyLimit
from .ratelimit import RateLimiter
from .routes import admin, auth, chat, city, knowledge, ops, pages
from .routes import calls as call_routes
from .routes import voice as voice_routes
from .service import Secretary
from .socket import endpoint

MAX_BODY_BYTES = 64 * 1024


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.limiter = RateLimiter(settings)  # its store's locks and timers belong to this event loop
        app.state.secretary = await Secretary.start(settings)
        app.state.storage = app.state.secretary.storage
        yield
        await app.state.secretary.close()

    app = FastAPI(
        title="Seoul Voice Secretary",
        version="0.2.0",
        lifespan=lifespan,
        docs_url=None,  # served by ops.docs from local assets
        description="Korean voice secretary for the Smart City Platform. Sign in at /v1/auth/token; "
        "errors carry a Korean `message` for people.",
    )
    app.state.settings = settings
    # Bodies are counted as they arrive: 64 KiB for JSON, room for one audio file or document where they are uploaded.
    uploads = voice.MAX_BYTES + MAX_BODY_BYTES
    app.add_middleware(BodyLimit, default=MAX_BODY_BYTES, per_path={"/v1/voice": uploads, "/v1/knowledge/documents": uploads})
    errors.install(app)
    for router in (auth.router, chat.router, voice_routes.router, knowledge.router, city.router, admin.router, ops.router, pages.router):
        app.include_router(router)
    app.include_router(call_routes.router)
    app.add_api_websocket_route("/v1/ws", endpoint)
    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets")
    pages.mount(app)
    return app
