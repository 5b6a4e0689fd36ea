"""Conversation: greetings, help, confirmation, follow-ups, fallback, the daily briefing, document questions."""

from __future__ import annotations

import asyncio
import re
from typing import Any, ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import knowledge
from nlu import discourse

from . import access, minutes, references
from .base import FOLLOW_UP_INTENTS, CityAction, Context, Reply, stamp
from .korean import number
from .office import confirm, visible_approvals
from .realtime import g

EXAMPLES = {
    "citizen": ["강남구 미세먼지 어때?", "오늘 날씨 알려줘", "2호선 지연 있어?", "홍대 사람 많아?", "배추 가격 얼마야?"],
    "officer": ["강서구 재난 상황 알려줘", "올림픽대로 막혀?", "불법주차 민원 현황", "재정자립도 얼마야?"],
    "mayor": ["강서구 재난 상황 알려줘", "서울로 7017", "결재 대기 목록 보여줘", "재난안전과장 연결해줘", "오늘 브리핑해줘"],
}


def examples(role: str) -> str:
    return ", ".join(f"'{e}'" for e in EXAMPLES.get(role, EXAMPLES["officer"]))


class ActionGreet(CityAction):
    intent = "greet"

    async def answer(self, ctx: Context) -> Reply:
        if ctx.citizen:
            return Reply(
                "안녕하세요! 서울시 안내 비서입니다. 날씨, 미세먼지, 교통, 혼잡도 같은 서울 정보를 물어보세요.", short="안녕하세요!"
            )
        return Reply("네, 말씀하세요. 도시 현황, 결재, 담당자 연결을 도와드립니다.", short="말씀하세요")


class ActionGoodbye(CityAction):
    intent = "goodbye"

    async def answer(self, ctx: Context) -> Reply:
        return Reply("이용해 주셔서 감사합니다. 좋은 하루 보내세요." if ctx.citizen else "수고하셨습니다.", short="안녕히 가세요")


class ActionThanks(CityAction):
    intent = "thanks"

    async def answer(self, ctx: Context) -> Reply:
        if ctx.citizen:
            return Reply("천만에요. 더 궁금한 점이 있으면 언제든 물어보세요.", short="천만에요")
        return Reply("네, 필요한 일이 있으면 언제든 말씀해 주십시오.", short="네")


class ActionHelp(CityAction):
    intent = "help"

    async def answer(self, ctx: Context) -> Reply:
        if ctx.citizen:
            text = f"서울의 공개 정보를 안내해 드립니다. 재난, 교통, 지하철·버스, 미세먼지, 날씨, 수돗물, 물가, 혼잡도, 공원, 공약, 행정 지표를 물어보세요. 예: {examples('citizen')}"
        else:
            text = f"도시 현황, 행정 현황, 시민 여론, 서울 이력서, 문서 검색을 도와드립니다. 예: {examples(ctx.role)}"
        return Reply(
            text,
            short="예: " + EXAMPLES["citizen" if ctx.citizen else ctx.role][0],
            data={"type": "help", "examples": EXAMPLES.get(ctx.role, [])},
        )


