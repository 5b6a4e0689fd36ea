"""What "그 사업", "세 번째 거", "그 문서" point at: the turn's parse rewritten from the conversation's slots.

Runs before the action is chosen (the embedded dialogue calls it), so "세 번째 거 자세히" after a list of projects
opens the third project instead of offering to approve approval document 3, and "그 사업 예산은?" asks about
the project just discussed, not the city budget.
"""

from __future__ import annotations

import re
from typing import Any

from nlu import discourse, korean
from nlu.entities import DECISION_RE, DECISIONS, WEAK_TYPES_BY_INTENT

from . import minutes, share
from .base import FOLLOW_UP_INTENTS

# A demonstrative and what it points at -> the entity type it refers to.
REFERENCE_RE = re.compile(r"(?:그|이|저|해당|아까|방금)\s?(사업|프로젝트|공약|지표|노선|도로|공원|둘레길|코스|역)(?![가-힣])")
NOUN_TYPES = {
    "사업": "project",
    "프로젝트": "project",
    "공약": "pledge",
    "지표": "indicator",
    "노선": "subway_line",
    "도로": "road",
    "공원": "park",
    "둘레길": "park",
    "코스": "park",
    "역": "station",
}
TYPE_INTENTS = {
    "project": "project_status",
    "pledge": "pledge_status",
    "indicator": "admin_indicator",
    "subway_line": "transit_status",
    "road": "traffic_status",
    "park": "park_info",
    "topic": "public_opinion",
    "station": "transit_status",
}
DOCUMENT_WHERE_RE = re.compile(r"출처|어디(?:에|서)\s?나와|어느\s?(?:문서|자료|부분)|무슨\s?(?:문서|자료)")  # where, not what
DOCUMENT_REF_RE = re.compile(r"(?:그|이|방금|아까)\s?(?:문서|자료|백서|보고서|내용)|출처|어디(?:에|서)\s?나와")
APPROVAL_WORDS_RE = re.compile(r"문서|결재|승인|반려|기안")
WHO_RE = re.compile(
    r"(?:담당|맡은|책임).{0,6}(?:어디|누구|어느)|맡은\s?(?:사람|분|부서|과|책임자|담당자)\s?(?:좀\s?)?연결"
)  # "그 분야 담당 부서 어디예요"
UNDO_STRONG_RE = re.compile(
    r"되돌|철회|번복|무르|물러|원래대로|없던\s?(?:걸|것|일)|다시\s?올려|안\s?한\s?(?:걸로|것으로)|미결로"
    r"|(?:대기|보류)\s?(?:상태)?\s?(?:로|으로)\s?(?:돌려|바꿔|해)"
)  # an undo even without naming the approval
URGENT_RE = re.compile(r"급한|긴급")
DRAFTED_RE = re.compile(r"올렸|올린|기안|상신")  # "…건은 어느 부서가 올렸나": an approval document's details
# "리버버스 선착장 점검 결과 보고 올라왔지": a document by its kind of title, submitted (not "민원 올라온 거")
SUBMITTED_RE = re.compile(r"(?:보고|보고서|계획|계약|허가|변경|문서|결재)\s?(?:건\s?)?(?:은|는|이|가|도)?\s?올라(?:왔|온)")
APPROVAL_VIEW_RE = re.compile(r"보자|보여|내용|자세히|열어|읽어|뭐야|무슨|올렸|올린|기안|상신|어느\s?부서")
DECISION_END_RE = re.compile(
    r"(?:승인|반려|결재)(?:으로|로)?\s?(?:해|하지|하자|할게|합니다|합시다|해요|처리(?:해|하지|해요|합니다|요)?|바꿔|바꾸자|바꿀게)?\s?(?:주세요|줘)?[.!]?$"
)
DECISION_START_RE = re.compile(r"^(?:승인|반려)(?:해|하자|할게|합니다)(?![가-힣])")  # "반려해 예산이 너무 과해": the reason after it
FLIP_RE = re.compile(
    r"(?:승인|반려)\s?(?:으로|로|하는\s?(?:게|걸로))\s?.{0,8}?(?:바꿔|바꾸|바꿀|돌려|변경|올려)|승인\s?말고\s?반려|반려\s?말고\s?승인"
)  # "승인으로 바꾸자", "그거 반려 말고 승인이야" after a decision
CASE_RE = re.compile(r"(?<![가-힣])건(?:만|은|도|을)?(?![가-힣])")  # "기후동행카드 건만 취소해줘": an approval named by its case
THAT_ONE_RE = re.compile(r"그거|이거|저거|그\s?건|이\s?건")
# "아니 그냥 둬": the undo is not wanted ("돌려놔" is no "놔둬")
KEEP_RE = re.compile(r"말아|말고|마[.!]?$|아니|그냥|두세요|둬|(?<!려)놔")
# what a project is asked about besides its name: "예산은 얼마 잡혀 있지" after 노들섬 is the project's, not the city's
OPINION_ASPECT_RE = re.compile(r"온라인|언급|다산콜|120|상담|부정|긍정|반응|이번\s?주|지난주|추세")
PROJECT_ASPECT_RE = re.compile(r"예산|사업비|돈|비용|공정|진척|기간|언제|완공|준공|담당")
UNDO_RE = re.compile(UNDO_STRONG_RE.pattern + "|취소")  # 취소 also cancels a pending question: an undo only in context
# a yes that goes on ("그래 반려 확정", "어 대기 상태로 돌려놔", "응 둘 다 그렇게"), or a decision confirmed in other
# words ("반려 오케이", "승인 좋아요 올려요", "반려로 확인"): it answers the question pending
YES_LEAD_RE = re.compile(r"^(?:응|어|네|예|그래|맞아|좋아|오케이|ㅇㅇ)요?(?![가-힣])")
CONFIRMED_RE = re.compile(r"오케이|좋아|확인|확정|맞(?:아|습니다|아요)|진행|처리해")
# Naming the reading room's kind of source routes a question there, whatever its topic words suggest.
DOCUMENT_CUE_RE = re.compile(
    r"백서|보고서|문서(?:에서|에|엔|상)|자료(?:에서|에|엔)|[다라던]는\s?자료|자료실|계획서|안내서|가이드|매뉴얼"
    r"|[다라]고\s?(?:돼|되어|나와|적혀|써|쓰여)|(?:로|으로)\s?(?:돼|되어)\s?있(?:어|나|었|지)|어떻게\s?(?:추정|산출|계산|측정|집계|정해)"  # "…추정한다고 돼 있어요"
)
# A question (not a follow-up) the classifier could only guess at: the documents may answer it.
QUESTION_RE = re.compile(
    r"어떤|어떻게|몇|얼마|뭐|무엇|무슨|언제|어디|왜|누가|나요|까요|[?？]|(?:해도|가도)\s?(?:되|돼)|(?:있나|없나|되나|인가|있어요)$"
)


