"""The document index in Chroma: idempotent, all-or-nothing ingest per file, hybrid search.

Each chunk carries the sha256 of its file; a manifest collection names the current sha of
every file. Search ignores chunks whose sha is not current, so an ingest cut off half-way is
never visible and simply runs again. Chroma's default embedding function is never used:
embeddings are computed here and passed in.

Every write also changes one stamp row in the manifest. Each search reads that row alone (about
half a millisecond) and reloads the manifest only when it changed, so a document ingested by
another process (`secretary ingest` while the server runs, another replica) is searchable at once.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from nlu import content_words, content_words_many

from .chunking import chunk
from .lexical import LexicalIndex
from .loaders import SUPPORTED, LoadError, load

RRF_K = 60  # reciprocal rank fusion constant (Cormack et al.)
MODES = ("hybrid", "dense", "lexical")
# In hybrid search a BM25 hit counts only when the passage holds at least half of the question's terms. An English
# question over Korean passages matched English passages on a word or two ("city", "platform"); fused by rank, they
# pushed the right passage the vectors had found out of the top 5 (development set, tests/data/retrieval_dev.yml:
# across languages hit@5 0.33 → 0.56 for English questions, 0.83 → 1.0 for Korean ones).
LEXICAL_MIN_SHARE = 0.5
VERSION_ID = "~version"  # the manifest row whose stamp changes with every write (doc ids are hex: no clash)


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


@dataclass
class Prepared:
    """One file read, chunked and embedded, ready to write."""

    result: IngestResult
    doc_id: str
    sha: str
    title: str
    ids: list[str]
    vectors: list[list[float]]
    texts: list[str]
    metas: list[dict[str, Any]]
    manifest: dict[str, Any]


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
        self._manifest: tuple[str | None, dict[str, dict[str, Any]]] | None = None  # (stamp, doc_id -> entry)
        self._written: str | None = None  # the stamp of this process's last write

    def _stamp(self) -> str | None:
        got = self.manifest.get(ids=[VERSION_ID], include=["metadatas"])["metadatas"]
        return got[0]["stamp"] if got else None

    # -- ingest -------------------------------------------------------------------
    def current(self) -> dict[str, dict[str, Any]]:
        """doc_id -> manifest entry, as of now: a one-row stamp read, the whole manifest only when it changed."""
        stamp = self._stamp()
        if self._manifest is None or self._manifest[0] != stamp:
            if stamp is not None and stamp != self._written:
                self._catch_up()
            got = self.manifest.get(include=["metadatas"])
            entries = {i: m for i, m in zip(got["ids"], got["metadatas"], strict=True) if i != VERSION_ID}
            self._manifest = (stamp, entries)
        return self._manifest[1]

    def _catch_up(self) -> None:
        """Let this process's vector index see chunks another process wrote.

        A local (PersistentClient) Chroma keeps its HNSW index in memory and applies the write log only when
        this process writes: a document from `secretary ingest` was found by BM25 but never by the vector
        query until a restart. Deleting an id that does not exist is a write of nothing that applies the log
        (about 40 ms, only after another process's write); against a Chroma server it is a harmless no-op.
        """
        self.chunks.delete(ids=[VERSION_ID])

    def prepare(self, path: Path, public: bool) -> IngestResult | Prepared:
        """Read, chunk and embed one file; an IngestResult when there is nothing to write."""
        raw_sha = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        doc_id = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16]
        found = self.manifest.get(ids=[doc_id], include=["metadatas"])["metadatas"]
        before = found[0] if found else None
        try:
            doc = load(path)
        except LoadError as exc:
            return IngestResult(str(path), "failed", reason=f"{exc.reason} ({exc.reason_en})")
        is_public = doc.public if doc.public is not None else public
        sha = hashlib.sha256(f"{raw_sha}|{is_public}".encode()).hexdigest()  # a changed public flag is a change too
        if before and before["sha"] == sha:
            return IngestResult(str(path), "unchanged", before["chunks"])
        chunks = chunk(doc.sections)
        texts = [f"{doc.title} {c.heading}\n{c.text}" for c in chunks]
        terms = content_words_many(texts)  # one Kiwi batch; the hashed embedding reuses it from the cache
        common = {"doc_id": doc_id, "sha": sha, "title": doc.title, "source": path.name, "path": str(path.resolve()), "public": is_public}
        metas = [
            common
            | {"heading": c.heading, "table": c.table, "position": i, "terms": " ".join(terms[i])}
            | ({"page": c.page} if c.page else {})
            for i, c in enumerate(chunks)
        ]
        manifest = {
            "sha": sha,
            "title": doc.title,
            "path": str(path.resolve()),
            "public": is_public,
            "chunks": len(chunks),
            "ingested_at": time.time(),
        }
        return Prepared(
            IngestResult(str(path), "updated" if before else "added", len(chunks)),
            doc_id,
            sha,
            doc.title,
            [f"{doc_id}:{sha[:12]}:{i}" for i in range(len(chunks))],
            self.embeddings.embed_documents(texts),
            [c.text for c in chunks],
            metas,
            manifest,
        )

    def write(self, batch: list[Prepared]) -> None:
        """Chunks first, then the manifest that makes them current, then the old versions go."""
        rows = [(i, v, d, m) for p in batch for i, v, d, m in zip(p.ids, p.vectors, p.texts, p.metas, strict=True)]
        for start in range(0, len(rows), 1000):  # Chroma's batches are bounded
            ids, vectors, texts, metas = map(list, zip(*rows[start : start + 1000], strict=True))
            self.chunks.upsert(ids=ids, embeddings=vectors, documents=texts, metadatas=metas)
        stamp = uuid.uuid4().hex
        self.manifest.upsert(  # the new versions and the stamp in one call: searches elsewhere see both or neither
            ids=[p.doc_id for p in batch] + [VERSION_ID],
            embeddings=[[1.0]] * (len(batch) + 1),
            documents=[p.title for p in batch] + [""],
            metadatas=[p.manifest for p in batch] + [{"stamp": stamp, "at": time.time()}],
        )
        self._written, self._manifest = stamp, None
        for p in batch:
            self.chunks.delete(where={"$and": [{"doc_id": p.doc_id}, {"sha": {"$ne": p.sha}}]})

    def ingest_file(self, path: Path, public: bool) -> IngestResult:
        prepared = self.prepare(path, public)
        if isinstance(prepared, Prepared):
            self.write([prepared])
            return prepared.result
        return prepared

    def ingest(
        self, paths: Iterable[Path], public: bool = False, progress: Callable[[Path], None] | None = None, batch_chunks: int = 1000
    ) -> list[IngestResult]:
        """Files one by one, written in batches (Chroma writes are costly per call); one bad file never stops the rest."""
        files, results = expand(paths)
        batch: list[Prepared] = []
        for f in files:
            if progress:
                progress(f)
            try:
                prepared = self.prepare(f, public)
            except Exception as exc:
                prepared = IngestResult(str(f), "failed", reason=f"색인 중 오류 ({type(exc).__name__}: {exc})")
            if isinstance(prepared, IngestResult):
                results.append(prepared)
                continue
            batch.append(prepared)
            if sum(len(p.ids) for p in batch) >= batch_chunks:
                results += self._write_reporting(batch)
                batch = []
        return results + self._write_reporting(batch)

    def _write_reporting(self, batch: list[Prepared]) -> list[IngestResult]:
        if not batch:
            return []
        try:
            self.write(batch)
        except Exception as exc:  # nothing of the batch became current: its files can simply be ingested again
            return [IngestResult(p.result.path, "failed", reason=f"색인 저장 실패 ({type(exc).__name__}: {exc})") for p in batch]
        return [p.result for p in batch]

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

    # -- browsing -------------------------------------------------------------------
    def documents(self, public_only: bool = False) -> list[dict[str, Any]]:
        """The current documents, newest first."""
        rows = [
            {
                "id": d,
                "title": m["title"],
                "source": Path(m["path"]).name,
                "public": m["public"],
                "chunks": m["chunks"],
                "ingested_at": m["ingested_at"],
            }
            for d, m in self.current().items()
            if m["public"] or not public_only
        ]
        return sorted(rows, key=lambda r: -r["ingested_at"])

    def document(self, doc_id: str, public_only: bool = False) -> dict[str, Any] | None:
        """One current document's passages in order; None when there is none (or it is not public and must be)."""
        m = self.current().get(doc_id)
        if m is None or (public_only and not m["public"]):
            return None
        got = self.chunks.get(where={"$and": [{"doc_id": doc_id}, {"sha": m["sha"]}]}, include=["documents", "metadatas"])
        passages = sorted(
            (
                {"position": meta["position"], "section": meta["heading"], "page": meta.get("page"), "text": text}
                for text, meta in zip(got["documents"], got["metadatas"], strict=True)
            ),
            key=lambda p: p["position"],
        )
        return {"id": doc_id, "title": m["title"], "source": Path(m["path"]).name, "public": m["public"], "passages": passages}

    def _dense(self, vector: list[float], n: int, where: dict | None) -> list[tuple[str, dict[str, Any], float]]:
        got = self.chunks.query(query_embeddings=[vector], n_results=n, where=where, include=["metadatas", "distances"])
        return list(zip(got["ids"][0], got["metadatas"][0], got["distances"][0], strict=True))

    def search(self, query: str, k: int = 5, public_only: bool = False, mode: str = "hybrid") -> list[dict[str, Any]]:
        current = self.current()
        if not current:
            return []
        live = {d for d, m in current.items() if not public_only or m["public"]}
        pool = max(4 * k, 20)
        ranked: dict[str, list[float]] = {}
        if mode in ("hybrid", "dense"):
            vector = self.embeddings.embed_query(query)
            rows = self._dense(vector, min(3 * pool if public_only else pool, self.chunks.count()), None)
            kept = [r for r in rows if r[1]["doc_id"] in live and current[r[1]["doc_id"]]["sha"] == r[1]["sha"]]
            if public_only and len(kept) < k:  # few public chunks near the query: let Chroma filter (slower)
                rows = self._dense(vector, min(pool, self.chunks.count()), {"public": True})
                kept = [r for r in rows if r[1]["doc_id"] in live and current[r[1]["doc_id"]]["sha"] == r[1]["sha"]]
            for rank, (cid, _meta, dist) in enumerate(kept[:pool]):
                ranked.setdefault(cid, [0.0, 1 - dist, 0.0])[0] += 1 / (RRF_K + rank)
        if mode in ("hybrid", "lexical"):
            share = LEXICAL_MIN_SHARE if mode == "hybrid" else 0.0
            for rank, (cid, s) in enumerate(self._lexical_index(current).search(content_words(query), pool, live, share)):
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
                    "doc_id": m["doc_id"],
                    "position": m["position"],
                    "url": f"/documents/{m['doc_id']}#p{m['position']}",  # the reading room's page for this passage
                }
            )
        return hits