# What the secretary cannot serve (and where to ask instead), and short human answers to small talk;
# the cues that recognise them are nlu/discourse.py's.
LIMITS = {
    "bike": (
        "따릉이 대여와 대여소 위치는 안내하지 못합니다. '서울자전거 따릉이' 앱이나 bikeseoul.com에서 확인해 주세요.",
        "따릉이 앱에서 확인",
    ),
    "toilet": ("가까운 공중화장실 위치는 안내하지 못합니다. 지도 앱에서 '공중화장실'을 검색해 주세요.", "지도 앱에서 검색"),
    "directions": ("길 안내는 하지 못합니다. 지도 앱의 길찾기를 이용해 주세요.", "길 안내는 지도 앱으로"),
    "location": ("가게나 시설의 위치는 안내하지 못합니다. 지도 앱에서 찾아 주세요.", "위치는 지도 앱으로"),
    "personal": ("신고하거나 문의하신 분의 이름, 연락처, 주소 같은 개인정보는 알려드릴 수 없습니다.", "개인정보는 알려드릴 수 없습니다"),
    "booking": ("예약이나 일정 등록은 제가 할 수 없습니다. 담당 부서나 예약 시스템을 이용해 주세요.", "예약은 할 수 없습니다"),
    "recommend": ("식당이나 가게 추천은 하지 못합니다. 지도 앱이나 관광 안내(1330)를 이용해 주세요.", "추천은 하지 못합니다"),
    "ask_where": ("제가 답하지 못한 내용은 담당 기관에 물어보시는 게 가장 정확합니다.", "120 다산콜센터로 문의"),
    "civil": (
        "증명서 발급이나 세금 조회·납부 같은 개인 민원 업무는 여기서 처리할 수 없습니다. 정부24(gov.kr), 위택스(wetax.go.kr)나 가까운 주민센터를 이용해 주세요.",
        "정부24·위택스에서 가능합니다",
    ),
    "send": ("문자나 메일을 대신 보내 드리지는 못합니다. 직접 보내 주세요.", "보내기는 할 수 없습니다"),
    "market": ("주가나 집값 같은 시세 전망은 드릴 수 없습니다. 서울의 공개 도시 정보를 물어봐 주세요.", "시세 전망은 어렵습니다"),
    "taxi": ("택시나 대리운전 호출은 제가 할 수 없습니다. 택시 호출 앱을 이용해 주세요.", "택시 호출은 할 수 없습니다"),
    "draft": (
        "보도자료나 연설문 같은 글은 제가 써 드리지 못합니다. 필요한 자료와 수치는 찾아 드릴 수 있습니다.",
        "글 작성은 할 수 없습니다",
    ),
    "politics": (
        "선거, 정당, 의회 일정이나 여론조사는 제가 안내할 수 없습니다. 중앙선거관리위원회(nec.go.kr)나 서울시의회(smc.seoul.kr)에서 확인해 주세요.",
        "선거·의회 안내는 할 수 없습니다",
    ),
    "hr": ("수당, 연차 같은 인사·복무 업무는 제가 처리할 수 없습니다. 내부 인사 시스템을 이용해 주세요.", "인사 업무는 할 수 없습니다"),
    "lottery": ("로또 번호 같은 요청은 도와드릴 수 없습니다.", "도와드릴 수 없습니다"),
    "entertain": ("노래나 농담은 제가 잘하지 못합니다. 서울에 관한 건 무엇이든 물어봐 주세요.", "노래는 못 합니다"),
    "alarm": ("알람이나 타이머는 제가 맞춰 드리지 못합니다. 휴대전화나 시계의 알람을 이용해 주세요.", "알람은 맞출 수 없습니다"),
    "wifi": (
        "와이파이 접속 정보는 제가 안내하지 못합니다. 시설 안내 데스크나 게시된 안내문을 확인해 주세요.",
        "와이파이 안내는 어렵습니다",
    ),
    "parking": (
        "주차장 빈자리는 안내하지 못합니다. 서울시 주차정보 안내 시스템(parking.seoul.go.kr)이나 지도 앱을 이용해 주세요.",
        "주차정보는 parking.seoul.go.kr",
    ),
    "export": (
        "자료를 목록이나 파일로 뽑아 드리지는 못합니다. 공개 자료는 서울 열린데이터광장(data.seoul.go.kr)에서 내려받을 수 있습니다.",
        "파일 추출은 할 수 없습니다",
    ),
    "lost": (
        "분실물은 제가 찾아 드리지 못합니다. 지하철은 서울교통공사 유실물센터, 그 밖의 분실물은 경찰청 유실물 통합포털(lost112.go.kr)에서 확인해 주세요.",
        "분실물은 lost112.go.kr",
    ),
    "exchange": ("환전 장소는 안내하지 못합니다. 가까운 은행이나 공항·명동의 환전소를 지도 앱에서 찾아 주세요.", "환전은 은행에서"),
    "schedule": ("개인 일정은 제가 볼 수 없습니다. 일정 관리 시스템에서 확인해 주세요.", "일정은 볼 수 없습니다"),
}
SMALL_TALK = {
    "tired": ("고생 많으십니다. 잠깐 쉬어 가셔도 괜찮습니다. 필요한 게 있으면 말씀해 주세요.", "고생 많으십니다"),
    "sorry": ("괜찮습니다. 편하게 다시 말씀해 주세요.", "괜찮습니다"),
    "rude": ("불편을 드려 죄송합니다. 조금 짧게 다시 말씀해 주시면 바로 찾아 드리겠습니다.", "불편을 드려 죄송합니다"),
    "self": ("저는 서울시 스마트 도시 플랫폼의 음성 비서입니다. 도시 현황과 행정 정보를 찾아 드립니다.", "서울시 음성 비서입니다"),
    "kind": ("고맙습니다. 서울에 관한 건 무엇이든 물어봐 주세요.", "고맙습니다"),
}
CALL_CENTER = "그 밖의 서울 생활 문의는 120 다산콜센터(국번 없이 120)에서 도와드립니다."


