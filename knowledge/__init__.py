"""The digital reading room: documents in Chroma, hybrid search, answers that quote their passages."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from nlu import content_words
from nlu.discourse import SEOUL

from .embeddings import HASHED, get_embeddings
from .generate import generate
from .loaders import SUPPORTED, LoadError
from .settings import KnowledgeSettings
from .store import MODES, IngestResult, KnowledgeStore

CORPUS_DIR = Path(__file__).parent / "corpus"
MIN_COVERAGE = 0.6  # share of the question's words a passage must contain to count as an answer
# Question words and light verbs say what is asked, not what about: they do not count for coverage.
QUESTION_WORDS = set(
    "뭐 무엇 무슨 얼마 어떻 어떤 언제 왜 어디 누구 몇 하 되 있 알리 주 "
    "그 이 저 나 내 제 우리 크 한 때 좀 그냥 거기 그거 이거 저거 그것 이것 쓰 돈 "  # pointing, sizing and spending words
    "문서 얘기 이야기 내용 자료실 보 나오 "  # what any passage is, where it is read ("그 문서에 … 얘기도", "백서 보면", "…에 나와요")
    "what how many much when why where who which is are was the a an of on in to do does did about say tell me".split()
)


_settings: KnowledgeSettings | None = None
_store: KnowledgeStore | None = None


def use(settings: KnowledgeSettings | None) -> None:
    """Settings for the store (the assistant's); None: from the environment. The store opens on first use."""
    global _settings, _store
    _settings, _store = settings, None


def settings() -> KnowledgeSettings:
    global _settings
    if _settings is None:
        _settings = KnowledgeSettings()
    return _settings


def get_store() -> KnowledgeStore:
    global _store
    if _store is None:
        _store = open_store(settings())
    return _store


def open_store(s: KnowledgeSettings) -> KnowledgeStore:
    import chromadb  # heavy: only when the store is first needed
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if s.chroma_url:
        from urllib.parse import urlparse

        u = urlparse(s.chroma_url)
        client = chromadb.HttpClient(host=u.hostname, port=u.port or 8000, ssl=u.scheme == "https", settings=chroma_settings)
    else:
        client = chromadb.PersistentClient(path=str(s.data_dir / "chroma"), settings=chroma_settings)
    return KnowledgeStore(client, get_embeddings(s.embedding_model), s.embedding_model)


def ingest_sample_corpus() -> list[IngestResult]:
    """The shipped sample documents, so a new user can ask at once (unchanged files are skipped)."""
    return get_store().ingest([CORPUS_DIR])


def search(query: str, k: int = 5, public_only: bool = False, mode: str = "hybrid") -> list[dict[str, Any]]:
    return get_store().search(query, k, public_only, mode)


# Words people say for what documents write ("벌금" for 과태료, "바뀌어요" for 갱신, "에스닷" for S-DoT): a question
# word is found where the document has one of these, and the search asks for them too.
SAYINGS = {
    "벌금": ("과태료", "범칙금"),
    "바뀌": ("갱신",),
    "업데이트": ("갱신",),
    "걷": ("보행자", "보행"),
    "에스닷": ("s-dot",),
    "창문": ("환기",),
    # everyday words -> how administrative documents write them
    "디젤": ("경유",),
    "디젤차": ("경유차",),
    "낡": ("노후",),
    "오래되": ("노후",),
    "헌": ("노후",),
    "손보": ("저감", "개선", "정비"),
    "고치": ("개선", "정비", "갱신"),
    "새로": ("갱신",),
    "맑": ("좋음",),
    "깨끗하": ("좋음",),
    "사이트": ("누리집", "플랫폼"),
    "홈페이지": ("누리집",),
    "숫자": ("데이터", "수치"),
    "가져오": ("출처",),
    "나뉘": ("구성",),
    "재": ("측정",),
    "찻길": ("도로변",),
    "밤": ("심야", "야간"),
    "기사": ("자율주행",),
    "운전기사": ("자율주행",),
    "돌아가시": ("사망",),
    "죽": ("사망",),
    "돌아가": ("사망",),
    "시키": ("명령",),
    "보완": ("과제", "개선"),
    "손님": ("이용객", "이용자"),
    "시내": ("도심",),
    "공기": ("대기",),
    "날": ("일수",),
    "달리": ("속도", "설치"),
    "카메라": ("cctv",),
    "연결": ("연계",),
    "동네": ("곳곳",),
    "전봇대": ("설치",),
    "열": ("환기",),
    "걸어가": ("보행",),
    "비율": ("차지",),
    "며칠": ("일수",),
    "퇴근길": ("퇴근",),
    "출근길": ("출근",),
    "밀리": ("막히", "정체"),
    "길가": ("도로변",),
    "키로": ("km",),
    "제일": ("가장",),
    "심하": ("가장",),
    "겨울": ("계절", "동절기"),
    "들어가": ("운행", "진입"),
    "타": ("이용",),
}


def said_as(question: str) -> str:
    """The document words for the question's everyday ones, to add to its search."""
    return " ".join(w for t in question_terms(question) for w in SAYINGS.get(t, ()))


def question_terms(question: str) -> list[str]:
    return [t for t in content_words(question) if t not in QUESTION_WORDS]


HANGUL = re.compile(r"[가-힣]")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text.lower())


