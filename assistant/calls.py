"""Calls on the assistant's side: who may do what, state in the database, events on the bus, media in webrtc rooms.

Every change of a participant's state is one conditional update with its audit row (a second accept changes
nothing and is told so); every event goes to each participant's user topic (all their devices, on whichever
replica) and to the call's topic. Ringing stops after `call_ring_timeout_s` (call.missed); an officer with no
connected device is reported to the caller at once (call.offline).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import knowledge
import voice
import webrtc
from actions.records import Actor, call_name

from .auth import Principal
from .bus import Event, EventBus, call_topic, user_topic
from .config import Settings
from .errors import ApiError
from .storage import Storage

log = logging.getLogger(__name__)
SYSTEM = Actor("system", "system", "call", "server")
IN_CALL = ("accepted", "joined")


def josa_i(name: str) -> str:
    """ "김민수 과장이" / "서울시장이": the subject particle after the name's last syllable."""
    last = name[-1] if name else "가"
    has_final = "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0
    return f"{name}{'이' if has_final else '가'}"


class Calls:
    def __init__(self, settings: Settings, storage: Storage, bus: EventBus) -> None:
        self.settings, self.storage, self.bus = settings, storage, bus
        self.rooms: dict[str, webrtc.Room] = {}
        self.timers: dict[tuple[str, int], asyncio.Task] = {}
        self.finishing: dict[str, asyncio.Task] = {}
        self.sharing: dict[str, dict[str, Any]] = {}  # call id -> the call.share frame of who shares a screen now
        self.lock = asyncio.Lock()
        self.asr: webrtc.CaptionASR | None = None
        webrtc.prune_recordings(settings)

    # -- events -----------------------------------------------------------------
    async def notify(self, call_id: str, frame: dict[str, Any], to: list[int] | None = None) -> None:
        """A call event to every participant's devices (or to `to`) and to the call's topic."""
        frame = {"call_id": call_id, **frame}
        if to is None:
            call = await self.storage.call(call_id)
            to = [p["user_id"] for p in call["participants"]] if call else []
        for uid in dict.fromkeys(to):
            await self.bus.publish(user_topic(uid), Event(type="call", frame=frame))
        await self.bus.publish(call_topic(call_id), Event(type="call", frame=frame))

    # -- access -----------------------------------------------------------------
    async def get(self, call_id: str, user: Principal) -> dict[str, Any]:
        """The call if this user was invited to it (404 for a call that does not exist, 403 for anyone else)."""
        call = await self.storage.call(call_id) if len(call_id) <= 36 else None
        if call is None:
            raise ApiError("call_not_found")
        if not any(p["user_id"] == user.user_id for p in call["participants"]):
            raise ApiError("call_forbidden")
        return call

    @staticmethod
    def me(call: dict[str, Any], user: Principal) -> dict[str, Any]:
        return next(p for p in call["participants"] if p["user_id"] == user.user_id)

    # -- ringing ----------------------------------------------------------------
    async def ring(self, call_id: str, caller: Principal, officer: dict[str, Any]) -> None:
        """Ring the officer's devices; tell the caller at once when none is connected."""
        name = call_name(officer)
        ring = {"type": "call.ring", "from": caller.public(), "officer": officer, "url": f"/call/{call_id}"}
        if not self.bus.listening(user_topic(officer["id"])):
            if await self.storage.set_state(SYSTEM, call_id, officer["id"], "offline", ("ringing",), "call.missed", reason="offline"):
                msg = f"{name}님이 지금 접속해 있지 않아 연결하지 못했습니다. 잠시 후 다시 걸어 주세요."
                await self.notify(
                    call_id, {"type": "call.offline", "user_id": officer["id"], "name": name, "message": msg}, [caller.user_id]
                )
                await self.end_if_alone(call_id, "offline")
            return
        await self.bus.publish(user_topic(officer["id"]), Event(type="call", frame={"call_id": call_id, **ring}))
        self.timers[(call_id, officer["id"])] = asyncio.create_task(self.ring_timeout(call_id, officer["id"], name))

    async def ring_timeout(self, call_id: str, user_id: int, name: str) -> None:
        await asyncio.sleep(self.settings.call_ring_timeout_s)
        self.timers.pop((call_id, user_id), None)
        if await self.storage.set_state(SYSTEM, call_id, user_id, "missed", ("ringing",), "call.missed", reason="timeout"):
            secs = round(self.settings.call_ring_timeout_s)
            msg = f"{josa_i(name)} {secs}초 동안 받지 않았습니다."
            await self.notify(call_id, {"type": "call.missed", "user_id": user_id, "name": name, "message": msg})
            await self.end_if_alone(call_id, "missed")

    def stop_ringing(self, call_id: str, user_id: int) -> None:
        if (t := self.timers.pop((call_id, user_id), None)) is not None:
            t.cancel()

    # -- answering ----------------------------------------------------------------
    async def answer(self, call_id: str, user: Principal, accept: bool, client: str) -> dict[str, Any]:
        call = await self.get(call_id, user)
        if call["status"] == "ended":
            raise ApiError("call_ended")
        me = self.me(call, user)
        to, action = ("accepted", "call.accept") if accept else ("declined", "call.decline")
        if not await self.storage.set_state(user.actor("call", client), call_id, user.user_id, to, ("ringing",), action):
            raise ApiError("call_already_answered" if me["state"] != "ringing" else "call_ended")
        self.stop_ringing(call_id, user.user_id)
        name = me["name"]
        if accept:
            frame = {"type": "call.accepted", "user_id": user.user_id, "name": name, "message": f"{josa_i(name)} 통화를 수락했습니다."}
        else:
            frame = {"type": "call.declined", "user_id": user.user_id, "name": name, "message": f"{josa_i(name)} 통화를 거절했습니다."}
        await self.notify(call_id, frame)
        if not accept:
            await self.end_if_alone(call_id, "declined")
        return await self.storage.call(call_id)

    # -- media ----------------------------------------------------------------------
    async def offer(self, call_id: str, user: Principal, sdp: str, kind: str, client: str) -> dict[str, str]:
        call = await self.get(call_id, user)
        if call["status"] == "ended":
            raise ApiError("call_ended")
        me = self.me(call, user)
        if me["state"] not in IN_CALL:
            raise ApiError("call_not_accepted")
        try:
            webrtc.check_offer(sdp)
        except webrtc.SdpError:
            raise ApiError("invalid_sdp") from None
        async with self.lock:
            room = self.rooms.get(call_id)
            if room is None:
                room = self.rooms[call_id] = webrtc.Room(call_id, self.settings, self.emitter(call_id), self.transcriber())
        try:
            answer = await room.connect(user.user_id, me["name"], sdp, kind)
        except webrtc.SdpError:
            raise ApiError("invalid_sdp") from None
        if await self.storage.set_state(user.actor("call", client), call_id, user.user_id, "joined", ("accepted",), "call.join"):
            await self.notify(call_id, {"type": "call.joined", "user_id": user.user_id, "name": me["name"]})
            if (shared := self.sharing.get(call_id)) and shared["user_id"] != user.user_id:  # a late joiner sees the label too
                await self.notify(call_id, shared, [user.user_id])
        return {"sdp": answer.sdp, "type": answer.type}

    def emitter(self, call_id: str):
        async def emit(kind: str, payload: dict[str, Any]) -> None:
            if kind == "caption":
                await self.notify(call_id, {"type": "call.caption", **payload})
            elif kind == "media":
                await self.notify(call_id, {"type": "call.media", **payload})

        return emit

    def transcriber(self) -> webrtc.CaptionASR | None:
        """Captions with the configured Whisper (one worker process for all calls), or none without an ASR model."""
        s = self.settings
        if self.asr is None and s.call_captions and voice.asr.present(s.asr_backend, s.asr_model):
            self.asr = webrtc.CaptionASR(s.asr_backend, s.asr_model)
        return self.asr

    # -- screen share ------------------------------------------------------------------
    async def share(self, call_id: str, user: Principal, sharing: bool, screen: str | None, client: str) -> None:
        """A participant's video is now a wall screen (or their camera again): the others are told, in Korean.

        The picture itself changes in the browser (RTCRtpSender.replaceTrack): the server forwards it like any video.
        """
        call = await self.get(call_id, user)
        if call["status"] == "ended":
            raise ApiError("call_ended")
        me = self.me(call, user)
        if me["state"] != "joined":
            raise ApiError("call_not_joined")
        who = "시장님" if user.role == "mayor" else me["name"]
        message = f"{who} 화면 공유 중" if sharing else f"{josa_i(who)} 화면 공유를 마쳤습니다."
        frame = {
            "type": "call.share",
            "user_id": user.user_id,
            "name": me["name"],
            "sharing": sharing,
            "screen": screen,
            "message": message,
        }
        if sharing:
            self.sharing[call_id] = frame
        elif self.sharing.get(call_id, {}).get("user_id") == user.user_id:
            self.sharing.pop(call_id)
        await self.storage.audit(user.actor("call", client), "call.share", call_id, {"sharing": sharing, "screen": screen})
        await self.notify(call_id, frame)

    # -- leaving and ending ------------------------------------------------------------
    async def leave(self, call_id: str, user: Principal, client: str) -> None:
        call = await self.get(call_id, user)
        if call["status"] == "ended":
            raise ApiError("call_ended")
        me = self.me(call, user)
        if me["caller"]:
            await self.end(call_id, user, client)
            return
        if not await self.storage.set_state(user.actor("call", client), call_id, user.user_id, "left", IN_CALL, "call.leave"):
            raise ApiError("call_not_accepted")
        if room := self.rooms.get(call_id):
            await room.disconnect(user.user_id)
        await self.notify(
            call_id, {"type": "call.left", "user_id": user.user_id, "name": me["name"], "message": f"{josa_i(me['name'])} 나갔습니다."}
        )
        await self.end_if_alone(call_id, "left")

    async def end(self, call_id: str, user: Principal, client: str) -> None:
        call = await self.get(call_id, user)
        if not self.me(call, user)["caller"]:
            raise ApiError("call_caller_only")
        if not await self.storage.end_call(user.actor("call", client), call_id, reason="ended"):
            raise ApiError("call_ended")
        await self.finished(call_id, "ended")

    async def end_if_alone(self, call_id: str, reason: str) -> None:
        """A call with nobody left to talk to (everyone declined, missed, left) ends."""
        call = await self.storage.call(call_id)
        if (
            call
            and call["status"] != "ended"
            and not any(p["state"] in ("ringing", *IN_CALL) for p in call["participants"] if not p["caller"])
        ):
            if await self.storage.end_call(SYSTEM, call_id, reason=reason):
                await self.finished(call_id, reason)

    async def finished(self, call_id: str, reason: str) -> None:
        """The call has ended in the database: tell everyone, stop ringing, close the room, write the minutes."""
        for key in [k for k in self.timers if k[0] == call_id]:
            self.stop_ringing(*key)
        await self.notify(call_id, {"type": "call.ended", "reason": reason, "message": "통화가 종료되었습니다."})
        self.sharing.pop(call_id, None)
        room = self.rooms.pop(call_id, None)
        if room is not None:
            self.finishing[call_id] = asyncio.create_task(self.write_minutes(call_id, room))

    async def ended_by_dialogue(self, call_ids: list[str]) -> None:
        """ "통화 종료" ended these calls in the database (actions.office): finish them here."""
        for call_id in call_ids:
            await self.finished(call_id, "ended")

    # -- minutes ---------------------------------------------------------------------
    async def write_minutes(self, call_id: str, room: webrtc.Room) -> None:
        try:
            captions, recording = await room.close()
            call = await self.storage.call(call_id)
            people = [p["name"] for p in call["participants"] if p["joined_at"]]
            officer = call_name(call["officer"])
            started = datetime.fromisoformat(call["created_at"])
            ended = datetime.fromisoformat(call["ended_at"]) if call["ended_at"] else datetime.now(UTC)
            title = f"영상통화 회의록 - {officer} ({started.astimezone().strftime('%Y-%m-%d %H:%M')})"
            minutes = webrtc.build(call_id, title, started, ended, people, captions, str(recording) if recording else None)
            document = minutes.markdown()
            await self.storage.save_minutes(call_id, call["caller_id"], minutes.model_dump(), document)
            path = self.settings.data_dir / "minutes" / f"call-{call_id}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(document, encoding="utf-8")
            results = await asyncio.to_thread(knowledge.get_store().ingest, [path], False)
            await self.storage.audit(
                SYSTEM, "ingest", path.name, {"status": results[0].status, "chunks": results[0].chunks, "public": False}
            )
            frame = {"type": "call.minutes", "title": title, "decisions": minutes.decisions, "actions": minutes.actions}
            await self.notify(call_id, frame | {"url": f"/v1/calls/{call_id}/minutes"})
        except Exception:
            log.exception("minutes of call %s failed", call_id)
        finally:
            self.finishing.pop(call_id, None)

    async def minutes(self, call_id: str, user: Principal) -> dict[str, Any]:
        await self.get(call_id, user)
        if (task := self.finishing.get(call_id)) is not None:
            await asyncio.wait({task}, timeout=30)
        if (m := await self.storage.minutes(call_id)) is None:
            raise ApiError("minutes_not_ready")
        return m

    # -- ICE ------------------------------------------------------------------------
    def ice(self, user: Principal) -> dict[str, Any]:
        """STUN/TURN for this user's browser; with coturn's auth secret, credentials that expire (TURN REST API)."""
        s = self.settings
        servers: list[dict[str, Any]] = [{"urls": s.stun_urls}] if s.stun_urls else []
        if s.turn_urls:
            username, credential = s.turn_credentials(str(user.user_id))
            servers.append({"urls": s.turn_urls, "username": username, "credential": credential})
        return {
            "ice_servers": servers,
            "ice_transport_policy": "relay" if s.ice_relay_only else "all",
            "video": {"width": s.call_video_width, "height": s.call_video_height, "fps": s.call_video_fps},
        }

    def recording(self, minutes: dict[str, Any]) -> Path | None:
        path = minutes.get("recording")
        return Path(path) if path and Path(path).exists() else None

    async def close(self) -> None:
        for t in self.timers.values():
            t.cancel()
        for room in list(self.rooms.values()):
            await room.close()
        self.rooms.clear()
        if self.finishing:
            await asyncio.wait(set(self.finishing.values()), timeout=30)
        if self.asr is not None:
            self.asr.close()
