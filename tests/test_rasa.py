"""Real Rasa 3.6 in the loop: trained from nlu/, served with the rasa-sdk action server, driven by the assistant.

Needs .rasa-venv (`make rasa`, which `make test` runs). The model is trained once per data version
and cached under .rasa-models/ (training takes minutes on two cores).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import add_user, bearer, read_db, reset_caches, say
from fastapi.testclient import TestClient
from procs import BIN, free_port, stop, wait_for

from nlu import rasa_engine
from nlu.training_data import fingerprint

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def rasa_model() -> Path:
    rasa_engine.require()
    cache = REPO / ".rasa-models" / fingerprint(salt=(REPO / "nlu" / "config.yml").read_text() + (REPO / "nlu" / "domain.yml").read_text())
    model = cache / "secretary.tar.gz"
    if not model.exists():
        rasa_engine.train(cache)
    return model


@pytest.fixture(scope="module")
def rasa_stack(rasa_model: Path, tmp_path_factory: pytest.TempPathFactory):
    """Action server + Rasa server on loopback, started once for the module; the assistant is pointed at them."""
    tmp = tmp_path_factory.mktemp("rasa")
    db = f"sqlite+aiosqlite:///{tmp / 'rasa.db'}"
    actions_port, rasa_port = free_port(), free_port()
    env = dict(os.environ, SECRETARY_DATABASE_URL=db)
    action_server = subprocess.Popen(
        [str(BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)],
        cwd=REPO,
        env=env,
        stdout=open(tmp / "actions.log", "w"),
        stderr=subprocess.STDOUT,
    )
    rasa = subprocess.Popen(
        [
            str(rasa_engine.venv() / "bin" / "rasa"),
            "run",
            "--enable-api",
            "--model",
            str(rasa_model),
            "--port",
            str(rasa_port),
            "--interface",
            "127.0.0.1",
            "--endpoints",
            "nlu/endpoints.yml",
            "--credentials",
            "nlu/credentials.yml",
        ],
        cwd=REPO,
        env=rasa_engine.env() | {"ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook"},
        stdout=open(tmp / "rasa.log", "w"),
        stderr=subprocess.STDOUT,
    )
    with pytest.MonkeyPatch.context() as mp:
        try:
            wait_for(f"http://127.0.0.1:{actions_port}/health", action_server, 60)
            wait_for(f"http://127.0.0.1:{rasa_port}/status", rasa, 240)
            mp.setenv("SECRETARY_DATABASE_URL", db)
            mp.setenv("SECRETARY_NLU", "rasa")
            mp.setenv("RASA_URL", f"http://127.0.0.1:{rasa_port}")
            reset_caches()
            yield {"rasa": rasa, "db": db}
        finally:
            stop(rasa)
            stop(action_server)
    reset_caches()


def test_conversation_through_rasa(rasa_stack, sample):
    with TestClient(__import__("assistant.app", fromlist=["create_app"]).create_app()) as client:
        assert {"engine": "rasa", "rasa": "ok"}.items() <= client.get("/health").json()["nlu"].items()
        add_user(client, "mayor", "mayor", "mayor-pass-2026")
        client.headers.update(bearer(client, "mayor", "mayor-pass-2026"))  # the role travels to the action server in metadata
        d = sample["districts"]["districts"]
        r = say(client, "강남구 미세먼지 어때?", session_id="rasa1")
        assert r["intent"]["name"] == "air_quality" and {"entity": "district", "value": "강남구"}.items() <= r["entities"][0].items()
        assert f"PM10 {d['강남구']['air']['pm10']}㎍/㎥" in r["text"] and r["sources"][0]["sample"] is True  # sources relayed
        r = say(client, "송파구는?", session_id="rasa1")  # a follow-up: Rasa's rule runs action_follow_up with the slot
        assert r["intent"]["name"] == "inform" and f"PM10 {d['송파구']['air']['pm10']}㎍/㎥" in r["text"]
        r = say(client, "서울로 7017 화면 띄워줘", session_id="rasa1")  # directives relayed from the action's custom payload
        assert r["directives"][0]["type"] == "navigate" and r["directives"][0]["target"]["name"] == "서울로 7017"
        r = say(client, "재난안전과장 연결해줘", session_id="rasa5")
        assert "재난안전과" in r["text"] and "영상통화를 걸까요?" in r["text"]
        assert say(client, "아니", session_id="rasa5")["text"] == "취소했습니다."
        watch = say(client, "강남구 미세먼지 어때?", channel="watch", session_id="rasa2")
        assert watch["text"].startswith("강남구 미세먼지 ") and watch["data"] is None  # channel shaping of Rasa's reply
        first = sample["approvals"]["approvals"][0]
        assert "결재 대기 5건" in say(client, "결재 대기 목록 보여줘", session_id="rasa3")["text"]
        r = say(client, "첫 번째 문서 승인해", session_id="rasa3")
        assert "승인할까요?" in r["text"] and first["title"] in r["text"]
        r = say(client, "응", session_id="rasa3")
        assert r["text"] == f"「{first['title']}」 문서를 승인했습니다."
        del client.headers["Authorization"]
        assert "공개 채널에서는" in say(client, "결재 대기 목록 보여줘", channel="wall", session_id="rasa4")["text"]  # a citizen
    assert read_db(rasa_stack["db"], lambda s: s.approval(1))["status"] == "approved"  # written by the action server


def test_rasa_down_falls_back_to_the_embedded_engine(rasa_stack, sample):
    stop(rasa_stack["rasa"])  # runs after the conversation test: pytest keeps file order
    with TestClient(__import__("assistant.app", fromlist=["create_app"]).create_app()) as client:
        health = client.get("/health").json()
        assert health["status"] == "degraded" and health["nlu"]["rasa"].startswith("unreachable")
        r = say(client, "강남구 미세먼지 어때?", session_id="down")
        assert f"PM10 {sample['districts']['districts']['강남구']['air']['pm10']}㎍/㎥" in r["text"]
        assert client.post("/model/parse", json={"text": "서울로 7017"}).json()["intent"]["name"] == "navigate"


def test_engine_comparison_prints_both_engines(rasa_model, capsys):
    out = subprocess.run(
        [str(BIN / "secretary"), "nlu", "compare", "--json"], capture_output=True, text=True, check=True, cwd=REPO, env=dict(os.environ)
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    with capsys.disabled():
        print("\n[nlu compare] " + json.dumps(figures))
    assert set(figures) == {"embedded", "rasa"}
    for f in figures.values():
        assert (
            set(f) == {"intent_accuracy", "entity_f1", "parse_p50_ms", "parse_p95_ms", "n_test"}
            and f["n_test"] == figures["embedded"]["n_test"]
        )
        assert f["intent_accuracy"] > 0.5 and f["entity_f1"] > 0.5