# A short message that leans on the one before: "목표는요", "언제까지 통제한대요", "2017년엔 며칠이었어요?".
ELLIPTIC_RE = re.compile(r"^(?:그럼|그러면|그건|그거|거긴|거기|그때|그리고)|(?:은|는|도|엔|에는|땐|때는|만|(?<=[가-힣]\s)건)\s?요?[?？.]?$")
# Words that ask or frame, not name a topic: "강서구 상황 자세히", "목표 대비 어때".
QUESTION_NOUNS = {"얼마", "며칠", "뭐", "무엇", "언제", "어디", "누구", "몇", "정도", "제일", "가장", "지금", "오늘"}
FRAME_NOUNS = {"상황", "현황", "상태", "정보", "내용", "자세", "대비", "비교", "기준", "쪽", "곳", "데", "거", "것", "전체", "평균"}
# What a classifier guesses for a message without a topic of its own (below FOLLOW_CONFIDENCE it is a guess).
GUESSES = {"greet", "goodbye", "thanks", "affirm", "deny", "help", "knowledge_question", "nlu_fallback", "out_of_scope"}
FOLLOW_CONFIDENCE = 0.5
SURE = discourse.SURE  # at or above this, the classifier's guess stands
CLOSING_RE = re.compile(r"수고|고마|감사|잘\s?있어|이만|끝|됐어|bye|thank", re.I)  # "알았어 수고": a goodbye, not a follow-up
# "집행률 제일 낮은 분야", "서울에서 제일 나쁜 데": over all, not the last one
SUPERLATIVE_RE = re.compile(r"(?:제일|가장)\s?(?:낮|높|많|적|큰|작|느|빠|나쁘|나쁜|나빠|좋|심|붐비)")
PLACES = {"district", "place", "station", "time", "scope"}


