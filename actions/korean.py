"""Korean wording helpers: particles that follow the last sound, numbers in 만/억/조, times."""

from __future__ import annotations

from datetime import datetime

# Final consonant index of the reading of each digit (0 영, 1 일, 3 삼, 6 육, 7 칠, 8 팔).
_DIGIT_BATCHIM = {"0": 21, "1": 8, "3": 16, "6": 1, "7": 8, "8": 8}
_RIEUL = 8
_PAIRS = {
    "은": ("은", "는"),
    "이": ("이", "가"),
    "을": ("을", "를"),
    "과": ("과", "와"),
    "으로": ("으로", "로"),
    "이에요": ("이에요", "예요"),
}


def _batchim(word: str) -> int:
    for ch in reversed(word.strip()):
        if "가" <= ch <= "힣":
            return (ord(ch) - 0xAC00) % 28
        if ch.isdigit():
            return _DIGIT_BATCHIM.get(ch, 0)
        if ch.isalpha():
            return 0
    return 0


def josa(word: str, particle: str) -> str:
    """josa('서울역', '은') -> '서울역은'; josa('서울로 7017', '으로') -> '서울로 7017로'."""
    with_final, without = _PAIRS[particle]
    b = _batchim(word)
    if particle == "으로":
        return word + (without if b in (0, _RIEUL) else with_final)
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
