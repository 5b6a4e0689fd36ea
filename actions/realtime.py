"""Real-time city status: disasters, traffic, transit, air, weather, water, living population, parks, CCTV."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk.events import SlotSet

from nlu import discourse

from . import references
from .base import CityAction, Context, Reply, cited, no_data_for, stamp
from .citydata import UnknownKey
from .korean import approx, josa, number, when
from .overview import DISTRICTS

WATER_LIMITS = "탁도 0.5NTU 이하, 잔류염소 0.1~4.0mg/L, pH 5.8~8.5"


def g(x: float | None) -> str:
    return "-" if x is None else f"{x:g}"


WHICH_DISTRICT_RE = re.compile(r"(?:어느|무슨|어떤)\s?구|(?<![가-힣])구(?:가|는)\s?(?:어디|어느)|많은\s?구|자치구\s?중")
WHERE_RE = re.compile(r"어디|어느\s?(?:동|곳)|위치|난\s?(?:데|곳)|where", re.I)
ALERT_RE = re.compile(r"문자|경보|주의보|특보|알림|alert", re.I)
ALERTS_LISTED_RE = re.compile(r"뭐|무슨|어떤|목록|모두|전부|(?<![가-힣])다\s|몇\s?(?:건|개|통)|what|which|any", re.I)


INJURY_RE = re.compile(r"다친|다쳤|부상|인명\s?피해|사상자|injur|casualt", re.I)


DONG_RE = re.compile(r"([가-힣]{2,4}?)(?:\d+가)?동(?![가-힣])")


def at_neighbourhood(text: str, incidents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The incidents in the neighbourhood (동) the text names; "금호동" is 금호1가동 too."""
    said = {m.group(1) for m in DONG_RE.finditer(text)}
    return [i for i in incidents if any(re.search(rf"{base}(?:\d+가)?동", i.get("location") or "") for base in said)]


class ActionDisasterStatus(CityAction):
    intent = "disaster_status"

    async def answer(self, ctx: Context) -> Reply:
        district = await ctx.district_of()
        if not district and WHICH_DISTRICT_RE.search(ctx.text):  # "구급 출동은 어느 구가 제일 많아"
            return await self.ranked(ctx)
        r = await ctx.city.get("disaster", district)
        if spot := at_neighbourhood(ctx.text, r.data["incidents"]):  # "공릉동 불은 다 껐어", "금호동 불 상태"
            listed = ", ".join(f"{i['location']} {i['type']}({i['status']})" for i in spot)
            first = spot[0]["location"].split()[1] if " " in spot[0]["location"] else spot[0]["location"]
            short = f"{first} {spot[0]['type']} {spot[0]['status']}" + (f" 외 {len(spot) - 1}건" if len(spot) > 1 else "")
            return cited(f"{listed}입니다.", r, short=short, data={"type": "disaster", "incidents": spot})
        alerts = await ctx.city.get("alerts", district)
        d, where = r.data, district or "서울시"
        active = [i for i in d["incidents"] if i["status"] in ("진화 중", "수색 중", "조사 중")]
        text = f"{where} 오늘 화재 {d['fire']}건, 구조 {d['rescue']}건, 구급 {d['ems']}건입니다."
        short = f"{where} 화재 {d['fire']}·구조 {d['rescue']}·구급 {d['ems']}"
        if WHERE_RE.search(ctx.text) and d["incidents"]:  # "불 난 데 어디야": every incident of the day, where and how it stands
            spots = [f"{i.get('location') or i.get('district', '')} {i['type']}({i['status']})" for i in d["incidents"][:5]]
            text += " 오늘 사고: " + ", ".join(spots) + "."
            shown = [s.removeprefix(f"{district} ").replace(" 일대", "") for s in spots]  # the watch: where, as many as fit whole
            short = next(", ".join(shown[:n]) for n in range(len(shown), 0, -1) if len(", ".join(shown[:n])) <= 40 or n == 1)[:40]
        elif active:
            if district:  # the watch: what is still going on there and where ("관악구 서원동 음식점 화재 진화 중")
                dong = (active[0].get("location") or "").removeprefix(district).replace("일대", "").strip()
                short = f"{where} {dong} {active[0]['type']} {active[0]['status']} · 화재 {d['fire']}".replace("  ", " ")[:40]
            text += (
                " 진행 중: "
                + ", ".join(f"{i.get('location') or i.get('district', '')} {i['type']}({i['status']})".strip() for i in active[:3])
                + "."
            )
        else:
            text += " 현재 진행 중인 대형 재난은 없습니다."
        if INJURY_RE.search(ctx.text):  # "다친 사람 있어": the casualties of the day's incidents
            hurt = sum(i.get("casualties", 0) for i in d["incidents"])
            text += f" 인명 피해는 {f'{hurt}명입니다' if hurt else '없습니다'}."
            short = f"{where} 인명 피해 {f'{hurt}명' if hurt else '없음'} · 화재 {d['fire']}"
        # "한파 문자 나갔어?": the latest alert of the kind asked about, else the latest of all
        asked = [a for a in alerts.data if a.get("kind") and a["kind"] in ctx.text] if ALERT_RE.search(ctx.text) else []
        if ALERT_RE.search(ctx.text) and ALERTS_LISTED_RE.search(ctx.text) and not asked and len(alerts.data) > 1:
            listed = sorted(alerts.data, key=lambda x: x["created_at"])  # "오늘 재난 문자 온 거 뭐 있어요": all of them
            text += f" 오늘 재난문자 {len(listed)}건: " + " ".join(
                f"({a['kind']}, {a['created_at'][11:16]}) {a['message']}" for a in listed
            )
            short = f"재난문자 {len(listed)}건: " + ", ".join(f"{a['kind']} {a['created_at'][11:16]}" for a in listed)
        elif asked or alerts.data:
            a = max(asked or alerts.data, key=lambda x: x["created_at"])
            label = f"{a['kind']} 재난문자(" if asked else f"최근 재난문자({a['kind']}, "
            text += f" {label}{when(a['created_at'])}, {a['level']}): {a['message']}"
            if asked:  # the watch: when, and where it was about ("[강서구청] 화곡동 일대 …")
                short = f"{a['kind']} 문자 {a['created_at'][11:16]} {a['message'].split('] ', 1)[-1]}"[:40]
        return Reply(
            f"{text} {stamp(r)}",
            short=short,
            data={"type": "disaster", "district": district, **d, "alerts": alerts.data},
            sources=[r.citation(), alerts.citation()],
        )

    @staticmethod
    async def ranked(ctx: Context) -> Reply:
        """The districts with the most calls of the kind asked (fires unless 구급 or 구조 is said); the first is "그 구" next."""
        key, label = ("ems", "구급") if "구급" in ctx.text else ("rescue", "구조") if "구조" in ctx.text else ("fire", "화재")
        counts = {k: (await ctx.city.get("disaster", k)).data[key] for k in DISTRICTS}
        top = sorted(counts.items(), key=lambda kv: -kv[1])[:3]
        r = await ctx.city.get("disaster", top[0][0])
        listed = ", ".join(f"{k} {n}건" for k, n in top)
        reply = cited(
            f"오늘 {label} 출동이 가장 많은 구는 {listed}입니다.",
            r,
            short=f"{label} 최다: {listed}"[:40],
            data={"type": "disaster_ranking", key: counts},
        )
        reply.events.append(SlotSet("district", top[0][0]))
        return reply


