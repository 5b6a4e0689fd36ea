"""Retrieval evaluation on our own question set: hit@1, hit@3 and MRR for each search mode."""

from __future__ import annotations

from pathlib import Path

import yaml

import knowledge

QUESTIONS = yaml.safe_load((Path(__file__).parent / "data" / "retrieval_eval.yml").read_text(encoding="utf-8"))


def evaluate(mode: str, k: int = 5) -> dict[str, float]:
    hit1 = hit3 = rr = 0.0
    for q in QUESTIONS:
        hits = knowledge.search(q["q"], k, mode=mode)
        ranks = [i for i, h in enumerate(hits, 1) if h["source"] == q["source"] and h["section"] == q["section"]]
        if ranks:
            hit1 += ranks[0] == 1
            hit3 += ranks[0] <= 3
            rr += 1 / ranks[0]
    n = len(QUESTIONS)
    return {"hit@1": hit1 / n, "hit@3": hit3 / n, "mrr": rr / n}


def test_retrieval_figures(knowledge_store, capsys):
    figures = {mode: evaluate(mode) for mode in knowledge.MODES}
    with capsys.disabled():
        print(f"\n[retrieval] {len(QUESTIONS)} questions over knowledge/corpus, embedding=hashed")
        for mode, f in figures.items():
            print(f"[retrieval] {mode:<8} hit@1={f['hit@1']:.3f} hit@3={f['hit@3']:.3f} MRR={f['mrr']:.3f}")
    assert figures["hybrid"]["hit@3"] >= 0.85
    assert figures["hybrid"]["mrr"] >= max(figures["dense"]["mrr"], figures["lexical"]["mrr"]) - 0.02  # the default earns its place
