"""The CityData interface: one call, a topic and a key, returns a Reading with its provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Topic = Literal[
    "air",
    "weather",
    "traffic",
    "road",
    "disaster",
    "alerts",
    "place",
    "population",
    "line",
    "station",
    "bus",
    "water",
    "price",
    "finance",
    "opinion",
    "indicator",
    "project",
    "pledge",
    "intl",
    "ranking",
    "park",
    "officers",
    "approvals",
]


@dataclass
class Reading:
    data: Any
    source: str  # shown to the user: "샘플 데이터", "서울 열린데이터광장 실시간 도시데이터", ...
    observed_at: str  # ISO 8601
    stale: bool = False  # a live source failed; this is the last good value
    sample: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def citation(self) -> dict[str, Any]:
        return {"kind": "city_data", "title": self.source, "observed_at": self.observed_at, "stale": self.stale, "sample": self.sample}


class UnknownKey(LookupError):
    """The topic has no data for that district, place, item ..."""


class DataUnavailable(RuntimeError):
    """A live source failed and there is no earlier value to fall back on."""


class CityData(Protocol):
    async def get(self, topic: Topic, key: str | None = None) -> Reading: ...
