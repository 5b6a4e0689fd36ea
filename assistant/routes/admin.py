"""Accounts (admins) and the audit trail (the mayor and admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from .. import users
from ..auth import Principal, require
from ..deps import Client, SecretaryDep
from ..errors import ApiError
from ..schemas import SafeText
from . import ERRORS

router = APIRouter(prefix="/v1", tags=["admin"], responses=ERRORS | {404: ERRORS[403], 409: ERRORS[403]})
Admin = Annotated[Principal, require("manage_users")]


class NewUser(BaseModel):
    username: SafeText
    role: str = Field(description="mayor, officer or admin")
    password: SafeText
    display_name: SafeText | None = None
    department: SafeText | None = None
    title: SafeText | None = None


class PasswordChange(BaseModel):
    password: SafeText


@router.get("/users")
async def list_users(admin: Admin, sec: SecretaryDep) -> list[dict[str, Any]]:
    return [u.public() for u in await sec.storage.users()]


@router.post("/users", status_code=201)
async def add_user(body: NewUser, admin: Admin, sec: SecretaryDep, client: Client) -> dict[str, Any]:
    user = await users.add(sec.storage, admin.actor("admin", client), **body.model_dump())
    return user.public()


@router.post("/users/{username}/password", status_code=204)
async def set_password(username: str, body: PasswordChange, admin: Admin, sec: SecretaryDep, client: Client) -> None:
    await users.set_password(sec.storage, admin.actor("admin", client), username, body.password)
    await signed_out(sec, username)


@router.post("/users/{username}/disable", status_code=204)
async def disable(username: str, admin: Admin, sec: SecretaryDep, client: Client) -> None:
    await users.set_active(sec.storage, admin.actor("admin", client), username, False)
    await signed_out(sec, username)


async def signed_out(sec: Any, username: str) -> None:
    user = await sec.storage.user_by_name(username)
    if user is None:
        raise ApiError("user_not_found", username=username)
    await sec.signed_out(user_id=user.id)


@router.get("/audit")
async def audit(
    viewer: Annotated[Principal, require("audit")],
    sec: SecretaryDep,
    action: Annotated[str | None, Query(max_length=48, description="prefix: approval, call, screen, user, auth, ingest")] = None,
    username: Annotated[str | None, Query(max_length=64)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """Who did what, newest first: approvals, calls, screen moves, ingests, sign-ins and account changes."""
    return await sec.storage.audit_rows(action, username, since, until, limit)
