"""What citizens receive: the personal-data guard, and an adversarial set through every anonymous way in.

"Leaks" are checked against secrets computed from the sample data (officers' names and numbers, complainants,
approval documents, internal reports), and every string a citizen receives must already pass the guard.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import reset_caches
from fastapi.testclient import TestClient

from actions import SampleCityData
from actions.privacy import guard, guard_obj

ADVERSARIAL = yaml.safe_load((Path(__file__).parent / "data" / "adversarial.yml").read_text(encoding="utf-8"))["cases"]
CORPUS = Path(__file__).resolve().parent.parent / "knowledge" / "corpus"

CAUGHT = {
    "민원인 김은정 (010-9087-7658) 연락 바랍니다": "민원인 [이름 비공개] ([연락처 비공개]) 연락 바랍니다",
    "+82-10-1234-5678로 연락": "[연락처 비공개]로 연락",
    "+82 10 1234 5678": "[연락처 비공개]",
    "+82 (0)2 2133 1234": "[연락처 비공개]",
    "(02)2133-1234": "[연락처 비공개]",
    "01012345678": "[연락처 비공개]",
    "공일공 일이삼사 오육칠팔": "[연락처 비공개]",
    "영일영-일이삼사-오육칠팔로 전화": "[연락처 비공개]로 전화",
    "900101-1234567": "[주민번호 비공개]",
    "900101 - 1234567": "[주민번호 비공개]",
    "900101 1 234567": "[주민번호 비공개]",
    "작성자: 홍길동": "작성자 [이름 비공개]",
    "신고인 박민수 님": "신고인 [이름 비공개] 님",
    "저는 홍길동입니다": "저는 [이름 비공개]입니다",
    "제 이름은 김철수예요": "제 이름은 [이름 비공개]예요",
    "김철수 씨가 신고": "[이름 비공개]가 신고",
    "독산동 1012-3번지": "[주소 비공개]",
    "역삼동 123-45 앞": "[주소 비공개] 앞",
    "중앙로 42길 17 앞 불법주차": "[주소 비공개] 불법주차",
    "101동 1203호 층간소음": "[주소 비공개] 층간소음",
    "12가3456 견인": "[차량번호 비공개] 견인",
    "서울12가 3456": "[차량번호 비공개]",
    "123가 4567": "[차량번호 비공개]",
    "hong.gildong@example.com": "[이메일 비공개]",
    "카드 1234-5678-9012-3456": "카드 [계좌·카드번호 비공개]",
}
UNCHANGED = [
    "강남구 미세먼지 나쁨(PM10 86㎍/㎥), 초미세먼지 나쁨(PM2.5 43㎍/㎥)입니다. (샘플 데이터 · 11월 21일 14:00 기준)",
    "올림픽대로 평균 34.8km/h로 서행입니다.",
    "서울로 7017로 이동합니다.",
    "2호선 정상 운행, 배차 간격 약 3분입니다.",
    "120 다산콜센터에 문의해 주세요.",
    "2026-11-21 기준 2026년 예산 48조 7,100억원, 집행률 82.4%입니다.",
    "오늘 서울날씨 맑음, pH 7.3으로 적합합니다. 오존 0.018ppm.",
    "종로3가역 1번 출구, 광화문·덕수궁 붐빔, 생활인구 약 42만 명",
    "시민 여러분, 고객님께 안내드립니다. 시장님 결재 대기 5건입니다.",
    "화재 출동 3건, 거리 10km, 세종대로 공사, 재정자립도 75.4%(전년 73.1%)",
]


@pytest.mark.parametrize("text,expected", CAUGHT.items())
def test_the_guard_catches_personal_data(text, expected):
    assert guard(text) == expected


@pytest.mark.parametrize("text", UNCHANGED)
def test_the_guard_leaves_city_data_alone(text):
    assert guard(text) == text


def test_guard_obj_reaches_every_string():
    obj = {"a": ["010-1234-5678", {"b": "작성자: 홍길동"}], "n": 3, "c": None}
    assert guard_obj(obj) == {"a": ["[연락처 비공개]", {"b": "작성자 [이름 비공개]"}], "n": 3, "c": None}


def secrets() -> set[str]:
    """What no citizen may ever receive, from the sample data itself."""
    files = SampleCityData().files
    out: set[str] = set()
    for o in files["officers"]["officers"]:
        out |= {o["name"], o["phone"], o["mobile"]}
    for topic in files["opinion"]["topics"].values():
        for ex in topic["examples"]:
            out.add(ex["text"])
            out |= set(re.findall(r"민원인 ([가-힣]{2,4})", ex["text"])) | set(re.findall(r"01\d-\d{3,4}-\d{4}", ex["text"]))
            out |= set(re.findall(r"[가-힣]+로 \d+길 \d+", ex["text"]))
    for a in files["approvals"]["approvals"]:
        out |= {a["number"], a["title"]}
    for doc in CORPUS.glob("*.md"):
        head, body = doc.read_text(encoding="utf-8").split("---", 2)[1:]
        meta = yaml.safe_load(head)
        if not meta.get("public"):
            out.add(meta["title"].replace(" (샘플)", ""))
            out |= {ln.strip() for ln in body.splitlines() if len(ln.strip()) >= 40 and "샘플 문서" not in ln}
    return out


def strings(obj) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in strings(v)]
    return []


@pytest.fixture(scope="module")
def anonymous(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SECRETARY_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('privacy') / 'p.db'}")
        mp.setenv("SECRETARY_RATE_LIMITS", "false")  # a few hundred turns from one address, on purpose
        reset_caches()
        from assistant.app import create_app

        with TestClient(create_app()) as c:
            yield c
    reset_caches()


def test_no_adversarial_input_gets_anything_out_on_any_anonymous_way_in(anonymous, capsys):
    hidden = secrets()
    assert len(hidden) > 100  # names, numbers, addresses, documents
    channels = ["public", "kiosk", "wall", "tablet", "watch"]
    seen: Counter[str] = Counter()
    leaks: list[tuple[str, str, str]] = []

    def check(way: str, said: str, received) -> None:
        seen[way] += 1
        for s in strings(received):
            if guard(s) != s:
                leaks.append((way, said, f"unguarded: {s}"))
            leaks.extend((way, said, h) for h in hidden if h in s and h not in said)  # their own words are no leak

    with anonymous.websocket_connect("/v1/ws?channel=wall") as ws:
        assert ws.receive_json()["role"] == "citizen"
        for n, turns in enumerate(t for cases in ADVERSARIAL.values() for t in cases):
            channel = channels[n % len(channels)]
            for i, text in enumerate(turns):
                r = anonymous.post("/v1/chat", json={"text": text, "channel": channel, "session_id": f"adv-{n}"})
                assert r.status_code == 200 and r.json()["role"] == "citizen", r.text
                check("chat", text, r.json())
                meta = {"channel": "wall", "role": "mayor", "user": "mayor", "user_id": 1}
                r = anonymous.post("/webhooks/rest/webhook", json={"sender": f"hook-{n}", "message": text, "metadata": meta})
                check("webhook", text, r.json())
                ws.send_json({"type": "chat", "text": text, "session_id": f"ws-{n}"})
                frame = ws.receive_json()
                assert frame["type"] == "reply" and frame["role"] == "citizen" and not frame["directives"]
                check("socket", text, frame)
                if i == 0:
                    check("search", text, anonymous.post("/v1/knowledge/search", json={"query": text, "k": 10}).json())
    with capsys.disabled():
        kinds = {k: len(c) for k, c in ADVERSARIAL.items()}
        print(f"\n[privacy] {sum(kinds.values())} cases {json.dumps(kinds)}; requests {json.dumps(seen)}; leaks: {len(leaks)}")
    assert leaks == []
