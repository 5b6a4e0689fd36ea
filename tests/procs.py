"""Real processes for tests: free ports, `secretary serve` started and stopped, accounts made with the CLI."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

BIN = Path(sys.executable).parent
PASSWORDS = {"mayor": "mayor-pass-2026", "officer": "officer-pass-2026", "admin": "admin-pass-2026"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{proc.args[0]} exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail(f"{url} did not come up in {seconds:.0f}s")


def serve(env: dict[str, str], port: int, log: Path | None = None) -> subprocess.Popen:
    """`secretary serve` on loopback, up and answering /health (a first start trains the NLU: tens of seconds on a
    busy 2-core machine, hence the generous wait; tests that can share the session's model use the `engine` fixture)."""
    out = open(log, "a") if log else subprocess.DEVNULL  # noqa: SIM115 - the process owns it
    proc = subprocess.Popen([str(BIN / "secretary"), "serve", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    wait_for(f"http://127.0.0.1:{port}/health", proc, 240)
    return proc


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def cli(env: dict[str, str], *args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "secretary"), *args], input=stdin, env=env, capture_output=True, text=True, check=check)


def add_accounts(env: dict[str, str]) -> None:
    """The mayor (made on first start: a new password), an officer of 재난안전과 and an admin, through the CLI."""
    cli(env, "users", "set-password", "mayor", "--password-stdin", stdin=PASSWORDS["mayor"] + "\n")
    cli(env, "users", "add", "park", "--role", "officer", "--display-name", "박현우", "--department", "교통정책과", "--title", "주무관",
        "--password-stdin", stdin=PASSWORDS["officer"] + "\n")  # fmt: skip
    cli(env, "users", "add", "root", "--role", "admin", "--display-name", "관리자", "--password-stdin", stdin=PASSWORDS["admin"] + "\n")


def token(base: str, username: str, password: str) -> dict[str, str]:
    r = httpx.post(f"{base}/v1/auth/token", data={"username": username, "password": password}, timeout=30)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def chromium(playwright: Any, wav: Path) -> Any:
    """Debian's chromium with a fake camera and a fake microphone reading `wav`; media allowed without a prompt."""
    return playwright.chromium.launch(
        executable_path=shutil.which("chromium"),
        args=[
            "--no-sandbox",
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}",
            "--autoplay-policy=no-user-gesture-required",
        ],
    )
