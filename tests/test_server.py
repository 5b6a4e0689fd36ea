"""The real thing: `secretary serve` as a process on loopback, signed-in clients, the CLI."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import statistics
import time
from pathlib import Path

import httpx
import pytest
from conftest import read_db
from procs import BIN, PASSWORDS, add_accounts, cli, free_port, serve, stop, token


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    e = dict(os.environ)
    e["SECRETARY_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'server.db'}"
    e["SECRETARY_RATE_LIMITS"] = "false"  # these tests send bursts on purpose; the limits have their own tests
    return e


@pytest.fixture
def server(env: dict[str, str], tmp_path: Path):
    port = free_port()
    proc = serve(env, port, tmp_path / "server.log")
    add_accounts(env)
    base = f"http://127.0.0.1:{port}"
    yield {"base": base, "proc": proc, "port": port, "env": env, "log": tmp_path / "server.log"}
    if proc.poll() is None:
        stop(proc)


def chat(base: str, text: str, session: str, headers: dict[str, str] | None = None, channel: str = "wall") -> dict:
    r = httpx.post(f"{base}/v1/chat", json={"text": text, "channel": channel, "session_id": session}, headers=headers, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def test_decision_survives_a_server_restart(server):
    base, env = server["base"], server["env"]
    mayor = token(base, "mayor", PASSWORDS["mayor"])
    listed = chat(base, "결재 대기 목록 보여줘", "m", mayor)["data"]["items"]
    assert "반려할까요?" in chat(base, "세 번째 문서 반려해", "m", mayor)["text"]
    stop(server["proc"])
    proc = serve(env, server["port"])  # the pending question is part of the persisted session; the sign-in too
    try:
        assert "반려했습니다" in chat(base, "응", "m", mayor)["text"]
        left = chat(base, "결재 대기 목록 보여줘", "n", mayor)["data"]["items"]
        assert [d["id"] for d in left] == [d["id"] for d in listed if d["id"] != listed[2]["id"]]
    finally:
        stop(proc)


def test_fifty_concurrent_confirmations_decide_once(server):
    base = server["base"]
    mayor = token(base, "mayor", PASSWORDS["mayor"])
    sessions = [f"c{i}" for i in range(50)]
    for s in sessions:  # fifty sessions, each asked "…승인할까요?" about the same document
        chat(base, "결재 대기 목록 보여줘", s, mayor)
        assert "승인할까요?" in chat(base, "첫 번째 문서 승인해", s, mayor)["text"]

    async def all_yes() -> list[str]:
        async with httpx.AsyncClient(base_url=base, headers=mayor, timeout=120) as c:
            rs = await asyncio.gather(*(c.post("/v1/chat", json={"text": "응", "channel": "wall", "session_id": s}) for s in sessions))
        return [r.json()["text"] for r in rs]

    replies = asyncio.run(all_yes())
    assert sum("승인했습니다" in r for r in replies) == 1
    assert sum("이미 승인되었습니다" in r for r in replies) == 49
    rows = httpx.get(f"{base}/v1/audit", params={"action": "approval"}, headers=mayor).json()
    assert len(rows) == 1 and rows[0]["username"] == "mayor"


def test_a_decision_killed_mid_commit_is_all_or_nothing(server):
    base, env = server["base"], server["env"]
    mayor = token(base, "mayor", PASSWORDS["mayor"])
    chat(base, "결재 대기 목록 보여줘", "k", mayor)
    chat(base, "첫 번째 문서 승인해", "k", mayor)
    with httpx.Client(base_url=base, headers=mayor, timeout=5) as c:
        try:
            c.post("/v1/chat", json={"text": "응", "channel": "wall", "session_id": "k"}, timeout=0.01)
        except httpx.TimeoutException:
            pass
    server["proc"].send_signal(signal.SIGKILL)  # no clean shutdown
    server["proc"].wait()
    db = env["SECRETARY_DATABASE_URL"]
    doc = read_db(db, lambda s: s.approval(1))
    audited = read_db(db, lambda s: s.audit_rows("approval"))
    assert (doc["status"] == "approved") == (len(audited) == 1) and len(audited) <= 1  # decision and audit row together
    proc = serve(env, server["port"])
    try:
        again = chat(base, "응", "k", mayor)["text"]  # the user, unsure, says yes again
        assert (
            again in (f"「{doc['title']}」 문서를 승인했습니다.", f"「{doc['title']}」 문서는 이미 승인되었습니다.")
            or "확인할 작업" in again
        )
        assert ("승인했습니다" in again) == (doc["status"] == "pending")  # "done" is said once, by whichever turn decided
    finally:
        stop(proc)
    assert read_db(db, lambda s: s.approval(1))["status"] == "approved" and len(read_db(db, lambda s: s.audit_rows("approval"))) == 1


# What each role may do through each way in. Statuses: 200 (or the listed one) allowed, 401 anonymous, 403 too low.
ROUTES = {
    ("GET", "/v1/audit"): {"mayor", "admin"},
    ("GET", "/v1/users"): {"admin"},
    ("GET", "/metrics"): {"admin"},
    ("GET", "/v1/auth/me"): {"mayor", "officer", "admin"},
}
TURNS = {  # chat: what each role is answered (a refusal names who may)
    "결재 대기 목록 보여줘": {"mayor", "officer"},
    "첫 번째 문서 승인해": {"mayor"},
    "재난안전과장 연결해줘": {"mayor", "officer"},
    "광화문광장 CCTV 보여줘": {"mayor", "officer"},
    "서울로 7017": {"mayor"},
    "오늘 브리핑해줘": {"mayor", "officer"},
    "청렴도 알려줘": {"mayor", "officer", "admin"},  # an internal indicator
    "강남구 미세먼지 어때?": {"mayor", "officer", "admin", "citizen"},
}


def test_role_by_permission_matrix_on_every_way_in(server):
    base = server["base"]
    who = {role: token(base, name, PASSWORDS[role]) for role, name in (("mayor", "mayor"), ("officer", "park"), ("admin", "root"))}
    who["citizen"] = {}
    for (method, path), allowed in ROUTES.items():
        for role, headers in who.items():
            r = httpx.request(method, base + path, headers=headers, timeout=30)
            expected = 200 if role in allowed else 401 if role == "citizen" else 403
            assert r.status_code == expected, (role, path, r.text)
            if expected == 403:
                assert "만 사용할 수 있습니다" in r.json()["error"]["message"]
    refused = ("이용하실 수 없습니다", "만 사용할 수 있습니다", "권한")
    for text, allowed in TURNS.items():
        for role, headers in who.items():
            for way in ("chat", "webhook", "socket"):
                reply = ask(base, way, text, headers, f"{role}-{way}-{abs(hash(text))}")
                denied = any(r in reply for r in refused)
                assert denied == (role not in allowed), (role, way, text, reply)
    docs = {"query": "스마트시티 플랫폼 구축 비용", "k": 10}
    for role, headers in who.items():  # citizens search public documents only
        hits = httpx.post(f"{base}/v1/knowledge/search", json=docs, headers=headers, timeout=30).json()
        assert all(h["public"] for h in hits) == (role == "citizen"), role
    upload = {"files": ("note.md", "# 메모\n\n제설차 12대를 배치한다.\n".encode(), "text/markdown")}
    for role, headers in who.items():
        r = httpx.post(f"{base}/v1/knowledge/documents", files=upload, headers=headers, timeout=60)
        assert r.status_code == (201 if role == "admin" else 401 if role == "citizen" else 403), (role, r.text)
    assert httpx.get(f"{base}/v1/audit", params={"action": "ingest"}, headers=who["admin"]).json()[0]["username"] == "root"


def ask(base: str, way: str, text: str, headers: dict[str, str], session: str) -> str:
    if way == "chat":
        return chat(base, text, session, headers)["text"]
    if way == "webhook":
        r = httpx.post(
            f"{base}/webhooks/rest/webhook",
            json={"sender": session, "message": text, "metadata": {"channel": "wall", "role": "mayor", "user": "mayor"}},
            headers=headers,
            timeout=30,
        )
        return " ".join(m.get("text", "") for m in r.json())
    from websockets.sync.client import connect

    with connect(f"ws://127.0.0.1:{base.rsplit(':', 1)[1]}/v1/ws?channel=wall&session_id={session}", additional_headers=headers) as ws:
        json.loads(ws.recv())  # hello
        ws.send(json.dumps({"type": "chat", "text": text}))
        while (frame := json.loads(ws.recv()))["type"] != "reply":
            pass
        return frame["text"]


def test_an_opus_flood_does_not_stall_other_clients(server):
    """One anonymous socket streams random 'Opus' while another client polls /health: the server stays responsive."""
    from websockets.sync.client import connect

    base = server["base"]
    url = f"ws://127.0.0.1:{server['port']}/v1/ws?channel=public"

    def health_ms(n: int) -> list[float]:
        out = []
        for _ in range(n):
            t = time.perf_counter()
            assert httpx.get(f"{base}/health", timeout=10).status_code == 200
            out.append((time.perf_counter() - t) * 1000)
        return out

    quiet = health_ms(20)
    stop_flag = False

    def flood() -> int:
        sent = 0
        with connect(url) as ws:
            ws.recv()
            while not stop_flag:
                ws.send(json.dumps({"type": "audio.start", "format": "opus"}))
                for _ in range(20):
                    ws.send(os.urandom(16_000))
                    sent += 1
                while True:  # read the error frames, as a client must, or the server closes a socket that does not read
                    try:
                        ws.recv(timeout=0)
                    except TimeoutError:
                        break
        return sent

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        flooding = pool.submit(flood)
        time.sleep(0.5)
        loud = health_ms(40)
        stop_flag = True
        frames = flooding.result(timeout=60)
    print(
        f"\n[flood] {frames} random frames; /health p50 quiet {statistics.median(quiet):.1f} ms, during flood {statistics.median(loud):.1f} ms"
    )
    # the bar is 100 ms; a loaded CI machine may be slower even when quiet, so the bar follows the quiet figure
    assert frames > 100 and statistics.median(loud) < max(100, 2 * statistics.median(quiet))


def test_parse_reads_stdin_line_by_line(env):
    lines = "강남구 미세먼지 어때?\n\n서울로 7017\n첫 번째 문서 승인해\n"
    out = cli(env, "parse", "--json", "-", stdin=lines)
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    assert [r.get("intent", {}).get("name") for r in rows] == ["air_quality", None, "navigate", "approval_decide"]
    assert rows[1]["error"] == "empty"
    assert {(e["entity"], e["value"]) for e in rows[3]["entities"]} == {("doc_number", 1), ("decision", "approve")}


def test_ask_and_bad_channel(env):
    out = cli(env, "ask", "송파구 날씨 어때", "--channel", "watch")
    assert out.stdout.startswith("송파구 ") and "℃" in out.stdout and len(out.stdout.strip().splitlines()) == 1
    bad = cli(env, "ask", "안녕", "--channel", "fax", check=False)
    assert bad.returncode == 2 and "알 수 없는 채널" in bad.stderr
    mayor = cli(env, "ask", "결재 대기 목록 보여줘", "--user", "mayor")  # a local operator acts as an account
    assert "결재 대기" in mayor.stdout and (BIN / "secretary").exists()