def coverage(question: str, passage: str) -> float:
    """Share of the question's content words found in the passage (as substrings: 시민시장실 holds 시장)."""
    terms = set(question_terms(question))
    if not terms:
        return 0.0
    text, stems = squash(passage), set(content_words(passage))
    # a word is found inside longer ones (시민시장실 holds 시장), or as a stem ("나쁨" holds 나쁘); a one-letter stem
    # only as a stem ("재요" -> 재 is not in 재단)
    return sum(
        t in stems or (t in text and (len(t) > 1 or not HANGUL.match(t))) or any(w in text for w in SAYINGS.get(t, ())) for t in terms
    ) / len(terms)


def sentences(passage: str) -> list[str]:
    """Sentences of prose; a table row is read out with its header ('구분 도로변 측정소, 측정소 수 15곳')."""
    lines = [ln.strip() for ln in passage.splitlines() if ln.strip()]
    if lines and all(ln.startswith("|") or " | " in ln for ln in lines):
        header, *rows = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines]
        return [", ".join(f"{h} {c}" for h, c in zip(header, row, strict=False) if c) for row in rows] or [passage]
    prose = re.sub(r"\s*\n\s*", " ", passage)  # wrapped lines are one paragraph
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", prose) if s.strip()]


def lead(question: str, passages: list[str], headings: list[str] | None = None, context: str = "") -> str:
    """The sentence that covers the question best, with the next-best sentence of the same passage when it adds
    words of the question. A follow-up's sentence also covers the `context` it leans on ("2017년엔?" after a question
    about good-air days). Ties go to the passage whose heading (title and section) covers the question, then to
    earlier passages. A sentence that only announces
    what follows ("…다섯 개 메뉴로 구성됩니다.") brings the next one."""
    terms = set(question_terms(question)) | (set(question_terms(context)) if context else set())
    headings = headings or [""] * len(passages)
    best = None
    for rank, passage in enumerate(passages):
        for i, sent in enumerate(sentences(passage)):
            key = (  # the follow-up's own words first, then what it leans on
                coverage(question, sent),
                coverage(context, sent) if context else 0.0,
                kinds_met(question, sent),
                coverage(question, headings[rank]),
                -rank,
            )
            if best is None or key > best[0]:
                best = (key, rank, i)
    if best is None:
        return ""
    _, rank, i = best
    sents = sentences(passages[rank])
    first = sents[i]
    missing = {t for t in terms if coverage(t, first) < 1}
    extra = [j for j, s in enumerate(sents) if j != i and any(coverage(t, s) == 1 for t in missing)]
    # the next sentence has the kind of answer the best one lacks: "…23만 대에 지원했습니다. 지원에는 모두 4,100억 원이 들었습니다."
    if i + 1 < len(sents) and kinds_met(question, sents[i + 1]) > kinds_met(question, first):
        extra = [i + 1]
    if not extra and len(first) < ANNOUNCES and i + 1 < len(sents):
        extra = [i + 1]
    if extra:
        j = extra[0]
        return " ".join(sents[k] for k in sorted((i, j)))
    return first


def kinds_met(question: str, sentence: str) -> int:
    """How many of the kinds of answer the question asks for the sentence has: an amount (얼마, 몇), money (돈, 비용),
    a total (지금까지, 누적), a date (언제), an interval (얼마나 자주), a size (크기, 길이)."""
    return sum(bool(asks.search(question) and has.search(sentence)) for asks, has in ANSWER_KINDS)


def best_sentence(question: str, text: str) -> str:
    return max(sentences(text), key=lambda s: (coverage(question, s), kinds_met(question, s)))


