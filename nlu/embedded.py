"""The embedded NLU engine: trained from nlu/data in seconds, Rasa /model/parse output.

Intent: TF-IDF over character n-grams and Kiwi morphemes of the entity-masked text,
logistic regression; below the threshold the intent is `nlu_fallback`, as in Rasa's
FallbackClassifier. Entities: nlu.entities (canonical values).
"""

from __future__ import annotations

import logging
import pickle
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from . import discourse, english, spelling, training_data
from .entities import EntityExtractor
from .korean import content_words_many, morphemes
from .training_data import Example, TrainingData

log = logging.getLogger(__name__)
ENGINE_VERSION = "embedded-21"
FALLBACK_INTENT = "nlu_fallback"
DEFAULT_THRESHOLD = 0.15


def _squeeze(text: str) -> str:
    return "".join(text.split())


def build_classifier() -> Pipeline:
    features = FeatureUnion(
        [
            ("char_wb", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)),
            ("char_nospace", TfidfVectorizer(analyzer="char", ngram_range=(2, 4), preprocessor=_squeeze, sublinear_tf=True)),
            ("morph", TfidfVectorizer(analyzer=morphemes, sublinear_tf=True)),
        ]
    )
    return Pipeline([("features", features), ("clf", LogisticRegression(C=100, max_iter=3000))])


class Scorer:
    """The trained pipeline's probabilities for one text, computed directly from its vocabularies, idf weights and
    coefficients: the same numbers as `predict_proba` (tests/test_nlu.py checks), without sklearn's per-call
    validation and sparse-matrix overhead (about 3 ms of the 4 a parse took)."""

    def __init__(self, pipeline: Pipeline):
        clf = pipeline.named_steps["clf"]
        self.classes = clf.classes_
        self.coef, self.intercept = clf.coef_, clf.intercept_
        self.parts = []
        offset = 0
        for _, vec in pipeline.named_steps["features"].transformer_list:
            self.parts.append((vec.build_analyzer(), vec.vocabulary_, vec.idf_, offset, vec.sublinear_tf))
            offset += len(vec.vocabulary_)

    def proba(self, text: str) -> np.ndarray:
        scores = self.intercept.copy()
        for analyze, vocabulary, idf, offset, sublinear in self.parts:
            counts = Counter(i for token in analyze(text) if (i := vocabulary.get(token)) is not None)
            if not counts:
                continue
            index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            weights = (1.0 + np.log(tf) if sublinear else tf) * idf[index]
            scores = scores + self.coef[:, offset + index] @ (weights / np.linalg.norm(weights))  # l2, as TfidfVectorizer
        exp = np.exp(scores - scores.max())
        return exp / exp.sum()


