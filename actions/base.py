"""The base of every action: role check, entity/slot lookup, errors as Korean replies, one reply shape.

Actions are rasa-sdk `Action`s: the embedded dialogue runs them in-process, and a rasa-sdk
action server runs the very same classes for Rasa. Replies travel as text plus a custom
payload (`json_message`) carrying `short` (watch), `data` (wall screen), `directives` and `sources`.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from . import access, deps
from .citydata import CityData, DataUnavailable, Reading, UnknownKey
from .korean import formal, josa, when
from .records import Actor, Records

log = logging.getLogger(__name__)
LOCATION_SLOTS = ("place", "district", "station")
# What a bare follow-up keeps talking about besides the place.
# Carried names that are places themselves: a newly named place or the whole city replaces them.
LOCAL = ("road", "park", "facility", "bus_route")
CARRIED = (
    "topic", "indicator", "project", "pledge", "sector", "item", "road", "subway_line", "park", "facility", "bus_route", "city", "country",
)  # fmt: skip


@dataclass
class Reply:
    text: str
    short: str | None = None
    data: dict[str, Any] | None = None
    directives: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    events: list[EventType] = field(default_factory=list)
    keeps_pending: bool = False  # a reply that asks for confirmation keeps the pending action


class Context:
    def __init__(self, tracker: Tracker, city: CityData, records: Records):
        self.tracker = tracker
        self.city = city
        self.records = records
        # Set by the server from the signed-in user; anything else a client sends never gets here.
        meta = tracker.latest_message.get("metadata") or {}
        self.role: str = meta.get("role", "citizen")
        self.channel: str = meta.get("channel", "public")
        self.actor = Actor(
            username=meta.get("user") or "anonymous",
            role=self.role,
            channel=self.channel,
            client=meta.get("client") or "",
            user_id=meta.get("user_id"),
            session_id=tracker.sender_id,
        )
        self.department: str | None = meta.get("department")

    @property
    def text(self) -> str:
        """What the user said this turn."""
        return self.tracker.latest_message.get("text", "")

    @property
    def citizen(self) -> bool:
        return not access.can(self.role, "internal_data")

    def mentioned(self, name: str) -> Any:
        """The value of an entity in this message, if any; in a bare follow-up ("지난주는?", "작년이랑 비교하면?")
        also the topic, indicator, project … the conversation was about (locations: see `location`)."""
        value = next(self.tracker.get_latest_entity_values(name), None)
        # a newly named place, or the whole city, replaces a carried road or park
        # ("시 전체 집행률은" after a sector's budget: every sector)
        if (
            value is None
            and name in CARRIED
            and self.follow_up
            and not (name in LOCAL and (self.citywide or self.names_place))
            and not (name == "sector" and self.citywide)
        ):
            return self.tracker.get_slot(name)
        return value

    @property
    def follow_up(self) -> bool:
        """A bare follow-up: "송파구는?" (inform), or the same question again without a name ("어디가 제일 싸요?")."""
        latest = self.tracker.latest_message
        return latest.get("intent", {}).get("name") == "inform" or bool(latest.get("follow_up"))

    @property
    def names_place(self) -> bool:
        return any(next(self.tracker.get_latest_entity_values(n), None) for n in LOCATION_SLOTS)

    def all_mentioned(self, name: str) -> list[Any]:
        """Every value of that entity in this message (Rasa may report a span from two extractors)."""
        return list(dict.fromkeys(self.tracker.get_latest_entity_values(name)))

    def value(self, name: str) -> Any:
        """This message's entity; for a location also where the conversation was before (the slot).

        "날씨는?" after "강남구 미세먼지" means 강남구, but "공약 이행 현황" after "안심소득 이행률"
        asks about all pledges: only locations carry over.
        """
        v = self.mentioned(name)
        if v is not None or name not in LOCATION_SLOTS or self.citywide:
            return v
        return self.tracker.get_slot(name)

    @property
    def english(self) -> bool:
        """The message was in English (nlu/english.py): the reply is too."""
        return self.tracker.latest_message.get("language") == "en"

    @property
    def time(self) -> str | None:
        """When the question is about, if not now: tomorrow, weekend, last_week, last_year … (nlu/discourse.py)."""
        return self.mentioned("time")

    @property
    def citywide(self) -> bool:
        """ "서울 전체로는?": the whole city, whatever district the conversation was about."""
        return self.mentioned("scope") == "city"

    def location(self) -> tuple[str, str] | None:
        if self.citywide:
            return None
        for name in LOCATION_SLOTS:
            if self.mentioned(name):
                return name, self.mentioned(name)
        for name in LOCATION_SLOTS:
            if self.tracker.get_slot(name):
                return name, self.tracker.get_slot(name)
        return None

    async def district_of(self) -> str | None:
        """The district the user means: said, or the district of a named place."""
        loc = self.location()
        if loc is None:
            return None
        kind, value = loc
        if kind == "district":
            return value
        if kind == "place":
            try:
                return (await self.city.get("place", value)).data.get("district")
            except UnknownKey:
                return None
        return None


def stamp(reading: Reading) -> str:
    """'(샘플 데이터 · 11월 21일 14:00 기준)' — every figure says where and when it is from."""
    note = f"{reading.source} · {when(reading.observed_at)} 기준"
    if reading.stale:
        note += " · 실시간 연결 실패로 마지막 값"
    return f"({note})"


def cited(text: str, reading: Reading, short: str, data: dict[str, Any]) -> Reply:
    """A reply resting on one reading: its source and time follow the sentence and go into `sources`."""
    return Reply(f"{text} {stamp(reading)}", short=short, data=data, sources=[reading.citation()])


class CityAction(Action, ABC):
    """Abstract: rasa-sdk's action server registers every concrete Action subclass it finds."""

    intent: ClassVar[str]
    permission: ClassVar[str] = "public_data"
    times: ClassVar[frozenset[str]] = frozenset()  # other times than now this action answers from forecast or history

    def name(self) -> str:
        return f"action_{self.intent}"

    @abstractmethod
    async def answer(self, ctx: Context) -> Reply: ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        ctx = Context(tracker, deps.city(), deps.records())
        if not access.can(ctx.role, self.permission):
            reply = Reply(access.refusal(ctx.role, self.permission, ctx.english), short="Not public" if ctx.english else "권한 없음")
        else:
            try:
                if ctx.english:
                    from . import english  # (imports this module)

                    reply = await english.answer(self.intent, ctx)
                elif ctx.time and ctx.time not in self.times and self.intent in TOPICS:
                    reply = no_data_for(ctx.time, self.intent)
                else:
                    reply = await self.answer(ctx)
            except UnknownKey as exc:
                what = exc.args[0] if exc.args and exc.args[0] else "요청하신 대상"
                reply = Reply(
                    f"{josa(str(what), '은')} 아직 데이터가 없는 대상입니다. 다른 지역이나 항목으로 물어봐 주세요.", short="데이터 없음"
                )
            except DataUnavailable:
                log.exception("data unavailable in %s", self.name())
                reply = Reply("실시간 데이터를 지금 가져오지 못했습니다. 잠시 후 다시 물어봐 주세요.", short="데이터 연결 실패")
        if ctx.role == "mayor" and not ctx.english:  # one register for the mayor, whatever the data source wrote
            reply.text, reply.short = formal(reply.text), reply.short and formal(reply.short)
        if reply.data and access.can(ctx.role, "screen") and not any(d["type"] in ("navigate", "cctv") for d in reply.directives):
            if screen := WALL_SCREENS.get(reply.data.get("type", "")):  # the wall shows what the mayor asked about
                show = {"type": "show", "screen": screen, "layer": MAP_LAYERS.get(reply.data["type"]), "data": reply.data}
                reply.directives.append(show)
        dispatcher.utter_message(
            text=reply.text,
            json_message={"short": reply.short or reply.text, "data": reply.data, "directives": reply.directives, "sources": reply.sources},
        )
        return self.events(ctx, reply)

    def events(self, ctx: Context, reply: Reply) -> list[EventType]:
        # what a follow-up continues: the last data question, or the documents (knowledge_question)
        events: list[EventType] = [SlotSet("last_intent", self.intent)] if self.intent in FOLLOW_UP_INTENTS | {"knowledge_question"} else []
        said = [n for n in LOCATION_SLOTS if ctx.mentioned(n)]
        if said or ctx.citywide:  # the newest location (or the whole city) replaces older ones
            events += [SlotSet(n, None) for n in LOCATION_SLOTS if n not in said and ctx.tracker.get_slot(n)]
        if not reply.keeps_pending and ctx.tracker.get_slot("pending_action"):
            events.append(SlotSet("pending_action", None))
        return events + reply.events


