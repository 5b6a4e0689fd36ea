"""Replies in English for citizens who write in English (nlu/english.py understands them).

The same data, the same provenance and the same public fields as the Korean replies (citizens never see internal
indicators or records), in short natural English. Korean names are written the way English readers know them:
an English name when the city's tables have one (Olympic Park, Tokyo, the employment rate), else romanized
(합정역 → Hapjeong Station). Data values that are Korean words (statuses, reasons, incident types) go through small
glossaries with a plain fallback, so no Korean text reaches an English reply. What cannot be answered in English says
so and where to ask (120 has English service).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from rasa_sdk.events import SlotSet

import knowledge
from nlu import discourse
from nlu import english as nlu_english

from .admin import OPINION_PUBLIC
from .base import TOPICS, Context, Reply
from .citydata import DataUnavailable, Reading, UnknownKey
from .privacy import public_fields
from .realtime import VISITORS_RANK_RE, by_visitors, forecast_at, park_as_place, trail_courses

# -- names -------------------------------------------------------------------------------------------------------


def displays(table: dict[str, str]) -> dict[str, str]:
    """Korean name -> how a reply writes it: the first English form of the first entry naming it."""
    out: dict[str, str] = {}
    for forms, ko in table.items():
        out.setdefault(ko, forms.split("|")[0])
    return out


ITEM_EN = {ko: en for en, ko in reversed(nlu_english.ITEMS_EN.items())}  # the plain name: "cabbage" for 배추
# "Gangnam-gu" for 강남구: the romanized names the NLU reads, written back the official way.
DISTRICT_EN = {ko: f"{en.capitalize()}-gu" for en, ko in nlu_english.DISTRICTS_EN.items()}
# "Myeongdong" for 명동 관광특구: the first English name the NLU reads for each place.
PLACE_EN: dict[str, str] = {}
for en, (_, ko) in nlu_english.PLACES_EN.items():
    PLACE_EN.setdefault(ko, en.upper() if len(en) <= 3 else en.title())
KNOWN = {
    **PLACE_EN,
    **{ko: en.removesuffix(" station") for ko, en in displays(nlu_english.NAMES_EN).items()},
    **displays(nlu_english.CITIES_EN),
    **displays(nlu_english.COUNTRIES_EN),
    **displays(nlu_english.INDICATORS_EN),
    **displays(nlu_english.PLEDGES_EN),
    **displays(nlu_english.SECTORS_EN),
    **displays(nlu_english.TOPICS_EN),
    **DISTRICT_EN,
}
# The English for the last word of a Korean name ("보라매공원" → Boramae Park).
NAME_SUFFIXES = {
    "한강공원": " Hangang Park", "아리수정수센터": " Arisu Water Purification Center", "정수센터": " Water Purification Center",
    "공원": " Park", "대로": "-daero", "로": "-ro", "길": "-gil", "동": "-dong", "구청": "-gu Office", "시장": " Market",
    "관광특구": " Special Tourist Zone", "한옥마을": " Hanok Village", "카페거리": " Café Street", "광장": " Square",
    "종합운동장": " Sports Complex", "타워": " Tower", "호수": " Lake", "앞": "",
}  # fmt: skip


# Words of departments and signs, for names made of them only (교통정책과 → Transportation Policy Division).
WORDS = {
    "정책": "Policy", "과": "Division", "국": "Bureau", "실": "Office", "본부": "Headquarters", "추진단": "Task Force",
    "담당관": "Officer", "기획관": "Planning Office", "정책관": "Policy Office", "재단": "Foundation", "센터": "Center",
    "복지": "Welfare", "교통": "Transportation", "주택": "Housing", "평생교육": "Lifelong Education", "여성가족": "Women and Family",
    "시민건강": "Citizen Health", "한강사업": "Hangang Project", "공원여가": "Parks and Leisure", "균형발전": "Balanced Development",
    "광화문광장": "Gwanghwamun Square", "재난안전": "Disaster Safety", "소방재난": "Fire and Disaster", "기후환경": "Climate and Environment",
    "대기": "Air Quality", "물순환": "Water Cycle", "상수도사업": "Waterworks", "도시계획": "Urban Planning", "예산": "Budget",
    "시민소통": "Citizen Communication", "민생노동": "Livelihood and Labor", "경제": "Economic", "버스": "Bus", "도로관리": "Road Management",
    "스마트도시": "Smart City", "국제협력": "International Cooperation", "안전총괄": "Safety Management", "물가대책": "Price Stabilization",
    "스마트": "Smart", "서울": "Seoul", "플랫폼": "Platform", "연합뉴스": "Yonhap News", "서울신문": "Seoul Shinmun",
    "뉴욕타임스": "The New York Times", "가디언": "The Guardian", "조선일보": "Chosun Ilbo", "중앙일보": "JoongAng Ilbo",
    "동아일보": "Dong-A Ilbo", "한겨레": "Hankyoreh", "재정": "Finance", "서울시청": "Seoul City Hall", "시청": "City Hall", "관광특구": "Special Tourist Zone", "서울특별시": "Seoul", "시작": "Start", "지점": "Point", "안내센터": "Information Center", "관리": "Management",
}  # fmt: skip


def glossary_words(word: str) -> list[str] | None:
    """The word as glossary words end to end, if it is made of them only; None otherwise (잠실 is not 잠 + 실)."""
    if not word:
        return []
    for ko in sorted((k for k in WORDS if word.endswith(k)), key=len, reverse=True):
        if (rest := glossary_words(word[: -len(ko)])) is not None:
            return [*rest, WORDS[ko]]
    return None


def name_en(ko: str) -> str:
    """A Korean name as English readers know it: 올림픽공원 → Olympic Park, 합정역 → Hapjeong Station."""
    if ko in KNOWN:
        return KNOWN[ko]
    if ko.endswith("역") and len(ko) > 1:
        return f"{name_en(ko[:-1])} Station"
    ko = re.sub(r"\([^)]*\)", "", ko)  # 광장(전통)시장 → 광장시장
    return " & ".join(" ".join(word_en(w) for w in part.split()) for part in ko.split("·"))


def word_en(word: str) -> str:
    if word in KNOWN:
        return KNOWN[word]
    if glossed_words := glossary_words(word):
        return " ".join(glossed_words)
    if m := re.fullmatch(r"(\d+)코스", word):
        return f"Course {m[1]}"
    if m := re.fullmatch(r"(\D+)(\d+)가", word):
        return f"{word_en(m[1])} {m[2]}-ga"  # 종로3가 → Jongno 3-ga
    if suffix := next((s for s in NAME_SUFFIXES if word.endswith(s) and len(word) > len(s) + (s == "로")), None):  # 종로 is Jongno
        stem = word[: -len(suffix)]
        return (KNOWN.get(stem) or " ".join(glossary_words(stem) or []) or nlu_english.roman(stem).capitalize()) + NAME_SUFFIXES[suffix]
    return nlu_english.roman(word).capitalize() or word


def where(name: str | None) -> str:
    return name_en(name) if name else "Seoul"


def line_en(line: str) -> str:
    """2호선 → Line 2, 신분당선 → Shinbundang Line."""
    if m := re.fullmatch(r"(\d+)호선", line):
        return f"Line {m[1]}"
    return KNOWN.get(line) or f"{name_en(line.removesuffix('선'))} Line"


# -- numbers, dates and the data's own words ---------------------------------------------------------------------
MONTHS = "January February March April May June July August September October November December".split()


def num(x: float) -> str:
    """9331828 → 9,331,828; 78.9 → 78.9; 64.0 → 64."""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"


def plural(n: float, word: str) -> str:
    """1 fire, 2 fires, 3 cities."""
    if n == 1:
        return f"1 {word}"
    many = word[:-1] + "ies" if re.search(r"[^aeiou]y$", word) else word + ("es" if word.endswith(("s", "sh", "ch")) else "s")
    return f"{num(n)} {many}"


def won(amount: float) -> str:
    """48,710,000,000,000 → 48.71 trillion won."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if amount >= size:
            return f"{amount / size:.2f}".rstrip("0").rstrip(".") + f" {word} won"
    return f"{amount:,.0f} won"


def date_en(iso: str) -> str:
    """2026-10-31 → October 31, 2026; 2015-12 → December 2015."""
    parts = [int(p) for p in re.findall(r"\d+", iso)[:3]]
    if len(parts) == 3:
        return f"{MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    return f"{MONTHS[parts[1] - 1]} {parts[0]}" if len(parts) == 2 else iso


