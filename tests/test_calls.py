"""Video calls for real: `secretary serve`, aiortc participants and Chromium inside a network namespace the
test run makes (see netns.py), Korean speech from espeak-ng, captions from a random Whisper, coturn relays.

Nothing here asserts how long anything took; waits have generous deadlines and end as soon as the thing happens.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import av
import httpx
import numpy as np
import pytest
import random_models
from call_peer import Peer, best_correlation, korean_speech
from netns import Netns
from procs import chromium, cli, free_port, serve, stop, token

PASSWORD = "call-test-pass-2026"
RING_TIMEOUT_S = 6  # short, so the missed-call test is quick; accepts here happen well within it
USERS = {"mayor": "mayor", "safety": "ofc-001", "traffic": "ofc-002", "fire": "ofc-003"}  # ofc-001: 재난안전과 김민수 과장


@pytest.fixture(scope="module")
def ns():
    n = Netns()
    with n.entered():
        yield n
    n.close()


@pytest.fixture(scope="module")
def server(ns: Netns, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("calls")
    env = dict(os.environ)
    env.pop("SECRETARY_DATABASE_URL", None)
    env |= {
        "SECRETARY_DATA_DIR": str(tmp / "data"),
        "SECRETARY_RATE_LIMITS": "false",
        "SECRETARY_ASR_MODEL": str(random_models.whisper_checkpoint(tmp / "whisper" / "tiny-random.pt")),
        "SECRETARY_CALL_RING_TIMEOUT_S": str(RING_TIMEOUT_S),
    }
    cli(env, "train")  # outside serve's start-up deadline: this machine may be busy
    port = free_port()
    proc = serve(env, port, tmp / "server.log")
    for name in USERS.values():
        cli(env, "users", "set-password", name, "--password-stdin", stdin=PASSWORD + "\n")
    base = f"http://127.0.0.1:{port}"
    yield {"base": base, "port": port, "env": env, "tmp": tmp, "data": tmp / "data", "log": tmp / "server.log"}
    if proc.poll() is None:
        stop(proc)


def headers(server: dict, who: str) -> dict[str, str]:
    return token(server["base"], USERS[who], PASSWORD)


class Inbox:
    """A user's WebSocket (as a device of theirs), collecting every frame it is sent."""

    def __init__(self, server: dict, hdrs: dict[str, str]) -> None:
        self.url = f"ws://127.0.0.1:{server['port']}/v1/ws?channel=tablet"
        self.hdrs, self.frames = hdrs, []
        self.task: asyncio.Task | None = None

    async def __aenter__(self) -> Inbox:
        from websockets.asyncio.client import connect

        self.ws = await connect(self.url, additional_headers=self.hdrs)
        assert json.loads(await self.ws.recv())["type"] == "hello"
        self.task = asyncio.ensure_future(self.read())
        return self

    async def read(self) -> None:
        async for raw in self.ws:
            self.frames.append(json.loads(raw))

    async def wait(self, kind: str, seconds: float = 30, **match: Any) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for f in self.frames:
                if f.get("type") == kind and all(f.get(k) == v for k, v in match.items()):
                    return f
            await asyncio.sleep(0.05)
        raise AssertionError(f"no {kind} {match} in {[f.get('type') for f in self.frames]}")

    async def __aexit__(self, *exc: object) -> None:
        self.task.cancel()
        await self.ws.close()


async def post(server: dict, path: str, hdrs: dict[str, str] | None, **kw: Any) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server["base"], timeout=60) as c:
        return await c.post(path, headers=hdrs, **kw)


async def get(server: dict, path: str, hdrs: dict[str, str] | None) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server["base"], timeout=60) as c:
        return await c.get(path, headers=hdrs)


async def say(server: dict, hdrs: dict[str, str], text: str, session: str) -> dict[str, Any]:
    r = await post(server, "/v1/chat", hdrs, json={"text": text, "channel": "wall", "session_id": session})
    assert r.status_code == 200, r.text
    return r.json()