def limits_or_small_talk(text: str) -> Reply | None:
    found = discourse.cue(text)
    if found is None:
        return None
    group, kind = found
    if group == "limit":
        answer, short = LIMITS[kind]
        return Reply(f"{answer} {CALL_CENTER}", short=short)
    answer, short = SMALL_TALK[kind]
    return Reply(answer, short=short)


class ActionOutOfScope(CityAction):
    intent = "out_of_scope"

    async def answer(self, ctx: Context) -> Reply:
        if found := limits_or_small_talk(ctx.text) or await document_answer(ctx):
            return found  # a limit, small talk, or a question the documents answer after all
        role = "citizen" if ctx.citizen else ctx.role
        return Reply(
            f"죄송합니다. 그 요청은 제가 도와드릴 수 없습니다. {CALL_CENTER} 제게는 서울의 도시 정보를 물어봐 주세요. 예: {examples(role)}",
            short="도와드릴 수 없는 요청입니다",
        )


class ActionFallback(CityAction):
    """Low NLU confidence: the documents may still answer it; otherwise say what can be asked."""

    intent = "nlu_fallback"

    def name(self) -> str:
        return "action_fallback"

    async def answer(self, ctx: Context) -> Reply:
        found = limits_or_small_talk(ctx.text) or await document_answer(ctx)
        if found is not None:
            return found
        role = "citizen" if ctx.citizen else ctx.role
        return Reply(f"말씀을 잘 이해하지 못했습니다. 이렇게 물어봐 주세요: {examples(role)}", short="다시 말씀해 주세요")


class ActionConfirm(CityAction):
    """affirm: carry out the pending side effect (approval, call)."""

    intent = "affirm"

    def name(self) -> str:
        return "action_confirm"

    async def answer(self, ctx: Context) -> Reply:
        pending = ctx.tracker.get_slot("pending_action")
        if not pending:  # "응", "그래" with nothing to confirm: just listen
            return limits_or_small_talk(ctx.text) or Reply("네, 말씀하세요.", short="네")
        return await confirm(ctx, pending)


class ActionCancel(CityAction):
    intent = "deny"

    def name(self) -> str:
        return "action_cancel"

    async def answer(self, ctx: Context) -> Reply:
        if ctx.tracker.get_slot("pending_action"):
            return Reply("취소했습니다.", short="취소")
        return Reply("알겠습니다.", short="알겠습니다")


# what keeps a follow-up on the cameras: "…쪽도요", "영상", "닫아" (realtime.CLOSE_RE)
ALSO_RE = re.compile(r"(?:도|쪽도)\s?요?[?.!]?$|영상|화면|카메라|cctv|닫|꺼|끄|치워", re.I)


class ActionFollowUp(CityAction):
    """inform ("송파구는?"): repeat the last question for the new entity, or show the place."""

    intent = "inform"
    targets: ClassVar[dict[str, CityAction]] = {}

    def name(self) -> str:
        return "action_follow_up"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        last = tracker.get_slot("last_intent")
        if last == "cctv_view" and not ALSO_RE.search(tracker.latest_message.get("text", "")):
            # "서울숲공원 상황은" after a CCTV request asks how the place is, not for its cameras ("…쪽도요" does)
            names = {e["entity"] for e in tracker.latest_message.get("entities", [])}
            last = "park_info" if "park" in names else "living_population" if names & {"place", "station"} else None
        if last in FOLLOW_UP_INTENTS and last in self.targets:
            return await self.targets[last].run(dispatcher, tracker, domain)
        role = (tracker.latest_message.get("metadata") or {}).get("role", "citizen")
        if access.can(role, "screen") and "action_navigate" in self.targets:
            return await self.targets["action_navigate"].run(dispatcher, tracker, domain)
        return await super().run(dispatcher, tracker, domain)

    async def answer(self, ctx: Context) -> Reply:
        loc = ctx.location()
        what = loc[1] if loc else "그 대상"
        return Reply(f"{what}에 대해 무엇이 궁금하신가요? 예: 미세먼지, 날씨, 교통, 혼잡도", short="무엇이 궁금하세요?")


