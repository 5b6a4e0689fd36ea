"""Seoul Open API connectors (formats in shared/design/SEOUL_OPEN_API.md).

Live topics: district air (RealtimeCityAir, old and 2026 field names), hotspot places
(citydata: population, weather, road traffic), subway arrivals, emergency text messages.
Other topics come from the sample dataset, labelled as such. Real-time answers are cached
for at most `realtime_ttl_s`; when a source fails, the last good value is served marked stale.
"""

from __future__ import annotations

import json
import logging
import statistics
import time
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from .base import DataUnavailable, Reading, Topic, UnknownKey
from .sample import SampleCityData

log = logging.getLogger(__name__)
OK, NO_DATA = "INFO-000", "INFO-200"
CITYDATA_SOURCE = "서울 열린데이터광장 실시간 도시데이터"
SUBWAY_LINES = {f"100{i}": f"{i}호선" for i in range(1, 10)} | {
    "1061": "중앙선",
    "1063": "경의중앙선",
    "1065": "공항철도",
    "1067": "경춘선",
    "1075": "수인분당선",
    "1077": "신분당선",
    "1092": "우이신설선",
    "1093": "서해선",
    "1094": "신림선",
}
CITY_REPRESENTATIVE = "광화문·덕수궁"


class OpenApiError(RuntimeError):
    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


def _code(result: dict[str, Any]) -> tuple[str | None, str]:
    return (
        result.get("CODE") or result.get("RESULT.CODE") or result.get("code"),
        result.get("MESSAGE") or result.get("RESULT.MESSAGE") or result.get("message") or "",
    )


def read_envelope(service: str, body: str) -> Any:
    """Rows (or the CITYDATA object) of an openapi.seoul.go.kr answer; [] for INFO-200; OpenApiError otherwise.

    Every answer is HTTP 200: the envelope says what happened. An invalid key answers XML even on /json/.
    """
    body = body.strip()
    if body.startswith("<"):
        try:
            root = ET.fromstring(body)
        except ET.ParseError as exc:  # an HTML error page from a proxy, say
            raise OpenApiError("PARSE", f"not XML: {body[:80]!r}") from exc
        raise OpenApiError(root.findtext(".//CODE") or "XML", (root.findtext(".//MESSAGE") or "").strip())
    try:
        obj = json.loads(body)
    except json.JSONDecodeError as exc:
        raise OpenApiError("PARSE", f"not JSON: {body[:80]!r}") from exc
    if not isinstance(obj, dict):
        raise OpenApiError("PARSE", "unexpected JSON")
    if service in obj and isinstance(obj[service], dict):  # {"SERVICE": {"RESULT":..., "row": [...]}}
        code, msg = _code(obj[service].get("RESULT", {}))
        rows = obj[service].get("row", [])
    else:
        code, msg = _code(obj.get("RESULT", obj))
        rows = obj.get("CITYDATA") or obj.get(f"SeoulRtd.{service}") or []
    if code == NO_DATA:
        return []
    if code != OK:
        raise OpenApiError(code or "UNKNOWN", msg or "unrecognised envelope")
    return rows


def read_subway(body: str) -> list[dict[str, Any]]:
    obj = json.loads(body)
    code, msg = _code(obj.get("errorMessage", obj))
    if code == NO_DATA:  # after the last train: no trains, not an error
        return []
    if code != OK:
        raise OpenApiError(code or "UNKNOWN", msg)
    return obj.get("realtimeArrivalList", [])


def read_safetydata(body: str) -> list[dict[str, Any]]:
    obj = json.loads(body)
    header = obj.get("header") or {}
    if header.get("resultCode") != "00":
        raise OpenApiError(str(header.get("resultCode")), header.get("errorMsg") or header.get("resultMsg") or "")
    return obj.get("body") or []


