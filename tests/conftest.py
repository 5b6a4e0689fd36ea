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
    """Settings, storages and the city data source are cached per process; tests change their env."""
    import actions.citydata
    import knowledge
    from assistant import config, storage

    config.get_settings.cache_clear()
    knowledge.get_store.cache_clear()
    storage._storages.clear()
    actions.citydata.get_city_data.cache_clear()


@pytest.fixture
def fresh_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'secretary.db'}"
    monkeypatch.setenv("SECRETARY_DATABASE_URL", url)
    reset_caches()
    yield url
    reset_caches()


@pytest.fixture
def client(fresh_db: str):
    from fastapi.testclient import TestClient

    from assistant.app import create_app

    with TestClient(create_app()) as c:
        yield c


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
    """Run `query(storage)` on its own connection: the app's pool belongs to the app's event loop."""
    import asyncio

    from assistant.storage import Storage

    async def go():
        storage = Storage(url)
        try:
            return await query(storage)
        finally:
            await storage.close()

    return asyncio.run(go())


def say(client, text: str, channel: str = "wall", session_id: str = "t1") -> dict:
    r = client.post("/v1/chat", json={"text": text, "channel": channel, "session_id": session_id})
    assert r.status_code == 200, r.text
    return r.json()