def until_en(text: str) -> str:
    """ "(11월 25일까지)" → " until November 25"."""
    m = re.search(r"(\d{1,2})월\s?(\d{1,2})일\s?까지", text)
    return f" until {MONTHS[int(m[1]) - 1]} {int(m[2])}" if m else ""


def glossed(text: str, glossary: dict[str, str], default: str) -> str:
    """The English of a data value: exact, or the glossary's longest word inside it, else a plain default."""
    if text in glossary:
        return glossary[text]
    return next((glossary[k] for k in sorted(glossary, key=len, reverse=True) if k in text), default)


GRADE = {"좋음": "good", "보통": "moderate", "나쁨": "unhealthy", "매우나쁨": "very unhealthy", "매우 나쁨": "very unhealthy"}
CONGESTION = {
    "여유": "not crowded", "보통": "moderately busy", "약간 붐빔": "somewhat crowded", "붐빔": "crowded", "혼잡": "crowded",
    "매우 혼잡": "very crowded",
}  # fmt: skip
REASONS = {
    "선행 열차 지연": "a delayed train ahead", "출입문 고장 조치": "a door fault being fixed", "승객 혼잡": "crowding",
    "신호 장애": "a signal fault", "낙엽 정비": "leaf clearing", "시설 보수": "repairs", "보수 공사": "repair works",
    "산불 예방": "wildfire prevention", "기상 악화": "bad weather", "안전 점검": "a safety check", "행사": "an event", "공사": "works",
}  # fmt: skip
PARK_STATUS = {
    "정상 개방": "open",
    "일부 구간 통제": "partly closed",
    "부분 통제": "partly closed",
    "전면 통제": "closed",
    "통제": "closed",
}
DIFFICULTY = {"쉬움": "easy", "보통": "moderate", "어려움": "hard"}
INCIDENTS = {
    "주택 화재": "a house fire", "전기 화재": "an electrical fire", "차량 화재": "a vehicle fire", "음식점 화재": "a restaurant fire",
    "공사장 화재": "a construction-site fire", "산불": "a wildfire", "수난 구조": "a water rescue", "교통사고 구조": "a road-accident rescue",
    "산악 구조": "a mountain rescue", "문 개방": "a lock-out call", "화재": "a fire", "구조": "a rescue", "구급": "an ambulance call",
}  # fmt: skip
INCIDENT_STATUS = {"진화 중": "being put out", "수색 중": "search under way", "조사 중": "under investigation", "진화 완료": "put out"}
ACTIVE = ("진화 중", "수색 중", "조사 중")  # as the Korean reply counts them
ALERT_LEVELS = {"안전안내": "safety notice", "긴급재난": "emergency alert", "위급재난": "extreme emergency alert"}
ALERT_KINDS = {
    "한파": "cold-wave", "폭염": "heat-wave", "화재": "fire", "산불": "wildfire", "호우": "heavy-rain", "대설": "heavy-snow",
    "태풍": "typhoon", "강풍": "strong-wind", "지진": "earthquake", "미세먼지": "fine-dust", "교통": "traffic", "실종": "missing-person",
}  # fmt: skip
INTL_KINDS = {"자매도시": "sister city", "우호도시": "friendship city"}
COOPERATION = {
    "기후 대응 협력": "climate action", "청년 교류 프로그램": "youth exchanges", "대중교통 정책 자문": "public transport advice",
    "관광 공동 마케팅": "joint tourism marketing", "스마트시티 정책 공유": "smart city policy sharing",
    "도시재생 공동 연구": "joint urban regeneration research",
}  # fmt: skip
POLICIES = {
    "교통카드 시스템": "its transit card system", "버스 운영 관리 시스템": "its bus management system",
    "스마트시티 플랫폼 자문": "smart city platform advice", "상수도 관리 기술": "water supply management",
    "전자정부 시스템": "its e-government system", "교통정보센터": "its TOPIS traffic information centre",
}  # fmt: skip
PLEDGE_STATUS = {"정상 추진": "on track", "추진 중": "in progress", "완료": "completed", "지연": "delayed", "부진": "behind schedule"}
PHASES = {
    "운영 중": "in operation",
    "공사 중": "under construction",
    "준공": "completed",
    "설계": "in design",
    "기본계획": "at the master-plan stage",
}
TRAFFIC_INDEX = {"원활": "flowing freely", "서행": "slow", "정체": "congested"}
SECTIONS = {"양방향": "both directions", "상행": "inbound", "하행": "outbound"}
ROAD_EVENTS = {"사고": "an accident", "공사": "roadworks", "행사": "an event"}
SKY = {"맑음": "clear", "구름많음": "mostly cloudy", "흐림": "overcast", "비": "rain", "눈": "snow", "소나기": "showers"}
UNITS = {"%": "%", "㎡": " m²", "㎍/㎥": " µg/m³", "점": " points", "등급": "", "명": " people", "tCO2eq": " tCO2eq"}
RANKINGS_EN = {
    "글로벌 금융센터 지수(GFCI)": "Global Financial Centres Index (GFCI)",
    "글로벌 도시 경쟁력 지수(GPCI)": "Global Power City Index (GPCI)",
    "스마트시티 지수": "Smart City Index",
    "세계 관광 도시 순위": "world tourism city ranking",
    "전자정부 평가": "e-government survey",
}
CAN_DO = (
    "In English I can tell you about the subway and buses, air, weather, traffic, crowds, parks and trails, fires and emergencies, "
    "tap water, prices, the city budget, indicators and pledges, sister cities and the city's public documents."
)
CALL_120 = "For anything else, the Dasan Call Center (dial 120) answers in English too."
SOURCES = {"서울 열린데이터광장": "Seoul Open Data Plaza", "행정안전부": "Ministry of the Interior and Safety emergency texts"}


# "Which places are busiest?", "What indicators are there?": over all of them, not the one talked about before
OVER_ALL_RE = re.compile(
    r"\b(?:which|what|any|all)\b.*\b(?:places|spots|areas|items|groceries|foods|parks|trails|courses|indicators|projects|pledges|promises)\b"
    r"|\b(?:busiest|most crowded)\b",
    re.I,
)


def named(ctx: Context, kind: str) -> Any:
    """The `kind` this message names; else the one talked about before, unless the question is over all of them."""
    said = next(ctx.tracker.get_latest_entity_values(kind), None)
    return said if said is not None or OVER_ALL_RE.search(ctx.text) else ctx.mentioned(kind)


def stamp(r: Reading) -> str:
    label = "sample data" if r.sample else glossed(r.source, SOURCES, "city open data")
    return f"({label}, as of {r.observed_at[:16].replace('T', ' ')} KST{', last known value' if r.stale else ''})"


def cited(text: str, r: Reading, short: str, *more: Reading) -> Reply:
    return Reply(f"{text} {stamp(r)}", short=short[:1].upper() + short[1:], sources=[x.citation() for x in (r, *more)])


# -- real-time city status -----------------------------------------------------------------------------------------
CROWD_RE = re.compile(r"crowd|busy|packed|full|congest", re.I)
BUS_RE = re.compile(r"\bbus(?:es)?\b", re.I)


async def transit(ctx: Context) -> Reply:
    subway_named = ctx.all_mentioned("subway_line") or ctx.all_mentioned("station")
    if (not subway_named or BUS_RE.search(ctx.text)) and (bus := ctx.mentioned("bus_route")):  # "And line 6?" after a bus: the line
        return await bus_arrivals(ctx, str(bus))
    # "And line 6?" right after a station's arrivals: that station, that line (if it stops there)
    said, line = ctx.mentioned("station"), ctx.mentioned("subway_line")
    if station := said or (ctx.value("station") if not line or ctx.follow_up else None):
        r = await ctx.city.get("station", station)
        if said or not line or any(a["line"] == line for a in r.data["arrivals"]):
            return arrivals(ctx, station, r)
    if lines := ctx.all_mentioned("subway_line"):
        rows = [(x, await ctx.city.get("line", x)) for x in lines]
        said = [line_status(x, r.data, bool(CROWD_RE.search(ctx.text))) for x, r in rows]
        return cited(" ".join(text for text, _ in said), rows[0][1], short=" · ".join(short for _, short in said))
    r = await ctx.city.get("line", None)
    late = [(k, v) for k, v in r.data.items() if v["status"] != "정상 운행"]
    buses = "I have bus arrivals by route number (for example 'bus 273'). " if BUS_RE.search(ctx.text) else ""
    if not late:
        return cited(f"{buses}All subway lines are running normally.", r, short="Subway: all normal")
    delays = ", ".join(f"{line_en(k)} about {v['delay_min']} min ({glossed(v['reason'], REASONS, 'a delay')})" for k, v in late)
    return cited(f"{buses}Subway delays: {delays}. The other lines run normally.", r, short=f"Subway: {len(late)} lines delayed")