AMOUNT_RE = re.compile(r"얼마|몇|며칠|how (?:many|much|often|long)", re.I)
# an amount, not a date: "10만 원", "15곳", "71일", "3,200개", "하루 세 번" (not "12월부터")
FIGURE_RE = re.compile(
    r"\d[\d,.]*\s?(?:만|억|천|조)?\s?(?:원|명|곳|개|일|대|건|회|번|배|톤|%|km|㎍|분|시간)"
    r"|(?<![가-힣])(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s?(?:번|곳|개|명|대|차례)(?![가-힣])"
    r"|\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty)\b\s?(?:to\s\w+\s)?(?:minutes?|hours?|days?|won|people|percent)",
    re.I,
)
ANSWER_KINDS = [
    (AMOUNT_RE, FIGURE_RE),
    (
        re.compile(r"돈|비용|예산|사업비|들었|들어|썼|쓴|투입|요금|아끼|아꼈|아낀|cost|spen[dt]|money|fare|sav(?:e|ing)", re.I),
        re.compile(r"\d[\d,.]*\s?(?:만|억|천|조)?\s?원|\bwon\b", re.I),
    ),
    (re.compile(r"지금까지|여태|누적|합계|통틀어|in total|so far", re.I), re.compile(r"누적|합계|통틀어|모두 합|in total|so far", re.I)),
    (re.compile(r"언제|몇\s?년|when", re.I), re.compile(r"\d{4}\s?년|\d{1,2}\s?월|\b(?:19|20)\d{2}\b")),
    (re.compile(r"자주|주기|간격|마다|how often", re.I), re.compile(r"간격|마다|주기|every", re.I)),
    (re.compile(r"크기|길이|넓이|높이|어느\s?정도|how (?:big|large|long)", re.I), re.compile(r"\d+(?:\.\d+)?\s?(?:m|km|미터|인치|㎡)")),
]
DETAIL_KINDS = ANSWER_KINDS[1:3]  # money and totals: what a report adds to the data's figures ("요금", "지금까지")
ANNOUNCES = 30  # characters: a sentence this short rarely answers on its own


def answer(question: str, public_only: bool = False, k: int = 3, context: str = "") -> tuple[str | None, list[dict[str, Any]]]:
    """(lead sentence, the passages it rests on) or (None, []) when the documents do not answer.

    `context` is the question a follow-up leans on ("2017년엔 며칠이었어요?" after a question about high-dust days):
    it joins the search, while the lead sentence is the one that best answers the follow-up itself."""
    question = absolute_years(question)
    asked = f"{context} {question}".strip()
    written = said_as(question)
    found = search(f"{asked} {written}".strip(), k, public_only)
    if context:  # "보행자 사망 비중은" after another question on the report: its own words find their passage too
        found = list({h["id"]: h for h in search(f"{question} {written}".strip(), k, public_only) + found}.values())
    if written:  # "연결된 카메라 몇 대": the document's own words alone (연계, CCTV) find the passage the mix missed
        keywords = " ".join(w for t in question_terms(question) for w in SAYINGS.get(t, (t,)))
        found = list({h["id"]: h for h in found + search(keywords, k, public_only, mode="lexical")}.values())

    def covered(h: dict[str, Any], rank: int) -> bool:
        passage = f"{h['title']} {h['section']} {h['text']}"
        best = max(coverage(q, passage) for q in {asked, question})
        # the best-ranked passage holding at least two of the words and half of them answers too ("음성 명령 한 달에")
        held = sum(t in squash(passage) for t in set(question_terms(question)))
        return best >= MIN_COVERAGE or (rank == 0 and best >= 0.5 and held >= 2)

    hits = [h for rank, h in enumerate(found) if covered(h, rank)]
    if not hits:
        return None, []
    hits = [h for h in hits if bool(HANGUL.search(h["text"])) == bool(HANGUL.search(question))] or hits  # same language first
    headings = [f"{h['title']} {h['section']}" for h in hits]
    return generate(asked, hits, settings()) or lead(question, [h["text"] for h in hits], headings, context), hits


RELATIVE_YEARS = {"재작년": -2, "작년": -1, "지난해": -1, "올해": 0, "금년": 0, "내년": 1, "내후년": 2}
RELATIVE_YEAR_RE = re.compile("|".join(sorted(RELATIVE_YEARS, key=len, reverse=True)))


def absolute_years(question: str) -> str:
    """ "내년 과제는" -> "2027년 과제는": documents write years, people say 내년 and 작년."""
    year = datetime.now(SEOUL).year
    return RELATIVE_YEAR_RE.sub(lambda m: f"{year + RELATIVE_YEARS[m.group(0)]}년", question)


def cite(hit: dict[str, Any]) -> str:
    return f"{hit['title']} · {hit['location']}"


__all__ = [
    "CORPUS_DIR",
    "HASHED",
    "MODES",
    "SUPPORTED",
    "IngestResult",
    "KnowledgeSettings",
    "KnowledgeStore",
    "LoadError",
    "answer",
    "best_sentence",
    "DETAIL_KINDS",
    "MIN_COVERAGE",
    "kinds_met",
    "cite",
    "coverage",
    "get_store",
    "ingest_sample_corpus",
    "open_store",
    "question_terms",
    "lead",
    "search",
    "sentences",
    "use",
]