ROADS_RE = re.compile(r"도로|간선|대로|roads?\b", re.I)
RANKED_RE = re.compile(r"제일|가장|어디|어느")  # "도로 중에 제일 잘 빠지는 데": over all roads, not the one before
FAST_RE = re.compile(r"빠른|빠르|빠지는|잘\s?빠|잘\s?뚫|뻥\s?뚫|원활|안\s?막히|덜\s?막히")


class ActionTrafficStatus(CityAction):
    intent = "traffic_status"

    async def answer(self, ctx: Context) -> Reply:
        ranked = bool(RANKED_RE.search(ctx.text) and ROADS_RE.search(ctx.text)) and not ctx.all_mentioned("road")
        if (road := ctx.mentioned("road")) and not ranked:
            r = await ctx.city.get("road", road)
            d = r.data
            text = f"{road}({d['section']}) 평균 {g(d['speed_kmh'])}km/h로 {d['index']}입니다."
            short = f"{road} {d['index']} {g(d['speed_kmh'])}km/h"
            for inc in d.get("incidents", []):
                until = f"({when(inc['until'])}까지)" if inc.get("until") else ""
                text += f" {inc['type']}: {inc['info']}{until}."
                short += f" · {inc['type']}" + (f" {inc['until'][11:16]}까지" if inc.get("until") else "")  # the watch: the hour
            return cited(text, r, short=short, data={"type": "traffic", "road": road, **d})
        district = None if ranked and not ctx.all_mentioned("district") else await ctx.district_of()  # all roads, not the district's
        r = await ctx.city.get("traffic", district)
        if district:
            d = r.data
            text = f"{district} 도로 평균 {g(d['avg_speed_kmh'])}km/h, {d['index']}입니다."
            return cited(
                text, r, short=f"{district} {d['index']} {g(d['avg_speed_kmh'])}km/h", data={"type": "traffic", "district": district, **d}
            )
        road_reading = await ctx.city.get("road", None)
        roads = road_reading.data
        by_road = ROADS_RE.search(ctx.text)  # "구 말고 도로 중에 제일 느린 데": roads, not districts
        rows = (
            {k: v["speed_kmh"] for k, v in roads.items()} if by_road else {k: v["avg_speed_kmh"] for k, v in r.data["by_district"].items()}
        )
        fast = bool(FAST_RE.search(ctx.text))
        slow = sorted(rows.items(), key=lambda kv: kv[1], reverse=fast)[:3]
        text = f"서울 도심 평균 {g(r.data['city']['avg_speed_kmh'])}km/h입니다."
        if slow:
            label = f"가장 {'빠른' if fast else '느린'} {'도로는' if by_road else '곳은'}"
            text += f" {label} " + ", ".join(f"{k} {g(v)}km/h" for k, v in slow) + "입니다."
        closed: dict[str, list[str]] = {}  # the roads with lanes closed now, by when they reopen
        for k, v in roads.items():
            for i in v.get("incidents", []):
                closed.setdefault(f"{i['until'][11:16]}까지" if i.get("until") else "종료 시각 미정", []).append(f"{k}({i['type']})")
        for until, which in closed.items():
            text += f" 통제 중({until}): {', '.join(which)}."
        reply = cited(text, r, short=f"서울 평균 {g(r.data['city']['avg_speed_kmh'])}km/h", data={"type": "traffic", **r.data})
        reply.sources.append(road_reading.citation())  # the roads' speeds and closures have their own source
        # a city-wide answer: "몇 시까지 통제야" next is about these roads, not the road asked before
        listed = [k for k, v in roads.items() if v.get("incidents")]
        reply.events += [SlotSet("road", None), SlotSet("listed_items", {"entity": "road", "intent": self.intent, "items": listed})]
        return reply


