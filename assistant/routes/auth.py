"""Sign-in: the OAuth2 password flow for programs, an HttpOnly cookie for the pages, sign-out."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from .. import security
from ..auth import CSRF_COOKIE, SESSION_COOKIE, CurrentUser, authenticate, set_csrf_cookie, set_session_cookie, sign_in
from ..deps import Client, SecretaryDep, SettingsDep
from ..errors import ApiError
from ..ratelimit import RateLimiter, limit
from . import ERRORS

router = APIRouter(prefix="/v1/auth", tags=["auth"], responses=ERRORS)
HOME = {"mayor": "/wall", "officer": "/tablet", "admin": "/tablet"}


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class Me(BaseModel):
    username: str
    display_name: str
    role: str
    department: str | None
    title: str | None


class SignedIn(BaseModel):
    user: Me
    csrf_token: str
    home: str


Form = Annotated[OAuth2PasswordRequestForm, Depends()]


async def checked_sign_in(request: Request, form: OAuth2PasswordRequestForm, client: str):
    """Sign in with lockout: each failure slows the answer, and too many for this name and address lock it for a while."""
    sec, limiter = request.app.state.secretary, request.app.state.limiter
    limiter: RateLimiter
    if (wait := await limiter.locked_for(form.username, client)) is not None:
        raise ApiError("account_locked", {"Retry-After": str(wait)}, retry_after=wait)
    try:
        found = await sign_in(sec.storage, sec.settings, form.username, form.password, client)
    except ApiError:
        await asyncio.sleep(await limiter.failed(form.username, client))
        raise
    await limiter.succeeded(form.username, client)
    return found


@router.post("/token", response_model=Token, dependencies=[limit("signin")])
async def token(request: Request, form: Form, settings: SettingsDep, client: Client) -> Token:
    """OAuth2 password flow (form fields `username`, `password`): a short-lived bearer token."""
    _, access, _ = await checked_sign_in(request, form, client)
    return Token(access_token=access, expires_in=int(settings.token_ttl_minutes * 60))


@router.post("/refresh", response_model=Token)
async def refresh(user: CurrentUser, settings: SettingsDep) -> Token:
    """A new token for the same sign-in (while it lasts and is not revoked)."""
    if user.anonymous:
        raise ApiError("not_authenticated", {"WWW-Authenticate": "Bearer"})
    ttl = timedelta(minutes=settings.token_ttl_minutes)
    access = security.make_token(settings.signing_key(), user.user_id, user.role, user.signin_id, ttl)
    return Token(access_token=access, expires_in=int(ttl.total_seconds()))


@router.post("/login", response_model=SignedIn, dependencies=[limit("signin")])
async def login(request: Request, response: Response, form: Form, settings: SettingsDep, client: Client) -> SignedIn:
    """For the pages: sets the HttpOnly session cookie and the CSRF cookie (send it back as X-CSRF-Token on writes)."""
    user, access, _ = await checked_sign_in(request, form, client)
    set_session_cookie(response, settings, access)
    csrf = set_csrf_cookie(response, settings)
    return SignedIn(user=Me(**user.public()), csrf_token=csrf, home=HOME.get(user.role, "/"))


@router.post("/logout", status_code=204)
async def logout(request: Request, response: Response, user: CurrentUser, sec: SecretaryDep, client: Client) -> Response:
    """Ends this sign-in everywhere at once (its tokens and cookie), and clears the cookies."""
    if not user.anonymous:
        await sec.storage.revoke_signin(user.signin_id)
        await sec.storage.audit(user.actor("auth", client), "auth.signout", user.username)
        await sec.signed_out(user)
    response.status_code = 204
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE)
    return response


@router.get("/me", response_model=Me)
async def me(request: Request) -> Me:
    """Who is signed in (401 when nobody is)."""
    user, _, _ = await authenticate(request)
    if user.anonymous:
        raise ApiError("not_authenticated", {"WWW-Authenticate": "Bearer"})
    return Me(**user.public())
