"""Sections -> chunks sized for retrieval; table rows stay whole and keep their header row."""

from __future__ import annotations

from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from .loaders import Section

# Characters, not tokens: 450 Korean characters is a paragraph or two; in English about 80 words.
CHUNK_CHARS = 450
OVERLAP_CHARS = 60
SEPARATORS = ["\n\n", "\n", "다. ", ". ", "? ", "! ", "요. ", ", ", " ", ""]


@dataclass
class Chunk:
    text: str
    heading: str
    page: int | None
    table: bool


def chunk(sections: list[Section], size: int = CHUNK_CHARS, overlap: int = OVERLAP_CHARS) -> list[Chunk]:
    splitter = RecursiveCharacterTextSplitter(chunk_size=size, chunk_overlap=overlap, separators=SEPARATORS, keep_separator="end")
    out: list[Chunk] = []
    for s in sections:
        if s.table:
            out += [Chunk(t, s.heading, s.page, True) for t in _table_chunks(s.text, size)]
        else:
            out += [Chunk(t.strip(), s.heading, s.page, False) for t in splitter.split_text(s.text) if t.strip()]
    return out


def _table_chunks(text: str, size: int) -> list[str]:
    """Whole rows only; every chunk repeats the header row so its numbers keep their meaning."""
    header, *rows = text.splitlines()
    chunks, current = [], [header]
    for row in rows:
        if len(current) > 1 and sum(map(len, current)) + len(row) > size:
            chunks.append("\n".join(current))
            current = [header]
        current.append(row)
    chunks.append("\n".join(current))
    return chunks
