"""The reading room: passages of white papers and reports, searched and quoted with citations."""

from __future__ import annotations

import re
from functools import lru_cache

from nlu import content_words

from .documents import CORPUS_DIR, Passage, load_corpus
from .lexical import LexicalIndex

MIN_COVERAGE = 0.6  # a passage must share most of the question's terms to answer it


@lru_cache(maxsize=1)
def index() -> LexicalIndex:
    return LexicalIndex(load_corpus())


def search(query: str, k: int = 3, public_only: bool = False, min_coverage: float = 0.0) -> list[dict]:
    return [p.as_dict(s) for p, s in index().search(query, k, public_only, min_coverage)]


def lead_sentence(passage: str, query: str) -> str:
    """The sentence of the passage that shares most words with the question."""
    terms = set(content_words(query))
    sentences = [s.strip() for s in re.split(r"(?<=[.!?다])\s+", passage) if s.strip()]
    return max(sentences, key=lambda s: len(terms & set(content_words(s))))


def answer(query: str, public_only: bool = False, k: int = 2) -> tuple[str | None, list[dict]]:
    """(lead sentence, cited passages); (None, []) when no passage answers the question."""
    hits = search(query, k, public_only, MIN_COVERAGE)
    if not hits:
        return None, []
    return lead_sentence(hits[0]["text"], query), hits


__all__ = ["CORPUS_DIR", "Passage", "answer", "index", "lead_sentence", "load_corpus", "search"]
