"""Every intent of INTENTS.md answers from city data: the reply carries the data's numbers and names."""

from __future__ import annotations

import pytest
from conftest import say

from actions.korean import approx, number, won


@pytest.fixture(autouse=True)
def as_mayor(client, mayor):
    client.headers.update(mayor)  # the mayor may ask everything


def fmt(x: float) -> str:
    return f"{x:g}"


def check(client, text: str, intent: str, *needles: str, channel: str = "wall", session: str = "s") -> dict:
    r = say(client, text, channel, session)
    assert r["intent"]["name"] == intent, (text, r["intent"])
    for n in needles:
        assert n in r["text"], (n, r["text"])
    return r


def test_real_time_city_status(client, sample):
    d = sample["districts"]["districts"]
    air = d["강남구"]["air"]
    r = check(
        client,
        "강남구 미세먼지 어때?",
        "air_quality",
        "강남구",
        f"PM10 {air['pm10']}㎍/㎥",
        f"PM2.5 {air['pm25']}㎍/㎥",
        air["pm10_grade"],
        "샘플 데이터",
        "14:00",
    )
    assert r["sources"][0]["sample"] is True and r["data"]["pm10"] == air["pm10"]
    w = d["마포구"]["weather"]
    check(client, "마포구 날씨 어때", "weather", f"{fmt(w['temp'])}℃", f"최고 {fmt(w['max_temp'])}℃", f"습도 {w['humidity']}%")
    x = d["강서구"]["disaster"]
    check(
        client,
        "강서구 재난 상황 알려줘",
        "disaster_status",
        f"화재 {x['fire']}건",
        f"구조 {x['rescue']}건",
        f"구급 {x['ems']}건",
        "진화 중",
        "재난문자",
    )
    road = sample["roads"]["roads"]["올림픽대로"]
    check(client, "올림픽대로 막혀?", "traffic_status", f"{fmt(road['speed_kmh'])}km/h", road["index"])
    t = d["용산구"]["traffic"]
    check(client, "용산 구 교통 상황", "traffic_status", "용산구", f"{fmt(t['avg_speed_kmh'])}km/h")
    line = sample["transit"]["lines"]["2호선"]
    check(client, "2호선 운행 상황", "transit_status", "2호선", line["status"], f"배차 간격 약 {line['headway_min']}분")
    st = sample["transit"]["stations"]["강남역"]["arrivals"][0]
    check(client, "강남역 열차 언제 와", "transit_status", st["message"], st["destination"])
    bus = sample["transit"]["buses"]["7612"]
    check(client, "7612번 버스 언제 와", "transit_status", bus["arrivals"][0]["message"], bus["stop"])
    wq = d["광진구"]["water"]
    check(client, "광진구 수돗물 수질", "water_quality", f"탁도 {fmt(wq['turbidity_ntu'])}NTU", f"pH {fmt(wq['ph'])}", "적합")
    p = sample["places"]["places"]["홍대입구역"]
    check(client, "홍대 사람 많아?", "living_population", "홍대입구역", p["congestion"], approx(p["population_min"]))
    pop = d["송파구"]["living_population"]["count"]
    check(client, "송파구 생활인구", "living_population", f"약 {approx(pop)}명")
    park = sample["parks"]["parks"]["서울둘레길 1코스"]
    check(client, "둘레길 1코스 코스 알려줘", "park_info", f"{fmt(park['length_km'])}km", park["difficulty"], park["status"])
    r = check(client, "광화문광장 CCTV 보여줘", "cctv_view", "CCTV 2대")
    assert r["directives"][0]["type"] == "cctv" and r["directives"][0]["feeds"][0]["id"].startswith("CCTV-POI088")


def test_administrative_status(client, sample):
    item = sample["prices"]["items"]["배추"]
    check(client, "배추 가격 얼마야", "price_info", f"평균 {number(item['average'])}원", item["markets"][0]["market"])
    fin = sample["finance"]["finance"]
    check(client, "올해 예산 얼마야", "finance_status", won(fin["total_budget"]), f"집행률 {fmt(fin['execution_rate'])}%")
    welfare = fin["sectors"]["사회복지"]
    check(client, "복지 예산 집행률", "finance_status", "사회복지", f"{fmt(welfare['execution_rate'])}%")
    op = sample["opinion"]["topics"]["불법주차"]
    check(client, "불법주차 민원 현황", "public_opinion", f"오늘 {op['today']}건", f"120 다산콜 상담 {op['call_120']}건")
    ind = sample["indicators"]["indicators"]["재정자립도"]
    check(client, "재정자립도 얼마야", "admin_indicator", f"{fmt(ind['value'])}%", f"{ind['year']}년")
    pr = sample["projects"]["projects"]["다시세운 프로젝트"]
    check(client, "세운 재생 진행 상황", "project_status", f"공정률 {pr['progress_pct']}%", pr["department"])
    pl = sample["pledges"]["pledges"]["안심소득"]
    check(client, "안심소득 이행률", "pledge_status", f"이행률 {pl['completion_pct']}%")
    s = sample["pledges"]["summary"]
    check(client, "공약 이행 현황", "pledge_status", f"공약 {s['total']}건", f"완료 {s['completed']}건")


def test_seoul_resume(client, sample):
    paris = sample["international"]["cities"]["파리"]
    check(client, "파리와 협력 사업", "intl_cooperation", f"{paris['since']}년", paris["projects"][0])
    top = sample["rankings"]["rankings"][0]
    check(client, "서울 세계 도시 순위", "city_ranking", f"{top['rank']}위", sample["rankings"]["awards"][0]["name"])


