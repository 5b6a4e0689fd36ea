"""HTTP and WebSocket contracts, and every kind of bad input: a clear 4xx with a Korean message, never a 500."""

from __future__ import annotations

import pytest
from starlette.websockets import WebSocketDisconnect


def error_of(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    body = r.json()["error"]
    assert body["code"] == code and body["message"] and body["message_en"]
    assert any("\uac00" <= ch <= "\ud7a3" for ch in body["message"])  # a Korean sentence for people
    return body


@pytest.mark.parametrize(
    "payload,status,code",
    [
        ({"text": "", "channel": "wall"}, 422, "text_empty"),
        ({"text": "   \n\t ", "channel": "wall"}, 422, "text_empty"),
        ({"text": "가" * 1001, "channel": "wall"}, 422, "text_too_long"),
        ({"text": "안녕", "channel": "fax"}, 422, "invalid_channel"),
        ({"text": "안녕"}, 422, "missing_field"),
        ({"channel": "wall"}, 422, "missing_field"),
        ({"text": "안녕", "channel": "wall", "session_id": "../../etc/passwd"}, 422, "invalid_session_id"),
        ({"text": "안녕", "channel": "wall", "session_id": "x" * 65}, 422, "invalid_session_id"),
        ({"text": 42, "channel": "wall"}, 422, "invalid_field"),
        ([1, 2, 3], 400, "invalid_json"),
    ],
)
def test_chat_rejects_bad_input(client, payload, status, code):
    error_of(client.post("/v1/chat", json=payload), status, code)


def test_malformed_and_oversized_bodies(client):
    error_of(client.post("/v1/chat", content=b'{"text": "\xea\xb0', headers={"content-type": "application/json"}), 400, "invalid_json")
    error_of(
        client.post("/v1/chat", content=b"text=hello", headers={"content-type": "application/x-www-form-urlencoded"}), 400, "invalid_json"
    )
    error_of(
        client.post("/v1/chat", content=b"{" + b" " * 70_000 + b"}", headers={"content-type": "application/json"}), 413, "body_too_large"
    )
    error_of(client.post("/model/parse", json={"text": ""}), 422, "text_empty")
    error_of(client.post("/webhooks/rest/webhook", json={"sender": "a b", "message": "안녕"}), 422, "invalid_session_id")
    error_of(
        client.post("/webhooks/rest/webhook", json={"sender": "a", "message": "안녕", "metadata": {"channel": "x"}}), 422, "invalid_channel"
    )
    error_of(client.get("/v1/nothing-here"), 404, "not_found")
    assert client.post("/v1/chat", json={"text": "강남구 미세먼지", "channel": "wall"}).status_code == 200  # still serving


def test_limit_is_inclusive(client):
    assert client.post("/v1/chat", json={"text": "가" * 1000, "channel": "wall"}).status_code == 200


def test_chat_contract(client):
    r = client.post("/v1/chat", json={"text": "강남구 미세먼지 어때?", "channel": "wall"}).json()
    assert {
        "session_id",
        "channel",
        "role",
        "intent",
        "entities",
        "text",
        "messages",
        "directives",
        "data",
        "sources",
        "timings_ms",
    } <= set(r)
    assert len(r["session_id"]) == 32 and r["intent"]["name"] == "air_quality"
    assert (r["entities"][0]["entity"], r["entities"][0]["value"]) == ("district", "강남구")
    assert set(r["timings_ms"]) == {"nlu", "action", "total"}


def test_rasa_shapes(client, mayor):
    p = client.post("/model/parse", json={"text": "서울로 7017"}).json()
    assert p["intent"]["name"] == "navigate" and p["entities"][0]["value"] == "서울로 7017" and p["intent_ranking"]
    out = client.post("/webhooks/rest/webhook", json={"sender": "u1", "message": "강남구 미세먼지 어때?"}).json()
    assert out[0]["recipient_id"] == "u1" and "강남구 미세먼지" in out[0]["text"]
    assert out[-1]["custom"]["sources"][0]["sample"] is True
    out = client.post("/webhooks/rest/webhook", json={"sender": "u2", "message": "결재 대기 목록 보여줘"}).json()
    assert "공개 채널" in out[0]["text"]  # no metadata: the least privileged channel
    out = client.post(
        "/webhooks/rest/webhook", json={"sender": "u3", "message": "서울로 7017", "metadata": {"channel": "wall"}}, headers=mayor
    ).json()
    assert out[-1]["custom"]["directives"][0]["type"] == "navigate"


def test_health_metrics_and_docs(client, admin):
    h = client.get("/health").json()
    assert h["status"] == "ok" and h["nlu"]["engine"] == "embedded" and h["database"] == "ok" and h["city_data"] == "SampleCityData"
    assert h["voice"] == {"asr": "openai-whisper:small", "asr_installed": False, "tts": "espeak-ng:ko"}  # no model here: text is still ok
    client.post("/v1/chat", json={"text": "강남구 미세먼지 어때?", "channel": "watch"})
    client.post("/v1/chat", json={"text": "", "channel": "watch"})
    assert client.get("/metrics").status_code == 401  # admins only
    m = client.get("/metrics", headers=admin).text
    assert 'secretary_turns_total{channel="watch",intent="air_quality"}' in m
    assert 'secretary_stage_seconds_bucket{le="0.005",stage="nlu"}' in m
    assert 'secretary_errors_total{code="text_empty"}' in m
    spec = client.get("/openapi.json").json()
    assert {"/v1/chat", "/model/parse", "/webhooks/rest/webhook", "/health", "/metrics", "/v1/auth/token"} <= set(spec["paths"])
    docs = client.get("/docs").text
    assert "cdn" not in docs and "/docs-assets/swagger-ui-bundle.js" in docs  # works offline
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200


def test_websocket_bad_frames(client):
    with client.websocket_connect("/v1/ws?channel=tablet") as ws:
        assert ws.receive_json()["type"] == "hello"
        ws.send_text("not json")
        assert ws.receive_json()["error"]["code"] == "invalid_json"
        ws.send_text("[1, 2]")
        assert ws.receive_json()["error"]["code"] == "invalid_json"
        ws.send_bytes(b"\x00\x01")  # audio without audio.start
        assert ws.receive_json()["error"]["code"] == "out_of_order"
        ws.send_json({"type": "dance"})
        assert ws.receive_json()["error"]["code"] == "unknown_type"
        ws.send_json({"type": "chat", "text": " "})
        err = ws.receive_json()["error"]
        assert err["code"] == "text_empty" and err["message"] == "문장을 입력해 주세요."
        ws.send_json({"type": "chat", "text": "강남구 미세먼지 어때?"})
        assert ws.receive_json()["intent"]["name"] == "air_quality"  # the connection survived all of it
        ws.send_text("x" * 70_000)
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 1009
    with client.websocket_connect("/v1/ws?channel=fax") as ws:
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 1008