async def place_call(server: dict, mayor: dict[str, str], session: str, who: str = "재난안전과장") -> str:
    asked = await say(server, mayor, f"{who} 연결해줘", session)
    assert "영상통화를 걸까요" in asked["text"], asked["text"]
    done = await say(server, mayor, "응", session)
    start = next(d for d in done["directives"] if d["type"] == "call.start")
    return start["call_id"]


def korean_error(r: httpx.Response, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert err["code"] == code and any("가" <= ch <= "힣" for ch in err["message"]), err


async def until(check, seconds: float = 30, step: float = 0.1) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(step)


def test_a_call_rings_is_answered_and_carries_korean_speech_captions_and_minutes(server):
    asyncio.run(_call_scenario(server))


async def _call_scenario(server: dict) -> None:
    mayor, safety, traffic = headers(server, "mayor"), headers(server, "safety"), headers(server, "traffic")
    speech = korean_speech()
    async with Inbox(server, mayor) as mayor_box, Inbox(server, safety) as safety_box, Inbox(server, traffic) as traffic_box:
        call_id = await place_call(server, mayor, "call-1")
        ring = await safety_box.wait("call.ring", call_id=call_id)
        assert ring["from"]["display_name"] == "서울시장" and ring["url"] == f"/call/{call_id}"

        mayor_peer, safety_peer = Peer(server["base"], mayor), Peer(server["base"], safety)
        traffic_peer = Peer(server["base"], traffic, video=False)  # receives video only: one encoder less on this busy machine
        try:
            await mayor_peer.join(call_id)  # the caller is in the room while it rings
            r = await post(server, f"/v1/calls/{call_id}/accept", safety)
            assert r.status_code == 200 and r.json()["status"] == "active", r.text
            korean_error(await post(server, f"/v1/calls/{call_id}/accept", safety), 409, "call_already_answered")
            await mayor_box.wait("call.accepted", call_id=call_id)
            await safety_peer.join(call_id)
            await mayor_peer.connected()
            await safety_peer.connected()
            await mayor_box.wait("call.joined", user_id=ring["officer"]["id"])

            # The mayor speaks: the officer hears it (its loudness over time matches what was said).
            await asyncio.sleep(1)
            start = len(safety_peer.got.audio)
            mayor_peer.speech.say(speech)
            await asyncio.sleep(len(speech) / 48_000 + 2)
            heard = np.concatenate(safety_peer.got.audio[start:])
            corr, _ = best_correlation(speech, heard)
            assert corr > 0.6, corr
            # ... and the officer's answer reaches the mayor.
            start = len(mayor_peer.got.audio)
            safety_peer.speech.say(speech)
            await asyncio.sleep(len(speech) / 48_000 + 2)
            corr_back, _ = best_correlation(speech, np.concatenate(mayor_peer.got.audio[start:]))
            assert corr_back > 0.6, corr_back
            # Video both ways, within the call's budget.
            assert safety_peer.got.video_frames > 10 and mayor_peer.got.video_frames > 10
            assert safety_peer.got.video_size[0] <= 640 and safety_peer.got.video_size[1] <= 360

            # Captions from the (random) Whisper, with the speaker's name, on the officer's device.
            cap = await safety_box.wait("call.caption", seconds=60, speaker="서울시장")
            assert cap["text"] and cap["end_s"] >= cap["start_s"] >= 0

            # "교통정책과장도 연결해": a third participant joins, hears the mayor, and leaves.
            asked = await say(server, mayor, "교통정책과장도 연결해", "call-1")
            assert "초대할까요" in asked["text"], asked["text"]
            invited = await say(server, mayor, "응", "call-1")
            assert any(d["type"] == "call.invite" for d in invited["directives"]), invited
            await traffic_box.wait("call.ring", call_id=call_id)
            assert (await post(server, f"/v1/calls/{call_id}/accept", traffic)).status_code == 200
            await traffic_peer.join(call_id)
            await traffic_peer.connected()
            await asyncio.sleep(1)
            start = len(traffic_peer.got.audio)
            mayor_peer.speech.say(speech)
            await asyncio.sleep(len(speech) / 48_000 + 2)
            corr3, _ = best_correlation(speech, np.concatenate(traffic_peer.got.audio[start:]))
            assert corr3 > 0.6, corr3
            r = await post(server, f"/v1/calls/{call_id}/leave", traffic)
            assert r.status_code == 204, r.text
            left = await mayor_box.wait("call.left", call_id=call_id)
            assert "나갔습니다" in left["message"]
            call = (await get(server, f"/v1/calls/{call_id}", mayor)).json()
            states = {p["name"]: p["state"] for p in call["participants"]}
            assert call["status"] == "active" and states == {
                "서울시장": "joined",
                "재난안전과 김민수 과장": "joined",
                "교통정책과 이서연 과장": "left",
            }, call

            # "통화 종료" ends it for everyone; the minutes follow.
            ended = await say(server, mayor, "통화 종료", "call-1")
            assert "통화를 종료했습니다" in ended["text"]
            await safety_box.wait("call.ended", call_id=call_id)
        finally:
            for p in (mayor_peer, safety_peer, traffic_peer):
                await p.close()

        minutes = await get(server, f"/v1/calls/{call_id}/minutes", safety)
        assert minutes.status_code == 200, minutes.text
        m = minutes.json()
        assert {line["speaker"] for line in m["transcript"]} >= {"서울시장"} and m["title"].startswith("영상통화 회의록")
        assert set(m["participants"]) == {"서울시장", "재난안전과 김민수 과장", "교통정책과 이서연 과장"}
        await mayor_box.wait("call.minutes", call_id=call_id)

    # The recording is real audio: it decodes, and it is as long as the talking.
    with av.open(m["recording"]) as rec:
        samples = np.concatenate([f.to_ndarray()[0] for f in rec.decode(audio=0)])  # planar: the first channel
        assert rec.streams.audio[0].codec_context.name == "opus"
    assert len(samples) / 48_000 > 3 * len(speech) / 48_000
    assert best_correlation(speech, samples.astype(np.float32) / (np.abs(samples).max() or 1))[0] > 0.5
    # The minutes are in the reading room (internal: officers find them, citizens do not).
    async with httpx.AsyncClient(base_url=server["base"], timeout=60) as c:
        found = (await c.post("/v1/knowledge/search", json={"query": "영상통화 회의록 재난안전과 김민수", "k": 5}, headers=safety)).json()
        public = (await c.post("/v1/knowledge/search", json={"query": "영상통화 회의록 재난안전과 김민수", "k": 5})).json()
        audit = (await c.get("/v1/audit", params={"action": "call", "limit": 50}, headers=mayor)).json()
    assert any(f"call-{call_id}" in h["source"] for h in found), found
    assert not any(f"call-{call_id}" in h["source"] for h in public)
    actions = {(a["action"], a["username"]) for a in audit if a["target"] == call_id}
    assert {("call.start", "mayor"), ("call.accept", "ofc-001"), ("call.join", "ofc-001"), ("call.join", "mayor")} <= actions
    assert {("call.invite", "mayor"), ("call.accept", "ofc-002"), ("call.leave", "ofc-002"), ("call.end", "mayor")} <= actions


def test_hostile_signaling_gets_clear_korean_errors(server):
    async def go() -> None:
        mayor, safety, fire = headers(server, "mayor"), headers(server, "safety"), headers(server, "fire")
        async with Inbox(server, safety) as safety_box, Inbox(server, mayor) as mayor_box:
            call_id = await place_call(server, mayor, "hostile")
            await safety_box.wait("call.ring", call_id=call_id)
            offer = {"sdp": "v=0\r\nthis is not an offer", "type": "offer"}
            korean_error(await post(server, f"/v1/calls/{call_id}/offer", mayor, json=offer), 422, "invalid_sdp")
            broken = {"sdp": "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ice-ufrag:x\r\n", "type": "offer"}
            korean_error(await post(server, f"/v1/calls/{call_id}/offer", mayor, json=broken), 422, "invalid_sdp")
            korean_error(
                await post(server, f"/v1/calls/{call_id}/offer", mayor, json={"sdp": "v=0", "type": "answer"}), 422, "invalid_field"
            )
            korean_error(await post(server, f"/v1/calls/{call_id}/offer", safety, json=offer), 409, "call_not_accepted")
            korean_error(await post(server, "/v1/calls/00000000-0000-0000-0000-000000000000/accept", safety), 404, "call_not_found")
            korean_error(await get(server, "/v1/calls/nope", mayor), 404, "call_not_found")
            korean_error(await post(server, f"/v1/calls/{call_id}/accept", fire), 403, "call_forbidden")
            korean_error(await get(server, f"/v1/calls/{call_id}/minutes", fire), 403, "call_forbidden")
            korean_error(await post(server, f"/v1/calls/{call_id}/accept", None), 401, "not_authenticated")
            korean_error(await post(server, f"/v1/calls/{call_id}/end", safety), 403, "call_caller_only")
            korean_error(await get(server, f"/v1/calls/{call_id}/minutes", mayor), 404, "minutes_not_ready")
            # The officer declines: the mayor is told at once, the call ends, a late accept is refused.
            assert (await post(server, f"/v1/calls/{call_id}/decline", safety)).status_code == 200
            declined = await mayor_box.wait("call.declined", call_id=call_id)
            assert declined["message"] == "재난안전과 김민수 과장이 통화를 거절했습니다."
            await mayor_box.wait("call.ended", call_id=call_id)
            korean_error(await post(server, f"/v1/calls/{call_id}/accept", safety), 409, "call_ended")

    asyncio.run(go())


def test_unanswered_rings_become_missed_and_offline_officers_are_reported_at_once(server):
    async def go() -> None:
        mayor, safety = headers(server, "mayor"), headers(server, "safety")
        async with Inbox(server, mayor) as mayor_box:
            # Nobody from 재난안전과 is connected: the mayor hears it at once.
            offline_id = await place_call(server, mayor, "offline")
            off = await mayor_box.wait("call.offline", call_id=offline_id, seconds=10)
            assert "접속해 있지 않아" in off["message"]
            async with Inbox(server, safety) as safety_box:
                call_id = await place_call(server, mayor, "missed")
                await safety_box.wait("call.ring", call_id=call_id)
                missed = await mayor_box.wait("call.missed", call_id=call_id, seconds=RING_TIMEOUT_S + 30)
                assert missed["message"] == f"재난안전과 김민수 과장이 {RING_TIMEOUT_S}초 동안 받지 않았습니다."
                await safety_box.wait("call.missed", call_id=call_id)  # the officer's devices stop ringing
            call = (await get(server, f"/v1/calls/{call_id}", mayor)).json()
            assert call["status"] == "ended" and [p["state"] for p in call["participants"]] == ["left", "missed"]

    asyncio.run(go())


# -- Chromium as the field officer -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def korean_wav(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("wav") / "ko.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(path), "현장에 도착했습니다. 대피는 오후 세 시까지 마치기로 했습니다."], check=True)
    return path


class LoopThread:
    """An asyncio loop in a thread of its own (Playwright's sync API owns this thread's loop); made inside the
    namespace, the thread is in it too."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro, timeout: float = 120):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def test_chromium_answers_from_the_call_page_and_shows_the_mayors_video(server, korean_wav):
    from playwright.sync_api import sync_playwright

    base = server["base"]
    mayor = headers(server, "mayor")
    bg = LoopThread()
    mayor_peer = Peer(base, mayor)
    try:
        with sync_playwright() as pw:
            browser = chromium(pw, korean_wav)
            page = browser.new_context().new_page()
            page.goto(f"{base}/login")
            page.fill("input[name=username]", USERS["safety"])
            page.fill("input[name=password]", PASSWORD)
            page.keyboard.press("Enter")
            page.wait_for_url(lambda url: "/login" not in url, timeout=30_000)

            call_id = bg.run(place_call(server, mayor, "chromium"))
            page.goto(f"{base}/call/{call_id}")
            page.get_by_role("button", name="통화 받기").click()
            bg.run(mayor_peer.join(call_id))
            page.wait_for_function("document.getElementById('remote').videoWidth > 0", timeout=30_000)
            t0 = page.evaluate("document.getElementById('remote').currentTime")
            page.wait_for_function(f"document.getElementById('remote').currentTime > {t0}", timeout=30_000)  # frames keep coming
            assert page.evaluate("svsCall.pc.connectionState") == "connected"
            # The browser's fake microphone (Korean speech) reaches the mayor.
            bg.run(until(lambda: mayor_peer.got.first_loud is not None, 30))
            page.get_by_role("button", name="통화에서 나가기").click()
            page.wait_for_function("document.getElementById('status').textContent.includes('나왔습니다')")
            browser.close()
    finally:
        bg.run(mayor_peer.close())
        bg.close()


def test_a_denied_camera_is_explained_in_korean(server):
    from playwright.sync_api import sync_playwright

    bg = LoopThread()
    try:
        with sync_playwright() as pw:
            # No --use-fake-ui-for-media-stream: the permission prompt is refused, as when a user taps "block".
            browser = pw.chromium.launch(
                executable_path=shutil.which("chromium"),
                args=["--no-sandbox", "--use-fake-device-for-media-stream", "--deny-permission-prompts"],
            )
            page = browser.new_context().new_page()
            page.goto(f"{server['base']}/login")
            page.fill("input[name=username]", USERS["safety"])
            page.fill("input[name=password]", PASSWORD)
            page.keyboard.press("Enter")
            page.wait_for_url(lambda url: "/login" not in url, timeout=30_000)
            call_id = bg.run(place_call(server, headers(server, "mayor"), "denied"))
            page.goto(f"{server['base']}/call/{call_id}")
            page.get_by_role("button", name="통화 받기").click()
            alert = page.get_by_role("alert")
            alert.wait_for(state="visible", timeout=30_000)
            assert alert.text_content() == "카메라 권한이 거부되었습니다. 브라우저 주소창의 카메라 아이콘을 눌러 허용해 주세요."
            browser.close()
    finally:
        bg.close()


def wall_ask(page, text: str) -> str:
    """Type on the wall's chat and wait for its reply (returned)."""
    from playwright.sync_api import expect

    page.evaluate("document.querySelectorAll('[role=log] .msg.bot').forEach((m) => (m.dataset.seen = '1'))")
    page.fill("input[name=text]", text)
    page.press("input[name=text]", "Enter")
    reply = page.locator('[role="log"] .msg.bot:not([data-seen])')
    expect(reply).to_have_count(1, timeout=30_000)
    return reply.inner_text()


def test_the_mayor_shows_a_wall_screen_to_the_call_then_reads_its_minutes(server, korean_wav):
    """Chromium is the wall: it calls by chat, shares its screen by voice (the officer's aiortc peer decodes the
    wall's picture instead of the camera), stops with the button (the camera comes back), ends the call and asks
    for the minutes. Screenshots and the officer's decoded frames go to tests/artifacts/calls/."""
    from PIL import Image
    from playwright.sync_api import expect, sync_playwright

    out = Path(__file__).parent / "artifacts" / "calls"
    out.mkdir(parents=True, exist_ok=True)
    base, safety = server["base"], headers(server, "safety")
    bg = LoopThread()
    officer, inbox = Peer(base, safety, look=True), Inbox(server, safety)  # the officer's device: rings, then the call's events
    bg.run(inbox.__aenter__())

    def distance(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.abs(np.asarray(a) - np.asarray(b)).mean())

    try:
        with sync_playwright() as pw:
            browser = chromium(pw, korean_wav)
            page = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="ko-KR", timezone_id="Asia/Seoul").new_page()
            page.goto(f"{base}/login?next=/wall")
            page.fill("input[name=username]", USERS["mayor"])
            page.fill("input[name=password]", PASSWORD)
            page.keyboard.press("Enter")
            page.wait_for_url("**/wall", timeout=30_000)
            body = page.locator("body")
            expect(body).to_have_attribute("data-socket", "open", timeout=30_000)
            page.wait_for_selector("#map-main canvas")

            wall_ask(page, "재난안전과장 연결해줘")
            wall_ask(page, "응")
            expect(body).to_have_attribute("data-screen", "call")
            call_id = bg.run(inbox.wait("call.ring"))["call_id"]
            assert bg.run(post(server, f"/v1/calls/{call_id}/accept", safety)).status_code == 200
            bg.run(officer.join(call_id))
            bg.run(officer.connected())
            bg.run(until(lambda: len(officer.got.video_means) >= 10, 30))  # the wall's camera reaches the officer
            camera = officer.got.mean_color()
            Image.fromarray(officer.got.picture).save(out / "officer-sees-camera.png")

            # By voice: the wall shows the screen it showed before the call and sends that instead of the camera.
            assert "보여줍니다" in wall_ask(page, "이 화면 통화에 보여줘")
            expect(body).to_have_attribute("data-sharing", "true", timeout=30_000)
            expect(body).to_have_attribute("data-screen", "main")
            told = bg.run(inbox.wait("call.share", sharing=True))
            assert told["message"] == "시장님 화면 공유 중" and told["screen"] == "메인 화면", told
            page.wait_for_timeout(1000)  # the map and tiles as painted now
            shared = np.array(page.evaluate("svsShare.mean()"))
            assert distance(shared, camera) > 20, (shared, camera)  # the two pictures can be told apart
            bg.run(until(lambda: distance(officer.got.mean_color(3), shared) < distance(shared, camera) / 4, 30))
            Image.fromarray(officer.got.picture).save(out / "officer-sees-shared-wall.png")
            assert officer.got.video_size == (1280, 720), officer.got.video_size  # the share's own size, forwarded as sent
            page.screenshot(path=str(out / "wall-sharing.png"))
            frame = page.frame_locator("#call-frame")
            expect(frame.locator("#share-label")).to_have_text("시장님 화면 공유 중 · 메인 화면")

            # The button: the camera again, the wall back to the call, the officer told.
            page.get_by_role("button", name="공유 중지").click()
            expect(body).not_to_have_attribute("data-sharing", "true")
            expect(body).to_have_attribute("data-screen", "call")
            stopped = bg.run(inbox.wait("call.share", sharing=False))
            assert stopped["message"] == "시장님이 화면 공유를 마쳤습니다.", stopped
            bg.run(until(lambda: distance(officer.got.mean_color(3), camera) < distance(shared, camera) / 4, 30))
            expect(frame.locator("#share-label")).to_be_hidden()

            # The end, then "방금 통화 회의록 보여줘" on the wall: the minutes of this call.
            wall_ask(page, "통화 종료")
            bg.run(inbox.wait("call.minutes", seconds=60, call_id=call_id))
            said = wall_ask(page, "방금 통화 회의록 보여줘")
            assert "회의록입니다" in said and "참석: 서울시장, 재난안전과 김민수 과장" in said, said
            expect(body).to_have_attribute("data-screen", "minutes")
            minutes = page.locator("#minutes-detail")
            expect(minutes).to_contain_text("참석 서울시장, 재난안전과 김민수 과장")
            expect(minutes.get_by_role("link")).to_have_attribute("href", f"/v1/calls/{call_id}/minutes")
            page.wait_for_timeout(500)  # the screen's fade-in
            page.screenshot(path=str(out / "wall-minutes.png"))
            browser.close()
        audit = bg.run(get(server, "/v1/audit?action=call.share&limit=10", headers(server, "mayor"))).json()
        assert [a["detail"]["sharing"] for a in audit if a["target"] == call_id] == [False, True]  # newest first
    finally:
        bg.run(officer.close())
        bg.run(inbox.__aexit__(None, None, None))
        bg.close()