def line_status(line: str, d: dict[str, Any], crowd_asked: bool) -> tuple[str, str]:
    """ "Line 2 is running normally, a train every 8 minutes or so; trains are crowded right now." and its watch line."""
    name, crowd = line_en(line), CONGESTION.get(d.get("crowding", ""), "")
    if d["status"] == "정상 운행":
        status, short = f"running normally, a train every {d['headway_min']} minutes or so", "normal"
    else:
        why = glossed(d.get("reason") or "", REASONS, "a delay")
        status, short = f"running with delays of about {d['delay_min']} minutes ({why})", f"{d['delay_min']} min late"
    if not crowd:
        return f"{name} is {status}.", f"{name}: {short}"
    if crowd_asked:  # "Is line 2 crowded?": the crowding first
        return f"{name} is {crowd} right now; it is {status}.", f"{name}: {crowd}"
    return f"{name} is {status}; trains are {crowd} right now.", f"{name}: {short}, {crowd}"


def arrivals(ctx: Context, station: str, r: Reading) -> Reply:
    line, name = ctx.mentioned("subway_line"), name_en(station if station.endswith("역") else f"{station}역")
    trains = sorted(r.data["arrivals"], key=lambda a: a.get("arrival_sec") if a.get("arrival_sec") is not None else 10**6)
    shown = [a for a in trains if not line or a["line"] == line] or trains
    if not shown:
        return cited(f"No train is due at {name} right now.", r, short=f"{name}: no train due")
    listed = "; ".join(f"{line_en(a['line'])} to {name_en(a['destination'].removesuffix('행'))} {wait(a)}" for a in shown[:4])
    first = shown[0]
    return cited(f"Next trains at {name}: {listed}.", r, short=f"{name}: {line_en(first['line'])} {wait(first)}")


ARRIVING = {
    "전역 도착": "at the previous station",
    "전역 출발": "leaving the previous station",
    "도착": "arriving now",
    "진입": "arriving now",
}


def wait(a: dict[str, Any]) -> str:
    """In how long a train comes: "in 3 min 36 s", from its seconds or its message ("4분후[3번째 전]")."""
    seconds = a.get("arrival_sec")
    if seconds is None and (m := re.search(r"(?:(\d+)분)?\s?(?:(\d+)초)?\s?후", a.get("message", ""))) and (m[1] or m[2]):
        seconds = int(m[1] or 0) * 60 + int(m[2] or 0)
    if seconds is None:
        return glossed(a.get("message", ""), ARRIVING, "soon")
    minutes, rest = divmod(int(seconds), 60)
    return (
        "in " + " ".join(p for p in (f"{minutes} min" if minutes else "", f"{rest} s" if rest else "") if p) if seconds else "arriving now"
    )


async def bus_arrivals(ctx: Context, route: str) -> Reply:
    r = await ctx.city.get("bus", route)
    d = r.data
    coming = []
    for a in d["arrivals"]:
        stops = re.search(r"(\d+)번째\s?전", a.get("message", ""))
        extra = [f"{stops[1]} stops away"] if stops else []
        extra += [CONGESTION[a["congestion"]]] if a.get("congestion") in CONGESTION else []
        coming.append(f"{wait(a)}" + (f" ({', '.join(extra)})" if extra else ""))
    text = f"Bus {route} at the {name_en(d['stop'])} stop: {'; '.join(coming)}."
    return cited(text, r, short=f"Bus {route}: {wait(d['arrivals'][0])}" if d["arrivals"] else f"Bus {route}: none due")


async def air(ctx: Context) -> Reply:
    district = await ctx.district_of()
    r = await ctx.city.get("air", district)
    if district:
        d = r.data
        text = f"Air in {where(district)}: PM10 {d['pm10']} µg/m³ ({GRADE.get(d['pm10_grade'], 'unrated')}), PM2.5 {d['pm25']} µg/m³ ({GRADE.get(d['pm25_grade'], 'unrated')})."
        text += f" Ozone {d['o3']:g} ppm." if d.get("o3") is not None else ""
        if "나쁨" in d["pm10_grade"] + d["pm25_grade"]:
            text += " Consider wearing a mask outdoors."
        return cited(text, r, short=f"{where(district)} PM2.5 {d['pm25']}")
    c, by = r.data["city"], r.data["by_district"]
    worst = max(by.items(), key=lambda kv: kv[1]["pm25"] or 0)
    text = (
        f"Seoul's average today: PM10 {c['pm10']:g} µg/m³, PM2.5 {c['pm25']:g} µg/m³. The highest PM2.5 is in "
        f"{where(worst[0])} ({worst[1]['pm25']:g} µg/m³, {GRADE.get(worst[1]['pm25_grade'], 'unrated')})."
    )
    return cited(text, r, short=f"Seoul PM2.5 {c['pm25']:g}")


UV = {"낮음": "low", "보통": "moderate", "높음": "high", "매우높음": "very high", "매우 높음": "very high", "위험": "extreme"}


async def weather(ctx: Context) -> Reply:
    district = await ctx.district_of()
    r = await ctx.city.get("weather", district)
    d, place = r.data if district else r.data["city"], where(district)
    sky = f", {SKY[d['sky']]}" if d.get("sky") in SKY else ""
    text = f"{place} now: {d['temp']:g}°C{sky} (high {d['max_temp']:g}°C, low {d['min_temp']:g}°C), humidity {d['humidity']:g}%."
    short = f"{place} {d['temp']:g}°C{sky}"
    if d.get("rain_chance") is not None:
        text += f" Chance of rain {d['rain_chance']}%."
    if d.get("precipitation_mm"):
        text += f" {d['precipitation_mm']:g} mm of rain so far."
    if d.get("wind_speed") is not None:
        text += f" Wind {d['wind_speed']:g} m/s."
        short = f"{place} wind {d['wind_speed']:g} m/s" if re.search(r"\bwind", ctx.text, re.I) else short
    if d.get("uv") and re.search(r"\buv\b|ultraviolet|sunburn", ctx.text, re.I):
        text += f" UV index {UV.get(d['uv'], 'moderate')}."
        short = f"{place} UV {UV.get(d['uv'], 'moderate')}"
    return cited(text, r, short=short)


async def traffic(ctx: Context) -> Reply:
    if road := ctx.mentioned("road"):
        return await road_status(ctx, road)
    district = await ctx.district_of()
    r = await ctx.city.get("traffic", district)
    if district:
        d = r.data
        state = f" ({TRAFFIC_INDEX[d['index']]})" if d.get("index") in TRAFFIC_INDEX else ""
        return cited(
            f"Average road speed in {where(district)}: {d['avg_speed_kmh']:g} km/h{state}.",
            r,
            short=f"{where(district)} {d['avg_speed_kmh']:g} km/h",
        )
    roads = (await ctx.city.get("road", None)).data
    slow = sorted(r.data["by_district"].items(), key=lambda kv: kv[1]["avg_speed_kmh"])[:3]
    text = f"Average road speed in Seoul: {r.data['city']['avg_speed_kmh']:g} km/h. Slowest: " + ", ".join(
        f"{where(k)} {v['avg_speed_kmh']:g} km/h" for k, v in slow
    )
    closed = [f"{name_en(k)} ({closure(i)})" for k, v in roads.items() for i in v.get("incidents", [])]
    text += "." + (f" Lanes closed: {', '.join(closed)}." if closed else "")
    return cited(text, r, short=f"Seoul {r.data['city']['avg_speed_kmh']:g} km/h")


async def road_status(ctx: Context, road: str) -> Reply:
    r = await ctx.city.get("road", road)
    d, name = r.data, name_en(road)
    text = f"{name} ({SECTIONS.get(d.get('section', ''), 'both directions')}): {d['speed_kmh']:g} km/h, {TRAFFIC_INDEX.get(d['index'], 'moving')}."
    for i in d.get("incidents", []):
        text += f" Some lanes are closed ({closure(i)})."
    return cited(text, r, short=f"{name} {d['speed_kmh']:g} km/h")


