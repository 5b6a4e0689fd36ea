"""BM25 over Korean content morphemes (Kiwi): finds passages by the words they share with the question."""

from __future__ import annotations

import math
from collections import Counter

from nlu import content_words

from .documents import Passage


class LexicalIndex:
    def __init__(self, passages: list[Passage], k1: float = 1.5, b: float = 0.75):
        self.passages = passages
        self.docs = [Counter(content_words(f"{p.section} {p.text}")) for p in passages]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg = sum(self.lengths) / max(1, len(self.lengths))
        df = Counter(t for d in self.docs for t in d)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.k1, self.b = k1, b

    def search(self, query: str, k: int = 3, public_only: bool = False, min_coverage: float = 0.0) -> list[tuple[Passage, float]]:
        """Top passages by BM25; min_coverage drops those sharing too few of the question's terms."""
        terms = set(content_words(query))
        scored = []
        for p, d, length in zip(self.passages, self.docs, self.lengths, strict=True):
            if public_only and not p.public:
                continue
            if not terms or len(terms & d.keys()) / len(terms) < min_coverage:
                continue
            s = sum(
                self.idf[t] * d[t] * (self.k1 + 1) / (d[t] + self.k1 * (1 - self.b + self.b * length / self.avg)) for t in terms if t in d
            )
            if s > 0:
                scored.append((p, s))
        return sorted(scored, key=lambda x: -x[1])[:k]