TOWARD_RE = re.compile(r"가는|방면|방향")  # "문산 가는 건요": a direction of the station's trains
NEXT_TRAIN_RE = re.compile(r"다음\s?(?:차|열차)|언제\s?(?:와|오)|몇\s?분|거기|next train", re.I)
WHY_RE = re.compile(r"왜|이유|\bwhy\b", re.I)
BUS_WORD_RE = re.compile(r"버스|\bbus\b", re.I)


class ActionTransitStatus(CityAction):
    intent = "transit_status"

    async def answer(self, ctx: Context) -> Reply:
        rail = ctx.all_mentioned("subway_line") or ctx.all_mentioned("station")  # "6호선 쪽만" after a bus: the line
        # "6호선 쪽만", "7호선은" right after a station's arrivals: that station, that line (if it stops there)
        after = ctx.tracker.get_slot("last_intent") == self.intent and (
            references.bare_names(ctx.tracker.latest_message)
            or TOWARD_RE.search(ctx.text)
            or NEXT_TRAIN_RE.search(ctx.text)  # "거기 경의중앙선 다음 차는요", "공항철도 말고 경의중앙선은요"
            or discourse.CORRECTION_RE.search(ctx.text)
        )
        bus = None if rail and not BUS_WORD_RE.search(ctx.text) else ctx.mentioned("bus_route")  # "건대입구 2412 버스"
        if bus := bus or (ctx.tracker.get_slot("bus_route") if after and not rail and not ctx.value("station") else None):
            r = await ctx.city.get("bus", str(bus))  # "그 다음 차는 몇 분 뒤예요" after a bus: that bus again
            d = r.data
            arr = ", ".join(f"{a['message']}({a['congestion']})" for a in d["arrivals"])
            reply = cited(
                f"{bus}번 버스 {d['stop']} 정류소 도착 예정: {arr}.",
                r,
                short=f"{bus}번 {d['arrivals'][0]['message']}",
                data={"type": "bus", "route": bus, **d},
            )
            reply.events.append(SlotSet("station", None))  # the bus, not an earlier station, is what "다음 차" follows
            return reply
        line = ctx.mentioned("subway_line")
        named = ctx.mentioned("station")
        why = WHY_RE.search(ctx.text) and line  # "왜요?" after a line's delay: the line's reason, not a station's trains
        # the station talked about, or a hotspot that is a station ("왕십리역 붐비는지" then "거기 경의중앙선 다음 차는요")
        before = ctx.value("station") or (p if (p := ctx.tracker.get_slot("place")) and p.endswith("역") and after else None)
        if station := named or (before if (not line or ctx.follow_up or after) and not why else None):
            try:
                r = await ctx.city.get("station", station)
            except UnknownKey:
                if named or not line:
                    raise
                return await self.line_status(ctx, line)  # the hotspot is no station after all: the line
            arrivals = r.data["arrivals"]
            lines = ctx.all_mentioned("subway_line") or [line]  # "여의도역 5호선이랑 9호선 둘 다": each line said
            shown = [a for a in arrivals if not line or a["line"] in lines]
            shown = [a for a in shown if a["destination"] in ctx.text] or shown  # "문산 가는 건요": that direction
            if not shown and line and not named:
                return await self.line_status(ctx, line)  # the line does not stop there: the line itself
            shown = shown or arrivals
            if not shown:
                return cited(
                    f"{station}에 지금 도착 예정인 열차가 없습니다.",
                    r,
                    short=f"{station} 도착 열차 없음",
                    data={"type": "station", "station": station, **r.data},
                )
            text = f"{station} " + ", ".join(f"{a['line']} {a['direction']} {a['destination']} {a['message']}" for a in shown[:4])
            reply = cited(
                f"{text}.",
                r,
                short=f"{station} {shown[0]['line']} {shown[0]['message']}",
                data={"type": "station", "station": station, **r.data},
            )
            reply.events.append(SlotSet("bus_route", None))
            return reply
        if len(lines := ctx.all_mentioned("subway_line")) > 1:  # "6호선 9호선 지연 몇 분", "2호선 5호선 둘 다 정상이야?"
            rows = [(x, (await ctx.city.get("line", x))) for x in lines]
            text = " ".join(
                f"{x} {r.data['status']}" + (f"(약 {r.data['delay_min']}분, {r.data['reason']})" if r.data["delay_min"] else "") + "."
                for x, r in rows
            )
            short = " · ".join(f"{x} " + (f"{r.data['delay_min']}분 지연" if r.data["delay_min"] else "정상") for x, r in rows)
            return cited(text, rows[0][1], short=short, data={"type": "subway_lines", "lines": {x: r.data for x, r in rows}})
        if line:
            return await self.line_status(ctx, line)
        r = await ctx.city.get("line", None)
        delayed = [(k, v) for k, v in r.data.items() if v["delay_min"]]
        text = (
            "지하철 전 노선 정상 운행 중입니다."
            if not delayed
            else "지연 노선: "
            + ", ".join(f"{k} 약 {v['delay_min']}분({v['reason']})" for k, v in delayed)
            + ". 나머지 노선은 정상 운행 중입니다."
        )
        return cited(
            text, r, short=f"지연 {len(delayed)}개 노선" if delayed else "지하철 정상 운행", data={"type": "subway_lines", "lines": r.data}
        )

    @staticmethod
    async def line_status(ctx: Context, line: str) -> Reply:
        r = await ctx.city.get("line", line)
        d = r.data
        text = (
            f"{line} {d['status']}"
            + (f", 약 {d['delay_min']}분 지연({d['reason']})" if d["delay_min"] else "")
            + f"입니다. 혼잡도 {d['crowding']}, 배차 간격 약 {d['headway_min']}분."
        )
        short = f"{line} {d['status']}" + (f" 약 {d['delay_min']}분({d['reason']})" if d["delay_min"] else f" · {d['crowding']}")
        return cited(text, r, short=short, data={"type": "subway_line", "line": line, **d})