# Intents a bare follow-up ("송파구는?") repeats for the new entity.
FOLLOW_UP_INTENTS = {
    "disaster_status",
    "traffic_status",
    "transit_status",
    "air_quality",
    "weather",
    "water_quality",
    "price_info",
    "finance_status",
    "living_population",
    "public_opinion",
    "admin_indicator",
    "project_status",
    "pledge_status",
    "intl_cooperation",
    "city_ranking",
    "park_info",
    "cctv_view",
}


# What each data intent is about, for "모레 …은 자료가 없습니다".
TOPICS = {
    "disaster_status": "재난 현황",
    "traffic_status": "교통 상황",
    "transit_status": "지하철·버스 운행",
    "air_quality": "대기질",
    "weather": "날씨",
    "water_quality": "수돗물 수질",
    "price_info": "물가",
    "finance_status": "재정",
    "living_population": "생활인구",
    "public_opinion": "민원",
    "admin_indicator": "행정 지표",
    "project_status": "사업 현황",
    "pledge_status": "공약 이행",
    "park_info": "공원·둘레길",
    "cctv_view": "CCTV",
    "city_ranking": "도시 순위",
}
TIME_WORDS = {
    "tomorrow": "내일",
    "day_after_tomorrow": "모레",
    "weekend": "주말",
    "next_week": "다음 주",
    "later_today": "이따",
    "yesterday": "어제",
    "last_week": "지난주",
    "last_month": "지난달",
    "last_year": "작년",
    "next_year": "내년",
}
FUTURE = {"tomorrow", "day_after_tomorrow", "weekend", "next_week", "later_today", "next_year"}


