"""The same dialogue and storage on a real PostgreSQL server (a throwaway cluster made by the test)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile

import pytest
from conftest import add_user, bearer, read_db, reset_caches, say
from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def postgres_url():
    bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    assert bindirs, "PostgreSQL is not installed: run `make test` (it installs it)"
    bindir = bindirs[-1]
    root = tempfile.mkdtemp(prefix="secretary-pg-")
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []  # initdb refuses root
    if as_pg:
        shutil.chown(root, "postgres")
    data = os.path.join(root, "data")
    subprocess.run(
        [*as_pg, f"{bindir}/initdb", "-D", data, "-U", "secretary", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
        check=True,
        capture_output=True,
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run(
        [
            *as_pg,
            f"{bindir}/pg_ctl",
            "-D",
            data,
            "-w",
            "-l",
            os.path.join(root, "log"),
            "-o",
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    yield f"postgresql+asyncpg://secretary@127.0.0.1:{port}/postgres"
    subprocess.run([*as_pg, f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "stop"], capture_output=True)
    shutil.rmtree(root, ignore_errors=True)


def test_dialogue_on_postgres(postgres_url, monkeypatch, sample):
    from assistant.app import create_app

    monkeypatch.setenv("SECRETARY_DATABASE_URL", postgres_url)
    reset_caches()
    first = sample["approvals"]["approvals"][0]
    with TestClient(create_app()) as c:
        assert c.get("/health").json()["database"] == "ok"
        add_user(c, "mayor", "mayor", "mayor-pass-2026")
        c.headers.update(bearer(c, "mayor", "mayor-pass-2026"))
        say(c, "결재 대기 목록 보여줘", session_id="pg")
        say(c, "첫 번째 문서 승인해", session_id="pg")
        assert "승인했습니다" in say(c, "응", session_id="pg")["text"]
        say(c, "재난안전과장 연결해줘", session_id="pg")
        assert say(c, "응", session_id="pg")["directives"][0]["type"] == "call.start"
        # nobody is signed in as that officer: the call ends at once as unanswerable, persisted with its audit rows
        assert say(c, "전화 끊어", session_id="pg")["text"] == "진행 중인 통화가 없습니다."
    reset_caches()
    with TestClient(create_app()) as c:  # restart: seeded once, the decision kept; sign-ins too
        c.headers.update(bearer(c, "mayor", "mayor-pass-2026"))
        assert [r["action"] for r in c.get("/v1/audit", params={"action": "approval"}).json()] == ["approval.approve"]
        assert {"call.start", "call.missed"} <= {r["action"] for r in c.get("/v1/audit", params={"action": "call"}).json()}
        items = say(c, "결재 대기 목록 보여줘", session_id="pg2")["data"]["items"]
        assert len(items) == 4 and first["title"] not in [i["title"] for i in items]
        turns = read_db(postgres_url, lambda s: s.turns("pg"))
        assert [t.intent for t in turns][:3] == ["approval_list", "approval_decide", "affirm"]
    reset_caches()