def test_mayors_office(client, sample):
    r = check(client, "서울로 7017", "navigate", "서울로 7017로 이동합니다")
    assert r["directives"] == [
        {
            "type": "navigate",
            "screen": "project",
            "target": {
                "kind": "project",
                "name": "서울로 7017",
                "id": sample["projects"]["projects"]["서울로 7017"]["id"],
                "path": "project/서울로",
            },
        }
    ]
    r = check(client, "시민 여론 화면으로 가", "navigate", "시민 여론으로 이동합니다")
    assert r["directives"][0] == {"type": "navigate", "screen": "public_opinion"}
    first = sample["approvals"]["approvals"][0]
    check(client, "결재 대기 목록 보여줘", "approval_list", "결재 대기 5건", first["title"])
    check(client, "첫 번째 문서 승인해", "approval_decide", first["title"], "승인할까요?")
    check(client, "재난안전과장 연결해줘", "call_officer", "재난안전과", "영상통화를 걸까요?", session="call")
    check(client, "응", "affirm", "연결합니다", session="call")
    # Nobody is signed in as that officer here: the call ends at once as unanswerable (the mayor is told),
    # so there is nothing left to hang up. tests/test_calls.py covers calls that are answered.
    check(client, "전화 끊어", "end_call", "진행 중인 통화가 없습니다", session="call")
    d = sample["districts"]["districts"]
    fires = sum(v["disaster"]["fire"] for v in d.values())
    check(client, "오늘 브리핑해줘", "daily_briefing", f"화재 {fires}건", "결재 대기 5건", "긴급 2건")


def test_documents_and_conversation(client):
    r = check(client, "스마트시티 플랫폼 구축 비용이 얼마였지", "knowledge_question", "42억 원", "구축 경과와 비용")
    assert r["sources"][0]["kind"] == "document" and "42억" in r["sources"][0]["quote"]
    check(client, "안녕", "greet", "말씀하세요")
    check(client, "고마워", "thanks", "언제든 말씀해 주십시오")
    check(client, "잘 가", "goodbye", "수고하셨습니다")
    check(client, "도와줘", "help", "강서구 재난 상황")
    check(client, "오늘 로또 번호 알려줘", "out_of_scope", "도와드릴 수 없습니다")
    check(client, "아니", "deny", "알겠습니다")
    check(client, "응", "affirm", "네, 말씀하세요")
    check(client, "강남구 미세먼지 어때?", "air_quality", session="f")
    check(client, "송파구는?", "inform", "송파구 미세먼지", session="f")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # limits that decide whatever the classifier says, and the city's own figures that merely share a word
        ("카톡으로 비서실에 좀 전해줘", "out_of_scope"),
        ("이번 달 제 초과근무 수당 얼마 나오는지 봐 줄래요", "out_of_scope"),
        ("택시 좀 불러줘", "out_of_scope"),
        ("한파 재난문자 발송됐어?", "disaster_status"),
        ("아동수당 예산 얼마야", "finance_status"),
        ("택시 승차 거부 민원 많아?", "public_opinion"),
        ("주정차 단속 카메라 위치 목록 뽑아줘요", "out_of_scope"),
        ("공영주차장 빈자리 몇 개 남았어요", "out_of_scope"),
        ("불법 주차 민원 몇 건이야", "public_opinion"),
        ("What did Seoul export to Bogota?", "intl_cooperation"),
        ("네 좋은 하루 보내요", "goodbye"),
        ("알겠어요 고마워요 이따 또 물어볼게", "thanks"),
        ("혹시 노래 한 곡 불러줄 수 있어요", "out_of_scope"),
        ("잠실역 이따 다섯 시 되면 좀 한산해질까요", "living_population"),
        # a decision word opening the request needs its verb; a live question is not a definition
        ("승인 대기 목록 보여줘", "approval_list"),
        ("반려해 예산이 너무 과해", "approval_decide"),
        ("지금 제일 막히는 도로가 뭐야", "traffic_status"),
        ("미세먼지 계절관리제가 뭐예요", "knowledge_question"),
        # a mistyped topic word is mended; one Kiwi knows is not
        ("강동구 교퉁 상황", "traffic_status"),
        ("오늘 강남구 내일 봐줘", "weather"),
        ("내일 봐", "goodbye"),
    ],
)
def test_cues_decide_only_what_they_name(client, text, intent):
    check(client, text, intent, session="cue")


def test_several_decisions_at_once_and_an_undo_then_the_other_decision(client):
    check(client, "급한 결재 뭐 있어", "approval_list", "제설", "상수관")
    r = check(client, "두 개 다 승인해", "approval_decide", "2건을 모두 승인할까요")
    r = check(client, "응", "affirm", "제설", "상수관", "승인했습니다")
    assert len([d for d in r["directives"] if d["type"] == "approval.decided"]) == 2  # the wall updates both
    check(client, "상수관 건만 취소해줘", "approval_decide", "상수관", "승인을 취소하고 결재 대기로")
    check(client, "응", "affirm", "결재 대기로 되돌렸습니다")
    check(client, "세 번째 거 반려해 예산이 너무 과해", "approval_decide", "반려할까요")
    check(client, "응", "affirm", "반려했습니다")
    check(client, "승인으로 바꾸자", "approval_decide", "반려를 취소하고 승인으로 바꿀까요")
    check(client, "응", "affirm", "승인했습니다")