def closure(i: dict[str, Any]) -> str:
    """ "roadworks, until 18:00" """
    return glossed(i["type"], ROAD_EVENTS, "works") + (f", until {i['until'][11:16]}" if i.get("until") else "")


async def crowds(ctx: Context) -> Reply:
    loc = ctx.location()
    if ctx.time and not (loc and loc[0] in ("place", "station")):
        return no_data(ctx.time, "living_population")
    if OVER_ALL_RE.search(ctx.text) and not ctx.names_place:  # "Which places are busiest right now?"
        return await population(ctx, None)
    if not loc or loc[0] not in ("place", "station"):
        return await population(ctx, loc[1] if loc else None)
    r = await ctx.city.get("place", loc[1])
    d = r.data
    name = name_en(loc[1])
    if ctx.time and (f := forecast_at(d, ctx.text)):
        state = CONGESTION.get(f["congestion"], "busy")  # "What about around five pm?": that hour
        people = f"{f['population_min']:,}–{f['population_max']:,}"
        return cited(
            f"Around {f['time'][11:16]} {name} should be {state}, about {people} people.", r, short=f"{name} {f['time'][11:16]}: {state}"
        )
    if ctx.time and d.get("forecast"):  # "later today?": the hourly forecast
        hours = ", ".join(
            f"{f['time'][11:16]} {CONGESTION.get(f['congestion'], 'busy')} (up to {f['population_max']:,})" for f in d["forecast"]
        )
        return cited(f"Forecast for {name}: {hours}.", r, short=f"{name} later: {CONGESTION.get(d['forecast'][-1]['congestion'], '')}")
    if ctx.time:
        return no_data(ctx.time, "living_population")
    state = CONGESTION.get(d["congestion"], "busy")
    text = f"{name} is {state} now, about {d['population_min']:,}–{d['population_max']:,} people."
    if d.get("forecast"):
        f = d["forecast"][-1]
        text += f" Around {f['time'][11:16]} it should be {CONGESTION.get(f['congestion'], 'busy')}."
    return cited(text, r, short=f"{name}: {state}")


async def population(ctx: Context, district: str | None) -> Reply:
    """How many people are in a district or the city now, or the busiest places."""
    if district or ctx.citywide:
        r = await ctx.city.get("population", district)
        n = r.data["count"]
        return cited(f"About {n:,} people are in {where(district)} right now.", r, short=f"{where(district)}: about {n:,}")
    r = await ctx.city.get("place", None)
    rank = {"붐빔": 3, "혼잡": 3, "약간 붐빔": 2, "보통": 1, "여유": 0}
    busy = sorted(r.data.items(), key=lambda kv: (-rank.get(kv[1]["congestion"], 0), -kv[1]["population_max"]))[:3]
    listed = ", ".join(f"{name_en(k)} ({CONGESTION.get(v['congestion'], 'busy')}, up to {v['population_max']:,})" for k, v in busy)
    return cited(f"Busiest right now: {listed}.", r, short="Busiest: " + ", ".join(name_en(k) for k, _ in busy[:2]))


async def disaster(ctx: Context) -> Reply:
    district = await ctx.district_of()
    r = await ctx.city.get("disaster", district)
    alerts = await ctx.city.get("alerts", district)
    d, place = r.data, where(district)
    text = f"Today in {place}: {plural(d['fire'], 'fire')}, {plural(d['rescue'], 'rescue')} and {plural(d['ems'], 'ambulance call')}."
    active = [i for i in d["incidents"] if i["status"] in ACTIVE]
    if active:
        text += " Under way: " + ", ".join(incident(i) for i in active[:3]) + "."
    else:
        text += " No major incident is under way."
    short = f"{place}: {plural(d['fire'], 'fire')}, {plural(d['rescue'], 'rescue')}, {d['ems']:,} EMS"
    asked = [a for a in alerts.data if alert_asked(a, ctx.text)] if ALERT_RE.search(ctx.text) else []  # "Was a cold-wave alert sent?"
    if asked or alerts.data:
        a = max(asked or alerts.data, key=lambda x: x["created_at"])
        text += f" {latest_alert(a)}"
        short = f"{glossed(a['kind'], ALERT_KINDS, 'alert').capitalize()} alert at {a['created_at'][11:16]}" if asked else short
    return cited(text, r, short, alerts)


ALERT_RE = re.compile(r"\b(?:alerts?|texts?|warnings?|advisor(?:y|ies)|messages?)\b", re.I)


def alert_asked(a: dict[str, Any], text: str) -> bool:
    """The alert is of the kind the question names ("cold-wave", "fire")."""
    kind = ALERT_KINDS.get(a.get("kind") or "")
    return bool(kind and re.search(r"\b" + kind.replace("-", r"[\s-]?"), text, re.I))


def incident(i: dict[str, Any]) -> str:
    kind = glossed(i["type"], INCIDENTS, "an incident")
    return kind + (f" in {where(i['district'])}" if i.get("district") else "") + f" ({INCIDENT_STATUS.get(i['status'], 'ongoing')})"


def latest_alert(a: dict[str, Any]) -> str:
    """The newest emergency text, said in English: its time, level, kind and sender (its words are Korean)."""
    kind = glossed(a.get("kind") or "", ALERT_KINDS, "")
    sender = re.match(r"\[([^\]]+)\]", a.get("message", ""))
    by = f" from {name_en(sender[1])}" if sender else ""
    return f"Latest emergency text ({a['created_at'][11:16]}, {ALERT_LEVELS.get(a['level'], 'alert')}): a {kind + ' ' if kind else ''}alert{by}."


WATER_LIMITS = "turbidity ≤ 0.5 NTU, chlorine 0.1–4.0 mg/L, pH 5.8–8.5"  # Korea's drinking-water standards, as the Korean reply


async def water(ctx: Context) -> Reply:
    key = ctx.mentioned("facility") or await ctx.district_of()
    r = await ctx.city.get("water", key)
    d = r.data
    ok = d["turbidity_ntu"] <= 0.5 and 0.1 <= d["residual_chlorine_mgl"] <= 4.0 and 5.8 <= d["ph"] <= 8.5
    place = name_en(key) if key else "Seoul"
    said = f"Tap water from the {place}" if ctx.mentioned("facility") else f"Tap water in {place}" if key else "Seoul's Arisu tap water"
    via = f" (from the {name_en(d['facility'])})" if key and d.get("facility") and d["facility"] != key else ""
    verdict = "meets every drinking-water standard" if ok else f"is outside a standard ({WATER_LIMITS})"
    text = f"{said}{via} {verdict}: turbidity {d['turbidity_ntu']:g} NTU, residual chlorine {d['residual_chlorine_mgl']:g} mg/L, pH {d['ph']:g}."
    return cited(text, r, short=f"{place} tap water: {'safe' if ok else 'check'}")


RANKED_RE = re.compile(r"\b(easiest|hardest|most difficult|longest|shortest)\b", re.I)
LEVEL = {"쉬움": 0, "보통": 1, "어려움": 2}


async def parks(ctx: Context) -> Reply:
    said = next(ctx.tracker.get_latest_entity_values("park"), None)
    if (m := RANKED_RE.search(ctx.text)) and (not said or said == "서울둘레길"):  # "Which Seoul Trail course is the easiest?"
        return await ranked_courses(ctx, m[1].lower())
    if m := VISITORS_RANK_RE.search(ctx.text):  # "Which Han River park had the fewest visitors today?"
        r = await ctx.city.get("park", None)
        fewest = bool(m.group(1) or m.group(2))
        ranked = by_visitors(r.data, ctx.text, fewest)[:3]
        listed = ", ".join(f"{name_en(k)} ({v['visitors_today']:,})" for k, v in ranked)
        text = f"{'Fewest' if fewest else 'Most'} visitors today: {listed}."
        reply = cited(text, r, short=f"{'Fewest' if fewest else 'Most'}: {name_en(ranked[0][0])}")
        reply.events.append(SlotSet("park", ranked[0][0]))
        return reply
    park = named(ctx, "park") or named(ctx, "place")  # "Are any parks closed?": all of them
    r = await ctx.city.get("park", park)
    if not park:
        closed = [k for k, v in r.data.items() if v["status"] != "정상 개방"]
        text = f"{len(r.data) - len(closed)} of {len(r.data)} parks and trails are fully open."
        text += f" Partly or fully closed: {', '.join(name_en(k) for k in closed)}." if closed else ""
        return cited(text, r, short=f"Parks: {len(closed)} partly closed")
    text = park_facts(name_en(park), r.data)
    if CLOSED_EN_RE.search(ctx.text) and (closed := await closed_courses(ctx, park)):  # "I heard some parts are closed"
        text += f" {closed}"
    reply = cited(text, r, short=f"{name_en(park)}: {PARK_STATUS.get(r.data['status'], 'see notice')}")
    reply.events += await park_as_place(ctx, park)  # "Is it crowded there?" next
    return reply


