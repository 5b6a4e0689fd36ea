"""Replies in English for citizens who write in English (nlu/english.py understands them).

The same data and the same provenance as the Korean replies; the intents a visitor asks most have their own
sentence, the rest say plainly what can be answered in English and where to ask (120 has English service).
"""

from __future__ import annotations

import asyncio
from typing import Any

import knowledge
from nlu import discourse
from nlu import english as nlu_english

from .base import Context, Reply
from .citydata import Reading, UnknownKey

NOW_ONLY = {"weather", "air_quality", "traffic_status", "transit_status"}
ITEM_EN = {ko: en for en, ko in reversed(nlu_english.ITEMS_EN.items())}  # the plain name: "cabbage" for 배추
REASONS = {
    "선행 열차 지연": "a delayed train ahead",
    "출입문 고장 조치": "a door fault being fixed",
    "승객 혼잡": "crowding",
    "신호 장애": "a signal fault",
}
RANKINGS_EN = {
    "글로벌 금융센터 지수(GFCI)": "Global Financial Centres Index (GFCI)",
    "글로벌 도시 경쟁력 지수(GPCI)": "Global Power City Index (GPCI)",
    "스마트시티 지수": "Smart City Index",
    "세계 관광 도시 순위": "world tourism city ranking",
    "전자정부 평가": "e-government survey",
}
# "Gangnam-gu" for 강남구: the romanized names the NLU reads, written back the official way.
DISTRICT_EN = {ko: f"{en.capitalize()}-gu" for en, ko in nlu_english.DISTRICTS_EN.items()}
# "Myeongdong" for 명동 관광특구: the first English name the NLU reads for each place.
PLACE_EN: dict[str, str] = {}
for en, (_, ko) in nlu_english.PLACES_EN.items():
    PLACE_EN.setdefault(ko, en.upper() if len(en) <= 3 else en.title())
GRADE = {"좋음": "good", "보통": "moderate", "나쁨": "unhealthy", "매우나쁨": "very unhealthy", "매우 나쁨": "very unhealthy"}
CONGESTION = {"여유": "not crowded", "보통": "moderately busy", "약간 붐빔": "somewhat crowded", "붐빔": "crowded"}
CAN_DO = "In English I can tell you about subway lines, air quality, weather, traffic, crowds and the city's public documents."
CALL_120 = "For anything else, the Dasan Call Center (dial 120) answers in English too."


def stamp(r: Reading) -> str:
    label = "sample data" if r.sample else r.source
    return f"({label}, as of {r.observed_at[:16].replace('T', ' ')} KST{', last known value' if r.stale else ''})"


def cited(text: str, r: Reading, short: str) -> Reply:
    return Reply(f"{text} {stamp(r)}", short=short, sources=[r.citation()])


def where(name: str | None) -> str:
    return DISTRICT_EN.get(name or "", name or "Seoul")


async def transit(ctx: Context) -> Reply:
    line = ctx.mentioned("subway_line")
    r = await ctx.city.get("line", line)
    if line:
        d = r.data
        number = line.removesuffix("호선")
        name = f"Line {number}" if number.isdigit() else line
        if d["status"] == "정상 운행":
            return cited(f"{name} is running normally, a train every {d['headway_min']} minutes or so.", r, short=f"{name}: normal")
        why = f" ({REASONS.get(d['reason'], d['reason'])})" if d.get("reason") else ""
        return cited(
            f"{name} is running with delays of about {d['delay_min']} minutes{why}.", r, short=f"{name}: {d['delay_min']} min late"
        )
    late = [k for k, v in r.data.items() if v["status"] != "정상 운행"]
    text = "All subway lines are running normally." if not late else f"{len(late)} lines have minor delays; the others run normally."
    return cited(text, r, short="Subway: " + ("normal" if not late else f"{len(late)} lines delayed"))


async def air(ctx: Context) -> Reply:
    district = await ctx.district_of()
    r = await ctx.city.get("air", district)
    if district:
        d = r.data
        text = f"Air in {where(district)}: PM10 {d['pm10']} µg/m³ ({GRADE.get(d['pm10_grade'], d['pm10_grade'])}), PM2.5 {d['pm25']} µg/m³ ({GRADE.get(d['pm25_grade'], d['pm25_grade'])})."
        if "나쁨" in d["pm10_grade"] + d["pm25_grade"]:
            text += " Consider wearing a mask outdoors."
        return cited(text, r, short=f"{where(district)} PM2.5 {d['pm25']}")
    c = r.data["city"]
    return cited(f"Seoul's average today: PM10 {c['pm10']:g} µg/m³, PM2.5 {c['pm25']:g} µg/m³.", r, short=f"Seoul PM2.5 {c['pm25']:g}")


async def weather(ctx: Context) -> Reply:
    district = await ctx.district_of()
    r = await ctx.city.get("weather", district)
    d = r.data if district else r.data["city"]
    text = f"{where(district)} now: {d['temp']:g}°C (high {d['max_temp']:g}°C, low {d['min_temp']:g}°C), humidity {d['humidity']:g}%."
    if d.get("rain_chance") is not None:
        text += f" Chance of rain {d['rain_chance']}%."
    return cited(text, r, short=f"{where(district)} {d['temp']:g}°C")


