"""Korean morphemes with Kiwi, loaded once per process (about 4 s the first time)."""

from __future__ import annotations

from functools import lru_cache

CONTENT_TAGS = ("NNG", "NNP", "NR", "NP", "SL", "SN", "SH", "XR", "VV", "VA", "MM")


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


def content_words(text: str) -> list[str]:
    """Nouns, stems, foreign words and numbers, lowercased: the terms worth searching for."""
    return [t.form.lower() for t in kiwi().tokenize(text) if t.tag.startswith(CONTENT_TAGS)]