CLOSED_EN_RE = re.compile(r"closed|closure|shut|blocked|until when", re.I)


async def closed_courses(ctx: Context, trail: str) -> str:
    """ "Courses 5, 7 and 8 are partly closed …": the trail's courses with a closure."""
    r = await ctx.city.get("park", None)
    closed = {k: v for k, v in trail_courses(r.data, trail).items() if v["status"] != "정상 개방"}
    if not closed:
        return ""
    names = [name_en(k).removeprefix(name_en(trail)).strip() for k in closed]
    return f"Partly closed: {', '.join(names)} ({park_state(next(iter(closed.values())))})."


def park_facts(name: str, d: dict[str, Any]) -> str:
    """ "Seoul Trail Course 5 is partly closed for leaf clearing until November 25. It is 17.7 km long, … About 15,348
    visitors today." """
    if d.get("hours") == "상시 개방" and d["status"] == "정상 개방":
        text = f"{name} is open 24 hours."
    else:
        text = f"{name} is {park_state(d)}."
    if d["kind"] == "둘레길" and d.get("length_km"):
        level = DIFFICULTY.get(d.get("difficulty") or "", "of mixed difficulty")
        text += f" It is {d['length_km']:g} km long, takes {hours_en(d['duration'])} and is {level}"
        text += f"; it starts at the {name_en(d['start_point'])}." if d.get("start_point") else "."
    return text + f" {d['visitors_today']:,} visitors today."


async def ranked_courses(ctx: Context, how: str) -> Reply:
    r = await ctx.city.get("park", None)
    courses = {
        k: v
        for k, v in r.data.items()
        if v["kind"] == "둘레길" and v.get("length_km") and v.get("difficulty") in LEVEL and k != "서울둘레길"
    }
    by_length = how in ("longest", "shortest")
    key = (lambda kv: kv[1]["length_km"]) if by_length else (lambda kv: (LEVEL[kv[1]["difficulty"]], kv[1]["length_km"]))
    ranked = sorted(courses.items(), key=key, reverse=how in ("hardest", "most difficult", "longest"))[:3]
    listed = ", ".join(f"{name_en(k)} ({DIFFICULTY[v['difficulty']]}, {v['length_km']:g} km, {hours_en(v['duration'])})" for k, v in ranked)
    return cited(
        f"The {how} Seoul Trail courses: {listed}.", r, short=f"{how.capitalize()}: {name_en(ranked[0][0])}" if ranked else "No courses"
    )


def park_state(d: dict[str, Any]) -> str:
    """ "partly closed for leaf clearing until November 25", or "open"."""
    state = PARK_STATUS.get(d["status"], "open with restrictions")
    notice = d.get("notice") or ""
    if not notice or d["status"] == "정상 개방":
        return state
    return f"{state} for {glossed(notice, REASONS, 'maintenance')}{until_en(notice)}"


def hours_en(duration: str | None) -> str:
    """ "6시간" → about 6 hours; "전 구간 약 70시간" → about 70 hours for the whole trail."""
    m = re.search(r"(\d+(?:\.\d+)?)\s?시간", duration or "")
    if not m:
        return "several hours"
    return f"about {m[1]} hours" + (" for the whole trail" if "전 구간" in duration else "")


# -- administration, the city's résumé -----------------------------------------------------------------------------
async def prices(ctx: Context) -> Reply:
    item = named(ctx, "item")
    if not item and korean_names(ctx, skip=("district", "place", "station")):
        return await documents(ctx)  # "How much does the Climate Card cost?": not a grocery price; the documents may hold it
    if not item:
        r = await ctx.city.get("price", None)
        up = sorted(r.data.items(), key=lambda kv: -kv[1]["week_change_pct"])[:3]
        rises = ", ".join(f"{ITEM_EN.get(k, name_en(k))} ({v['week_change_pct']:+g}%, {v['average']:,} won)" for k, v in up)
        return cited(
            f"Biggest price rises since last week: {rises}.", r, short="Up: " + ", ".join(ITEM_EN.get(k, name_en(k)) for k, _ in up)
        )
    r = await ctx.city.get("price", item)
    d = r.data
    cheapest, change = d["markets"][0], d["week_change_pct"]
    name = ITEM_EN.get(item, name_en(item)).capitalize()
    text = (
        f"{name} ({unit_en(d['unit'])}) costs {d['average']:,} won on average, {abs(change):g}% {'more' if change > 0 else 'less'} than last week. "
        f"Cheapest at {name_en(cheapest['market'])}: {cheapest['price']:,} won."
    )
    return cited(text, r, short=f"{name} {d['average']:,} won")


CUTS = {"한우 등심": "Korean beef sirloin", "삼겹살": "pork belly"}
MEASURES = {"개입": "pack of {n}", "개": "{n} pieces", "포기": "{n} head", "모": "{n} block", "마리": "{n} whole", "봉": "{n} pack"}


def unit_en(unit: str) -> str:
    """ "1포기" → 1 head, "5개입" → pack of 5, "삼겹살 600g" → pork belly 600 g."""
    m = re.fullmatch(r"(?:(.+?)\s)?([\d.]+)\s?(.*)", unit)
    if not m:
        return "per unit"
    cut = f"{CUTS.get(m[1], 'cut')} " if m[1] else ""
    said = MEASURES.get(m[3], "{n} " + m[3] if re.fullmatch(r"[A-Za-z]+", m[3]) else "{n} units").format(n=m[2])
    return cut + (said.replace("pieces", "piece") if m[2] == "1" else said)


SUPERLATIVE_RE = re.compile(r"\b(lowest|highest|least|most|slowest|fastest|worst|best)\b", re.I)


async def finance(ctx: Context) -> Reply:
    sector = ctx.mentioned("sector")
    r = await ctx.city.get("finance", sector)
    d = r.data
    if sector == "세입":
        text = (
            f"In {d['year']} Seoul has collected {won(d['executed'])} of its {won(d['budget'])} revenue target ({d['execution_rate']:g}%)."
        )
    elif sector:
        text = f"The {d['year']} {name_en(sector)} budget is {won(d['budget'])}; {won(d['executed'])} has been spent ({d['execution_rate']:g}%)."
    elif m := SUPERLATIVE_RE.search(ctx.text):  # "Which sector has spent the least?"
        low = m[1].lower() in ("lowest", "least", "slowest", "worst")
        ranked = sorted(d["sectors"].items(), key=lambda kv: kv[1]["execution_rate"], reverse=not low)[:3]
        text = f"{'Lowest' if low else 'Highest'} spending rates in {d['year']}: " + ", ".join(
            f"{name_en(k)} {v['execution_rate']:g}%" for k, v in ranked
        )
        text += f". Overall, {d['execution_rate']:g}% has been spent."
    else:
        text = (
            f"Seoul's {d['year']} budget is {won(d['total_budget'])}; {d['execution_rate']:g}% has been spent so far. "
            f"Revenue: {d['revenue']['rate']:g}% of the target collected."
        )
    return cited(text, r, short=f"{name_en(sector) if sector else 'Budget'}: {d['execution_rate']:g}% spent")


async def indicators(ctx: Context) -> Reply:
    name = named(ctx, "indicator")
    r = await ctx.city.get("indicator", name)
    if not name:
        rows = {k: v for k, v in r.data.items() if v["public"] or not ctx.citizen}  # citizens: public indicators only
        listed = ", ".join(f"{name_en(k)} {figure(v['value'], v['unit'])}" for k, v in list(rows.items())[:4])
        return cited(f"Seoul tracks {len(rows)} public indicators, for example {listed}.", r, short=f"{len(rows)} indicators")
    d = r.data
    if ctx.citizen and not d["public"]:
        return Reply("Sorry, that figure is for City Hall's internal use and is not public.", short="Not public")
    text = f"Seoul's {name_en(name)}: {figure(d['value'], d['unit'])} in {d['year']}"
    if d["previous"] is not None:
        diff = d["value"] - d["previous"]
        trend = "the same as" if diff == 0 else "up from" if diff > 0 else "down from"
        text += f", {trend} {figure(d['previous'], d['unit'])} the year before"
    elif ctx.time == "last_year":
        text += "; there is no figure for the year before to compare"
    text += "." + (f" The target is {figure(d['target'], d['unit'])}." if d["target"] is not None else "")
    return cited(text, r, short=f"{name_en(name)}: {figure(d['value'], d['unit'])}")


