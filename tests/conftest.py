"""Test set-up: state in a temporary data folder, one trained NLU model per run, a fresh database per test."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ["SECRETARY_DATA_DIR"] = tempfile.mkdtemp(prefix="secretary-test-")
os.environ["ORT_DISABLE_TELEMETRY"] = "1"
for var in ("SEOUL_OPENAPI_KEY", "SAFETYDATA_SERVICE_KEY", "SECRETARY_DATABASE_URL"):
    os.environ.pop(var, None)


def reset_caches() -> None:
    """Settings, the reading room and the actions' records are set per app; tests change their env."""
    import actions
    import knowledge
    from assistant import config

    config.get_settings.cache_clear()
    knowledge.use(None)
    actions.deps.use()


@pytest.fixture
def fresh_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'secretary.db'}"
    monkeypatch.setenv("SECRETARY_DATABASE_URL", url)
    reset_caches()
    yield url
    reset_caches()


@pytest.fixture
def client(fresh_db: str):
    """An anonymous client (a citizen) of a new app on a new database."""
    from fastapi.testclient import TestClient

    from assistant.app import create_app

    with TestClient(create_app()) as c:
        yield c


def add_user(client, username: str, role: str, password: str, **fields) -> None:
    """An account in the app's database, made on the app's own event loop."""
    from actions.records import Actor
    from assistant import users

    storage = client.app.state.storage
    actor = Actor("test", "admin")

    async def add() -> None:
        if await storage.user_by_name(username):
            await users.set_password(storage, actor, username, password)
        else:
            await users.add(storage, actor, username, role, password, **fields)

    client.portal.call(add)


def bearer(client, username: str, password: str) -> dict[str, str]:
    r = client.post("/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.fixture
def mayor(client) -> dict[str, str]:
    """The mayor's bearer headers (the first start made the account; the test sets its password)."""
    add_user(client, "mayor", "mayor", "mayor-pass-2026")
    return bearer(client, "mayor", "mayor-pass-2026")


@pytest.fixture
def officer(client) -> dict[str, str]:
    """An officer from the sample directory (이서연, 교통정책과 과장), signed in."""
    add_user(client, "ofc-002", "officer", "officer-pass-2026")
    return bearer(client, "ofc-002", "officer-pass-2026")


@pytest.fixture
def admin(client) -> dict[str, str]:
    add_user(client, "root", "admin", "admin-pass-2026", display_name="관리자")
    return bearer(client, "root", "admin-pass-2026")


@pytest.fixture(scope="session")
def engine():
    from assistant import get_settings
    from nlu import load_or_train

    return load_or_train(get_settings().model_dir)


@pytest.fixture(scope="session")
def sample():
    from actions import SampleCityData

    return SampleCityData().files


@pytest.fixture(scope="session")
def knowledge_store():
    """The shipped sample corpus, ingested once into the session's data folder."""
    import knowledge

    results = knowledge.ingest_sample_corpus()
    assert all(r.status in ("added", "unchanged") for r in results), results
    return knowledge.get_store()


def read_db(url: str, query):
    """Run `query(storage)` on its own connection (outside an app: a database a server process wrote)."""
    import asyncio

    from assistant.storage import Storage

    async def go():
        storage = Storage(url)
        try:
            return await query(storage)
        finally:
            await storage.close()

    return asyncio.run(go())


def say(client, text: str, channel: str = "wall", session_id: str = "t1", headers: dict | None = None) -> dict:
    r = client.post("/v1/chat", json={"text": text, "channel": channel, "session_id": session_id}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()