class ActionDailyBriefing(CityAction):
    intent = "daily_briefing"
    permission = "briefing"

    async def answer(self, ctx: Context) -> Reply:
        air, weather = await ctx.city.get("air", None), await ctx.city.get("weather", None)
        disaster, traffic = await ctx.city.get("disaster", None), await ctx.city.get("traffic", None)
        opinion = await ctx.city.get("opinion", None)
        pending = await visible_approvals(ctx)
        w, a, d = weather.data["city"], air.data["city"], disaster.data
        top = max(opinion.data.items(), key=lambda kv: kv[1]["today"])
        urgent = sum(1 for p in pending if p["urgent"])
        lines = [
            f"날씨 {g(w['temp'])}℃, 미세먼지 PM10 {g(a['pm10'])}·PM2.5 {g(a['pm25'])}㎍/㎥.",
            f"오늘 화재 {d['fire']}건, 구조 {d['rescue']}건, 구급 {number(d['ems'])}건.",
            f"도심 평균 속도 {g(traffic.data['city']['avg_speed_kmh'])}km/h.",
            f"민원은 {top[0]} 분야가 가장 많습니다({top[1]['today']}건).",
            f"결재 대기 {len(pending)}건" + (f", 그중 긴급 {urgent}건입니다." if urgent else "입니다."),
        ]
        return Reply(
            " ".join(lines) + f" {stamp(air)}",
            short=f"{g(w['temp'])}℃ · 화재 {d['fire']} · 결재 {len(pending)}",
            data={
                "type": "briefing",
                "weather": w,
                "air": a,
                "disaster": {k: d[k] for k in ("fire", "rescue", "ems")},
                "approvals_pending": len(pending),
            },
            sources=[r.citation() for r in (air, weather, disaster, traffic, opinion)],
        )


async def document_answer(ctx: Context) -> Reply | None:
    """An extractive answer from the reading room, quoting its passages; None if the documents do not answer."""
    question = ctx.text
    last = ctx.tracker.get_slot("last_document") or {}
    follows = ctx.tracker.latest_message.get("follow_up") or references.DOCUMENT_REF_RE.search(question)  # "그 문서에 …"
    context = f"{last.get('title', '')} {last.get('question', '')}".strip() if follows else ""
    lead, hits = await asyncio.to_thread(knowledge.answer, question, ctx.citizen, 3, context)
    if lead is None:
        return None
    cites = "; ".join(dict.fromkeys(knowledge.cite(h) for h in hits))
    return Reply(
        f"문서에 따르면, {lead} (출처: {cites})",
        short=knowledge.best_sentence(question, lead),  # the watch: the sentence that answers
        data={"type": "knowledge", "passages": hits},
        sources=[
            {
                "kind": "document",
                "title": h["title"],
                "section": h["section"],
                "page": h["page"],
                "location": h["location"],
                "source": h["source"],
                "score": h["score"],
                "quote": h["text"],
                "url": h["url"],
            }
            for h in hits
        ],
        events=[
            SlotSet(
                "last_document",
                {**{k: hits[0][k] for k in ("title", "section", "location", "url", "source")}, "question": f"{context} {question}".strip()},
            )
        ],
    )


class ActionKnowledgeQuestion(CityAction):
    intent = "knowledge_question"

    async def answer(self, ctx: Context) -> Reply:
        if minutes.cue(ctx.text):  # "방금 통화 회의록 보여줘": that call's minutes
            return await minutes.answer(ctx)
        last = ctx.tracker.get_slot("last_document")
        if last and references.DOCUMENT_WHERE_RE.search(ctx.text):
            return Reply(  # "그 문서 어디에 나와 있어?": where the last answer came from
                f"앞의 답은 「{last['title']}」 {last['location']}에 나와 있습니다.",
                short=f"{last['title']} · {last['location']}"[:40],
                data={"type": "knowledge", "passages": []},
                sources=[{"kind": "document", **last}],
            )
        found = await document_answer(ctx)
        if found is None:
            return Reply(
                "보유한 문서에서는 이 질문의 답을 찾지 못했습니다. 질문을 바꿔서 다시 물어봐 주세요.",
                short="문서에 답이 없습니다",
                data={"type": "knowledge", "passages": []},
            )
        return found
