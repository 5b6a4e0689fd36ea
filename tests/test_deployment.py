"""docker-compose.yml, read structurally (no Docker engine here to run `docker compose config`)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from assistant.config import Settings

REPO = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))


def test_services_and_their_links():
    services = COMPOSE["services"]
    assert {"assistant", "action-server", "rasa", "chroma", "postgres"} <= set(services)
    for name, svc in services.items():
        deps = svc.get("depends_on", [])
        assert set(deps) <= set(services), name
        for vol in svc.get("volumes", []):
            source = vol.split(":")[0]
            assert source in COMPOSE["volumes"] or (REPO / source).exists(), (name, vol)
    assert services["rasa"]["image"] == "rasa/rasa:3.6.21-full"
    rasa_cmd = services["rasa"]["command"][0]
    for path in ("nlu/config.yml", "nlu/domain.yml", "nlu/data", "nlu/endpoints.yml", "nlu/credentials.yml"):
        assert path in rasa_cmd and (REPO / path).exists()
    assert services["rasa"]["environment"]["ACTION_SERVER_URL"] == "http://action-server:5055/webhook"
    assert services["action-server"]["command"] == ["python", "-m", "rasa_sdk", "--actions", "actions", "--port", "5055"]


def interpolated(value: str) -> str:
    """What compose makes of ${VAR:-default} (the default) and ${VAR:?message} (a required value: a stand-in)."""
    value = re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", value)
    return re.sub(r"\$\{\w+:\?[^}]*\}", "required-value", value)


def test_environment_names_are_ones_the_settings_read(monkeypatch):
    for key, value in COMPOSE["services"]["assistant"]["environment"].items():
        monkeypatch.setenv(key, interpolated(str(value)))
    settings = Settings()
    assert settings.nlu == "rasa" and settings.rasa_url == "http://rasa:5005" and settings.chroma_url == "http://chroma:8000"
    assert settings.db_url.startswith("postgresql+asyncpg://secretary:")
    assert settings.secret_key == "required-value" and settings.cookie_secure  # one key for all replicas, required


def test_services_that_trust_metadata_publish_no_ports():
    for name in ("rasa", "action-server"):
        assert "ports" not in COMPOSE["services"][name], name
