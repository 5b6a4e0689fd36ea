"""Questions the documents answer better than the intent's data: they go to the reading room.

Before the action runs (`before`), by the words asked: a guess of the classifier, a definition, hearsay ("…탄대요"),
words no data question is asked with. After it ran (`after`), by its reply: the question asks for words or a kind of
answer (money, a total) the data's reply does not hold and a passage does ("기후동행카드 한 달 요금이 얼마였죠" gets the
pledge's progress from the data, the fare from the transport report).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import knowledge
from nlu import discourse

from .base import FOLLOW_UP_INTENTS
from .references import GUESSES, QUESTION_RE, SUPERLATIVE_RE, kind_free, route


async def before(parse: dict[str, Any], citizen: bool, known: set[str]) -> dict[str, Any]:
    """A question the documents answer better than the intent's data: it goes to the reading room.

    Either the classifier could only guess (help, small talk: "나쁨일 때 마스크는 어떤 걸 써야 하나요"), or a data
    question without a name carries words no data question is asked with ("계절관리제 걸리면 벌금", "심야 자율주행
    버스 하루 이용객"; `known`: the data intents' training vocabulary) and the best passage holds them.
    """
    text, intent = parse["text"], parse["intent"]["name"]
    terms = [t for t in knowledge.question_terms(text) if len(t) > 1]
    if discourse.cue(text) or len(terms) < 2:
        return parse
    if intent in NO_HISTORY and TREND_RE.search(text) and kind_free(parse):
        # "초미세먼지 좋음인 날은 얼마나 늘었어요": the data has today only, the white paper the years
        lead, _ = await asyncio.to_thread(knowledge.answer, text, citizen)
        return route(parse, "knowledge_question") if lead else parse
    defines = DEFINITION_RE.search(text) and not (NOW_RE.search(text) or SUPERLATIVE_RE.search(text))
    if (defines or ADVICE_RE.search(text)) and intent != "knowledge_question":
        # "생활인구가 주민등록인구랑 뭐가 다른 거야", "나쁜 날엔 창문 어떻게 열어요": the documents define and advise
        lead, _ = await asyncio.to_thread(knowledge.answer, text, citizen)
        return route(parse, "knowledge_question") if lead else parse
    if intent in GUESSES - {"knowledge_question"} or (
        intent == "navigate" and (citizen or HOW_MANY_RE.search(text))
    ):  # citizens move no wall; "화면 … 몇 번이나 쓴대요" asks, it moves nothing
        if not QUESTION_RE.search(text) and intent != "nlu_fallback":
            return parse
        lead, _ = await asyncio.to_thread(knowledge.answer, text, citizen)
        return route(parse, "knowledge_question") if lead else parse
    placed = any(e["entity"] in PLACE_KINDS for e in parse["entities"])
    hearsay = bool(HEARSAY_RE.search(text))  # "하루에 몇 명이나 탄대요": what a report says, not a live figure
    if intent not in FOLLOW_UP_INTENTS | {"inform"} or placed or parse.get("language") == "en" or (NOW_RE.search(text) and not hearsay):
        return parse
    if not (hearsay or kind_free(parse)):
        return parse
    unknown = [t for t in terms if t not in known]
    if not hearsay and len(unknown) < 2 and not any(len(t) >= 4 for t in unknown):  # "계절관리제가 뭐예요": one long word will do
        return parse
    hits = await asyncio.to_thread(knowledge.search, text, 1, False)  # routing only: the answer keeps the role's view
    if not hits:
        return parse
    passage = f"{hits[0]['title']} {hits[0]['section']} {hits[0]['text']}"
    if hearsay:  # the best passage must hold the question, not just a word of it
        held = [t for t in terms if knowledge.coverage(t, passage) == 1.0]
        return route(parse, "knowledge_question") if len(held) >= 2 and knowledge.coverage(text, passage) >= 0.5 else parse
    held = [t for t in unknown if knowledge.coverage(t, passage) == 1.0]
    return route(parse, "knowledge_question") if len(held) >= 2 or any(len(t) >= 3 for t in held) else parse


NO_HISTORY = {"air_quality", "water_quality"}  # data intents with today's values only
TREND_RE = re.compile(
    r"늘었|줄었|늘어났|줄어들|좋아졌|좋아진|나아졌|나아진|낮아졌|높아졌|예전보다|몇\s?년\s?(?:새|사이|동안)"
    r"|\bsince (?:19|20)\d\d|gone (?:down|up)|improved|(?:a|per) year now|days? a year",
    re.I,
)
PLACE_KINDS = {"district", "place", "station", "road", "subway_line", "bus_route"}
HEARSAY_RE = re.compile(r"(?<=[가-힣])(?:래|대|랬|댔)(?:요|죠)?[?？.]?$|있잖아|다던데|다며|라던데")  # not "몇 대"


# what a word means or how two differ: the documents define, the data only counts
DEFINITION_RE = re.compile(
    r"(?:뭐가|어떻게|뭐|무엇이)\s?달라|(?:뭐가|어떻게)\s?다[르른]|다른\s?점|차이(?:점|가\s?뭐|는)|무슨\s?차이|무슨\s?뜻|뜻이|의미가?\s?뭐"
    r"|(?:이|가)?란\s?(?:뭐|무엇)|(?:이|가)\s?뭐(?:예요|에요|야|죠|지|냐)\??$|무엇인가요"
)
# how to act, or which kind to use, not what is measured now ("마스크 써야 돼?" asks whether, from today's air)
ADVICE_RE = re.compile(
    r"어떻게\s?(?:해야|하면|열|써|입|대비)|(?:어떤|무슨|뭘|무엇)\s?(?:마스크|걸)|마스크\s?(?:는\s?)?(?:어떤|무슨|뭘)|어떤\s?(?:거|걸)\s?(?:써|골라|사야)|아무거나\s?써|몇\s?번\s?(?:열|환기)"
)
HOW_MANY_RE = re.compile(r"몇\s?(?:번|건|회|개|명)|얼마나\s?(?:자주|많이)")  # "화면 … 한 달에 몇 번이나 쓴대요": no move
NOW_RE = re.compile(r"지금|현재|오늘|실시간|요즘")  # live data is asked for now


async def after(parse: dict[str, Any], reply: str, citizen: bool, vocabulary: set[str]) -> dict[str, Any] | None:
    """The parse sent to the documents when they answer what the data's `reply` left out, else None.

    Left out: two words of the question that neither the intent's training `vocabulary` nor the reply has (or one
    long one: "도로 옆 측정소"), or money or a total asked for ("요금", "지금까지") that the document's sentence has and
    the reply lacks; and the passage covers the question, better than the reply. The question searched carries the
    names the turn resolved ("지금까지 몇 장 나갔어요" after 기후동행카드)."""
    text = parse["text"]
    if parse["intent"]["name"] not in FOLLOW_UP_INTENTS - {"cctv_view"} or parse.get("language") == "en" or discourse.cue(text):
        return None
    if discourse.CORRECTION_RE.search(text) or discourse.TAKEN_BACK_RE.search(text):
        return None  # "강변북로 아니 올림픽대로 속도": the name taken back is no word the reply left out
    names = [str(e["value"]) for e in parse["entities"] if e["entity"] not in ("time", "scope")]
    question = " ".join([*(n for n in names if n not in text), text])
    said = " ".join(text[e["start"] : e["end"]] for e in parse.get("names", parse["entities"]))
    missing = [
        t
        for t in knowledge.question_terms(text)
        if len(t) > 1 and t not in vocabulary and t not in said and knowledge.coverage(t, reply) < 1
    ]
    kinds = [kind for kind in knowledge.DETAIL_KINDS if kind[0].search(question) and not kind[1].search(reply)]
    if not (len(missing) >= 2 or any(len(t) >= 3 for t in missing) or kinds):
        return None
    lead, hits = await asyncio.to_thread(knowledge.answer, question, citizen)
    if lead is None:
        return None
    passage = f"{hits[0]['title']} {hits[0]['section']} {hits[0]['text']}"
    covered, replied = knowledge.coverage(question, passage), knowledge.coverage(question, reply)
    held = [t for t in missing if knowledge.coverage(t, passage) == 1]
    words = (len(held) >= 2 or any(len(t) >= 3 for t in held)) and covered > replied
    detail = any(has.search(lead) for _, has in kinds) and covered >= replied
    return {**route(parse, "knowledge_question"), "text": question} if covered >= knowledge.MIN_COVERAGE and (words or detail) else None
