"""Seoul Open API connectors against recorded-format fixtures served by a local HTTP server."""

from __future__ import annotations

import asyncio
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from actions.citydata import DataUnavailable, OpenApiError, SampleCityData, SeoulOpenApiCityData
from actions.citydata.seoul_openapi import read_envelope, read_safetydata, read_subway
from assistant.config import Settings

FIXTURES = Path(__file__).parent / "data" / "seoul_openapi"


def fx(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


class FakeSeoul:
    """Answers like the city's servers: HTTP 200 and an envelope, whatever happened. Routes are mutable."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, float]] = {}  # path fragment -> (status, body, delay s)
        self.hits: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                fake.hits.append(self.path)
                path = unquote(self.path)
                for frag, (status, body, delay) in fake.routes.items():
                    if frag in path:
                        time.sleep(delay)
                        data = body.encode()
                        self.send_response(status)
                        self.send_header("Content-Type", "text/xml" if body.startswith("<") else "application/json")
                        self.send_header("Content-Length", str(len(data)))
                        self.end_headers()
                        self.wfile.write(data)
                        return
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def route(self, frag: str, body: str, status: int = 200, delay: float = 0.0) -> None:
        self.routes[frag] = (status, body, delay)


@pytest.fixture
def seoul():
    s = FakeSeoul()
    yield s
    s.server.shutdown()


def connector(seoul: FakeSeoul, **kw) -> SeoulOpenApiCityData:
    settings = Settings(
        seoul_openapi_key="test-key",
        seoul_openapi_url=seoul.url,
        seoul_subway_url=f"{seoul.url}/api/subway",
        safetydata_url=f"{seoul.url}/V2/api/DSSP-IF-00247",
        **kw,
    )
    return SeoulOpenApiCityData(settings, SampleCityData())


def run(coro):
    return asyncio.run(coro)


# -- envelopes ----------------------------------------------------------------
def test_envelopes_of_every_shape():
    assert len(read_envelope("RealtimeCityAir", fx("RealtimeCityAir-2026.json"))) == 3
    assert read_envelope("citydata", fx("citydata-gwanghwamun.json"))["AREA_CD"] == "POI009"
    assert read_envelope("RealtimeCityAir", fx("no-data.json")) == []
    for name, code in (("invalid-key.xml", "INFO-100"), ("error-flat-dotted.json", "ERROR-500"), ("error-flat.json", "ERROR-336")):
        with pytest.raises(OpenApiError) as e:
            read_envelope("RealtimeCityAir", fx(name))
        assert e.value.code == code
    with pytest.raises(OpenApiError):
        read_envelope("RealtimeCityAir", "<html>gateway timeout")
    with pytest.raises(OpenApiError):
        read_envelope("RealtimeCityAir", "not json")
    assert len(read_subway(fx("subway-arrivals.json"))) == 2
    assert read_subway(fx("subway-no-trains.json")) == []  # after the last train: no trains, not an error
    with pytest.raises(OpenApiError) as e:
        read_subway(fx("subway-bad-key.json"))
    assert e.value.code == "INFO-100"
    assert len(read_safetydata(fx("safetydata-ok.json"))) == 2
    with pytest.raises(OpenApiError) as e:
        read_safetydata(fx("safetydata-bad-key.json"))
    assert e.value.message == "등록되지 않은 서비스키"


# -- connectors ------------------------------------------------------------------
@pytest.mark.parametrize(
    "fixture,pm10,pm25,grade,measured",
    [
        ("RealtimeCityAir-2026.json", 34.0, 18.0, "보통", "2026-11-21T15:00:00+09:00"),
        ("RealtimeCityAir-old.json", 27.0, 12.0, "좋음", "2023-03-09T15:00:00+09:00"),
    ],
)
def test_district_air_in_old_and_new_field_names(seoul, fixture, pm10, pm25, grade, measured):
    seoul.route("/RealtimeCityAir/", fx(fixture))
    r = run(connector(seoul).get("air", "강남구"))
    assert (r.data["pm10"], r.data["pm25"], r.data["cai_grade"], r.observed_at) == (pm10, pm25, grade, measured)
    assert not r.sample and "RealtimeCityAir" in r.source and "/test-key/json/RealtimeCityAir/1/25" in seoul.hits[0]


def test_place_weather_and_traffic_from_citydata(seoul):
    seoul.route("/citydata/", fx("citydata-gwanghwamun.json"))
    c = connector(seoul)
    place = run(c.get("place", "광화문·덕수궁"))
    assert "%C2%B7" in seoul.hits[0]  # the middle dot is percent-encoded
    assert (place.data["congestion"], place.data["population_min"], place.data["population_max"]) == ("약간 붐빔", 36000, 38000)
    assert place.data["forecast"][0]["congestion"] == "붐빔" and place.observed_at == "2026-11-21T14:55:00+09:00"
    weather = run(c.get("weather", "중구"))  # a district is read at its representative hotspot
    assert (weather.data["temp"], weather.data["min_temp"], weather.data["precipitation_mm"]) == (3.8, -2.0, 0.0)
    traffic = run(c.get("traffic", "중구"))
    assert (traffic.data["avg_speed_kmh"], traffic.data["index"]) == (18.0, "서행")
    assert traffic.data["accidents"][0]["info"] == "세종대로 하행 1개 차로 통제"


def test_subway_arrivals_and_no_trains(seoul):
    seoul.route("/realtimeStationArrival/", fx("subway-arrivals.json"))
    r = run(connector(seoul).get("station", "강남역"))
    assert [a["line"] for a in r.data["arrivals"]] == ["2호선", "신분당선"]
    assert r.data["arrivals"][1]["arrival_sec"] == 240 and seoul.hits[0].endswith("/%EA%B0%95%EB%82%A8")  # '강남', without 역
    seoul.route("/realtimeStationArrival/", fx("subway-no-trains.json"))
    assert run(connector(seoul).get("station", "강남역")).data["arrivals"] == []


def test_emergency_messages_split_regions(seoul):
    seoul.route("/DSSP-IF-00247", fx("safetydata-ok.json"))
    r = run(connector(seoul, safetydata_key="sk").get("alerts", "강서구"))
    assert [a["sn"] for a in r.data] == [266799] and r.data[0]["regions"] == ["서울특별시 강서구", "서울특별시 양천구"]
    assert "serviceKey=sk" in seoul.hits[0] and "rgnNm=" in seoul.hits[0]
    seoul.route("/DSSP-IF-00247", fx("safetydata-bad-key.json"))
    with pytest.raises(DataUnavailable):
        run(connector(seoul, safetydata_key="bad").get("alerts", None))


def test_ttl_cache_and_stale_last_good_value(seoul):
    seoul.route("/RealtimeCityAir/", fx("RealtimeCityAir-2026.json"))
    c = connector(seoul)

    async def scenario():
        first = await c.get("air", "송파구")
        again = await c.get("air", "송파구")
        assert len(seoul.hits) == 1 and again is first  # within the TTL: no second request
        c.s.realtime_ttl_s = 0
        seoul.route("/RealtimeCityAir/", fx("invalid-key.xml"))
        stale = await c.get("air", "송파구")
        assert stale.stale and stale.observed_at == first.observed_at and stale.data["pm25"] == 52.0
        seoul.route("/RealtimeCityAir/", "", status=500)
        assert (await c.get("air", "송파구")).stale
        seoul.route("/RealtimeCityAir/", fx("error-flat-dotted.json"))
        assert (await c.get("air", "송파구")).stale
        assert len(seoul.hits) == 4

    run(scenario())


@pytest.mark.parametrize(
    "body,status,delay",
    [
        (fx("invalid-key.xml"), 200, 0.0),
        (fx("no-data.json"), 200, 0.0),
        (fx("error-flat.json"), 200, 0.0),
        ("", 503, 0.0),
        (fx("RealtimeCityAir-2026.json"), 200, 1.5),
    ],
)
def test_failure_without_a_good_value_is_unavailable(seoul, body, status, delay):
    seoul.route("/RealtimeCityAir/", body, status=status, delay=delay)
    with pytest.raises(DataUnavailable):
        run(connector(seoul, openapi_timeout_s=0.5).get("air", "강남구"))


def test_topics_without_a_live_source_use_the_labelled_sample(seoul):
    r = run(connector(seoul).get("price", "배추"))
    assert r.sample and r.source == "샘플 데이터" and seoul.hits == []


# -- end to end --------------------------------------------------------------------
def test_assistant_answers_from_the_live_source(seoul, fresh_db, monkeypatch):
    from conftest import reset_caches, say

    from assistant.app import create_app

    seoul.route("/RealtimeCityAir/", fx("RealtimeCityAir-2026.json"))
    monkeypatch.setenv("SEOUL_OPENAPI_KEY", "test-key")
    monkeypatch.setenv("SEOUL_OPENAPI_URL", seoul.url)
    reset_caches()
    with TestClient(create_app()) as client:
        r = say(client, "송파구 미세먼지 어때?")
        assert "PM10 91㎍/㎥" in r["text"] and "나쁨" in r["text"] and "RealtimeCityAir" in r["text"] and "11월 21일 15:00" in r["text"]
        assert r["sources"][0]["sample"] is False
        assert client.get("/health").json()["city_data"] == "SeoulOpenApiCityData"
        seoul.route("/RealtimeCityAir/", fx("invalid-key.xml"))
        r = say(client, "강남구 미세먼지 어때?")
        assert "실시간 데이터를 지금 가져오지 못했습니다" in r["text"]