def test_the_call_page_needs_a_sign_in_and_an_invitation(server):
    with httpx.Client(base_url=server["base"], follow_redirects=False) as c:
        r = c.get("/call/abc")
        assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fcall%2Fabc"
        assert c.get("/call-assets/call.js").status_code == 200
        assert c.get("/call-assets/..%2Fsettings.py").status_code == 404


# -- through TURN only ----------------------------------------------------------------------------------------


@pytest.fixture
def turn(ns: Netns, tmp_path: Path):
    if not shutil.which("turnserver"):
        pytest.fail("coturn is needed (make test installs it)")
    port = free_port()
    proc = subprocess.Popen(
        [
            "turnserver", "-n", "--listening-ip=10.99.0.1", "--relay-ip=10.99.0.1", f"--listening-port={port}",
            "--lt-cred-mech", "--user=svs:turn-pass", "--realm=svs.test", "--no-tls", "--no-dtls", "--no-cli",
            "--allow-loopback-peers", f"--pidfile={tmp_path / 'turn.pid'}", "--log-file=stdout",
        ],
        stdout=open(tmp_path / "turn.log", "w"),  # noqa: SIM115 - the process owns it
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    time.sleep(0.5)
    yield f"turn:10.99.0.1:{port}?transport=udp"
    proc.terminate()
    proc.wait(10)


def test_a_call_connects_through_coturn_relays_only(server, turn, tmp_path):
    env = server["env"] | {
        "SECRETARY_TURN_URLS": json.dumps([turn]),
        "SECRETARY_TURN_USERNAME": "svs",
        "SECRETARY_TURN_PASSWORD": "turn-pass",
        "SECRETARY_ICE_RELAY_ONLY": "true",
        "SECRETARY_DATA_DIR": str(tmp_path / "data"),  # a server of its own (one data folder per process)
    }
    cli(env, "train")
    port = free_port()
    proc = serve(env, port, tmp_path / "relay.log")
    for name in USERS.values():
        cli(env, "users", "set-password", name, "--password-stdin", stdin=PASSWORD + "\n")
    relay_server = server | {"base": f"http://127.0.0.1:{port}", "port": port}

    async def go() -> None:
        mayor, safety = headers(relay_server, "mayor"), headers(relay_server, "safety")
        ice = (await get(relay_server, "/v1/calls/ice", safety)).json()
        assert ice["ice_transport_policy"] == "relay" and ice["ice_servers"][0]["urls"] == [turn]
        async with Inbox(relay_server, safety) as box:
            call_id = await place_call(relay_server, mayor, "relay")
            await box.wait("call.ring", call_id=call_id)
            assert (await post(relay_server, f"/v1/calls/{call_id}/accept", safety)).status_code == 200
            a, b = Peer(relay_server["base"], mayor), Peer(relay_server["base"], safety)
            try:
                await a.join(call_id)
                await b.join(call_id)
                await a.connected()
                await b.connected()
                cands = b.pc.getTransceivers()[0].sender.transport.transport.iceGatherer.getLocalCandidates()
                assert cands and {c.type for c in cands} == {"relay"}  # nothing but relayed candidates
                speech = korean_speech("서울시청 앞 교통 상황입니다.")
                a.speech.say(speech)
                await asyncio.sleep(len(speech) / 48_000 + 2)
                assert best_correlation(speech, b.got.samples())[0] > 0.6
            finally:
                await a.close()
                await b.close()

    try:
        asyncio.run(go())
    finally:
        stop(proc)
