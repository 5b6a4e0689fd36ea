"""Topic words a speech recognizer or a typist got one letter wrong: "교퉁 상황" is 교통, "사람 만아" is 많아.

Names (districts, places, projects) have their own sound-alike matching in `entities`; this mends the words that
say what a message asks about, so the classifier and `discourse.topic` see them. A word is mended only when it is
one letter (jamo) from exactly one topic word, of the same length in syllables (offsets stay valid), and Kiwi does
not know it as a word of its own: 예상 is not 예산, 화제 is not 화재.
"""

from __future__ import annotations

import re
from functools import cache

from .entities import deletions, edit_distance, jamo
from .korean import kiwi

TOPIC_KEYS = (
    "교통", "소통", "정체", "막혀", "날씨", "기온", "미세먼지", "초미세먼지", "오존", "지하철", "열차", "재난", "화재", "구급",
    "예산", "집행", "민원", "여론", "공원", "둘레길", "수돗물", "수질", "가격", "물가", "인구", "인파", "혼잡", "붐벼", "많아",
    "결재", "공약", "공정률", "사업비",
)  # fmt: skip
HANGUL_RUN_RE = re.compile(r"[가-힣]{2,}")
UNKNOWN_SCORE = -18.0  # Kiwi scores a word it knows above about -15, one it guesses below about -20


@cache
def _index() -> dict[tuple[int, str], set[str]]:
    """(length in syllables, a key's letters with at most one deleted) -> the keys: one-letter neighbours by lookup."""
    index: dict[tuple[int, str], set[str]] = {}
    for key in TOPIC_KEYS:
        for variant in deletions(jamo(key)):
            index.setdefault((len(key), variant), set()).add(key)
    return index


def _unknown(word: str) -> bool:
    """Kiwi reads no verb in it ("맞아" is 맞 + 아) and guesses it as a noun of its own or as loose letters."""
    tokens = kiwi().tokenize(word)
    if any(t.tag.startswith("V") for t in tokens):
        return False
    return len(tokens) == 1 and tokens[0].score < UNKNOWN_SCORE or len(tokens) > 1 and all(len(t.form) == 1 for t in tokens)


def spelled(text: str) -> str:
    """The text with each mistyped topic word mended (same length, so entity offsets still hold)."""
    index, lengths = _index(), sorted({len(k) for k in TOPIC_KEYS}, reverse=True)
    out = text
    for m in HANGUL_RUN_RE.finditer(text):
        word = m.group()
        for n in lengths:
            head = word[:n]
            if len(head) < n or head in TOPIC_KEYS:
                continue
            letters = jamo(head)
            found = set().union(*(index.get((n, v), set()) for v in deletions(letters)))
            found = {k for k in found if edit_distance(letters, jamo(k), 1) <= 1}
            if len(found) == 1 and _unknown(head):
                out = out[: m.start()] + found.pop() + out[m.start() + n :]
                break
    return out
