"""Korean wording helpers: particles that follow the last sound, numbers in 만/억/조, times."""

from __future__ import annotations

import re
from datetime import datetime

# Final consonant (jongseong) indexes that matter for particles.
_NONE, _RIEUL = 0, 8
# Sino-Korean reading of each digit: 영 일 이 삼 사 오 육 칠 팔 구.
_DIGIT_WORDS = "영일이삼사오육칠팔구"
# A round number ends in the place word: 10 십, 100 백, 1000 천, 10^4..10^7 만, 10^8..10^11 억, 10^12.. 조.
_PLACE_WORDS = ["십", "백", "천", "만", "만", "만", "만", "억", "억", "억", "억", "조", "조", "조", "조"]
# Units as they are read aloud (longest first): "45%로" reads 퍼센트로, "30km를" 킬로미터를.
_UNIT_WORDS = [
    ("㎍/㎥", "미터"), ("μg/m³", "미터"), ("mg/L", "리터"), ("km/h", "미터"), ("m/s", "미터"), ("%p", "포인트"),
    ("%", "퍼센트"), ("℃", "도"), ("°C", "도"), ("°", "도"), ("㎡", "미터"), ("m²", "미터"), ("㎢", "미터"),
    ("NTU", "유"), ("ppm", "엠"), ("kWh", "시"), ("MW", "트"), ("km", "미터"), ("㎞", "미터"), ("kg", "그램"),
    ("mm", "미터"), ("cm", "미터"), ("MB", "트"), ("GB", "트"), ("m", "미터"), ("g", "그램"), ("L", "리터"),
]  # fmt: skip
# Latin letters spelled out (acronyms such as DDP, CCTV, pH): only L 엘, M 엠, N 엔, R 알 end in a consonant.
_LETTER_FINAL = {"l": _RIEUL, "m": 16, "n": 4, "r": _RIEUL}
_PAIRS = {
    "은": ("은", "는"),
    "이": ("이", "가"),
    "을": ("을", "를"),
    "과": ("과", "와"),
    "으로": ("으로", "로"),
    "으로서": ("으로서", "로서"),
    "이에요": ("이에요", "예요"),
    "이랑": ("이랑", "랑"),
    "이나": ("이나", "나"),
    "이라고": ("이라고", "라고"),
    "아": ("아", "야"),
}


def _hangul_final(ch: str) -> int:
    return (ord(ch) - 0xAC00) % 28


def number_reading_end(number: str) -> str:
    """The last syllable of a number read Sino-Korean: '7.3' -> '삼', '10' -> '십', '7017' -> '칠', '1000' -> '천'."""
    number = number.replace(",", "")
    whole, _, frac = number.partition(".")
    if frac:
        return _DIGIT_WORDS[int(frac[-1])]
    stripped = whole.lstrip("0")
    if not stripped:
        return "영"
    zeros = len(stripped) - len(stripped.rstrip("0"))
    if zeros == 0:
        return _DIGIT_WORDS[int(stripped[-1])]
    return _PLACE_WORDS[min(zeros, len(_PLACE_WORDS)) - 1]


def _batchim(word: str) -> int:
    """The final consonant of how the word ends when read aloud (numbers, units and letters included)."""
    word = word.strip()
    # A particle follows the word before a closing parenthesis: "서울로 7017(서울역 고가)" -> 7017.
    while word.endswith(")") and "(" in word:
        word = word[: word.rindex("(")].rstrip()
    for unit, spoken in _UNIT_WORDS:
        if word.endswith(unit) and (len(word) == len(unit) or not word[-len(unit) - 1].isalpha() or unit[0] in "%℃°㎍㎡㎢μ"):
            return _hangul_final(spoken[-1])
    for i in range(len(word) - 1, -1, -1):
        ch = word[i]
        if "가" <= ch <= "힣":
            return _hangul_final(ch)
        if ch.isdigit():
            j = i
            while j > 0 and (word[j - 1].isdigit() or word[j - 1] in ",."):
                j -= 1
            return _hangul_final(number_reading_end(word[j : i + 1].strip(",.")))
        if ch.isascii() and ch.isalpha():
            return _LETTER_FINAL.get(ch.lower(), _NONE)
    return _NONE


def josa(word: str, particle: str) -> str:
    """The particle as the word is read: josa('서울역', '은') -> '서울역은'; josa('pH 7.3', '으로') -> 'pH 7.3으로'.

    Numbers count as read Sino-Korean (10 십 -> 10으로, 2 이 -> 2로), units as read aloud (45% 퍼센트 -> 45%로);
    a final ㄹ takes 로, not 으로 (7 칠 -> 7로, 서울 -> 서울로).
    """
    with_final, without = _PAIRS[particle]
    b = _batchim(word)
    if particle.startswith("으로"):
        return word + (without if b in (_NONE, _RIEUL) else with_final)
    return word + (with_final if b else without)


def number(n: float) -> str:
    """12345678 -> '1,234만 5,678'; 48710000000000 -> '48조 7,100억'. Decimals stay as written."""
    if isinstance(n, float) and not n.is_integer():
        return f"{n:,.1f}".rstrip("0").rstrip(".")
    n = int(n)
    if abs(n) < 10_000:
        return f"{n:,}"
    parts, rest = [], abs(n)
    for unit, size in (("조", 10**12), ("억", 10**8), ("만", 10**4)):
        if rest >= size:
            parts.append(f"{rest // size:,}{unit}")
            rest %= size
    if rest:
        parts.append(f"{rest:,}")
    return ("-" if n < 0 else "") + " ".join(parts)


def approx(n: float) -> str:
    """Keep the two largest units, as people say them: 9331828 -> '933만', 48.71조 -> '48조 7,100억'."""
    for size in (10**12, 10**8, 10**4):
        if abs(n) >= size:
            step = size // 10**4 if size > 10**4 else (1000 if abs(n) < 10**6 else size)
            return number(round(n / step) * step)
    return number(n)


def won(amount: float) -> str:
    """Money the Korean way, to the two largest units: 59700000000 -> '597억 원'."""
    return f"{approx(amount)} 원"


def percent(p: float) -> str:
    return f"{p:g}%"


def when(iso: str) -> str:
    """'2026-11-21T14:00:00+09:00' -> '11월 21일 14:00'."""
    try:
        t = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{t.month}월 {t.day}일 {t:%H:%M}"


# 해요체 endings a data source writes ("붐빔은 거의 느껴지지 않아요", "조심하세요") in the 합니다체 the mayor is answered in.
FORMAL = [
    (re.compile(r"(있|없|않|좋|같|많|낮|높|넓|좁|작|적)[어아]요(?=[.!?,\s]|$)"), r"\1습니다"),
    (re.compile(r"거예요(?=[.!?,\s]|$)"), "것입니다"),
    (re.compile(r"(?:이에요|예요)(?=[.!?,\s]|$)"), "입니다"),
    (re.compile(r"해요(?=[.!?,\s]|$)"), "합니다"),
    (re.compile(r"돼요(?=[.!?,\s]|$)"), "됩니다"),
    (re.compile(r"(?<!말씀하)(?<!주)세요(?=[.!?,\s]|$)"), "십시오"),  # "조심하세요"; "…해 주세요", "말씀하세요" stay
]


def formal(text: str) -> str:
    for rx, repl in FORMAL:
        text = rx.sub(repl, text)
    return text
