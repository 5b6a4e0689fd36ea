"""The assistant's own tables beside the office records: dialogue sessions, the turn log, sign-ins.

SQLite in the data folder by default; PostgreSQL by SECRETARY_DATABASE_URL in the distributed deployment.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, Float, Integer, String, Text, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from actions.records import Actor, Base, Records, UserRow, aware, now

ANONYMOUS = "anonymous"


class SessionForbidden(Exception):
    """The session belongs to another user."""


class SessionRow(Base):
    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(64), default=ANONYMOUS)  # user id, or "anonymous"
    channel: Mapped[str] = mapped_column(String(16))
    slots: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class TurnRow(Base):
    __tablename__ = "turns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    channel: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))
    client: Mapped[str] = mapped_column(String(64), default="")
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float)
    entities: Mapped[list[Any]] = mapped_column(default=list)
    reply: Mapped[str] = mapped_column(Text)
    latency_ms: Mapped[float] = mapped_column(Float)


class SignInRow(Base):
    """One sign-in: tokens name it (`sid`), so sign-out, a disabled account or a new password end it at once."""

    __tablename__ = "signins"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: uuid.uuid4().hex)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    client: Mapped[str] = mapped_column(String(64), default="")


class Storage(Records):
    # -- dialogue sessions ----------------------------------------------
    async def claim(self, session_id: str, owner: str, channel: str, max_age: timedelta) -> dict[str, Any] | None:
        """The session's slots (None when new or idle for longer than max_age); a new session becomes the owner's.

        Raises SessionForbidden when another user made it: nobody else may continue, read or cancel it.
        """
        async with self.session.begin() as s:
            row = await s.get(SessionRow, session_id)
            if row is None:
                s.add(SessionRow(id=session_id, owner=owner, channel=channel, slots={}))
                return None
            if row.owner != owner:
                raise SessionForbidden(session_id)
            return None if now() - aware(row.updated_at) > max_age else dict(row.slots)

    async def save_slots(self, session_id: str, owner: str, channel: str, slots: dict[str, Any]) -> None:
        async with self.session.begin() as s:
            await s.execute(
                update(SessionRow)
                .where(SessionRow.id == session_id, SessionRow.owner == owner)
                .values(slots=slots, channel=channel, updated_at=now())
            )

    async def log_turn(self, **fields: Any) -> None:
        async with self.session.begin() as s:
            s.add(TurnRow(**fields))

    async def turns(self, session_id: str) -> list[TurnRow]:
        async with self.session() as s:
            return list((await s.scalars(select(TurnRow).where(TurnRow.session_id == session_id).order_by(TurnRow.id))).all())

    async def prune(self, turns_older_than: timedelta, sessions_idle_for: timedelta) -> None:
        """Keep the turn log and idle sessions bounded; decisions, calls and user changes stay in the audit."""
        async with self.session.begin() as s:
            await s.execute(delete(TurnRow).where(TurnRow.at < now() - turns_older_than))
            await s.execute(delete(SessionRow).where(SessionRow.updated_at < now() - sessions_idle_for))
            await s.execute(delete(SignInRow).where(SignInRow.expires_at < now() - timedelta(days=1)))

    # -- sign-ins ---------------------------------------------------------------
    async def open_signin(self, user_id: int, ttl: timedelta, client: str) -> SignInRow:
        async with self.session.begin() as s:
            row = SignInRow(user_id=user_id, expires_at=now() + ttl, client=client)
            s.add(row)
        return row

    # Every authenticated request asks whether its sign-in still holds; a database round trip each time cost ~2.6 ms
    # (bench/auth.py). Answers are kept SIGNIN_CACHE_S: revocations made by this process (sign-out, disable, new
    # password) clear them at once; those made elsewhere (the CLI, another replica) apply within that time.
    SIGNIN_CACHE_S = 2.0
    SIGNIN_CACHE_SIZE = 10_000

    def __init__(self, url: str):
        super().__init__(url)
        self._signins: dict[str, tuple[float, UserRow | None, datetime | None]] = {}
        self._signin_gen = 0

    def _forget_signins(self) -> None:
        """After a revocation commits: drop every cached answer, and any fetch that began before it."""
        self._signins.clear()
        self._signin_gen += 1

    async def signed_in(self, signin_id: str) -> UserRow | None:
        """The active user of a live sign-in (one query, or the cached answer of one)."""
        cached = self._signins.get(signin_id)
        if cached and time.monotonic() - cached[0] < self.SIGNIN_CACHE_S:
            _, user, expires = cached
            return user if expires and aware(expires) > now() else None
        gen = self._signin_gen
        async with self.session() as s:
            q = (
                select(UserRow, SignInRow.expires_at)
                .join(SignInRow, SignInRow.user_id == UserRow.id)
                .where(SignInRow.id == signin_id, SignInRow.revoked_at.is_(None), UserRow.active.is_(True))
            )
            row = (await s.execute(q)).first()
        user, expires = row if row else (None, None)
        if gen == self._signin_gen:
            if len(self._signins) >= self.SIGNIN_CACHE_SIZE:
                self._signins.clear()
            self._signins[signin_id] = (time.monotonic(), user, expires)
        return user if expires and aware(expires) > now() else None

    async def revoke_signin(self, signin_id: str) -> None:
        async with self.session.begin() as s:
            await s.execute(update(SignInRow).where(SignInRow.id == signin_id, SignInRow.revoked_at.is_(None)).values(revoked_at=now()))
        self._forget_signins()

    async def update_user(self, actor: Actor, username: str, action: str, **values: Any) -> bool:
        changed = await super().update_user(actor, username, action, **values)
        self._forget_signins()
        return changed

    async def on_user_change(self, s: AsyncSession, username: str) -> None:
        user_id = select(UserRow.id).where(UserRow.username == username).scalar_subquery()
        await s.execute(update(SignInRow).where(SignInRow.user_id == user_id, SignInRow.revoked_at.is_(None)).values(revoked_at=now()))
