"""The office's records: the user directory, approvals, calls and the audit trail (SQLAlchemy, async).

SQLite in the data folder by default, PostgreSQL by SECRETARY_DATABASE_URL. Every side effect
commits together with its audit row, and a change that changed nothing is reported as such.
The assistant extends `Records` with its own tables (sessions, turns, sign-ins) on the same `Base`.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Text, event, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROLES = ("mayor", "officer", "admin")  # accounts; anonymous callers are citizens


def now() -> datetime:
    return datetime.now(UTC)


def aware(t: datetime) -> datetime:
    """SQLite returns naive datetimes for what was stored as UTC."""
    return t if t.tzinfo else t.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class UserRow(Base):
    """An account, and the officer directory "재난안전과장 연결해줘" resolves against."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    department: Mapped[str | None] = mapped_column(String(64), nullable=True)
    title: Mapped[str | None] = mapped_column(String(32), nullable=True)
    topics: Mapped[list[Any]] = mapped_column(default=list)  # what an officer is in charge of
    districts: Mapped[list[Any]] = mapped_column(default=list)
    password_hash: Mapped[str | None] = mapped_column(Text, nullable=True)  # None: cannot sign in until a password is set
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)

    def public(self) -> dict[str, Any]:
        """What other users may see of an account (never the hash)."""
        return {c: getattr(self, c) for c in ("id", "username", "display_name", "role", "department", "title", "active")}

    def officer(self) -> dict[str, Any]:
        return {"id": self.id, "username": self.username, "name": self.display_name, "title": self.title, "department": self.department}


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
    caller_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    officer_id: Mapped[int] = mapped_column(Integer)
    officer: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="ringing")  # ringing | active | ended
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CallParticipantRow(Base):
    """Who was invited to a call and what became of it: ringing → accepted → joined → left (or declined, missed, offline)."""

    __tablename__ = "call_participants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    call_id: Mapped[str] = mapped_column(String(36), index=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(128))  # as shown to the others: "재난안전과 김민수 과장"
    caller: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default="ringing")
    invited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    joined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    left_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    def as_dict(self) -> dict[str, Any]:
        times = {
            k: aware(getattr(self, k)).isoformat() if getattr(self, k) else None
            for k in ("invited_at", "answered_at", "joined_at", "left_at")
        }
        return {"user_id": self.user_id, "name": self.name, "caller": self.caller, "state": self.state} | times


class CallMinutesRow(Base):
    __tablename__ = "call_minutes"
    call_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    caller_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    minutes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    document: Mapped[str] = mapped_column(Text, default="")


LIVE = ("ringing", "accepted", "joined")


def call_name(who: UserRow | dict[str, Any] | None) -> str:
    """How a participant is named in a call: "재난안전과 김민수 과장", or the account's display name."""
    if who is None:
        return "알 수 없음"
    get = who.get if isinstance(who, dict) else lambda k: getattr(who, "display_name" if k == "name" else k, None)
    parts = [get("department"), get("name"), get("title")]
    return " ".join(p for p in parts if p)  # participant states still in the call


class AuditRow(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)
    action: Mapped[str] = mapped_column(String(48), index=True)  # approval.approve, call.start, screen.navigate, user.add, ...
    target: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    username: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    client: Mapped[str] = mapped_column(String(64))
    session_id: Mapped[str | None] = mapped_column(String(64), nullable=True)

    def as_dict(self) -> dict[str, Any]:
        cols = ("id", "action", "target", "detail", "user_id", "username", "role", "channel", "client", "session_id")
        return {c: getattr(self, c) for c in cols} | {"at": aware(self.at).isoformat()}


@dataclass(frozen=True)
class Actor:
    """Who did something, from sign-in (never from the request): goes into every audit row."""

    username: str
    role: str
    channel: str = "cli"
    client: str = "local"
    user_id: int | None = None
    session_id: str | None = None

    def audit(self, action: str, target: str, detail: dict[str, Any] | None = None) -> AuditRow:
        return AuditRow(action=action, target=target, detail=detail or {}, **asdict(self))