async def traffic(ctx: Context) -> Reply:
    district = await ctx.district_of()
    r = await ctx.city.get("traffic", district)
    d = r.data if district else r.data["city"]
    return cited(
        f"Average road speed in {where(district)}: {d['avg_speed_kmh']:g} km/h.", r, short=f"{where(district)} {d['avg_speed_kmh']:g} km/h"
    )


async def crowds(ctx: Context) -> Reply:
    loc = ctx.location()
    if not loc or loc[0] not in ("place", "station"):
        return Reply("Which place do you mean? For example: Hongdae, Myeongdong, Gangnam Station.", short="Which place?")
    r = await ctx.city.get("place", loc[1])
    d = r.data
    state = CONGESTION.get(d["congestion"], d["congestion"])
    name = PLACE_EN.get(loc[1], loc[1])
    if ctx.time == "later_today" and d.get("forecast"):  # "What about around 5 pm?": the hourly forecast
        hours = ", ".join(
            f"{f['time'][11:16]} {CONGESTION.get(f['congestion'], f['congestion'])} (up to {f['population_max']:,})" for f in d["forecast"]
        )
        return cited(f"Forecast for {name}: {hours}.", r, short=f"{name} later: {CONGESTION.get(d['forecast'][-1]['congestion'], '')}"[:40])
    return cited(f"{name} is {state} now, about {d['population_min']:,}–{d['population_max']:,} people.", r, short=f"{name}: {state}"[:40])


async def prices(ctx: Context) -> Reply:
    item = ctx.mentioned("item")
    if not item:
        return Reply("Which item do you mean? For example: rice, cabbage, eggs or apples.", short="Which item?")
    r = await ctx.city.get("price", item)
    d = r.data
    cheapest, change = d["markets"][0], d["week_change_pct"]
    name = ITEM_EN.get(item, item).capitalize()
    text = (
        f"{name} ({d['unit']}) costs {d['average']:,} won on average, {abs(change):g}% {'more' if change > 0 else 'less'} than last week. "
        f"Cheapest at {cheapest['market']}: {cheapest['price']:,} won."
    )
    return cited(text, r, short=f"{name} {d['average']:,} won")


async def rankings(ctx: Context) -> Reply:
    r = await ctx.city.get("ranking", None)
    text = ctx.text.lower()
    rows = r.data["rankings"]
    named = [
        x for x in rows if any(w in text for w in RANKINGS_EN.get(x["name"], x["name"]).lower().split() if len(w) > 3 and w != "index")
    ]
    shown = named or rows[:3]
    ranks = "; ".join(f"{ordinal(x['rank'])} in the {RANKINGS_EN.get(x['name'], x['name'])} ({x['org']}, {x['year']})" for x in shown)
    return cited(f"Seoul ranks {ranks}.", r, short=f"{ordinal(shown[0]['rank'])}: {RANKINGS_EN.get(shown[0]['name'], '')}"[:40])


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


async def documents(ctx: Context) -> Reply:
    question = ctx.text
    lead, hits = await asyncio.to_thread(knowledge.answer, question, ctx.citizen)
    if lead is None:
        return Reply(f"I could not find that in the city's public documents. {CALL_120}", short="Not in the documents")
    return Reply(
        f"According to the documents: {lead} (Source: {hits[0]['title']}, {hits[0]['location']})",
        short=knowledge.best_sentence(question, lead)[:40],
        data={"type": "knowledge", "passages": hits},
        sources=[
            {"kind": "document", **{k: h[k] for k in ("title", "section", "location", "url", "source")}, "quote": h["text"]} for h in hits
        ],
    )


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
}
SIMPLE = {
    "greet": "Hello! I'm Seoul's city assistant. " + CAN_DO,
    "help": CAN_DO + " For example: 'Is line 2 running normally?', 'How is the air in Gangnam?'",
    "thanks": "You're welcome. Enjoy Seoul!",
    "goodbye": "Goodbye, and enjoy your day in Seoul!",
}
ANSWERS: dict[str, Any] = {
    "price_info": prices,
    "city_ranking": rankings,
    "transit_status": transit,
    "air_quality": air,
    "weather": weather,
    "traffic_status": traffic,
    "living_population": crowds,
    "knowledge_question": documents,
}


async def answer(intent: str, ctx: Context) -> Reply:
    if ctx.time and intent in NOW_ONLY:  # "Will it rain tomorrow?": no forecast here, said plainly
        when_ = ctx.time.replace("_", " ")
        return Reply(
            f"I only have current readings, not a forecast for {when_}. The Korea Meteorological Administration (weather.go.kr) has forecasts.",
            short="No forecast",
        )
    if intent in SIMPLE:
        return Reply(SIMPLE[intent], short=SIMPLE[intent][:40])
    if intent in ANSWERS:
        try:
            return await ANSWERS[intent](ctx)
        except UnknownKey:
            return Reply(f"I have no data for that place or line. {CAN_DO}", short="No data")
    if intent == "out_of_scope" and (found := discourse.cue(ctx.text)):
        return Reply(f"{LIMITS_EN.get(found[1], 'Sorry, I cannot help with that.')} {CALL_120}", short="Not something I can do")
    if intent in ("nlu_fallback", "out_of_scope"):
        found = await documents(ctx)  # the English guide may still answer it
        if found.sources:
            return found
    return Reply(f"Sorry, I can't help with that in English. {CAN_DO} {CALL_120}", short="Not available in English")
