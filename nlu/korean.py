"""Korean morphemes with Kiwi, loaded once per process (about 4 s the first time)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache

CONTENT_TAGS = ("NNG", "NNP", "NR", "NP", "SL", "SN", "SH", "XR", "VV", "VA", "MM")
CACHE_SIZE = 20_000  # recent texts: ingest reads each chunk for its BM25 terms and for its embedding
_cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()
_lock = threading.Lock()


@lru_cache(maxsize=1)
def kiwi():
    from kiwipiepy import Kiwi

    return Kiwi()


def morphemes(text: str) -> list[str]:
    """Morphemes with coarse tags, punctuation dropped; Latin and digits (and placeholders) whole."""
    out = []
    for tok in kiwi().tokenize(text):
        if tok.tag.startswith("S") and tok.tag not in ("SL", "SN", "SH"):
            continue
        out.append(tok.form if tok.tag in ("SL", "SN") else f"{tok.form}/{tok.tag[:2]}")
    return out


def content_words_many(texts: list[str]) -> list[list[str]]:
    """Nouns, stems, foreign words and numbers, lowercased, for many texts in one Kiwi batch (its worker threads)."""
    with _lock:
        todo = [t for t in dict.fromkeys(texts) if t not in _cache]
    if todo:
        analysed = {
            t: tuple(tok.form.lower() for tok in toks if tok.tag.startswith(CONTENT_TAGS))
            for t, toks in zip(todo, kiwi().tokenize(todo), strict=True)
        }
        with _lock:
            _cache.update(analysed)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    with _lock:
        return [list(_cache[t]) if t in _cache else list(analysed[t]) for t in texts]


def nouns(text: str) -> list[str]:
    """The nouns, foreign words and numbers of a text ("2017년엔 며칠이었어요?" -> 2017, 며칠)."""
    return [t.form for t in kiwi().tokenize(text) if t.tag in ("NNG", "NNP", "SL", "SN")]


def content_words(text: str) -> list[str]:
    """The terms worth searching for in one text."""
    return content_words_many([text])[0]