def no_data_for(time: str, intent: str) -> Reply:
    """Say plainly that there is no forecast or history for that time, instead of passing today's value off as it."""
    when_ = TIME_WORDS.get(time, "그때")
    topic = TOPICS[intent]
    if time in FUTURE:
        where = (
            "기상청 날씨누리(weather.go.kr)에서 예보를 확인해 주세요."
            if intent in ("weather", "air_quality")
            else "지금 상황만 안내할 수 있습니다."
        )
        text = f"{when_} {topic} 예보 자료는 제게 없습니다. {where}"
    else:
        text = f"{when_} {topic} 기록은 제게 없습니다. 지난 자료는 서울 열린데이터광장(data.seoul.go.kr)에서 찾아보실 수 있습니다."
    return Reply(text, short=f"{when_} {topic} 자료 없음")


# The wall screen for each kind of reply data (assistant/web/static/js/wall.js draws them), and the map layer.
WALL_SCREENS = {
    "approvals": "approvals",
    "approval_confirm": "approval",
    "approval_decided": "approval",
    "approval_detail": "approval",
    "pledges": "pledges",
    "pledge": "pledges",
    "finance": "finance",
    "living_population": "population",
    "opinion": "public_opinion",
    "ranking": "seoul_resume",
    "intl": "seoul_resume",
    "knowledge": "reading_room",
    "project": "project",
    "projects": "admin_status",
    "indicators": "admin_status",
    "indicator": "admin_status",
    **dict.fromkeys(
        (
            "disaster",
            "traffic",
            "air_quality",
            "weather",
            "water_quality",
            "price",
            "prices",
            "station",
            "subway_line",
            "subway_lines",
            "bus",
        ),
        "city_status",
    ),
}
MAP_LAYERS = {"disaster": "disaster", "traffic": "traffic", "air_quality": "air", "living_population": "population"}