class EmbeddedNLU:
    name = "embedded"

    def __init__(self, data: TrainingData, threshold: float = DEFAULT_THRESHOLD):
        self.extractor = EntityExtractor(data)
        self.threshold = threshold
        self.classifier: Pipeline | None = None
        self.scorer: Scorer | None = None
        self.words: dict[str, set[str]] = {}
        self.english: english.EnglishIntents | None = None

    def train(self, examples: list[Example]) -> EmbeddedNLU:
        masked = [self.extractor.mask(e.text, self.extractor.candidates(e.text)) for e in examples]
        self.classifier = build_classifier().fit(masked, [e.intent for e in examples])
        self.scorer = Scorer(self.classifier)
        self.words: dict[str, set[str]] = {}
        for e, words in zip(examples, content_words_many([e.text for e in examples]), strict=True):
            self.words.setdefault(e.intent, set()).update(words)
        self.english = english.EnglishIntents(examples)
        return self

    def parse(self, text: str) -> dict[str, Any]:
        assert self.classifier is not None, "train() or load() first"
        if english.language(text) != "ko":  # English (or another Latin-script language): answered in English
            return self.parse_english(text)
        if (
            (m := discourse.GREETING_RE.match(text)) and len(text) - m.end() >= 6 and not discourse.SELF_INTRO_RE.search(text)
        ):  # "좋은 아침, 오늘 서울 한번 훑어 줘"
            rest = self.parse(text[m.end() :])
            if rest["intent"]["name"] not in discourse.CONVERSATIONAL:  # "안녕~ 처음 써 봐" stays a greeting
                shifted = [{**e, "start": e["start"] + m.end(), "end": e["end"] + m.end()} for e in rest["entities"]]
                return {**rest, "text": text, "entities": shifted}
        cands = self.extractor.candidates(text)
        if self.scorer is None:
            self.scorer = Scorer(self.classifier)
        mended = spelling.spelled(text)  # "교퉁 상황": the topic word the classifier and the cues know
        probs = self.scorer.proba(self.extractor.mask(mended, cands))
        ranking = sorted(zip(self.scorer.classes, probs, strict=True), key=lambda p: -p[1])
        name, confidence = ranking[0]
        guess = FALLBACK_INTENT if confidence < self.threshold else name
        name = discourse.override(mended, guess, float(confidence), self.names(text, cands))
        entities = discourse.annotate(text, self.extractor.resolve(text, name, cands))
        return {
            "text": text,
            "intent": {"name": name, "confidence": round(float(confidence), 4)},
            "entities": entities,
            "intent_ranking": [{"name": n, "confidence": round(float(p), 4)} for n, p in ranking[:10]],
        }

    def vocabulary(self, intent: str) -> set[str]:
        """The content words of the intent's training examples."""
        return self.words.get(intent, set())

    def names(self, text: str, candidates: list | None = None, intent: str | None = None) -> list[dict[str, Any]]:
        """Every name the text has ("보건" in "보건이랑 교육 분야 같이" is a budget sector), read as `intent`'s when
        given ("환경 분야는" after a budget question: 환경 is a sector, not a complaint topic)."""
        return discourse.annotate(text, self.extractor.resolve(text, intent, candidates))

    def parse_english(self, text: str) -> dict[str, Any]:
        """English (citizens): the intent from the multilingual encoder, names from their romanized forms."""
        name, confidence, ranking = self.english.classify(text)
        entities = discourse.annotate(text, english.entities(text))
        name = discourse.override(text, name, confidence, [])
        if name != "out_of_scope" and (named := discourse.topic(text)):  # "what's the air quality like": the words decide
            name = named
        if english.FOLLOW_UP_RE.match(text) and (entities or not discourse.topic(text)):  # "What about Mapo?", "Why is that?"
            name = "inform"
        return {
            "text": text,
            "language": "en",
            "intent": {"name": name, "confidence": round(confidence, 4)},
            "entities": entities,
            "intent_ranking": ranking[:10],
        }

    # -- persistence ------------------------------------------------------
    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(self))
        tmp.replace(path)

    @staticmethod
    def load(path: Path) -> EmbeddedNLU:
        return pickle.loads(path.read_bytes())


def model_path(model_dir: Path, data_dir: Path = training_data.DATA_DIR) -> Path:
    return model_dir / f"{ENGINE_VERSION}-{training_data.fingerprint(data_dir, ENGINE_VERSION)}.pkl"


def load_or_train(model_dir: Path, data_dir: Path = training_data.DATA_DIR, force: bool = False) -> EmbeddedNLU:
    """Load the cached model for the current training files, training it first if needed."""
    path = model_path(model_dir, data_dir)
    if path.exists() and not force:
        try:
            return EmbeddedNLU.load(path)
        except Exception:  # an unreadable cache is rebuilt, never fatal
            log.warning("NLU model cache %s unreadable; retraining", path)
    t0 = time.perf_counter()
    data = training_data.load(data_dir)
    engine = EmbeddedNLU(data).train(data.examples)
    for old in model_dir.glob(f"{ENGINE_VERSION}-*.pkl"):
        old.unlink(missing_ok=True)
    engine.save(path)
    log.info("trained embedded NLU on %d examples in %.1fs -> %s", len(data.examples), time.perf_counter() - t0, path)
    return engine