# "제일 추운 구", "공기 제일 깨끗한 데": over all districts, whatever district the conversation was about
COLDEST_RE = re.compile(r"(?:제일|가장)\s?(?:춥|추운|쌀쌀)")
WARMEST_RE = re.compile(r"(?:제일|가장)\s?(?:덥|더운|따뜻)")
CLEANEST_RE = re.compile(r"(?:제일|가장)\s?(?:깨끗|맑|좋)")


GRADES = {
    "좋음": "좋음",
    "좋은": "좋음",
    "보통": "보통",
    "보통인": "보통",
    "나쁨": "나쁨",
    "나쁜": "나쁨",
    "매우나쁨": "매우 나쁨",
    "매우나쁜": "매우 나쁨",
}
GRADE_PLACES_RE = re.compile(
    r"(매우\s?나쁨|매우\s?나쁜|나쁨|나쁜|보통|좋음|좋은)(?:인|이|한)?\s?(?:구|곳|데|자치구)(?:가|는|이)?\s?(?:몇|어디)"
)


class ActionAirQuality(CityAction):
    intent = "air_quality"

    async def answer(self, ctx: Context) -> Reply:
        cleanest = bool(CLEANEST_RE.search(ctx.text)) and not ctx.all_mentioned("district")
        district = None if cleanest else await ctx.district_of()
        r = await ctx.city.get("air", district)
        if district:
            d = r.data
            text = (
                f"{district} 미세먼지 {d['pm10_grade']}(PM10 {g(d['pm10'])}㎍/㎥), 초미세먼지 {d['pm25_grade']}(PM2.5 {g(d['pm25'])}㎍/㎥)입니다."
                f" 오존 {g(d['o3'])}ppm."
            )
            if "나쁨" in (d["pm10_grade"] + d["pm25_grade"]):
                text += " 외출하실 때 마스크를 착용하세요."
            return cited(
                text,
                r,
                short=f"{district} 미세먼지 {d['pm10_grade']} · PM10 {g(d['pm10'])} · PM2.5 {g(d['pm25'])}",
                data={"type": "air_quality", "district": district, **d},
            )
        by = r.data["by_district"]
        if m := GRADE_PLACES_RE.search(ctx.text):  # "초미세 나쁨인 구가 몇 개예요": the districts of that grade
            grade = GRADES[re.sub(r"\s", "", m.group(1))]
            fine = "초미세" in ctx.text or "2.5" in ctx.text
            label = "초미세먼지" if fine else "미세먼지"
            named = [k for k, v in by.items() if v["pm25_grade" if fine else "pm10_grade"] == grade]
            text = f"{label} '{grade}'인 구는 {len(named)}곳" + (f"입니다: {', '.join(named)}." if named else "도 없습니다.")
            return cited(text, r, short=f"{label} {grade} {len(named)}곳", data={"type": "air_quality", **r.data})
        worst = max(by.items(), key=lambda kv: kv[1]["pm25"] or 0)
        c = r.data["city"]
        text = (
            f"서울 평균 PM10 {g(c['pm10'])}㎍/㎥, PM2.5 {g(c['pm25'])}㎍/㎥입니다. "
            f"초미세먼지가 가장 높은 곳은 {worst[0]}({g(worst[1]['pm25'])}㎍/㎥, {worst[1]['pm25_grade']})입니다."
        )
        if ozone := [v["o3"] for v in by.values() if v.get("o3") is not None]:
            text += f" 오존은 평균 {sum(ozone) / len(ozone):.3f}ppm입니다."
        short = f"서울 PM10 {g(c['pm10'])} · PM2.5 {g(c['pm25'])}"
        if cleanest and (measured := {k: v["pm25"] for k, v in by.items() if v["pm25"] is not None}):
            k = min(measured, key=measured.__getitem__)
            text += f" 초미세먼지가 가장 낮은 곳은 {k}({g(measured[k])}㎍/㎥, {by[k]['pm25_grade']})입니다."
            short = f"가장 깨끗한 곳 {k} PM2.5 {g(measured[k])}"
        return cited(text, r, short=short, data={"type": "air_quality", **r.data})


WIND_RE = re.compile(r"바람|풍속|wind", re.I)
UV_RE = re.compile(r"자외선|uv", re.I)


class ActionWeather(CityAction):
    intent = "weather"

    async def answer(self, ctx: Context) -> Reply:
        cold, warm = COLDEST_RE.search(ctx.text), WARMEST_RE.search(ctx.text)
        ranked = bool(cold or warm) and not ctx.all_mentioned("district")
        district = None if ranked else await ctx.district_of()
        r = await ctx.city.get("weather", district)
        d = r.data if district else r.data["city"]
        where = district or "서울"
        sky = d.get("sky") or ("비" if d.get("precipitation_type") not in (None, "없음") else None)
        text = (
            f"{where} 현재 {g(d['temp'])}℃"
            + (f", {sky}" if sky else "")
            + f"입니다. 최고 {g(d['max_temp'])}℃, 최저 {g(d['min_temp'])}℃, 습도 {g(d['humidity'])}%."
        )
        if d.get("rain_chance") is not None:
            text += f" 강수확률 {d['rain_chance']}%."
        if d.get("precipitation_mm"):
            text += f" 강수량 {g(d['precipitation_mm'])}mm."
        short = f"{where} {g(d['temp'])}℃" + (f" {sky}" if sky else "")
        if d.get("wind_speed") is not None:
            text += f" 바람 {g(d['wind_speed'])}m/s."
            if WIND_RE.search(ctx.text):  # "바람은": the watch line carries the wind
                short = f"{where} 바람 {g(d['wind_speed'])}m/s"
        if d.get("uv") and UV_RE.search(ctx.text):
            text += f" 자외선 지수 {d['uv']}."
            short = f"{where} 자외선 {d['uv']}"
        temps = {k: v["temp"] for k, v in (r.data.get("by_district") or {}).items() if v.get("temp") is not None}
        if ranked and temps:
            k = (min if cold else max)(temps, key=temps.__getitem__)
            text += f" 지금 가장 {'추운' if cold else '따뜻한'} 곳은 {k}({g(temps[k])}℃)입니다."
            short = f"가장 {'추운' if cold else '따뜻한'} 곳 {k} {g(temps[k])}℃"
        return cited(text, r, short=short, data={"type": "weather", "district": district, **d})


class ActionWaterQuality(CityAction):
    intent = "water_quality"

    async def answer(self, ctx: Context) -> Reply:
        key = ctx.mentioned("facility") or await ctx.district_of()
        r = await ctx.city.get("water", key)
        d = r.data
        ok = d["turbidity_ntu"] <= 0.5 and 0.1 <= d["residual_chlorine_mgl"] <= 4.0 and 5.8 <= d["ph"] <= 8.5
        where = key or "서울 아리수 전체"
        via = f"(공급: {d['facility']})" if key and d.get("facility") and d["facility"] != key else ""
        text = (
            f"{where}{via} 수돗물은 탁도 {g(d['turbidity_ntu'])}NTU, 잔류염소 {g(d['residual_chlorine_mgl'])}mg/L, pH {g(d['ph'])}로 "
            + ("먹는물 수질 기준에 모두 적합합니다." if ok else f"기준({WATER_LIMITS})을 벗어난 항목이 있습니다.")
        )
        return cited(
            text,
            r,
            short=f"{where} 수질 {'적합' if ok else '부적합'}",
            data={"type": "water_quality", "key": key, "within_limits": ok, **d},
        )


def forecast_at(place: dict, text: str) -> dict | None:
    """The hotspot's forecast for the hour the text asks about ("다섯 시쯤이면", "around five pm"), if it has one."""
    at = discourse.hour(text)
    return next((f for f in place.get("forecast") or [] if at is not None and int(f["time"][11:13]) == at), None)


def trail_courses(parks: dict[str, dict], trail: str) -> dict[str, dict]:
    """ "서울둘레길 5코스" … for "서울둘레길": a trail's courses (none for a park)."""
    return {k: v for k, v in parks.items() if k.startswith(f"{trail} ")}


PLACE_KINDS = ("관광특구", "역", "공원", "시장", "거리")  # the hotspots' own kinds, as their names end


class ActionLivingPopulation(CityAction):
    intent = "living_population"
    times = frozenset({"later_today"})  # the hotspots' hourly forecast

    async def answer(self, ctx: Context) -> Reply:
        kind = next((k for k in PLACE_KINDS if re.search(rf"{k}\s?(?:들\s?)?(?:중|가운데)", ctx.text)), "")  # "관광특구 중에"
        loc = None if kind and not ctx.all_mentioned("place") else ctx.location()  # over all of that kind, none carried
        if ctx.time and not (loc and loc[0] in ("place", "station")):
            return no_data_for(ctx.time, self.intent)
        if loc and loc[0] in ("place", "station"):
            place = loc[1]
            r = await ctx.city.get("place", place)
            d = r.data
            if ctx.time:  # "이따 저녁에 붐벼?": the forecast is the answer
                if not d.get("forecast"):
                    return no_data_for(ctx.time, self.intent)
                data = {"type": "living_population", "place": place, **{k: v for k, v in d.items() if k != "cctv"}}
                if f := forecast_at(d, ctx.text):  # "다섯 시쯤이면"
                    people = f"약 {approx(f['population_min'])}~{approx(f['population_max'])}명"
                    return cited(
                        f"{place} {when(f['time'])} 예측은 '{f['congestion']}', {people}입니다.",
                        r,
                        short=f"{place} {f['time'][11:16]} {f['congestion']} {people}",
                        data=data,
                    )
                hours = ", ".join(f"{when(f['time'])} '{f['congestion']}'(약 {approx(f['population_max'])}명)" for f in d["forecast"])
                return cited(f"{place} 혼잡 예측입니다: {hours}.", r, short=f"{place} 예측 {d['forecast'][-1]['congestion']}", data=data)
            text = f"{place} 지금 '{d['congestion']}' 상태, 약 {approx(d['population_min'])}~{approx(d['population_max'])}명입니다. {d['message']}"
            if d.get("forecast"):
                f = d["forecast"][-1]
                text += f" {when(f['time'])}에는 '{f['congestion']}'{josa(f['congestion'], '으로')[len(f['congestion']) :]} 예상됩니다."
            reply = cited(
                text,
                r,
                short=f"{place} {d['congestion']} {approx(d['population_min'])}~{approx(d['population_max'])}명",
                data={"type": "living_population", "place": place, **{k: v for k, v in d.items() if k != "cctv"}},
            )
            if place in (await ctx.city.get("park", None)).data:  # a hotspot that is a park: "거기 다 열려 있어요?" next
                reply.events.append(SlotSet("park", place))
            return reply
        if loc:
            district = loc[1]
            r = await ctx.city.get("population", district)
            n = r.data["count"]
            return cited(
                f"{district} 생활인구는 약 {approx(n)}명입니다.",
                r,
                short=f"{district} 약 {approx(n)}명",
                data={"type": "living_population", "district": district, **r.data},
            )
        if WHICH_DISTRICT_RE.search(ctx.text):  # "사람 제일 많이 몰려 있는 구가 어디야": districts, not hotspots
            counts = {k: (await ctx.city.get("population", k)).data["count"] for k in DISTRICTS}
            top = sorted(counts.items(), key=lambda kv: -kv[1])[:3]
            r = await ctx.city.get("population", top[0][0])
            listed = ", ".join(f"{k}(약 {approx(n)}명)" for k, n in top)
            return cited(
                f"생활인구가 가장 많은 구는 {listed}입니다.",
                r,
                short=f"최다: {top[0][0]} {approx(top[0][1])}명",
                data={"type": "living_population", "top_districts": dict(top)},
            )
        if ctx.citywide:  # "서울 전체로 보면": the whole city's count, not the busiest places
            r = await ctx.city.get("population", None)
            n = r.data["count"]
            return cited(
                f"서울 전체 생활인구는 약 {approx(n)}명입니다.",
                r,
                short=f"서울 약 {approx(n)}명",
                data={"type": "living_population", **r.data},
            )
        r = await ctx.city.get("place", None)
        rank = {"붐빔": 3, "약간 붐빔": 2, "보통": 1, "여유": 0}
        places = {k: v for k, v in r.data.items() if k.endswith(kind)} or r.data
        busy = sorted(places.items(), key=lambda kv: (-rank.get(kv[1]["congestion"], 0), -kv[1]["population_max"]))[:3]
        text = (
            f"지금 가장 붐비는 {josa(kind or '곳', '은')} "
            + ", ".join(f"{k}({v['congestion']}, 약 {approx(v['population_max'])}명)" for k, v in busy)
            + "입니다."
        )
        return cited(
            text,
            r,
            short="붐빔: " + ", ".join(k for k, _ in busy),
            data={
                "type": "living_population",
                "top": [{"place": k, **{x: v[x] for x in ("congestion", "population_min", "population_max")}} for k, v in busy],
            },
        )


# the most or fewest visitors today (group 1 or 2: the fewest), in Korean or English
VISITORS_RANK_RE = re.compile(
    r"(?:제일|가장|젤)\s?(?:(적|한산|한가|덜)|많|붐비|북적)\w*\s?(?:온|왔|찾|다녀|간|갔|방문|공원|곳|데)"
    r"|\b(?:(fewest|least (?:visited|busy|crowded)|quietest)|most (?:visitors|visited|people|crowded)|busiest)\b",
    re.I,
)


def by_visitors(parks: dict[str, Any], text: str, fewest: bool) -> list[tuple[str, dict[str, Any]]]:
    """The parks of the kind the text names (Han River parks, trails, parks), by visitors today."""
    if re.search(r"한강|han river", text, re.I):
        kept = {k: v for k, v in parks.items() if "한강공원" in k}
    elif re.search(r"둘레길|trail|course", text, re.I):
        kept = {k: v for k, v in parks.items() if v["kind"] == "둘레길"}
    else:
        kept = {k: v for k, v in parks.items() if v["kind"] == "공원"} if re.search(r"공원|park", text, re.I) else parks
    return sorted(kept.items(), key=lambda kv: kv[1]["visitors_today"] * (1 if fewest else -1))


class ActionParkInfo(CityAction):
    intent = "park_info"

    async def answer(self, ctx: Context) -> Reply:
        if m := DIFFICULTY_RE.search(ctx.text):  # "좀 쉬운 코스는 없어요?": the courses of that difficulty
            return await self.by_difficulty(ctx, "쉬움" if m.group(1) else "어려움")
        park = ctx.mentioned("park") or ctx.mentioned("place")
        if m := VISITORS_RANK_RE.search(ctx.text):  # "한강공원 중에 오늘 사람 제일 적었던 데": by visitors counted today
            r = await ctx.city.get("park", None)
            fewest = bool(m.group(1) or m.group(2))
            ranked = by_visitors(r.data, ctx.text, fewest)[:3]
            listed = ", ".join(f"{k}({number(v['visitors_today'])}명)" for k, v in ranked)
            text = f"오늘 방문객이 가장 {'적은' if fewest else '많은'} 곳은 {listed}입니다."
            reply = cited(text, r, short=f"{'최소' if fewest else '최다'}: {ranked[0][0]}", data={"type": "parks", "parks": dict(ranked)})
            reply.events += [
                SlotSet("park", ranked[0][0]),
                SlotSet("listed_items", {"entity": "park", "intent": self.intent, "items": [k for k, _ in ranked]}),
            ]
            return reply
        if not park:
            r = await ctx.city.get("park", None)
            closed = [k for k, v in r.data.items() if v["status"] != "정상 개방"]
            text = f"공원·둘레길 {len(r.data)}곳 중 {len(r.data) - len(closed)}곳이 정상 개방 중입니다." + (
                f" 일부 통제: {', '.join(closed)}." if closed else ""
            )
            return cited(text, r, short=f"통제 {len(closed)}곳", data={"type": "parks", "parks": r.data})
        try:
            r = await ctx.city.get("park", park)
        except UnknownKey:
            raise UnknownKey(park) from None
        d = r.data
        if (CLOSED_RE.search(ctx.text) or "코스" in ctx.text) and (courses := await self.courses(ctx, park)):
            return courses  # "서울둘레길 막아 놓은 코스 있어": the courses, not the whole trail
        text = f"{park}: {d['status']}."
        if d["kind"] == "둘레길":
            text += f" 길이 {g(d['length_km'])}km, {d['duration']} 소요, 난이도 {d['difficulty']}, 시작점 {d['start_point']}."
        else:
            text += f" {d['hours']}."
        text += f" 오늘 방문객 {number(d['visitors_today'])}명."  # a count at the gates, not an estimate
        if d["notice"]:
            text += f" 안내: {d['notice']}."
        reply = cited(text, r, short=f"{park} {d['status']}", data={"type": "park", "park": park, **d})
        reply.events += await park_as_place(ctx, park)
        return reply

    async def courses(self, ctx: Context, trail: str) -> Reply | None:
        """The trail's courses: those with a closure (and until when) or, when none is closed, all of them."""
        r = await ctx.city.get("park", None)
        if not (found := trail_courses(r.data, trail)):
            return None
        closed = {k: v for k, v in found.items() if v["status"] != "정상 개방"}
        shown = closed if CLOSED_RE.search(ctx.text) else found
        by_notice: dict[str, list[str]] = {}  # "5·7·8코스(낙엽 정비 작업으로 …)": one notice said once
        for k, v in shown.items():
            by_notice.setdefault(v["notice"] or v["status"], []).append(k.removeprefix(trail).strip())
        listed = ", ".join(f"{'·'.join(ks)}({notice})" for notice, ks in by_notice.items())
        text = (
            f"{trail} {len(found)}개 코스 중 {len(closed)}개 코스에 통제가 있습니다: {listed}."
            if shown is closed and closed
            else f"{trail} 코스는 {listed}입니다."
            if shown is found
            else f"{trail} {len(found)}개 코스 모두 정상 개방 중입니다."
        )
        short = (
            f"통제: {', '.join(k.removeprefix(trail).strip() for k in closed)}"
            if shown is closed and closed
            else f"{trail} {len(found)}개 코스"
        )
        reply = cited(text, r, short=short[:40], data={"type": "parks", "parks": shown})
        reply.events.append(SlotSet("listed_items", {"entity": "park", "intent": self.intent, "items": list(shown)}))
        if len(shown) == 1:
            reply.events.append(SlotSet("park", next(iter(shown))))
        return reply

    async def by_difficulty(self, ctx: Context, level: str) -> Reply:
        r = await ctx.city.get("park", None)
        found = [(k, v) for k, v in r.data.items() if v.get("difficulty") == level]
        if not found:
            return cited(f"난이도 '{level}'인 코스는 없습니다.", r, short=f"{level} 코스 없음", data={"type": "parks", "parks": {}})
        listed = ", ".join(f"{k}({g(v['length_km'])}km, {v['duration']}, {v['status']})" for k, v in found)
        reply = cited(
            f"난이도 '{level}' 코스는 {listed}입니다.",
            r,
            short=f"{level}: " + ", ".join(k.split()[-1] for k, _ in found),
            data={"type": "parks", "parks": dict(found)},
        )
        reply.events.append(SlotSet("listed_items", {"entity": "park", "intent": self.intent, "items": [k for k, _ in found]}))
        if len(found) == 1:  # "거기 오늘 몇 명 다녀갔어요": the one course named
            reply.events.append(SlotSet("park", found[0][0]))
        return reply


async def park_as_place(ctx: Context, park: str) -> list:
    """A park with crowd data is the place "거기 사람 많아요?" asks about next."""
    try:
        await ctx.city.get("place", park)
    except UnknownKey:
        return []
    return [SlotSet("place", park), SlotSet("district", None), SlotSet("station", None)]


DIFFICULTY_RE = re.compile(
    r"(?:(쉬운|쉽|초보|편한|가벼운)|(?:어려운|힘든|험한))[가-힣\s]{0,8}?(?:코스|길|데|곳)"
)  # "초보가 걷기 좋은 코스"
CLOSED_RE = re.compile(r"통제|막[아혀힌히은]|닫|폐쇄|못\s?(?:가|들어)|언제까지|closed|shut|until", re.I)
CLOSE_RE = re.compile(r"닫아|닫고|꺼\s?줘|끄고|꺼|치워|내려|그만")


class ActionCctvView(CityAction):
    intent = "cctv_view"
    permission = "cctv"

    async def answer(self, ctx: Context) -> Reply:
        if CLOSE_RE.search(ctx.text):  # "영상 닫아": back to the previous screen
            return Reply("CCTV 화면을 닫습니다.", short="CCTV 닫음", directives=[{"type": "navigate", "screen": "back"}])
        loc = ctx.location()
        if loc is None:
            return Reply("어느 곳의 CCTV를 띄울까요? 예: '광화문광장 CCTV 보여줘'", short="장소를 말씀해 주세요")
        kind, value = loc
        if kind == "district":
            r = await ctx.city.get("place", None)
            feeds = [f for p in r.data.values() if p["district"] == value for f in p["cctv"]]
        else:
            r = await ctx.city.get("place", value)
            feeds = r.data.get("cctv", [])
        if not feeds:
            raise UnknownKey(f"{value} CCTV")
        return Reply(
            f"{value} CCTV {len(feeds)}대를 화면에 띄웁니다.",
            short=f"{value} CCTV {len(feeds)}대",
            data={"type": "cctv", "target": value, "feeds": feeds},
            directives=[{"type": "cctv", "target": value, "feeds": feeds}],
            sources=[r.citation()],
        )
