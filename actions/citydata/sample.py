"""The sample dataset shipped in citydata/sample_data: every topic, all 25 districts, labelled as sample."""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

from .base import Reading, Topic, UnknownKey

SAMPLE_DIR = Path(__file__).parent / "sample_data"
LABEL = "샘플 데이터"


class SampleCityData:
    def __init__(self, folder: Path = SAMPLE_DIR):
        self.folder = folder

    @cached_property
    def files(self) -> dict[str, dict[str, Any]]:
        return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in self.folder.glob("*.json")}

    @property
    def districts(self) -> dict[str, dict[str, Any]]:
        return self.files["districts"]["districts"]

    async def get(self, topic: Topic, key: str | None = None) -> Reading:
        data, observed = self._handlers()[topic](key)
        return Reading(data=data, source=LABEL, observed_at=observed or self.files["districts"]["as_of"], sample=True)

    def _handlers(self) -> dict[str, Callable[[str | None], tuple[Any, str | None]]]:
        f = self.files
        return {
            "air": lambda k: self._district_or_city("air", k, ["pm10", "pm25", "o3"]),
            "weather": lambda k: self._district_or_city("weather", k, ["temp", "max_temp", "min_temp", "humidity", "wind_speed"]),
            "traffic": lambda k: self._district_or_city("traffic", k, ["avg_speed_kmh"]),
            "disaster": self._disaster,
            "alerts": lambda k: (
                [a for a in f["alerts"]["alerts"] if k is None or any(k in r or r == "서울특별시" for r in a["regions"])],
                None,
            ),
            "population": self._population,
            "road": lambda k: self._collection(f["roads"]["roads"], k),
            "place": lambda k: self._collection(f["places"]["places"], k),
            "line": lambda k: self._collection(f["transit"]["lines"], k),
            "station": lambda k: self._collection(f["transit"]["stations"], k),
            "bus": lambda k: self._collection(f["transit"]["buses"], k),
            "water": self._water,
            "price": lambda k: self._collection(f["prices"]["items"], k),
            "finance": lambda k: (
                f["finance"]["finance"]
                if k is None
                else {"year": f["finance"]["finance"]["year"], "sector": k, **self._pick(f["finance"]["finance"]["sectors"], k)},
                None,
            ),
            "opinion": self._opinion,
            "indicator": lambda k: self._collection(f["indicators"]["indicators"], k),
            "project": lambda k: self._collection(f["projects"]["projects"], k),
            "pledge": lambda k: (f["pledges"] if k is None else self._pick(f["pledges"]["pledges"], k), None),
            "intl": lambda k: (f["international"], None),
            "ranking": lambda k: (f["rankings"], None),
            "park": lambda k: self._collection(f["parks"]["parks"], k),
            "officers": lambda k: (f["officers"]["officers"], None),
            "approvals": lambda k: (f["approvals"]["approvals"], None),
        }

    @staticmethod
    def _pick(table: dict[str, Any], key: str | None) -> Any:
        if key not in table:
            raise UnknownKey(key)
        return table[key]

    def _population(self, key: str | None) -> tuple[Any, str | None]:
        """A district's living population, or the city's (the districts summed)."""
        if key is not None:
            return self._pick(self.districts, key)["living_population"], None
        rows = [d["living_population"] for d in self.districts.values()]
        return {"count": sum(r["count"] for r in rows), "measured_at": max(r["measured_at"] for r in rows)}, None

    def _collection(self, table: dict[str, Any], key: str | None) -> tuple[Any, str | None]:
        if key is None:
            return table, None
        row = self._pick(table, key)
        return row, row.get("measured_at") if isinstance(row, dict) else None

    def _district_or_city(self, section: str, key: str | None, numeric: list[str]) -> tuple[Any, str | None]:
        if key is not None:
            row = self._pick(self.districts, key)[section]
            return row, row.get("measured_at")
        rows = {d: v[section] for d, v in self.districts.items()}
        summary = {n: round(statistics.mean(r[n] for r in rows.values()), 1) for n in numeric}
        return {"city": summary, "by_district": rows}, next(iter(rows.values())).get("measured_at")

    def _disaster(self, key: str | None) -> tuple[Any, str | None]:
        if key is not None:
            return self._pick(self.districts, key)["disaster"], None
        total = {n: sum(d["disaster"][n] for d in self.districts.values()) for n in ("fire", "rescue", "ems")}
        incidents = [dict(i, district=name) for name, d in self.districts.items() for i in d["disaster"]["incidents"]]
        return {**total, "incidents": incidents, "date": "2026-11-21"}, None

    def _water(self, key: str | None) -> tuple[Any, str | None]:
        if key in self.districts:
            row = self.districts[key]["water"]
            return row, row["measured_at"]
        rows = [d["water"] for d in self.districts.values() if key is None or d["water"]["facility"] == key]
        if not rows:
            raise UnknownKey(key)
        avg = {n: round(statistics.mean(r[n] for r in rows), 2) for n in ("turbidity_ntu", "residual_chlorine_mgl", "ph")}
        return {"facility": key, **avg, "measured_at": rows[0]["measured_at"]}, rows[0]["measured_at"]

    def _opinion(self, key: str | None) -> tuple[Any, str | None]:
        topics = self.files["opinion"]["topics"]
        if key in self.districts:
            return {"district": key, "today": self.districts[key]["complaints_today"]}, None
        return (topics if key is None else {"topic": key, **self._pick(topics, key)}), None