HANGUL_RE = re.compile(r"[가-힣]")
COURSE_RE = re.compile(r"(\d{1,2})\s?코스")


def elliptic(text: str, names: list[dict[str, Any]] | None = None) -> bool:
    """At most one noun of its own (question words and names aside), or a follow-up's shape ("…은요?", "그럼 …");
    in English, a short question ("Which market sells them cheapest?")."""
    if not HANGUL_RE.search(text):
        return len(text.split()) <= 6
    return len(own_nouns(text, names)) <= 1 or bool(ELLIPTIC_RE.search(text.strip()))


def follows_up(parse: dict[str, Any], slots: dict[str, Any]) -> str | None:
    """The intent an elliptic message continues: the last data question's, or the documents'. A weak guess
    ("목표는요" taken for a question to the documents) or the same question without a name of its own ("어디가 제일
    싸요?" after the price of 대파) continues it."""
    last, intent, text = slots.get("last_intent"), parse["intent"]["name"], parse["text"]
    if not last or not elliptic(text, parse["entities"]) or discourse.cue(text) or CLOSING_RE.search(text):
        return None
    if SUPERLATIVE_RE.search(text) and last != "knowledge_question":  # "제일 많이 쓴 메뉴는" after a document: the document
        return None
    confidence = parse["intent"]["confidence"]
    if intent == last and kind_free(parse) and not TYPE_NOUN_RE.search(text):
        return intent  # the same question, about what the last one was about ("공약 전체 중에": all of them)
    if last == "knowledge_question" and intent == "inform" and not parse["entities"]:
        return last  # "2017년은요?" after an answer from the documents
    if intent == "navigate" and ELLIPTIC_RE.search(text) and last in FOLLOW_UP_INTENTS and not ON_WALL_RE.search(text):
        return "inform"  # "영동대로 복합개발은" after a project question: the same question, not the wall
    own = [e for e in parse.get("names_as_last", []) if e["entity"] in WEAK_TYPES_BY_INTENT.get(last, set())]
    if own and not discourse.topic(text, parse["entities"]) and confidence < SURE and intent != last:
        parse["entities"] = parse["names_as_last"]  # "환경 분야는" after the budget: a sector, as the last question reads it
        return "inform"
    # "퇴근 땐요", "오늘 몇 건 들어왔는지만요": a follow-up's ending, not a goodbye however sure the classifier is
    guess = intent in GUESSES and (confidence < FOLLOW_CONFIDENCE or bool(ELLIPTIC_RE.search(text)))
    # a data question with no topic word and no names but places ("강서구 상황 자세히") continues the topic unless the
    # classifier is sure of another
    placed = all(e["entity"] in PLACES for e in parse["entities"])
    if guess or (intent in FOLLOW_UP_INTENTS and placed and not discourse.topic(text, parse["entities"]) and confidence < SURE):
        return "knowledge_question" if last == "knowledge_question" else "inform"
    return None