def figure(value: float, unit: str) -> str:
    """78.9, % → 78.9%; 4310, 만 tCO2eq → 43,100,000 tCO2eq; 0.58, 명 → 0.58; 2, 등급 → grade 2."""
    if unit.startswith("만 "):
        value, unit = value * 10_000, unit[2:]
    if unit == "등급":
        return f"grade {value:g}"
    if unit == "명" and value < 10:
        return f"{value:g}"
    return f"{num(value)}{UNITS.get(unit, ' ' + unit)}"


async def pledges(ctx: Context) -> Reply:
    name = named(ctx, "pledge")
    r = await ctx.city.get("pledge", name)
    if not name:
        s = r.data["summary"]
        text = f"Of the mayor's {s['total']} pledges, {s['completed']} are completed, {s['on_track']} on track and {s['delayed']} delayed."
        return cited(text, r, short=f"Pledges: {s['completed']}/{s['total']} done")
    d = r.data
    text = (
        f"The {name_en(name)} pledge is {d['completion_pct']}% done ({PLEDGE_STATUS.get(d['status'], 'in progress')}); "
        f"it is run by the {name_en(d['department'])} and was last checked on {date_en(d['checked_on'])}."
    )
    return cited(text, r, short=f"{name_en(name)}: {d['completion_pct']}%")


async def projects(ctx: Context) -> Reply:
    name = named(ctx, "project")
    r = await ctx.city.get("project", name)
    if not name:
        listed = ", ".join(f"{name_en(k)} {v['progress_pct']}%" for k, v in r.data.items())
        return cited(f"Seoul's {len(r.data)} key projects: {listed}.", r, short=f"{len(r.data)} key projects")
    d = r.data  # the internal reports (d["documents"]) are not said
    text = (
        f"{name_en(name)} is {glossed(d['phase'], PHASES, 'under way')}, {d['progress_pct']}% complete. Budget {won(d['budget'])}, "
        f"{date_en(d['start'])} to {date_en(d['end'])}, run by the {name_en(d['department'])}."
    )
    if d.get("news"):
        text += f" Latest news: {name_en(d['news'][0]['outlet'])}, {date_en(d['news'][0]['date'])}."
    return cited(text, r, short=f"{name_en(name)}: {d['progress_pct']}%")


async def opinion(ctx: Context) -> Reply:
    topic, district = ctx.mentioned("topic"), ctx.mentioned("district")
    r = await ctx.city.get("opinion", topic or district)
    if district and not topic:
        return cited(
            f"{where(district)} received {plural(r.data['today'], 'complaint')} today.",
            r,
            short=f"{where(district)}: {r.data['today']} complaints",
        )
    if not topic:
        top = sorted(r.data.items(), key=lambda kv: -kv[1]["today"])[:3]
        total = sum(v["today"] for v in r.data.values())
        text = (
            f"Seoul received {plural(total, 'complaint')} today, most about "
            + ", ".join(f"{name_en(k)} ({v['today']})" for k, v in top)
            + "."
        )
        return cited(text, r, short="Top: " + ", ".join(name_en(k) for k, _ in top[:2]))
    d = public_fields(r.data, OPINION_PUBLIC)  # the complaints themselves are internal records
    change = d["week_change_pct"]
    text = (
        f"Complaints about {name_en(topic)}: {d['today']} today and {d['week']:,} this week, {abs(change):g}% "
        f"{'more' if change > 0 else 'fewer'} than last week; {d['call_120']} calls to 120 and {d['online_mentions']:,} online mentions "
        f"({d['sentiment']['negative']}% negative)."
    )
    return cited(text, r, short=f"{name_en(topic)}: {d['today']} today")


OLDEST_RE = re.compile(r"\b(?:oldest|first|earliest)\b", re.I)
EXPORT_RE = re.compile(r"export", re.I)


async def intl(ctx: Context) -> Reply:
    r = await ctx.city.get("intl", None)
    cities, exports = r.data["cities"], r.data["policy_exports"]
    said_city, said_country = ctx.all_mentioned("city"), ctx.all_mentioned("country")  # a name said now wins over one carried
    over_all = EXPORT_RE.search(ctx.text) or OLDEST_RE.search(ctx.text)  # "Which policies has Seoul exported?"
    city = said_city[0] if said_city else None if said_country or over_all else ctx.mentioned("city")
    country = said_country[0] if said_country else None if city or over_all else ctx.mentioned("country")
    if city:
        return partner_city(r, city, [e for e in exports if city in e["partner"]])
    if country:
        return partner_country(r, country, [e for e in exports if e["partner"].startswith(country)])
    if sold := [e for e in exports if policy_words(e) & set(re.findall(r"[a-z]{3,}", ctx.text.lower()))]:  # "Who got TOPIS?"
        text = " ".join(
            f"Seoul exported {glossed(e['policy'], POLICIES, 'its know-how')} to {partner_en(e['partner'])} in {e['year']}." for e in sold
        )
        return cited(text, r, short=f"{partner_en(sold[0]['partner'])}, {sold[0]['year']}")
    sister = {k: v for k, v in cities.items() if v["kind"] == "자매도시"}
    if OLDEST_RE.search(ctx.text) and sister:  # "What is Seoul's oldest sister city?"
        k = min(sister, key=lambda c: sister[c]["since"])
        reply = partner_city(r, k, [])
        reply.events.append(SlotSet("city", k))
        return reply
    text = f"Seoul has {len(sister)} sister cities and {len(cities) - len(sister)} friendship cities."
    return cited(
        text + exported(sorted(exports, key=lambda e: -e["year"])[:3]),
        r,
        short=f"{len(sister)} sister, {len(cities) - len(sister)} friendship",
    )


POLICY_GENERIC = {"its", "system", "management", "advice", "information", "seoul", "city"}


def policy_words(export: dict[str, Any]) -> set[str]:
    """What tells one exported policy from another: "topis", "traffic" for 교통정보센터(TOPIS)."""
    said = glossed(export["policy"], POLICIES, "") + " " + " ".join(re.findall(r"[A-Z]{3,}", export["policy"]))
    return set(re.findall(r"[a-z]{3,}", said.lower())) - POLICY_GENERIC


def partner_city(r: Reading, city: str, sold: list[dict[str, Any]]) -> Reply:
    c = r.data["cities"].get(city)
    if c is None:
        return cited(
            f"{name_en(city)} is not one of Seoul's sister or friendship cities.{exported(sold)}",
            r,
            short=f"{name_en(city)}: no partnership",
        )
    text = f"{name_en(city)} ({name_en(c['country']).removeprefix('the ')}) has been Seoul's {INTL_KINDS.get(c['kind'], 'partner city')} since {c['since']}"
    text += (
        f"; they work together on {' and '.join(glossed(p, COOPERATION, 'joint projects') for p in c['projects'])}."
        if c["projects"]
        else "."
    )
    return cited(text + exported(sold), r, short=f"{name_en(city)}: since {c['since']}")


def partner_country(r: Reading, country: str, sold: list[dict[str, Any]]) -> Reply:
    mine = sorted(((k, v) for k, v in r.data["cities"].items() if v["country"] == country), key=lambda kv: kv[1]["since"])
    listed = ", ".join(f"{name_en(k)} ({INTL_KINDS.get(v['kind'], 'partner city')} since {v['since']})" for k, v in mine)
    text = (
        f"Seoul's partner cities in {name_en(country)}: {listed}."
        if mine
        else f"Seoul has no sister or friendship city in {name_en(country)}."
    )
    return cited(text + exported(sold), r, short=f"{name_en(country)}: {plural(len(mine), 'city')}")


def exported(sold: list[dict[str, Any]]) -> str:
    """ " Policy exports: its TOPIS traffic information centre to Hanoi, Vietnam (2023)." """
    listed = ", ".join(f"{glossed(e['policy'], POLICIES, 'its know-how')} to {partner_en(e['partner'])} ({e['year']})" for e in sold)
    return f" Policy exports: {listed}." if sold else ""


