"""The last personal-data guard on everything a citizen receives (chat, data, sources, passages, socket frames).

Citizen replies are built from fields that are public by design (`public_fields`); `guard` catches what slips
through anyway and replaces it with a Korean placeholder:

- phone numbers: 010-1234-5678, 010 1234 5678, 01012345678, (02)2133-1234, +82-10-…, +82 10 …, 0082 …,
  and read out digit by digit (공일공 일이삼사 오육칠팔, 영일영-…)
- resident registration numbers, spaced too (900101 - 1234567, 900101 1 234567)
- e-mail addresses; card numbers (four groups of digits), account numbers (110-123-456789), long digit runs
- addresses: lot numbers (독산동 1012-3번지, 역삼동 123-45), roads with a building number (중앙로 42길 17,
  테헤란로 152에), apartment units (101동 1203호)
- vehicle plates: 12가3456, 123가 4567, 서울12가3456
- people: "작성자: 홍길동", "민원인 김은정", "저는 홍길동입니다", "제 이름은 홍길동", "홍길동 씨", "김민수 과장",
  "my name is …"

Public text that looks alike stays as it is: 120 다산콜센터 (and 02-120), dates, times, amounts (48조 7,100억원),
percentages, measurements, "서울로 7017", subway lines and exits, 종로3가, station, district and place names.
Everything is compiled once; text with nothing that could be personal returns after one cheap scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

PHONE = "[연락처 비공개]"
RRN = "[주민번호 비공개]"
EMAIL = "[이메일 비공개]"
ACCOUNT = "[계좌·카드번호 비공개]"
ADDRESS = "[주소 비공개]"
PLATE = "[차량번호 비공개]"
NAME = "[이름 비공개]"
PLACEHOLDER = re.compile(r"\[(?:연락처|주민번호|이메일|계좌·카드번호|주소|차량번호|이름) 비공개\]")

# -- building blocks ---------------------------------------------------------------------------------------------
_NO_ASCII_BEFORE = r"(?<![A-Za-z0-9_])"  # not inside an id or a hex string (session ids, base64)
_NO_ASCII_AFTER = r"(?![A-Za-z0-9_])"
_SEP = r"[ \t.\-–·]*"  # between groups of a number
_KDIGIT = "[공영일이삼사오육칠팔구]"  # digits read out: 공일공 일이삼사 …
_SURNAMES_2 = "황보|남궁|제갈|선우|독고|사공|서문|동방"
_SURNAMES = "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진지엄채원천방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용예봉경"
# a person's name: a surname and a given name of two syllables (or a two-syllable surname and one or two)
_PERSON = rf"(?:(?:{_SURNAMES_2})[가-힣]{{1,2}}|[{_SURNAMES}][가-힣]{{2}})"
_PARTICLE = r"(?:이|가|은|는|을|를|의|에게|께서|께|도|와|과|랑|이랑|하고|한테|에|이고|이며|이에요|예요|입니다|이라고|라고)?"
_PLATE_LETTERS = "가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주아바사자배하허호육해공국합"
_REGIONS = "서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주"
_UNITS = r"(?:억|만|천|조|원|명|건|개|곳|대|년|월|일|시|분|초|회|배|위|층|석|편|권|km|㎞|m|㎡|%|㎍|mm|℃|kg|g|t)"
_TITLES = "과장|국장|팀장|주무관|본부장|실장|부장|차장|계장|주임|담당관|센터장|소장|사무관|서기관|이사장|대리|사원"
_LONG_TITLES = "과장|국장|팀장|본부장|실장|부장|담당관|센터장|소장"  # 안전총괄과장: after a space, a unit and a title

_LABELS = "민원인|신고인|신고자|작성자|신청인|신청자|제보자|기안자|담당자|피해자|가해자|성명|이름|본명|실명|예금주|보호자"

# Words that look like names in the places names go: roles, titles, occupations, common nouns.
NOT_NAMES = frozenset(
    """
    이용자 신청자 운전자 보호자 방문자 관리자 작성자 신고자 제보자 민원인 부시장 공무원 주무관 담당관 구청장 본부장 위원장
    이사장 사무관 서기관 연락처 휴대폰 핸드폰 이메일 주소지 주민번 전화번 이름은 서울시 서울특 부산시 인천시 대구시 광주시
    대전시 울산시 세종시 경기도 공공기 정부는 시민들 여러분 고객님 마음씨 아가씨 아저씨 솜씨가 주부 공무 학생 직장인 회사원
    대학생 자영업 기자님 기사님 선생님 소방관 경찰관 구급대 주민들 주민센 동주민 도서관 전시관 박물관 미술관 체육관 복지관
    정책과 안전과 계획과 관리과 지원과 정보과 홍보과 예산과 총무과 주택과 교통과 도로과 공원과 환경과 문화과 경제과 복지과
    신청서 신고서 정보를 연결해 연결을 확인해 처리해 조회해 알려줘 보여줘 누구야 누군지 누구인 신청인 신고인 사용자 진행자 지원자
    구매자 안내원 배달원 조합원 연구원 경비원 봉사자 임산부 노약자 유가족 유공자 전문가 상담원 공직자 장애인
    """.split()
)

# Spans that are public and look personal: protected before the rules run.
_KEEP = re.compile(
    r"서울로\s?7017|\d{1,2}\s?호선|\d{1,2}\s?번\s?출구|\d\s?가역|"
    r"(?:02\s?-\s?|\(02\)\s?)?120\s?(?:다산|번|으로|에)|다산콜\s?센터\s?\(?(?:02\s?-\s?)?120\)?|"
    r"세종대로\s?110"  # 서울특별시청
)
_KEEP_CUES = ("7017", "호선", "출구", "가역", "120", "110")

# A first look: text without a digit, '@', a Korean digit or a cue for a name holds nothing personal.
_MAYBE = re.compile(rf"[\d@공영]|님|씨|라고|이름|{_LABELS}|{_TITLES}|(?:저는|전|나는|난)\s|(?i:my name|I'm|I am)")

_DIGITS_END = r"(?!\d|[.,]\d)"
_TIMESTAMP = r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"  # 202611211500 is a time, not an account

# (cue, pattern, placeholder): a rule runs only when its cheap cue is found in the text.
_RULES: list[tuple[re.Pattern[str], re.Pattern[str], str]] = [
    (re.compile(p), re.compile(r), placeholder)
    for p, r, placeholder in [
        # resident registration numbers: yymmdd-[1-8]dddddd, spaced or run together
        (
            r"\d{6}",
            _NO_ASCII_BEFORE + r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s*[-–]?\s*[1-8](?:\s*\d{6}|\*{6})" + _NO_ASCII_AFTER,
            RRN,
        ),
        # phones abroad: +82 10 1234 5678, +82-2-2133-1234, +82 (0)10-…, 0082-10-…
        (r"82", r"(?:\+\s?|(?<!\d)00\s?)82[\s.\-–)]*(?:\(0\)|0)?[\s.\-–]*1?\d{1,2}[\s.\-–)]*\d{3,4}[\s.\-–]*\d{4}" + _DIGITS_END, PHONE),
        # phones at home: 010-1234-5678, 010 1234 5678, 01012345678, (02)2133-1234, 0507-1234-5678
        (
            r"0\d",
            _NO_ASCII_BEFORE + r"(?<!\d[.,])(?:\(0\d{1,3}\)|0\d{1,3})[\s.\-–)]*\d{3,4}[\s.\-–]*\d{4}" + _DIGITS_END + _NO_ASCII_AFTER,
            PHONE,
        ),
        # phones read out: 공일공 일이삼사 오육칠팔, 영일영-일이삼사-오육칠팔, 공일공 1234 5678
        (r"[공영]", rf"[공영]{_SEP}(?:[공영일이삼사오육칠팔구\d]{_SEP}){{7,9}}[공영일이삼사오육칠팔구\d](?!\d)", PHONE),
        (r"@", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", EMAIL),
        # cards (four groups), accounts (three or four groups, the last long), bare runs of 12 to 19 digits
        (r"\d{4}[\s-]\d{4}", _NO_ASCII_BEFORE + r"\d{4}[\s-]\d{4}[\s-]\d{4}[\s-]\d{2,4}" + _DIGITS_END, ACCOUNT),
        (r"-\d{5}", r"(?<![\d\-A-Za-z])\d{2,6}-\d{2,6}-\d{5,8}(?:-\d{1,6})?(?![\d\-A-Za-z])", ACCOUNT),
        (r"\d{12}", rf"(?<![\dA-Za-z.,\-])(?!{_TIMESTAMP})\d{{12,19}}(?![\dA-Za-z]|[.,]\d)", ACCOUNT),
        # apartment units before plates: 101동 1203호
        (r"\d\s?동", r"(?<!\d)\d{1,4}\s?동\s?\d{1,4}\s?호(?!선)", ADDRESS),
        # vehicle plates: 12가3456, 123가 4567, 서울12가3456, 서울 12 가 3456 (not "48조 7100억")
        (
            rf"\d\s?[{_PLATE_LETTERS}]\s?\d",
            rf"(?<!\d)(?:(?:{_REGIONS})\s?)?\d{{2,3}}\s?[{_PLATE_LETTERS}]\s?\d{{4}}(?!\d|\s?{_UNITS})",
            PLATE,
        ),
        # lot numbers: 독산동 1012-3번지, 역삼동 123-45, 독산1동 산 12, 종로3가 1-2번지
        (
            r"번지|동\s?(?:산\s?)?\d",
            rf"[가-힣]{{1,6}}(?:\d{{1,2}})?(?:동|\d가|리)\s?(?:산\s?)?\d{{1,5}}(?:\s?-\s?\d{{1,5}})?\s?번지"
            rf"|[가-힣]{{1,6}}\d{{0,2}}동\s?(?:산\s?)?\d{{1,5}}-\d{{1,5}}(?![\d\-]|\s?{_UNITS}|\s?(?:차|시간|세|호선|~))",
            ADDRESS,
        ),
        # roads with a building number: 중앙로 42길 17, 테헤란로 152, 도산대로45길 10-3 (not 을지로3가, 둘레길 21코스)
        (
            r"[로길]\s?\d",
            rf"(?<![가-힣])[가-힣]{{1,10}}\d{{0,3}}(?<!으)(?:로|길)\s?\d{{1,4}}(?:\s?번?길)?(?:\s?\d{{1,4}}(?:-\d{{1,4}})?)?(?:\s?번지)?"
            rf"(?!\d|[.,]\d|[A-Za-z%]|\s?{_UNITS}|\s?(?:차로|차선|구간|코스|번째|가|호선|~))"
            rf"(?=$|[\s,.)\]!?·]|(?:에서|에|으로|의|은|는|이|을|를|앞|쪽|근처|인근|일대|부근)(?![가-힣]))",
            ADDRESS,
        ),
    ]
]

# People: (cue, pattern); the `name` group is checked against NOT_NAMES before it is replaced.
_NAME_RULES: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (re.compile(p), re.compile(r))
    for p, r in [
        # a label, then a name: 작성자: 홍길동, 민원인 김은정, 성명 홍길동
        (_LABELS, rf"(?:{_LABELS})\s*[:：]\s*(?P<name>[가-힣]{{2,4}}?)(?={_PARTICLE}(?![가-힣]))"),
        (_LABELS, rf"(?:{_LABELS})(?:은|는|이|가)?\s*(?P<name>{_PERSON})(?={_PARTICLE}(?![가-힣]))"),
        # introductions: 저는 홍길동입니다, 제 이름은 홍길동, 내 이름은 김철수야, 홍길동이라고 합니다
        (
            r"이름은",
            r"(?:제|내|저의|나의)\s?이름은\s*(?P<name>[가-힣]{2,4}?)(?=(?:이에요|예요|입니다|이고|이며|이야|야|이라고|라고|임|이요|요)?(?![가-힣]))",
        ),
        (
            r"(?:저는|전|나는|난)\s",
            rf"(?:저는|전|나는|난)\s*(?P<name>{_PERSON})(?=\s*(?:입니다|이에요|예요|이고|이며|이야|야|이라고|라고|임)(?![가-힣]))",
        ),
        (r"라고", rf"(?<![가-힣])(?P<name>{_PERSON})(?=이?라고\s?(?:합니다|해요|하는|한다|함))"),
        # a name and an honorific or a title: 홍길동 씨, 홍길동님, 김민수 과장
        (r"[님씨]", rf"(?<![가-힣])(?P<name>{_PERSON})\s?(?=(?:님|(?<![날솜맵말글불홀볍맘음저가])씨){_PARTICLE}(?![가-힣]))"),
        (
            _TITLES,
            rf"(?<![가-힣])(?P<name>{_PERSON})(?=(?:\s?(?:{_TITLES})|\s[가-힣]{{1,6}}(?:{_LONG_TITLES}))(?:님)?{_PARTICLE}(?![가-힣]))",
        ),
        # English: my name is John Smith, I'm Kim Cheolsu
        (r"(?i)name is", r"(?i:my name is)\s+(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})"),
        (r"I'm|I am", r"(?:I'm|I am)\s+(?P<name>[A-Z][a-z]+[ -][A-Z][a-z]+)"),
    ]
]
_NOT_NAME_ENDINGS = ("장", "관", "구", "시", "군", "역")  # 구청장님, 주무관님: titles; 강남구, 서울시: places
# "이름이", "주소는", "연락처": a common word and a particle or one more syllable, not a name
_COMMON_STEMS = frozenset(
    "이름 성함 주소 번호 전화 연락 정보 신원 본인 대상 명단 목록 전체 모두 확인 연결 처리 조회 접수 신고 문의 상담 관련 내용 사항 현황 "
    "기록 원문 예시 공개 개인 가족 이웃 주민 시민 여러 누구 자료 문서 결과 전부 지금 오늘 어제 내일 방금".split()
)


def _not_a_name(word: str) -> bool:
    return word in NOT_NAMES or word[:3] in NOT_NAMES or word[:2] in _COMMON_STEMS or word.endswith(_NOT_NAME_ENDINGS)


def _hold(keep: list[str]) -> Any:
    def hold(m: re.Match[str]) -> str:
        keep.append(m.group(0))
        return f"\ue000{chr(0xE100 + len(keep) - 1)}\ue001"

    return hold


def _names(text: str) -> str:
    for cue, pattern in _NAME_RULES:
        if not cue.search(text):
            continue
        out, last = [], 0
        for m in pattern.finditer(text):
            if _not_a_name(m.group("name")):
                continue
            out += [text[last : m.start("name")], NAME]
            last = m.end("name")
        if out:
            text = "".join(out) + text[last:]
    return text


def guard(text: str) -> str:
    """Text with personal data replaced by Korean placeholders; public city text comes back unchanged."""
    if not text or not _MAYBE.search(text):
        return text
    keep: list[str] = []
    if "\ue000" not in text and any(c in text for c in _KEEP_CUES):  # the markers never collide with the text
        text = _KEEP.sub(_hold(keep), text)
    for cue, pattern, placeholder in _RULES:
        if cue.search(text):
            text = pattern.sub(placeholder, text)
    text = _names(text)
    if keep:
        text = re.sub("\ue000(.)\ue001", lambda m: keep[ord(m.group(1)) - 0xE100], text)
    return text


def guard_obj(obj: Any) -> Any:
    """guard() on every string in nested dicts and lists (JSON data, sources, socket frames), keys included."""
    if isinstance(obj, str):
        return guard(obj)
    if isinstance(obj, Mapping):
        return {guard(k) if isinstance(k, str) else k: guard_obj(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [guard_obj(v) for v in obj]
    return obj


def leaks(obj: Any) -> list[str]:
    """The strings in `obj` the guard would still change (empty: nothing personal left)."""
    return [s for s in strings(obj) if guard(s) != s]


def strings(obj: Any) -> list[str]:
    """Every string in nested dicts and lists, keys included."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, Mapping):
        return [s for k, v in obj.items() for s in (*strings(k), *strings(v))]
    if isinstance(obj, list | tuple):
        return [s for v in obj for s in strings(v)]
    return []


def public_fields(row: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """Only the named fields of a record (an allow-list: a field added to the data later stays out)."""
    return {f: row[f] for f in fields if f in row}
