"""Korean text as an announcer reads it: numbers, units, dates and times spelled out for TTS.

The order of the passes matters: names and dates are recognised while their digits are still intact,
then counters decide native or Sino-Korean numbers, and whatever number is left is read Sino-Korean.
"""

from __future__ import annotations

import re
import unicodedata

DIGITS = "영일이삼사오육칠팔구"
# Digits read one by one (names, phone and bus numbers): 0 is "공", as people say it.
SPOKEN_DIGITS = "공일이삼사오육칠팔구"
NATIVE_ONES = ["", "한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉"]
NATIVE_TENS = ["", "열", "스물", "서른", "마흔", "쉰", "예순", "일흔", "여든", "아흔"]
# Month names are single words with two irregular forms (유월, 시월).
MONTHS = ["", "일월", "이월", "삼월", "사월", "오월", "유월", "칠월", "팔월", "구월", "시월", "십일월", "십이월"]

# Counters read with native numbers, up to the given count; above it (and for 0 or decimals) Sino-Korean.
# 건 is Sino-Korean by origin, but broadcasters count a few cases natively ("화재 세 건") and switch to
# Sino-Korean for bigger counts ("이십이 건"); hours are handled on their own (시).
NATIVE_COUNTERS: dict[str, int] = {
    "번째": 99,
    "시간": 24,
    "사람": 99,
    "마리": 99,
    "가지": 99,
    "군데": 99,
    "그루": 99,
    "송이": 99,
    "켤레": 99,
    "개": 99,
    "명": 99,
    "곳": 99,
    "대": 99,
    "살": 99,
    "잔": 99,
    "권": 99,
    "벌": 99,
    "채": 99,
    "척": 99,
    "달": 99,
    "건": 20,
}
# Sino-Korean counters: only spaced from the number ("이천이십육 년"); listed so that a longer counter
# wins over a native one it starts with (개월, 개소, 개국 before 개; 대째 is not a vehicle).
SINO_COUNTERS = (
    "개월", "개소", "개국", "개년", "년", "일", "분", "초", "주", "층", "호선", "호", "번", "위", "원",
    "세", "배", "회", "차", "점", "도", "미터", "킬로미터", "퍼센트", "퍼센트포인트",
)  # fmt: skip
# Words after "N대" that mark an age group ("20대 남성" = 이십 대), not N vehicles.
AGE_GROUP_NEXT = ("남", "여", "청년", "이상", "이하", "초반", "중반", "후반", "인구", "가구", "연령", "층", "비중", "비율")
# After a bare 4+ digit number, these keep it a quantity rather than a name ("1000여 명", "2030년대").
QUANTITY_NEXT = ("만", "억", "조", "천", "백", "여", "대", "년", "명")
# Particles (and the copula) that may follow a name's number: "서울로 7017로", "7017입니다".
PARTICLES = (
    "으로", "로", "은", "는", "이", "가", "을", "를", "와", "과", "의", "에", "도", "만", "까지", "부터",
    "입니다", "예요", "였", "랑", "처럼", "보다",
)  # fmt: skip

SPEED_UNITS = [("km/h", "시속", "킬로미터"), ("㎞/h", "시속", "킬로미터"), ("m/s", "초속", "미터")]
UNITS = [
    ("㎍/㎥", "마이크로그램 퍼 세제곱미터"),
    ("μg/m³", "마이크로그램 퍼 세제곱미터"),
    ("mg/L", "밀리그램 퍼 리터"),
    ("℃", "도"),
    ("°C", "도"),
    ("㎡", "제곱미터"),
    ("m²", "제곱미터"),
    ("㎢", "제곱킬로미터"),
    ("%p", "퍼센트포인트"),
    ("%", "퍼센트"),
    ("NTU", "엔티유"),
    ("ppm", "피피엠"),
    ("kWh", "킬로와트시"),
    ("MW", "메가와트"),
    ("km", "킬로미터"),
    ("㎞", "킬로미터"),
    ("kg", "킬로그램"),
    ("mm", "밀리미터"),
    ("cm", "센티미터"),
    ("MB", "메가바이트"),
    ("GB", "기가바이트"),
    ("m", "미터"),
    ("g", "그램"),
    ("L", "리터"),
]
WORDS = [
    ("PM2.5", "피엠 이 점 오"),
    ("PM10", "피엠 텐"),
    ("tCO2eq", "톤"),
    ("CO2", "씨오투"),
    ("CCTV", "씨씨티비"),
    ("S-DoT", "에스닷"),
    ("DDP", "디디피"),
    ("pH", "피에이치"),
]
NUM = r"\d[\d,]*(?:\.\d+)?"


