"""The real thing: `secretary serve` as a process on loopback, and the CLI."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(env: dict[str, str], port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [str(BIN / "secretary"), "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    for _ in range(600):  # up to a minute for the first start (Kiwi, NLU model)
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            pytest.fail(proc.stdout.read())
        time.sleep(0.1)
    proc.kill()
    pytest.fail("server did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    e = dict(os.environ)
    e["SECRETARY_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'server.db'}"
    return e


def chat(port: int, text: str, session: str) -> dict:
    r = httpx.post(f"http://127.0.0.1:{port}/v1/chat", json={"text": text, "channel": "wall", "session_id": session}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def test_decision_survives_a_server_restart(env):
    port = free_port()
    proc = start(env, port)
    try:
        listed = chat(port, "결재 대기 목록 보여줘", "m")["data"]["items"]
        assert "반려할까요?" in chat(port, "세 번째 문서 반려해", "m")["text"]
    finally:
        stop(proc)
    proc = start(env, port)  # the pending question is part of the persisted session
    try:
        assert "반려했습니다" in chat(port, "응", "m")["text"]
    finally:
        stop(proc)
    proc = start(env, port)
    try:
        left = chat(port, "결재 대기 목록 보여줘", "n")["data"]["items"]
        assert [d["id"] for d in left] == [d["id"] for d in listed if d["id"] != listed[2]["id"]]
    finally:
        stop(proc)


def test_parse_reads_stdin_line_by_line(env):
    lines = "강남구 미세먼지 어때?\n\n서울로 7017\n첫 번째 문서 승인해\n"
    out = subprocess.run([str(BIN / "secretary"), "parse", "--json", "-"], input=lines, env=env, capture_output=True, text=True, check=True)
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    assert [r.get("intent", {}).get("name") for r in rows] == ["air_quality", None, "navigate", "approval_decide"]
    assert rows[1]["error"] == "empty"
    assert {(e["entity"], e["value"]) for e in rows[3]["entities"]} == {("doc_number", 1), ("decision", "approve")}


def test_ask_and_bad_channel(env):
    out = subprocess.run(
        [str(BIN / "secretary"), "ask", "송파구 날씨 어때", "--channel", "watch"], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("송파구 ") and "℃" in out.stdout and len(out.stdout.strip().splitlines()) == 1
    bad = subprocess.run([str(BIN / "secretary"), "ask", "안녕", "--channel", "fax"], env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and "알 수 없는 채널" in bad.stderr
