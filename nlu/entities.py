"""Entity extraction with canonical values: gazetteer (lookups + synonyms) and patterns.

Matching runs on the text with spaces removed, so ASR output such as
"강동구미세먼지알려줘" or "용산 구 교통 상황" finds the same entities as clean text.
Which type a span gets (강남역: place or station?) depends on the intent.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .korean import kiwi
from .training_data import TrainingData

# Entity types that are only reported for the intents that use them (INTENTS.md);
# the rest (district, place, station, subway_line, road, project) always are.
WEAK_TYPES_BY_INTENT: dict[str, set[str]] = {
    "transit_status": {"bus_route"},
    "water_quality": {"facility"},
    "price_info": {"item"},
    "finance_status": {"sector"},
    "public_opinion": {"topic"},
    "admin_indicator": {"indicator"},
    "pledge_status": {"pledge", "doc_number"},  # "세 번째 공약": the n-th of the list just shown
    "project_status": {"doc_number"},
    "intl_cooperation": {"city", "country"},
    "park_info": {"park"},
    "navigate": {"screen"},
    "approval_decide": {"doc_number", "decision"},
    "approval_list": {"doc_number"},  # "세 번째 건 내용": one of the list
    "call_officer": {"department", "topic", "person"},
    "knowledge_question": {"pledge"},
}
STRONG_TYPES = {"district", "place", "station", "subway_line", "road", "project"}
ALL_WEAK = set().union(*WEAK_TYPES_BY_INTENT.values())
# When one span could be several types, the intent decides; otherwise this order.
TYPE_PREFERENCE: dict[str, list[str]] = {
    "transit_status": ["station", "subway_line", "place"],
    "park_info": ["park", "place"],
    "water_quality": ["facility", "district"],
    "navigate": ["project", "screen", "place", "district", "station"],
}
DEFAULT_ORDER = [
    "project",
    "place",
    "district",
    "station",
    "subway_line",
    "road",
    "park",
    "facility",
    "department",
    "pledge",
    "indicator",
    "sector",
    "topic",
    "item",
    "city",
    "country",
    "screen",
]

PARTICLES = (
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "에서",
    "로",
    "으로",
    "도",
    "만",
    "과",
    "와",
    "랑",
    "이랑",
    "요",
    "값",
    "가격",
    "쪽",
    "부터",
    "까지",
    "한테",
    "에게",
    "께",
    "이라도",
    "라도",
    "이나",
    "보다",
)
SURNAMES_2 = ("황보", "남궁", "제갈", "선우", "독고")
SURNAMES = set(
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진지엄채원천방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용예봉"
)
TITLES = "과장|팀장|국장|주무관|본부장|실장|센터장|소장|부장|차장|주임|담당관|님|씨"
PERSON_RE = re.compile(rf"(?<![가-힣])([가-힣]{{2,4}}?)\s?(?:{TITLES})")
ORDINALS = {"첫": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10}
ORDINAL_RE = re.compile(
    r"(첫|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s?번\s?째|(첫|둘|셋|넷)째|(\d{1,2})\s?번\s?째|(?<!\d)(\d{1,2})\s?번(?!\s?째)(?!\s?버스)"
    r"|((?:맨|제일|가장)\s?(?:위|처음|앞))"  # "맨 위에 있는 거": the first of the list
)
BUS_RE = re.compile(
    r"(?<![\d가-힣])([Nn]?\d{2,4}(?:-\d)?)\s?번?\s?(?:광역|간선|지선|마을|심야|순환)?\s?버스|버스\s?([Nn]?\d{2,4})|(?<![\d])([Nn]?\d{3,4})\s?번(?!\s?째)|(?<![\w])([Nn]\d{2,4})(?![\w])"
)
DIGITS = "영일이삼사오육칠팔구공"  # index % 10 is the digit (공 = 0)
SPOKEN_BUS_RE = re.compile(rf"(?<![가-힣])([{DIGITS}]{{3,4}})\s?(?:번\s?)?(?:버스|번(?![가-힣]))")
DECISIONS = {
    "승인": "approve",
    "재가": "approve",
    "허가": "approve",
    "통과": "approve",
    "결재": "approve",
    "반려": "reject",
    "기각": "reject",
    "거절": "reject",
    "불허": "reject",
    "퇴짜": "reject",
}
DECISION_RE = re.compile("|".join(DECISIONS))
SCREEN_VALUES = {"main", "city_status", "admin_status", "public_opinion", "seoul_resume", "reading_room", "back"}


FUZZY_TYPES = {
    "district",
    "place",
    "station",
    "project",
    "department",
    "park",
    "road",
    "item",
    "pledge",
    "subway_line",
    "topic",
    "indicator",
}
WORD_RE = re.compile(r"[가-힣]{2,}|(?<=[가-힣] )[구역](?![가-힣])")  # "마표 구": a suffix split off is a word of the run


def jamo(s: str) -> str:
    """Hangul syllables as their letters (conjoining jamo): 마표구 and 마포구 differ in one letter, not one syllable."""
    return unicodedata.normalize("NFD", s)


INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = [
    "",
    "ㄱ",
    "ㄲ",
    "ㄳ",
    "ㄴ",
    "ㄵ",
    "ㄶ",
    "ㄷ",
    "ㄹ",
    "ㄺ",
    "ㄻ",
    "ㄼ",
    "ㄽ",
    "ㄾ",
    "ㄿ",
    "ㅀ",
    "ㅁ",
    "ㅂ",
    "ㅄ",
    "ㅅ",
    "ㅆ",
    "ㅇ",
    "ㅈ",
    "ㅊ",
    "ㅋ",
    "ㅌ",
    "ㅍ",
    "ㅎ",
]
# vowels most speakers (and recognizers) no longer tell apart: 세/새, 계/게, 외/왜/웨
PLAIN = {"ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ"}  # "명똥": a recognizer hears a tense initial for a plain one
SAME_VOWEL = {"ㅐ": "ㅔ", "ㅒ": "ㅔ", "ㅖ": "ㅔ", "ㅙ": "ㅞ", "ㅚ": "ㅞ"}


def sound(word: str, heard: bool = True) -> str:
    """A word's letters as it is pronounced, roughly: a final moves onto a silent ㅇ (관악 -> 과낙), ㄹ after ㅇ/ㅁ is
    said ㄴ (중랑 -> 중낭), and merged vowels are one. What a speech recognizer writes is compared in this form; what a
    typist writes (`heard=False`) letter by letter ("광악구": one key off 관악구)."""
    syl = []
    for ch in word:
        code = ord(ch) - 0xAC00
        if not 0 <= code < 11172:
            syl.append([ch, "", ""])
            continue
        initial = INITIALS[code // 588]
        syl.append(
            [PLAIN.get(initial, initial) if heard else initial, SAME_VOWEL.get(m := MEDIALS[code % 588 // 28], m), FINALS[code % 28]]
        )
    for a, b in zip(syl, syl[1:], strict=False) if heard else ():
        if b[0] == "ㅇ" and a[2] not in ("", "ㅇ") and len(a[2]) == 1:
            a[2], b[0] = "", a[2]
        elif b[0] == "ㄹ" and a[2] in ("ㅇ", "ㅁ"):
            b[0] = "ㄴ"
    return "".join("".join(x) for x in syl)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (limit + 1) as soon as it must exceed `limit`."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def deletions(s: str) -> set[str]:
    """The string and every string one letter shorter."""
    return {s} | {s[:i] + s[i + 1 :] for i in range(len(s))}


def normalize(s: str) -> str:
    return unicodedata.normalize("NFC", s).lower().replace("·", "").replace("・", "")


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    options: tuple[tuple[str, str], ...]  # (type, canonical value)
    extractor: str


def noun_at(text: str, pos: int) -> bool:
    """A one-letter name is a noun there ("배 가격"), not part of a verb ("싸게 파는", "배워")."""
    return any(t.start == pos and t.len == 1 and t.tag.startswith("NN") for t in kiwi().tokenize(text))


class EntityExtractor:
    def __init__(self, data: TrainingData):
        canon_types: dict[str, set[str]] = {}
        for typ, values in data.lookups.items():
            for v in values:
                canon_types.setdefault(v, set()).add(typ)
        self.table: dict[str, set[tuple[str, str]]] = {}

        def add(surface: str, typ: str, value: str) -> None:
            key = "".join(normalize(surface).split())
            if key:
                self.table.setdefault(key, set()).add((typ, value))

        for value, types in canon_types.items():
            for typ in types:
                if typ != "person":  # names are matched with their titles below
                    add(value, typ, value)
                if typ == "road" and (short := re.sub(r"(?:도로|대로)$", "", value)) != value and len(short) >= 2:
                    add(short, typ, value)  # "서부간선", "양재": how the roads are said
        for value in data.lookups.get("station", []):  # "성수 말고 뚝섬": a station by its proper name, 역 left off
            short = value.removesuffix("역")
            named = len(short) >= 2 and short != value and short not in self.table and short != "서울"  # 서울 is the city
            tokens = kiwi().tokenize(short) if named else []
            if len(tokens) == 1 and tokens[0].tag == "NNP":  # not 시청, 교대, 회기: words of their own
                add(short, "station", value)
        for surface, value in data.synonyms.items():
            for typ in canon_types.get(value, ()):
                add(surface, typ, value)
            if value in SCREEN_VALUES:
                add(surface, "screen", value)
        self.max_len = max(map(len, self.table))
        self.people = set(data.lookups.get("person", []))
        # Names a speech recognizer or a typist gets one letter wrong ("마표구", "강남귀"), by syllable count.
        # (a name's letters as said, with at most one deleted) -> (letters, values): one-letter neighbours by lookup
        self.near: dict[str, list[tuple[str, frozenset[tuple[str, str]]]]] = {}
        self.sounds_like: dict[str, set[tuple[str, str]]] = {}
        for key, opts in self.table.items():
            kept = frozenset(o for o in opts if o[0] in FUZZY_TYPES)
            if kept and len(key) >= 3 and all("가" <= ch <= "힣" for ch in key):
                for letters in {sound(key), sound(key, heard=False)}:
                    for variant in deletions(letters):
                        self.near.setdefault(variant, []).append((letters, kept))
            elif kept and len(key) == 2 and all("가" <= ch <= "힣" for ch in key):  # two letters: only exact sound-alikes
                self.sounds_like.setdefault(sound(key), set()).update(kept)

    # -- candidates -------------------------------------------------------
    def _gazetteer(self, text: str) -> list[Candidate]:
        chars, index = [], []
        for i, ch in enumerate(text):
            n = normalize(ch)
            if n.strip():
                chars.extend(n)
                index.extend([i] * len(n))
        norm = "".join(chars)
        out = []
        for s in range(len(norm)):
            for e in range(min(len(norm), s + self.max_len), s, -1):
                opts = self.table.get(norm[s:e])
                if opts and self._plausible(text, index[s], index[e - 1] + 1, e - s) and (e - s > 1 or noun_at(text, index[s])):
                    out.append(Candidate(index[s], index[e - 1] + 1, tuple(sorted(opts)), "gazetteer"))
        return out

    @staticmethod
    def _plausible(text: str, start: int, end: int, n: int) -> bool:
        """Reject matches glued across words ("진행 중 구간" is no 중구) and bare one-letter hits."""
        inner = text[start:end]
        crosses = " " in inner.strip()
        if not (crosses or n == 1):
            return True
        # ASR splits a suffix off ("용산 구", "강남 역"): fine after a base of two letters or more
        head, _, tail = inner.rpartition(" ")
        if tail in ("구", "역", "선") and " " not in head and len(head) >= 2:
            return True
        if start > 0 and text[start - 1].isalnum():
            return False
        rest = re.match(r"\w*", text[end:]).group(0).removesuffix("요")  # "1인 가구 비율도요"
        return rest == "" or rest in PARTICLES or (not crosses and rest.startswith(PARTICLES))

    def _patterns(self, text: str) -> list[Candidate]:
        out = []
        for m in ORDINAL_RE.finditer(text):
            word, short, digit_th, digit, top = m.groups()
            value = 1 if top else ORDINALS.get(word) or {"첫": 1, "둘": 2, "셋": 3, "넷": 4}.get(short) or int(digit_th or digit)
            out.append(Candidate(m.start(), m.end(), (("doc_number", str(value)),), "pattern"))
        for m in BUS_RE.finditer(text):
            g = next(i for i in (1, 2, 3, 4) if m.group(i))
            out.append(Candidate(m.start(g), m.end(g), (("bus_route", m.group(g).upper()),), "pattern"))
        for m in SPOKEN_BUS_RE.finditer(text):  # "칠육일이 버스": the route number read digit by digit
            out.append(Candidate(m.start(1), m.end(1), (("bus_route", "".join(str(DIGITS.index(c) % 10) for c in m.group(1))),), "pattern"))
        # the decision is the last one said (the verb ends a Korean sentence): "광화문 행사 허가 결재 반려" rejects the
        # permit, "반려 취소하고 승인으로" approves; "결재" names a decision only alone ("결재 반려" is a rejection)
        found = [m for m in DECISION_RE.finditer(text) if m.group(0) != "결재"] or list(DECISION_RE.finditer(text))
        if found:
            m = found[-1]
            out.append(Candidate(m.start(), m.end(), (("decision", DECISIONS[m.group(0)]),), "pattern"))
        for m in PERSON_RE.finditer(text):
            name = m.group(1)
            if name in self.people or self._looks_like_name(name):
                out.append(Candidate(m.start(1), m.end(1), (("person", name),), "pattern"))
        return out

    @staticmethod
    def _looks_like_name(name: str) -> bool:
        if name[:2] in SURNAMES_2:
            return len(name) in (3, 4)
        return len(name) == 3 and name[0] in SURNAMES

    def _near_misses(self, text: str, found: list[Candidate]) -> list[Candidate]:
        """Words one letter (jamo) away from a name as they sound (two-syllable words: sounding the same), where nothing
        exact matched."""
        out = []
        covered = {i for c in found for i in range(c.start, c.end)}
        for start, raw in self._spans(text):
            # a longer mistyped name around an exact shorter one ("올림픽공워" around 올림픽, "광화문 관장 재구조화") is still tried
            inside = [
                c for c in found if start <= c.start and c.end <= start + len(raw) and c.end - c.start < len(raw.replace(" ", "")) - 1
            ]
            word = raw
            for p in sorted(PARTICLES, key=len, reverse=True):  # "마표구는" -> "마표구"; "서울 도로" keeps its 도로
                stem = word[: -len(p)].rsplit(" ", 1)[-1]
                if word.endswith(p) and len(word) - len(p) >= 2 and (len(stem) >= 2 or stem in ("구", "역")):
                    word = word[: -len(p)]
                    break
            end = start + len(word)
            others = covered - {i for c in inside for i in range(c.start, c.end)}
            if len(word) < 2 or others & set(range(start, end)) or "".join(word.split()) in self.table:
                continue
            word = "".join(word.split())  # several words ("노들 글로벌 예슬섬"): compared without their spaces
            target = sound(word)
            if len(word) == 2:  # "게란" for 계란
                if found_two := self.sounds_like.get(target):
                    out.append(Candidate(start, end, tuple(sorted(found_two)), "fuzzy"))
                continue
            targets = {target, sound(word, heard=False)}
            found_near = {(t, letters, opts) for t in targets for v in deletions(t) for letters, opts in self.near.get(v, ())}
            scored = sorted((edit_distance(letters, t, 1), letters, opts) for t, letters, opts in found_near)
            best = next(((d, opts) for d, _, opts in scored if d <= 1), None)
            if best:
                out.append(Candidate(start, end, tuple(sorted(best[1])), "fuzzy"))
                covered |= set(range(start, end))
        return out

    @staticmethod
    def _spans(text: str) -> list[tuple[int, str]]:
        """Each word, then runs of two and three words (names of several words), longest first."""
        words = list(WORD_RE.finditer(text))
        spans = []
        for n in (3, 2):
            for i in range(len(words) - n + 1):
                run = words[i : i + n]
                if all(text[a.end() : b.start()] == " " for a, b in zip(run, run[1:], strict=False)):
                    spans.append((run[0].start(), text[run[0].start() : run[-1].end()]))
        return spans + [(m.start(), m.group(0)) for m in words]

    def candidates(self, text: str) -> list[Candidate]:
        found = self._gazetteer(text) + self._patterns(text)
        return found + self._near_misses(text, found)

    # -- resolution -------------------------------------------------------
    def resolve(self, text: str, intent: str | None, candidates: list[Candidate] | None = None) -> list[dict]:
        cands = self.candidates(text) if candidates is None else candidates
        allowed = STRONG_TYPES | (ALL_WEAK if intent in (None, "inform") else WEAK_TYPES_BY_INTENT.get(intent, set()))
        order = TYPE_PREFERENCE.get(intent or "", []) + DEFAULT_ORDER + ["person", "doc_number", "decision", "bus_route"]
        picked: list[tuple[Candidate, tuple[str, str]]] = []
        taken: set[int] = set()
        for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
            opts = [o for o in c.options if o[0] in allowed]
            if not opts or taken & set(range(c.start, c.end)):
                continue
            best = min(opts, key=lambda o: order.index(o[0]) if o[0] in order else len(order))
            picked.append((c, best))
            taken |= set(range(c.start, c.end))
        picked.sort(key=lambda p: p[0].start)
        return [
            {
                "entity": typ,
                "value": int(value) if typ == "doc_number" else value,
                "start": c.start,
                "end": c.end,
                "confidence_entity": 1.0,
                "extractor": c.extractor,
            }
            | ({"also": also} if (also := sorted({t for t, _ in c.options if t in allowed} - {typ})) else {})
            for c, (typ, value) in picked
        ]

    def mask(self, text: str, candidates: list[Candidate]) -> str:
        """Replace entity spans with type tokens so the classifier learns the phrasing, not the names."""
        spans = []
        taken: set[int] = set()
        for c in sorted(candidates, key=lambda c: (-(c.end - c.start), c.start)):
            if not taken & set(range(c.start, c.end)):
                spans.append(c)
                taken |= set(range(c.start, c.end))
        out, pos = [], 0
        for c in sorted(spans, key=lambda c: c.start):
            types = "_".join(sorted({t for t, _ in c.options}))
            out += [text[pos : c.start], f" E{types} "]
            pos = c.end
        out.append(text[pos:])
        return "".join(out)