def course(parse: dict[str, Any], slots: dict[str, Any]) -> dict[str, Any] | None:
    """ "2코스는요" after 서울둘레길 5코스: the same trail's course 2; "둘래길 3코스": the trail said, course 3."""
    m = ([None, *COURSE_RE.finditer(parse["text"])])[-1]  # "3코스 아 아니 1코스": the last one said
    said = [e["value"] for e in parse["entities"] if e["entity"] == "park"]
    trail = said[0] if said else slots.get("park") or ""
    if not m or "둘레길" not in trail or (said and (c := COURSE_RE.search(trail)) and c.group(1) == m.group(1)):
        return None
    return entity("park", f"{COURSE_RE.sub('', trail).strip()} {m.group(1)}코스")


def own_nouns(text: str, names: list[dict[str, Any]] | None = None) -> list[str]:
    """The nouns that say what the message is about: not question or framing words, not the names it has."""
    spans = [text[e["start"] : e["end"]] for e in names or [] if e.get("end")]
    return [n for n in korean.nouns(text) if n not in QUESTION_NOUNS | FRAME_NOUNS and not any(n in s for s in spans)]


def route(parse: dict[str, Any], intent: str) -> dict[str, Any]:
    """The parse sent to another intent, with every name the text has (the classifier's intent kept only its own)."""
    if intent == parse["intent"]["name"]:
        return parse
    return {**parse, "intent": {**parse["intent"], "name": intent}, "entities": parse.get("names", parse["entities"])}


BUS_NUMBER_RE = re.compile(r"\s*([Nn]?\d{2,4})\s?번?\s?(?:버스)?(?:은|는|도)?\s?요?[?？]?\s*$")
DECIDABLE = GUESSES | {"inform", "navigate", "approval_list", "project_status"}  # "…보고서 승인" taken for these
UNTIL_RE = re.compile(r"언제까지|몇\s?시까지|언제\s?(?:풀|끝나|열)|끝나는\s?(?:시각|시간|때)")
PROJECT_DOCS_RE = re.compile(r"관련(?:된)?\s?(?:문서|자료|보고서)|(?:문서|보고서)\s?(?:는\s?)?(?:뭐|어떤|몇)")
NEWS_RE = re.compile(r"(?:관련|최근)(?:에|해서)?\s?(?:뉴스|보도|기사|소식|언론)|(?:뉴스|보도|기사)\s?(?:난|나온|났|뜬|있)")
THERE_RE = re.compile(r"거기|그곳|그\s?쪽|그\s?(?:구|지역|동네)|해당\s?(?:구|지역)")  # the place just talked about
MAIN_KIND = {intent: kind for kind, intent in TYPE_INTENTS.items() if kind != "station"}  # project_status -> project …
ONLY_RE = re.compile(r"(?:쪽|것|거)?만\s?(?:요)?[?？.]?$")  # "6호선 쪽만": the last answer, narrowed
TYPE_NOUN_RE = re.compile(
    "|".join(n for n in NOUN_TYPES if len(n) > 1 and n != "코스")
)  # "사업 현황" asks about all projects, not the last one


OPEN_RE = re.compile(r"열려|닫혀|개방|통제|들어갈\s?수|출입")
CONNECT_RE = re.compile(r"연결|통화|전화|바꿔")
ON_WALL_RE = re.compile(r"띄워|띄우|벽에|화면에|화면으로|올려")  # "그거 벽에 띄워봐": the wall, not a follow-up
THIS_PERIOD_RE = re.compile(r"이번\s?주|이번\s?달|오늘|this week|today", re.I)
COUNT_RE = re.compile(r"몇\s?(?:대|개|곳|군데)|얼마나\s?많")


def only_names(parse: dict[str, Any]) -> bool:
    """ "송파구는?", "2017년은요?": names and a particle, nothing asked of its own."""
    named = [e for e in parse["entities"] if e["entity"] not in ("time", "scope")]
    return bool(named) and not own_nouns(parse["text"], parse["entities"]) and len(parse["text"]) <= 12


BARE_RE = re.compile(r"(?:[\s?？.!~]|은|는|도|요|이요|쪽|만|봐|봐줘)*")


