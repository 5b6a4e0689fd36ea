"""Retrieval figures for a question set: hit@1, hit@5 and MRR per embedding and search mode, by kind of
question (ko→ko, ko→en, en→ko, en→en), with the ingest and query cost. Used by tests/test_retrieval_eval.py
and bench/knowledge.py, so the README's table comes from one place.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlu import korean

from .embeddings import get_embeddings
from .store import KnowledgeStore

K = 5
KINDS = ("ko→ko", "ko→en", "en→ko", "en→en")


def language(source: str) -> str:
    return "en" if Path(source).stem.endswith("-en") else "ko"  # English files are named *-en


def kind(question: dict[str, Any]) -> str:
    """Same-language when any passage that answers is in the question's language, else across."""
    asked = "ko" if re.search(r"[가-힣]", question["q"]) else "en"
    answered = {language(a["source"]) for a in answers(question)}
    return f"{asked}→{asked if asked in answered else answered.pop()}"


def answers(question: dict[str, Any]) -> list[dict[str, str]]:
    return [{"source": question["source"], "section": question["section"]}, *question.get("also", [])]


@dataclass
class Figures:
    embedding: str
    mode: str
    ranks: list[int | None] = field(default_factory=list)  # rank of the first right passage, None when not in the top K
    kinds: list[str] = field(default_factory=list)
    query_ms: list[float] = field(default_factory=list)
    ingest_ms_per_passage: float = 0.0
    passages: int = 0

    def hit(self, at: int, only: str | None = None) -> float:
        rs = [r for r, k in zip(self.ranks, self.kinds, strict=True) if only in (None, k)]
        return sum(r is not None and r <= at for r in rs) / max(1, len(rs))

    def mrr(self) -> float:
        return sum(1 / r for r in self.ranks if r) / max(1, len(self.ranks))

    def p(self, q: float) -> float:
        ms = sorted(self.query_ms)
        return ms[min(len(ms) - 1, int(q * len(ms)))] if ms else 0.0


def run(
    client: Any,
    folders: Iterable[Path],
    questions: list[dict[str, Any]],
    embeddings: Iterable[str],
    modes: Iterable[str] = ("dense", "hybrid"),
) -> list[Figures]:
    """Each embedding's own collections in `client`: ingest `folders` (timed, model load excluded), then every question
    in every mode. Lexical (BM25) does not depend on the embedding: it is measured once, on the first."""
    out: list[Figures] = []
    folders = list(folders)
    for n, name in enumerate(embeddings):
        emb = get_embeddings(name)
        emb.embed_documents(["warm-up"]), emb.embed_query("warm-up")  # the one-time model load is not ingest cost
        store = KnowledgeStore(client, emb, f"eval-{name}")
        korean._cache.clear()  # each ingest pays for its Kiwi analysis, not only the first embedding's
        t0 = time.perf_counter()
        store.ingest(folders, public=True)
        took = time.perf_counter() - t0
        passages = store.chunks.count()
        for mode in (*modes, "lexical") if n == 0 else modes:
            f = Figures(name if mode != "lexical" else "(none)", mode, ingest_ms_per_passage=took * 1000 / passages, passages=passages)
            for q in questions:
                t0 = time.perf_counter()
                hits = store.search(q["q"], K, mode=mode)
                f.query_ms.append((time.perf_counter() - t0) * 1000)
                right = [(a["source"], a["section"]) for a in answers(q)]
                ranks = [i for i, h in enumerate(hits, 1) if (h["source"], h["section"]) in right]
                f.ranks.append(ranks[0] if ranks else None)
                f.kinds.append(kind(q))
            out.append(f)
    return out


def table(figures: list[Figures]) -> str:
    """A Markdown table (what the README shows)."""
    kinds = [k for k in KINDS if any(k in f.kinds for f in figures)]
    counts = {k: figures[0].kinds.count(k) for k in kinds} if figures else {}
    head = [
        "embedding",
        "mode",
        "hit@1",
        "hit@5",
        "MRR",
        *(f"{k} hit@5 ({counts[k]})" for k in kinds),
        "ingest ms/passage",
        "query p50 / p95 ms",
    ]
    rows = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for f in figures:
        cells = [f.embedding, f.mode, f"{f.hit(1):.3f}", f"{f.hit(K):.3f}", f"{f.mrr():.3f}", *(f"{f.hit(K, k):.3f}" for k in kinds)]
        cells += [
            f"{f.ingest_ms_per_passage:.1f}" if f.mode != "lexical" else "—",
            f"{statistics.median(f.query_ms):.1f} / {f.p(0.95):.1f}",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)
