"""BM25 over Korean content morphemes (Kiwi), computed at ingest and kept with each chunk."""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# English function words ("how", "the", "does") are kept by the morpheme analyser; in a mostly Korean index they
# are rare, so BM25 gave them a high weight and ranked any English passage first for any English question.
STOP = frozenset(ENGLISH_STOP_WORDS)


class LexicalIndex:
    def __init__(self, ids: list[str], terms: list[list[str]], k1: float = 1.5, b: float = 0.75):
        self.ids = ids
        terms = [[t for t in doc if t not in STOP] for doc in terms]
        lengths = [len(t) for t in terms]
        avg = sum(lengths) / max(1, len(lengths))
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)  # term -> (doc, tf part of BM25)
        for i, doc in enumerate(terms):
            norm = k1 * (1 - b + b * lengths[i] / avg)
            for t, tf in Counter(doc).items():
                self.postings[t].append((i, tf * (k1 + 1) / (tf + norm)))
        n = len(terms)
        self.idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()}

    def search(
        self, query_terms: list[str], k: int, allowed_docs: set[str] | None = None, min_share: float = 0.0
    ) -> list[tuple[str, float]]:
        """Top chunk ids; allowed_docs limits them to those documents (chunk ids start with 'doc_id:');
        min_share: only chunks holding at least that share of the query's distinct terms."""
        scores: dict[int, float] = defaultdict(float)
        matched: Counter[int] = Counter()
        wanted = set(query_terms) - STOP
        for t in wanted:
            for i, w in self.postings.get(t, ()):
                scores[i] += self.idf[t] * w
                matched[i] += 1
        need = min_share * len(wanted)
        ranked = (
            (self.ids[i], s)
            for i, s in scores.items()
            if matched[i] >= need and (allowed_docs is None or self.ids[i].split(":", 1)[0] in allowed_docs)
        )
        return heapq.nlargest(k, ranked, key=lambda x: x[1])