def _iso(stamp: str) -> str:
    """'202605181500' / '2026-08-13 13:35' / '2026/08/18 02:00:10' -> ISO 8601 in KST."""
    for fmt in ("%Y%m%d%H%M", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(stamp.strip(), fmt).isoformat() + "+09:00"
        except (ValueError, AttributeError):
            continue
    return str(stamp)


def _num(v: Any) -> float | None:
    try:
        return float(str(v).replace(",", ""))
    except (TypeError, ValueError):
        return None


def _grade(value: float | None, bounds: tuple[int, int, int]) -> str:
    if value is None:
        return "정보 없음"
    return "좋음" if value <= bounds[0] else "보통" if value <= bounds[1] else "나쁨" if value <= bounds[2] else "매우나쁨"


def air_row(row: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A RealtimeCityAir row in either the 2026 names (PM, FPM, ...) or the older ones (PM10, PM25, ...)."""
    pick = lambda new, old: row.get(new, row.get(old))  # noqa: E731
    pm10, pm25 = _num(pick("PM", "PM10")), _num(pick("FPM", "PM25"))
    return pick("MSRSTN_NM", "MSRSTE_NM"), {
        "pm10": pm10,
        "pm25": pm25,
        "pm10_grade": _grade(pm10, (30, 80, 150)),
        "pm25_grade": _grade(pm25, (15, 35, 75)),
        "o3": _num(pick("OZON", "O3")),
        "no2": _num(pick("NTDX", "NO2")),
        "cai": _num(pick("CAI_IDX", "IDEX_MVL")),
        "cai_grade": pick("CAI_GRD", "IDEX_NM"),
        "zone": pick("SAREA_NM", "MSRRGN_NM"),
        "measured_at": _iso(str(pick("MSRMT_DT", "MSRDT"))),
    }


def place_row(city: dict[str, Any]) -> dict[str, Any]:
    live = (city.get("LIVE_PPLTN_STTS") or [{}])[0]
    return {
        "code": city.get("AREA_CD"),
        "congestion": live.get("AREA_CONGEST_LVL"),
        "message": live.get("AREA_CONGEST_MSG"),
        "population_min": int(_num(live.get("AREA_PPLTN_MIN")) or 0),
        "population_max": int(_num(live.get("AREA_PPLTN_MAX")) or 0),
        "measured_at": _iso(live.get("PPLTN_TIME", "")),
        "forecast": [
            {
                "time": _iso(f.get("FCST_TIME", "")),
                "congestion": f.get("FCST_CONGEST_LVL"),
                "population_min": int(_num(f.get("FCST_PPLTN_MIN")) or 0),
                "population_max": int(_num(f.get("FCST_PPLTN_MAX")) or 0),
            }
            for f in live.get("FCST_PPLTN") or []
        ],
    }


def weather_row(city: dict[str, Any]) -> dict[str, Any]:
    w = (city.get("WEATHER_STTS") or [{}])[0]
    rain = _num(w.get("PRECIPITATION"))  # "-" when none
    return {
        "temp": _num(w.get("TEMP")),
        "max_temp": _num(w.get("MAX_TEMP")),
        "min_temp": _num(w.get("MIN_TEMP")),
        "humidity": _num(w.get("HUMIDITY")),
        "wind_speed": _num(w.get("WIND_SPD")),
        "precipitation_mm": rain or 0.0,
        "precipitation_type": w.get("PRECPT_TYPE") or "없음",
        "sky": None,
        "uv": w.get("UV_INDEX_LVL"),
        "measured_at": _iso(w.get("WEATHER_TIME", "")),
        "area": city.get("AREA_NM"),
    }


def traffic_row(city: dict[str, Any]) -> dict[str, Any]:
    road = city.get("ROAD_TRAFFIC_STTS") or {}
    avg = road.get("AVG_ROAD_DATA") or {}
    return {
        "avg_speed_kmh": _num(avg.get("ROAD_TRAFFIC_SPD")),
        "index": avg.get("ROAD_TRAFFIC_IDX"),
        "message": avg.get("ROAD_MSG"),
        "measured_at": _iso(avg.get("ROAD_TRAFFIC_TIME", "")),
        "area": city.get("AREA_NM"),
        "accidents": [
            {"type": a.get("ACDNT_TYPE"), "info": a.get("ACDNT_INFO"), "at": _iso(a.get("ACDNT_OCCR_DT", ""))}
            for a in city.get("ACDNT_CNTRL_STTS") or []
        ],
    }


class SeoulOpenApiCityData:
    def __init__(self, settings: Any, fallback: SampleCityData, client: httpx.AsyncClient | None = None):
        self.s = settings
        self.fallback = fallback
        self.client = client or httpx.AsyncClient(timeout=settings.openapi_timeout_s)
        self._cache: dict[tuple[str, str | None], tuple[float, Reading]] = {}

    async def get(self, topic: Topic, key: str | None = None) -> Reading:
        live: dict[str, Callable[[str | None], Awaitable[Reading]]] = {
            "air": self._air,
            "place": self._place,
            "weather": self._weather,
            "traffic": self._traffic,
            "station": self._station,
        }
        if topic == "alerts" and self.s.safetydata_key:
            live["alerts"] = self._alerts
        if topic not in live:
            return await self.fallback.get(topic, key)
        cached = self._cache.get((topic, key))
        if cached and time.monotonic() - cached[0] < self.s.realtime_ttl_s:
            return cached[1]
        try:
            reading = await live[topic](key)
        except (httpx.HTTPError, OpenApiError, json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            log.warning("Seoul Open API %s/%s failed: %s", topic, key, exc)
            if cached:  # the last good value, labelled stale with its time
                old = cached[1]
                return Reading(old.data, old.source, old.observed_at, stale=True, extra={"error": str(exc)})
            raise DataUnavailable(str(exc)) from exc
        self._cache[(topic, key)] = (time.monotonic(), reading)
        return reading

    async def _fetch(self, url: str) -> str:
        r = await self.client.get(url)
        r.raise_for_status()
        return r.text

    def _url(self, service: str, start: int, end: int, *args: str) -> str:
        tail = "".join("/" + quote(a, safe="") for a in args)
        return f"{self.s.seoul_openapi_url}/{quote(self.s.seoul_openapi_key or '', safe='')}/json/{service}/{start}/{end}{tail}"

    async def _air(self, district: str | None) -> Reading:
        rows = read_envelope("RealtimeCityAir", await self._fetch(self._url("RealtimeCityAir", 1, 25)))
        by_district = dict(air_row(r) for r in rows)
        if not by_district:
            raise OpenApiError(NO_DATA, "no rows")
        source = "서울 열린데이터광장 실시간 대기환경(RealtimeCityAir)"
        if district is not None:
            if district not in by_district:
                raise UnknownKey(district)
            return Reading(by_district[district], source, by_district[district]["measured_at"])
        city = {n: round(statistics.mean(v[n] for v in by_district.values() if v[n] is not None), 1) for n in ("pm10", "pm25", "o3")}
        first = next(iter(by_district.values()))
        return Reading({"city": city, "by_district": by_district}, source, first["measured_at"])

    async def _citydata(self, place: str) -> dict[str, Any]:
        city = read_envelope("citydata", await self._fetch(self._url("citydata", 1, 5, place)))
        if not city:
            raise UnknownKey(place)
        return city

    def _representative(self, district: str | None) -> str:
        if district is None:
            return CITY_REPRESENTATIVE
        places = self.fallback.files["places"]["places"]
        for name, p in places.items():
            if p["district"] == district:
                return name
        raise UnknownKey(district)

    async def _place(self, place: str | None) -> Reading:
        if place is None:
            return await self.fallback.get("place", None)
        row = place_row(await self._citydata(place))
        sample = self.fallback.files["places"]["places"].get(place, {})
        row |= {"district": sample.get("district"), "cctv": sample.get("cctv", [])}
        return Reading(row, CITYDATA_SOURCE, row["measured_at"])

    async def _weather(self, district: str | None) -> Reading:
        area = self._representative(district)
        row = weather_row(await self._citydata(area))
        return Reading(row if district else {"city": row, "by_district": {}}, f"{CITYDATA_SOURCE}({area})", row["measured_at"])

    async def _traffic(self, district: str | None) -> Reading:
        area = self._representative(district)
        row = traffic_row(await self._citydata(area))
        return Reading(row if district else {"city": row, "by_district": {}}, f"{CITYDATA_SOURCE}({area})", row["measured_at"])

    async def _station(self, station: str | None) -> Reading:
        if station is None:
            raise UnknownKey(None)
        name = station.removesuffix("역") if station != "서울역" else "서울"
        url = f"{self.s.seoul_subway_url}/{quote(self.s.seoul_openapi_key or '', safe='')}/json/realtimeStationArrival/0/10/{quote(name, safe='')}"
        rows = read_subway(await self._fetch(url))
        arrivals = [
            {
                "line": SUBWAY_LINES.get(str(r.get("subwayId")), str(r.get("subwayId"))),
                "direction": r.get("updnLine"),
                "destination": r.get("trainLineNm"),
                "arrival_sec": int(_num(r.get("barvlDt")) or 0),
                "message": r.get("arvlMsg2"),
            }
            for r in rows
        ]
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")
        return Reading({"arrivals": arrivals, "measured_at": stamp}, "서울 열린데이터광장 실시간 지하철 도착정보", stamp)

    async def _alerts(self, district: str | None) -> Reading:
        day = datetime.now().strftime("%Y%m%d")
        params = {
            "serviceKey": self.s.safetydata_key,
            "returnType": "json",
            "pageNo": "1",
            "numOfRows": "20",
            "crtDt": day,
            "rgnNm": "서울특별시",
        }
        r = await self.client.get(self.s.safetydata_url, params=params)
        r.raise_for_status()
        alerts = [
            {
                "sn": a.get("SN"),
                "created_at": _iso(a.get("CRT_DT", "")),
                "level": a.get("EMRG_STEP_NM"),
                "kind": a.get("DST_SE_NM"),
                "regions": [x.strip() for x in str(a.get("RCPTN_RGN_NM", "")).split(",") if x.strip()],
                "message": a.get("MSG_CN"),
            }
            for a in read_safetydata(r.text)
        ]
        if district:
            alerts = [a for a in alerts if any(district in x or x == "서울특별시 전체" or x == "서울특별시" for x in a["regions"])]
        stamp = alerts[0]["created_at"] if alerts else datetime.now().astimezone().isoformat(timespec="seconds")
        return Reading(alerts, "행정안전부 긴급재난문자", stamp)
