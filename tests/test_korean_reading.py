"""Korean as a newsreader reads it: numbers, counters, units, dates and names for TTS, and particles after numbers."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from actions.korean import josa, number_reading_end
from voice import normalize
from voice.normalize import native, sino

# (written, spoken): what a native speaker checks, one kind of reading per group.
READINGS = [
    # hours are native, minutes and seconds Sino-Korean; the 24-hour clock is said on the 12-hour one
    ("오후 2시", "오후 두 시"),
    ("오전 11시 30분", "오전 열한 시 삼십 분"),
    ("14:00 기준", "오후 두 시 기준"),
    ("09:05 발표", "오전 아홉 시 오 분 발표"),
    ("0시 기준", "영 시 기준"),
    ("14시 기준", "오후 두 시 기준"),
    ("저녁 7시", "저녁 일곱 시"),
    ("6분 36초 후 도착", "육 분 삼십육 초 후 도착"),
    ("1시간 30분", "한 시간 삼십 분"),
    ("24시간 운영", "스물네 시간 운영"),
    # months have their own names; days and years are Sino-Korean
    ("10월", "시월"),
    ("6월", "유월"),
    ("11월 21일", "십일월 이십일 일"),
    ("2026-10-31", "이천이십육 년 시월 삼십일 일"),
    ("2026-11-21T14:00:00+09:00", "이천이십육 년 십일월 이십일 일 오후 두 시"),
    ("2026-06", "이천이십육 년 유월"),
    ("2030년대", "이천삼십 년대"),
    ("6개월", "육 개월"),
    # ordinals and native counters
    ("2번째", "두 번째"),
    ("1번째", "첫 번째"),
    ("21번째", "스물한 번째"),
    ("20번째", "스무 번째"),
    ("화재 3건", "화재 세 건"),
    ("구급 22건", "구급 이십이 건"),
    ("사고 0건", "사고 영 건"),
    ("5명", "다섯 명"),
    ("99명", "아흔아홉 명"),
    ("100명", "백 명"),
    ("1,200명", "천이백 명"),
    ("공원 4곳", "공원 네 곳"),
    ("사과 2개", "사과 두 개"),
    ("CCTV 30대 설치", "씨씨티비 서른 대 설치"),
    ("20대 남성", "이십 대 남성"),
    ("스무 살", "스무 살"),
    ("3살", "세 살"),
    # Sino-Korean counters and labels
    ("2호선", "이 호선"),
    ("2번 문서", "이 번 문서"),
    ("지하 3층", "지하 삼 층"),
    ("3위", "삼 위"),
    ("1만 명", "만 명"),
    ("1억 원", "일억 원"),
    ("예산 48조 7,100억 원", "예산 사십팔조 칠천백억 원"),
    ("인구 9,331,828명", "인구 구백삼십삼만 천팔백이십팔 명"),
    ("1000여 명", "천여 명"),
    # units, speed, temperature
    ("34.8km/h", "시속 삼십사 점 팔 킬로미터"),
    ("시속 34.8km/h", "시속 삼십사 점 팔 킬로미터"),
    ("풍속 3.2m/s", "풍속 초속 삼 점 이 미터"),
    ("-3.5℃", "영하 삼 점 오 도"),
    ("5.3℃", "오 점 삼 도"),
    ("습도 45%", "습도 사십오 퍼센트"),
    ("4.1%p 상승", "사 점 일 퍼센트포인트 상승"),
    ("PM10 86㎍/㎥", "피엠 텐 팔십육 마이크로그램 퍼 세제곱미터"),
    ("17.9㎡", "십칠 점 구 제곱미터"),
    ("pH 7.3으로", "피에이치 칠 점 삼으로"),
    ("4310만 tCO2eq", "사천삼백십만 톤"),
    # names and routes are read digit by digit, 0 as 공; a quantity stays a number
    ("서울로 7017", "서울로 칠공일칠"),
    ("서울로 7017로 이동합니다.", "서울로 칠공일칠로 이동합니다."),
    ("서울로 7017 개장", "서울로 칠공일칠 개장"),
    ("서울비전 2030", "서울비전 이공삼공"),
    ("472번 버스", "사칠이 번 버스"),
    ("02-2133-8422", "공이, 이일삼삼, 팔사이이"),
    ("인구 1000 명", "인구 천 명"),
    ("값은 2026입니다", "값은 이천이십육입니다"),
    ("120다산콜센터", "백이십다산콜센터"),
]


@pytest.mark.parametrize(("written", "spoken"), READINGS, ids=[w for w, _ in READINGS])
def test_reading(written: str, spoken: str) -> None:
    assert normalize(written) == spoken


def test_the_table_covers_enough_cases() -> None:
    assert len(READINGS) >= 40


def test_whole_replies_read_naturally() -> None:
    assert normalize("강서구 오늘 화재 3건, 구급 22건입니다.") == "강서구 오늘 화재 세 건, 구급 이십이 건입니다."
    assert normalize("서울로 7017은 2017년 5월에 열었고 예산은 597억 원입니다.") == (
        "서울로 칠공일칠은 이천십칠 년 오월에 열었고 예산은 오백구십칠억 원입니다."
    )
    assert (
        normalize("올림픽대로(여의도→잠실) 평균 34.8km/h로 서행입니다.")
        == "올림픽대로 여의도→잠실 평균 시속 삼십사 점 팔 킬로미터로 서행입니다."
    )


@pytest.mark.parametrize(
    ("n", "native_word", "sino_word"),
    [
        (1, "한", "일"),
        (2, "두", "이"),
        (3, "세", "삼"),
        (4, "네", "사"),
        (10, "열", "십"),
        (20, "스무", "이십"),
        (21, "스물한", "이십일"),
        (99, "아흔아홉", "구십구"),
    ],
)
def test_native_and_sino_numbers(n: int, native_word: str, sino_word: str) -> None:
    assert (native(n), sino(n)) == (native_word, sino_word)


def test_sino_big_numbers() -> None:
    assert sino(10_000) == "만" and sino(110_000) == "십일만" and sino(100_000_000) == "일억" and sino(7017) == "칠천십칠"


# (word, particle, expected): particles follow the word as it is read aloud.
PARTICLES = [
    ("pH 7.3", "으로", "pH 7.3으로"),  # 삼: a final consonant
    ("10", "으로", "10으로"),  # 십
    ("2", "으로", "2로"),  # 이
    ("3", "을", "3을"),  # 삼
    ("1", "으로", "1로"),  # 일: ㄹ takes 로
    ("7", "으로", "7로"),  # 칠
    ("8", "으로", "8로"),  # 팔
    ("서울로 7017", "으로", "서울로 7017로"),  # 칠공일칠 / 칠천십칠
    ("100", "은", "100은"),  # 백
    ("1000", "이", "1000이"),  # 천
    ("1조", "은", "1조는"),
    ("5", "과", "5와"),  # 오
    ("6", "이에요", "6이에요"),  # 육
    ("2.0", "이", "2.0이"),  # 이 점 영
    ("45%", "으로", "45%로"),  # 퍼센트
    ("86㎍/㎥", "으로", "86㎍/㎥로"),  # 세제곱미터
    ("5.3℃", "을", "5.3℃를"),  # 도
    ("34.8km/h", "으로", "34.8km/h로"),  # 킬로미터
    ("CCTV", "을", "CCTV를"),  # 티비
    ("HTML", "이", "HTML이"),  # 엘
    ("서울", "으로", "서울로"),
    ("서울역", "은", "서울역은"),
    ("강남구", "이", "강남구가"),
    ("광화문광장(세종대로)", "을", "광화문광장(세종대로)을"),  # the word before the parenthesis
]


@pytest.mark.parametrize(("word", "particle", "expected"), PARTICLES, ids=[f"{w}+{p}" for w, p, _ in PARTICLES])
def test_josa_follows_the_reading(word: str, particle: str, expected: str) -> None:
    assert josa(word, particle) == expected


def test_number_reading_end() -> None:
    assert [number_reading_end(n) for n in ("7.3", "10", "7017", "1,000", "120,000", "300000000", "0")] == [
        "삼",
        "십",
        "칠",
        "천",
        "만",
        "억",
        "영",
    ]


@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng is not installed")
@pytest.mark.parametrize(
    ("written", "spoken"), [("오후 2시", "오후 두 시"), ("서울로 7017", "서울로 칠공일칠"), ("10월 31일", "시월 삼십일 일")]
)
def test_tts_speaks_the_normalized_text(written: str, spoken: str) -> None:
    """What the product says for the written text is espeak-ng saying the reading, not espeak-ng guessing at digits."""
    import subprocess

    from voice.tts import EspeakNG

    def espeak(text: str) -> bytes:
        cmd = ["espeak-ng", "-v", "ko", "-s", "165", "--stdout", text]
        return subprocess.run(cmd, capture_output=True, check=True, timeout=30).stdout

    said, rate = EspeakNG().synthesize(written)
    assert rate > 0 and len(said) > rate // 2
    as_read = np.frombuffer(espeak(spoken)[44:], dtype="<i2").astype(np.float32) / 32768.0
    as_written = np.frombuffer(espeak(written)[44:], dtype="<i2").astype(np.float32) / 32768.0
    assert np.array_equal(said, as_read) and not np.array_equal(said, as_written)
