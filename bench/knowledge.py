"""Reading-room benchmark: retrieval quality and cost of every embedding, ingest throughput, and search
latency at 1k and 10k chunks.

First the retrieval evaluation of tests/test_retrieval_eval.py (knowledge.evaluate: hit@1, hit@5, MRR per
embedding and mode, by question kind, ingest ms per passage, query p50/p95). Then, for one embedding
(--embedding, default the reading room's), synthetic documents are built from the sample corpus's sentences (shuffled, numbers changed),
each file about 20 chunks. Baseline: a bare Chroma vector query in the same process, so the
ratios show what the manifest check, BM25 and fusion add on top.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

import chromadb  # noqa: E402
import yaml  # noqa: E402
from chromadb.config import Settings  # noqa: E402

from bench.stats import pct  # noqa: E402
from knowledge import CORPUS_DIR, KnowledgeSettings  # noqa: E402
from knowledge.embeddings import BUILTIN, get_embeddings  # noqa: E402
from knowledge.evaluate import run, table  # noqa: E402
from knowledge.loaders import load  # noqa: E402
from knowledge.store import KnowledgeStore  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = yaml.safe_load((ROOT / "tests/data/retrieval_eval.yml").read_text(encoding="utf-8"))
QUERIES = [q["q"] for q in QUESTIONS]
N_QUERIES = 100


def sentences() -> list[str]:
    out = []
    for p in (ROOT / "knowledge/corpus").glob("*.md"):
        for s in load(p).sections:
            out += [x.strip() for x in re.split(r"(?<=[.!?])\s+", s.text.replace("\n", " ")) if len(x.strip()) > 20]
    return out


def make_corpus(folder: Path, n_files: int, rng: random.Random, pool: list[str]) -> None:
    folder.mkdir(parents=True)
    for i in range(n_files):
        body = []
        for sec in range(10):
            paragraph = " ".join(re.sub(r"\d+", lambda m: str(rng.randint(1, 9999)), s) for s in rng.sample(pool, 6))
            body.append(f"## {sec + 1}. 항목 {rng.randint(1, 500)}\n\n{paragraph}\n")
        (folder / f"doc{i:05d}.md").write_text(
            f"---\ntitle: 합성 문서 {i}\npublic: {str(i % 3 != 0).lower()}\n---\n# 합성 문서 {i}\n\n" + "\n".join(body), encoding="utf-8"
        )


def quality(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        client = chromadb.PersistentClient(path=f"{tmp}/chroma", settings=Settings(anonymized_telemetry=False))
        figures = run(client, [CORPUS_DIR, ROOT / "tests/data/retrieval_docs"], QUESTIONS, names)
        print(f"retrieval: {len(QUESTIONS)} questions, {figures[0].passages} passages, top 5")
        print(table(figures))


def main() -> None:
    default = KnowledgeSettings().embedding_model
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--embedding", default=default, help=f"for the latency part (default {default})")
    ap.add_argument("--quality", default=",".join(BUILTIN), help="embeddings to compare; empty: skip")
    ap.add_argument("--files", default="72,720", help="synthetic files per run (about 14 chunks each)")
    args = ap.parse_args()
    if args.quality:
        quality(args.quality.split(","))
    rng = random.Random(7)
    pool = sentences()
    emb = get_embeddings(args.embedding)
    print(f"\nembedding: {args.embedding}; queries: {N_QUERIES} from tests/data/retrieval_eval.yml")
    for n_files in (int(n) for n in args.files.split(",") if n):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "docs"
            make_corpus(folder, n_files, rng, pool)
            mb = sum(f.stat().st_size for f in folder.iterdir()) / 2**20
            store = KnowledgeStore(
                chromadb.PersistentClient(path=f"{tmp}/chroma", settings=Settings(anonymized_telemetry=False)), emb, args.embedding
            )
            t0 = time.perf_counter()
            results = store.ingest([folder])
            took = time.perf_counter() - t0
            chunks = store.chunks.count()
            assert all(r.status == "added" for r in results)
            print(
                f"\n{chunks} chunks in {n_files} files ({mb:.1f} MB): ingest {took:.1f} s = {chunks / took:.0f} chunks/s, {mb / took:.2f} MB/s"
            )
            t0 = time.perf_counter()
            assert {r.status for r in store.ingest([folder])} == {"unchanged"}
            print(f"  re-ingest, nothing changed: {time.perf_counter() - t0:.2f} s")
            t0 = time.perf_counter()
            store.search(QUERIES[0], 5, mode="lexical")
            print(f"  first lexical search (builds BM25 from stored terms): {(time.perf_counter() - t0) * 1000:.0f} ms")
            base = []
            for i in range(N_QUERIES):
                q = emb.embed_query(QUERIES[i % len(QUERIES)])
                t0 = time.perf_counter()
                store.chunks.query(query_embeddings=[q], n_results=5)
                base.append((time.perf_counter() - t0) * 1000)
            b = statistics.median(base)
            print(f"  {'raw Chroma query (baseline)':<32} p50 {b:7.2f} ms  p95 {pct(base, 0.95):7.2f} ms")
            for mode in ("dense", "lexical", "hybrid"):
                for public_only in (False, True):
                    ms = []
                    for i in range(N_QUERIES):
                        t0 = time.perf_counter()
                        store.search(QUERIES[i % len(QUERIES)], 5, public_only=public_only, mode=mode)
                        ms.append((time.perf_counter() - t0) * 1000)
                    label = f"search {mode}{' public-only' if public_only else ''}"
                    print(
                        f"  {label:<32} p50 {statistics.median(ms):7.2f} ms  p95 {pct(ms, 0.95):7.2f} ms  x{statistics.median(ms) / b:.1f}"
                    )


if __name__ == "__main__":
    main()