def partner_en(partner: str) -> str:
    """ "베트남 하노이" → Hanoi, Vietnam."""
    country, _, city = partner.partition(" ")
    return f"{name_en(city)}, {name_en(country)}" if city else name_en(country)


AWARDS = {
    "세계 스마트시티 엑스포 최우수 도시상": "the Smart City Expo World Congress city award",
    "UN 공공행정상": "the UN Public Service Award",
}


GENERIC_RANKING_WORDS = {"index", "city", "cities", "world", "global", "ranking"}  # "the city" names no ranking
AWARD_EN_RE = re.compile(r"award|prize|\bwon\b|\bwin", re.I)


async def rankings(ctx: Context) -> Reply:
    r = await ctx.city.get("ranking", None)
    text, d = ctx.text.lower(), r.data
    named_ = [
        x
        for x in d["rankings"]
        if any(w in text for w in RANKINGS_EN.get(x["name"], "").lower().split() if len(w) > 3 and w not in GENERIC_RANKING_WORDS)
    ]
    if AWARD_EN_RE.search(text) and d.get("awards"):  # "Has the city won any awards lately?"
        won = "; ".join(
            f"{glossed(a['name'], AWARDS, 'an international award')} ({a['year']}, for {name_en(a['project'])})" for a in d["awards"]
        )
        return cited(f"Seoul's recent awards: {won}.", r, short=f"Awards: {len(d['awards'])}")
    shown = named_ or d["rankings"][:3]
    ranks = "; ".join(f"{ordinal(x['rank'])} in the {RANKINGS_EN.get(x['name'], name_en(x['name']))} ({x['year']})" for x in shown)
    said = f"Seoul ranks {ranks}."
    if not named_ and d.get("awards"):  # as the Korean reply: the latest award and foreign press too
        a = d["awards"][0]
        said += f" Latest award: {glossed(a['name'], AWARDS, 'an international award')} ({a['year']}, for {name_en(a['project'])})."
    if not named_ and d.get("press"):
        said += f" Foreign press: {name_en(d['press'][0]['outlet'])}, '{d['press'][0]['title']}'."
    return cited(said, r, short=f"{ordinal(shown[0]['rank'])}: {RANKINGS_EN.get(shown[0]['name'], 'city ranking')}")


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


# -- documents -----------------------------------------------------------------------------------------------------
HANGUL = re.compile(r"[가-힣]")
NUMBER_WORDS = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|hundred|thousand|million|billion"
# What an English question asks for, and how a sentence that gives it reads (most specific first; knowledge.ANSWER_KINDS
# for Korean): "how often" → an interval, "how big" → a size, "how long does it take" → a duration …
KINDS_EN = {
    "interval": (r"how (?:often|frequently|regularly)|how many times", r"\bevery\b|\beach\b|\bper (?:second|minute|hour|day|week|month|year)\b|hourly|daily|weekly|monthly|annually|times a"),
    "size": (r"how (?:big|large|wide|tall|high|long is|long are)|what size|dimensions?", r"\d+(?:\.\d+)?[\s-]?(?:m|metres?|meters?|km|kilomet(?:re|er)s?|cm|inch(?:es)?|m²|square)\b"),
    "duration": (r"how long (?:does|do|did|will|would|to)|how many (?:minutes|hours|days)", r"\b(?:minutes?|hours?|days?|weeks?|months?)\b"),
    "date": (r"\bwhen\b|what year|which year|since when", r"\b(?:19|20)\d{2}\b|" + "|".join(MONTHS)),
    "amount": (r"how (?:much|many)|\b(?:cost|costs|fee|fare|fine|penalty|price|budget|number)\b", rf"\d|\b(?:{NUMBER_WORDS})\b"),
}  # fmt: skip
KINDS = {k: (re.compile(a, re.I), re.compile(h, re.I)) for k, (a, h) in KINDS_EN.items()}


def asked_kind(question: str) -> str | None:
    return next((k for k, (asks, _) in KINDS.items() if asks.search(question)), None)


def gives(kind: str | None, sentence: str) -> bool:
    return bool(kind and KINDS[kind][1].search(sentence))


def english_lead(question: str, lead: str, hits: list[dict[str, Any]]) -> str:
    """The sentence that gives what the question asks for ("how often" → "…every five to ten minutes"): the lead when
    it does or when it is not the passages' own words (a generated answer), else the English sentence that does and
    shares the most words with the question."""
    kind = asked_kind(question)
    flat = [re.sub(r"\s+", " ", h["text"]) for h in hits]
    if not kind or gives(kind, lead) or not any(knowledge.sentences(lead)[0] in f for f in flat):
        return lead
    sentences = [s for f in flat if not HANGUL.search(f) for s in knowledge.sentences(f) if gives(kind, s)]
    best = max(sentences, key=lambda s: knowledge.coverage(question, s), default=None)
    return best if best and knowledge.coverage(question, best) > 0 else lead


# Korean figures said in English, for an English question a Korean passage answers ("하루 10만 원" → 100,000 won a day).
KOREAN_UNITS = {"조": 1e12, "억": 1e8, "만": 1e4, "천": 1e3}
PER = {"하루": " a day", "1일": " a day", "월": " a month", "연": " a year", "연간": " a year", "1인당": " per person", "1회": " a time"}
MONEY_RE = re.compile(r"(?:(하루|1일|월|연간|연|1인당|1회)\s)?((?:\d[\d,.]*\s?[조억만천]?\s?)+)원")
# The Korean words a passage uses for what an English question asks about.
ASKED_KO = {
    r"\bfines?\b|penalt": r"과태료|벌금|범칙금",
    r"\bfee|\bfare|\bcost|\bprice": r"요금|비용|원",
    r"budget|spen[dt]": r"예산|들었|투입",
}


def korean_money(sentence: str) -> list[str]:
    out = []
    for m in MONEY_RE.finditer(sentence):
        amount = sum(float(n.replace(",", "")) * KOREAN_UNITS.get(u, 1) for n, u in re.findall(r"(\d[\d,.]*)\s?([조억만천]?)", m[2]))
        out.append(won(amount) + PER.get(m[1] or "", ""))
    return out


def across(question: str, citizen: bool, names: list[str]) -> tuple[str, dict[str, Any], bool] | None:
    """What the reading room's word overlap cannot see: an English passage giving what is asked in other words ("how
    frequently … updated" → "refreshes every five to ten minutes"), or, for money asked about (a fine, a fee), the
    amount in won of a Korean passage's sentence that names it (과태료 for a fine): the passage holding the question's
    names in Korean (기후동행카드 for the Climate Card), or without names the best one. (answer, passage, Korean?)"""
    kind, hits = asked_kind(question), knowledge.search(" ".join([question, *names]), 3, citizen)  # the names in Korean help
    for rank, h in enumerate(hits):
        if not HANGUL.search(h["text"]):
            said = [s for s in knowledge.sentences(h["text"]) if gives(kind, s) and knowledge.coverage(question, s) > 0]
            if said:
                return max(said, key=lambda s: knowledge.coverage(question, s)), h, False
        elif (all(n in h["text"] for n in names) if names else rank == 0) and (money := korean_amount(question, h)):
            return money, h, True
    return None


def korean_amount(question: str, hit: dict[str, Any]) -> str | None:
    """ "a fine of 100,000 won a day": the amount of the passage's sentence naming what is asked (과태료 for a fine)."""
    asked = next((ko for en, ko in ASKED_KO.items() if re.search(en, question, re.I)), None)
    if asked is None:
        return None
    noun = re.search(r"\b(fine|penalty|fee|fare|cost|price|budget)\b", question, re.I)
    for s in knowledge.sentences(hit["text"]):
        if re.search(asked, s) and (money := korean_money(s)):
            return f"{'a ' + noun[1].lower() if noun else 'an amount'} of {' and '.join(money)}"
    return None


