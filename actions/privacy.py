"""The last personal-data guard on everything a citizen receives (chat, data, sources, passages, socket frames).

Citizen replies are built from public fields in the first place; this catches what slips through anyway:
phone numbers (also +82 and Korean-digit forms), resident registration numbers (spaced too), e-mail
addresses, names introduced as a person ("작성자: 홍길동", "저는 홍길동입니다", "홍길동 씨"), road and
lot-number addresses, apartment units, vehicle plates, card and account numbers. Public numbers that
look alike (120 다산콜센터, dates, times, amounts, "서울로 7017", line numbers) are left alone.
"""

from __future__ import annotations

import re
from typing import Any

_DIGIT_WORDS = "공영일이삼사오육칠팔구"  # phone numbers read out digit by digit: 공일공 일이삼사 …
_KDIGITS = rf"[{_DIGIT_WORDS}]"
_SEP = r"[\s.\-·)]*"

_RULES: list[tuple[re.Pattern[str], str]] = [
    # resident registration numbers: 900101-1234567, 900101 - 1234567, 9001011234567
    (re.compile(r"(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s*[-–]?\s*[1-8]\s*\d{6}(?!\d)"), "[주민번호 비공개]"),
    # phones: +82 10 1234 5678, +82-2-2133-1234, 010-1234-5678, 02 2133 1234, (02)2133-1234, 01012345678, 공일공 일이삼사 …
    (re.compile(r"\+\s?82[\s.\-)]*\(?0?\)?\d{1,2}[\s.\-)]*\d{3,4}[\s.\-]*\d{4}(?!\d)"), "[연락처 비공개]"),
    (re.compile(r"(?<![\d.])(?:\(0\d{1,2}\)|0\d{1,2})[\s.\-]*\d{3,4}[\s.\-]*\d{4}(?![\d.])"), "[연락처 비공개]"),
    (re.compile(rf"{_KDIGITS}(?:{_SEP}{_KDIGITS}){{8,12}}"), "[연락처 비공개]"),
    # card and account numbers
    (re.compile(r"(?<!\d)\d{4}[\s-]\d{4}[\s-]\d{4}[\s-]\d{2,4}(?!\d)"), "[계좌·카드번호 비공개]"),
    (re.compile(r"(?<![\d-])\d{3,6}-\d{2,6}-\d{5,8}(?![\d-])"), "[계좌·카드번호 비공개]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[이메일 비공개]"),
    # apartment units first: 101동 1203호 is not a plate
    (re.compile(r"\d{1,4}\s?동\s?\d{1,4}\s?호"), "[주소 비공개]"),
    # vehicle plates: 12가3456, 123가 4567, 서울12가3456
    (re.compile(r"(?<![\d가-힣])(?:[가-힣]{2}\s?)?\d{2,3}\s?[가-힣]\s?\d{4}(?!\d)"), "[차량번호 비공개]"),
    # addresses: lot numbers (독산동 1012-3번지, 역삼동 123-45), a road and its building number, apartment units
    (re.compile(r"[가-힣]+[동리가]\s?\d{1,5}(?:-\d{1,5}(?:\s?번지)?|\s?번지)"), "[주소 비공개]"),
    (re.compile(r"[가-힣0-9]+(?:로|길)\s?\d+(?:번?길)?(?:\s?\d+(?:-\d+)?)?(?:\s?앞|\s?번지)?(?=[\s,)]|\.(?!\d)|$)"), "[주소 비공개]"),
    # names introduced as a person
    (re.compile(r"(민원인|신고인|작성자|신청인|제보자|성명)\s*[:：]?\s*[가-힣]{2,4}(?=$|[\s,.()]|님|씨)"), r"\1 [이름 비공개]"),
    (
        re.compile(r"(저는|제 이름은|나는|내 이름은)\s*[가-힣]{2,4}(?=\s*(?:입니다|이에요|예요|이라고|라고|이고|야|임))"),
        r"\1 [이름 비공개]",
    ),
    (re.compile(r"(?<![가-힣])[가-힣]{2,4}\s?(님|씨)(?=$|[^가-힣]|[가는를의께이도와과에])"), "[이름 비공개]"),
]
# "서울로 7017" is a place's name, "2호선" a line: spans to keep as they are
_KEEP = re.compile(r"서울로\s?7017|\d+호선|\d+번\s?출구|120\s?다산콜|다산콜센터\s?120")
# "…님/씨" that are roles or words, not names
_NOT_NAMES = re.compile(
    r"^(시민|고객|여러분|시장|부시장|과장|국장|팀장|주무관|담당자?|관계자|이용자|비서|선생|기사|의원|구청장|사장|어르신|손님|환자)\s?님$"
    r"|(날|글|솜|맵|말|마음|아가)씨$"
)


def guard(text: str) -> str:
    """Text with personal data replaced by Korean placeholders; public city text comes back unchanged."""
    if not text:
        return text
    kept: list[str] = []

    def hold(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return f"\x00{len(kept) - 1}\x00"

    out = _KEEP.sub(hold, text)
    for pattern, placeholder in _RULES:
        out = pattern.sub(lambda m, p=placeholder: m.group(0) if _NOT_NAMES.search(m.group(0)) else m.expand(p), out)
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], out)


def guard_obj(obj: Any) -> Any:
    """guard() on every string in nested dicts and lists (JSON data, sources, socket frames)."""
    if isinstance(obj, str):
        return guard(obj)
    if isinstance(obj, dict):
        return {k: guard_obj(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [guard_obj(v) for v in obj]
    return obj
