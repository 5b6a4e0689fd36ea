"""Embeddings behind langchain's interface: an offline default, or a sentence-transformers model.

The default needs no download: signed feature hashing of Kiwi morphemes and character
n-grams (sklearn's HashingVectorizer), so it works on Korean and English alike. It matches
words, not meanings; a real model (SECRETARY_EMBEDDING_MODEL = name or path, e.g.
"intfloat/multilingual-e5-small") brings meaning and cross-language search where installed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from langchain_core.embeddings import Embeddings
from sklearn.feature_extraction.text import HashingVectorizer

from nlu import content_words_many

HASHED = "hashed"


def _features(text: str, words: list[str]) -> list[str]:
    squeezed = re.sub(r"\s+", "", text.lower())
    grams = [squeezed[i : i + n] for n in (2, 3) for i in range(len(squeezed) - n + 1)]
    return words + words + grams  # whole words weigh double against their letter n-grams


class HashedEmbeddings(Embeddings):
    def __init__(self, dim: int = 1024):
        self.dim = dim
        self.vectorizer = HashingVectorizer(analyzer=lambda features: features, n_features=dim, alternate_sign=True, norm="l2")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        features = [_features(t, w) for t, w in zip(texts, content_words_many(texts), strict=True)]
        return self.vectorizer.transform(features).toarray().tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model by hub name (downloaded on first use) or local path."""

    def __init__(self, name_or_path: str):
        from sentence_transformers import SentenceTransformer

        self.name = name_or_path
        self.model = SentenceTransformer(name_or_path, device="cpu")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.model.encode(texts, normalize_embeddings=True, batch_size=32).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


@lru_cache(maxsize=4)
def get_embeddings(name: str = HASHED) -> Embeddings:
    return HashedEmbeddings() if name == HASHED else SentenceTransformerEmbeddings(name)
