"""What a sentence says about its own entities: corrections, scope and time.

"아니 마포 말고 용산" names two districts but means one: an entity followed by 말고/아니고/빼고/대신 is
what the speaker takes back. "서울 전체로는?" asks for the whole city: a `scope` entity tells the actions
not to carry the earlier district over. "모레", "주말", "지난주", "작년" become a `time` entity, so an
action answers from a forecast or history or says plainly that it has none, instead of today's value.
"""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo

from .spelling import spelled

SEOUL = ZoneInfo("Asia/Seoul")  # the city's clock: "내년", "오늘" and the minutes' times are Seoul's, whatever the server's zone
NEGATION_RE = re.compile(r"\s*(?:번\s*)?(?:[은는이가을를도]\s*)?(?:말고|아니고|아니라|빼고|대신|말구)")  # "7612번 아니고 6715번"
SCOPE_RE = re.compile(r"서울\s?(?:시\s?)?전체|시\s?전체|전체\s?(?:기준|평균|중)|서울\s?전역|(?<![가-힣])전역|25개\s?구\s?전체")
# canonical time values, most specific first
TIMES: list[tuple[str, str]] = [
    ("day_after_tomorrow", r"모레|글피|day after tomorrow"),
    ("tomorrow", r"내일|tomorrow"),
    ("weekend", r"주말(?!이라|인데|이니|이어서)|토요일|일요일|weekend|saturday|sunday"),  # "주말이라 …": it is the weekend now
    ("next_week", r"다음\s?주|담주|next week"),
    ("yesterday", r"어제|그저께|그제|yesterday"),
    ("last_week", r"지난\s?주|저번\s?주|last week"),
    ("last_month", r"지난\s?달|저번\s?달|last month"),
    ("last_year", r"작년|지난\s?해|전년|1년\s?전|일\s?년\s?전|last year"),
    ("next_year", r"내년|next year"),
    (
        "later_today",
        r"(?:\d{1,2}|두|세)\s?시간\s?(?:뒤|후)|이따|예측|나중에|오후\s?\d{1,2}\s?시|저녁|밤에|퇴근\s?시간|tonight|this evening|later today|(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s?(?:pm|p\.m\.)|(?<![가-힣])(?:\d{1,2}|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|열한|열두)\s?시\s?(?:쯤|경|께|에|는|엔|면|이면|되면|\s되면)",
    ),
]
TIME_RES = [(value, re.compile(pattern, re.I)) for value, pattern in TIMES]
# the hour of "다섯 시쯤", "오후 4시", "five pm"; the last one said wins ("네 시 아니 다섯 시")
HOUR_RE = re.compile(
    r"(?<![가-힣\d])(오전\s?)?(\d{1,2}|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|열한|열두)\s?시(?=$|[\s?？.]|쯤|경|께|에|는|엔|면|이|요|까지|반)"
    r"|\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s?(?:(am|a\.m\.)|pm|p\.m\.|o'?clock)",
    re.I,
)
HOUR_WORDS = {w: i for i, w in enumerate("한 두 세 네 다섯 여섯 일곱 여덟 아홉 열 열한 열두".split(), 1)} | {
    w: i for i, w in enumerate("one two three four five six seven eight nine ten eleven twelve".split(), 1)
}


CORRECTION_RE = re.compile(r"(?:말고|아니고|아니라|말구)\s?\S")


def negated(text: str, entity: dict[str, Any]) -> bool:
    return bool(NEGATION_RE.match(text, entity["end"]))


def time_entity(text: str) -> dict[str, Any] | None:
    for value, rx in TIME_RES:
        if m := rx.search(text):
            return {"entity": "time", "value": value, "start": m.start(), "end": m.end(), "confidence_entity": 1.0, "extractor": "pattern"}
    return None


def hour(text: str) -> int | None:
    """The clock hour asked about, 0-23; an hour under 12 is the afternoon's unless said as the morning's (it is
    asked of today's forecast)."""
    found = list(HOUR_RE.finditer(text))
    if not found:
        return None
    m = found[-1]
    word, morning = (m.group(2), m.group(1)) if m.group(2) else (m.group(3), m.group(4))
    n = int(word) if word.isdigit() else HOUR_WORDS[word.lower()]
    return n + 12 if n < 12 and not morning else n % 24