def bare_names(parse: dict[str, Any]) -> bool:
    """ "마늘은요", "150번은", "퇴계로도 봐": names and particles, nothing else."""
    text, names = parse["text"], [e for e in parse["entities"] if e.get("end")]
    for e in sorted(names, key=lambda e: -e["start"]):
        text = text[: e["start"]] + " " + text[e["end"] :]
    return bool(names) and BARE_RE.fullmatch(text) is not None


def asks_again(parse: dict[str, Any], last: str | None) -> bool:
    """A follow-up that asks the last data question something of its own (not a bare name): reported as that intent."""
    return last in FOLLOW_UP_INTENTS and last != "cctv_view" and not only_names(parse)


def kind_free(parse: dict[str, Any]) -> bool:
    """No name of its own but time and scope."""
    return all(e["entity"] in ("time", "scope") for e in parse["entities"])


def entity(kind: str, value: Any) -> dict[str, Any]:
    return {"entity": kind, "value": value, "start": 0, "end": 0, "confidence_entity": 1.0, "extractor": "reference"}


def resolve(parse: dict[str, Any], slots: dict[str, Any]) -> dict[str, Any]:
    text, intent = parse["text"], parse["intent"]["name"]
    if minutes.cue(text):  # "방금 통화 회의록 보여줘" (taken for end_call): that call's own minutes (minutes.py)
        return route(parse, "knowledge_question")
    if share.cue(text, bool(slots.get("active_call"))):  # "이 화면 통화에 보여줘", "공유 중지": the wall into the call (share.py)
        return route(parse, "navigate")
    said = {e["entity"] for e in parse["entities"]}
    listed = slots.get("listed_items") or {}
    ordinal = next((e["value"] for e in parse["entities"] if e["entity"] == "doc_number"), None)
    # "세 번째 거 자세히": an ordinal with no decision, after a list that was not the approvals
    if ordinal and "decision" not in said and listed.get("items") and not APPROVAL_WORDS_RE.search(text):
        items = listed["items"]
        if 1 <= int(ordinal) <= len(items):
            kept = [e for e in parse["entities"] if e["entity"] != "doc_number"]
            return {
                **parse,
                "intent": {**parse["intent"], "name": listed["intent"]},
                "entities": [*kept, entity(listed["entity"], items[int(ordinal) - 1])],
            }
    # "그 사업 예산은?": the thing just talked about, asked about again
    if m := REFERENCE_RE.search(text):
        kind = NOUN_TYPES[m.group(1)]
        if kind not in said and slots.get(kind):
            asked = discourse.topic(text) if kind in ("station", "park", "road") else None  # "그 역 지금 사람 많아요"
            asked = "navigate" if intent == "navigate" else asked  # "그 사업 화면으로 넘어가": the wall, to that project
            return {
                **parse,
                "intent": {**parse["intent"], "name": asked if asked in {*FOLLOW_UP_INTENTS, "navigate"} else TYPE_INTENTS[kind]},
                "entities": [*parse["entities"], entity(kind, slots[kind])],
            }
    last = slots.get("last_intent")
    subject = MAIN_KIND.get(last)
    if subject in ("project", "pledge") and slots.get(subject) and kind_free(parse):
        if (WHO_RE.search(text) and not CONNECT_RE.search(text)) or (
            subject == "project" and PROJECT_ASPECT_RE.search(text) and (intent == last or elliptic(text, parse["entities"]))
        ):
            return {**route(parse, last), "follow_up": True}  # "담당 부서가 어디였지", "예산은": the project or pledge just discussed
    if (
        last == "public_opinion"
        and slots.get("topic")
        and OPINION_ASPECT_RE.search(text)
        and kind_free(parse)
        and intent in {last, *GUESSES}
    ):
        return {**route(parse, last), "follow_up": True}  # "온라인에서 언급된 건 얼마나": the complaint topic just asked
    if WHO_RE.search(text) and intent not in ("approval_list", "approval_decide"):
        return route(parse, "call_officer")
    if intent == "cctv_view" and COUNT_RE.search(text) and not any(e["entity"] in PLACES for e in parse["entities"]):
        return route(parse, "knowledge_question")  # "cctv는 몇 대나 연계돼 있지": how many, not which to show
    pending = slots.get("pending_action") or {}
    if pending.get("type") == "undo" and UNDO_RE.search(text) and not KEEP_RE.search(text):
        return route(parse, "affirm")  # "응 취소해" to "…승인을 취소할까요?": yes
    words = DECISION_RE.findall(text)
    status = {"approved": "approve", "rejected": "reject"}.get(pending.get("status", ""))
    if pending.get("type") == "undo" and FLIP_RE.search(text) and words and DECISIONS[words[-1]] == status:
        return {**route(parse, "approval_decide"), "keep": True}  # "아니다 다시 반려로 돌려 놔" to "…승인으로 바꿀까요?"
    yes = YES_LEAD_RE.match(text) or (CONFIRMED_RE.search(text) and DECISION_RE.search(text))
    if pending and yes and not KEEP_RE.search(text) and said <= {"decision", "doc_number", "time"}:
        words = DECISION_RE.findall(text)
        if (DECISIONS[words[-1]] if words else None) in (None, pending.get("decision"), pending.get("then")):
            return route(parse, "affirm")
        if pending.get("type") == "approval":
            return route(parse, "approval_decide")  # "응 승인해" to "…반려할까요?": not that yes, the other decision
    undo_words = (
        APPROVAL_WORDS_RE.search(text)
        or CASE_RE.search(text)
        or (UNDO_STRONG_RE.search(text) and not pending)
        or ("doc_number" in said and not pending)  # "다섯 번째는 취소해 줘": one of the list just decided
        or (not pending and slots.get("shown_approval") and elliptic(text) and not KEEP_RE.search(text))  # "아 그거 취소" after a decision
    )
    if (
        UNDO_RE.search(text) and undo_words or FLIP_RE.search(text) and slots.get("shown_approval") and not pending
    ):  # "아까 결재한 거 되돌려" ("응 되돌려" confirms an undo offered)
        return {**route(parse, "approval_decide"), "undo": True}
    if (
        DRAFTED_RE.search(text)
        or (SUBMITTED_RE.search(text) and not DECISION_RE.search(text))
        or (intent == "approval_decide" and "decision" not in said and APPROVAL_VIEW_RE.search(text))
    ):
        return route(parse, "approval_list")  # a document's details: a view, no decision
    ended = DECISION_END_RE.search(text)  # "광화문 행사 허가 반려": a decision word ending the sentence decides
    if (
        (ended or DECISION_START_RE.search(text))
        and intent != "approval_decide"
        and (
            "건" in text
            or THAT_ONE_RE.search(text)
            or APPROVAL_WORDS_RE.search(text[:-2])
            or intent in DECIDABLE
            or (ended and "결재" not in ended.group(0))
        )
    ):
        return route(parse, "approval_decide")  # "리버버스 선착장 점검 보고서 승인"
    if (
        URGENT_RE.search(text)
        and intent not in ("approval_decide", "disaster_status")
        and (intent in GUESSES or APPROVAL_WORDS_RE.search(text) or elliptic(text))
    ):
        return route(parse, "approval_list")  # "급한 건 뭐야", "긴급은"
    if PROJECT_DOCS_RE.search(text) and slots.get("project") and last == "project_status" and kind_free(parse):
        return {**route(parse, "project_status"), "follow_up": True}  # "관련 문서 뭐 있어" after a project: its documents
    if DOCUMENT_CUE_RE.search(text) and "doc_number" not in said and intent not in ("approval_decide", "approval_list", "navigate"):
        return route(parse, "knowledge_question")
    # "그 문서 어디에 나와 있어?": the document the last answer quoted
    if DOCUMENT_REF_RE.search(text) and slots.get("last_document") and intent not in ("approval_decide", "approval_list"):
        return route(parse, "knowledge_question")
    if NEWS_RE.search(text) and slots.get("project") and intent in ("project_status", "city_ranking", "inform", *GUESSES):
        return {**route(parse, "project_status"), "follow_up": True}  # "관련 뉴스" after a project: its news
    if THERE_RE.search(text) and (slots.get("place") or slots.get("station")) and intent == "admin_indicator" and "인구" in text:
        return route(parse, "living_population")  # "거기 인구는": the crowd at the place just talked about
    crowd_asked = "living_population" in (slots.get("last_intents") or [last])  # "명동 붐비는지랑 날씨도", then the hour
    if crowd_asked and discourse.hour(text) is not None and kind_free(parse) and not discourse.topic(text):
        return {**route(parse, "living_population"), "follow_up": True}  # "이따 세 시쯤엔 좀 빠질까요": the place's forecast at that hour
    if last in FOLLOW_UP_INTENTS and intent in GUESSES and kind_free(parse) and UNTIL_RE.search(text) and not discourse.topic(text):
        return {**route(parse, last), "follow_up": True}  # "언제까지 그래" after a closure: the same answer says until when
    if last in FOLLOW_UP_INTENTS and intent in GUESSES and kind_free(parse) and THIS_PERIOD_RE.search(text) and not discourse.topic(text):
        return {**route(parse, last), "follow_up": True}  # "이번 주 통틀어서는 몇 건이에요": the same question, now
    if (
        last == "living_population"
        and slots.get("park")
        and slots["park"] == slots.get("place")
        and OPEN_RE.search(text)
        and kind_free(parse)
    ):
        return {**route(parse, "park_info"), "follow_up": True}  # "거기 지금 다 열려 있어요?" after a park's crowd: the park
    if THERE_RE.search(text) and slots.get("park") and last == "park_info" and intent == "living_population" and kind_free(parse):
        return {**route(parse, "park_info"), "follow_up": True}  # "오늘 거기 사람 많이 갔나요" after a course: its visitors
    kind = MAIN_KIND.get(intent)
    if kind and kind not in said and slots.get(kind) and elliptic(text, parse["entities"]) and not TYPE_NOUN_RE.search(text):
        return {**parse, "follow_up": True}
    if intent == last and ONLY_RE.search(text):
        return {**parse, "follow_up": True}  # "공정률은" right after the wall showed a project: that project
    if slots.get("bus_route") and (m := BUS_NUMBER_RE.match(text)):  # "273은" after a bus: that route
        return {**route(parse, "transit_status"), "entities": [entity("bus_route", m.group(1))]}
    if found := course(parse, slots):
        kept = [e for e in parse["entities"] if e["entity"] != "park"]
        return {**parse, "intent": {**parse["intent"], "name": "park_info"}, "entities": [*kept, found]}
    if last in FOLLOW_UP_INTENTS and SUPERLATIVE_RE.search(text) and not discourse.topic(text) and intent in {*GUESSES, "inform", last}:
        if kind_free(parse):  # "서울에서 제일 나쁜 데는" after 서초구
            return {**route(parse, last), "entities": [*parse["entities"], entity("scope", "city")], "follow_up": True}
    if intent == "inform" and parse.get("language") != "en" and asks_again(parse, last):
        # "작년보다 올랐어": the indicator again, asked of its own; "공약 전체 중에 …": all of them, nothing carried
        return {**route(parse, last), "follow_up": not TYPE_NOUN_RE.search(text)}
    if intent == last and intent in FOLLOW_UP_INTENTS and bare_names(parse):
        return route(parse, "inform")  # "마늘은요", "150번은" after the same question: a bare name, the question continued
    if follow := follows_up(parse, slots):
        if follow == "inform" and asks_again(parse, last):
            follow = last  # "좀 쉬운 코스는 없어요?": the park question again, not a bare name ("송파구는?": inform)
        return {**route(parse, follow), "follow_up": True}
    if intent in GUESSES and parse["intent"]["confidence"] < FOLLOW_CONFIDENCE and QUESTION_RE.search(text) and not discourse.cue(text):
        return route(parse, "knowledge_question")
    return parse
