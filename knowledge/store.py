"""The document index in Chroma: idempotent, all-or-nothing ingest per file, hybrid search.

Each chunk carries the sha256 of its file; a manifest collection names the current sha of
every file. Search ignores chunks whose sha is not current, so an ingest cut off half-way is
never visible and simply runs again. Chroma's default embedding function is never used:
embeddings are computed here and passed in.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from nlu import content_words

from .chunking import chunk
from .lexical import LexicalIndex
from .loaders import SUPPORTED, LoadError, load

RRF_K = 60  # reciprocal rank fusion constant (Cormack et al.)
MODES = ("hybrid", "dense", "lexical")


@dataclass
class IngestResult:
    path: str
    status: str  # added | updated | unchanged | failed | skipped
    chunks: int = 0
    reason: str = ""


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[IngestResult]]:
    """Files to ingest (folders walked, duplicates dropped) and what was set aside, with the reason."""
    files: list[Path] = []
    seen: set[Path] = set()
    notes: list[IngestResult] = []
    for p in paths:
        if not p.exists():
            notes.append(IngestResult(str(p), "failed", reason="파일이 없습니다 (no such file)"))
            continue
        for f in sorted(p.rglob("*")) if p.is_dir() else [p]:
            if f.is_dir() or (p.is_dir() and f.suffix.lower() not in SUPPORTED):
                continue  # inside folders only supported formats are picked up
            real = f.resolve()
            if real in seen:
                notes.append(IngestResult(str(f), "skipped", reason="같은 파일이 이미 목록에 있습니다 (duplicate path)"))
                continue
            seen.add(real)
            files.append(f)
    return files, notes


class KnowledgeStore:
    def __init__(self, client: Any, embeddings: Embeddings, model_name: str):
        slug = re.sub(r"[^a-z0-9]+", "-", model_name.lower()).strip("-")[:40] or "model"
        # one pair of collections per embedding model: vectors of different models never mix
        self.chunks = client.get_or_create_collection(
            f"chunks-{slug}", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )
        self.manifest = client.get_or_create_collection(f"manifest-{slug}", embedding_function=None)
        self.embeddings = embeddings
        self._lexical: tuple[frozenset, LexicalIndex] | None = None

    # -- ingest -------------------------------------------------------------------
    def current(self) -> dict[str, dict[str, Any]]:
        got = self.manifest.get(include=["metadatas"])
        return dict(zip(got["ids"], got["metadatas"], strict=True))

    def ingest_file(self, path: Path, public: bool) -> IngestResult:
        raw_sha = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        doc_id = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16]
        before = self.current().get(doc_id)
        try:
            doc = load(path)
        except LoadError as exc:
            return IngestResult(str(path), "failed", reason=f"{exc.reason} ({exc.reason_en})")
        is_public = doc.public if doc.public is not None else public
        sha = hashlib.sha256(f"{raw_sha}|{is_public}".encode()).hexdigest()  # a changed public flag is a change too
        if before and before["sha"] == sha:
            return IngestResult(str(path), "unchanged", before["chunks"])
        chunks = chunk(doc.sections)
        vectors = self.embeddings.embed_documents([f"{doc.title} {c.heading}\n{c.text}" for c in chunks])
        ids = [f"{doc_id}:{sha[:12]}:{i}" for i in range(len(chunks))]
        metas = []
        for i, c in enumerate(chunks):
            m = {
                "doc_id": doc_id,
                "sha": sha,
                "title": doc.title,
                "source": path.name,
                "path": str(path.resolve()),
                "heading": c.heading,
                "table": c.table,
                "public": is_public,
                "position": i,
                "terms": " ".join(content_words(f"{c.heading} {c.text}")),
            }
            if c.page is not None:
                m["page"] = c.page
            metas.append(m)
        for start in range(0, len(ids), 500):  # Chroma's batches are bounded
            end = start + 500
            self.chunks.upsert(
                ids=ids[start:end], embeddings=vectors[start:end], documents=[c.text for c in chunks[start:end]], metadatas=metas[start:end]
            )
        # the manifest flips to the new version only once every chunk of it is in
        self.manifest.upsert(
            ids=[doc_id],
            embeddings=[[1.0]],
            documents=[doc.title],
            metadatas=[
                {
                    "sha": sha,
                    "title": doc.title,
                    "path": str(path.resolve()),
                    "public": is_public,
                    "chunks": len(chunks),
                    "ingested_at": time.time(),
                }
            ],
        )
        self.chunks.delete(where={"$and": [{"doc_id": doc_id}, {"sha": {"$ne": sha}}]})
        return IngestResult(str(path), "updated" if before else "added", len(chunks))

    def ingest(self, paths: Iterable[Path], public: bool = False, progress: Callable[[Path], None] | None = None) -> list[IngestResult]:
        files, results = expand(paths)
        for f in files:
            if progress:
                progress(f)
            try:
                results.append(self.ingest_file(f, public))
            except Exception as exc:  # one bad file never stops the batch
                results.append(IngestResult(str(f), "failed", reason=f"색인 중 오류 ({type(exc).__name__}: {exc})"))
        return results

    # -- search -------------------------------------------------------------------
    def _lexical_index(self, current: dict[str, dict[str, Any]]) -> LexicalIndex:
        version = frozenset((d, m["sha"]) for d, m in current.items())
        if self._lexical is None or self._lexical[0] != version:
            got = self.chunks.get(include=["metadatas"])
            live = [
                (i, m) for i, m in zip(got["ids"], got["metadatas"], strict=True) if current.get(m["doc_id"], {}).get("sha") == m["sha"]
            ]
            self._lexical = (version, LexicalIndex([i for i, _ in live], [m["terms"].split() for _, m in live]))
        return self._lexical[1]

    def search(self, query: str, k: int = 5, public_only: bool = False, mode: str = "hybrid") -> list[dict[str, Any]]:
        current = self.current()
        if not current:
            return []
        live = {d for d, m in current.items() if not public_only or m["public"]}
        pool = max(4 * k, 20)
        ranked: dict[str, list[float]] = {}
        if mode in ("hybrid", "dense"):
            where = {"public": True} if public_only else None
            n = min(pool, self.chunks.count())
            got = self.chunks.query(
                query_embeddings=[self.embeddings.embed_query(query)], n_results=n, where=where, include=["metadatas", "distances"]
            )
            rank = 0
            for cid, meta, dist in zip(got["ids"][0], got["metadatas"][0], got["distances"][0], strict=True):
                if meta["doc_id"] in live and current[meta["doc_id"]]["sha"] == meta["sha"]:
                    ranked.setdefault(cid, [0.0, 1 - dist, 0.0])[0] += 1 / (RRF_K + rank)
                    rank += 1
        if mode in ("hybrid", "lexical"):
            index = self._lexical_index(current)
            allowed = {cid for cid in index.ids if cid.split(":")[0] in live}
            for rank, (cid, s) in enumerate(index.search(content_words(query), pool, allowed)):
                entry = ranked.setdefault(cid, [0.0, 0.0, 0.0])
                entry[0] += 1 / (RRF_K + rank)
                entry[2] = s
        top = sorted(ranked.items(), key=lambda kv: -kv[1][0])[:k]
        if not top:
            return []
        got = self.chunks.get(ids=[cid for cid, _ in top], include=["documents", "metadatas"])
        by_id = {i: (d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)}
        hits = []
        for cid, (fused, dense, lexical) in top:
            text, m = by_id[cid]
            location = f"{m['page']}쪽" if "page" in m else m["heading"]
            hits.append(
                {
                    "text": text,
                    "source": m["source"],
                    "title": m["title"],
                    "section": m["heading"],
                    "page": m.get("page"),
                    "location": location,
                    "public": m["public"],
                    "score": round(fused if mode == "hybrid" else dense or lexical, 4),
                    "dense_score": round(dense, 4),
                    "lexical_score": round(lexical, 4),
                    "id": cid,
                }
            )
        return hits