def scope_entity(text: str) -> dict[str, Any] | None:
    if m := SCOPE_RE.search(text):
        return {"entity": "scope", "value": "city", "start": m.start(), "end": m.end(), "confidence_entity": 1.0, "extractor": "pattern"}
    return None


# said between two names of one kind, it takes the first back: "5호선 아니 6호선", "노원구 교통 아 도봉구로"
TAKEN_BACK_RE = re.compile(r"(?<![가-힣])(?:아니|아니다|아니야|아|앗|아차|정정)(?![가-힣])")


def taken_back(text: str, entity: dict[str, Any], entities: list[dict[str, Any]]) -> bool:
    return any(
        o["entity"] == entity["entity"] and o["start"] >= entity["end"] and TAKEN_BACK_RE.search(text, entity["end"], o["start"])
        for o in entities
    )


def annotate(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entities the speaker means (corrections dropped), plus time and scope."""
    kept = [e for e in entities if not negated(text, e) and not taken_back(text, e, entities)]
    extra = [e for e in (time_entity(text), scope_entity(text)) if e]
    return sorted(kept + extra, key=lambda e: e["start"])


# What a city secretary cannot serve, and small talk: cues that override a weak intent guess to out_of_scope
# (the action answers each kind: where to ask instead, or a short human reply).
LIMIT_CUES: dict[str, re.Pattern[str]] = {
    "bike": re.compile(
        r"(?:따릉이|자전거)(?!\s?(?:수송\s?)?분담)|킥보드|\bbikes?\b|bicycle(?!\s?share)|scooter", re.I
    ),  # 분담률: an indicator
    "toilet": re.compile(r"화장실|toilet|restroom|bathroom", re.I),
    "directions": re.compile(
        r"어떻게\s?가|어디로\s?가|가는\s?(?:길|방법)|길\s?(?:좀\s?)?(?:알려|안내)|찾아가|경로|몇\s?번\s?출구|갈아타|(?:까지|에서)\s?.{0,6}(?:걸어서|걸으면|차로)|how (?:do|can) i (?:get|go)|directions|way to|where is the nearest|nearest",
        re.I,
    ),
    "personal": re.compile(
        r"(?:신고|민원|제보|작성)(?:한|했|자|인).{0,8}(?:연락처|전화|번호|주소|이름|누구)|(?:연락처|전화번호|주소|주민\s?번호).{0,6}(?:알려|가르쳐|줘)"
        r"|(?:공무원|직원|과장|국장|팀장|주무관|담당자).{0,6}(?:휴대폰|핸드폰|휴대전화|개인\s?번호|집\s?주소|연락처|전화\s?번호|번호)"
        r"|(?:phone|number|contact|address).{0,30}(?:director|officer|official|head of)|(?:director|officer|official).{0,20}(?:phone|number|contact)"
    ),
    "location": re.compile(r"(?:시장|마트|가게|식당|병원|약국).{0,6}(?:어디|위치)|어디.{0,6}(?:시장|마트|약국)"),
    "booking": re.compile(
        r"예약|회의실|(?:일정|미팅|회의)\s?(?:잡|등록)|(?:일정|미팅|회의|자리|시간)\s?(?:좀\s?)?잡아|book (?:a|me)|reserve|reservation",
        re.I,
    ),
    "recommend": re.compile(r"맛집|한식집|식당|카페\s?추천|추천\s?(?:좀\s?)?해|restaurants?|recommend", re.I),
    "ask_where": re.compile(
        r"어디(?:에|로|서|다)?\s?(?:물어|문의|연락|전화|말해|말하|신고|접수|넣)|누구(?:한테|에게)\s?(?:물어|문의|말해)|문의\s?(?:처|할\s?곳)"
    ),
    # a resident's own paperwork and bills ("재산세 납부율" is the city's figure, not a bill)
    "civil": re.compile(
        r"등본|초본|증명서|인감|여권|가족관계|전입\s?신고|(?:제|내|우리\s?집)\s?(?:세금|자동차세|재산세|주민세)|자동차세\s?(?:얼마|조회|납부)"
        r"|재산세\s?(?:얼마\s?나|조회)|(?:제|내)\s?.{0,8}(?:고지서|납부)|고지서\s?(?:조회|발송|보내)|(?:주차|과태료|범칙금|딱지).{0,12}(?:조회|얼마\s?나왔|나왔는지)"
        r"|residence certificate|passport|my (?:tax|taxes|bill|fine)",
        re.I,
    ),
    # asked to send, not asked whether something was sent ("재난문자 발송됐어?")
    "send": re.compile(
        r"(?:문자|메시지|메세지|메일|이메일|카톡|공문|알림|고지서).{0,12}(?:보내|전송|발송|전해|전달)(?:\s?(?:해\s?)?(?:줘|주세요|줄래|줄\s?수|봐)|[.!]?$)"
        r"|전해\s?(?:줘|주세요|줄래)|전달해\s?(?:줘|주세요)|send (?:a |an )?(?:text|message|mail|email)",
        re.I,
    ),
    "hr": re.compile(r"(?:제|내|저의)\s?.{0,8}(?:수당|연차|월급|급여)|연차\s?(?:신청|써|내)|휴가\s?신청|초과\s?근무\s?수당|인사\s?발령"),
    "lottery": re.compile(r"로또|복권|lotto|lottery", re.I),
    "entertain": re.compile(
        r"노래\s?(?:한\s?곡|불러|해\s?줘)|춤\s?(?:춰|춰줘)|농담|웃긴\s?(?:얘기|이야기)|sing (?:a|me)|tell (?:me )?a joke", re.I
    ),
    "lost": re.compile(r"두고\s?내[린렸]|분실|잃어버|유실물|놓고\s?내[린렸]|lost (?:and found|property|my)|left my", re.I),
    "exchange": re.compile(r"환전|exchange money|currency exchange|change money", re.I),
    "alarm": re.compile(r"알람|타이머|모닝콜|깨워\s?(?:줘|주세요)|set (?:an? )?(?:alarm|timer)", re.I),
    "wifi": re.compile(r"와이파이|wi-?fi|비번", re.I),
    "parking": re.compile(
        r"주차(?:장|할\s?(?:곳|데))\s?.{0,4}(?:빈\s?(?:자리|곳|칸)|남은\s?자리|자리\s?(?:있|남)|몇\s?(?:자리|면|칸))|parking (?:space|spot|lot)s?|where (?:can|do) i park",
        re.I,
    ),
    "export": re.compile(
        r"(?:목록|리스트|엑셀|파일|표)\s?(?:로\s?)?(?:좀\s?)?(?:뽑아|만들어\s?(?:줘|주세요)|내려\s?받|출력)|spreadsheet|export (?:the |this |a )?(?:data|list|file)",
        re.I,
    ),
    "schedule": re.compile(
        r"(?:내|제|나의|저의|시장님)\s?(?:오늘\s?|내일\s?)?(?:저녁\s?|오후\s?|오전\s?)?(?:회의\s?|미팅\s?|업무\s?)?(?:일정|스케줄)|my (?:schedule|calendar)",
        re.I,
    ),
    "taxi": re.compile(
        r"택시\s?(?:좀\s?|하나\s?|한\s?대\s?)*(?:불러|잡아|호출)|대리\s?(?:운전|기사)\s?(?:좀\s?|하나\s?)*(?:불러|호출)|call (?:me )?a (?:cab|taxi)",
        re.I,
    ),
    "draft": re.compile(r"(?:보도\s?자료|연설문|축사|초안|기사|공문|인사말|회의록).{0,8}(?:써|작성|짜)\S*\s?(?:줘|주세요|줄래|봐)"),
    "politics": re.compile(
        r"선거|여론\s?조사|지지율|정당|후보(?!지)|(?<![가-힣])(?:시|구)?의회|국회|election(?!\s?promise)|\bpolls?\b", re.I
    ),
    "market": re.compile(
        r"코스피|코스닥|주가|주식|집\s?값|아파트\s?(?:값|시세|가격|매매)|전세\s?(?:값|시세|가격)|전세가(?!구)|부동산|환율|비트코인"
        r"|stock|bitcoin|exchange rate|house prices",
        re.I,
    ),
}
SMALL_TALK_CUES: dict[str, re.Pattern[str]] = {
    "tired": re.compile(r"힘들(?!까|지\s?않)|힘드(?!나)|힘듦|피곤|지치|지쳤|졸려|우울|스트레스"),  # "힘들까요": a question
    "sorry": re.compile(r"미안|죄송"),
    "rude": re.compile(
        r"씨발|시발|ㅅㅂ|ㅆㅂ|개같|짜증|바보|멍청|느려|느리|답답|왜\s?이래|뭐야\s?이거|왜\s?안\s?(?:돼|되)|안\s?되잖|먹통|고장\s?났"
    ),
    "self": re.compile(r"누가\s?만들|너는?\s?(?:누구|뭐야)|너\s?이름|몇\s?살|어디서\s?만들|who (?:made|built) you|who are you"),
    "kind": re.compile(r"심심|놀아\s?줘|사랑해|좋아해|귀여워|잘했어|최고야|고생이\s?많(?:다|네|구나|겠)"),
}
WEAK = 0.6  # below this, a cue decides
SURE = 0.9  # below this, a data guess yields to the words of another data topic
NAME_ONLY_GUESSES = ("greet", "goodbye", "thanks", "help", "nlu_fallback", "out_of_scope")  # what "1인 가구 비율도요" is taken for
STRONG = {
    "toilet",
    "bike",
    "personal",
    "directions",
    "booking",
    "recommend",
    "civil",
    "send",
    "market",
    "politics",
    "taxi",
    "draft",
    "hr",
    "lottery",
    "entertain",
    "wifi",
    "alarm",
    "parking",
    "export",
    "schedule",
    "lost",
    "exchange",
}  # these decide whatever the classifier says
EXCLAIM_RE = re.compile(r"(?:네요|네|구나|군요|겠다|거든요?|잖아요?|다)[.!~ㅠㅜ]*$")  # "…지치네요": a feeling told, not a question


def cue(text: str) -> tuple[str, str] | None:
    """("limit", kind) or ("small_talk", kind) for the first cue the text has."""
    for group, cues in (("limit", LIMIT_CUES), ("small_talk", SMALL_TALK_CUES)):
        for kind, rx in cues.items():
            if rx.search(text):
                return group, kind
    return None


# Words that name what a message is about. They decide only when the classifier has no confident topic of its own
# (a bare follow-up "은평구 교통은", a weak guess "오늘 강수 확률은"): a data intent the words name wins.
TOPIC_WORDS: dict[str, re.Pattern[str]] = {
    intent: re.compile(pattern, re.I)
    for intent, pattern in {
        "approval_list": r"결재|대기\s?(?:목록|문서|중인|건)|승인\s?대기",
        "weather": r"날씨|기온|최고\s?(?:기온|온도|몇\s?도)|몇\s?도(?:까지|야|예요|에요|나|쯤)|기상|강수|강우|비\s?(?:와|오|올|소식)|눈\s?(?:와|오|올|소식)|우산|추워|춥|추운|더워|덥|더운|따뜻|weather|\brain|\bsnow|temperature|\bcold\b|\bhot\b",
        "air_quality": r"미[세새]\s?먼지|초미세|대기\s?(?:질|상태|오염)|공기|오존|황사|pm\s?(?:10|2\.?5)|air quality|\bair\b|pollution|fine dust|\bdust\b",
        "traffic_status": r"차(?:는|가|들)?\s?(?:좀\s?)?(?:빠지|막히|밀리|많이\s?막)|(?<!대중)교통(?!\s?(?:분야|예산|분담|사고|불편))|(?:평균|주행|통행|차량|도로)\s?속도|도로\s?(?:상황|소통|중에|가운데)|잘\s?빠지|소통|정체|원활|원할한|막혀|막히|차\s?막|체증"
        r"|사고\s?(?:난|났)\s?(?:도로|길|구간)|도로.{0,3}(?:사고|통제)|통제\s?(?:구간|도로)",
        "transit_status": r"지하철|\d\s?호선|(?<!리버)버스|열차|다음\s?차|막차|첫차|전철|subway|\bmetro\b|\bline \d|\bbus(?:es)?\b|\btrains?\b",
        "living_population": r"인파|붐[비벼빔빌빕]|미어\s?터|사람\s?(?:이\s?)?얼마나|바글|발\s?디딜|혼잡|한산|한가|사람\s?(?:많|몰)|(?<!다친)(?<!다친\s)사람들?(?:은|는)?\s?(?:요)?[?？]?$|북적|생활\s?인구|crowd|\bbus(?:y|ier|iest)\b|packed",
        "disaster_status": r"재난|화재|화제(?=\s?(?:어떻게|상황|현황|났|나서|진압|진화|몇|건수|소식|피해))|(?:한파|폭염|호우|대설|강풍|태풍|안전\s?안내|안내|긴급)\s?(?:안내\s?)?(?:문자|경보|주의보|특보)|구급|구조\s?(?:출동|건)|안전\s?상황|다친\s?사람|다쳤|부상자|인명\s?피해|(?<![가-힣])불(?:이|은|길)?\s?(?:다\s?)?(?:났|난|나서|껐|꺼|끄)"
        r"|(?<![가-힣])불\s?(?:몇\s?(?:건|번|군데)|상황|현황|상태|소식|건수|어디|못\s?끈|안\s?꺼|(?:이\s?)?(?:제일|가장)\s?많이\s?난)|(?<![가-힣])(?:다\s)?(?:껐대|껐어|꺼졌)|(?<![가-힣])불\s*[?？]?$|\bfires?\b|rescues?|ambulance|emergency (?:text|alert)|disaster|cold wave",
        "finance_status": r"예산|(?:쓰는|드는|들어가는|쓴)\s?돈|재정(?!자립)|집행|\bbudget|spending",
        "water_quality": r"수돗물|수질|아리수|정수",
        "price_info": r"가격|물가|시세|장바구니|\bprices?\b|how much (?:is|are|do)|\bcost",
        "public_opinion": r"민원|여론|불만|온라인(?:에서)?\s?(?:언급|반응)|다산콜(?:로|에)?\s?(?:들어|접수|상담)",
        "park_info": r"공원|둘레길|등산로|걷기\s?(?:좋은|쉬운)|(?<![0-9])코스(?:는|가|를)?\s?(?:어디|뭐|추천)",
        "project_status": r"공정률|진척|진행률|완공|준공|착공|사업비|짓는|짓고|지어지|몇\s?(?:프로|퍼센트)\s?(?:나\s?)?(?:왔|됐|진행)",
        "cctv_view": r"cctv|씨씨티비|카메라|영상\s?(?:보여|띄워|켜)",
        "pledge_status": r"공약|pledges?\b",
        "intl_cooperation": r"자매\s?(?:도시|결연)|우호\s?도시|수출(?:한|했|하)|(?:어느|어떤|무슨)\s?나라에?\s?(?:팔|수출)|정책\s?수출|sister cit|friendship cit",
        "city_ranking": r"\brank(?:s|ed|ing)?\b|\bindex\b|몇\s?위|몇\s?등(?!급)|순위|랭킹|외신|해외\s?(?:언론|보도|매체)|수상|받은\s?상|행정상|어워드",
    }.items()
}


COMPLAINT_RE = re.compile(r"민원|신고|제보|complain", re.I)
OFFICIAL_RE = re.compile(r"공무원|직원|과장|국장|팀장|주무관|담당자|director|officer|official", re.I)
# "공약 이행 현황 있는 화면으로 바꿔줘요", "재난 화면 띄워": the wall moves (a CCTV "화면" is the camera's)
SCREEN_MOVE_RE = re.compile(
    r"화면\s?(?:으로|을|좀)?\s?(?:좀\s?)?(?:넘어가|넘겨|바꿔|바꾸|돌려|이동|전환|옮겨|가\s?(?:줘|자|죠)|열어|띄워|켜)"
)
PARK_ACCESS_RE = re.compile(r"(?:공원|둘레길|숲).{0,12}(?:들어갈\s?수|걸을\s?수|산책|입장|출입|개방|통제|문\s?열|열려|닫혀)")


PROPER_KINDS = {"park", "place", "station", "project", "pledge", "road"}  # names whose words name no topic ("남산공원")


def topic(text: str, names: list[dict[str, Any]] = ()) -> str | None:
    """The one data intent the message's words name, if exactly one (mistyped ones mended: "교퉁 상황"); words
    inside the proper `names` given do not count ("남산공원 북적거려요" names a crowd, not a park)."""
    for e in names:
        if e["entity"] in PROPER_KINDS and e.get("end"):
            text = text[: e["start"]] + " " * (e["end"] - e["start"]) + text[e["end"] :]
    text = spelled(text)
    named = [intent for intent, rx in TOPIC_WORDS.items() if rx.search(text)]
    return named[0] if len(named) == 1 else None


IN_CHARGE_RE = re.compile(
    r"(?:담당|맡은|책임)\S*\s?(?:과장|국장|본부장|팀장|실장|담당관|직원|공무원|분|사람|자)|(?:과장|국장|본부장|담당자|책임자)(?:님)?(?:을|를|한테|에게)?\s?(?:좀\s?)?(?:연결|바꿔)"
)
CALL_RE = re.compile(r"연결|걸어|걸자|통화\s?(?:좀\s?)?(?:해|하|하자)")
BRIEFING_RE = re.compile(r"한\s?바퀴|쭉\s?(?:읊|훑|정리)|훑어|브리핑|전반적으로|전체적으로\s?(?:어때|정리)")
END_CALL_RE = re.compile(r"끊어|끊자|끊을게|끊겠|끊읍시다|통화\s?(?:종료|끝)")
THANKS_RE = re.compile(r"수고|고마워|고맙|감사")
# a whole message that only says yes or no: too short for the classifier's features ("맞아" looked like 민원)
YES_RE = re.compile(
    r"^(?:응|어|네|예|그래|그래요|맞아|맞아요|맞습니다|그렇지|그렇죠|오케이|좋아|ㅇㅇ|웅)(?:\s?(?:응|어|네|맞아|그래|좋아))?[.!~]*$"
)
NO_RE = re.compile(r"^(?:아니|아니야|아니요|아뇨|아니에요|싫어|ㄴㄴ)[.!~]*$")
GREETING_RE = re.compile(r"^(?:좋은\s?(?:아침|오후|저녁)(?:이에요|입니다|이야)?|안녕하세요|안녕|반가워요|반갑습니다)[,.!~]?\s+")
SEE_YOU_RE = re.compile(
    r"(?:내일|다음에|나중에|이따|또|월요일에)\s?(?:봐|봐요|봅시다|뵙겠|뵈요|봬요)(?![가-힣])|(?:또|다시)\s?(?:올게|올께|들를게|찾아올게)|좋은\s?(?:하루|주말|저녁)\s?(?:보내|되세요)|^(?:ok|okay)?\s?bye\b|(?:^|\s)이만(?:\s?(?:할게|갈게|끊을게|들어가|마칠게|끝))?\s?(?:요)?[.!~]?$",
    re.I,
)
SELF_INTRO_RE = re.compile(
    r"^(?:안녕하세요|안녕|반갑습니다|반가워요).{0,20}(?:이에요|예요|입니다|라고\s?해요)(?:[.!~,]?\s?(?:처음\s?(?:써|쓰|사용)[^.!~]{0,8}|잘\s?부탁\S*|반가워요|반갑습니다))*[.!~]?$"
)  # "안녕하세요 교통정책과 이서연이에요 처음 써 봐요"
EXPORTED_RE = re.compile(
    r"(?:어느|어떤|무슨)\s?나라(?:에|로)?\s?(?:팔|수출)|해외(?:에|로)?\s?(?:팔|수출)|수출(?:한|했|된)\s?(?:나라|곳|데|도시)"
)
PARK_OPEN_RE = re.compile(r"통제|개방|열려|닫혀|출입|입장|다녀\s?(?:간|갔)|방문객|방문자")  # a park's gates: open, and who came
AMONG_PARKS_RE = re.compile(r"(?:공원|둘레길|코스)들?\s?(?:중에?|가운데)\s?.{0,12}(?:제일|가장|젤)")
CONVERSATIONAL = ("greet", "goodbye", "thanks", "affirm", "deny", "daily_briefing", "help", "inform", "nlu_fallback", "out_of_scope")


def override(text: str, intent: str, confidence: float, entities: list[dict[str, Any]]) -> str:
    """The intent after cues: a limit or small talk wins over a weak (or conversational) guess; so do the topic
    words of a data intent ("오늘 강수 확률은"); a weak guess with only names in it ("1인 가구 비율도요", "주말은?",
    "서울 전체로는?") is a follow-up. `entities` are every name the message has, whatever the intent."""
    weak = confidence < WEAK or intent in CONVERSATIONAL
    if YES_RE.match(text.strip()):
        return "affirm"
    if NO_RE.match(text.strip()):
        return "deny"
    if SEE_YOU_RE.search(text):
        return "goodbye"  # "내일 봐": a goodbye, not a question about tomorrow
    if SELF_INTRO_RE.search(text) or (GREETING_RE.match(text) and weak):  # the rest was no request (embedded.parse)
        return "greet"  # "안녕하세요 교통정책과 이서연이에요", "안녕 오늘 토요일인데 나와 있네": a greeting
    if intent in CONVERSATIONAL and CORRECTION_RE.search(text) and any(e["entity"] not in ("time", "scope") for e in entities):
        return topic(text) or "inform"  # "아 죄송해요 은평구 아니고 강북구요": a correction, not an apology or a no
    if intent in ("affirm", "deny", "goodbye", "thanks") and END_CALL_RE.search(text):
        return "end_call"  # "됐어요 끊어요": the call, not a no
    if CALL_RE.search(text) and IN_CHARGE_RE.search(text):
        return "call_officer"  # "장바구니 물가 담당 과장 연결해 줘": a call, whatever data the words name
    if intent == "end_call" and CALL_RE.search(text) and not END_CALL_RE.search(text):
        return "call_officer"  # "거기 국장 영상통화 좀 연결해봐": a call made, not ended
    if BRIEFING_RE.search(text) and (weak or intent == "out_of_scope") and not topic(text):
        return "daily_briefing"  # "시내 돌아가는 거 한 바퀴 쭉 읊어줘요"
    if THANKS_RE.search(text) and not topic(text) and all(e["entity"] == "time" for e in entities) and intent != "goodbye":
        return "thanks"  # "알겠어요 고마워요 이따 또 물어볼게": thanks, not a question about later
    if intent in ("affirm", "deny") and THANKS_RE.search(text):
        return "thanks"  # "알았어 수고": thanks, not a yes
    found = cue(text)
    if found == ("limit", "personal") and (OFFICIAL_RE.search(text) or COMPLAINT_RE.search(text)):
        # "교통정책과 과장님 전화번호", "소음 민원 들어온 주소": asked of an official or a complaint (the actions refuse)
        return "call_officer" if OFFICIAL_RE.search(text) else "public_opinion"
    if found and (
        weak or found[1] in STRONG or (found[1] == "location" and "위치" in text) or (found[0] == "small_talk" and EXCLAIM_RE.search(text))
    ):
        return "out_of_scope"
    if PARK_OPEN_RE.search(text) and any(e["entity"] == "park" or "park" in e.get("also", ()) for e in entities):
        if not any(e["entity"] == "road" for e in entities):
            return "park_info"  # "서울숲 지금 통제 구간 있어", "서울숲 오늘 다녀간 사람": the park's gates, not the roads or crowd
    if EXPORTED_RE.search(text):
        return "intl_cooperation"  # "우리 버스 관리 시스템 어느 나라에 팔았지": a policy export, whatever it is about
    if AMONG_PARKS_RE.search(text):
        return "park_info"  # "오늘 공원 중에 가장 붐비는 곳": parks ranked by their visitors
    if SCREEN_MOVE_RE.search(text) and intent not in ("navigate", "cctv_view") and topic(text) != "cctv_view":
        return "navigate"
    kinds = {e["entity"] for e in entities}
    crowd = "living_population" in (intent, topic(text))
    parks = [e for e in entities if e["entity"] == "park"]
    if crowd and parks and not kinds & {"place", "station", "district"} and not any("place" in e.get("also", ()) for e in parks):
        return "park_info"  # "서울식물원은 사람 많아요": a park's visitors ("남산공원 북적거려요": a hotspot's crowd)
    if intent == "living_population" and PARK_ACCESS_RE.search(text):  # a park is a place too: entry is the park's status
        return "park_info"
    unnamed = all(e["entity"] in ("time", "scope") for e in entities)  # a fallback's topic words may be in a name ("재난안전과장")
    if (
        (weak or intent == "knowledge_question")
        and (intent != "nlu_fallback" or unnamed)
        and (named := topic(text, entities))
        and named != intent
    ):
        return named
    if confidence < SURE and intent in TOPIC_WORDS and (named := topic(text)) and named != intent:
        return named  # "다친 사람 있어": the words name another data topic than the unsure guess
    if weak and entities and all(e["entity"] in ("time", "scope") for e in entities) and topic(text) != intent:
        return "inform"  # "서울 전체로는?" ("서울 전체 화재 현황" names its topic)
    if intent in NAME_ONLY_GUESSES and confidence < WEAK and entities:
        return "inform"
    return intent