def sino(n: int) -> str:
    """12345 -> '만 이천삼백사십오' (no '일' before 십·백·천, nor before 만 alone)."""
    if n == 0:
        return "영"
    if n < 0:
        return "마이너스 " + sino(-n)
    out = []
    for unit, size in (("조", 10**12), ("억", 10**8), ("만", 10**4), ("", 1)):
        group, n = divmod(n, size)
        if not group:
            continue
        words = ""
        for place, name in ((1000, "천"), (100, "백"), (10, "십"), (1, "")):
            d, group = divmod(group, place)
            if d:
                words += ("" if d == 1 and name else DIGITS[d]) + name
        out.append("" if unit == "만" and words == "일" else words)
        out[-1] += unit
    return " ".join(out)


def native(n: int) -> str:
    """1..99 before a counter: 3 -> '세', 20 -> '스무', 21 -> '스물한'."""
    if n == 20:
        return "스무"
    return NATIVE_TENS[n // 10] + NATIVE_ONES[n % 10]


def digits(text: str) -> str:
    """'7017' -> '칠공일칠': a name's or a phone number's digits, one by one."""
    return "".join(SPOKEN_DIGITS[int(d)] for d in text if d.isdigit())


def read_number(text: str) -> str:
    whole, _, frac = text.replace(",", "").partition(".")
    spoken = sino(int(whole))
    return spoken + (" 점 " + "".join(DIGITS[int(d)] for d in frac) if frac else "")


def _hour(h: int, before: str) -> str:
    """An hour of the clock: native below 13 ('두 시'); 13..23 said on the 12-hour clock ('오후 두 시')."""
    if h == 0:
        return "영 시"
    if 13 <= h <= 23:
        said = re.search(r"(오전|오후|새벽|아침|낮|저녁|밤)\s*$", before)
        return ("" if said else "오후 ") + f"{native(h - 12)} 시"
    return f"{native(h)} 시" if h <= 12 else f"{sino(h)} 시"


def _clock(m: re.Match) -> str:
    h, minute = int(m.group(1)), int(m.group(2))
    before = m.string[: m.start()]
    if re.search(r"(오전|오후|새벽|아침|낮|저녁|밤)\s*$", before):
        hour = _hour(h, before)
    elif h == 12:
        hour = "낮 열두 시"
    elif h == 0:
        hour = "영 시"
    else:
        hour = ("오전 " if h < 12 else "오후 ") + native(h % 12) + " 시"
    return hour + (f" {sino(minute)} 분" if minute else "")


def _counted(m: re.Match) -> str:
    raw, counter, after = m.group(1), m.group(2), m.string[m.end() :]
    value = float(raw.replace(",", ""))
    whole = value.is_integer() and "." not in raw
    n = int(value) if whole else -1
    if counter == "월" and 1 <= n <= 12:
        return MONTHS[n]
    if counter == "시":
        return _hour(n, m.string[: m.start()]) if whole and 0 <= n <= 24 else f"{read_number(raw)} 시"
    if counter == "번째" and n == 1:
        return "첫 번째"
    if counter == "대" and n % 10 == 0 and after.lstrip().startswith(AGE_GROUP_NEXT):
        return f"{read_number(raw)} 대"
    if whole and 0 < n <= NATIVE_COUNTERS.get(counter, 0):
        return f"{native(n)} {counter}"
    return f"{read_number(raw)} {counter}"


def _is_counter_word(word: str) -> bool:
    """'명', '년까지', '개월' are counters (with a particle); '개장' or '일대' are words of their own."""
    return any(
        word == c or (word.startswith(c) and word[len(c) :].startswith(PARTICLES)) for c in (*NATIVE_COUNTERS, *SINO_COUNTERS, "월", "시")
    )


def _name_number(m: re.Match) -> str:
    """A bare 4+ digit number right after a word and before a particle is part of a name: '서울로 7017'."""
    number, before, after = m.group(1), m.string[: m.start()], m.string[m.end() :]
    word = re.search(r"([가-힣A-Za-z]+) $", before)
    if not word or word.group(1)[-1] in "은는을를에의와과":
        return number
    rest = after.lstrip()
    if rest.startswith(QUANTITY_NEXT) or re.match(r"[A-Za-z%℃㎍㎡]", after):
        return number
    if after and not (after[0] in " ,.!?)」』]·/" or after.startswith(PARTICLES)):
        return number
    nxt = re.match(r"[가-힣]+", rest)
    if after.startswith(" ") and nxt and _is_counter_word(nxt.group(0)):
        return number
    return digits(number)


def _with_spoken_units(text: str) -> str:
    for unit, prefix, spoken in SPEED_UNITS:
        # "34.8km/h" -> "시속 34.8 킬로미터", unless the sentence already says 시속.
        text = re.sub(
            rf"(?<![\d.,])(-?{NUM})\s*{re.escape(unit)}",
            lambda m, p=prefix, s=spoken: (m.group(1) if m.string[: m.start()].endswith(p + " ") else f"{p} {m.group(1)}") + f" {s}",
            text,
        )
    # Below-zero temperatures are 영하, not 마이너스.
    text = re.sub(rf"(?<![\w.)])[-−]({NUM})\s*(℃|°C|도)", r"영하 \1 도", text)
    for unit, spoken in UNITS:
        tail = "(?![A-Za-z])" if unit[-1].isascii() and unit[-1].isalpha() else ""
        text = re.sub(rf"({NUM})\s*{re.escape(unit)}{tail}", rf"\1 {spoken}", text)
    return text


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    for word, spoken in WORDS:
        text = text.replace(word, spoken)
    # Phone numbers, digit by digit: "02-2133-8422" -> "공이, 이일삼삼, 팔사이이".
    text = re.sub(r"(?<![\d-])(0\d{1,2})-(\d{3,4})-(\d{4})(?![\d-])", lambda m: ", ".join(digits(g) for g in m.groups()), text)
    # Dates become words the counter pass reads: "2026-10-31" -> "2026년 10월 31일".
    text = re.sub(
        r"(?<![\d.-])(\d{4})[-.](1[0-2]|0?[1-9])[-.](3[01]|[12]\d|0?[1-9])(?:[T ](\d{1,2}:\d{2})(?::\d{2})?(?:[+-]\d{2}:?\d{2}|Z)?)?(?![\d])",
        lambda m: f"{m.group(1)}년 {int(m.group(2))}월 {int(m.group(3))}일" + (f" {m.group(4)}" if m.group(4) else ""),
        text,
    )
    text = re.sub(r"(?<![\d.-])(\d{4})-(1[0-2]|0[1-9])(?![\d-])", lambda m: f"{m.group(1)}년 {int(m.group(2))}월", text)
    text = re.sub(r"(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])", _clock, text)
    # Seoul bus routes are said digit by digit: "472번 버스" -> "사칠이 번 버스".
    text = re.sub(r"(?<![\d,.])(\d{3,4})번(?=\s*버스)", lambda m: f"{digits(m.group(1))} 번", text)
    text = re.sub(r"(?<=버스 )(\d{3,4})(?![\d,.])", lambda m: digits(m.group(1)), text)
    text = re.sub(r"(?<![\d,.])(\d{4,})(?![\d,.])", _name_number, text)
    text = _with_spoken_units(text)
    # "1만" is 만, "1천" is 천: no 일 before a bare 만/천/백.
    text = re.sub(r"(?<![\d.,])1(?=[만천백])", "", text)
    counters = sorted([*NATIVE_COUNTERS, *SINO_COUNTERS, "월", "시"], key=len, reverse=True)
    text = re.sub(
        rf"(?<![\d.,])({NUM})\s*({'|'.join(map(re.escape, counters))})(?!(?<=시)[장청민설내립])",
        _counted,
        text,
    )
    text = re.sub(rf"(?<![\w.)])[-−](?={NUM})", "마이너스 ", text)
    text = re.sub(NUM, lambda m: read_number(m.group(0)), text)
    text = text.replace("·", ", ").replace("~", "에서 ")
    text = re.sub(r"[()「」\[\]]", " ", text)
    return re.sub(r"\s+([,.?!])", r"\1", re.sub(r"\s+", " ", text)).strip()