async def documents(ctx: Context, across_languages: bool = True) -> Reply:
    """An answer from the reading room, with the sentence giving what the question asks for (`english_lead`); else,
    when asked, what the word overlap missed (`across`): a Korean passage's amount is said as the closest one found."""
    question = ctx.text
    lead, hits = await asyncio.to_thread(knowledge.answer, question, ctx.citizen)
    if lead is not None:
        lead = english_lead(question, lead, hits)
        text = f"According to the documents: {lead} (Source: {hits[0]['title']}, {hits[0]['location']})"
    elif across_languages and (found := await asyncio.to_thread(across, question, ctx.citizen, korean_names(ctx))):
        lead, hit, korean = found
        said = (  # found by meaning across languages, not by its words: said as what it is
            f"The closest match is a Korean document, which gives {lead}; it may not be the one you mean (dial 120 to check in English)."
            if korean
            else f"According to the documents: {lead}"
        )
        text, hits = f"{said} (Source: {hit['title']}, {hit['location']})", [hit]
    else:
        return Reply(f"I could not find that in the city's public documents. {CALL_120}", short="Not in the documents")
    return Reply(
        text,
        short=(line := watch_line(question, lead))[:1].upper() + line[1:],
        data={"type": "knowledge", "passages": hits},
        sources=[
            {"kind": "document", **{k: h[k] for k in ("title", "section", "location", "url", "source")}, "quote": h["text"]} for h in hits
        ],
    )


def korean_names(ctx: Context, skip: tuple[str, ...] = ()) -> list[str]:
    """The Korean values of the names the message has (기후동행카드 for "Climate Card"), but those of the `skip` kinds."""
    found = ctx.tracker.latest_message.get("entities", [])
    values = (e.get("value") for e in found if e.get("entity") not in ("time", "scope", *skip))
    return [v for v in values if isinstance(v, str) and HANGUL.search(v)]


def watch_line(question: str, text: str) -> str:
    """The answering sentence in at most 40 characters: the figure asked for with the words after it, then before it."""
    sentence = knowledge.best_sentence(question, text).rstrip(".")
    if len(sentence) <= 40:
        return sentence
    words = sentence.split()
    m = KINDS[kind][1].search(sentence) if (kind := asked_kind(question)) else None
    lo = hi = len(sentence[: m.start()].split()) if m else 0
    while hi < len(words) and len(" ".join(words[lo : hi + 1])) <= 40:
        hi += 1
    while lo > 0 and len(" ".join(words[lo - 1 : hi])) <= 40:
        lo -= 1
    return " ".join(words[lo:hi]) or sentence[:40]


# -- conversation --------------------------------------------------------------------------------------------------
LIMITS_EN = {
    "recommend": "I can't recommend restaurants or shops; a map app or the tourist hotline 1330 can help.",
    "booking": "I can't make bookings or reservations.",
    "bike": "I can't rent bikes; the Seoul Bike 'Ttareungyi' app shows stations and rentals.",
    "toilet": "I can't locate restrooms; a map app can show the nearest public toilet.",
    "directions": "I can't give directions; please use a map app's route search.",
    "location": "I can't locate shops or facilities; please use a map app.",
    "personal": "I can't share anyone's personal details.",
    "ask_where": "The agency in charge answers that best.",
    "civil": "I can't issue certificates or look up taxes; Government24 (gov.kr) and Wetax (wetax.go.kr) can.",
    "send": "I can't send messages for you.",
    "market": "I can't forecast stock, housing or currency markets.",
    "politics": "I can't discuss elections, polls or political parties.",
    "entertain": "I'm no good at songs or jokes, but ask me anything about Seoul.",
    "alarm": "I can't set alarms or timers; your phone or watch can.",
    "wifi": "I can't give Wi-Fi details; the venue's information desk or notices can.",
    "parking": "I can't show free parking spaces; Seoul's parking site (parking.seoul.go.kr) or a map app can.",
    "export": "I can't export data as files; open data is at data.seoul.go.kr.",
    "schedule": "I can't see personal schedules.",
    "lost": "I can't trace lost items; Seoul Metro's lost and found centres and lost112.go.kr can.",
    "exchange": "I can't locate currency exchanges; banks and licensed exchange booths (for example in Myeongdong) can help.",
}
SIMPLE = {  # intent: (text, watch line)
    "greet": (f"Hello! I'm Seoul's city assistant. {CAN_DO}", "Hello!"),
    "help": (
        f"{CAN_DO} For example: 'Is line 2 running normally?', 'Is Olympic Park open?', 'Any fires in Mapo today?'",
        "Ask about Seoul",
    ),
    "thanks": ("You're welcome. Enjoy Seoul!", "You're welcome"),
    "goodbye": ("Goodbye, and enjoy your day in Seoul!", "Goodbye!"),
    "affirm": ("Sure. What would you like to know?", "Sure"),
    "deny": ("All right.", "All right"),
}
ANSWERS: dict[str, Any] = {
    "price_info": prices,
    "city_ranking": rankings,
    "transit_status": transit,
    "air_quality": air,
    "weather": weather,
    "traffic_status": traffic,
    "living_population": crowds,
    "disaster_status": disaster,
    "park_info": parks,
    "intl_cooperation": intl,
    "water_quality": water,
    "pledge_status": pledges,
    "admin_indicator": indicators,
    "finance_status": finance,
    "project_status": projects,
    "public_opinion": opinion,
    "knowledge_question": documents,
}
# Other times than now an English answer has data for (the rest say plainly that they have none).
TIMES_EN = {"living_population": {"later_today"}, "admin_indicator": {"last_year"}, "price_info": {"last_week"}}
FUTURE = {"tomorrow", "day_after_tomorrow", "weekend", "next_week", "later_today", "next_year"}


WHEN = {"weekend": "the weekend", "day_after_tomorrow": "the day after tomorrow"}


def no_data(time: str, intent: str) -> Reply:
    when = WHEN.get(time, time.replace("_", " "))
    if time not in FUTURE:
        return Reply(
            f"I don't keep records for {when}. Past data is on the Seoul Open Data Plaza (data.seoul.go.kr).", short="No past data"
        )
    text = f"I only have current readings, not a forecast for {when}."
    if intent in ("weather", "air_quality"):
        text += " The Korea Meteorological Administration (weather.go.kr) has forecasts."
    return Reply(text, short="No forecast")


def follow_up(ctx: Context) -> Reply:
    """ "Tell me about Gangseo." with nothing asked before: what can be asked about it."""
    loc = ctx.location()
    place = name_en(loc[1]) if loc else "Seoul" if ctx.citywide else "that"
    return Reply(
        f"What would you like to know about {place}? For example its air, weather, traffic or crowds.", short="What would you like to know?"
    )


def english_intent(intent: str, ctx: Context) -> str:
    """The intent the English words name, when a Korean topic word took the message elsewhere ("How much is the
    budget?" read as prices for "how much is", "Was a cold-wave alert sent?" as weather for "cold")."""
    cued = nlu_english.cue(ctx.text, ctx.tracker.latest_message.get("entities", []))
    return cued if cued in ANSWERS and cued != intent and discourse.topic(ctx.text) == intent else intent


async def answer(intent: str, ctx: Context) -> Reply:
    if ctx.time and intent in TOPICS and ctx.time not in TIMES_EN.get(intent, set()):  # "Will it rain tomorrow?"
        return no_data(ctx.time, intent)
    if intent in SIMPLE:
        return Reply(SIMPLE[intent][0], short=SIMPLE[intent][1])
    if intent == "inform":
        return follow_up(ctx)
    if intent in ANSWERS:
        if (better := english_intent(intent, ctx)) != intent:
            reply = await answer(better, ctx)
            reply.events.append(SlotSet("last_intent", better))  # what "And education?" continues
            return reply
        if intent != "knowledge_question" and nlu_english.DOCUMENT_RE.search(ctx.text) and (found := await documents(ctx)).sources:
            return found  # "What's the fine for …" taken for a data question: the documents hold the rule
        try:
            return await ANSWERS[intent](ctx)
        except UnknownKey as exc:
            what = name_en(str(exc.args[0])) if exc.args and exc.args[0] else "that"
            return Reply(f"I have no data for {what}. {CAN_DO}", short="No data")
        except DataUnavailable:
            return Reply("I couldn't reach the live city data just now. Please ask again in a moment.", short="Data unavailable")
    if intent == "out_of_scope" and (found := discourse.cue(ctx.text)):
        return Reply(f"{LIMITS_EN.get(found[1], 'Sorry, I cannot help with that.')} {CALL_120}", short="Not something I can do")
    if intent in ("nlu_fallback", "out_of_scope"):
        found = await documents(ctx, across_languages=False)  # the English guide may still answer it
        if found.sources:
            return found
    return Reply(f"Sorry, I can't help with that in English. {CAN_DO} {CALL_120}", short="Not available in English")
