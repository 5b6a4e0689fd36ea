"""Korean text as an announcer reads it: numbers, units, dates and times spelled out for TTS."""

from __future__ import annotations

import re

DIGITS = "영일이삼사오육칠팔구"
NATIVE_ONES = ["", "한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉"]
NATIVE_TENS = ["", "열", "스물", "서른", "마흔", "쉰", "예순", "일흔", "여든", "아흔"]
# Counters read with native numbers below 100 ("화재 3건" -> "세 건"); others, and bigger numbers, are sino-Korean.
NATIVE_COUNTERS = ("건", "곳", "대", "명", "개", "마리", "시간", "가지", "살")
UNITS = [
    ("㎍/㎥", "마이크로그램 퍼 세제곱미터"),
    ("μg/m³", "마이크로그램 퍼 세제곱미터"),
    ("mg/L", "밀리그램 퍼 리터"),
    ("km/h", "킬로미터"),
    ("℃", "도"),
    ("°C", "도"),
    ("㎡", "제곱미터"),
    ("%p", "퍼센트포인트"),
    ("%", "퍼센트"),
    ("NTU", "엔티유"),
    ("ppm", "피피엠"),
    ("km", "킬로미터"),
    ("kg", "킬로그램"),
    ("mm", "밀리미터"),
    ("MB", "메가바이트"),
]
WORDS = [("PM2.5", "피엠 이 점 오"), ("PM10", "피엠 텐"), ("CCTV", "씨씨티비"), ("S-DoT", "에스닷"), ("DDP", "디디피")]


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


def read_number(text: str) -> str:
    whole, _, frac = text.replace(",", "").partition(".")
    spoken = sino(int(whole))
    return spoken + (" 점 " + "".join(DIGITS[int(d)] for d in frac) if frac else "")


def _time(m: re.Match) -> str:
    h, minute = int(m.group(1)), int(m.group(2))
    half = "오전" if h < 12 else "오후"
    hour = native(h % 12 or 12) + " 시"
    return f"{half} {hour}" + (f" {sino(minute)} 분" if minute else "")


def normalize(text: str) -> str:
    for word, spoken in WORDS:
        text = text.replace(word, spoken)
    text = re.sub(r"\b([01]?\d|2[0-3]):([0-5]\d)\b", _time, text)
    text = re.sub(r"(\d{4})-(\d{2})(?!\d)", lambda m: f"{sino(int(m.group(1)))}년 {sino(int(m.group(2)))}월", text)
    for unit, spoken in UNITS:
        text = re.sub(rf"(\d[\d,]*(?:\.\d+)?)\s*{re.escape(unit)}", rf"\1 {spoken}", text)
    counters = "|".join(NATIVE_COUNTERS)
    text = re.sub(
        rf"(?<![\d.])(\d{{1,2}})\s*({counters})",
        lambda m: f"{native(int(m.group(1)))} {m.group(2)}" if 0 < int(m.group(1)) < 100 else m.group(0),
        text,
    )
    text = re.sub(r"\d[\d,]*(?:\.\d+)?", lambda m: read_number(m.group(0)), text)
    text = text.replace("·", ", ").replace("~", "에서 ")
    text = re.sub(r"[()「」]", " ", text)
    return re.sub(r"\s+([,.?!])", r"\1", re.sub(r"\s+", " ", text)).strip()
