"""Seoul's résumé: international cooperation, rankings, awards and foreign press."""

from __future__ import annotations

import re

from rasa_sdk.events import SlotSet

from .base import CityAction, Context, Reply, cited
from .citydata import UnknownKey
from .korean import josa


class ActionIntlCooperation(CityAction):
    intent = "intl_cooperation"

    async def answer(self, ctx: Context) -> Reply:
        r = await ctx.city.get("intl", None)
        cities, exports = r.data["cities"], r.data["policy_exports"]
        # a name said now wins; "거기하고는 무슨 사업" carries the city (or country) talked about
        city, country = ctx.all_mentioned("city"), ctx.all_mentioned("country")
        city = city[0] if city else None if country else ctx.mentioned("city")
        country = country[0] if country else None if city else ctx.mentioned("country")
        if city:
            if city not in cities:
                raise UnknownKey(city)
            c = cities[city]
            particle = josa(city, "은")[len(city) :]  # 베를린(독일)은, 파리(프랑스)는
            text = (
                f"{city}({c['country']}){particle} {c['since']}년 {c['kind']} 협약을 맺었고, 협력 사업은 {', '.join(c['projects'])}입니다."
            )
            text += exported([e for e in exports if city in e["partner"]])
            return cited(text, r, short=f"{city} {c['kind']} {c['since']}년", data={"type": "intl", "city": city, **c})
        if country:
            mine = {k: v for k, v in cities.items() if v["country"] == country}
            sold = [e for e in exports if e["partner"].startswith(country)]
            if not mine and not sold:
                raise UnknownKey(country)
            text = (
                f"{country}의 자매·우호도시는 "
                + ", ".join(f"{k}({v['kind']}, {v['since']}년, {', '.join(v['projects'])})" for k, v in mine.items())
                + "입니다."
            )
            if not mine:  # a country Seoul only sold a policy to
                text = f"{country}에는 자매·우호도시가 없습니다."
            text = (
                text + exported(sold)
                if mine
                else " ".join(f"{josa(e['policy'], '은')} {e['year']}년 {e['partner']}에 수출했습니다." for e in sold)
            )
            return cited(text, r, short=f"{country} {len(mine)}개 도시", data={"type": "intl", "country": country, "cities": mine})
        if sold := [e for e in exports if set(distinctive(e["policy"])) & set(distinctive(ctx.text))]:  # "TOPIS 수출한 데"
            text = " ".join(f"{josa(e['policy'], '은')} {e['year']}년 {e['partner']}에 수출했습니다." for e in sold)
            reply = cited(text, r, short=f"{sold[0]['policy']} → {sold[0]['partner']}"[:40], data={"type": "intl", "policy_exports": sold})
            if len({e["partner"] for e in sold}) == 1:  # "그게 몇 년도": the country it went to
                reply.events += [SlotSet("country", sold[0]["partner"].split()[0]), SlotSet("city", None)]
            return reply
        sister = {k: v for k, v in cities.items() if v["kind"] == "자매도시"}
        if OLDEST_RE.search(ctx.text):  # "제일 오래된 자매도시"
            k, v = min(sister.items(), key=lambda kv: kv[1]["since"])
            text = f"가장 오래된 자매도시는 {k}({v['country']})로 {v['since']}년에 협약을 맺었습니다. 협력 사업은 {', '.join(v['projects'])}입니다."
            reply = cited(text, r, short=f"최초 자매도시 {k} {v['since']}년", data={"type": "intl", "city": k, **v})
            reply.events.append(SlotSet("city", k))  # "거기랑 무슨 사업 해": that city
            return reply
        text = (
            f"자매도시 {len(sister)}곳, 우호도시 {len(cities) - len(sister)}곳과 교류하고 있습니다. 최근 정책 수출: "
            + ", ".join(f"{e['policy']}({e['partner']}, {e['year']})" for e in sorted(exports, key=lambda e: -e["year"])[:3])
            + "."
        )
        return cited(text, r, short=f"자매 {len(sister)} · 우호 {len(cities) - len(sister)}", data={"type": "intl", **r.data})


OLDEST_RE = re.compile(r"(?:제일|가장)\s?(?:오래|먼저|처음)|최초|첫\s?(?:자매|번째\s?자매)")


def exported(sold: list[dict]) -> str:
    """ " 정책 수출: 교통정보센터(TOPIS)(2023)." for the exports to one city or country."""
    return " 정책 수출: " + ", ".join(f"{e['policy']}({e['partner']}, {e['year']})" for e in sold) + "." if sold else ""


GENERIC = {"지수", "순위", "평가", "도시", "세계", "글로벌", "시스템", "관리", "기술", "정책", "운영", "서울"}


def distinctive(name: str) -> list[str]:
    """The words that tell one ranking from another: 관광 in 세계 관광 도시 순위, GFCI, 금융센터 …"""
    return [w for w in re.findall(r"[가-힣]{2,}|[A-Z]{3,}", name) if w not in GENERIC]


class ActionCityRanking(CityAction):
    intent = "city_ranking"

    async def answer(self, ctx: Context) -> Reply:
        r = await ctx.city.get("ranking", None)
        d = r.data
        text = ctx.text
        if named := [x for x in d["rankings"] if any(w in text for w in distinctive(x["name"]))]:  # "세계 관광 도시 순위는?"
            ranks = ", ".join(f"{x['name']}에서 {x['rank']}위({x['year']}년, {x['org']})" for x in named)
            return cited(f"서울은 {ranks}입니다.", r, short=f"{named[0]['name']} {named[0]['rank']}위", data={"type": "ranking", **d})
        ranks = ", ".join(f"{x['name']} {x['rank']}위({x['year']})" for x in d["rankings"][:3])
        award = d["awards"][0]
        text = f"서울은 {ranks}입니다. 최근 수상: {award['name']}({award['year']}, {award['project']})."
        if d["press"]:
            text += f" 외신: {d['press'][0]['outlet']} '{d['press'][0]['title']}'."
        return cited(text, r, short=f"{josa(d['rankings'][0]['name'], '은')} {d['rankings'][0]['rank']}위", data={"type": "ranking", **d})
