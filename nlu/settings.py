"""The settings every package shares: where the data folder is. Each package adds its own on top."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class DataSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SECRETARY_", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir("seoul-voice-secretary")))

    @property
    def model_dir(self) -> Path:
        return self.data_dir / "models"
