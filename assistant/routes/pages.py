"""The pages: sign-in, the mayor's wall, officers' tablet and watch, the citizens' site and kiosk, the reading room.

Server-rendered templates (assistant/web/templates) with small ES modules (assistant/web/static) on top; the pages
use the same API and socket as every other client, signed in by the HttpOnly cookie. Browser libraries come from
assistant/web/package.json (installed by `make`) and are served from its node_modules.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import OAuth2PasswordRequestForm
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

import actions
import knowledge
from actions.access import ROLE_NAMES
from actions.privacy import guard_obj

from ..auth import CurrentUser, Principal, origin_allowed, set_csrf_cookie, set_session_cookie
from ..deps import Client, SettingsDep
from ..errors import CATALOGUE, ApiError
from .auth import HOME, checked_sign_in

WEB = Path(__file__).resolve().parent.parent / "web"
templates = Jinja2Templates(directory=WEB / "templates")
router = APIRouter(include_in_schema=False)

# page -> (who may open it, channel its chat speaks on)
PAGES: dict[str, tuple[tuple[str, ...] | None, str]] = {
    "wall": (("mayor",), "wall"),
    "tablet": (("mayor", "officer", "admin"), "tablet"),
    "watch": (("mayor", "officer"), "watch"),
    "public": (None, "public"),
    "kiosk": (None, "kiosk"),
}


def mount(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    vendor = WEB / "node_modules" / "echarts" / "dist"
    if vendor.is_dir():  # `make` installs it; without it the pages still work, without charts and map
        app.mount("/vendor/echarts", StaticFiles(directory=vendor), name="echarts")


def render(request: Request, template: str, user: Principal, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(
        request, template, {"user": user, "home": HOME.get(user.role, "/"), **context}, status_code=status_code
    )


def page(name: str, template: str):
    roles, channel = PAGES[name]

    async def show(request: Request, user: CurrentUser) -> Response:
        if roles is not None:
            if user.anonymous:
                return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
            if user.role not in roles:
                return render(
                    request, "forbidden.html", user, status_code=403, page="forbidden", who="·".join(ROLE_NAMES[r][0] for r in roles)
                )
        return render(request, template, user, page=name, channel=channel)

    return show


for name, path, template in (
    ("wall", "/wall", "wall.html"),
    ("tablet", "/tablet", "tablet.html"),
    ("watch", "/watch", "watch.html"),
    ("public", "/", "public.html"),
    ("kiosk", "/kiosk", "kiosk.html"),
):
    router.add_api_route(path, page(name, template), methods=["GET"], response_class=HTMLResponse)


def safe_next(target: str | None) -> str | None:
    """Only a path on this site (never //host or a scheme): no open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, user: CurrentUser, next: str | None = None) -> HTMLResponse:
    return render(request, "login.html", user, page="login", next=safe_next(next) or "")


@router.post("/login", response_class=HTMLResponse)
async def login_form(
    request: Request,
    settings: SettingsDep,
    client: Client,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form(max_length=512)] = "",
) -> Response:
    """The form without JavaScript: sign in, set the cookies, go to the role's page (or where the user was going)."""
    if not origin_allowed(request, settings):  # another site must not sign a visitor in to its own account
        return render(request, "login.html", Principal(), status_code=403, page="login", next="", error=CATALOGUE["origin_forbidden"][1])
    try:
        limiter = request.app.state.limiter
        await limiter.check(settings.limit_signin, "signin", "addr", client)
        user, access, _ = await checked_sign_in(request, OAuth2PasswordRequestForm(username=username, password=password), client)
    except ApiError as exc:
        status, ko, _ = CATALOGUE[exc.code]
        message = ko.format(**exc.params)
        return render(
            request,
            "login.html",
            Principal(),
            status_code=status,
            page="login",
            next=safe_next(next) or "",
            error=message,
            username=username,
        )
    target = safe_next(next) or HOME.get(user.role, "/")
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, settings, access)
    set_csrf_cookie(response, settings)
    return response


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
async def document_page(request: Request, doc_id: str, user: CurrentUser) -> Response:
    """A reading-room document, every passage anchored (#p3) so a citation opens at the passage it quotes."""
    public_only = not actions.can(user.role, "internal_data")
    doc = None
    if len(doc_id) == 16 and all(c in "0123456789abcdef" for c in doc_id):
        doc = await asyncio.to_thread(knowledge.get_store().document, doc_id, public_only)
    if doc is None:
        return render(request, "missing.html", user, status_code=404, page="missing")
    if public_only:
        doc = guard_obj(doc)
    return render(request, "document.html", user, page="document", doc=doc)