def _sqlite_wal(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


class Records:
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

    async def audit(self, actor: Actor, action: str, target: str, detail: dict[str, Any] | None = None) -> None:
        async with self.session.begin() as s:
            s.add(actor.audit(action, target, detail))

    # -- users and the officer directory ------------------------------------
    async def user(self, user_id: int) -> UserRow | None:
        async with self.session() as s:
            return await s.get(UserRow, user_id)

    async def user_by_name(self, username: str) -> UserRow | None:
        async with self.session() as s:
            return await s.scalar(select(UserRow).where(UserRow.username == username))

    async def users(self, role: str | None = None) -> list[UserRow]:
        async with self.session() as s:
            q = select(UserRow).order_by(UserRow.id)
            if role:
                q = q.where(UserRow.role == role)
            return list((await s.scalars(q)).all())

    async def directory(self) -> list[dict[str, Any]]:
        """Active officers with what they are in charge of, for "…과장 연결해줘"."""
        return [
            u.officer() | {"topics": u.topics, "districts": u.districts} for u in await self.users("officer") if u.active and u.department
        ]

    async def add_user(self, actor: Actor, **fields: Any) -> UserRow:
        async with self.session.begin() as s:
            row = UserRow(**fields)
            s.add(row)
            await s.flush()
            s.add(actor.audit("user.add", row.username, {"role": row.role, "department": row.department, "title": row.title}))
        return row

    async def update_user(self, actor: Actor, username: str, action: str, **values: Any) -> bool:
        """Change an account; False when there is no such user. Audited with the fields changed (never a hash)."""
        async with self.session.begin() as s:
            changed = await s.execute(update(UserRow).where(UserRow.username == username).values(**values))
            if not changed.rowcount:
                return False
            s.add(actor.audit(action, username, {k: v for k, v in values.items() if k != "password_hash"}))
            await self.on_user_change(s, username)
        return True

    async def on_user_change(self, s: AsyncSession, username: str) -> None:
        """Hook for the assistant: end the user's sign-ins in the same transaction."""

    async def seed_directory(self, officers: list[dict[str, Any]]) -> None:
        """The sample officer directory, once, as officer accounts without a password (an admin sets one)."""
        async with self.session.begin() as s:
            if await s.scalar(select(func.count()).select_from(UserRow).where(UserRow.role == "officer")):
                return
            s.add_all(
                UserRow(
                    username=o["id"].lower(),
                    display_name=o["name"],
                    role="officer",
                    department=o["department"],
                    title=o["title"],
                    topics=o.get("topics", []),
                    districts=o.get("districts", []),
                )
                for o in officers
            )

    # -- approvals ------------------------------------------------------------
    async def seed_approvals(self, rows: list[dict[str, Any]]) -> None:
        async with self.session.begin() as s:
            if await s.scalar(select(func.count()).select_from(ApprovalRow)):
                return
            s.add_all(
                ApprovalRow(**{k: r[k] for k in ("number", "title", "department", "drafter", "submitted_at", "urgent")}) for r in rows
            )

    async def pending_approvals(self, department: str | None = None) -> list[dict[str, Any]]:
        async with self.session() as s:
            q = select(ApprovalRow).where(ApprovalRow.status == "pending").order_by(ApprovalRow.urgent.desc(), ApprovalRow.submitted_at)
            if department:
                q = q.where(ApprovalRow.department == department)
            return [r.as_dict() for r in (await s.scalars(q)).all()]

    async def approval(self, approval_id: int) -> dict[str, Any] | None:
        async with self.session() as s:
            row = await s.get(ApprovalRow, approval_id)
            return row.as_dict() if row else None

    async def decide(self, actor: Actor, approval_id: int, decision: str) -> tuple[dict[str, Any] | None, bool]:
        """Decide a pending document once: (the document, whether this call decided it).

        The decision and its audit row commit together; a document already decided changes nothing.
        """
        status = {"approve": "approved", "reject": "rejected"}[decision]
        async with self.session.begin() as s:
            done = await s.execute(
                update(ApprovalRow)
                .where(ApprovalRow.id == approval_id, ApprovalRow.status == "pending")
                .values(status=status, decided_at=now(), decided_by=actor.username)
            )
            decided = done.rowcount == 1
            if decided:
                row = await s.get(ApprovalRow, approval_id)
                s.add(actor.audit(f"approval.{decision}", row.number, {"approval_id": approval_id, "title": row.title}))
        return await self.approval(approval_id), decided

    async def recent_decisions(self, actor: Actor, within: timedelta) -> list[dict[str, Any]]:
        """This user's decisions made within `within`, newest first."""
        async with self.session() as s:
            q = (
                select(ApprovalRow)
                .where(ApprovalRow.decided_by == actor.username, ApprovalRow.status != "pending", ApprovalRow.decided_at >= now() - within)
                .order_by(ApprovalRow.decided_at.desc())
            )
            return [row.as_dict() for row in await s.scalars(q)]

    async def undo_decision(self, actor: Actor, approval_id: int, status: str, within: timedelta) -> bool:
        """Put a decision back to pending (only the decider's, only as shown, only within the window); audited."""
        async with self.session.begin() as s:
            done = await s.execute(
                update(ApprovalRow)
                .where(
                    ApprovalRow.id == approval_id,
                    ApprovalRow.status == status,
                    ApprovalRow.decided_by == actor.username,
                    ApprovalRow.decided_at >= now() - within,
                )
                .values(status="pending", decided_at=None, decided_by=None)
            )
            if done.rowcount != 1:
                return False
            row = await s.get(ApprovalRow, approval_id)
            s.add(actor.audit("approval.undo", row.number, {"approval_id": approval_id, "title": row.title, "was": status}))
        return True

    # -- calls ------------------------------------------------------------------
    async def start_call(self, actor: Actor, officer: dict[str, Any]) -> dict[str, Any]:
        """A ringing call: the caller in it, the officer ringing; audited as call.start."""
        async with self.session.begin() as s:
            row = CallRow(session_id=actor.session_id or "", caller_id=actor.user_id, officer_id=officer["id"], officer=officer)
            s.add(row)
            await s.flush()
            if actor.user_id is not None:
                me = await s.get(UserRow, actor.user_id)
                s.add(
                    CallParticipantRow(
                        call_id=row.id, user_id=actor.user_id, name=call_name(me), caller=True, state="accepted", answered_at=now()
                    )
                )
            s.add(CallParticipantRow(call_id=row.id, user_id=officer["id"], name=call_name(officer), state="ringing"))
            s.add(actor.audit("call.start", row.id, {"officer": officer}))
        return {"id": row.id, "officer": officer, "status": row.status}

    async def end_calls(self, actor: Actor) -> list[str]:
        """End the calls this user placed (from any of their sessions)."""
        async with self.session() as s:
            q = select(CallRow.id).where(CallRow.status != "ended")
            q = q.where(CallRow.caller_id == actor.user_id) if actor.user_id else q.where(CallRow.session_id == actor.session_id)
            ids = list((await s.scalars(q)).all())
        return [i for i in ids if await self.end_call(actor, i)]

    async def call(self, call_id: str) -> dict[str, Any] | None:
        """A call with its participants (the caller first), or None."""
        async with self.session() as s:
            row = await s.get(CallRow, call_id)
            if row is None:
                return None
            people = (
                await s.scalars(select(CallParticipantRow).where(CallParticipantRow.call_id == call_id).order_by(CallParticipantRow.id))
            ).all()
            return {
                "id": row.id,
                "status": row.status,
                "caller_id": row.caller_id,
                "officer": row.officer,
                "created_at": aware(row.created_at).isoformat(),
                "ended_at": aware(row.ended_at).isoformat() if row.ended_at else None,
                "participants": [p.as_dict() for p in people],
            }

    async def add_caller(self, call_id: str, user_id: int, name: str) -> None:
        async with self.session.begin() as s:
            s.add(CallParticipantRow(call_id=call_id, user_id=user_id, name=name, caller=True, state="accepted", answered_at=now()))

    async def invite(self, actor: Actor, call_id: str, user_id: int, name: str, limit: int) -> str:
        """Ring one more person: "invited", "already" (ringing or in the call), "full", or "ended"."""
        async with self.session.begin() as s:
            call = await s.get(CallRow, call_id, with_for_update=True)
            if call is None or call.status == "ended":
                return "ended"
            people = (await s.scalars(select(CallParticipantRow).where(CallParticipantRow.call_id == call_id))).all()
            mine = [p for p in people if p.user_id == user_id]
            if any(p.state in LIVE for p in mine):
                return "already"
            if sum(p.state in LIVE for p in people) >= limit:
                return "full"
            for p in mine:  # declined or left earlier: ring again
                await s.delete(p)
            s.add(CallParticipantRow(call_id=call_id, user_id=user_id, name=name, state="ringing"))
            s.add(actor.audit("call.invite", call_id, {"user_id": user_id, "name": name}))
        return "invited"

    async def set_state(
        self, actor: Actor, call_id: str, user_id: int, to: str, allowed_from: tuple[str, ...], action: str | None = None, **detail: Any
    ) -> bool:
        """Move one participant from one of `allowed_from` to `to`, once (a second accept changes nothing); audited."""
        stamp = {"accepted": "answered_at", "declined": "answered_at", "joined": "joined_at", "left": "left_at"}.get(to)
        values: dict[str, Any] = {"state": to} | ({stamp: now()} if stamp else {})
        async with self.session.begin() as s:
            done = await s.execute(
                update(CallParticipantRow)
                .where(
                    CallParticipantRow.call_id == call_id, CallParticipantRow.user_id == user_id, CallParticipantRow.state.in_(allowed_from)
                )
                .values(**values)
            )
            if done.rowcount != 1:
                return False
            if to == "accepted":  # the first answer makes a ringing call active
                await s.execute(update(CallRow).where(CallRow.id == call_id, CallRow.status == "ringing").values(status="active"))
            if action:
                s.add(actor.audit(action, call_id, {"user_id": user_id, **detail}))
        return True

    async def end_call(self, actor: Actor, call_id: str, action: str = "call.end", **detail: Any) -> bool:
        """End one call for everyone, once: whoever is still in it has left, whoever was ringing missed it."""
        async with self.session.begin() as s:
            done = await s.execute(
                update(CallRow).where(CallRow.id == call_id, CallRow.status != "ended").values(status="ended", ended_at=now())
            )
            if done.rowcount != 1:
                return False
            base = update(CallParticipantRow).where(CallParticipantRow.call_id == call_id)
            await s.execute(base.where(CallParticipantRow.state == "ringing").values(state="missed"))
            await s.execute(base.where(CallParticipantRow.state.in_(("accepted", "joined"))).values(state="left", left_at=now()))
            s.add(actor.audit(action, call_id, detail))
        return True

    async def live_calls(self, user_id: int) -> list[str]:
        """Calls this user placed that have not ended (newest first)."""
        async with self.session() as s:
            q = select(CallRow.id).where(CallRow.caller_id == user_id, CallRow.status != "ended").order_by(CallRow.created_at.desc())
            return list((await s.scalars(q)).all())

    async def save_minutes(self, call_id: str, caller_id: int | None, minutes: dict[str, Any], document: str) -> None:
        async with self.session.begin() as s:
            await s.merge(CallMinutesRow(call_id=call_id, caller_id=caller_id, minutes=minutes, document=document))

    async def minutes(self, call_id: str) -> dict[str, Any] | None:
        async with self.session() as s:
            row = await s.get(CallMinutesRow, call_id)
            return row.minutes if row else None

    async def last_call(self, user_id: int) -> dict[str, Any] | None:
        """The newest call this user was in (joined from a device of theirs, not only rung), with its participants."""
        async with self.session() as s:
            q = (
                select(CallRow.id)
                .join(CallParticipantRow, CallParticipantRow.call_id == CallRow.id)
                .where(CallParticipantRow.user_id == user_id, CallParticipantRow.joined_at.is_not(None))
                .order_by(CallRow.created_at.desc())
                .limit(1)
            )
            call_id = await s.scalar(q)
        return await self.call(call_id) if call_id else None

    async def latest_minutes(self, user_id: int) -> dict[str, Any] | None:
        """The minutes of the last call this user took part in."""
        async with self.session() as s:
            q = (
                select(CallMinutesRow)
                .join(CallParticipantRow, CallParticipantRow.call_id == CallMinutesRow.call_id)
                .where(CallParticipantRow.user_id == user_id)
                .order_by(CallMinutesRow.created_at.desc())
                .limit(1)
            )
            row = await s.scalar(q)
            return row.minutes if row else None

    # -- the audit trail ----------------------------------------------------------
    async def audit_rows(
        self,
        action: str | None = None,
        username: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        async with self.session() as s:
            q = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
            if action:
                q = q.where(AuditRow.action.startswith(action))
            if username:
                q = q.where(AuditRow.username == username)
            if since:
                q = q.where(AuditRow.at >= since)
            if until:
                q = q.where(AuditRow.at < until)
            return [r.as_dict() for r in (await s.scalars(q)).all()]
