"""BM25 over Korean content morphemes (Kiwi), computed at ingest and kept with each chunk."""

from __future__ import annotations

import math
from collections import Counter


class LexicalIndex:
    def __init__(self, ids: list[str], terms: list[list[str]], k1: float = 1.5, b: float = 0.75):
        self.ids = ids
        self.docs = [Counter(t) for t in terms]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg = sum(self.lengths) / max(1, len(self.lengths))
        df = Counter(t for d in self.docs for t in d)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.k1, self.b = k1, b

    def search(self, query_terms: list[str], k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        terms = set(query_terms)
        scored = []
        for cid, d, length in zip(self.ids, self.docs, self.lengths, strict=True):
            if allowed is not None and cid not in allowed:
                continue
            s = sum(
                self.idf[t] * d[t] * (self.k1 + 1) / (d[t] + self.k1 * (1 - self.b + self.b * length / self.avg)) for t in terms if t in d
            )
            if s > 0:
                scored.append((cid, s))
        return sorted(scored, key=lambda x: -x[1])[:k]
