"""Persistence: sessions, the audit trail of turns, approvals and calls (SQLAlchemy, async).

SQLite in the data folder by default; PostgreSQL by SECRETARY_DATABASE_URL in the distributed
deployment. Actions reach approvals and calls through the same Storage.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, String, Text, event, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class SessionRow(Base):
    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    slots: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class TurnRow(Base):
    __tablename__ = "turns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    channel: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float)
    entities: Mapped[list[Any]] = mapped_column(default=list)
    reply: Mapped[str] = mapped_column(Text)
    latency_ms: Mapped[float] = mapped_column(Float)


class ApprovalRow(Base):
    __tablename__ = "approvals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(64))
    drafter: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[str] = mapped_column(String(40))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | approved | rejected
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)

    def as_dict(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in ("id", "number", "title", "department", "drafter", "submitted_at", "urgent", "status")} | {
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
            "decided_by": self.decided_by,
        }


class CallRow(Base):
    __tablename__ = "calls"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    session_id: Mapped[str] = mapped_column(String(64), index=True)
    officer_id: Mapped[str] = mapped_column(String(32))
    officer: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="ringing")  # ringing | ended
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


def _sqlite_wal(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


class Storage:
    def __init__(self, url: str):
        self.url = url
        if url.startswith("sqlite"):
            # SQLite writers serialise anyway; one pooled connection makes them queue in the pool
            # instead of sleeping in SQLite's busy handler: chat p95 at 8 concurrent turns 349 ms -> 73 ms (bench/nlu.py).
            self.engine: AsyncEngine = create_async_engine(url, pool_size=1, max_overflow=0)
            event.listen(self.engine.sync_engine, "connect", _sqlite_wal)
        else:
            self.engine = create_async_engine(url, pool_pre_ping=True)
        self.session = async_sessionmaker(self.engine, expire_on_commit=False)

    async def init(self) -> None:
        async with self.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)

    async def close(self) -> None:
        await self.engine.dispose()

    # -- dialogue sessions ----------------------------------------------
    async def load_slots(self, session_id: str, max_age: timedelta) -> dict[str, Any] | None:
        """The session's slots, or None when it is new or idle for longer than max_age."""
        async with self.session() as s:
            row = await s.get(SessionRow, session_id)
            if row is None or now() - row.updated_at.replace(tzinfo=row.updated_at.tzinfo or UTC) > max_age:
                return None
            return dict(row.slots)

    async def save_slots(self, session_id: str, channel: str, slots: dict[str, Any]) -> None:
        async with self.session.begin() as s:
            row = await s.get(SessionRow, session_id)
            if row is None:
                s.add(SessionRow(id=session_id, channel=channel, slots=slots))
            else:
                row.slots, row.channel, row.updated_at = slots, channel, now()

    async def log_turn(self, **fields: Any) -> None:
        async with self.session.begin() as s:
            s.add(TurnRow(**fields))

    async def turns(self, session_id: str) -> list[TurnRow]:
        async with self.session() as s:
            return list((await s.scalars(select(TurnRow).where(TurnRow.session_id == session_id).order_by(TurnRow.id))).all())

    # -- approvals -------------------------------------------------------
    async def seed_approvals(self, rows: list[dict[str, Any]]) -> None:
        async with self.session.begin() as s:
            if await s.scalar(select(func.count()).select_from(ApprovalRow)):
                return
            s.add_all(
                ApprovalRow(**{k: r[k] for k in ("number", "title", "department", "drafter", "submitted_at", "urgent")}) for r in rows
            )

    async def pending_approvals(self) -> list[dict[str, Any]]:
        async with self.session() as s:
            q = select(ApprovalRow).where(ApprovalRow.status == "pending").order_by(ApprovalRow.urgent.desc(), ApprovalRow.submitted_at)
            return [r.as_dict() for r in (await s.scalars(q)).all()]

    async def approval(self, approval_id: int) -> dict[str, Any] | None:
        async with self.session() as s:
            row = await s.get(ApprovalRow, approval_id)
            return row.as_dict() if row else None

    async def decide(self, approval_id: int, decision: str, by: str) -> dict[str, Any] | None:
        """Record a decision once; a document already decided is returned unchanged."""
        status = {"approve": "approved", "reject": "rejected"}[decision]
        async with self.session.begin() as s:
            await s.execute(
                update(ApprovalRow)
                .where(ApprovalRow.id == approval_id, ApprovalRow.status == "pending")
                .values(status=status, decided_at=now(), decided_by=by)
            )
        return await self.approval(approval_id)

    # -- calls -------------------------------------------------------------
    async def start_call(self, session_id: str, officer: dict[str, Any]) -> dict[str, Any]:
        async with self.session.begin() as s:
            row = CallRow(session_id=session_id, officer_id=officer["id"], officer=officer)
            s.add(row)
        return {"id": row.id, "officer": officer, "status": row.status}

    async def end_calls(self, session_id: str) -> list[str]:
        async with self.session.begin() as s:
            rows = (await s.scalars(select(CallRow).where(CallRow.session_id == session_id, CallRow.status != "ended"))).all()
            for r in rows:
                r.status, r.ended_at = "ended", now()
            return [r.id for r in rows]


_storages: dict[str, Storage] = {}


def get_storage(url: str | None = None) -> Storage:
    from .config import get_settings

    url = url or get_settings().db_url
    if url not in _storages:
        _storages[url] = Storage(url)
    return _storages[url]
