"""Settings from the environment (SECRETARY_*, plus the city's own variable names).

One object for the whole server, made of each package's own settings class, so that lower packages
take theirs as an argument and never import this module.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field

from actions.settings import CitySettings
from knowledge.settings import KnowledgeSettings
from voice.settings import VoiceSettings
from webrtc.settings import CallSettings


class Settings(CitySettings, KnowledgeSettings, VoiceSettings, CallSettings):
    host: str = "127.0.0.1"
    port: int = 8000
    nlu: Literal["embedded", "rasa"] = "embedded"
    nlu_threshold: float = 0.15
    rasa_url: str = Field(default="http://127.0.0.1:5005", validation_alias=AliasChoices("RASA_URL", "SECRETARY_RASA_URL"))
    rasa_timeout_s: float = 30.0
    max_text_chars: int = 1000
    session_ttl_hours: float = 12  # an idle conversation forgets its context (Rasa's session_expiration_time)

    # sign-in
    secret_key: str | None = None  # signs tokens; unset: a random key kept in data_dir/secret.key (one per installation)
    token_ttl_minutes: float = 15  # bearer tokens are short-lived; browser cookies renew while the sign-in lasts
    signin_ttl_hours: float = 12  # how long a sign-in lasts at most (the wall screen's working day)
    cookie_secure: bool = False  # set on HTTPS deployments: cookies only over HTTPS
    allowed_origins: list[str] = []  # extra origins allowed for cookie writes and WebSockets (the server's own always is)
    lockout_failures: int = 5  # failed sign-ins (same name and address) before the account locks for that address
    lockout_minutes: float = 15

    # limits per client address and per user (the `limits` library's notation)
    rate_limits: bool = True
    rate_storage: str = "memory://"  # e.g. redis://redis:6379 to share limits across replicas
    limit_chat: str = "60/minute"
    limit_voice: str = "20/minute"
    limit_search: str = "60/minute"
    limit_signin: str = "10/minute"
    limit_ws_frames: str = "50/second"
    limit_ws_connections: int = 8  # open sockets per address

    def signing_key(self) -> str:
        if self.secret_key:
            return self.secret_key
        path: Path = self.data_dir / "secret.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        self.secret_key = path.read_text().strip()  # read once: it is asked for on every authenticated request
        return self.secret_key


@lru_cache
def get_settings() -> Settings:
    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings
