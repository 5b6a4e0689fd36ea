"""Administrative status: prices, finance, public opinion, indicators, projects, pledges."""

from __future__ import annotations

import re

from rasa_sdk.events import SlotSet

from nlu import discourse
from nlu.entities import sound

from . import access, conversation
from .base import CityAction, Context, Reply, cited
from .korean import josa, number, won
from .overview import DISTRICTS
from .privacy import public_fields
from .realtime import WHICH_DISTRICT_RE, g


class ActionPriceInfo(CityAction):
    intent = "price_info"
    times = frozenset({"last_week"})  # each item keeps its change against last week

    async def answer(self, ctx: Context) -> Reply:
        # "전체 품목 중에 제일 많이 오른 건": every item, not the one asked before
        item = next(ctx.tracker.get_latest_entity_values("item"), None) if ALL_ITEMS_RE.search(ctx.text) else ctx.mentioned("item")
        if not item:
            r = await ctx.city.get("price", None)
            fell = bool(FELL_RE.search(ctx.text))
            moved = sorted(r.data.items(), key=lambda kv: kv[1]["week_change_pct"] * (1 if fell else -1))[:3]
            text = (
                f"지난주보다 많이 {'내린' if fell else '오른'} 품목은 "
                + ", ".join(f"{k}({v['unit']} {number(v['average'])}원, {v['week_change_pct']:+g}%)" for k, v in moved)
                + "입니다."
            )
            short = f"{'하락' if fell else '상승'}: " + ", ".join(k for k, _ in moved)
            return cited(text, r, short=short, data={"type": "prices", "items": r.data})
        r = await ctx.city.get("price", item)
        d = r.data
        words = [sound(w) for w in re.findall(r"[가-힣]{2,}", ctx.text)]  # "청량니 시장" as heard
        heard = [(m, sound(m["market"].removesuffix("시장"))) for m in d["markets"]]
        if market := next((m for m, base in heard if any(w.startswith(base) for w in words)), None):  # "청량리시장 쌀"
            text = f"{market['market']} {item}({d['unit']}) 가격은 {number(market['price'])}원입니다(평균 {number(d['average'])}원)."
            return cited(text, r, short=f"{market['market']} {item} {number(market['price'])}원", data={"type": "price", "item": item, **d})
        if ctx.time == "last_week":
            before = round(d["average"] / (1 + d["week_change_pct"] / 100), -1)
            text = f"{item}({d['unit']}) 지난주 평균은 약 {number(int(before))}원, 이번 주는 {number(d['average'])}원으로 {d['week_change_pct']:+g}%입니다."
            return cited(text, r, short=f"{item} 지난주 대비 {d['week_change_pct']:+g}%", data={"type": "price", "item": item, **d})
        cheapest = d["markets"][0]
        text = (
            f"{item}({d['unit']}) 평균 {number(d['average'])}원으로 지난주보다 {abs(d['week_change_pct']):g}% "
            f"{'올랐' if d['week_change_pct'] > 0 else '내렸'}습니다. 가장 싼 곳은 {cheapest['market']} {number(cheapest['price'])}원입니다."
        )
        return cited(
            text, r, short=f"{item} {number(d['average'])}원 · 최저 {cheapest['market']}", data={"type": "price", "item": item, **d}
        )


ALL_ITEMS_RE = re.compile(r"전체\s?품목|품목\s?(?:중|가운데)|(?:뭐가|어떤\s?게|어느\s?게)\s?(?:제일|가장)")
FELL_RE = re.compile(r"내린|내렸|떨어진|떨어졌|싸진|싸졌|하락")
SUPERLATIVE_RE = re.compile(r"(?:제일|가장|최고로|최저로)\s?(낮|높|많|적|저|느|부진)")


class ActionFinanceStatus(CityAction):
    intent = "finance_status"

    async def answer(self, ctx: Context) -> Reply:
        sector = ctx.mentioned("sector")
        r = await ctx.city.get("finance", sector)
        d = r.data
        if sector == "세입":
            text = f"{d['year']}년 세입 목표 {won(d['budget'])} 중 {won(d['executed'])}을 거둬 달성률 {g(d['execution_rate'])}%입니다."
        elif sector:
            text = f"{d['year']}년 {sector} 분야 예산 {won(d['budget'])}, 집행 {won(d['executed'])}으로 집행률 {g(d['execution_rate'])}%입니다."
        elif m := SUPERLATIVE_RE.search(ctx.text):  # "집행률 제일 낮은 분야는"
            low = m.group(1) in ("낮", "적", "저", "느", "부진")
            ranked = sorted(d["sectors"].items(), key=lambda kv: kv[1]["execution_rate"], reverse=not low)[:3]
            text = (
                f"{d['year']}년 집행률이 가장 {'낮은' if low else '높은'} 분야는 "
                + ", ".join(f"{k} {g(v['execution_rate'])}%" for k, v in ranked)
                + f" 순입니다. 전체 집행률은 {g(d['execution_rate'])}%입니다."
            )
        else:
            text = (
                f"{d['year']}년 서울시 예산은 {won(d['total_budget'])}이며 집행률 {g(d['execution_rate'])}%입니다. "
                f"세입은 목표 대비 {g(d['revenue']['rate'])}%를 거뒀습니다."
            )
        return cited(text, r, short=f"{sector or '전체'} 집행률 {g(d['execution_rate'])}%", data={"type": "finance", "sector": sector, **d})


# What citizens get of public opinion: counts, shares and the trend. Complaint examples are internal records
# (names, phone numbers, addresses): they go to officers and the mayor only, never through a redaction.
OPINION_PUBLIC = ("today", "week", "week_change_pct", "call_120", "online_mentions", "sentiment")
OPINION_OVERVIEW = ("today", "week", "call_120")


DOCS_ASKED_RE = re.compile(r"문서|보고서|자료|기본\s?계획")
EVERY_RE = re.compile(r"전부|모두|다\s?(?:보여|알려)|한\s?번에|전체")  # every one of them, not the one asked before
ALL_TOPICS_RE = re.compile(r"분야\s?(?:다|전체|모두)|(?:전체|모든)\s?(?:분야|민원)|다\s?합쳐")
ROSE_RE = re.compile(r"(?:제일|가장|젤)\s?(?:많이\s?)?(?:늘|증가|급증)|급증")
TOP_RE = re.compile(r"(?:제일|가장|젤)\s?많|최다|1위")  # the most (not "제일 적은 민원")
OWN_RE = re.compile(r"(?:우리|저희|내|제)\s?(?:과|부서|국|팀|담당|소관)|소관")  # "우리 과 소관 민원": the asker's own


class ActionPublicOpinion(CityAction):
    intent = "public_opinion"
    times = frozenset({"last_week"})  # each topic keeps this week's change against last week

    async def answer(self, ctx: Context) -> Reply:
        if discourse.cue(ctx.text) == ("limit", "personal"):  # "소음 민원 들어온 주소": nobody's personal data, to anyone
            return Reply(f"{conversation.LIMITS['personal'][0]} {conversation.CALL_CENTER}", short=conversation.LIMITS["personal"][1])
        every = ALL_TOPICS_RE.search(ctx.text) or ROSE_RE.search(ctx.text)  # "분야 다 합쳐서": no topic carried
        topic = next(ctx.tracker.get_latest_entity_values("topic"), None) if every else ctx.mentioned("topic")
        district = ctx.mentioned("district")
        if OWN_RE.search(ctx.text) and ctx.department and not (topic or district):
            return await self.own_department(ctx)
        if not district and WHICH_DISTRICT_RE.search(ctx.text):  # "오늘 민원 제일 많이 들어온 구는 어디": districts by count
            counts = {k: (await ctx.city.get("opinion", k)).data["today"] for k in DISTRICTS}
            top = sorted(counts.items(), key=lambda kv: -kv[1])[:3]
            listed = ", ".join(f"{k} {number(n)}건" for k, n in top)
            reply = cited(
                f"오늘 민원이 가장 많이 들어온 구는 {listed}입니다.",
                await ctx.city.get("opinion", top[0][0]),
                short=f"민원 최다: {listed}"[:40],
                data={"type": "opinion", "top_districts": dict(top)},
            )
            reply.events.append(SlotSet("district", top[0][0]))
            return reply
        if district and not topic:
            r = await ctx.city.get("opinion", district)
            return cited(
                f"{district} 오늘 접수 민원은 {number(r.data['today'])}건입니다.",
                r,
                short=f"{district} 민원 {r.data['today']}건",
                data={"type": "opinion", **(public_fields(r.data, ("district", "today")) if ctx.citizen else r.data)},
            )
        r = await ctx.city.get("opinion", topic)
        if not topic and ROSE_RE.search(ctx.text):  # "이번 주에 제일 많이 늘어난 민원": by the change against last week
            up = sorted(r.data.items(), key=lambda kv: -kv[1]["week_change_pct"])[:3]
            listed = ", ".join(f"{k}(이번 주 {number(v['week'])}건, {v['week_change_pct']:+g}%)" for k, v in up)
            reply = cited(
                f"지난주보다 가장 많이 늘어난 민원은 {listed}입니다.",
                r,
                short=f"증가 1위 {up[0][0]} {up[0][1]['week_change_pct']:+g}%",
                data={"type": "opinion", "topics": {k: public_fields(v, ("week", "week_change_pct")) for k, v in up}},
            )
            reply.events += [
                SlotSet("topic", up[0][0]),
                SlotSet("listed_items", {"entity": "topic", "intent": self.intent, "items": [k for k, _ in up]}),
            ]
            return reply
        if not topic and ctx.time == "last_week":
            this_week = sum(v["week"] for v in r.data.values())
            last_week = round(sum(v["week"] / (1 + v["week_change_pct"] / 100) for v in r.data.values()))
            up = sorted(r.data.items(), key=lambda kv: -kv[1]["week_change_pct"])[:2]
            text = (
                f"지난주 민원은 약 {number(last_week)}건, 이번 주는 {number(this_week)}건입니다. 가장 많이 는 분야는 "
                + ", ".join(f"{k}({v['week_change_pct']:+g}%)" for k, v in up)
                + "입니다."
            )
            data = {"type": "opinion", "topics": {k: public_fields(v, ("week", "week_change_pct")) for k, v in r.data.items()}}
            return cited(text, r, short=f"지난주 {number(last_week)}건 → 이번 주 {number(this_week)}건", data=data)
        if not topic:
            top = sorted(r.data.items(), key=lambda kv: -kv[1]["today"])[:3]
            total = sum(v["today"] for v in r.data.values())
            text = f"오늘 민원은 모두 {number(total)}건이며, 많은 분야는 " + ", ".join(f"{k} {v['today']}건" for k, v in top) + "입니다."
            reply = cited(
                text,
                r,
                short="민원 상위: " + ", ".join(k for k, _ in top),
                data={"type": "opinion", "topics": {k: public_fields(v, OPINION_OVERVIEW) for k, v in r.data.items()}},
            )
            # "제일 많은 민원이 뭐야" then "그거 담당 과장 연결": the top topic is what "그거" means; "두 번째 거" the second
            reply.events.append(SlotSet("listed_items", {"entity": "topic", "intent": self.intent, "items": [k for k, _ in top]}))
            if TOP_RE.search(ctx.text):
                reply.events.append(SlotSet("topic", top[0][0]))
            return reply
        d = r.data
        s = d["sentiment"]
        text = (
            f"{topic} 민원은 오늘 {d['today']}건, 이번 주 {number(d['week'])}건으로 지난주보다 {abs(d['week_change_pct']):g}% "
            f"{'늘었' if d['week_change_pct'] > 0 else '줄었'}습니다. 120 다산콜 상담 {d['call_120']}건, "
            f"온라인 언급 {number(d['online_mentions'])}건(부정 {s['negative']}%)."
        )
        # officers and the mayor: the whole record, the complaints themselves too
        data = {"type": "opinion", "topic": topic, **(public_fields(d, OPINION_PUBLIC) if ctx.citizen else d)}
        return cited(text, r, short=f"{topic} 민원 오늘 {d['today']}건", data=data)

    async def own_department(self, ctx: Context) -> Reply:
        """ "우리 과 담당 민원 오늘 몇 건": the complaint topics the asker's department is in charge of."""
        officers = await ctx.records.directory()
        topics = list(dict.fromkeys(t for o in officers if o["department"] == ctx.department for t in o["topics"]))
        r = await ctx.city.get("opinion", None)
        counts = [(t, r.data[t]["today"]) for t in topics if t in r.data]
        if not counts:
            return Reply(f"{ctx.department} 소관으로 등록된 민원 분야가 없습니다.", short="소관 민원 분야 없음")
        listed = ", ".join(f"{t} {n}건" for t, n in counts)
        reply = cited(
            f"{ctx.department} 소관 민원은 오늘 {listed}입니다.",
            r,
            short=f"{ctx.department} {listed}",
            data={"type": "opinion", "topics": {t: r.data[t] for t, _ in counts}},
        )
        reply.events.append(SlotSet("listed_items", {"entity": "topic", "intent": self.intent, "items": [t for t, _ in counts]}))
        return reply


class ActionAdminIndicator(CityAction):
    intent = "admin_indicator"
    times = frozenset({"last_year"})  # each indicator keeps the year before

    async def answer(self, ctx: Context) -> Reply:
        name = next(ctx.tracker.get_latest_entity_values("indicator"), None) if EVERY_RE.search(ctx.text) else ctx.mentioned("indicator")
        if not name:
            r = await ctx.city.get("indicator", None)
            rows = {k: v for k, v in r.data.items() if v["public"] or not ctx.citizen}
            sectors = {v["sector"] for v in rows.values()}
            if sector := next(
                (x for x in sectors if re.search(rf"{x}\s?(?:분야|부문|쪽)\s?(?:의\s?|관련\s?)?지표", ctx.text)), None
            ):  # "교통 분야 지표 전부"
                rows = {k: v for k, v in rows.items() if v["sector"] == sector}
                listed = ", ".join(f"{k} {g(v['value'])}{v['unit']}" for k, v in rows.items())
                reply = cited(
                    f"{sector} 분야 지표는 {listed}입니다.",
                    r,
                    short=f"{sector} 지표 {len(rows)}개",
                    data={"type": "indicators", "indicators": rows},
                )
                reply.events.append(SlotSet("listed_items", {"entity": "indicator", "intent": self.intent, "items": list(rows)}))
                return reply
            text = (
                f"행정 지표 {len(rows)}개를 관리하고 있습니다. 예: "
                + ", ".join(f"{k} {g(v['value'])}{v['unit']}" for k, v in list(rows.items())[:4])
                + "."
            )
            return cited(text, r, short=f"지표 {len(rows)}개", data={"type": "indicators", "indicators": rows})
        r = await ctx.city.get("indicator", name)
        d = r.data
        if ctx.citizen and not d["public"]:
            return Reply(access.refusal(ctx.role), short="비공개 지표")
        value = number(d["value"]) if d["value"] >= 10_000 else g(d["value"])
        text = f"{josa(name, '은')} {d['year']}년 {value}{d['unit']}입니다"
        if ctx.time == "last_year" and d["previous"] is None:
            return Reply(
                f"{josa(name, '은')} 전년 값이 없어 비교할 수 없습니다. {d['year']}년 값은 {value}{d['unit']}입니다.", short="전년 값 없음"
            )
        if d["previous"] is not None:
            prev = number(d["previous"]) if d["previous"] >= 10_000 else g(d["previous"])
            diff = d["value"] - d["previous"]
            change = "같습니다" if diff == 0 else f"{g(round(abs(diff), 2))}{d['unit']} {'높' if diff > 0 else '낮'}습니다"
            text += f"(전년 {prev}{d['unit']}보다 {change})" if ctx.time == "last_year" else f"(전년 {prev}{d['unit']})"
        text += "." + (f" 목표는 {g(d['target'])}{d['unit']}입니다." if d["target"] is not None else "")
        return cited(text, r, short=f"{name} {value}{d['unit']}", data={"type": "indicator", "name": name, **d})


class ActionProjectStatus(CityAction):
    intent = "project_status"

    async def answer(self, ctx: Context) -> Reply:
        name = ctx.mentioned("project") or await self.named_after(ctx)
        if not name:
            r = await ctx.city.get("project", None)
            text = (
                f"핵심 사업 {len(r.data)}건: "
                + ", ".join(f"{i}. {k} {v['progress_pct']}%" for i, (k, v) in enumerate(r.data.items(), 1))
                + "."
            )
            reply = cited(text, r, short=f"핵심 사업 {len(r.data)}건", data={"type": "projects", "projects": r.data})
            reply.events.append(SlotSet("listed_items", {"entity": "project", "intent": self.intent, "items": list(r.data)}))
            return reply
        r = await ctx.city.get("project", name)
        d = r.data
        text = (
            f"{josa(name, '은')} {d['phase']} 단계, 공정률 {d['progress_pct']}%입니다({d['summary']}). "
            f"사업비 {won(d['budget'])}, 기간 {d['start']}~{d['end']}, 담당 {d['department']}."
        )
        if d["news"]:
            text += f" 최근 소식: {d['news'][0]['title']}({d['news'][0]['outlet']})."
        data = {"type": "project", "name": name, **d}
        if ctx.citizen:
            data.pop("documents")  # internal reports stay inside city hall
        elif d["documents"] and DOCS_ASKED_RE.search(ctx.text):  # "관련 문서 뭐 있어": their titles
            text += " 관련 문서: " + ", ".join(f"「{x['title']}」({x['date']})" for x in d["documents"]) + "."
        elif d["documents"]:
            text += f" 관련 문서 {len(d['documents'])}건이 있습니다."
        reply = cited(text, r, short=f"{name} {d['progress_pct']}% · {d['phase']}", data=data)
        reply.events.append(SlotSet("project", name))  # named after a road ("영동대로 … 짓는 거"): "그 사업" next is this
        return reply

    @staticmethod
    async def named_after(ctx: Context) -> str | None:
        """ "영동대로 지하에 짓는 거": the one project named after the road or place said."""
        said = [v for kind in ("road", "place", "district") for v in ctx.all_mentioned(kind)]
        projects = (await ctx.city.get("project", None)).data if said else {}
        found = [k for k in projects for v in said if k.startswith(str(v).removesuffix("구"))]
        return found[0] if len(found) == 1 else None


class ActionPledgeStatus(CityAction):
    intent = "pledge_status"

    async def answer(self, ctx: Context) -> Reply:
        name = ctx.mentioned("pledge")
        r = await ctx.city.get("pledge", name)
        if not name:
            s = r.data["summary"]
            text = f"공약 {s['total']}건 중 완료 {s['completed']}건, 정상 추진 {s['on_track']}건, 지연 {s['delayed']}건입니다."
            reply = cited(text, r, short=f"공약 완료 {s['completed']}/{s['total']}", data={"type": "pledges", **r.data})
            reply.events.append(SlotSet("listed_items", {"entity": "pledge", "intent": self.intent, "items": list(r.data["pledges"])}))
            return reply
        d = r.data
        text = f"'{name}' 공약은 이행률 {d['completion_pct']}%로 {d['status']}입니다(담당 {d['department']}, {d['checked_on']} 점검)."
        return cited(text, r, short=f"{name} {d['completion_pct']}%", data={"type": "pledge", "name": name, **d})
