"""What the screens show at a glance: the city by district and the status tiles, each figure with its provenance.

Every section answers "what, where, since when, from which source": `source`, `observed_at`, `age_min` and `stale`
travel with the values. Citizens get only fields that are public by design (allow-listed here, not redacted):
no incident details, no complaint texts, no approvals.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from . import access
from .citydata import CityData, Reading
from .records import now

DISTRICTS = (
    "종로구 중구 용산구 성동구 광진구 동대문구 중랑구 성북구 강북구 도봉구 노원구 은평구 서대문구 마포구 양천구 강서구 구로구 "
    "금천구 영등포구 동작구 관악구 서초구 강남구 송파구 강동구"
).split()
# How old a real-time figure may be before the screen marks it (air and traffic refresh hourly or faster).
STALE_AFTER = timedelta(hours=2)


def provenance(reading: Reading, observed_at: str | None = None) -> dict[str, Any]:
    observed = observed_at or reading.observed_at
    age = now() - datetime.fromisoformat(observed)
    return {
        "source": reading.source,
        "observed_at": observed,
        "age_min": int(age.total_seconds() // 60),
        "stale": reading.stale or age > STALE_AFTER,
        "sample": reading.sample,
    }


def pick(row: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: row[k] for k in keys if k in row}


async def districts(city: CityData) -> dict[str, Any]:
    """The map layers: air, traffic speed, disasters and living population, per district."""
    air, traffic = await asyncio.gather(city.get("air"), city.get("traffic"))
    disasters = await asyncio.gather(*(city.get("disaster", d) for d in DISTRICTS))
    people = await asyncio.gather(*(city.get("population", d) for d in DISTRICTS))
    rows = {}
    for d, dis, pop in zip(DISTRICTS, disasters, people, strict=True):
        a, t = air.data["by_district"][d], traffic.data["by_district"][d]
        rows[d] = {
            "air": pick(a, ("pm10", "pm25", "pm10_grade", "pm25_grade", "cai", "cai_grade", "measured_at")),
            "traffic": pick(t, ("avg_speed_kmh", "index", "measured_at")),
            "disaster": {**pick(dis.data, ("fire", "rescue", "ems")), "measured_at": dis.observed_at},
            "population": pick(pop.data, ("count", "measured_at")),
        }
    layers = {
        "air": provenance(air, next(iter(air.data["by_district"].values())).get("measured_at")),
        "traffic": provenance(traffic, next(iter(traffic.data["by_district"].values())).get("measured_at")),
        "disaster": provenance(disasters[0]),
        "population": provenance(people[0], people[0].data.get("measured_at")),
    }
    return {"layers": layers, "districts": rows}


async def tiles(city: CityData, role: str) -> dict[str, Any]:
    """② Real-time city status, ③ administrative status and ④ news, as tiles."""
    names = (
        "disaster",
        "air",
        "traffic",
        "weather",
        "water",
        "price",
        "finance",
        "alerts",
        "line",
        "indicator",
        "project",
        "pledge",
        "ranking",
    )
    got = dict(zip(names, await asyncio.gather(*(city.get(n) for n in names)), strict=True))  # type: ignore[arg-type]
    inside = access.can(role, "internal_data")
    dis, fin = got["disaster"], got["finance"].data
    out: dict[str, Any] = {
        "disaster": {
            **pick(dis.data, ("fire", "rescue", "ems")),
            "incidents": dis.data["incidents"] if inside else len(dis.data["incidents"]),
            **provenance(dis),
        },
        "air": {**got["air"].data["city"], **provenance(got["air"], _first_measured(got["air"]))},
        "traffic": {**got["traffic"].data["city"], **provenance(got["traffic"], _first_measured(got["traffic"]))},
        "weather": {**got["weather"].data["city"], **provenance(got["weather"], _first_measured(got["weather"]))},
        "water": {**pick(got["water"].data, ("turbidity_ntu", "residual_chlorine_mgl", "ph")), **provenance(got["water"])},
        "prices": {
            "items": [{"item": k, **pick(v, ("unit", "average", "week_change_pct"))} for k, v in list(got["price"].data.items())[:6]],
            **provenance(got["price"]),
        },
        "finance": {
            **pick(fin, ("year", "total_budget", "executed", "execution_rate")),
            "sectors": [{"sector": k, **v} for k, v in fin["sectors"].items() if k != "세입"],
            **provenance(got["finance"]),
        },
        "alerts": {
            "items": [pick(a, ("created_at", "level", "kind", "regions", "message")) for a in got["alerts"].data],
            **provenance(got["alerts"]),
        },
        "transit": {
            "lines": [{"line": k, **pick(v, ("status", "delay_min", "reason", "crowding"))} for k, v in got["line"].data.items()],
            **provenance(got["line"]),
        },
        "indicators": {
            "items": [
                {"name": k, **pick(v, ("value", "unit", "year", "target", "previous", "sector"))}
                for k, v in got["indicator"].data.items()
                if inside or v.get("public")
            ],
            **provenance(got["indicator"]),
        },
        "projects": {
            "items": [
                {"name": k, **pick(v, ("id", "summary", "progress_pct", "phase", "department", "budget", "start"))}
                for k, v in got["project"].data.items()
            ],
            **provenance(got["project"]),
        },
        "pledges": {
            "items": [
                {"name": k, **pick(v, ("completion_pct", "status", "department", "checked_on"))}
                for k, v in got["pledge"].data["pledges"].items()
            ],
            **provenance(got["pledge"]),
        },
        "resume": {**pick(got["ranking"].data, ("rankings", "awards", "press")), **provenance(got["ranking"])},
    }
    if inside:  # complaint counts by topic (never the complaints themselves: they name people)
        opinion = await city.get("opinion")
        topics = opinion.data.get("topics", opinion.data) if isinstance(opinion.data, dict) else {}
        out["opinion"] = {
            "topics": [
                {"topic": k, **pick(v, ("today", "week", "week_change_pct", "call_120", "online_mentions", "sentiment"))}
                for k, v in topics.items()
            ],
            **provenance(opinion),
        }
    return out


def _first_measured(reading: Reading) -> str | None:
    return next(iter(reading.data["by_district"].values())).get("measured_at")


async def overview(city: CityData, role: str) -> dict[str, Any]:
    (layers, status) = await asyncio.gather(districts(city), tiles(city, role))
    return {"role": role, "generated_at": now().isoformat(), "map": layers, **status}
