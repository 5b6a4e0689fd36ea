"""Sign-in: tokens, cookies with CSRF, expiry, revocation, lockout, rate limits, session ownership, hostile input."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from conftest import add_user, bearer, read_db, reset_caches, say
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from assistant import security
from assistant.app import create_app
from assistant.config import Settings


def korean_error(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    body = r.json()["error"]
    assert body["code"] == code and body["message_en"]
    assert any("\uac00" <= ch <= "\ud7a3" for ch in body["message"]), body  # a Korean sentence for people
    return body


def test_password_flow_and_who_is_speaking(client, mayor):
    r = client.post("/v1/auth/token", data={"username": "mayor", "password": "mayor-pass-2026"})
    assert r.json()["token_type"] == "bearer" and r.json()["expires_in"] == 15 * 60 and r.json()["access_token"]
    assert client.get("/v1/auth/me", headers=mayor).json() == {
        "username": "mayor",
        "display_name": "서울시장",
        "role": "mayor",
        "department": None,
        "title": None,
    }
    korean_error(client.get("/v1/auth/me"), 401, "not_authenticated")
    korean_error(client.post("/v1/auth/token", data={"username": "mayor", "password": "nope-nope-nope"}), 401, "bad_credentials")
    korean_error(client.post("/v1/auth/token", data={"username": "nobody", "password": "nope-nope-nope"}), 401, "bad_credentials")
    assert say(client, "결재 대기 목록 보여줘", headers=mayor)["role"] == "mayor"
    # what a client says about itself never makes it the mayor
    out = client.post(
        "/webhooks/rest/webhook",
        json={"sender": "w1", "message": "결재 대기 목록 보여줘", "metadata": {"channel": "wall", "role": "mayor"}},
    )
    assert "공개 채널에서는" in out.json()[0]["text"]


def test_bad_and_expired_tokens_are_401(client, mayor):
    korean_error(client.get("/v1/auth/me", headers={"Authorization": "Bearer not.a.token"}), 401, "token_invalid")
    korean_error(client.get("/v1/auth/me", headers={"Authorization": "Basic bWF5b3I6eA=="}), 401, "token_invalid")
    settings: Settings = client.app.state.settings
    me = client.get("/v1/auth/me", headers=mayor).json()
    assert me["role"] == "mayor"
    claims = security.read_token(settings.signing_key(), mayor["Authorization"].split()[1])
    expired = security.make_token(settings.signing_key(), int(claims["sub"]), "mayor", claims["sid"], timedelta(seconds=-1))
    r = client.post("/v1/chat", json={"text": "안녕", "channel": "wall"}, headers={"Authorization": f"Bearer {expired}"})
    assert korean_error(r, 401, "token_invalid") and r.headers["www-authenticate"] == "Bearer"
    forged = security.make_token("another-key" * 4, int(claims["sub"]), "mayor", claims["sid"], timedelta(minutes=5))
    korean_error(client.get("/v1/auth/me", headers={"Authorization": f"Bearer {forged}"}), 401, "token_invalid")
    fresh = client.post("/v1/auth/refresh", headers=mayor)
    assert client.get("/v1/auth/me", headers={"Authorization": f"Bearer {fresh.json()['access_token']}"}).status_code == 200


def test_sign_out_disable_and_new_password_take_effect_at_once(client, mayor, admin, officer):
    assert client.post("/v1/auth/logout", headers=mayor).status_code == 204
    korean_error(client.get("/v1/auth/me", headers=mayor), 401, "token_invalid")
    second = bearer(client, "ofc-002", "officer-pass-2026")  # two sign-ins of one officer
    assert client.post("/v1/users/ofc-002/password", json={"password": "another-pass-2026"}, headers=admin).status_code == 204
    for headers in (officer, second):
        korean_error(client.get("/v1/auth/me", headers=headers), 401, "token_invalid")
    again = bearer(client, "ofc-002", "another-pass-2026")
    with client.websocket_connect("/v1/ws?channel=tablet", headers=again) as ws:
        assert ws.receive_json()["type"] == "hello"
        assert client.post("/v1/users/ofc-002/disable", headers=admin).status_code == 204
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 4401  # the open socket of a disabled account closes at once
    korean_error(client.get("/v1/auth/me", headers=again), 401, "token_invalid")
    korean_error(client.post("/v1/auth/token", data={"username": "ofc-002", "password": "another-pass-2026"}), 401, "bad_credentials")
    actions = [r["action"] for r in client.get("/v1/audit", headers=admin, params={"username": "root"}).json()]
    assert {"user.set_password", "user.disable"} <= set(actions)


def test_repeated_failures_slow_down_then_lock(client, mayor):
    for _ in range(5):
        korean_error(client.post("/v1/auth/token", data={"username": "mayor", "password": "wrong-password"}), 401, "bad_credentials")
    r = client.post("/v1/auth/token", data={"username": "mayor", "password": "mayor-pass-2026"})  # even the right one now
    body = korean_error(r, 429, "account_locked")
    assert int(r.headers["retry-after"]) > 0 and r.headers["retry-after"] in body["message"]
    assert client.get("/v1/auth/me", headers=mayor).status_code == 200  # sign-ins made before stay valid


def test_rate_limits_answer_429_with_retry_after(fresh_db, monkeypatch):
    monkeypatch.setenv("SECRETARY_LIMIT_CHAT", "3/minute")
    reset_caches()
    with TestClient(create_app()) as c:
        for _ in range(3):
            assert c.post("/v1/chat", json={"text": "안녕", "channel": "public"}).status_code == 200
        r = c.post("/v1/chat", json={"text": "안녕", "channel": "public"})
        korean_error(r, 429, "rate_limited")
        assert 0 < int(r.headers["retry-after"]) <= 60
        assert c.get("/health").status_code == 200  # other routes still answer


def test_cookie_sign_in_needs_csrf_and_our_origin_for_writes(client, mayor):
    r = client.post("/v1/auth/login", data={"username": "mayor", "password": "mayor-pass-2026"})
    assert r.status_code == 200 and r.json()["home"] == "/wall"
    cookie = r.headers.get_list("set-cookie")
    assert any(c.startswith("svs_session=") and "HttpOnly" in c and "SameSite=strict" in c for c in cookie)
    csrf = r.json()["csrf_token"]
    assert client.get("/v1/auth/me").json()["role"] == "mayor"  # the cookie signs in GETs
    korean_error(client.post("/v1/chat", json={"text": "결재 대기 목록 보여줘", "channel": "wall"}), 403, "csrf_failed")
    ok = client.post("/v1/chat", json={"text": "결재 대기 목록 보여줘", "channel": "wall"}, headers={"X-CSRF-Token": csrf})
    assert ok.json()["role"] == "mayor"
    foreign = {"X-CSRF-Token": csrf, "Origin": "https://evil.example"}
    korean_error(client.post("/v1/chat", json={"text": "안녕", "channel": "wall"}, headers=foreign), 403, "origin_forbidden")
    with client.websocket_connect("/v1/ws?channel=wall", headers={"Origin": "https://evil.example"}) as ws:
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 1008
    with client.websocket_connect("/v1/ws?channel=wall", headers={"Origin": "http://testserver"}) as ws:
        assert ws.receive_json()["user"]["role"] == "mayor"  # our own page's socket rides the cookie
    assert client.post("/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/v1/auth/me").status_code == 401


def test_sockets_reject_bad_tokens(client):
    with client.websocket_connect("/v1/ws", headers={"Authorization": "Bearer nope"}) as ws:
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 4401


def test_sessions_belong_to_who_made_them(client, mayor, officer):
    say(client, "결재 대기 목록 보여줘", session_id="mine", headers=mayor)
    assert "반려할까요?" in say(client, "두 번째 문서 반려해", session_id="mine", headers=mayor)["text"]
    for headers in (None, officer):  # a citizen or an officer who learns the id can neither continue nor cancel it
        r = client.post("/v1/chat", json={"text": "아니", "channel": "wall", "session_id": "mine"}, headers=headers)
        korean_error(r, 403, "session_forbidden")
    with client.websocket_connect("/v1/ws?channel=wall&session_id=mine") as ws:
        ws.receive_json()
        ws.send_json({"type": "chat", "text": "아니"})
        assert ws.receive_json()["error"]["code"] == "session_forbidden"
    assert "반려했습니다" in say(client, "응", session_id="mine", headers=mayor)["text"]


def test_confirmations_expire(fresh_db, monkeypatch):
    monkeypatch.setenv("SECRETARY_CONFIRM_TTL_S", "0")
    reset_caches()
    with TestClient(create_app()) as c:
        add_user(c, "mayor", "mayor", "mayor-pass-2026")
        c.headers.update(bearer(c, "mayor", "mayor-pass-2026"))
        say(c, "결재 대기 목록 보여줘", session_id="slow")
        say(c, "첫 번째 문서 승인해", session_id="slow")
        assert "확인 시간이 지나" in say(c, "응", session_id="slow")["text"]
        assert "결재 대기 5건" in say(c, "결재 대기 목록 보여줘", session_id="slow")["text"]
    assert read_db(fresh_db, lambda s: s.audit_rows("approval")) == []


def test_decisions_calls_and_screens_are_audited_with_who(client, mayor, admin):
    say(client, "결재 대기 목록 보여줘", session_id="a", headers=mayor)
    say(client, "첫 번째 문서 승인해", session_id="a", headers=mayor)
    say(client, "응", session_id="a", headers=mayor)
    say(client, "응", session_id="a", headers=mayor)  # nothing pending any more: not another decision
    say(client, "서울로 7017", session_id="a", headers=mayor)
    say(client, "재난안전과장 연결해줘", session_id="a", headers=mayor)
    say(client, "응", session_id="a", headers=mayor)
    rows = client.get("/v1/audit", headers=mayor).json()
    by_action = {r["action"]: r for r in rows}
    assert [r["action"] for r in rows if r["action"].startswith("approval")] == ["approval.approve"]
    for action in ("approval.approve", "screen.navigate", "call.start", "auth.signin"):
        row = by_action[action]
        assert row["username"] == "mayor" and row["role"] == "mayor" and row["client"] == "testclient" and row["at"], row
    assert by_action["approval.approve"]["channel"] == "wall" and by_action["approval.approve"]["session_id"] == "a"
    only_calls = client.get("/v1/audit", headers=admin, params={"action": "call"}).json()
    # No device of the officer is connected here: the server reports it at once (missed, then the call ends).
    assert [(r["action"], r["username"]) for r in only_calls] == [("call.end", "system"), ("call.missed", "system"), ("call.start", "mayor")]
    korean_error(client.get("/v1/audit"), 401, "not_authenticated")


def test_hostile_text_gets_a_clear_422_everywhere(client, mayor):
    lone = '{"text": "\\ud800 강남구", "channel": "public"}'
    korean_error(client.post("/v1/chat", content=lone, headers={"content-type": "application/json"}), 422, "invalid_text")
    korean_error(
        client.post("/model/parse", content='{"text": "\\udfff"}', headers={"content-type": "application/json"}), 422, "invalid_text"
    )
    hook = '{"sender": "s", "message": "안녕", "metadata": {"channel": "public", "x": "\\ud83d"}}'
    korean_error(client.post("/webhooks/rest/webhook", content=hook, headers={"content-type": "application/json"}), 422, "invalid_text")
    search = '{"query": "\\ud800"}'
    korean_error(client.post("/v1/knowledge/search", content=search, headers={"content-type": "application/json"}), 422, "invalid_text")
    with client.websocket_connect("/v1/ws?channel=public") as ws:
        ws.receive_json()
        ws.send_text('{"type": "chat", "text": "\\ud800"}')
        assert ws.receive_json()["error"]["code"] == "invalid_text"
        ws.send_json({"type": "chat", "text": "강남구 미세먼지"})
        assert ws.receive_json()["type"] == "reply"  # the socket survived


def test_chunked_bodies_are_counted_as_they_stream(client):
    def chunks():
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 1024
        yield b'", "channel": "public"}'

    r = client.post("/v1/chat", content=chunks(), headers={"content-type": "application/json"})
    korean_error(r, 413, "body_too_large")
    assert client.post("/v1/chat", json={"text": "안녕", "channel": "public"}).status_code == 200


def test_user_cli_contract(tmp_path):
    import os
    import subprocess

    from procs import BIN

    env = dict(os.environ, SECRETARY_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([str(BIN / "secretary"), "users", *args], input=stdin, env=env, capture_output=True, text=True)

    add = ["add", "kim", "--role", "officer", "--display-name", "김담당", "--department", "재난안전과", "--title", "주무관"]
    assert run(*add, "--password-stdin", stdin="kim-pass-2026\n").returncode == 0
    dup = run(*add, "--password-stdin", stdin="kim-pass-2026\n")
    assert dup.returncode == 1 and "이미 있는 사용자" in dup.stderr
    weak = run("add", "lee", "--role", "officer", "--password-stdin", stdin="short\n")
    assert weak.returncode == 1 and "10자 이상" in weak.stderr
    assert run("add", "lee", "--role", "emperor", "--password-stdin", stdin="lee-pass-2026\n").returncode == 1
    listed = run("list").stdout
    assert "kim" in listed and "재난안전과" in listed and "주무관" in listed
    assert run("set-password", "kim", "--password-stdin", stdin="kim-pass-2027\n").returncode == 0
    assert run("disable", "kim").returncode == 0 and "중지" in run("list").stdout
    assert run("disable", "ghost").returncode == 1
    rows = read_db(env["SECRETARY_DATABASE_URL"], lambda s: s.audit_rows(username="cli"))
    assert [r["action"] for r in rows] == ["user.disable", "user.set_password", "user.add"]
    assert all("password" not in str(r["detail"]) for r in rows)  # never a hash in the audit


def test_a_socket_flooding_frames_is_limited_and_kept(client):
    with client.websocket_connect("/v1/ws?channel=public") as ws:
        ws.receive_json()
        for _ in range(80):  # over 50 frames a second
            ws.send_json({"type": "ping"})
        kinds = Counter()
        for _ in range(80):
            frame = ws.receive_json()
            kinds[frame.get("error", {}).get("code", frame["type"])] += 1
        assert kinds["rate_limited"] > 0 and kinds["pong"] >= 50 and kinds["pong"] + kinds["rate_limited"] == 80
        threading.Event().wait(1.1)  # the next second's frames pass again
        ws.send_json({"type": "chat", "text": "강남구 미세먼지"})  # the socket stays
        while (frame := ws.receive_json())["type"] != "reply":
            pass


def test_too_many_sockets_from_one_address(client):
    from contextlib import ExitStack

    with ExitStack() as stack:
        socks = [stack.enter_context(client.websocket_connect("/v1/ws?channel=public")) for _ in range(8)]
        for s in socks:
            assert s.receive_json()["type"] == "hello"
        with client.websocket_connect("/v1/ws?channel=public") as extra:
            with pytest.raises(WebSocketDisconnect) as closed:
                extra.receive_json()
            assert closed.value.code == 4429
