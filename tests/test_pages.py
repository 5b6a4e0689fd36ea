"""The pages in a real browser: Debian's chromium driven by Playwright against a real `secretary serve`.

Chromium's fake capture device plays a Korean WAV from espeak-ng as the microphone; the server runs a random
Whisper of the real architecture (tests/random_models.py), so the voice path is real end to end. Screenshots of
every page go to tests/artifacts/pages/ (look at them: the README's come from there).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
import random_models
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from procs import PASSWORDS, add_accounts, chromium, free_port, serve, stop, token

from voice.audio import to_wav
from voice.tts import EspeakNG

ARTIFACTS = Path(__file__).parent / "artifacts" / "pages"
WALL_VIEW = {"width": 1920, "height": 1080}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, engine) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("pages")
    models = Path(os.environ["SECRETARY_DATA_DIR"]) / "models"
    models.mkdir(parents=True, exist_ok=True)
    (tmp / "data").mkdir()
    (tmp / "data" / "models").symlink_to(models, target_is_directory=True)
    env = dict(os.environ, SECRETARY_DATA_DIR=str(tmp / "data"), SECRETARY_DATABASE_URL=f"sqlite+aiosqlite:///{tmp / 'pages.db'}")
    env["SECRETARY_ASR_MODEL"] = str(random_models.whisper_checkpoint(tmp / "tiny-random.pt"))
    env["SECRETARY_RATE_LIMITS"] = "false"  # every page of every test comes from one address
    port = free_port()
    proc = serve(env, port, tmp / "server.log")
    add_accounts(env)
    yield f"http://127.0.0.1:{port}"
    stop(proc)


@pytest.fixture(scope="module")
def korean_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    samples, rate = EspeakNG().synthesize("강남구 미세먼지 어때?")
    silence = np.zeros(rate, dtype=np.float32)  # a second of silence after: the server hears the end of the turn
    path = tmp_path_factory.mktemp("wav") / "ko.wav"
    path.write_bytes(to_wav(np.concatenate([silence[: rate // 2], samples, silence]), rate))
    return path


@pytest.fixture(scope="module")
def browser(korean_wav: Path) -> Iterator[Browser]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = chromium(p, korean_wav)
        yield b
        b.close()


class Console:
    """Every console error and uncaught exception of a page."""

    def __init__(self, page: Page):
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul")
    yield ctx
    ctx.close()


def sign_in(page: Page, base: str, username: str, password: str, target: str = "") -> None:
    page.goto(f"{base}/login{f'?next={target}' if target else ''}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def ask(page: Page, text: str) -> None:
    page.evaluate("document.querySelectorAll('[role=log] .msg.bot').forEach((m) => (m.dataset.seen = '1'))")
    page.fill("input[name=text]", text)
    page.press("input[name=text]", "Enter")
    expect(page.locator('[role="log"] .msg.bot:not([data-seen])')).to_have_count(1, timeout=20_000)


# -- every page ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "who", "viewport", "ready"),
    [
        ("/", None, {"width": 1280, "height": 900}, "#tiles .tile"),
        ("/", None, {"width": 390, "height": 844}, "#tiles .tile"),  # a phone
        ("/kiosk", None, {"width": 1080, "height": 1920}, ".quick button"),  # a portrait station screen
        ("/login", None, {"width": 1280, "height": 800}, "input[name=password]"),
        ("/wall", "mayor", WALL_VIEW, "#map-main canvas"),
        ("/wall", "mayor", {"width": 3840, "height": 1080}, "#map-main canvas"),  # ultra-wide
        ("/tablet", "park", {"width": 1024, "height": 768}, "#notices"),
        ("/watch", "park", {"width": 240, "height": 280}, "#mic"),
    ],
    ids=["public", "public-phone", "kiosk", "login", "wall", "wall-ultrawide", "tablet", "watch"],
)
def test_every_page_loads_without_console_errors(server, context, path, who, viewport, ready):
    page = context.new_page()
    console = Console(page)
    page.set_viewport_size(viewport)
    if who:
        sign_in(page, server, who, PASSWORDS["officer" if who == "park" else who], path)
        page.wait_for_url(f"**{path}")
    else:
        page.goto(server + path)
    page.wait_for_selector(ready)
    if path != "/login":
        expect(page.locator("input[name=text]")).to_be_visible()
        expect(page.locator('[role="log"]')).to_have_count(1)
        expect(page.locator("body")).to_have_attribute("data-socket", "open")
    page.wait_for_timeout(500)  # charts and tiles settle
    shot(page, f"{path.strip('/') or 'public'}-{viewport['width']}x{viewport['height']}")
    assert console.errors == []


def test_sign_in_lands_each_role_on_its_page_and_sign_out_ends_it(server, context):
    page = context.new_page()
    sign_in(page, server, "mayor", "wrong-password")
    expect(page.locator(".error")).to_have_text("아이디 또는 비밀번호가 올바르지 않습니다.")
    sign_in(page, server, "mayor", PASSWORDS["mayor"])
    page.wait_for_url("**/wall")
    expect(page.locator("body")).to_have_attribute("data-screen", "main")
    page.click("#signout")
    page.wait_for_url("**/login")
    page.goto(server + "/wall")
    page.wait_for_url("**/login?next=/wall")  # signed out: the wall asks for a sign-in again

    sign_in(page, server, "park", PASSWORDS["officer"])
    page.wait_for_url("**/tablet")
    r = page.goto(server + "/wall")
    assert r and r.status == 403 and "시장만" in page.inner_text("main")
    sign_in(page, server, "park", PASSWORDS["officer"], "//evil.example/")  # no open redirect
    page.wait_for_url("**/tablet")


def test_the_wall_follows_a_directive_from_another_device(server, context):
    page = context.new_page()
    page.set_viewport_size(WALL_VIEW)
    sign_in(page, server, "mayor", PASSWORDS["mayor"], "/wall")
    page.wait_for_url("**/wall")
    expect(page.locator("body")).to_have_attribute("data-socket", "open")
    mayor = token(server, "mayor", PASSWORDS["mayor"])
    cases = [
        ("서울로 7017", "project", "서울로 7017"),
        ("결재 대기 문서 보여줘", "approvals", "결재 대기"),
        ("메인 화면으로 가줘", "main", "메인"),
    ]
    for text, screen, title in cases:  # from the mayor's watch, not from the wall page
        r = httpx.post(f"{server}/v1/chat", json={"text": text, "channel": "watch"}, headers=mayor, timeout=30)
        assert r.status_code == 200, r.text
        expect(page.locator("body")).to_have_attribute("data-screen", screen, timeout=5000)
        expect(page.locator("#screen-title")).to_contain_text(title)
        shot(page, f"wall-{screen}")
    # A citizen's turn never moves the wall.
    httpx.post(f"{server}/v1/chat", json={"text": "서울로 7017", "channel": "wall"}, timeout=30)
    page.wait_for_timeout(500)
    expect(page.locator("body")).to_have_attribute("data-screen", "main")


def test_the_public_chat_cites_a_passage_that_opens(server, context):
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + "/")
    ask(page, "미세먼지 계절관리제 기간에 5등급 차량이 운행하면 과태료가 얼마예요?")
    reply = page.locator('[role="log"] .msg.bot').last
    expect(reply).to_contain_text("10만 원")
    link = reply.locator("a.citation").first
    expect(link).to_contain_text("대기질 개선 백서")
    href = link.get_attribute("href") or ""
    assert re.fullmatch(r"/documents/[0-9a-f]{16}#p\d+", href)
    page.goto(server + href)
    passage = page.locator(f"#{href.split('#')[1]}")
    expect(passage).to_be_focused()
    expect(passage).to_contain_text("10만 원")
    shot(page, "document")


def test_the_kiosk_resets_after_being_left_alone(server, context):
    page = context.new_page()
    page.goto(server + "/kiosk?idle=2")
    ask(page, "오늘 서울 날씨 어때요?")
    first = page.evaluate("sessionStorage.getItem('svs-session-kiosk')")
    assert first
    expect(page.locator("body")).to_have_attribute("data-resets", "1", timeout=6000)
    expect(page.locator('[role="log"] .msg')).to_have_count(0)
    ask(page, "지하철 2호선 정상 운행하나요?")
    assert page.evaluate("sessionStorage.getItem('svs-session-kiosk')") not in (None, first)  # a new session


def test_the_watch_shows_one_line(server, context):
    page = context.new_page()
    page.set_viewport_size({"width": 240, "height": 280})
    sign_in(page, server, "park", PASSWORDS["officer"], "/watch")
    page.wait_for_url("**/watch")
    for text in ("강남구 미세먼지 어때?", "지하철 2호선 운행 상황 알려줘"):
        ask(page, text)
        line = page.locator('[role="log"] .msg.bot .text').last
        assert len(line.inner_text()) <= 40
        box = line.bounding_box()
        line_height = float(page.evaluate("(e) => parseFloat(getComputedStyle(e).lineHeight)", line.element_handle()))
        assert box and box["height"] <= line_height * 1.2  # one line on the screen
    expect(page.locator('[role="log"] .msg.bot')).to_have_count(1)
    shot(page, "watch-reply")


def test_the_microphone_streams_a_voice_turn_and_the_reply_plays(server, context):
    page = context.new_page()
    page.set_viewport_size(WALL_VIEW)
    console = Console(page)
    frames: list[str] = []  # what the server said, for the failure message
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f)[:120])))
    sign_in(page, server, "mayor", PASSWORDS["mayor"], "/wall")
    page.wait_for_url("**/wall")
    expect(page.locator("body")).to_have_attribute("data-socket", "open")
    page.click("#mic")
    expect(page.locator("#mic")).to_have_attribute("aria-pressed", "true")
    # The fake microphone plays espeak-ng's Korean; the server's VAD hears its end and the random Whisper transcribes it.
    final = page.locator('[role="log"] .msg.user[data-source="voice"]')
    try:
        expect(final).to_have_count(1, timeout=60_000)
    except AssertionError:
        raise AssertionError(f"no final transcript; the server's first frames: {frames[:8]} ({len(frames)} in all)") from None
    assert final.inner_text().strip()  # whatever the random model heard: not checked for meaning
    expect(page.locator("#mic")).to_have_attribute("aria-pressed", "false")  # the server ended the turn
    expect(page.locator('[role="log"] .msg.bot')).to_have_count(1, timeout=30_000)
    expect(page.locator("body")).to_have_attribute("data-played", re.compile(r"[1-9]\d*"), timeout=30_000)  # a sentence played
    shot(page, "wall-voice")
    assert console.errors == []


def test_a_denied_microphone_says_what_to_do(server, browser):
    ctx = browser.new_context(permissions=[])
    page = ctx.new_page()
    # What a browser answers when the person clicked "block" on the microphone prompt.
    page.add_init_script("navigator.mediaDevices.getUserMedia = async () => { throw new DOMException('denied', 'NotAllowedError'); };")
    page.goto(server + "/")
    expect(page.locator("body")).to_have_attribute("data-socket", "open")
    page.click("#mic")
    expect(page.locator("#status")).to_contain_text("마이크 권한이 거부되었습니다")
    ctx.close()


def test_errors_reach_the_person_in_korean(server, context):
    page = context.new_page()
    # A network that drops every socket: the page says so, keeps retrying, and sends turns over HTTP meanwhile.
    page.add_init_script("window.WebSocket = class { constructor() { setTimeout(() => this.onclose({ code: 1006 }), 10); } send() {} };")
    page.goto(server + "/")
    expect(page.locator("#status")).to_contain_text("서버에 연결할 수 없습니다")
    limited = {"error": {"code": "rate_limited", "message": "요청이 너무 많습니다. 7초 뒤에 다시 시도해 주세요."}}
    page.route("**/v1/chat", lambda route: route.fulfill(status=429, json=limited, headers={"Retry-After": "7"}))
    page.fill("input[name=text]", "강남구 날씨")
    page.press("input[name=text]", "Enter")
    expect(page.locator("#status")).to_contain_text("7초 뒤에")
    page.unroute("**/v1/chat")
    page.route("**/v1/chat", lambda route: route.abort())
    page.fill("input[name=text]", "강남구 날씨")
    page.press("input[name=text]", "Enter")
    expect(page.locator("#status")).to_contain_text("서버에 연결할 수 없습니다")


@pytest.mark.parametrize("path", ["/", "/kiosk"])
def test_public_pages_have_no_serious_accessibility_violations(server, context, path):
    page = context.new_page()
    page.goto(server + path)
    page.wait_for_selector("input[name=text]")
    if path == "/":
        page.wait_for_selector("#tiles .tile")
        ask(page, "강남구 미세먼지 어때요?")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()
