"""Who is speaking: the signed-in user from a bearer token or the browser's cookie, else an anonymous citizen.

Every permission check on the HTTP side is `require(permission)` over `actions.access`; the server passes the
verified role and user to the actions in the tracker metadata and ignores whatever role a client names.
Cookie-authenticated writes need the CSRF header (double submit) and an allowed Origin; tokens never go in URLs.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Request, Response
from starlette.requests import HTTPConnection

import actions
from actions.records import Actor, UserRow

from . import security
from .config import Settings
from .errors import ApiError
from .storage import Storage

SESSION_COOKIE = "svs_session"
CSRF_COOKIE = "svs_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Principal:
    role: str = "citizen"
    user_id: int | None = None
    username: str = "anonymous"
    display_name: str = "시민"
    department: str | None = None
    title: str | None = None
    signin_id: str | None = None

    @property
    def anonymous(self) -> bool:
        return self.user_id is None

    @property
    def owner(self) -> str:
        """Who a dialogue session belongs to."""
        return str(self.user_id) if self.user_id else "anonymous"

    def actor(self, channel: str, client: str, session_id: str | None = None) -> Actor:
        return Actor(self.username, self.role, channel, client, self.user_id, session_id)

    def metadata(self, channel: str, client: str) -> dict[str, Any]:
        """What the actions are told about the speaker (the only source of their role)."""
        return {
            "role": self.role,
            "user": self.username,
            "user_id": self.user_id,
            "department": self.department,
            "channel": channel,
            "client": client,
        }

    def public(self) -> dict[str, Any]:
        keys = ("username", "display_name", "role", "department", "title")
        return {k: getattr(self, k) for k in keys}

    @classmethod
    def of(cls, user: UserRow, signin_id: str) -> Principal:
        return cls(user.role, user.id, user.username, user.display_name, user.department, user.title, signin_id)


ANONYMOUS = Principal()


def client_address(conn: HTTPConnection) -> str:
    return conn.client.host if conn.client else "unknown"


def origin_allowed(conn: HTTPConnection, settings: Settings) -> bool:
    """The server's own origin, or one configured; a request without Origin (not a browser) passes."""
    origin = conn.headers.get("origin")
    if origin is None:
        return True
    if origin in settings.allowed_origins:
        return True
    return urlsplit(origin).netloc == conn.headers.get("host", "")


def credentials(conn: HTTPConnection) -> tuple[str | None, bool]:
    """(token, from the cookie?) — an Authorization header wins over the cookie."""
    header = conn.headers.get("authorization")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError("token_invalid", {"WWW-Authenticate": "Bearer"})
        return token.strip(), False
    return conn.cookies.get(SESSION_COOKIE), True


async def authenticate(conn: HTTPConnection) -> tuple[Principal, dict[str, Any] | None, bool]:
    """The principal, the token's claims and whether it came from the cookie. A credential that fails is a 401."""
    token, from_cookie = credentials(conn)
    if not token:
        return ANONYMOUS, None, False
    settings: Settings = conn.app.state.settings
    # A browser's cookie outlives its token: the sign-in in the database decides (12 h, revocable) and the token renews.
    claims = security.read_token(settings.signing_key(), token, check_expiry=not from_cookie)
    user = await conn.app.state.storage.signed_in(claims["sid"]) if claims else None
    if user is None or str(user.id) != claims["sub"]:
        raise ApiError("token_invalid", {"WWW-Authenticate": "Bearer"})
    return Principal.of(user, claims["sid"]), claims, from_cookie


async def current_user(request: Request, response: Response) -> Principal:
    principal, claims, from_cookie = await authenticate(request)
    if from_cookie and claims:
        settings: Settings = request.app.state.settings
        if request.method not in SAFE_METHODS:
            csrf = request.cookies.get(CSRF_COOKIE, "")
            if not csrf or not security.same(csrf, request.headers.get(CSRF_HEADER, "")):
                raise ApiError("csrf_failed")
            if not origin_allowed(request, settings):
                raise ApiError("origin_forbidden")
        ttl = timedelta(minutes=settings.token_ttl_minutes)
        if claims["exp"] - security.now().timestamp() < ttl.total_seconds() / 2:
            set_session_cookie(
                response, settings, security.make_token(settings.signing_key(), principal.user_id, principal.role, principal.signin_id, ttl)
            )
    return principal


CurrentUser = Annotated[Principal, Depends(current_user)]


def require(permission: str):
    """A dependency: the signed-in user holding `permission`; anonymous → 401, a lower role → 403 naming who may."""

    async def check(user: CurrentUser) -> Principal:
        if not actions.can(user.role, permission):
            if user.anonymous:
                raise ApiError("not_authenticated", {"WWW-Authenticate": "Bearer"})
            ko, en = actions.access.who(permission)
            raise ApiError("forbidden", who=ko, who_en=en)
        return user

    return Depends(check)


def set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(settings.signin_ttl_hours * 3600),
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
        path="/",
    )


def set_csrf_cookie(response: Response, settings: Settings) -> str:
    token = security.new_password()
    response.set_cookie(CSRF_COOKIE, token, max_age=int(settings.signin_ttl_hours * 3600), samesite="strict", secure=settings.cookie_secure)
    return token


async def sign_in(storage: Storage, settings: Settings, username: str, password: str, client: str) -> tuple[UserRow, str, str]:
    """(user, access token, sign-in id) for a right password of an active account; else bad_credentials.

    Argon2 runs in a thread: a verification costs ~0.1 s of CPU and must not hold up other clients.
    """
    user = await storage.user_by_name(username)
    ok = await asyncio.to_thread(security.verify_password, password, user.password_hash if user else None)
    if not (ok and user and user.active):
        raise ApiError("bad_credentials", {"WWW-Authenticate": "Bearer"})
    signin = await storage.open_signin(user.id, timedelta(hours=settings.signin_ttl_hours), client)
    token = security.make_token(settings.signing_key(), user.id, user.role, signin.id, timedelta(minutes=settings.token_ttl_minutes))
    await storage.audit(Actor(user.username, user.role, "auth", client, user.id), "auth.signin", user.username)
    return user, token, signin.id
