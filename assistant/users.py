"""Accounts: add, list, disable, set a password. Shared by the CLI and the admin API; every change is audited."""

from __future__ import annotations

import asyncio
import re

from actions.records import ROLES, Actor, UserRow

from . import security
from .errors import ApiError
from .storage import Storage

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MIN_PASSWORD = 10


async def hashed(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ApiError("weak_password", min=MIN_PASSWORD)
    return await asyncio.to_thread(security.hash_password, password)


async def add(
    storage: Storage,
    actor: Actor,
    username: str,
    role: str,
    password: str,
    display_name: str | None = None,
    department: str | None = None,
    title: str | None = None,
) -> UserRow:
    if not USERNAME.match(username):
        raise ApiError("invalid_username")
    if role not in ROLES:
        raise ApiError("invalid_role")
    if await storage.user_by_name(username):
        raise ApiError("user_exists", username=username)
    fields = {"display_name": display_name or username, "department": department, "title": title}
    return await storage.add_user(actor, username=username, role=role, password_hash=await hashed(password), **fields)


async def set_password(storage: Storage, actor: Actor, username: str, password: str) -> None:
    """A new password ends every sign-in of the account."""
    if not await storage.update_user(actor, username, "user.set_password", password_hash=await hashed(password)):
        raise ApiError("user_not_found", username=username)


async def set_active(storage: Storage, actor: Actor, username: str, active: bool) -> None:
    """Disabling ends every sign-in of the account at once."""
    if not await storage.update_user(actor, username, "user.enable" if active else "user.disable", active=active):
        raise ApiError("user_not_found", username=username)
