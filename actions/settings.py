"""What the actions need: the database (directory, approvals, calls, audit) and the city's data services.

The assistant's Settings extend this class; a rasa-sdk action server reads it from the environment.
"""

from __future__ import annotations

from pydantic import AliasChoices, Field

from nlu.settings import DataSettings


class CitySettings(DataSettings):
    database_url: str | None = None  # default: SQLite in data_dir
    seoul_openapi_key: str | None = Field(default=None, validation_alias=AliasChoices("SEOUL_OPENAPI_KEY", "SECRETARY_SEOUL_OPENAPI_KEY"))
    seoul_openapi_url: str = Field(
        default="http://openapi.seoul.go.kr:8088", validation_alias=AliasChoices("SEOUL_OPENAPI_URL", "SECRETARY_SEOUL_OPENAPI_URL")
    )
    seoul_subway_url: str = Field(
        default="http://swopenapi.seoul.go.kr/api/subway", validation_alias=AliasChoices("SEOUL_SUBWAY_URL", "SECRETARY_SEOUL_SUBWAY_URL")
    )
    safetydata_key: str | None = Field(default=None, validation_alias=AliasChoices("SAFETYDATA_SERVICE_KEY", "SECRETARY_SAFETYDATA_KEY"))
    safetydata_url: str = Field(
        default="https://www.safetydata.go.kr/V2/api/DSSP-IF-00247",
        validation_alias=AliasChoices("SAFETYDATA_URL", "SECRETARY_SAFETYDATA_URL"),
    )
    openapi_timeout_s: float = 5.0
    realtime_ttl_s: float = 10.0
    confirm_ttl_s: float = 60.0  # a pending "…할까요?" expires after this
    undo_window_s: float = 600.0  # "아까 결재한 거 되돌려": a decision can be taken back this long after it was made
    audit_retention_days: float = 90  # chat turns are kept this long; decisions, calls and user changes are kept

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir / 'secretary.db'}"
